#include "forwarder.h"

#include "replay.h"
#include "sender.h"

#include <QTimer>

namespace {

// Reports of dropped hooks come at most this often while they keep being dropped.
constexpr int DropReportMs = 1000;

} // namespace

Forwarder::Forwarder(const QUrl &target, QObject *parent)
    : QObject(parent)
    , m_target(target)
    , m_sender(new Sender(this))
    , m_retryTimer(new QTimer(this))
    , m_dropTimer(new QTimer(this))
    , m_handOverTimer(new QTimer(this))
{
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &Forwarder::dispatch);
    m_dropTimer->setSingleShot(true);
    m_dropTimer->setInterval(DropReportMs);
    connect(m_dropTimer, &QTimer::timeout, this, &Forwarder::reportDropped);
    m_handOverTimer->setSingleShot(true);
    m_handOverTimer->setInterval(0);
    connect(m_handOverTimer, &QTimer::timeout, this, &Forwarder::handOver);
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

void Forwarder::setMaxUnstored(int deliveries, qint64 bytes)
{
    m_maxUnstored = qMax(0, deliveries);
    m_maxUnstoredBytes = qMax<qint64>(1, bytes);
}

void Forwarder::setQueueLimits(qsizetype hooks, qint64 bytes)
{
    m_maxQueuedHooks = qMax<qsizetype>(1, hooks);
    m_maxQueuedBytes = qMax<qint64>(0, bytes);
}

void Forwarder::forward(const QList<Hook> &hooks)
{
    for (const Hook &hook : hooks) {
        if (hook.refused())
            continue;   // the listener refused it: there is no request to pass on
        m_queue.enqueue(hook);
        m_queuedBytes += hook.body.size();
    }
    dispatch();
    // What the target could not take: the oldest waiting hooks, so that the queue,
    // and what is forwarded once the target catches up, stays the newest.
    qint64 dropped = 0;
    while (m_queue.size() > 1 && (m_queue.size() > m_maxQueuedHooks || m_queuedBytes > m_maxQueuedBytes)) {
        m_queuedBytes -= m_queue.dequeue().body.size();
        ++dropped;
    }
    if (dropped > 0) {
        const int waiting = int(m_queue.size());
        drop(dropped, tr("%1 did not keep up: the queue of hooks waiting for it was full (%2)")
                          .arg(m_target.toString()).arg(waiting));
    }
    updatePending();
}

void Forwarder::dispatch()
{
    // While the target does not answer, one probe at a time, after the pause.
    const int limit = m_failures > 0 ? 1 : m_maxInFlight;
    const auto storeKeepsUp = [this] {
        // Those in flight will be results too.
        return m_maxUnstored == 0
            || (m_inFlight + m_unstored.size() < m_maxUnstored && m_unstoredBytes < m_maxUnstoredBytes);
    };
    while (!m_queue.isEmpty() && m_inFlight < limit && storeKeepsUp()) {
        if (m_failures > 0 && !m_retryAt.hasExpired()) {
            if (!m_retryTimer->isActive())
                m_retryTimer->start(int(qMax<qint64>(1, m_retryAt.remainingTime())));
            break;
        }
        const Hook hook = m_queue.dequeue();
        m_queuedBytes -= hook.body.size();
        ++m_inFlight;
        m_sender->send(replayDraft(hook, m_target), Delivery::Kind::Forward, hook.id);
    }
    updatePending();
    if (pending() == 0)
        emit idle();
}

void Forwarder::onFinished(const Delivery &delivery)
{
    --m_inFlight;
    const qint64 size = delivery.requestHead.size() + delivery.requestBody.size() + delivery.responseBody.size();
    m_unstored.enqueue(size);
    m_unstoredBytes += size;
    if (delivery.status == 0) {
        ++m_failures;
        const int shift = qMin(m_failures - 1, 16);
        const qint64 pause = qMin<qint64>(qint64(m_firstBackoffMs) << shift, m_maxBackoffMs);
        m_retryAt = QDeadlineTimer(pause);
    } else {
        m_failures = 0;
        m_retryTimer->stop();
    }
    m_results.append(delivery);
    if (!m_handOverTimer->isActive())
        m_handOverTimer->start();
    dispatch();
}

void Forwarder::handOver()
{
    m_handOverTimer->stop();
    if (!m_results.isEmpty())
        emit forwarded(std::exchange(m_results, {}));
}

void Forwarder::stored(int deliveries)
{
    // Results of an earlier forwarder of the owner may be confirmed here too: never below none.
    for (int i = 0; i < deliveries && !m_unstored.isEmpty(); ++i)
        m_unstoredBytes -= m_unstored.dequeue();
    dispatch();
}

void Forwarder::drop(qint64 hooks, const QString &reason)
{
    m_droppedTotal += hooks;
    m_droppedUnreported += hooks;
    m_dropReason = reason;
    if (!m_dropTimer->isActive())
        reportDropped();
}

void Forwarder::reportDropped()
{
    if (m_droppedUnreported == 0)
        return;
    emit dropped(std::exchange(m_droppedUnreported, 0), m_dropReason);
    m_dropTimer->start();
}

void Forwarder::stop(const QString &reason)
{
    const qint64 waiting = m_queue.size();
    m_queue.clear();
    m_queuedBytes = 0;
    m_retryTimer->stop();
    if (waiting > 0)
        drop(waiting, tr("%1 before it was sent").arg(reason));
    m_dropTimer->stop();
    reportDropped();
    m_dropTimer->stop();
    m_sender->abortAll(tr("%1 before the answer came").arg(reason));
    handOver();
    updatePending();
}
