#include "flatjson.h"

#include "schema.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLatin1StringView>
#include <QUtf8StringView>
#include <QtEndian>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace catalog {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// How many of the bytes from text[pos] on are plain ASCII inside a string
// (0x20 to 0x7F, neither '"' nor '\\'), read eight at a time: webhook bodies
// are mostly long runs of them, and a byte at a time they cost most of a
// 64 KiB body's check.
qsizetype plainRun(QByteArrayView text, qsizetype pos)
{
    constexpr quint64 Ones = 0x0101010101010101;
    constexpr quint64 Highs = 0x8080808080808080;
    // The high bit of each byte that is zero; only the lowest one is exact,
    // as a borrow can mark the bytes above it.
    const auto zeroBytes = [](quint64 v) { return (v - Ones) & ~v & Highs; };
    const qsizetype start = pos;
    while (pos + 8 <= text.size()) {
        quint64 word;
        std::memcpy(&word, text.data() + pos, sizeof word);
        word = qFromLittleEndian(word);   // the lowest bits: the first byte
        const quint64 special = zeroBytes(word ^ (Ones * '"')) | zeroBytes(word ^ (Ones * '\\'))
            | ((word - Ones * 0x20) & ~word & Highs)   // below 0x20
            | (word & Highs);                          // 0x80 and above
        if (special != 0)
            return pos - start + std::countr_zero(special) / 8;
        pos += 8;
    }
    return pos - start;
}

// The length of the UTF-8 sequence starting at text[pos], or 0 when it is not
// valid (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF), as
// QJsonDocument refuses those.
qsizetype utf8Sequence(QByteArrayView text, qsizetype pos)
{
    const auto byte = [&](qsizetype i) { return pos + i < text.size() ? uchar(text[pos + i]) : 0; };
    const auto continuation = [&](qsizetype i) { return (byte(i) & 0xC0) == 0x80; };
    const uchar lead = byte(0);
    if (lead >= 0xC2 && lead <= 0xDF)
        return continuation(1) ? 2 : 0;
    if (lead >= 0xE0 && lead <= 0xEF) {
        const uchar second = byte(1);
        if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F))
            return 0;   // overlong, or a surrogate
        return continuation(1) && continuation(2) ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        const uchar second = byte(1);
        if ((lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F))
            return 0;   // overlong, or past U+10FFFF
        return continuation(1) && continuation(2) && continuation(3) ? 4 : 0;
    }
    return 0;
}

} // namespace

class FlatJson::Parser
{
public:
    Parser(QByteArrayView text, QVarLengthArray<Node, 48> &nodes) : m_text(text), m_nodes(nodes) {}

