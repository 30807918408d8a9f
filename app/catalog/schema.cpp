#include "schema.h"

#include "orderedjson.h"

#define VALIJSON_USE_EXCEPTIONS 1
#include "flatjsonadapter.h"

#include <valijson/adapters/qtjson_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <cmath>
#include <exception>

namespace catalog {

struct Schema::Compiled
{
    valijson::Schema schema;
    QJsonValue document;   // what references resolve against, for wording problems
    QJsonValue source;     // the schema itself
    bool recursive = false;
};

namespace {

using Pointer = QStringList;   // decoded segments

// A key of the document that holds the schema being compiled while valijson reads it.
const QString CompiledKey = QStringLiteral("$hookscope-compiled");

const QSet<QString> &annotationKeywords()
{
    static const QSet<QString> words{
        QStringLiteral("$schema"), QStringLiteral("$id"), QStringLiteral("$comment"), QStringLiteral("title"),
        QStringLiteral("description"), QStringLiteral("default"), QStringLiteral("examples"),
        QStringLiteral("readOnly"), QStringLiteral("writeOnly"), QStringLiteral("contentMediaType"),
        QStringLiteral("contentEncoding"), QStringLiteral("format")};
    return words;
}

const QSet<QString> &assertionKeywords()
{
    static const QSet<QString> words{
        QStringLiteral("type"), QStringLiteral("enum"), QStringLiteral("const"), QStringLiteral("multipleOf"),
        QStringLiteral("maximum"), QStringLiteral("exclusiveMaximum"), QStringLiteral("minimum"),
        QStringLiteral("exclusiveMinimum"), QStringLiteral("maxLength"), QStringLiteral("minLength"),
        QStringLiteral("pattern"), QStringLiteral("maxItems"), QStringLiteral("minItems"),
        QStringLiteral("uniqueItems"), QStringLiteral("maxProperties"), QStringLiteral("minProperties"),
        QStringLiteral("required")};
    return words;
}

QString pointerText(const Pointer &pointer)
{
    QString text;
    for (const QString &segment : pointer)
        text += u'/' + jsonPointerSegment(segment);
    return text;
}

// A problem's place: "/user/rank", or "body" for the whole value.
QString placeOf(const Pointer &pointer)
{
    return pointer.isEmpty() ? QStringLiteral("body") : pointerText(pointer);
}

std::optional<Pointer> decodePointer(QStringView text)
{
    if (text.isEmpty())
        return Pointer();
    if (!text.startsWith(u'/'))
        return std::nullopt;
    Pointer pointer;
    for (QStringView segment : text.sliced(1).split(u'/')) {
        QString decoded = segment.toString();
        decoded.replace(QLatin1String("~1"), QLatin1String("/")).replace(QLatin1String("~0"), QLatin1String("~"));
        pointer.append(decoded);
    }
    return pointer;
}

const QJsonValue *stepInto(const QJsonValue &value, const QString &segment, QJsonValue *holder)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        const auto it = object.constFind(segment);
        if (it == object.constEnd())
            return nullptr;
        *holder = it.value();
        return holder;
    }
    if (value.isArray()) {
        bool ok = false;
        const qsizetype index = segment.toLongLong(&ok);
        const QJsonArray array = value.toArray();
        if (!ok || index < 0 || index >= array.size() || segment != QString::number(index))
            return nullptr;
        *holder = array.at(index);
        return holder;
    }
    return nullptr;
}

std::optional<QJsonValue> resolvePointer(const QJsonValue &document, const Pointer &pointer)
{
    QJsonValue current = document;
    for (const QString &segment : pointer) {
        QJsonValue next;
        if (!stepInto(current, segment, &next))
            return std::nullopt;
        current = next;
    }
    return current;
}

// Reads a schema once before valijson does: every reference resolves inside the
// document, no cycle of references stays on the same value (valijson would recurse
// forever), unknown keywords are listed.
class Linter
{
public:
    explicit Linter(const QJsonValue &document) : m_document(document) {}

