#include "schema.h"

#include "objectid.h"
#include "orderedjson.h"

#include <QDateTime>
#include <QLocale>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <vector>

namespace catalog {

namespace {

enum TypeBit : quint8 {
    NullBit = 1 << 0,
    BooleanBit = 1 << 1,
    IntegerBit = 1 << 2,
    NumberBit = 1 << 3,
    StringBit = 1 << 4,
    ArrayBit = 1 << 5,
    ObjectBit = 1 << 6,
};

struct TypeName
{
    QLatin1String name;
    TypeBit bit;
    QLatin1String phrase;
};

const TypeName typeNames[] = {
    {QLatin1String("null"), NullBit, QLatin1String("null")},
    {QLatin1String("boolean"), BooleanBit, QLatin1String("a boolean")},
    {QLatin1String("integer"), IntegerBit, QLatin1String("an integer")},
    {QLatin1String("number"), NumberBit, QLatin1String("a number")},
    {QLatin1String("string"), StringBit, QLatin1String("a string")},
    {QLatin1String("array"), ArrayBit, QLatin1String("an array")},
    {QLatin1String("object"), ObjectBit, QLatin1String("an object")},
};

enum class Format : quint8 { None, ObjectId, Language, Sha1, Uuid, DateTime, Url };

struct FormatName
{
    QLatin1String name;
    Format format;
    QLatin1String phrase;
};

const FormatName formatNames[] = {
    {QLatin1String("objectid"), Format::ObjectId, QLatin1String("a 24-hex-digit ObjectId")},
    {QLatin1String("language"), Format::Language, QLatin1String("a language id (like \"python\")")},
    {QLatin1String("sha1"), Format::Sha1, QLatin1String("a 40-hex-digit commit SHA")},
    {QLatin1String("uuid"), Format::Uuid, QLatin1String("a GUID")},
    {QLatin1String("date-time"), Format::DateTime, QLatin1String("an ISO 8601 date-time")},
    {QLatin1String("url"), Format::Url, QLatin1String("an http(s) URL")},
};

bool isLowerHex(QChar c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f');
}

bool isHex(QChar c)
{
    return isLowerHex(c) || (c >= u'A' && c <= u'F');
}

bool matchesFormat(Format format, QStringView s)
{
    switch (format) {
    case Format::None:
        return true;
    case Format::ObjectId:
        return s.size() == 24 && std::all_of(s.cbegin(), s.cend(), isHex);
    case Format::Language:
        // Codewars language ids: "python", "cpp", "csharp", "objc", ...
        if (s.isEmpty() || !(s.front() >= u'a' && s.front() <= u'z'))
            return false;
        return std::all_of(s.cbegin(), s.cend(), [](QChar c) {
            return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_';
        });
    case Format::Sha1:
        return s.size() == 40 && std::all_of(s.cbegin(), s.cend(), isHex);
    case Format::Uuid:
        if (s.size() != 36)
            return false;
        for (qsizetype i = 0; i < s.size(); ++i) {
            const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? s[i] != u'-' : !isHex(s[i]))
                return false;
        }
        return true;
    case Format::DateTime:
        return s.size() >= 19 && s[10] == u'T' && QDateTime::fromString(s.toString(), Qt::ISODate).isValid();
    case Format::Url:
        return (s.startsWith(u"https://") && s.size() > 8) || (s.startsWith(u"http://") && s.size() > 7);
    }
    return false;
}

QString formatRange(double low, double high)
{
    return low == high ? QString::number(low) : QString::number(low) + u".." + QString::number(high);
}

// The path of a value inside the body, built into text only when there is a problem.
struct Path
{
    const Path *parent = nullptr;
    QStringView key;
    qsizetype index = -1;

    QString toString() const
    {
        if (!parent)
            return QStringLiteral("body");
        // Members of the body are named without a prefix: "user.rank", not "body.user.rank".
        QString text = parent->parent || index >= 0 ? parent->toString() : QString();
        if (index >= 0)
            return text + u'[' + QString::number(index) + u']';
        return text.isEmpty() ? key.toString() : text + u'.' + key;
    }
};

struct Sink
{
    QStringList *problems;
    int budget;
    bool overflowed = false;

    bool full() const { return overflowed; }
    void add(const Path &path, const QString &message)
    {
        if (budget > 0) {
            problems->append(path.toString() + u": " + message);
            --budget;
        } else {
            overflowed = true;
        }
    }
};

// Whether a string value has the format; the text is converted only as needed.
bool textMatchesFormat(Format format, const QJsonValue &value)
{
    return matchesFormat(format, value.toString());
}

bool textMatchesFormat(Format format, const FlatJson::Value &value)
{
    FlatJson::Value::TextBuffer buffer;
    return matchesFormat(format, value.text(buffer));
}

// A value as QJsonValue, for comparing it with the values of an "enum".
const QJsonValue &jsonOf(const QJsonValue &value)
{
    return value;
}

QJsonValue jsonOf(const FlatJson::Value &value)
{
    return value.toJsonValue();
}

} // namespace

