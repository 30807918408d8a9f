#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace http {

// One header field exactly as it came off the wire: name case, value bytes
// (without the surrounding optional whitespace) and position are all kept.
struct HeaderField
{
    QByteArray name;
    QByteArray value;

    friend bool operator==(const HeaderField &, const HeaderField &) = default;
};

using HeaderList = QList<HeaderField>;

// Whether text is a token (RFC 9110 section 5.6.2): what a field name or a method is made of.
bool isToken(QByteArrayView text);

// Case-insensitive look-ups over a header list (field names are case-insensitive,
// RFC 9110 section 5.1). They never change the list.
bool nameEquals(QByteArrayView a, QByteArrayView b);
qsizetype countOf(const HeaderList &headers, QByteArrayView name);
// The first field of that name, or a null QByteArray when there is none.
QByteArray valueOf(const HeaderList &headers, QByteArrayView name);
bool contains(const HeaderList &headers, QByteArrayView name);
// Comma-separated list elements of every field of that name, trimmed, in order.
QList<QByteArray> listValues(const HeaderList &headers, QByteArrayView name);
// Whether a comma-separated header (Connection, Transfer-Encoding) holds a token.
bool hasToken(const HeaderList &headers, QByteArrayView name, QByteArrayView token);

} // namespace http
