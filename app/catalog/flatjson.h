#pragma once

#include <QAnyStringView>
#include <QByteArrayView>
#include <QJsonValue>
#include <QString>
#include <QVarLengthArray>

namespace catalog {

// A JSON text read in one pass into a flat list of nodes that point into the
// text: no allocation for a document of a few dozen values, and none per value
// beyond that, where QJsonDocument allocates for every container and string.
// Checking a hook against the catalog reads its body this way.
//
// It reads strict RFC 8259 with an object or an array at the top, nested at most
// MaxDepth deep, in texts under 2 GiB, and agrees with QJsonDocument::fromJson() on every text it
// reads: the same values (toJsonValue() builds them), and for a member named
// twice the last one. What it refuses, QJsonDocument may still read (it also
// takes "1." or raw control characters in strings): parse() returning false
// means "ask QJsonDocument", not "not JSON".
//
// The text must outlive the FlatJson and the values taken from it.
class FlatJson
{
public:
    static constexpr int MaxDepth = 256;

    class Value;
    class Object;
    class Array;

    bool parse(QByteArrayView text);
    // The top value; valid after parse() returned true.
    Value root() const;

private:
    friend class Value;
    friend class Object;
    friend class Array;
    class Parser;

    enum class Kind : quint8 { Null, False, True, Number, String, Array, Object };
    // How a string's bytes relate to its text.
    enum class Text : quint8 {
        Ascii,    // the bytes are the text
        Utf8,     // valid UTF-8 without escapes
        Escaped   // holds escapes: decoded as QJsonDocument does
    };
    // 20 bytes a value (QJsonDocument takes about 16): a body of millions of
    // tiny values costs about as much memory either way (8 million: 168 MiB
    // here, 130 MiB there).
    struct Node
    {
        Kind kind = Kind::Null;
        Text text = Text::Ascii;
        qint32 end = 0;        // the index after this node and everything inside it
        qint32 count = 0;      // arrays: elements; objects: members
        qint32 offset = 0;     // strings: the bytes between the quotes; numbers: the literal
        qint32 size = 0;
    };

    const Node &node(qint32 index) const { return m_nodes[index]; }
    QByteArrayView bytes(const Node &node) const { return m_text.sliced(node.offset, node.size); }
    QString stringOf(const Node &node) const;
    bool keyEquals(const Node &key, QAnyStringView name) const;

    QByteArrayView m_text;
    QVarLengthArray<Node, 48> m_nodes;
};

// One value of a FlatJson, or Undefined (a member that is not there). Its
// interface is the part of QJsonValue's that the catalog's checks use.
class FlatJson::Value
{
public:
    Value() = default;

    QJsonValue::Type type() const;
    bool isUndefined() const { return m_index < 0; }
    bool isDouble() const { return type() == QJsonValue::Double; }
    bool isString() const { return type() == QJsonValue::String; }
    bool isArray() const { return type() == QJsonValue::Array; }
    bool isObject() const { return type() == QJsonValue::Object; }

    // Room for the text of a string: ASCII text of up to 64 characters (the
    // usual ids and names) needs no allocation.
    using TextBuffer = QVarLengthArray<char16_t, 64>;
    // The text of a string (empty for any other value), kept in buffer.
    QStringView text(TextBuffer &buffer) const;
    // The UTF-8 of a string without escapes, as it lies in the text; false for any
    // other value (then use text()).
    bool utf8(QByteArrayView *bytes) const;

    bool toBool() const { return !isUndefined() && kind() == Kind::True; }
    double toDouble() const;
    // A number with an integral value that fits in 64 bits (1, -5.0, 1e3), as JSON Schema's "integer".
    bool toInteger(qint64 *integer) const;
    QString toString() const;
    Object toObject() const;
    Array toArray() const;
    // The value as QJsonDocument reads it.
    QJsonValue toJsonValue() const;

private:
    friend class FlatJson;
    friend class Object;
    friend class Array;
    Value(const FlatJson *json, qint32 index) : m_json(json), m_index(index) {}
    Kind kind() const { return m_json->node(m_index).kind; }

    const FlatJson *m_json = nullptr;
    qint32 m_index = -1;
};

class FlatJson::Object
{
public:
    // The member of that name (the last one, if named more than once), or Undefined.
    Value value(QAnyStringView name) const;
    bool contains(QAnyStringView name) const { return !value(name).isUndefined(); }
    qsizetype size() const;

    // The members in document order (a name given twice comes twice).
    class Iterator
    {
    public:
        Value key() const { return Value(m_json, m_key); }
        Value value() const { return Value(m_json, m_key + 1); }
        Iterator &operator++();
        bool operator==(const Iterator &other) const { return m_key == other.m_key; }

    private:
        friend class Object;
        Iterator(const FlatJson *json, qint32 key) : m_json(json), m_key(key) {}
        const FlatJson *m_json = nullptr;
        qint32 m_key = -1;
    };
    Iterator begin() const;
    Iterator end() const;
    // The member of that name (the last one, if named more than once), or end().
    Iterator find(QAnyStringView name) const;
    // The same for a name in UTF-8, compared as bytes where the text has no escapes
    // (schema checks look up every required member this way).
    Iterator findUtf8(QByteArrayView name) const;

private:
    friend class Value;
    Object(const FlatJson *json, qint32 index) : m_json(json), m_index(index) {}

    const FlatJson *m_json = nullptr;
    qint32 m_index = -1;   // -1: not an object, empty
};

class FlatJson::Array
{
public:
    qsizetype size() const;
    // Cheap when called for 0, 1, 2, ... in turn.
    Value at(qsizetype i) const;

    class Iterator
    {
    public:
        Value operator*() const { return Value(m_json, m_node); }
        Iterator &operator++();
        bool operator==(const Iterator &other) const { return m_node == other.m_node; }

    private:
        friend class Array;
        Iterator(const FlatJson *json, qint32 node) : m_json(json), m_node(node) {}
        const FlatJson *m_json = nullptr;
        qint32 m_node = -1;
    };
    Iterator begin() const;
    Iterator end() const;

private:
    friend class Value;
    Array(const FlatJson *json, qint32 index) : m_json(json), m_index(index) {}

    const FlatJson *m_json = nullptr;
    qint32 m_index = -1;   // -1: not an array, empty
    mutable qsizetype m_cursor = 0;   // at(m_cursor) is node m_cursorNode
    mutable qint32 m_cursorNode = -1;
};

// describeJsonValue() for a value read this way.
QString describeJsonValue(const FlatJson::Value &value);

} // namespace catalog
