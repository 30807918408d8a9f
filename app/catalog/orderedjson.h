#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace catalog {

// A JSON value that keeps object members in document order. QJsonObject sorts its
// keys, but a composed body must put "action" first as Codewars does, and a --set
// edit must not shuffle the body it changes. Numbers keep the text they were
// written with, so re-serialising never alters them.
class OrderedJson
{
public:
    enum class Type : quint8 { Null, Bool, Number, String, Array, Object };

    OrderedJson() = default;
    static OrderedJson fromBool(bool value);
    static OrderedJson fromInteger(qint64 value);
    // text must be a valid JSON number; it is kept as written.
    static OrderedJson fromNumberText(const QByteArray &text);
    static OrderedJson fromString(const QString &value);
    static OrderedJson makeArray();
    static OrderedJson makeObject();
    // The same value; an object's members in the order QJsonObject keeps them
    // (sorted). Integral numbers are written as integers, others shortest.
    static OrderedJson fromJsonValue(const QJsonValue &value);

    // Members whose values are kept as text rather than parsed, for a large file of
    // which only parts are used, each later: `wanted` is asked with the JSON pointer
    // of each member of an object at most maxDepth deep (the outermost value is at
    // depth 1). A value it wants is only scanned to its end (strings and brackets,
    // not checked to be JSON: whoever parses the text later does), is null in the
    // tree, and its exact text goes to *texts under that pointer (the first one's,
    // for a member written twice).
    struct RawMembers
    {
        int maxDepth = 0;
        std::function<bool(QStringView pointer)> wanted;
        QHash<QString, QByteArray> *texts = nullptr;
    };

    // Parses one complete JSON text. On failure *error says what and at which offset.
    static std::optional<OrderedJson> parse(QByteArrayView text, QString *error, const RawMembers *raw = nullptr);

    Type type() const { return m_type; }
    bool isNull() const { return m_type == Type::Null; }
    bool isBool() const { return m_type == Type::Bool; }
    bool isNumber() const { return m_type == Type::Number; }
    bool isString() const { return m_type == Type::String; }
    bool isArray() const { return m_type == Type::Array; }
    bool isObject() const { return m_type == Type::Object; }

    bool toBool() const { return m_bool; }
    QString toString() const { return m_string; }
    QByteArray numberText() const { return m_number; }

    // Elements of an array, or member values of an object, in order.
    qsizetype size() const { return qsizetype(m_children.size()); }
    const OrderedJson &at(qsizetype index) const { return m_children[size_t(index)]; }
    OrderedJson &at(qsizetype index) { return m_children[size_t(index)]; }
    void append(OrderedJson value);

    // Object members. keys() is parallel to at().
    const QStringList &keys() const { return m_keys; }
    const OrderedJson *member(QStringView key) const;
    OrderedJson *member(QStringView key);
    // Replaces the first member of that name in place, or appends a new one.
    void insert(const QString &key, OrderedJson value);
    // Appends without looking for a member of the same name (the parser keeps duplicates as written).
    void appendMember(const QString &key, OrderedJson value);

    // indent 0 writes compact JSON; otherwise one member per line, like JSON.stringify(v, null, indent).
    QByteArray toJson(int indent = 2) const;
    QJsonValue toJsonValue() const;

private:
    void write(QByteArray *out, int indent, int depth) const;

    Type m_type = Type::Null;
    bool m_bool = false;
    QByteArray m_number;
    QString m_string;
    QStringList m_keys;
    std::vector<OrderedJson> m_children;
};

// What is wrong with a text that is not JSON, as every part of hookscope says
// it ("unexpected character 'h' at offset 0"); empty for a JSON text. One
// wording wherever a body, a file or an answer is not JSON.
QString jsonSyntaxError(QByteArrayView text);

} // namespace catalog
