#pragma once

// valijson reads the value it validates through an adapter; this one reads a
// FlatJson, so a hook's body is validated where it lies, without building a
// QJsonDocument. Numbers: an integral value that fits in 64 bits is an integer
// (JSON Schema counts 1.0 as one); valijson's own Qt adapter only knows 32 bits.
// Include only after defining VALIJSON_USE_EXCEPTIONS.

#include "flatjson.h"

#include <valijson/adapters/qtjson_adapter.hpp>
#include <valijson/internal/adapter.hpp>
#include <valijson/internal/basic_adapter.hpp>
#include <valijson/internal/frozen_value.hpp>

#include <string>
#include <utility>

namespace catalog::valijsonadapter {

using valijson::adapters::BasicAdapter;
using valijson::adapters::DerefProxy;
using valijson::adapters::FrozenValue;

class Adapter;
class ArrayIterator;
class MemberIterator;
using Member = std::pair<std::string, Adapter>;

inline std::string utf8Of(const FlatJson::Value &value)
{
    QByteArrayView bytes;
    if (value.utf8(&bytes))
        return std::string(bytes.data(), size_t(bytes.size()));
    FlatJson::Value::TextBuffer buffer;
    return QStringView(value.text(buffer)).toUtf8().toStdString();
}

class Array
{
public:
    using const_iterator = ArrayIterator;
    using iterator = ArrayIterator;

    Array() = default;
    explicit Array(const FlatJson::Value &value) : m_array(value.toArray()) {}

    ArrayIterator begin() const;
    ArrayIterator end() const;
    size_t size() const { return size_t(m_array.size()); }

private:
    FlatJson::Array m_array = FlatJson::Value().toArray();
};

class Object
{
public:
    using const_iterator = MemberIterator;
    using iterator = MemberIterator;

    Object() = default;
    explicit Object(const FlatJson::Value &value) : m_object(value.toObject()) {}

    MemberIterator begin() const;
    MemberIterator end() const;
    MemberIterator find(const std::string &name) const;
    size_t size() const { return size_t(m_object.size()); }

private:
    FlatJson::Object m_object = FlatJson::Value().toObject();
};

// enum and const values come from the schema, which valijson reads through its Qt adapter;
// a value frozen here (uniqueItems) is kept the same way.
class Value
{
public:
    Value() = default;
    Value(const FlatJson::Value &value) : m_value(value) {}

    FrozenValue *freeze() const { return new valijson::adapters::QtJsonFrozenValue(m_value.toJsonValue()); }

    std::optional<Array> getArrayOptional() const
    {
        return m_value.isArray() ? std::make_optional(Array(m_value)) : std::nullopt;
    }
    bool getArraySize(size_t &result) const
    {
        if (!m_value.isArray())
            return false;
        result = size_t(m_value.toArray().size());
        return true;
    }
    bool getBool(bool &result) const
    {
        if (!isBool())
            return false;
        result = m_value.toBool();
        return true;
    }
    bool getDouble(double &result) const
    {
        if (!m_value.isDouble())
            return false;
        result = m_value.toDouble();
        return true;
    }
    bool getInteger(int64_t &result) const
    {
        qint64 integer = 0;
        if (!m_value.toInteger(&integer))
            return false;
        result = integer;
        return true;
    }
    std::optional<Object> getObjectOptional() const
    {
        return m_value.isObject() ? std::make_optional(Object(m_value)) : std::nullopt;
    }
    bool getObjectSize(size_t &result) const
    {
        if (!m_value.isObject())
            return false;
        result = size_t(m_value.toObject().size());
        return true;
    }
    bool getString(std::string &result) const
    {
        if (!m_value.isString())
            return false;
        result = utf8Of(m_value);
        return true;
    }
    static bool hasStrictTypes() { return true; }
    bool isArray() const { return m_value.isArray(); }
    bool isBool() const { return m_value.type() == QJsonValue::Bool; }
    bool isDouble() const { return m_value.isDouble(); }
    bool isInteger() const
    {
        qint64 integer = 0;
        return m_value.toInteger(&integer);
    }
    bool isNull() const { return m_value.type() == QJsonValue::Null; }
    bool isNumber() const { return m_value.isDouble(); }
    bool isObject() const { return m_value.isObject(); }
    bool isString() const { return m_value.isString(); }

private:
    FlatJson::Value m_value;
};

class Adapter : public BasicAdapter<Adapter, Array, Member, Object, Value>
{
public:
    Adapter() = default;
    Adapter(const FlatJson::Value &value) : BasicAdapter(Value(value)) {}
};

class ArrayIterator
{
public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = Adapter;
    using difference_type = std::ptrdiff_t;
    using pointer = Adapter *;
    using reference = Adapter &;

    // Going forward is cheap (FlatJson::Array::at() keeps its place); going back
    // (uniqueItems) starts again from the first element.
    ArrayIterator(const FlatJson::Array &array, qsizetype index) : m_array(array), m_index(index) {}
    Adapter operator*() const { return Adapter(m_array.at(m_index)); }
    DerefProxy<Adapter> operator->() const { return DerefProxy<Adapter>(**this); }
    bool operator==(const ArrayIterator &other) const { return m_index == other.m_index; }
    bool operator!=(const ArrayIterator &other) const { return m_index != other.m_index; }
    ArrayIterator &operator++()
    {
        ++m_index;
        return *this;
    }
    ArrayIterator operator++(int)
    {
        ArrayIterator before = *this;
        ++m_index;
        return before;
    }
    ArrayIterator &operator--()
    {
        --m_index;
        return *this;
    }
    void advance(std::ptrdiff_t n) { m_index += n; }

private:
    FlatJson::Array m_array;
    qsizetype m_index = 0;
};

class MemberIterator
{
public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Member;
    using difference_type = std::ptrdiff_t;
    using pointer = Member *;
    using reference = Member &;

    explicit MemberIterator(FlatJson::Object::Iterator it) : m_it(it) {}
    Member operator*() const { return Member(utf8Of(m_it.key()), Adapter(m_it.value())); }
    DerefProxy<Member> operator->() const { return DerefProxy<Member>(**this); }
    bool operator==(const MemberIterator &other) const { return m_it == other.m_it; }
    bool operator!=(const MemberIterator &other) const { return !(m_it == other.m_it); }
    MemberIterator &operator++()
    {
        ++m_it;
        return *this;
    }
    MemberIterator operator++(int)
    {
        MemberIterator before = *this;
        ++m_it;
        return before;
    }

private:
    FlatJson::Object::Iterator m_it;
};

inline ArrayIterator Array::begin() const { return ArrayIterator(m_array, 0); }
inline ArrayIterator Array::end() const { return ArrayIterator(m_array, m_array.size()); }
inline MemberIterator Object::begin() const { return MemberIterator(m_object.begin()); }
inline MemberIterator Object::end() const { return MemberIterator(m_object.end()); }

inline MemberIterator Object::find(const std::string &name) const
{
    // The last member of that name counts, as QJsonDocument reads it.
    return MemberIterator(m_object.findUtf8(QByteArrayView(name.data(), qsizetype(name.size()))));
}

} // namespace catalog::valijsonadapter

template<> struct valijson::adapters::AdapterTraits<catalog::valijsonadapter::Adapter>
{
    using DocumentType = catalog::FlatJson;
    static std::string adapterName() { return "FlatJsonAdapter"; }
};
