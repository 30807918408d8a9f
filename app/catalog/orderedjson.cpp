#include "orderedjson.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

#include <cmath>

namespace catalog {

namespace {

// Deep enough for any webhook; shallow enough that a hostile body cannot exhaust the stack.
constexpr int MaxDepth = 256;

class Parser
{
public:
    explicit Parser(QByteArrayView text, const OrderedJson::RawMembers *raw = nullptr)
        : m_text(text)
        , m_raw(raw)
    {
    }

    std::optional<OrderedJson> run(QString *error)
    {
        OrderedJson value;
        skipSpace();
        bool ok = parseValue(&value, 0);
        if (ok) {
            skipSpace();
            if (!atEnd())
                ok = fail(QStringLiteral("unexpected text after the JSON value"));
        }
        if (!ok) {
            if (error)
                *error = m_error + u" at offset " + QString::number(m_errorOffset);
            return std::nullopt;
        }
        return value;
    }

private:
    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text[m_pos]; }

    bool fail(const QString &message)
    {
        m_error = message;
        m_errorOffset = m_pos;
        return false;
    }

    bool failUnexpected()
    {
        if (atEnd())
            return fail(QStringLiteral("unexpected end of text"));
        const uchar c = uchar(peek());
        if (c >= 0x20 && c < 0x7f)
            return fail(u"unexpected character '" + QChar(QLatin1Char(char(c))) + u'\'');
        return fail(u"unexpected byte 0x" + QString::number(c, 16));
    }

    void skipSpace()
    {
        while (!atEnd()) {
            const char c = m_text[m_pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                return;
            ++m_pos;
        }
    }

    bool literal(QByteArrayView word)
    {
        if (m_text.sliced(m_pos).startsWith(word)) {
            m_pos += word.size();
            return true;
        }
        return false;
    }

    bool parseValue(OrderedJson *out, int depth)
    {
        switch (peek()) {
        case '{': return parseObject(out, depth + 1);
        case '[': return parseArray(out, depth + 1);
        case '"': {
            QString s;
            if (!parseString(&s))
                return false;
            *out = OrderedJson::fromString(s);
            return true;
        }
        case 't':
            if (literal("true")) {
                *out = OrderedJson::fromBool(true);
                return true;
            }
            break;
        case 'f':
            if (literal("false")) {
                *out = OrderedJson::fromBool(false);
                return true;
            }
            break;
        case 'n':
            if (literal("null")) {
                *out = OrderedJson();
                return true;
            }
            break;
        default:
            if (peek() == '-' || (peek() >= '0' && peek() <= '9'))
                return parseNumber(out);
        }
        return failUnexpected();
    }

    bool parseObject(OrderedJson *out, int depth)
    {
        if (depth > MaxDepth)
            return fail(QStringLiteral("nested too deeply"));
        ++m_pos;
        *out = OrderedJson::makeObject();
        skipSpace();
        if (peek() == '}') {
            ++m_pos;
            return true;
        }
        for (;;) {
            if (peek() != '"')
                return atEnd() ? failUnexpected() : fail(QStringLiteral("expected a member name in quotes"));
            QString key;
            if (!parseString(&key))
                return false;
            skipSpace();
            if (peek() != ':')
                return fail(QStringLiteral("expected ':' after a member name"));
            ++m_pos;
            skipSpace();
            OrderedJson value;
            const qsizetype pointerEnd = m_pointer.size();
            const bool tracked = m_raw && depth <= m_raw->maxDepth;
            if (tracked) {
                m_pointer += u'/';
                m_pointer += QString(key).replace(u'~', QLatin1String("~0")).replace(u'/', QLatin1String("~1"));
            }
            if (tracked && m_raw->wanted(m_pointer)) {
                const qsizetype start = m_pos;
                if (!skipValue())
                    return false;
                // The first of duplicate members counts, as member() finds it.
                if (!m_raw->texts->contains(m_pointer))
                    m_raw->texts->insert(m_pointer, m_text.sliced(start, m_pos - start).toByteArray());
            } else if (!parseValue(&value, depth)) {
                return false;
            }
            m_pointer.truncate(pointerEnd);
            // Duplicates are kept as written; member() finds the first.
            out->appendMember(key, std::move(value));
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
                skipSpace();
                continue;
            }
            if (peek() == '}') {
                ++m_pos;
                return true;
            }
            return atEnd() ? failUnexpected() : fail(QStringLiteral("expected ',' or '}' in an object"));
        }
    }

