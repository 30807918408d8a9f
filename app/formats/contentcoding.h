#pragma once

#include <QByteArray>
#include <QString>

namespace formats {

// The result of undoing a content coding: the bytes, or why they could not be had.
struct Decoded
{
    QByteArray bytes;
    QString error;
    bool ok() const { return error.isEmpty(); }
};

// Undoes one coding as HTTP names it in Content-Encoding or Transfer-Encoding:
// gzip (x-gzip), deflate (zlib, or raw deflate as some senders send it), br, identity.
// More than maxSize decoded bytes is an error that names the limit.
Decoded decode(QByteArrayView bytes, QByteArrayView coding, qint64 maxSize);
// A header value listing codings in the order they were applied ("gzip, br"):
// undone last first. Unknown codings are an error naming them.
Decoded decodeAll(QByteArrayView bytes, QByteArrayView codings, qint64 maxSize);
bool canDecode(QByteArrayView coding);

} // namespace formats
