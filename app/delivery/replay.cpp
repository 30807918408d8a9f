#include "replay.h"

#include "catalog/signature.h"
#include "catalog/standardwebhooks.h"

#include <QDateTime>

#include <QUuid>

namespace {

// Request-target bytes as QUrl accepts them in tolerant mode without changing them:
// existing %XX escapes stay, bytes that may not appear in a URL are escaped.
QString escapeForUrl(QByteArrayView bytes)
{
    QString text;
    text.reserve(bytes.size());
    for (const char c : bytes) {
        const uchar u = uchar(c);
        if (u <= 0x20 || u >= 0x7f || c == '#')
            text += QStringLiteral("%%1").arg(u, 2, 16, QLatin1Char('0')).toUpper();
        else
            text += QChar::fromLatin1(c);
    }
    return text;
}

struct PathAndQuery
{
    QByteArray path;
    QByteArray query;
    bool hasQuery = false;
};

PathAndQuery splitTarget(const QByteArray &target)
{
    PathAndQuery parts;
    QByteArray originForm;
    if (target.startsWith('/')) {
        originForm = target;
    } else if (target.contains("://")) {
        // absolute-form, as sent to a proxy: keep what follows the authority
        const qsizetype authority = target.indexOf("://") + 3;
        const qsizetype slash = target.indexOf('/', authority);
        const qsizetype question = target.indexOf('?', authority);
        if (slash >= 0 && (question < 0 || slash < question))
            originForm = target.mid(slash);
        else if (question >= 0)
            originForm = '/' + target.mid(question);
    }
    // "*" (OPTIONS) and authority-form (CONNECT) have no path to carry over.
    const qsizetype question = originForm.indexOf('?');
    if (question < 0) {
        parts.path = originForm;
    } else {
        parts.path = originForm.left(question);
        parts.query = originForm.mid(question + 1);
        parts.hasQuery = true;
    }
    return parts;
}

} // namespace

QUrl replayUrl(const QByteArray &requestTarget, const QUrl &target)
{
    QUrl url = target;
    if (!target.path().isEmpty() && target.path() != u"/")
        return url;
    const PathAndQuery hook = splitTarget(requestTarget);
    if (!hook.path.isEmpty())
        url.setPath(escapeForUrl(hook.path), QUrl::TolerantMode);
    if (hook.hasQuery) {
        QString query = escapeForUrl(hook.query);
        if (query.isNull())
            query = QStringLiteral("");   // "?" alone: a null query would drop it
        if (target.hasQuery() && !target.query(QUrl::FullyEncoded).isEmpty())
            url.setQuery(target.query(QUrl::FullyEncoded) + u'&' + query, QUrl::TolerantMode);
        else
            url.setQuery(query, QUrl::TolerantMode);
    }
    return url;
}

bool isHopByHop(QByteArrayView name, const http::HeaderList &hookHeaders)
{
    static const char *const fixed[] = {"Host", "Content-Length", "Connection", "Keep-Alive", "Transfer-Encoding",
                                        "TE", "Trailer", "Upgrade", "Proxy-Connection"};
    for (const char *hopByHop : fixed) {
        if (http::nameEquals(name, hopByHop))
            return true;
    }
    for (const QByteArray &listed : http::listValues(hookHeaders, "Connection")) {
        if (http::nameEquals(name, listed))
            return true;
    }
    return false;
}

Draft replayDraft(const Hook &hook, const QUrl &target, const ReplayOptions &options)
{
    Draft draft;
    draft.method = hook.method;
    draft.url = replayUrl(hook.target, target);
    for (const http::HeaderField &field : hook.headers) {
        if (!isHopByHop(field.name, hook.headers))
            draft.headers.append(field);
    }
    draft.body = hook.body;
    if (options.refreshDeliveryId && !options.deliveryIdHeader.isEmpty() && http::contains(draft.headers, options.deliveryIdHeader))
        draft.setHeader(options.deliveryIdHeader, QUuid::createUuid().toByteArray(QUuid::WithoutBraces));
    // webhook-id is signed: a new one only where the draft is signed again.
    if (options.refreshDeliveryId && !options.resignSecret.isEmpty()
        && http::contains(draft.headers, catalog::standardwebhooks::IdHeader))
        draft.setHeader(catalog::standardwebhooks::IdHeader.toByteArray(), catalog::standardwebhooks::newMessageId());
    if (!options.resignSecret.isEmpty())
        resignDraft(&draft, options.resignSecret);
    return draft;
}

// Standard Webhooks signs the message id and the time with the body: a fresh timestamp
// (the old one would be outside the receiver's tolerance) and the signature over it.
static bool resignStandardWebhook(Draft *draft, const QByteArray &secret)
{
    namespace sw = catalog::standardwebhooks;
    if (!sw::isUsedBy(draft->headers))
        return false;
    const std::optional<QByteArray> key = sw::keyOf(secret);
    if (!key)
        return true;   // the composer and the commands say why before they send
    QByteArray id = http::valueOf(draft->headers, sw::IdHeader);
    if (id.isEmpty()) {
        id = sw::newMessageId();
        draft->setHeader(sw::IdHeader.toByteArray(), id);
    }
    const QByteArray timestamp = QByteArray::number(QDateTime::currentSecsSinceEpoch());
    draft->setHeader(sw::TimestampHeader.toByteArray(), timestamp);
    draft->setHeader(sw::SignatureHeader.toByteArray(), sw::signature(*key, id, timestamp, draft->body));
    return true;
}

void resignDraft(Draft *draft, const QByteArray &secret)
{
    if (resignStandardWebhook(draft, secret))
        return;
    const QByteArray signature256 = QByteArrayLiteral("X-Hub-Signature-256");
    const QByteArray signature1 = QByteArrayLiteral("X-Hub-Signature");
    const QByteArray clearSecret = QByteArrayLiteral("X-Webhook-Secret");
    bool found = false;
    if (http::contains(draft->headers, signature256)) {
        draft->setHeader(signature256, catalog::signatureFor(draft->body, secret));
        found = true;
    }
    if (http::contains(draft->headers, signature1)) {
        draft->setHeader(signature1, catalog::sha1SignatureFor(draft->body, secret));
        found = true;
    }
    if (http::contains(draft->headers, clearSecret)) {
        draft->setHeader(clearSecret, secret);
        found = true;
    }
    if (found)
        return;
    if (http::contains(draft->headers, "X-Webhook-Event"))
        draft->headers.append({clearSecret, secret});
    else
        draft->headers.append({{signature1, catalog::sha1SignatureFor(draft->body, secret)},
                               {signature256, catalog::signatureFor(draft->body, secret)}});
}
