#pragma once

#include "orderedjson.h"

#include <QHash>
#include <QString>

namespace catalog {

// Fills the placeholders of a catalog template with fresh values, one filler per
// composed request. A placeholder is "{{kind}}" or "{{kind:argument}}":
//   {{objectid}}        a new ObjectId (24 hex digits)
//   {{uuid}}            a new GUID, lowercase, without braces
//   {{rank}}            a Codewars rank: -8..-1 (kyu) or 1..8 (dan), never 0
//   {{int:A..B}}        an integer from A to B inclusive
//   {{hex:N}}           N random lowercase hex digits
//   {{now}}             the current UTC time, ISO 8601
//   {{choice:a|b|c}}    one of the texts
//   {{event}} ...       a value given with setValue() (event, action, secret, signature)
// A trailing " #label" ("{{hex:40 #head}}") makes every placeholder with that label
// take the same value within one filler. A string that is exactly one placeholder
// takes the placeholder's type (a number for int and rank); elsewhere it is text.
class TemplateFiller
{
public:
    void setValue(const QString &name, const QString &value);

    OrderedJson fill(const OrderedJson &json);
    QString fillText(const QString &text);

    // The first placeholder that could not be filled, or empty.
    QString error() const { return m_error; }

private:
    std::optional<OrderedJson> generate(QStringView spec);

    QHash<QString, QString> m_values;
    QHash<QString, OrderedJson> m_labelled;
    QString m_error;
};

} // namespace catalog
