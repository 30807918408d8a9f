#pragma once

#include <QByteArrayView>
#include <QList>
#include <QString>

// A JSON Schema (draft-07) read as a person reads it: one row per member, in
// the schema's own order, with its type, whether it is required and its rules
// in words. Local references (#/definitions/…) are followed; a reference that
// leads back into itself is shown once and marked. An example body, when
// given, supplies each member's example value.
namespace catalog {

struct SchemaRow
{
    int depth = 0;            // 0: a member of the body's top-level object
    QString name;             // the member's name; "[ ]" for the items of an array
    QString path;             // dotted, with [] for array items: "user.ranks.overall"
    QString type;             // "string", "integer or null", "object", "array of string"
    bool required = false;
    QString rule;             // "one of created, voted", "matches ^[0-9a-f]{24}$", "≥ 1"
    QString example;          // the example's value here, as JSON; empty when none

    friend bool operator==(const SchemaRow &, const SchemaRow &) = default;
};

class OrderedJson;

// Empty for a schema that is not JSON or describes no members.
QList<SchemaRow> schemaOutline(QByteArrayView schemaJson, QByteArrayView exampleJson = {});
// The same over parsed JSON; references "#/definitions/NAME" the schema does not
// hold itself are looked up in definitions (a catalog's shared schemas).
QList<SchemaRow> schemaOutline(const OrderedJson &schema, const OrderedJson *definitions, const OrderedJson *example);

} // namespace catalog