struct Schema::Node
{
    quint8 types = 0; // TypeBit set; 0 accepts every type
    Format format = Format::None;
    QStringList required;
    QStringList propertyNames;
    std::vector<Node> properties;
    std::vector<Node> items; // none or one
    QList<std::pair<double, double>> ranges;
    QJsonArray enumValues;
    QString expected; // "null or a language id", used in problems

    bool compile(const OrderedJson &json, const QString &path, QString *error);
    // For QJsonValue and FlatJson::Value alike.
    template<typename Value> void validate(const Value &value, const Path &path, Sink &sink) const;
};

namespace {

QString schemaPath(const QString &path)
{
    return path.isEmpty() ? QStringLiteral("schema") : u"schema of " + path;
}

} // namespace

bool Schema::Node::compile(const OrderedJson &json, const QString &path, QString *error)
{
    auto fail = [&](const QString &message) {
        *error = schemaPath(path) + u": " + message;
        return false;
    };
    if (!json.isObject())
        return fail(QStringLiteral("a schema must be an object"));

    for (qsizetype i = 0; i < json.size(); ++i) {
        const QString &key = json.keys()[i];
        const OrderedJson &value = json.at(i);
        if (key == u"type") {
            QList<OrderedJson> names;
            if (value.isArray()) {
                for (qsizetype j = 0; j < value.size(); ++j)
                    names.append(value.at(j));
            } else {
                names.append(value);
            }
            QStringList phrases;
            for (const OrderedJson &name : names) {
                const auto it = std::find_if(std::begin(typeNames), std::end(typeNames),
                                             [&](const TypeName &t) { return name.isString() && name.toString() == t.name; });
                if (it == std::end(typeNames))
                    return fail(u"unknown type " + QString::fromUtf8(name.toJson(0)));
                types |= it->bit;
                phrases.append(it->phrase);
            }
            expected = phrases.join(QLatin1String(" or "));
        } else if (key == u"format") {
            const auto it = std::find_if(std::begin(formatNames), std::end(formatNames),
                                         [&](const FormatName &f) { return value.isString() && value.toString() == f.name; });
            if (it == std::end(formatNames))
                return fail(u"unknown format " + QString::fromUtf8(value.toJson(0)));
            format = it->format;
        } else if (key == u"required") {
            if (!value.isArray())
                return fail(QStringLiteral("\"required\" must be a list of member names"));
            for (qsizetype j = 0; j < value.size(); ++j) {
                if (!value.at(j).isString())
                    return fail(QStringLiteral("\"required\" must be a list of member names"));
                required.append(value.at(j).toString());
            }
        } else if (key == u"properties") {
            if (!value.isObject())
                return fail(QStringLiteral("\"properties\" must be an object"));
            for (qsizetype j = 0; j < value.size(); ++j) {
                const QString &name = value.keys()[j];
                Node child;
                if (!child.compile(value.at(j), path.isEmpty() ? name : path + u'.' + name, error))
                    return false;
                propertyNames.append(name);
                properties.push_back(std::move(child));
            }
        } else if (key == u"items") {
            Node child;
            if (!child.compile(value, path + u"[]", error))
                return false;
            items.push_back(std::move(child));
        } else if (key == u"ranges") {
            bool ok = value.isArray() && value.size() > 0;
            for (qsizetype j = 0; ok && j < value.size(); ++j) {
                const OrderedJson &pair = value.at(j);
                ok = pair.isArray() && pair.size() == 2 && pair.at(0).isNumber() && pair.at(1).isNumber();
                if (ok) {
                    const double low = pair.at(0).numberText().toDouble();
                    const double high = pair.at(1).numberText().toDouble();
                    ok = low <= high;
                    ranges.append({low, high});
                }
            }
            if (!ok)
                return fail(QStringLiteral("\"ranges\" must be a list of [min, max] pairs"));
        } else if (key == u"enum") {
            if (!value.isArray() || value.size() == 0)
                return fail(QStringLiteral("\"enum\" must be a non-empty list"));
            enumValues = value.toJsonValue().toArray();
        } else if (key != u"description") {
            return fail(u"unknown schema keyword \"" + key + u'"');
        }
    }

    if (format != Format::None) {
        if (types != 0 && !(types & StringBit))
            return fail(QStringLiteral("\"format\" applies to strings only"));
        const auto it = std::find_if(std::begin(formatNames), std::end(formatNames),
                                     [&](const FormatName &f) { return f.format == format; });
        expected.replace(QLatin1String("a string"), it->phrase);
        if (types == 0)
            expected = it->phrase;
    }
    if (!ranges.isEmpty()) {
        if (types != 0 && !(types & (IntegerBit | NumberBit)))
            return fail(QStringLiteral("\"ranges\" apply to numbers only"));
        QStringList parts;
        for (const auto &[low, high] : std::as_const(ranges))
            parts.append(formatRange(low, high));
        expected = (expected.isEmpty() ? QStringLiteral("a number") : expected) + u" in " + parts.join(QLatin1String(" or "));
    }
    if (!required.isEmpty() && types != 0 && !(types & ObjectBit))
        return fail(QStringLiteral("\"required\" applies to objects only"));
    if (expected.isEmpty())
        expected = QStringLiteral("any value");
    return true;
}

