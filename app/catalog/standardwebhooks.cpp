#include "standardwebhooks.h"

#include "signature.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

namespace catalog::standardwebhooks {

namespace {

const QByteArrayView SecretPrefix = "whsec_";

std::optional<qint64> timestampOf(const QByteArray &text)
{
    bool ok = false;
    const qint64 seconds = text.trimmed().toLongLong(&ok);
    return ok && seconds >= 0 ? std::optional<qint64>(seconds) : std::nullopt;
}

} // namespace

bool isUsedBy(const http::HeaderList &headers)
{
    return http::contains(headers, IdHeader) || http::contains(headers, TimestampHeader)
        || http::contains(headers, SignatureHeader);
}

std::optional<QByteArray> keyOf(QByteArrayView secret)
{
    QByteArrayView base64 = secret.trimmed();
    if (base64.startsWith(SecretPrefix))
        base64 = base64.sliced(SecretPrefix.size());
    auto decoded = QByteArray::fromBase64Encoding(base64.toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return std::nullopt;
    return decoded.decoded;
}

QString secretProblem(QByteArrayView secret)
{
    if (keyOf(secret))
        return QString();
    return QStringLiteral("a Standard Webhooks secret is \"whsec_\" followed by the key in base64");
}

QByteArray signature(const QByteArray &key, QByteArrayView id, QByteArrayView timestamp, QByteArrayView body)
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, key);
    // Qt 6.4 takes (pointer, length) here, not a view.
    for (QByteArrayView part : {id, QByteArrayView("."), timestamp, QByteArrayView("."), body})
        mac.addData(part.data(), part.size());
    return "v1," + mac.result().toBase64();
}

QByteArray newMessageId()
{
    static constexpr char Alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    QByteArray id = "msg_";
    QRandomGenerator *random = QRandomGenerator::global();
    for (int i = 0; i < 27; ++i)
        id += Alphabet[random->bounded(int(sizeof Alphabet) - 1)];
    return id;
}

Verdict verdict(const http::HeaderList &headers, QByteArrayView body, const QByteArray &secret, qint64 receivedSecs,
                qint64 toleranceSecs)
{
    if (secret.isEmpty())
        return Verdict::NotConfigured;
    const QByteArray id = http::valueOf(headers, IdHeader);
    const QByteArray timestamp = http::valueOf(headers, TimestampHeader);
    const QByteArray signatures = http::valueOf(headers, SignatureHeader);
    if (id.isNull() || timestamp.isNull() || signatures.isNull())
        return Verdict::Missing;
    const std::optional<QByteArray> key = keyOf(secret);
    const std::optional<qint64> seconds = timestampOf(timestamp);
    if (!key || !seconds)
        return Verdict::Invalid;
    const QByteArray expected = signature(*key, id, timestamp.trimmed(), body);
    bool matched = false;
    // Every candidate is compared, so the time taken does not say which one matched.
    for (const QByteArray &candidate : signatures.trimmed().split(' ')) {
        if (candidate.startsWith("v1,"))
            matched |= constantTimeEquals(candidate, expected);
    }
    if (!matched)
        return Verdict::Invalid;
    return qAbs(receivedSecs - *seconds) > toleranceSecs ? Verdict::OutsideTolerance : Verdict::Valid;
}

std::optional<QString> timestampProblem(const http::HeaderList &headers, qint64 receivedSecs, qint64 toleranceSecs)
{
    const QByteArray timestamp = http::valueOf(headers, TimestampHeader);
    if (timestamp.isNull())
        return std::nullopt;
    const std::optional<qint64> seconds = timestampOf(timestamp);
    if (!seconds) {
        return QStringLiteral("webhook-timestamp: expected seconds since 1970-01-01, got \"%1\"")
            .arg(QString::fromLatin1(timestamp.left(40)));
    }
    const qint64 offset = *seconds - receivedSecs;
    if (qAbs(offset) <= toleranceSecs)
        return std::nullopt;
    return QStringLiteral("webhook-timestamp is %1 %2 the time received: outside the tolerance of %3")
        .arg(spanText(qAbs(offset)), offset < 0 ? QStringLiteral("before") : QStringLiteral("after"),
             spanText(toleranceSecs));
}

QString spanText(qint64 seconds)
{
    const qint64 days = seconds / 86400;
    const qint64 hours = seconds / 3600 % 24;
    const qint64 minutes = seconds / 60 % 60;
    const qint64 rest = seconds % 60;
    QStringList parts;
    if (days)
        parts << QStringLiteral("%1 d").arg(days);
    if (hours)
        parts << QStringLiteral("%1 h").arg(hours);
    if (minutes && !days)
        parts << QStringLiteral("%1 min").arg(minutes);
    if ((rest && !days && !hours) || parts.isEmpty())
        parts << QStringLiteral("%1 s").arg(rest);
    return parts.join(u' ');
}

} // namespace catalog::standardwebhooks