    bool run(const QJsonValue &schema, const Pointer &where, QString *error, QStringList *warnings);
    bool recursive() const { return m_recursive; }

private:
    struct Node
    {
        QList<QString> inPlace;   // schemas applied to the same value: $ref, allOf, anyOf, ...
        QList<QString> nested;    // schemas applied to members or elements
    };

    bool visit(const QJsonValue &schema, const Pointer &where, bool documentPointer);
    bool fail(const Pointer &where, const QString &message)
    {
        if (m_error.isEmpty())
            m_error = (where.isEmpty() ? QStringLiteral("schema") : pointerText(where)) + u": " + message;
        return false;
    }
    bool findCycle(const QString &key, bool inPlaceOnly, QStringList *stack, QHash<QString, int> *state) const;

    QJsonValue m_document;
    QHash<QString, Node> m_nodes;
    QString m_error;
    QStringList m_warnings;
    bool m_recursive = false;
};

QString nodeKey(const Pointer &where, bool)
{
    return u'#' + pointerText(where);
}

bool Linter::visit(const QJsonValue &schema, const Pointer &where, bool documentPointer)
{
    const QString key = nodeKey(where, documentPointer);
    if (m_nodes.contains(key))
        return true;
    m_nodes.insert(key, {});
    if (schema.isBool())
        return true;
    if (!schema.isObject())
        return fail(where, u"expected a schema (an object or true/false), got " + describeJsonValue(schema));
    const QJsonObject object = schema.toObject();
    Node node;

    auto child = [&](const QJsonValue &value, Pointer at, bool inPlace) {
        (inPlace ? node.inPlace : node.nested).append(nodeKey(at, documentPointer));
        return visit(value, at, documentPointer);
    };
    auto childList = [&](const QString &keyword, bool inPlace) {
        const QJsonValue value = object.value(keyword);
        if (!value.isArray() || value.toArray().isEmpty())
            return fail(where, u'"' + keyword + u"\" must be a non-empty list of schemas");
        const QJsonArray list = value.toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (!child(list.at(i), where + Pointer{keyword, QString::number(i)}, inPlace))
                return false;
        }
        return true;
    };
    auto childMap = [&](const QString &keyword, bool inPlace, bool allowNameLists) {
        const QJsonValue value = object.value(keyword);
        if (!value.isObject())
            return fail(where, u'"' + keyword + u"\" must be an object of schemas");
        const QJsonObject map = value.toObject();
        for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
            if (allowNameLists && it.value().isArray())
                continue;
            if (!child(it.value(), where + Pointer{keyword, it.key()}, inPlace))
                return false;
        }
        return true;
    };

    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString &word = it.key();
        bool ok = true;
        if (word == u"$ref") {
            if (!it.value().isString())
                return fail(where, QStringLiteral("\"$ref\" must be a string"));
            const QString ref = it.value().toString();
            if (!ref.startsWith(u'#'))
                return fail(where, u"$ref \"" + ref + u"\": only references inside the document (\"#/...\") are supported");
            const std::optional<Pointer> target = decodePointer(QUrl::fromPercentEncoding(ref.sliced(1).toUtf8()));
            if (!target)
                return fail(where, u"$ref \"" + ref + u"\" is not a JSON pointer (\"#/definitions/name\")");
            const std::optional<QJsonValue> resolved = resolvePointer(m_document, *target);
            if (!resolved)
                return fail(where, u"$ref \"" + ref + u"\" leads nowhere in the document");
            node.inPlace.append(nodeKey(*target, true));
            // The schema's own reference target is linted like the schema itself, as part of the document.
            ok = visit(*resolved, *target, true);
        } else if (word == u"properties" || word == u"patternProperties") {
            ok = childMap(word, false, false);
            if (ok && word == u"patternProperties") {
                const QJsonObject map = it.value().toObject();
                for (auto p = map.constBegin(); p != map.constEnd(); ++p) {
                    if (!QRegularExpression(p.key()).isValid())
                        return fail(where + Pointer{word}, u"not a regular expression: \"" + p.key() + u'"');
                }
            }
        } else if (word == u"definitions") {
            ok = childMap(word, false, false);
        } else if (word == u"dependencies") {
            ok = childMap(word, true, true);
        } else if (word == u"additionalProperties" || word == u"additionalItems" || word == u"contains"
                   || word == u"propertyNames") {
            ok = child(it.value(), where + Pointer{word}, false);
        } else if (word == u"items") {
            ok = it.value().isArray() ? childList(word, false) : child(it.value(), where + Pointer{word}, false);
        } else if (word == u"allOf" || word == u"anyOf" || word == u"oneOf") {
            ok = childList(word, true);
        } else if (word == u"not" || word == u"if" || word == u"then" || word == u"else") {
            ok = child(it.value(), where + Pointer{word}, true);
        } else if (word == u"pattern") {
            if (!it.value().isString() || !QRegularExpression(it.value().toString()).isValid())
                return fail(where, u"\"pattern\" is not a regular expression: " + describeJsonValue(it.value()));
        } else if (word == u"type") {
            static const QSet<QString> types{QStringLiteral("null"), QStringLiteral("boolean"), QStringLiteral("integer"),
                                             QStringLiteral("number"), QStringLiteral("string"), QStringLiteral("array"),
                                             QStringLiteral("object")};
            const QJsonArray names = it.value().isArray() ? it.value().toArray() : QJsonArray{it.value()};
            for (const QJsonValue &name : names) {
                if (!name.isString() || !types.contains(name.toString()))
                    return fail(where, u"unknown type " + describeJsonValue(name));
            }
        } else if (word == u"required") {
            const QJsonArray names = it.value().toArray();
            if (!it.value().isArray() || std::any_of(names.begin(), names.end(), [](const QJsonValue &v) { return !v.isString(); }))
                return fail(where, QStringLiteral("\"required\" must be a list of member names"));
        } else if (word == u"enum") {
            if (!it.value().isArray())
                return fail(where, QStringLiteral("\"enum\" must be a list"));
        } else if (!assertionKeywords().contains(word) && !annotationKeywords().contains(word)) {
            m_warnings.append(pointerText(where + Pointer{word}) + u": unknown keyword \"" + word + u"\", ignored");
        }
        if (!ok)
            return false;
    }
    m_nodes.insert(key, node);
    return true;
}

