#include "forwarder.h"

#include "replay.h"
#include "sender.h"

#include <QDateTime>
#include <QTimer>

Forwarder::Forwarder(const QUrl &target, QObject *parent)
    : QObject(parent)
    , m_target(target)
    , m_sender(new Sender(this))
    , m_retryTimer(new QTimer(this))
{
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &Forwarder::dispatch);
    connect(m_sender, &Sender::finished, this, [this](quint64, const Delivery &delivery) { onFinished(delivery); });
}

Forwarder::~Forwarder() = default;

void Forwarder::setBackoff(int firstMs, int maxMs)
{
    m_firstBackoffMs = qMax(0, firstMs);
    m_maxBackoffMs = qMax(m_firstBackoffMs, maxMs);
}

void Forwarder::setTimeout(int ms)
{
    m_sender->setTimeout(ms);
}

void Forwarder::setTrustedCertificate(const QString &host, int port, const QByteArray &pem)
{
    m_sender->setTrustedCertificate(host, port, pem);
}

void Forwarder::setQueueLimits(qsizetype hooks, qint64 bytes)
{
    m_maxQueuedHooks = qMax<qsizetype>(1, hooks);
    m_maxQueuedBytes = qMax<qint64>(0, bytes);
}

int Forwarder::pending() const
{
    return int(m_queue.size()) + m_inFlight;
}

void Forwarder::forward(const QList<Hook> &hooks)
{
    // One hook at a time, as if each came alone: how the store batched them
    // does not change which are sent and which dropped.
    for (const Hook &hook : hooks) {
        if (hook.refused())
            continue;   // the listener refused it: there is no request to pass on
        m_queue.enqueue(hook);
        m_queuedBytes += hook.body.size();
        dispatch();
        while (m_queue.size() > 1 && (m_queue.size() > m_maxQueuedHooks || m_queuedBytes > m_maxQueuedBytes)) {
            const Hook dropped = m_queue.dequeue();
            m_queuedBytes -= dropped.body.size();
            const Draft draft = replayDraft(dropped, m_target);
            Delivery delivery;
            delivery.kind = Delivery::Kind::Forward;
            delivery.hookId = dropped.id;
            delivery.startedUs = QDateTime::currentMSecsSinceEpoch() * 1000;
            delivery.method = draft.method;
            delivery.url = draft.url.toString(QUrl::FullyEncoded);
            delivery.requestHeaders = draft.headers;
            delivery.requestBody = draft.body;
            delivery.error = tr("not sent: %n hook(s) were waiting for %1", nullptr, int(m_queue.size())).arg(m_target.toString());
            emit forwarded(delivery);
        }
    }
}

void Forwarder::dispatch()
{
    // While the target does not answer, one probe at a time, after the pause.
    const int limit = m_failures > 0 ? 1 : m_maxInFlight;
    while (!m_queue.isEmpty() && m_inFlight < limit) {
        if (m_failures > 0 && !m_retryAt.hasExpired()) {
            if (!m_retryTimer->isActive())
                m_retryTimer->start(int(qMax<qint64>(1, m_retryAt.remainingTime())));
            return;
        }
        const Hook hook = m_queue.dequeue();
        m_queuedBytes -= hook.body.size();
        ++m_inFlight;
        m_sender->send(replayDraft(hook, m_target), Delivery::Kind::Forward, hook.id);
    }
    if (pending() == 0)
        emit idle();
}

void Forwarder::onFinished(const Delivery &delivery)
{
    --m_inFlight;
    if (delivery.status == 0) {
        ++m_failures;
        const int shift = qMin(m_failures - 1, 16);
        const qint64 pause = qMin<qint64>(qint64(m_firstBackoffMs) << shift, m_maxBackoffMs);
        m_retryAt = QDeadlineTimer(pause);
    } else {
        m_failures = 0;
        m_retryTimer->stop();
    }
    emit forwarded(delivery);
    dispatch();
}

void Forwarder::stop(const QString &reason)
{
    m_queue.clear();
    m_queuedBytes = 0;
    m_retryTimer->stop();
    m_sender->abortAll(reason);
}
