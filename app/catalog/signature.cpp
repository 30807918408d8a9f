#include "signature.h"

#include <QMessageAuthenticationCode>

namespace catalog {

QByteArray signatureFor(QByteArrayView body, const QByteArray &secret)
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, secret);
    mac.addData(body.data(), body.size());
    QByteArray signature = QByteArrayLiteral("sha256=");
    signature.append(mac.result().toHex());
    return signature;
}

bool constantTimeEquals(QByteArrayView received, QByteArrayView expected)
{
    if (expected.isEmpty())
        return received.isEmpty();
    // Walk all of `received` whatever the lengths are; a length mismatch still fails.
    quint64 difference = quint64(received.size() ^ expected.size());
    for (qsizetype i = 0; i < received.size(); ++i)
        difference |= quint64(uchar(received[i]) ^ uchar(expected[i % expected.size()]));
    return difference == 0;
}

} // namespace catalog