    bool parseArray(OrderedJson *out, int depth)
    {
        if (depth > MaxDepth)
            return fail(QStringLiteral("nested too deeply"));
        ++m_pos;
        *out = OrderedJson::makeArray();
        skipSpace();
        if (peek() == ']') {
            ++m_pos;
            return true;
        }
        for (;;) {
            OrderedJson value;
            const qsizetype pointerEnd = m_pointer.size();
            if (m_raw && depth <= m_raw->maxDepth)
                m_pointer += u'/' + QString::number(out->size());
            if (!parseValue(&value, depth))
                return false;
            m_pointer.truncate(pointerEnd);
            out->append(std::move(value));
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
                skipSpace();
                continue;
            }
            if (peek() == ']') {
                ++m_pos;
                return true;
            }
            return atEnd() ? failUnexpected() : fail(QStringLiteral("expected ',' or ']' in an array"));
        }
    }

    // Moves past one value without reading it: a string, an object or array to its
    // matching bracket (skipping strings inside), or a literal or number to the
    // next delimiter.
    bool skipValue()
    {
        const qsizetype start = m_pos;
        int nesting = 0;
        while (!atEnd()) {
            const char c = m_text[m_pos];
            if (c == '"') {
                for (++m_pos; !atEnd() && m_text[m_pos] != '"'; ++m_pos) {
                    if (m_text[m_pos] == '\\')
                        ++m_pos;
                }
                if (atEnd())
                    return fail(QStringLiteral("unterminated string"));
                ++m_pos;
            } else if (c == '{' || c == '[') {
                if (++nesting > MaxDepth)
                    return fail(QStringLiteral("nested too deeply"));
                ++m_pos;
            } else if (c == '}' || c == ']') {
                if (nesting == 0)
                    break;
                --nesting;
                ++m_pos;
            } else if (nesting == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
                break;
            } else {
                ++m_pos;
            }
            if (nesting == 0 && (c == '"' || c == '}' || c == ']'))
                break;
        }
        if (nesting > 0)
            return failUnexpected();
        return m_pos > start || failUnexpected();
    }

    bool parseNumber(OrderedJson *out)
    {
        const qsizetype start = m_pos;
        auto digits = [this] {
            const qsizetype from = m_pos;
            while (peek() >= '0' && peek() <= '9')
                ++m_pos;
            return m_pos > from;
        };
        if (peek() == '-')
            ++m_pos;
        if (peek() == '0')
            ++m_pos;
        else if (!digits())
            return failUnexpected();
        if (peek() == '.') {
            ++m_pos;
            if (!digits())
                return failUnexpected();
        }
        if (peek() == 'e' || peek() == 'E') {
            ++m_pos;
            if (peek() == '+' || peek() == '-')
                ++m_pos;
            if (!digits())
                return failUnexpected();
        }
        *out = OrderedJson::fromNumberText(m_text.sliced(start, m_pos - start).toByteArray());
        return true;
    }

    bool hex4(char32_t *out)
    {
        if (m_pos + 4 > m_text.size())
            return fail(QStringLiteral("truncated \\u escape"));
        char32_t value = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = m_text[m_pos];
            value <<= 4;
            if (c >= '0' && c <= '9')
                value |= char32_t(c - '0');
            else if (c >= 'a' && c <= 'f')
                value |= char32_t(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                value |= char32_t(c - 'A' + 10);
            else
                return fail(QStringLiteral("bad hex digit in a \\u escape"));
            ++m_pos;
        }
        *out = value;
        return true;
    }

