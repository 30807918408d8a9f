#include "smeechannel.h"

#include "backoff.h"
#include "smeeevent.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPromise>

namespace relay {

namespace {

QString sizeText(qsizetype bytes)
{
    return bytes % (1024 * 1024) == 0 ? QStringLiteral("%1 MiB").arg(bytes / (1024 * 1024)) : QStringLiteral("%1 bytes").arg(bytes);
}

} // namespace

QUrl defaultSmeeServer()
{
    return QUrl(QStringLiteral("https://smee.io"));
}

SmeeChannel::SmeeChannel(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
{
    m_stallTimer.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    connect(&m_stallTimer, &QTimer::timeout, this, &SmeeChannel::onStall);
    connect(&m_retryTimer, &QTimer::timeout, this, &SmeeChannel::connectStream);
}

SmeeChannel::~SmeeChannel()
{
    blockSignals(true);
    stop();
}

bool SmeeChannel::start(const QUrl &channel, QString *error)
{
    stop();
    if (!channel.isValid() || (channel.scheme() != u"https" && channel.scheme() != u"http") || channel.host().isEmpty()) {
        *error = tr("'%1' is not an http(s) URL").arg(channel.toString());
        return false;
    }
    const QString path = channel.path();
    if (path.isEmpty() || path == u"/" || path.endsWith(u'/')) {
        *error = tr("'%1' names no channel: a channel URL looks like https://smee.io/AbC123xyz").arg(channel.toString());
        return false;
    }
    m_channel = channel;
    m_error.clear();
    m_backoff.reset();
    m_reconnections = 0;
    m_wasConnected = false;
    connectStream();
    return true;
}

void SmeeChannel::stop()
{
    m_retryTimer.stop();
    m_stallTimer.stop();
    const bool wasActive = isActive();
    dropReply();
    setState(State::Stopped);
    if (wasActive)
        emit message(tr("stopped receiving from %1").arg(m_channel.toString()));
}

void SmeeChannel::connectStream()
{
    dropReply();
    m_parser = SseParser(m_timings.maxEventBytes);
    QNetworkRequest request(m_channel);
    // smee serves the stream only for exactly this Accept; anything else gets its web page.
    request.setRawHeader("Accept", "text/event-stream");
    request.setRawHeader("Cache-Control", "no-cache");
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    QNetworkReply *reply = m_network->get(request);
    m_reply = reply;
    // Each handler serves this reply only: one dropped meanwhile is disconnected.
    connect(reply, &QNetworkReply::metaDataChanged, this, &SmeeChannel::onMetaData);
    connect(reply, &QIODevice::readyRead, this, &SmeeChannel::onData);
    connect(reply, &QNetworkReply::finished, this, &SmeeChannel::onFinished);
    setState(State::Connecting);
    m_stallTimer.start(m_timings.stallMs);
}

void SmeeChannel::onMetaData()
{
    QNetworkReply *reply = m_reply;
    if (!reply || m_state == State::Connected)
        return;
    const QVariant statusValue = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!statusValue.isValid())
        return;
    const int status = statusValue.toInt();
    if (status >= 300 && status < 400)
        return;   // followed
    const QByteArray type = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray().trimmed().toLower();
    if (status == 200 && type.startsWith("text/event-stream")) {
        m_backoff.reset();
        setState(State::Connected);
        emit message(m_wasConnected ? tr("connected again to %1 (deliveries made while disconnected are lost)").arg(m_channel.toString())
                                    : tr("receiving from %1").arg(m_channel.toString()));
        m_wasConnected = true;
        return;
    }
    if (status == 200) {
        fail(tr("%1 is not a smee channel: the server answered with %2 instead of an event stream (text/event-stream);"
                " is it a smee server?")
                 .arg(m_channel.toString(), type.isEmpty() ? tr("no content type") : QString::fromLatin1(type)));
    } else if (status >= 500 || status == 408 || status == 429) {
        retry(tr("%1 answered HTTP %2").arg(m_channel.toString()).arg(status));
    } else {
        fail(tr("%1 is not a smee channel: the server answered HTTP %2").arg(m_channel.toString()).arg(status));
    }
}

void SmeeChannel::onData()
{
    QNetworkReply *reply = m_reply;
    if (!reply || m_state != State::Connected)
        return;
    const QByteArray bytes = reply->readAll();
    m_stallTimer.start(m_timings.stallMs);
    const QList<SseEvent> events = m_parser.feed(bytes);
    for (int oversized = m_parser.takeOversized(); oversized > 0; --oversized) {
        const QString why = tr("an event of more than %1 from %2 was skipped").arg(sizeText(m_timings.maxEventBytes), m_channel.toString());
        emit eventRejected(why);
        emit message(why);
    }
    for (const SseEvent &event : events) {
        if (!event.name.isEmpty() && event.name != "message")
            continue;   // ready, ping, and whatever else a server says besides deliveries
        QString error;
        const std::optional<Hook> hook = hookFromSmee(event.data, m_channel, &error);
        if (!hook) {
            const QString why = tr("a malformed event from %1 was skipped: %2").arg(m_channel.toString(), error);
            emit eventRejected(why);
            emit message(why);
            continue;
        }
        emit delivered(*hook);
        if (m_reply != reply)
            return;   // stopped by a receiver
    }
}

void SmeeChannel::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || m_state == State::Failed)
        return;
    const QString error = reply->error() == QNetworkReply::NoError || reply->error() == QNetworkReply::RemoteHostClosedError
        ? tr("the server closed the stream")
        : reply->errorString();
    retry(tr("lost %1: %2").arg(m_channel.toString(), error));
}