bool Linter::findCycle(const QString &key, bool inPlaceOnly, QStringList *stack, QHash<QString, int> *state) const
{
    // state: 1 on the stack, 2 done
    const int seen = state->value(key);
    if (seen == 2)
        return false;
    if (seen == 1) {
        stack->append(key);
        return true;
    }
    state->insert(key, 1);
    stack->append(key);
    const Node node = m_nodes.value(key);
    QList<QString> next = node.inPlace;
    if (!inPlaceOnly)
        next += node.nested;
    for (const QString &successor : std::as_const(next)) {
        if (findCycle(successor, inPlaceOnly, stack, state))
            return true;
    }
    stack->removeLast();
    state->insert(key, 2);
    return false;
}

bool Linter::run(const QJsonValue &schema, const Pointer &where, QString *error, QStringList *warnings)
{
    const bool ok = visit(schema, where, true);
    if (warnings)
        *warnings += m_warnings;
    if (!ok) {
        *error = m_error;
        return false;
    }
    // In the order of the places, so that a cycle is always told from the same start.
    QStringList keys = m_nodes.keys();
    keys.sort();
    QHash<QString, int> state;
    for (const QString &key : std::as_const(keys)) {
        QStringList stack;
        if (findCycle(key, true, &stack, &state)) {
            const QString start = stack.back();
            QStringList cycle = stack.mid(stack.indexOf(start));
            for (QString &step : cycle)
                step = step.sliced(1).isEmpty() ? QStringLiteral("#") : step.sliced(1);
            *error = cycle.front() + u": $ref cycle that never reaches into the value: " + cycle.join(QLatin1String(" -> "));
            return false;
        }
    }
    state.clear();
    for (qsizetype i = 0; i < keys.size() && !m_recursive; ++i) {
        QStringList stack;
        m_recursive = findCycle(keys[i], false, &stack, &state);
    }
    return true;
}

