#include "sender.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

#include <chrono>

struct Sender::Transfer
{
    quint64 ticket = 0;
    Delivery delivery;
    QElapsedTimer timer;
    QNetworkReply *reply = nullptr;   // owned by the network access manager; deleteLater() in complete()
    QString failure;                  // set when we end the transfer ourselves, or never start it
};

namespace {

// QNetworkReply reads ahead at most this much; the cap check runs as it arrives.
constexpr qint64 ReadChunk = 256 * 1024;

qint64 nowUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

// Errors QNetworkReply raises for a complete answer with a 4xx/5xx status: the
// answer is the result then, not a failure to deliver.
bool isStatusError(QNetworkReply::NetworkError error)
{
    const int code = int(error);
    return (code >= QNetworkReply::ContentAccessDenied && code <= QNetworkReply::UnknownContentError)
        || error == QNetworkReply::ProtocolInvalidOperationError
        || (code >= QNetworkReply::InternalServerError && code <= QNetworkReply::UnknownServerError);
}

bool sendsNoBodyWhenEmpty(QByteArrayView method)
{
    return method == "GET" || method == "DELETE" || method == "OPTIONS" || method == "TRACE";
}

QString formatBytes(qint64 bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        return QStringLiteral("%1 MiB").arg(bytes / (1024 * 1024));
    return QStringLiteral("%1 bytes").arg(bytes);
}

} // namespace

