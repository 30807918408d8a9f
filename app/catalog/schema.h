#pragma once

#include "flatjson.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace catalog {

class OrderedJson;

// A JSON Schema (draft-07), checked by valijson. Compiled once when the catalog
// loads; validate() may then be called from several threads at once.
//
// Before valijson sees a schema it is read through once here, so that what valijson
// would take silently or loop on becomes a message naming the place (a JSON
// pointer): references that lead nowhere or outside the document, cycles of
// references that never reach into the value, keywords it does not know
// (reported as warnings, then ignored as the standard says).
//
// Problems read "/user/rank: expected an integer in -8..-1 or 1..8, got 0": the JSON
// pointer of the value ("body" for the whole value), then what the schema wants
// there, in words, and what came. A "format" names the kind of string in problems;
// a "pattern" beside it does the checking.
class Schema
{
public:
    // A schema that accepts anything.
    Schema();

    // Compiles the schema found at the JSON pointer `at` of `document`; references
    // ("#/definitions/x") resolve against the document. *error names the place and
    // the problem; *warnings, when given, receives one line per keyword that is ignored.
    static std::optional<Schema> compile(const QJsonValue &document, const QString &at, QString *error,
                                         QStringList *warnings = nullptr);
    // As above, with the document valijson reads given apart: the same document with
    // withoutFormats() applied to each schema in it, prepared once for many compiles.
    static std::optional<Schema> compile(const QJsonValue &document, const QJsonValue &checkedDocument,
                                         const QString &at, QString *error, QStringList *warnings = nullptr);
    // A schema that is a document of its own.
    static std::optional<Schema> compile(const OrderedJson &json, QString *error, QStringList *warnings = nullptr);

    // The schema with every "format" taken out. "format" is an annotation here, as draft-07
    // allows: it words problems, a "pattern" beside it checks (valijson's own check of
    // date-time builds a regular expression for every value, about 30 us each).
    static QJsonValue withoutFormats(const QJsonValue &schema);

    // Appends one readable problem per mismatch. At most maxProblems are listed,
    // then one line saying that more were left out.
    void validate(const QJsonValue &value, QStringList *problems, int maxProblems = 20) const;
    // The same for a value read by FlatJson, with the same problems.
    void validate(const FlatJson::Value &value, QStringList *problems, int maxProblems = 20) const;

    // Nesting a value may have before a recursive schema refuses to check it.
    static constexpr int MaxRecursiveDepth = 64;

    struct Compiled;

private:
    std::shared_ptr<const Compiled> d;
};

// How a JSON value is quoted in a problem: compact JSON, shortened when long.
QString describeJsonValue(const QJsonValue &value);

// A JSON pointer segment with "~" and "/" escaped.
QString jsonPointerSegment(QStringView name);

} // namespace catalog