// ---- wording problems ----------------------------------------------------------------------------

struct FormatName
{
    QLatin1String name;
    QLatin1String phrase;
};

const FormatName formatNames[] = {
    {QLatin1String("objectid"), QLatin1String("a 24-hex-digit ObjectId")},
    {QLatin1String("language"), QLatin1String("a language id (like \"python\")")},
    {QLatin1String("sha1"), QLatin1String("a 40-hex-digit commit SHA")},
    {QLatin1String("uuid"), QLatin1String("a GUID")},
    {QLatin1String("date-time"), QLatin1String("an ISO 8601 date-time")},
    {QLatin1String("date"), QLatin1String("a date (2024-05-31)")},
    {QLatin1String("time"), QLatin1String("a time of day (13:45:00Z)")},
    {QLatin1String("uri"), QLatin1String("a URI")},
    {QLatin1String("url"), QLatin1String("an http(s) URL")},
    {QLatin1String("email"), QLatin1String("an email address")},
};

QString numberText(double d)
{
    return d == std::trunc(d) && std::abs(d) < 1e15 ? QString::number(qint64(d))
                                                    : QString::number(d, 'g', QLocale::FloatingPointShortest);
}

// "-8..-1", "at least 1", "below 10": the bounds one schema puts on a number, or empty.
QString rangeOf(const QJsonObject &schema)
{
    const bool hasMin = schema.contains(u"minimum");
    const bool hasMax = schema.contains(u"maximum");
    const bool exMin = schema.value(u"exclusiveMinimum").isDouble();
    const bool exMax = schema.value(u"exclusiveMaximum").isDouble();
    QStringList parts;
    if (hasMin && hasMax && !exMin && !exMax)
        return numberText(schema.value(u"minimum").toDouble()) + u".." + numberText(schema.value(u"maximum").toDouble());
    if (hasMin)
        parts.append(u"at least " + numberText(schema.value(u"minimum").toDouble()));
    if (exMin)
        parts.append(u"above " + numberText(schema.value(u"exclusiveMinimum").toDouble()));
    if (hasMax)
        parts.append(u"at most " + numberText(schema.value(u"maximum").toDouble()));
    if (exMax)
        parts.append(u"below " + numberText(schema.value(u"exclusiveMaximum").toDouble()));
    return parts.join(QLatin1String(" and "));
}

// What both lists hold, in the order of the first; the second when they hold nothing in common.
QStringList intersected(const QStringList &first, const QStringList &second)
{
    QStringList both;
    for (const QString &item : first) {
        if (second.contains(item))
            both.append(item);
    }
    return both.isEmpty() ? second : both;
}

class Wording
{
public:
    explicit Wording(const QJsonValue &document) : m_document(document) {}

    // Every schema that applies to the value at `pointer`, with references, allOf,
    // anyOf and oneOf opened.
    QList<QJsonObject> schemasAt(const QJsonValue &schema, const Pointer &pointer) const
    {
        QList<QJsonObject> current;
        open(schema, &current, 0);
        for (const QString &segment : pointer) {
            QList<QJsonObject> next;
            for (const QJsonObject &s : std::as_const(current)) {
                bool named = false;
                const QJsonObject properties = s.value(u"properties").toObject();
                if (properties.contains(segment)) {
                    open(properties.value(segment), &next, 0);
                    named = true;
                }
                const QJsonObject patterns = s.value(u"patternProperties").toObject();
                for (auto it = patterns.constBegin(); it != patterns.constEnd(); ++it) {
                    if (QRegularExpression(it.key()).match(segment).hasMatch()) {
                        open(it.value(), &next, 0);
                        named = true;
                    }
                }
                if (!named && s.value(u"additionalProperties").isObject())
                    open(s.value(u"additionalProperties"), &next, 0);
                const QJsonValue items = s.value(u"items");
                if (items.isObject())
                    open(items, &next, 0);
                else if (items.isArray())
                    open(items.toArray().at(segment.toInt()), &next, 0);
            }
            current = next;
        }
        return current;
    }

