#pragma once

#include "http/headers.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QString>

// The codings a body was sent with, and the body decoded for display. A hook's
// stored bytes stay as they came; only what is shown is decoded.
namespace formats {

// The codings applied to a body, in the order the sender applied them: those
// of Content-Encoding, then those of Transfer-Encoding before chunked (which
// the listener has undone already). Lower-case, without identity.
QByteArrayList bodyCodings(const http::HeaderList &headers);

struct DecodedBody
{
    QByteArray bytes;          // the decoded body; when !ok, the body as stored
    QByteArrayList codings;    // what was undone (or would have been), in the order applied
    bool ok = true;            // false: error says why the body is shown as stored
    QString error;

    bool decoded() const { return ok && !codings.isEmpty(); }
};

// Above this, a body is not decoded for display.
constexpr qsizetype MaxDecodedBytes = 64 * 1024 * 1024;

// Undoes gzip (x-gzip), deflate (zlib-wrapped, or raw as some senders send
// it) and br, last applied first (see contentcoding.h). Any other coding, damaged data, or a result
// above maxBytes leaves the body as it is, with the reason.
DecodedBody decodeBody(const QByteArray &body, const QByteArrayList &codings, qsizetype maxBytes = MaxDecodedBytes);
inline DecodedBody decodeBody(const QByteArray &body, const http::HeaderList &headers, qsizetype maxBytes = MaxDecodedBytes)
{
    return decodeBody(body, bodyCodings(headers), maxBytes);
}
// How many bodies decodeBody() has undone a coding of in this process, for
// checks that a body on display is decoded once, not again for every view.
quint64 bodiesDecoded();

// The body as the sender meant it, for the catalog check: decoded when it
// came coded and decodes, else as stored.
QByteArray meantBody(const QByteArray &body, const http::HeaderList &headers);

// One coding, for tests and tools: gzip or deflate (zlib-wrapped) of bytes.
QByteArray encodeBody(QByteArrayView bytes, QByteArrayView coding);

} // namespace formats