    bool parseString(QString *out)
    {
        ++m_pos;
        QByteArray utf8;
        qsizetype runStart = m_pos;
        for (;;) {
            if (atEnd())
                return fail(QStringLiteral("unterminated string"));
            const char c = m_text[m_pos];
            if (c == '"') {
                utf8 += m_text.sliced(runStart, m_pos - runStart);
                ++m_pos;
                *out = QString::fromUtf8(utf8);
                return true;
            }
            if (uchar(c) < 0x20)
                return fail(QStringLiteral("control character in a string"));
            if (c != '\\') {
                ++m_pos;
                continue;
            }
            utf8 += m_text.sliced(runStart, m_pos - runStart);
            ++m_pos;
            if (atEnd())
                return fail(QStringLiteral("unterminated string"));
            const char e = m_text[m_pos++];
            switch (e) {
            case '"': utf8 += '"'; break;
            case '\\': utf8 += '\\'; break;
            case '/': utf8 += '/'; break;
            case 'b': utf8 += '\b'; break;
            case 'f': utf8 += '\f'; break;
            case 'n': utf8 += '\n'; break;
            case 'r': utf8 += '\r'; break;
            case 't': utf8 += '\t'; break;
            case 'u': {
                char32_t code = 0;
                if (!hex4(&code))
                    return false;
                if (code >= 0xd800 && code < 0xdc00 && m_text.sliced(m_pos).startsWith("\\u")) {
                    const qsizetype save = m_pos;
                    m_pos += 2;
                    char32_t low = 0;
                    if (!hex4(&low))
                        return false;
                    if (low >= 0xdc00 && low < 0xe000)
                        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
                    else
                        m_pos = save;
                }
                if (code >= 0xd800 && code < 0xe000)
                    code = 0xfffd; // a lone surrogate cannot be represented in UTF-8
                utf8 += QString::fromUcs4(&code, 1).toUtf8();
                break;
            }
            default:
                --m_pos;
                return fail(QStringLiteral("bad escape sequence in a string"));
            }
            runStart = m_pos;
        }
    }

    QByteArrayView m_text;
    qsizetype m_pos = 0;
    const OrderedJson::RawMembers *m_raw;
    QString m_pointer;   // of the value being read, while within m_raw->maxDepth
    QString m_error;
    qsizetype m_errorOffset = 0;
};

void writeString(QByteArray *out, const QString &s)
{
    out->append('"');
    const QByteArray utf8 = s.toUtf8();
    for (const char c : utf8) {
        switch (c) {
        case '"': out->append("\\\""); break;
        case '\\': out->append("\\\\"); break;
        case '\n': out->append("\\n"); break;
        case '\r': out->append("\\r"); break;
        case '\t': out->append("\\t"); break;
        case '\b': out->append("\\b"); break;
        case '\f': out->append("\\f"); break;
        default:
            if (uchar(c) < 0x20) {
                out->append("\\u00");
                out->append("0123456789abcdef"[uchar(c) >> 4]);
                out->append("0123456789abcdef"[uchar(c) & 0xf]);
            } else {
                out->append(c);
            }
        }
    }
    out->append('"');
}

void newline(QByteArray *out, int indent, int depth)
{
    out->append('\n');
    out->append(QByteArray(indent * depth, ' '));
}

} // namespace

OrderedJson OrderedJson::fromBool(bool value)
{
    OrderedJson json;
    json.m_type = Type::Bool;
    json.m_bool = value;
    return json;
}

OrderedJson OrderedJson::fromInteger(qint64 value)
{
    return fromNumberText(QByteArray::number(value));
}

OrderedJson OrderedJson::fromNumberText(const QByteArray &text)
{
    OrderedJson json;
    json.m_type = Type::Number;
    json.m_number = text;
    return json;
}

OrderedJson OrderedJson::fromString(const QString &value)
{
    OrderedJson json;
    json.m_type = Type::String;
    json.m_string = value;
    return json;
}