    // What the schemas want, in words: "an integer in -8..-1 or 1..8", "null or a language id".
    QString expected(const QList<QJsonObject> &schemas) const
    {
        QString enumPhrase;
        QStringList enumValues;
        QStringList types;
        QString format;
        QString pattern;
        QStringList ranges;
        QString length;
        for (const QJsonObject &s : schemas) {
            if (s.value(u"enum").isArray()) {
                // Several schemas at one place (allOf): only what all of them allow.
                QStringList allowed;
                for (const QJsonValue &v : s.value(u"enum").toArray())
                    allowed.append(describeJsonValue(v));
                enumValues = enumValues.isEmpty() ? allowed : intersected(enumValues, allowed);
            }
            if (enumPhrase.isEmpty() && s.contains(u"const"))
                enumPhrase = describeJsonValue(s.value(u"const"));
            if (s.contains(u"type")) {
                QStringList own;
                const QJsonValue type = s.value(u"type");
                for (const QJsonValue &name : type.isArray() ? type.toArray() : QJsonArray{type})
                    own.append(name.toString());
                types = types.isEmpty() ? own : intersected(types, own);
            }
            if (format.isEmpty() && s.value(u"format").isString()) {
                const QString name = s.value(u"format").toString();
                for (const FormatName &known : formatNames) {
                    if (name == known.name)
                        format = known.phrase;
                }
            }
            if (pattern.isEmpty() && s.value(u"pattern").isString())
                pattern = s.value(u"pattern").toString();
            if (const QString range = rangeOf(s); !range.isEmpty())
                ranges.append(range);
            for (const QLatin1String keyword : {QLatin1String("anyOf"), QLatin1String("oneOf")}) {
                // Alternatives that only bound a number: "in -8..-1 or 1..8".
                QStringList alternatives;
                for (const QJsonValue &branch : s.value(keyword).toArray()) {
                    const QString range = rangeOf(branch.toObject());
                    if (range.isEmpty()) {
                        alternatives.clear();
                        break;
                    }
                    alternatives.append(range);
                }
                if (!alternatives.isEmpty())
                    ranges.append(alternatives.join(QLatin1String(" or ")));
            }
            if (length.isEmpty() && (s.contains(u"minLength") || s.contains(u"maxLength"))) {
                const int low = s.value(u"minLength").toInt(0);
                const int high = s.value(u"maxLength").toInt(-1);
                length = high < 0 ? QString(u"of at least " + QString::number(low) + u" characters")
                                  : QString(u"of " + QString::number(low) + u".." + QString::number(high) + u" characters");
            }
        }
        if (!enumValues.isEmpty())
            return u"one of " + enumValues.join(QLatin1String(", "));
        if (!enumPhrase.isEmpty())
            return enumPhrase;

        static const QHash<QString, QString> typePhrases{
            {QStringLiteral("null"), QStringLiteral("null")},         {QStringLiteral("boolean"), QStringLiteral("a boolean")},
            {QStringLiteral("integer"), QStringLiteral("an integer")}, {QStringLiteral("number"), QStringLiteral("a number")},
            {QStringLiteral("string"), QStringLiteral("a string")},    {QStringLiteral("array"), QStringLiteral("an array")},
            {QStringLiteral("object"), QStringLiteral("an object")}};
        const QString stringPhrase = !format.isEmpty() ? format
            : !pattern.isEmpty()                       ? u"a string matching " + pattern
                                                       : QStringLiteral("a string");
        QStringList phrases;
        for (const QString &type : std::as_const(types))
            phrases.append(type == u"string" ? stringPhrase : typePhrases.value(type, type));
        if (types.isEmpty() && (!format.isEmpty() || !pattern.isEmpty()))
            phrases.append(stringPhrase);
        if (types.isEmpty() && !ranges.isEmpty())
            phrases.append(QStringLiteral("a number"));
        QString text = phrases.join(QLatin1String(" or "));
        if (!ranges.isEmpty()) {
            const bool spans = std::all_of(ranges.cbegin(), ranges.cend(), [](const QString &r) { return r.contains(u".."); });
            text += spans ? QStringLiteral(" in ") : QStringLiteral(" ");
            text += ranges.join(QLatin1String(" and "));
        }
        if (!length.isEmpty())
            text += u' ' + length;
        return text;
    }

private:
    void open(const QJsonValue &schema, QList<QJsonObject> *out, int depth) const
    {
        if (!schema.isObject() || depth > 16)
            return;
        const QJsonObject object = schema.toObject();
        if (object.value(u"$ref").isString()) {
            const QString ref = object.value(u"$ref").toString();
            const std::optional<Pointer> target = decodePointer(QUrl::fromPercentEncoding(ref.sliced(1).toUtf8()));
            if (const std::optional<QJsonValue> resolved = target ? resolvePointer(m_document, *target) : std::nullopt)
                open(*resolved, out, depth + 1);
            return;
        }
        out->append(object);
        for (const QLatin1String keyword : {QLatin1String("allOf"), QLatin1String("anyOf"), QLatin1String("oneOf")}) {
            for (const QJsonValue &branch : object.value(keyword).toArray()) {
                // Alternatives that only bound a number are worded by their parent.
                if (keyword != QLatin1String("allOf") && rangeOf(branch.toObject()).size() > 0)
                    continue;
                open(branch, out, depth + 1);
            }
        }
    }