    bool document()
    {
        skipSpace();
        if (m_pos >= m_text.size() || (m_text[m_pos] != '{' && m_text[m_pos] != '['))
            return false;
        if (!value(0))
            return false;
        skipSpace();
        return m_pos == m_text.size();
    }

private:
    char peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }

    void skipSpace()
    {
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                return;
            ++m_pos;
        }
    }

    qint32 add(Kind kind)
    {
        Node node;
        node.kind = kind;
        m_nodes.append(node);
        return qint32(m_nodes.size() - 1);
    }

    void close(qint32 index) { m_nodes[index].end = qint32(m_nodes.size()); }

    bool value(int depth)
    {
        switch (peek()) {
        case '{': return container(depth + 1, Kind::Object);
        case '[': return container(depth + 1, Kind::Array);
        case '"': return string();
        case 't': return literal("true", Kind::True);
        case 'f': return literal("false", Kind::False);
        case 'n': return literal("null", Kind::Null);
        default: return number();
        }
    }

    bool literal(QByteArrayView word, Kind kind)
    {
        if (!m_text.sliced(m_pos).startsWith(word))
            return false;
        m_pos += word.size();
        close(add(kind));
        return true;
    }

    // An object or an array: its entries, separated by commas, up to the closing
    // bracket. An object's entry is a member name, a colon and a value.
    bool container(int depth, Kind kind)
    {
        if (depth > MaxDepth)
            return false;
        const bool object = kind == Kind::Object;
        const char closing = object ? '}' : ']';
        const qint32 index = add(kind);
        ++m_pos;   // { or [
        skipSpace();
        if (peek() == closing) {
            ++m_pos;
            close(index);
            return true;
        }
        qint32 count = 0;
        for (;;) {
            if (object) {
                if (peek() != '"' || !string())
                    return false;
                skipSpace();
                if (peek() != ':')
                    return false;
                ++m_pos;
                skipSpace();
            }
            if (!value(depth))
                return false;
            ++count;
            skipSpace();
            const char next = peek();
            ++m_pos;
            if (next == closing)
                break;
            if (next != ',')
                return false;
            skipSpace();
        }
        m_nodes[index].count = count;
        close(index);
        return true;
    }

    bool string()
    {
        const qint32 index = add(Kind::String);
        ++m_pos;   // "
        const qsizetype start = m_pos;
        Text text = Text::Ascii;
        for (;;) {
            m_pos += plainRun(m_text, m_pos);
            if (m_pos >= m_text.size())
                return false;
            const uchar c = uchar(m_text[m_pos]);
            if (c == '"')
                break;
            if (c < 0x20) {
                return false;   // RFC 8259 wants these escaped
            } else if (c == '\\') {
                text = Text::Escaped;
                switch (m_pos + 1 < m_text.size() ? m_text[m_pos + 1] : '\0') {
                case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                    m_pos += 2;
                    break;
                case 'u': {
                    // A surrogate must come as a pair: QJsonDocument takes a lone
                    // one, but then orders such member names inconsistently.
                    const int unit = unicodeEscape(m_pos);
                    if (unit < 0 || (unit >= 0xDC00 && unit <= 0xDFFF))
                        return false;
                    m_pos += 6;
                    if (unit >= 0xD800 && unit <= 0xDBFF) {
                        const int low = unicodeEscape(m_pos);
                        if (low < 0xDC00 || low > 0xDFFF)
                            return false;
                        m_pos += 6;
                    }
                    break;
                }
                default:
                    return false;
                }
            } else if (c >= 0x80) {
                const qsizetype length = utf8Sequence(m_text, m_pos);
                if (length == 0)
                    return false;
                if (text == Text::Ascii)
                    text = Text::Utf8;
                m_pos += length;
            } else {
                ++m_pos;
            }
        }
        Node &node = m_nodes[index];
        node.text = text;
        node.offset = qint32(start);
        node.size = qint32(m_pos - start);
        ++m_pos;   // "
        close(index);
        return true;
    }

    // The code unit of the escape \uXXXX at pos, or -1.
    int unicodeEscape(qsizetype pos) const
    {
        if (pos + 6 > m_text.size() || m_text[pos] != '\\' || m_text[pos + 1] != 'u')
            return -1;
        int unit = 0;
        for (qsizetype i = pos + 2; i < pos + 6; ++i) {
            const char c = m_text[i];
            const int digit = isDigit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
            if (digit < 0)
                return -1;
            unit = unit * 16 + digit;
        }
        return unit;
    }

    // number = [ "-" ] int [ frac ] [ exp ], RFC 8259 section 6
    bool number()
    {
        const qsizetype start = m_pos;
        if (peek() == '-')
            ++m_pos;
        if (peek() == '0') {
            ++m_pos;
        } else if (isDigit(peek())) {
            while (isDigit(peek()))
                ++m_pos;
        } else {
            return false;
        }
        if (peek() == '.') {
            ++m_pos;
            if (!isDigit(peek()))
                return false;
            while (isDigit(peek()))
                ++m_pos;
        }
        if (peek() == 'e' || peek() == 'E') {
            ++m_pos;
            if (peek() == '+' || peek() == '-')
                ++m_pos;
            if (!isDigit(peek()))
                return false;
            while (isDigit(peek()))
                ++m_pos;
        }
        double number = 0;
        const char *first = m_text.data() + start;
        const char *last = m_text.data() + m_pos;
        const auto [end, error] = std::from_chars(first, last, number);
        // Out of range either way is refused by QJsonDocument too.
        if (error != std::errc() || end != last || !std::isfinite(number))
            return false;
        const qint32 index = add(Kind::Number);
        Node &node = m_nodes[index];
        node.offset = qint32(start);
        node.size = qint32(m_pos - start);
        close(index);
        return true;
    }

    QByteArrayView m_text;
    QVarLengthArray<Node, 48> &m_nodes;
    qsizetype m_pos = 0;
};