void SmeeChannel::onStall()
{
    retry(tr("%1 sent nothing for %2 s").arg(m_channel.toString(), secondsText(m_timings.stallMs)));
}

void SmeeChannel::retry(const QString &why)
{
    dropReply();
    m_stallTimer.stop();
    const int wait = m_backoff.next(m_timings.firstBackoffMs, m_timings.maxBackoffMs);
    ++m_reconnections;
    setState(State::Waiting);
    emit message(tr("%1; deliveries made until it is back are lost; connecting again in %2 s").arg(why, secondsText(wait)));
    m_retryTimer.start(wait);
}

void SmeeChannel::fail(const QString &error)
{
    dropReply();
    m_stallTimer.stop();
    m_error = error;
    setState(State::Failed);
    emit failed(error);
}

void SmeeChannel::dropReply()
{
    if (QNetworkReply *reply = m_reply) {
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void SmeeChannel::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    emit stateChanged(state);
}

QFuture<NewChannel> requestNewChannel(QNetworkAccessManager *network, const QUrl &server)
{
    auto promise = std::make_shared<QPromise<NewChannel>>();
    promise->start();
    QFuture<NewChannel> future = promise->future();
    QUrl url = server;
    url.setPath(url.path().endsWith(u'/') ? QString(url.path() + u"new") : QString(url.path() + u"/new"));
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(20'000);
    QNetworkReply *reply = network->head(request);
    QObject::connect(reply, &QNetworkReply::finished, reply, [reply, promise, url] {
        reply->deleteLater();
        NewChannel result;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QUrl location = reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl();
        if (status >= 300 && status < 400 && location.isValid() && !location.isEmpty()) {
            result.url = url.resolved(location);
        } else if (reply->error() != QNetworkReply::NoError && status == 0) {
            result.error = QObject::tr("cannot reach %1: %2").arg(url.toString(), reply->errorString());
        } else {
            result.error = QObject::tr("%1 did not hand out a channel (HTTP %2): is it a smee server?").arg(url.toString()).arg(status);
        }
        promise->addResult(result);
        promise->finish();
    });
    return future;
}

} // namespace relay