template<typename Value> void Schema::Node::validate(const Value &value, const Path &path, Sink &sink) const
{
    if (sink.full())
        return;
    bool typeOk = types == 0;
    if (!typeOk) {
        switch (value.type()) {
        case QJsonValue::Null: typeOk = types & NullBit; break;
        case QJsonValue::Bool: typeOk = types & BooleanBit; break;
        case QJsonValue::Double: {
            const double d = value.toDouble();
            typeOk = (types & NumberBit) || ((types & IntegerBit) && std::isfinite(d) && d == std::trunc(d));
            break;
        }
        case QJsonValue::String: typeOk = types & StringBit; break;
        case QJsonValue::Array: typeOk = types & ArrayBit; break;
        case QJsonValue::Object: typeOk = types & ObjectBit; break;
        case QJsonValue::Undefined: typeOk = false; break;
        }
    }
    if (typeOk && format != Format::None && value.isString())
        typeOk = textMatchesFormat(format, value);
    if (typeOk && !ranges.isEmpty() && value.isDouble()) {
        const double d = value.toDouble();
        typeOk = std::any_of(ranges.cbegin(), ranges.cend(), [d](const auto &r) { return d >= r.first && d <= r.second; });
    }
    if (!typeOk) {
        sink.add(path, u"expected " + expected + u", got " + describeJsonValue(value));
        return;
    }
    if (!enumValues.isEmpty() && !enumValues.contains(jsonOf(value))) {
        QStringList allowed;
        for (const QJsonValue &v : enumValues)
            allowed.append(describeJsonValue(v));
        sink.add(path, u"expected one of " + allowed.join(QLatin1String(", ")) + u", got " + describeJsonValue(value));
        return;
    }

    if (value.isObject()) {
        const auto object = value.toObject();
        for (const QString &name : required) {
            if (!object.contains(name))
                sink.add(Path{&path, name}, QStringLiteral("missing"));
        }
        for (size_t i = 0; i < properties.size(); ++i) {
            const auto member = object.value(propertyNames[qsizetype(i)]);
            if (!member.isUndefined())
                properties[i].validate(member, Path{&path, propertyNames[qsizetype(i)]}, sink);
        }
    } else if (value.isArray() && !items.empty()) {
        const auto array = value.toArray();
        for (qsizetype i = 0; i < array.size() && !sink.full(); ++i)
            items.front().validate(array.at(i), Path{&path, {}, i}, sink);
    }
}

Schema::Schema()
    : m_root(std::make_shared<Node>())
{
}

std::optional<Schema> Schema::compile(const OrderedJson &json, QString *error)
{
    auto root = std::make_shared<Node>();
    QString message;
    if (!root->compile(json, QString(), &message)) {
        if (error)
            *error = message;
        return std::nullopt;
    }
    Schema schema;
    schema.m_root = std::move(root);
    return schema;
}

namespace {

template<typename Value> void validateRoot(const Schema::Node &root, const Value &value, QStringList *problems, int maxProblems)
{
    Sink sink{problems, maxProblems};
    root.validate(value, Path(), sink);
    if (sink.overflowed)
        problems->append(QStringLiteral("(further problems not listed)"));
}

} // namespace

void Schema::validate(const QJsonValue &value, QStringList *problems, int maxProblems) const
{
    validateRoot(*m_root, value, problems, maxProblems);
}

void Schema::validate(const FlatJson::Value &value, QStringList *problems, int maxProblems) const
{
    validateRoot(*m_root, value, problems, maxProblems);
}

QString describeJsonValue(const QJsonValue &value)
{
    QString text;
    switch (value.type()) {
    case QJsonValue::Undefined:
        return QStringLiteral("nothing");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double d = value.toDouble();
        return d == std::trunc(d) && std::abs(d) < 1e15 ? QString::number(qint64(d)) : QString::number(d, 'g', QLocale::FloatingPointShortest);
    }
    case QJsonValue::String:
        text = QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
        text = text.mid(1, text.size() - 2);
        break;
    case QJsonValue::Array:
        text = QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
        break;
    case QJsonValue::Object:
        text = QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
        break;
    }
    constexpr qsizetype limit = 60;
    if (text.size() > limit)
        text = text.left(limit - 1) + u'…';
    return text;
}

} // namespace catalog