OrderedJson OrderedJson::fromJsonValue(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        return fromBool(value.toBool());
    case QJsonValue::Double: {
        const double number = value.toDouble();
        if (!std::isfinite(number))
            return {};
        if (number == std::trunc(number) && std::abs(number) < 9007199254740992.0)   // 2^53: exact as an integer
            return fromInteger(qint64(number));
        return fromNumberText(QByteArray::number(number, 'g', QLocale::FloatingPointShortest));
    }
    case QJsonValue::String:
        return fromString(value.toString());
    case QJsonValue::Array: {
        OrderedJson array = makeArray();
        for (const QJsonValue &element : value.toArray())
            array.append(fromJsonValue(element));
        return array;
    }
    case QJsonValue::Object: {
        OrderedJson object = makeObject();
        const QJsonObject members = value.toObject();
        for (auto it = members.begin(); it != members.end(); ++it)
            object.appendMember(it.key(), fromJsonValue(it.value()));
        return object;
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

OrderedJson OrderedJson::makeArray()
{
    OrderedJson json;
    json.m_type = Type::Array;
    return json;
}

OrderedJson OrderedJson::makeObject()
{
    OrderedJson json;
    json.m_type = Type::Object;
    return json;
}

std::optional<OrderedJson> OrderedJson::parse(QByteArrayView text, QString *error, const RawMembers *raw)
{
    return Parser(text, raw).run(error);
}

QString jsonSyntaxError(QByteArrayView text)
{
    QString error;
    Parser(text).run(&error);
    return error;
}

void OrderedJson::append(OrderedJson value)
{
    Q_ASSERT(m_type == Type::Array);
    m_children.push_back(std::move(value));
}

const OrderedJson *OrderedJson::member(QStringView key) const
{
    const qsizetype index = m_keys.indexOf(key);
    return index < 0 ? nullptr : &m_children[size_t(index)];
}

OrderedJson *OrderedJson::member(QStringView key)
{
    const qsizetype index = m_keys.indexOf(key);
    return index < 0 ? nullptr : &m_children[size_t(index)];
}

void OrderedJson::insert(const QString &key, OrderedJson value)
{
    if (OrderedJson *existing = member(key))
        *existing = std::move(value);
    else
        appendMember(key, std::move(value));
}

void OrderedJson::appendMember(const QString &key, OrderedJson value)
{
    Q_ASSERT(m_type == Type::Object);
    m_keys.append(key);
    m_children.push_back(std::move(value));
}

QByteArray OrderedJson::toJson(int indent) const
{
    QByteArray out;
    write(&out, indent, 0);
    return out;
}

void OrderedJson::write(QByteArray *out, int indent, int depth) const
{
    switch (m_type) {
    case Type::Null: out->append("null"); return;
    case Type::Bool: out->append(m_bool ? "true" : "false"); return;
    case Type::Number: out->append(m_number); return;
    case Type::String: writeString(out, m_string); return;
    case Type::Array:
    case Type::Object:
        break;
    }
    const bool object = m_type == Type::Object;
    out->append(object ? '{' : '[');
    for (size_t i = 0; i < m_children.size(); ++i) {
        if (i > 0)
            out->append(',');
        if (indent > 0)
            newline(out, indent, depth + 1);
        if (object) {
            writeString(out, m_keys[qsizetype(i)]);
            out->append(indent > 0 ? ": " : ":");
        }
        m_children[i].write(out, indent, depth + 1);
    }
    if (indent > 0 && !m_children.empty())
        newline(out, indent, depth);
    out->append(object ? '}' : ']');
}

QJsonValue OrderedJson::toJsonValue() const
{
    switch (m_type) {
    case Type::Null: return QJsonValue(QJsonValue::Null);
    case Type::Bool: return QJsonValue(m_bool);
    case Type::Number: {
        bool integral = false;
        const qint64 integer = m_number.toLongLong(&integral);
        return integral ? QJsonValue(integer) : QJsonValue(m_number.toDouble());
    }
    case Type::String: return QJsonValue(m_string);
    case Type::Array: {
        QJsonArray array;
        for (const OrderedJson &child : m_children)
            array.append(child.toJsonValue());
        return array;
    }
    case Type::Object: {
        QJsonObject object;
        // Reverse order, so that with duplicate names the first one wins as in member().
        for (qsizetype i = size() - 1; i >= 0; --i)
            object.insert(m_keys[i], at(i).toJsonValue());
        return object;
    }
    }
    return {};
}

} // namespace catalog