bool FlatJson::parse(QByteArrayView text)
{
    m_text = text;
    m_nodes.clear();
    if (text.size() > std::numeric_limits<qint32>::max())
        return false;
    Parser parser(text, m_nodes);
    if (parser.document())
        return true;
    m_nodes.clear();
    return false;
}

FlatJson::Value FlatJson::root() const
{
    return m_nodes.isEmpty() ? Value() : Value(this, 0);
}

QString FlatJson::stringOf(const Node &node) const
{
    const QByteArrayView raw = bytes(node);
    switch (node.text) {
    case Text::Ascii:
        return QString::fromLatin1(raw);
    case Text::Utf8:
        return QString::fromUtf8(raw);
    case Text::Escaped:
        break;
    }
    // Rare enough to let QJsonDocument decode it, which keeps its handling of
    // every escape (lone surrogates included) exactly.
    const QByteArray wrapped = "[\"" + raw.toByteArray() + "\"]";
    return QJsonDocument::fromJson(wrapped).array().at(0).toString();
}

bool FlatJson::keyEquals(const Node &key, QAnyStringView name) const
{
    switch (key.text) {
    case Text::Ascii:
        return QAnyStringView::equal(QLatin1StringView(bytes(key)), name);
    case Text::Utf8:
        return QAnyStringView::equal(QUtf8StringView(bytes(key)), name);
    case Text::Escaped:
        break;
    }
    return QAnyStringView::equal(stringOf(key), name);
}

QJsonValue::Type FlatJson::Value::type() const
{
    if (isUndefined())
        return QJsonValue::Undefined;
    switch (kind()) {
    case Kind::Null: return QJsonValue::Null;
    case Kind::False:
    case Kind::True: return QJsonValue::Bool;
    case Kind::Number: return QJsonValue::Double;
    case Kind::String: return QJsonValue::String;
    case Kind::Array: return QJsonValue::Array;
    case Kind::Object: return QJsonValue::Object;
    }
    return QJsonValue::Undefined;
}

double FlatJson::Value::toDouble() const
{
    if (!isDouble())
        return 0.0;
    // Read again from the literal, which parse() found valid and in range.
    const QByteArrayView literal = m_json->bytes(m_json->node(m_index));
    double number = 0;
    std::from_chars(literal.data(), literal.data() + literal.size(), number);
    return number;
}

bool FlatJson::Value::toInteger(qint64 *integer) const
{
    if (!isDouble())
        return false;
    const QByteArrayView literal = m_json->bytes(m_json->node(m_index));
    const auto [end, error] = std::from_chars(literal.data(), literal.data() + literal.size(), *integer);
    if (error == std::errc() && end == literal.data() + literal.size())
        return true;
    const double number = toDouble();
    if (std::trunc(number) == number && number >= -0x1p63 && number < 0x1p63) {
        *integer = qint64(number);
        return true;
    }
    return false;
}

bool FlatJson::Value::utf8(QByteArrayView *bytes) const
{
    if (!isString() || m_json->node(m_index).text == Text::Escaped)
        return false;
    *bytes = m_json->bytes(m_json->node(m_index));
    return true;
}

QStringView FlatJson::Value::text(TextBuffer &buffer) const
{
    buffer.clear();
    if (!isString())
        return {};
    const Node &node = m_json->node(m_index);
    if (node.text == Text::Ascii) {
        const QByteArrayView ascii = m_json->bytes(node);
        buffer.resize(ascii.size());
        std::copy(ascii.begin(), ascii.end(), buffer.begin());
    } else {
        const QString decoded = m_json->stringOf(node);
        buffer.append(reinterpret_cast<const char16_t *>(decoded.utf16()), decoded.size());
    }
    return QStringView(buffer.data(), buffer.size());
}

QString FlatJson::Value::toString() const
{
    return isString() ? m_json->stringOf(m_json->node(m_index)) : QString();
}

FlatJson::Object FlatJson::Value::toObject() const
{
    return Object(m_json, isObject() ? m_index : -1);
}

FlatJson::Array FlatJson::Value::toArray() const
{
    return Array(m_json, isArray() ? m_index : -1);
}

