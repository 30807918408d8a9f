#pragma once

#include "draft.h"

#include "capture/delivery.h"

#include <QHash>
#include <QObject>

#include <memory>

class QSocketNotifier;
class QTimer;

// Sends drafts over HTTP/1.1 with libcurl and reports each result as a Delivery.
//
// On the wire goes exactly the draft: its method and URL path, then Host, the
// draft's header fields in order and spelled as given (repeated names kept,
// empty values sent empty), then Content-Length when a body goes. libcurl's
// own additions (Accept: */*, Expect: 100-continue, a form Content-Type) are
// suppressed unless the draft has them. GET, HEAD, DELETE, OPTIONS and TRACE
// without a body go without Content-Length.
//
// Connections are kept alive between deliveries to the same target (reused only
// after a complete answer that left them open, and only for a second after
// it), yet a request is never written twice: libcurl's resend of a request
// whose reused connection closed without answering is refused, and that
// delivery fails saying so. Redirects
// are the answer, not followed; no cookies, no proxy, no content decoding. The
// response body is kept up to a cap. Every failure ends with one line saying
// what went wrong (and, for a timeout, in which phase).
//
// The transfers run in one curl multi handle driven by this object's event loop
// (socket notifiers and a timer): any number of deliveries share one thread,
// the thread the Sender lives on, and results arrive there.
class Sender : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultTimeoutMs = 10'000;
    static constexpr qint64 DefaultMaxResponseBody = 8 * 1024 * 1024;

    explicit Sender(QObject *parent = nullptr);
    ~Sender() override;

    // A request fails when no byte moved for this long (while resolving, connecting,
    // in the TLS handshake, sending or waiting for the answer).
    void setTimeout(int ms) { m_timeoutMs = ms; }
    int timeout() const { return m_timeoutMs; }
    // Response bytes beyond this end the transfer with an error; those kept are reported.
    void setMaxResponseBody(qint64 bytes) { m_maxResponseBody = bytes; }
    qint64 maxResponseBody() const { return m_maxResponseBody; }

    // Trusts, for HTTPS to host:port only, the self-signed certificate pem (instead of
    // the system's certificate authorities; its host name is not checked). Empty pem
    // removes the trust.
    void setTrustedCertificate(const QString &host, int port, const QByteArray &pem);

    // Starts sending and returns the ticket finished() will carry. Never reports
    // synchronously: an invalid draft also finishes from the event loop.
    quint64 send(const Draft &draft, Delivery::Kind kind = Delivery::Kind::Compose, qint64 hookId = 0);

    // Sends and waits in a local event loop for the result: for the command line, not
    // for a GUI. The wait ends after at most maxWaitMs (default: 60 s, or three
    // timeouts when longer) even when the server keeps trickling bytes.
    Delivery sendAndWait(const Draft &draft, Delivery::Kind kind = Delivery::Kind::Compose, qint64 hookId = 0,
                         int maxWaitMs = -1);

    // Requests started and not finished yet.
    int pending() const { return int(m_transfers.size()); }
    // Ends a pending request now; it finishes with reason as its error.
    void abort(quint64 ticket, const QString &reason);
    // The same for every pending request.
    void abortAll(const QString &reason);

    // One request in flight; public only for libcurl's callbacks.
    struct Transfer;

signals:
    void finished(quint64 ticket, const Delivery &delivery);

private:
    bool start(Transfer *transfer, const Draft &draft);
    void drive(int socket, int events);
    void collectDone();
    void complete(const std::shared_ptr<Transfer> &transfer, int curlCode);
    void sweepIdle();
    QString describeFailure(const Transfer *transfer, int curlCode) const;
    QString timeoutText(const Transfer *transfer) const;

    static int onSocket(void *easy, int socket, int what, void *sender, void *socketData);
    static int onTimer(void *multi, long timeoutMs, void *sender);

    void *m_multi = nullptr;   // CURLM
    QTimer *m_curlTimer;       // when libcurl wants to be called back
    QTimer *m_idleTimer;       // ends transfers that stalled
    struct Watch;
    QHash<int, Watch *> m_watches;   // socket -> its notifiers
    int m_timeoutMs = DefaultTimeoutMs;
    qint64 m_maxResponseBody = DefaultMaxResponseBody;
    QHash<QString, QByteArray> m_trusted;   // "host:port" -> PEM
    quint64 m_nextTicket = 1;
    QHash<quint64, std::shared_ptr<Transfer>> m_transfers;
};