    QJsonValue m_document;
};

// The value at a pointer, for quoting it in a problem.
QJsonValue valueAt(const FlatJson::Value &root, const Pointer &pointer)
{
    FlatJson::Value current = root;
    for (const QString &segment : pointer) {
        if (current.isArray())
            current = current.toArray().at(segment.toLongLong());
        else
            current = current.toObject().value(segment);
    }
    return current.toJsonValue();
}

QString lowerFirst(std::string_view description)
{
    QString text = QString::fromUtf8(description.data(), qsizetype(description.size()));
    if (text.endsWith(u'.'))
        text.chop(1);
    if (!text.isEmpty())
        text[0] = text[0].toLower();
    return text;
}

bool startsWith(const std::string &text, std::string_view prefix)
{
    return text.compare(0, prefix.size(), prefix) == 0;
}

// A quoted name at the end of a valijson message: "Missing required property 'rank'."
QString quotedTail(const std::string &description)
{
    const size_t end = description.rfind('\'');
    const size_t start = end == std::string::npos || end == 0 ? std::string::npos : description.rfind('\'', end - 1);
    if (start == std::string::npos)
        return QString();
    return QString::fromStdString(description.substr(start + 1, end - start - 1));
}

bool isCompound(const std::string &description)
{
    return startsWith(description, "Failed to validate") || startsWith(description, "Cannot validate");
}

// valijson checks a value against a keyword and the message says which keyword failed.
bool isAboutTheValue(const std::string &description)
{
    for (std::string_view prefix :
         {"Value type not permitted", "Failed to match against any enum", "Failed to match expected value",
          "Expected number", "Value should be a multiple", "Failed to match regex", "String should be",
          "Failed to validate against any schemas allowed by anyOf",
          "Failed to validate against any child schemas allowed by oneOf"}) {
        if (startsWith(description, prefix))
            return true;
    }
    return false;
}

struct Problem
{
    Pointer pointer;
    QString text;
};

