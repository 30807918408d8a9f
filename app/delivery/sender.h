#pragma once

#include "draft.h"

#include "capture/delivery.h"

#include <QHash>
#include <QObject>

#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

// Sends drafts over HTTP/1.1 with QNetworkAccessManager and reports each result as a
// Delivery. Redirects are not followed (a 3xx is the answer), cookies are neither
// stored nor sent, and the response body is kept up to a cap.
//
// What QNetworkAccessManager does to a request and cannot be told not to:
// - Host comes first, then the draft's headers in order, then Content-Length (when a
//   body is sent), Connection: Keep-Alive, and, when the draft lacks them,
//   Accept-Encoding (the response is then decoded), Accept-Language and
//   User-Agent: Mozilla/5.0 (a compressed answer to its own Accept-Encoding is
//   decoded; the Content-Encoding header is reported as received);
// - fields of the same name are sent as one, their values joined with ", ";
// - in the URL, percent-escapes of unreserved characters (%41) are decoded;
// - GET, HEAD, DELETE, OPTIONS and TRACE without a body go without Content-Length,
//   every other method sends Content-Length even for an empty body.
class Sender : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultTimeoutMs = 10'000;
    static constexpr qint64 DefaultMaxResponseBody = 8 * 1024 * 1024;

    explicit Sender(QObject *parent = nullptr);
    ~Sender() override;

    // A request fails when no byte moved for this long (while connecting, sending or
    // waiting for the answer).
    void setTimeout(int ms) { m_timeoutMs = ms; }
    int timeout() const { return m_timeoutMs; }
    // Response bytes beyond this end the transfer with an error; those kept are reported.
    void setMaxResponseBody(qint64 bytes) { m_maxResponseBody = bytes; }
    qint64 maxResponseBody() const { return m_maxResponseBody; }

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

signals:
    void finished(quint64 ticket, const Delivery &delivery);

private:
    struct Transfer;
    void start(const std::shared_ptr<Transfer> &transfer, const Draft &draft);
    void readBody(Transfer *transfer);
    void complete(const std::shared_ptr<Transfer> &transfer);
    QString describeError(const QNetworkReply *reply, int status) const;

    QNetworkAccessManager *m_network;
    int m_timeoutMs = DefaultTimeoutMs;
    qint64 m_maxResponseBody = DefaultMaxResponseBody;
    quint64 m_nextTicket = 1;
    QHash<quint64, std::shared_ptr<Transfer>> m_transfers;
};
