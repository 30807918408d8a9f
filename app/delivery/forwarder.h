#pragma once

#include "capture/delivery.h"
#include "capture/hook.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QQueue>
#include <QUrl>

class QTimer;
class Sender;

// Forwards captured hooks (Listener::hooksStored) to one target as replays and
// reports each result as a Delivery of kind Forward, which its owner stores (the
// workspace: it also sets the hook's forward status). It runs on its owner's thread and never blocks the listener:
// hooks wait in a bounded queue and at most maxInFlight() go out at once.
//
// A target that does not answer is retried with the next hook after a short,
// growing pause (one hook at a time until it answers again), so hooks captured
// while it is down wait instead of failing one after another; the failed one is
// stored as failed and can be replayed later.
class Forwarder : public QObject
{
    Q_OBJECT

public:
    explicit Forwarder(const QUrl &target, QObject *parent = nullptr);
    ~Forwarder() override;

    QUrl target() const { return m_target; }

    void setMaxInFlight(int requests) { m_maxInFlight = qMax(1, requests); }
    int maxInFlight() const { return m_maxInFlight; }
    // The pause after the first failure, doubling after each further one, up to max.
    void setBackoff(int firstMs, int maxMs);
    void setTimeout(int ms);
    // See Sender::setTrustedCertificate().
    void setTrustedCertificate(const QString &host, int port, const QByteArray &pem);
    // Beyond this many waiting hooks (or bytes of their bodies) the oldest waiting one
    // is stored as failed and not sent.
    void setQueueLimits(qsizetype hooks, qint64 bytes);

    // Hooks waiting plus requests in flight.
    int pending() const;

public slots:
    void forward(const QList<Hook> &hooks);
    // Ends what is in flight (stored as failed with reason) and drops what waits
    // (those hooks stay "not forwarded").
    void stop(const QString &reason);

signals:
    // A forward finished (sent, failed, or ended by stop()); not stored yet.
    void forwarded(const Delivery &delivery);
    // Nothing waits and nothing is in flight.
    void idle();

private:
    void dispatch();
    void onFinished(const Delivery &delivery);

    QUrl m_target;
    Sender *m_sender;
    QTimer *m_retryTimer;
    QQueue<Hook> m_queue;
    qint64 m_queuedBytes = 0;
    int m_inFlight = 0;
    int m_maxInFlight = 8;
    qsizetype m_maxQueuedHooks = 1000;
    qint64 m_maxQueuedBytes = qint64(64) * 1024 * 1024;
    int m_firstBackoffMs = 500;
    int m_maxBackoffMs = 5000;
    int m_failures = 0;              // forwards in a row that got no answer
    QDeadlineTimer m_retryAt;
};