Sender::Sender(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{
    qRegisterMetaType<Delivery>();
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

Sender::~Sender()
{
    // The replies die with the manager; none of them may reach complete() on a
    // half-destroyed Sender.
    for (const std::shared_ptr<Transfer> &transfer : std::as_const(m_transfers)) {
        if (transfer->reply)
            transfer->reply->disconnect(this);
    }
    m_transfers.clear();
    delete m_network;
}

quint64 Sender::send(const Draft &draft, Delivery::Kind kind, qint64 hookId)
{
    auto transfer = std::make_shared<Transfer>();
    transfer->ticket = m_nextTicket++;
    transfer->timer.start();
    Delivery &delivery = transfer->delivery;
    delivery.kind = kind;
    delivery.hookId = hookId;
    delivery.startedUs = nowUs();
    delivery.method = draft.method;
    delivery.url = draft.url.toString(QUrl::FullyEncoded);
    delivery.requestHeaders = draft.headers;
    delivery.requestBody = draft.body;
    m_transfers.insert(transfer->ticket, transfer);

    QString error;
    if (!draft.validate(&error)) {
        transfer->failure = error;
        QMetaObject::invokeMethod(this, [this, transfer] { complete(transfer); }, Qt::QueuedConnection);
    } else {
        start(transfer, draft);
    }
    return transfer->ticket;
}

void Sender::start(const std::shared_ptr<Transfer> &transfer, const Draft &draft)
{
    QNetworkRequest request(draft.url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setTransferTimeout(m_timeoutMs);

    // QNetworkRequest keeps one field per name, and re-setting a name moves it to the
    // end: join repeated fields first, then set each name once, in order.
    http::HeaderList joined;
    for (const http::HeaderField &field : draft.headers) {
        const auto same = std::find_if(joined.begin(), joined.end(),
                                       [&](const http::HeaderField &f) { return http::nameEquals(f.name, field.name); });
        if (same != joined.end())
            same->value += ", " + field.value;
        else
            joined.append(field);
    }
    for (const http::HeaderField &field : std::as_const(joined))
        request.setRawHeader(field.name, field.value.isNull() ? QByteArray("") : field.value);

    QNetworkReply *reply = nullptr;
    if (draft.method == "HEAD")
        reply = m_network->head(request);   // a HEAD request goes without a body
    else if (draft.body.isEmpty() && sendsNoBodyWhenEmpty(draft.method))
        reply = m_network->sendCustomRequest(request, draft.method);
    else
        reply = m_network->sendCustomRequest(request, draft.method, draft.body);
    transfer->reply = reply;
    // The read limit reaches the HTTP thread only once the reply has started. Without a
    // body Qt starts it within the call above; with one, from the event loop, and drops a
    // limit set before then: a fast answer is then read whole, far past the cap. The
    // queued call runs just after that start, well ahead of the answer.
    reply->setReadBufferSize(ReadChunk);
    QMetaObject::invokeMethod(reply, [reply] { reply->setReadBufferSize(ReadChunk); }, Qt::QueuedConnection);

    Transfer *raw = transfer.get();
    connect(reply, &QNetworkReply::readyRead, this, [this, raw] { readBody(raw); });
    connect(reply, &QNetworkReply::finished, this, [this, transfer] { complete(transfer); });
}

void Sender::readBody(Transfer *transfer)
{
    QNetworkReply *reply = transfer->reply;
    if (!transfer->failure.isEmpty())
        return;
    QByteArray &body = transfer->delivery.responseBody;
    while (reply->bytesAvailable() > 0) {
        const qint64 room = m_maxResponseBody - body.size();
        if (room <= 0) {
            transfer->failure = tr("response body larger than %1; the rest was discarded").arg(formatBytes(m_maxResponseBody));
            if (!reply->isFinished())
                reply->abort();   // emits finished(): complete() runs before abort() returns
            return;
        }
        const QByteArray chunk = reply->read(qMin(room, reply->bytesAvailable()));
        if (chunk.isEmpty())
            break;
        body += chunk;
    }
}

void Sender::complete(const std::shared_ptr<Transfer> &transfer)
{
    if (!m_transfers.contains(transfer->ticket))
        return;
    QNetworkReply *reply = transfer->reply;
    Delivery delivery = transfer->delivery;
    if (reply) {
        readBody(transfer.get());
        delivery.responseBody = transfer->delivery.responseBody;
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        delivery.status = status.isValid() ? status.toInt() : 0;
        delivery.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
        if (delivery.status > 0) {
            for (const QNetworkReply::RawHeaderPair &pair : reply->rawHeaderPairs())
                delivery.responseHeaders.append({pair.first, pair.second});
        }
        if (transfer->failure.isEmpty() && reply->error() != QNetworkReply::NoError
            && !(delivery.status > 0 && isStatusError(reply->error())))
            transfer->failure = describeError(reply, delivery.status);
        reply->disconnect(this);
        reply->deleteLater();
        transfer->reply = nullptr;
    }
    delivery.error = transfer->failure;
    delivery.durationUs = transfer->timer.nsecsElapsed() / 1000;
    m_transfers.remove(transfer->ticket);
    emit finished(transfer->ticket, delivery);
}

QString Sender::describeError(const QNetworkReply *reply, int status) const
{
    switch (reply->error()) {
    case QNetworkReply::ConnectionRefusedError:
        return tr("connection refused");
    case QNetworkReply::RemoteHostClosedError:
        // Qt reports an answer that is not HTTP as this error too, the same as a close
        // without a byte: the text must fit both.
        return status > 0 ? tr("the connection closed before the whole response arrived")
                          : tr("no valid HTTP response from the server before the connection closed");
    case QNetworkReply::HostNotFoundError:
        return tr("host not found: %1").arg(reply->url().host());
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:   // the transfer timeout aborts the reply
        return tr("timed out after %1 s").arg(QString::number(m_timeoutMs / 1000.0));
    case QNetworkReply::SslHandshakeFailedError:
        return tr("TLS handshake failed: %1").arg(reply->errorString());
    default:
        return reply->errorString();
    }
}

void Sender::abort(quint64 ticket, const QString &reason)
{
    const std::shared_ptr<Transfer> transfer = m_transfers.value(ticket);
    if (!transfer || !transfer->reply)
        return;
    if (transfer->failure.isEmpty())
        transfer->failure = reason;
    transfer->reply->abort();
}

void Sender::abortAll(const QString &reason)
{
    const QList<quint64> tickets = m_transfers.keys();
    for (const quint64 ticket : tickets)
        abort(ticket, reason);
}

Delivery Sender::sendAndWait(const Draft &draft, Delivery::Kind kind, qint64 hookId, int maxWaitMs)
{
    if (maxWaitMs < 0)
        maxWaitMs = qMax(60'000, 3 * m_timeoutMs);
    QEventLoop loop;
    Delivery result;
    const quint64 ticket = send(draft, kind, hookId);
    connect(this, &Sender::finished, &loop, [&](quint64 finishedTicket, const Delivery &delivery) {
        if (finishedTicket != ticket)
            return;
        result = delivery;
        loop.quit();
    });
    QTimer bound;
    bound.setSingleShot(true);
    connect(&bound, &QTimer::timeout, &loop, [&] {
        abort(ticket, tr("no complete response within %1 s").arg(QString::number(maxWaitMs / 1000.0)));
    });
    bound.start(maxWaitMs);
    loop.exec();
    return result;
}