QList<Problem> wordProblems(const Schema::Compiled &compiled, const valijson::ValidationResults &results,
                            const FlatJson::Value &value)
{
    struct Raw
    {
        Pointer pointer;
        std::string description;
    };
    QList<Raw> raw;
    for (auto it = results.begin(); it != results.end(); ++it) {
        Raw entry;
        for (size_t i = 1; i < it->context.size(); ++i) {
            const std::string &step = it->context[i];
            entry.pointer.append(QString::fromStdString(step.size() >= 2 ? step.substr(1, step.size() - 2) : step));
        }
        entry.description = it->description;
        raw.append(entry);
    }
    auto under = [](const Pointer &inner, const Pointer &outer) {
        return inner.size() >= outer.size() && std::equal(outer.begin(), outer.end(), inner.begin());
    };

    const Wording wording(compiled.document);
    QList<Problem> problems;
    QSet<QString> worded;
    for (const Raw &entry : std::as_const(raw)) {
        if (isCompound(entry.description) && !isAboutTheValue(entry.description)) {
            const bool explainedBelow = std::any_of(raw.cbegin(), raw.cend(), [&](const Raw &other) {
                return &other != &entry && !isCompound(other.description) && under(other.pointer, entry.pointer);
            });
            if (explainedBelow)
                continue;
        }
        Problem problem{entry.pointer, QString()};
        if (startsWith(entry.description, "Failed to validate against schema associated with property name")) {
            problem.pointer.append(quotedTail(entry.description));
            problem.text = QStringLiteral("does not match its schema");
        } else if (startsWith(entry.description, "Missing required property")) {
            problem.pointer.append(quotedTail(entry.description));
            problem.text = QStringLiteral("missing");
        } else if (startsWith(entry.description, "Object contains a property that could not be validated")) {
            problem.pointer.append(quotedTail(entry.description));
            problem.text = QStringLiteral("not allowed here");
        } else if (isAboutTheValue(entry.description)) {
            const QString expected = wording.expected(wording.schemasAt(compiled.source, entry.pointer));
            problem.text = (expected.isEmpty() ? lowerFirst(entry.description) : u"expected " + expected) + u", got "
                + describeJsonValue(valueAt(value, entry.pointer));
        } else {
            problem.text = lowerFirst(entry.description);
        }
        const QString key = pointerText(problem.pointer) + u'\n' + problem.text;
        if (worded.contains(key))
            continue;
        // One wording of what is expected per place is enough.
        if (problem.text.startsWith(u"expected ")) {
            const QString place = pointerText(problem.pointer) + u"\nexpected";
            if (worded.contains(place))
                continue;
            worded.insert(place);
        }
        worded.insert(key);
        problems.append(problem);
    }
    return problems;
}

bool deeperThan(const FlatJson::Value &value, int limit)
{
    if (limit < 0)
        return true;
    if (value.isArray()) {
        const FlatJson::Array array = value.toArray();
        for (auto it = array.begin(); it != array.end(); ++it) {
            if (deeperThan(*it, limit - 1))
                return true;
        }
        return false;
    }
    if (value.isObject()) {
        const FlatJson::Object object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (deeperThan(it.value(), limit - 1))
                return true;
        }
    }
    return false;
}

valijson::Validator &validator()
{
    // valijson's Validator caches compiled patterns and so is not shared between threads.
    thread_local valijson::Validator instance(valijson::Validator::kStrongTypes);
    return instance;
}

} // namespace

Schema::Schema() = default;

QJsonValue Schema::withoutFormats(const QJsonValue &schema)
{
    if (!schema.isObject())
        return schema;
    auto each = [](const QJsonValue &value, bool list) {
        if (list ? !value.isArray() : !value.isObject())
            return value;
        if (list) {
            QJsonArray out;
            for (const QJsonValue &item : value.toArray())
                out.append(withoutFormats(item));
            return QJsonValue(out);
        }
        QJsonObject out;
        const QJsonObject map = value.toObject();
        for (auto it = map.constBegin(); it != map.constEnd(); ++it)
            out.insert(it.key(), withoutFormats(it.value()));
        return QJsonValue(out);
    };
    QJsonObject out;
    const QJsonObject object = schema.toObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString &word = it.key();
        if (word == u"format")
            continue;
        if (word == u"properties" || word == u"patternProperties" || word == u"definitions" || word == u"dependencies")
            out.insert(word, each(it.value(), false));
        else if (word == u"allOf" || word == u"anyOf" || word == u"oneOf")
            out.insert(word, each(it.value(), true));
        else if (word == u"items")
            out.insert(word, it.value().isArray() ? each(it.value(), true) : withoutFormats(it.value()));
        else if (word == u"additionalProperties" || word == u"additionalItems" || word == u"contains"
                 || word == u"propertyNames" || word == u"not" || word == u"if" || word == u"then" || word == u"else")
            out.insert(word, withoutFormats(it.value()));
        else
            out.insert(word, it.value());
    }
    return out;
}

