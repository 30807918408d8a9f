#pragma once

#include "flatjson.h"

#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace catalog {

class OrderedJson;

// The field schema of one event/action: a small subset of JSON Schema with formats of
// our own, compiled once when the catalog loads so that checking a hook is cheap.
//   "type":       "object" "array" "string" "integer" "number" "boolean" "null", or a list of them
//   "required":   member names that must be present
//   "properties": member name -> schema (members not listed are allowed)
//   "items":      the schema of every array element
//   "format":     for strings: "objectid" "language" "sha1" "uuid" "date-time" "url"
//   "ranges":     for numbers: [[min, max], ...], inclusive
//   "enum":       the allowed values
//   "description": free text, ignored
class Schema
{
public:
    // A schema that accepts anything.
    Schema();

    // *error names the schema path ("user.rank") and what is wrong with it.
    static std::optional<Schema> compile(const OrderedJson &json, QString *error);

    // Appends one readable problem per mismatch, each starting with the member's path
    // ("user.rank: missing"); the value itself is called "body". At most maxProblems
    // are listed, then one line saying that more were left out.
    void validate(const QJsonValue &value, QStringList *problems, int maxProblems = 20) const;
    // The same for a value read by FlatJson, with the same problems.
    void validate(const FlatJson::Value &value, QStringList *problems, int maxProblems = 20) const;

    struct Node;

private:
    std::shared_ptr<const Node> m_root;
};

// How a JSON value is quoted in a problem: compact JSON, shortened when long.
QString describeJsonValue(const QJsonValue &value);

} // namespace catalog
