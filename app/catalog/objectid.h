#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>

namespace catalog {

// A fresh MongoDB-style ObjectId as Codewars uses for every id: a 4-byte big-endian
// timestamp (seconds since the epoch, now) then 8 random bytes, as 24 lowercase hex digits.
QByteArray newObjectId();

// Whether text is 24 hex digits (either case).
bool isObjectId(QByteArrayView text);

// The creation time encoded in an ObjectId; invalid when text is not one.
QDateTime objectIdTimestamp(QByteArrayView text);

} // namespace catalog
