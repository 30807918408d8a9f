#pragma once

#include "capture/delivery.h"
#include "capture/hook.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QQueue>
#include <QUrl>

#include <atomic>

class QTimer;
class Sender;

// Forwards captured hooks (Listener::hooksStored) to one target as replays and
// reports each result as a Delivery of kind Forward, which its owner stores (the
// workspace: it also sets the hook's forward status). Everything runs on the
// thread it lives on (the workspace gives it one of its own), never blocking the
// listener: hooks wait in a bounded queue and at most maxInFlight() go out at
// once through one Sender, which keeps the connections to the target alive.
//
// A target that does not answer is retried with the next hook after a short,
// growing pause (one hook at a time until it answers again), so hooks captured
// while it is down wait instead of failing one after another; the failed one is
// reported as failed and can be replayed later.
//
// When hooks arrive faster than the target takes them, the queue stops growing at
// its limits: the oldest waiting hook is then not forwarded, and counted (see
// dropped()). Memory stays bounded; nothing is left out without being counted.
class Forwarder : public QObject
{
    Q_OBJECT

public:
    explicit Forwarder(const QUrl &target, QObject *parent = nullptr);
    ~Forwarder() override;

    // Set once: readable from any thread.
    QUrl target() const { return m_target; }

    // The setters: on the forwarder's thread, or before it starts.
    void setMaxInFlight(int requests) { m_maxInFlight = qMax(1, requests); }
    int maxInFlight() const { return m_maxInFlight; }
    // The pause after the first failure, doubling after each further one, up to max.
    void setBackoff(int firstMs, int maxMs);
    void setTimeout(int ms);
    // See Sender::setTrustedCertificate().
    void setTrustedCertificate(const QString &host, int port, const QByteArray &pem);
    // Beyond this many waiting hooks (or bytes of their bodies) the oldest waiting
    // one is not forwarded.
    void setQueueLimits(qsizetype hooks, qint64 bytes);
    qsizetype maxQueuedHooks() const { return m_maxQueuedHooks; }
    // Results reported by forwarded() and not yet confirmed stored (see stored()),
    // and forwards in flight: with this many, or this many bytes of the results'
    // bodies, no further hook goes out
    // until the owner confirms some, so a store that falls behind holds hooks in
    // the bounded queue rather than results in an unbounded one. 0 (the default):
    // no such bound.
    void setMaxUnstored(int deliveries, qint64 bytes);

    // Hooks waiting plus requests in flight. Thread-safe.
    int pending() const { return m_pending.load(); }
    // Hooks not forwarded since this forwarder started. Thread-safe.
    qint64 droppedTotal() const { return m_droppedTotal.load(); }

public slots:
    void forward(const QList<Hook> &hooks);
    // The owner stored this many of the deliveries reported, the first ones first
    // (see setMaxUnstored()).
    void stored(int deliveries);
    // Ends what is in flight (reported as failed: "<reason> before the answer came")
    // and drops what waits (counted as not forwarded: "<reason> before it was sent").
    void stop(const QString &reason);

signals:
    // Forwards that finished (sent, failed, or ended by stop()), in the order they
    // did; not stored yet. Those that finish in one turn of the event loop come
    // together: one hand-over to another thread for many.
    void forwarded(const QList<Delivery> &deliveries);
    // This many more hooks were not forwarded, and why the last of them was not:
    // at once for the first, then at most once a second while hooks keep being
    // left out, and at stop().
    void dropped(qint64 hooks, const QString &reason);
    // Nothing waits and nothing is in flight.
    void idle();

private:
    void dispatch();
    void onFinished(const Delivery &delivery);
    void drop(qint64 hooks, const QString &reason);
    void reportDropped();
    void handOver();
    void updatePending() { m_pending.store(int(m_queue.size()) + m_inFlight); }

    const QUrl m_target;
    Sender *m_sender;
    QTimer *m_retryTimer;
    QTimer *m_dropTimer;             // spaces the reports of dropped hooks
    QTimer *m_handOverTimer;         // hands the results over once the event loop has no more
    QList<Delivery> m_results;       // finished, not handed over yet
    QQueue<Hook> m_queue;
    qint64 m_queuedBytes = 0;
    int m_inFlight = 0;
    QQueue<qint64> m_unstored;       // the size of each result not confirmed stored, in order
    qint64 m_unstoredBytes = 0;
    int m_maxInFlight = 16;
    int m_maxUnstored = 0;
    qint64 m_maxUnstoredBytes = 0;
    qsizetype m_maxQueuedHooks = 1000;
    qint64 m_maxQueuedBytes = qint64(64) * 1024 * 1024;
    int m_firstBackoffMs = 500;
    int m_maxBackoffMs = 5000;
    int m_failures = 0;              // forwards in a row that got no answer
    QDeadlineTimer m_retryAt;
    qint64 m_droppedUnreported = 0;
    QString m_dropReason;
    std::atomic<int> m_pending{0};
    std::atomic<qint64> m_droppedTotal{0};
};