std::optional<Schema> Schema::compile(const QJsonValue &document, const QString &at, QString *error, QStringList *warnings)
{
    return compile(document, withoutFormats(document), at, error, warnings);
}

std::optional<Schema> Schema::compile(const QJsonValue &document, const QJsonValue &checkedDocument, const QString &at,
                                      QString *error, QStringList *warnings)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const std::optional<Pointer> where = decodePointer(at);
    if (!where)
        return fail(u"\"" + at + u"\" is not a JSON pointer");
    const std::optional<QJsonValue> schema = resolvePointer(document, *where);
    if (!schema)
        return fail(at + u": no schema there");

    Linter linter(document);
    QString lintError;
    // Pointers inside the schema read as places in the document.
    if (!linter.run(*schema, *where, &lintError, warnings))
        return fail(lintError);

    auto compiled = std::make_shared<Compiled>();
    compiled->document = document;
    compiled->source = *schema;
    compiled->recursive = linter.recursive();
    try {
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        QJsonValue root = checkedDocument;
        if (!where->isEmpty() && checkedDocument.isObject()) {
            // valijson reads the schema at the document's root: point it at ours.
            QJsonObject wrapper = checkedDocument.toObject();
            wrapper.insert(QStringLiteral("$ref"), QString(u'#' + at));
            root = wrapper;
        }
        const valijson::adapters::QtJsonAdapter adapter(root);
        parser.populateSchema(adapter, compiled->schema);
    } catch (const std::exception &e) {
        return fail((at.isEmpty() ? QStringLiteral("schema") : at) + u": " + QString::fromUtf8(e.what()));
    }
    Schema result;
    result.d = std::move(compiled);
    return result;
}

std::optional<Schema> Schema::compile(const OrderedJson &json, QString *error, QStringList *warnings)
{
    return compile(json.toJsonValue(), QString(), error, warnings);
}

void Schema::validate(const FlatJson::Value &value, QStringList *problems, int maxProblems) const
{
    if (!d)
        return;
    if (d->recursive && deeperThan(value, MaxRecursiveDepth)) {
        problems->append(u"body: nested deeper than " + QString::number(MaxRecursiveDepth)
                         + u" levels; not checked against the schema");
        return;
    }
    if (validator().validate(d->schema, valijsonadapter::Adapter(value), nullptr))
        return;
    valijson::ValidationResults results;
    validator().validate(d->schema, valijsonadapter::Adapter(value), &results);
    QList<Problem> found = wordProblems(*d, results, value);
    // Some refusals come without a reason (a schema that is false, propertyNames).
    if (found.isEmpty())
        found.append({Pointer(), QStringLiteral("not accepted by the schema")});
    for (qsizetype i = 0; i < found.size(); ++i) {
        if (i == maxProblems) {
            problems->append(QStringLiteral("(further problems not listed)"));
            break;
        }
        problems->append(placeOf(found[i].pointer) + u": " + found[i].text);
    }
}

void Schema::validate(const QJsonValue &value, QStringList *problems, int maxProblems) const
{
    // Texts that only QJsonDocument reads are rare; they are checked as FlatJson reads them again.
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    FlatJson json;
    if (!json.parse(text)) {
        problems->append(QStringLiteral("body: too deeply nested to check against the schema"));
        return;
    }
    validate(json.root().toArray().at(0), problems, maxProblems);
}

QString jsonPointerSegment(QStringView name)
{
    QString text = name.toString();
    return text.replace(u'~', QLatin1String("~0")).replace(u'/', QLatin1String("~1"));
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
    case QJsonValue::Double:
        return numberText(value.toDouble());
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
