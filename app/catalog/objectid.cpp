#include "objectid.h"

#include <QRandomGenerator>
#include <QtEndian>

namespace catalog {

QByteArray newObjectId()
{
    uchar bytes[12];
    qToBigEndian(quint32(QDateTime::currentSecsSinceEpoch()), bytes);
    const quint64 random = QRandomGenerator::global()->generate64();
    qToBigEndian(random, bytes + 4);
    return QByteArray(reinterpret_cast<const char *>(bytes), sizeof bytes).toHex();
}

bool isObjectId(QByteArrayView text)
{
    if (text.size() != 24)
        return false;
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

QDateTime objectIdTimestamp(QByteArrayView text)
{
    if (!isObjectId(text))
        return {};
    bool ok = false;
    const quint32 seconds = text.first(8).toByteArray().toUInt(&ok, 16);
    return ok ? QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC) : QDateTime();
}

} // namespace catalog
