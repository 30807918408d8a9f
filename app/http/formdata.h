#pragma once

#include "headers.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace http {

// One field of a form body: a name=value pair of a urlencoded body, or one part
// of a multipart/form-data body with its own headers and bytes.
struct FormField
{
    QString name;
    QByteArray data;              // the value's bytes (decoded from %XX for urlencoded)
    http::HeaderList headers;     // multipart: the part's headers as received
    QString fileName;             // multipart: the filename parameter, when there is one
    QByteArray contentType;       // multipart: the part's Content-Type

    bool isFile() const { return !fileName.isNull(); }
    // The value as text (UTF-8), for display and search.
    QString text() const { return QString::fromUtf8(data); }
};

struct FormData
{
    QList<FormField> fields;
    QString error;   // what is wrong with the body; fields hold what could be read before it
};

// "multipart/form-data" of "multipart/form-data; boundary=x": the type without parameters, lower case.
QByteArray mediaType(QByteArrayView contentType);
bool isUrlEncoded(QByteArrayView contentType);
bool isMultipart(QByteArrayView contentType);

// application/x-www-form-urlencoded: '&'-separated pairs, '+' for space, %XX escapes.
// A bad escape is kept as written and named in the error.
FormData parseUrlEncoded(QByteArrayView body);
// multipart/form-data (RFC 7578) with the boundary from the Content-Type value.
FormData parseMultipart(QByteArrayView body, QByteArrayView contentType);
// Either of the two, chosen by the Content-Type; no fields for other types.
FormData parseForm(QByteArrayView body, QByteArrayView contentType);

// A parameter of a header value such as Content-Type or Content-Disposition
// ("boundary", "charset", "name"), unquoted; null when absent.
QByteArray headerParameter(QByteArrayView value, QByteArrayView name);

} // namespace http