QJsonValue FlatJson::Value::toJsonValue() const
{
    switch (type()) {
    case QJsonValue::Undefined:
        return QJsonValue(QJsonValue::Undefined);
    case QJsonValue::Null:
        return QJsonValue(QJsonValue::Null);
    case QJsonValue::Bool:
        return toBool();
    case QJsonValue::Double: {
        // Like QJsonDocument: an integer literal that fits is kept as that integer,
        // and so is any other number with an integral value in range (1.5e3).
        qint64 integer = 0;
        if (toInteger(&integer))
            return integer;
        return toDouble();
    }
    case QJsonValue::String:
        return toString();
    case QJsonValue::Array: {
        QJsonArray array;
        const Array elements = toArray();
        for (qsizetype i = 0; i < elements.size(); ++i)
            array.append(elements.at(i).toJsonValue());
        return array;
    }
    case QJsonValue::Object: {
        QJsonObject object;
        const Node &node = m_json->node(m_index);
        for (qint32 key = m_index + 1; key < node.end; key = m_json->node(key + 1).end)
            object.insert(m_json->stringOf(m_json->node(key)), Value(m_json, key + 1).toJsonValue());
        return object;
    }
    }
    return QJsonValue();
}

FlatJson::Value FlatJson::Object::value(QAnyStringView name) const
{
    if (m_index < 0)
        return {};
    Value found;
    const Node &node = m_json->node(m_index);
    for (qint32 key = m_index + 1; key < node.end; key = m_json->node(key + 1).end) {
        if (m_json->keyEquals(m_json->node(key), name))
            found = Value(m_json, key + 1);
    }
    return found;
}

qsizetype FlatJson::Object::size() const
{
    return m_index < 0 ? 0 : m_json->node(m_index).count;
}

FlatJson::Object::Iterator &FlatJson::Object::Iterator::operator++()
{
    m_key = m_json->node(m_key + 1).end;
    return *this;
}

FlatJson::Object::Iterator FlatJson::Object::begin() const
{
    return Iterator(m_json, m_index < 0 ? -1 : m_index + 1);
}

FlatJson::Object::Iterator FlatJson::Object::find(QAnyStringView name) const
{
    if (m_index < 0)
        return end();
    qint32 found = -1;
    const Node &node = m_json->node(m_index);
    for (qint32 key = m_index + 1; key < node.end; key = m_json->node(key + 1).end) {
        if (m_json->keyEquals(m_json->node(key), name))
            found = key;
    }
    return found < 0 ? end() : Iterator(m_json, found);
}

FlatJson::Object::Iterator FlatJson::Object::findUtf8(QByteArrayView name) const
{
    if (m_index < 0)
        return end();
    qint32 found = -1;
    const Node &node = m_json->node(m_index);
    for (qint32 key = m_index + 1; key < node.end; key = m_json->node(key + 1).end) {
        const Node &keyNode = m_json->node(key);
        const bool same = keyNode.text == Text::Escaped ? m_json->keyEquals(keyNode, QUtf8StringView(name))
                                                        : m_json->bytes(keyNode) == name;
        if (same)
            found = key;
    }
    return found < 0 ? end() : Iterator(m_json, found);
}

FlatJson::Object::Iterator FlatJson::Object::end() const
{
    return Iterator(m_json, m_index < 0 ? -1 : m_json->node(m_index).end);
}

FlatJson::Array::Iterator &FlatJson::Array::Iterator::operator++()
{
    m_node = m_json->node(m_node).end;
    return *this;
}

FlatJson::Array::Iterator FlatJson::Array::begin() const
{
    return Iterator(m_json, m_index < 0 ? -1 : m_index + 1);
}

FlatJson::Array::Iterator FlatJson::Array::end() const
{
    return Iterator(m_json, m_index < 0 ? -1 : m_json->node(m_index).end);
}

qsizetype FlatJson::Array::size() const
{
    return m_index < 0 ? 0 : m_json->node(m_index).count;
}

FlatJson::Value FlatJson::Array::at(qsizetype i) const
{
    if (i < 0 || i >= size())
        return {};
    if (m_cursorNode < 0 || i < m_cursor) {
        m_cursor = 0;
        m_cursorNode = m_index + 1;
    }
    while (m_cursor < i) {
        m_cursorNode = m_json->node(m_cursorNode).end;
        ++m_cursor;
    }
    return Value(m_json, m_cursorNode);
}

QString describeJsonValue(const FlatJson::Value &value)
{
    return describeJsonValue(value.toJsonValue());
}

} // namespace catalog
