#include "signature.h"

#include <QMessageAuthenticationCode>

namespace catalog {

// "<prefix>=" and the lowercase hex HMAC of the body keyed by the secret.
static QByteArray hmacSignature(QByteArrayView prefix, QCryptographicHash::Algorithm algorithm, QByteArrayView body,
                                const QByteArray &secret)
{
    QMessageAuthenticationCode mac(algorithm, secret);
    mac.addData(body.data(), body.size());
    QByteArray signature = prefix.toByteArray();
    signature += '=';
    signature += mac.result().toHex();
    return signature;
}

QByteArray signatureFor(QByteArrayView body, const QByteArray &secret)
{
    return hmacSignature("sha256", QCryptographicHash::Sha256, body, secret);
}

QByteArray sha1SignatureFor(QByteArrayView body, const QByteArray &secret)
{
    return hmacSignature("sha1", QCryptographicHash::Sha1, body, secret);
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
