#pragma once

#include "limits.h"
#include "request.h"
#include "requestparser.h"

#include <QByteArray>

#include <optional>

namespace http {

// How long a client may take. Time is passed in by the owner (milliseconds on
// any steady clock), so that the session itself never looks at a clock.
struct Timeouts
{
    qint64 headerMs = 10'000;   // from the first byte of a request to the end of its headers
    qint64 bodyMs = 10'000;     // the longest pause within a body, and its base allowance
    qint64 idleMs = 60'000;     // a keep-alive connection with no request in progress
    // A body must also keep up an average of this many bytes a second (after the
    // first bodyMs), so that a client trickling a byte now and then cannot hold
    // a connection for ever.
    qint64 minBodyBytesPerSecond = 500;
};

// The protocol side of one client connection, without a socket: bytes in,
// requests and bytes to send out. Requests are handled one at a time: the next
// one is not parsed before the current one has its answer, so pipelined
// requests are answered in order. Whatever a request breaks, the session
// answers with the status a careful server sends and closes.
//
// A request the session refused itself, as far as it was read: for the owner
// to keep on record.
struct Refusal
{
    int status = 0;
    QByteArray reason;
    Request request;       // method, target and headers as far as they were parsed
    QByteArray received;   // the first bytes of the request that arrived, raw (Session::MaxReceivedKept at most)
};

// The owner moves bytes and time in and out:
//   receive()/receiveEnd()  what the client sent, and that it will send no more
//   takeRequest()           a complete request to store; then answer() or refuse()
//   takeOutput()            bytes to write to the client, in order
//   takeRefusal()           a request the session refused, as far as it was read
//   wantsInput()            false while enough pipelined input waits unparsed
//   isClosing()             after the output, shut down the sending side and
//                           drop whatever still arrives (a lingering close)
//   isClosed()/isAborted()  close the socket, after the output / right away
class Session
{
public:
    enum class Phase {
        Idle,      // between requests
        Headers,   // a request has begun
        Body,      // its headers are complete
        Waiting,   // handed out by takeRequest(), not answered yet
        Closing,   // the last answer is out; waiting for the client to close
        Closed,    // nothing more will be read or written
    };

    // Once this much unparsed input waits (pipelined requests behind one being
    // stored), wantsInput() turns false until it has been worked off.
    static constexpr qsizetype DefaultMaxUnparsed = 256 * 1024;
    // How much of a refused request's bytes is kept for takeRefusal().
    static constexpr qsizetype MaxReceivedKept = 64 * 1024;

    Session(const Limits &limits, const Timeouts &timeouts, qint64 nowMs,
            qsizetype maxUnparsed = DefaultMaxUnparsed);

    void receive(QByteArrayView data, qint64 nowMs);
    void receiveEnd(qint64 nowMs);

    // A complete request, handed out once; the session waits for its answer.
    std::optional<Request> takeRequest();
    // Whether the connection closes after the answer to the request handed out
    // (the client asked for it, it is HTTP/1.0 without keep-alive, or drain()).
    bool closesAfterAnswer() const { return !m_keepAlive; }

    // The whole response for the request handed out. Pipelined input that
    // waited is parsed next, so another request may be ready afterwards.
    void answer(QByteArray response, qint64 nowMs);
    // Answers the request handed out (or the one in progress) with an error and closes.
    void refuse(int status, QByteArrayView reason, qint64 nowMs);

    // The request the session refused last (a parse error or a timeout), handed
    // out once. Refusals by the owner (refuse()) are the owner's to record.
    std::optional<Refusal> takeRefusal();

    QByteArray takeOutput();
    bool hasOutput() const { return !m_output.isEmpty(); }

    // No new requests after the current one: closes at once when idle.
    void drain(qint64 nowMs);
    // Applies the deadlines: 408 for a request too slow, a quiet close when
    // idle too long, an abort for a client that never finishes closing.
    void checkTimeouts(qint64 nowMs);

    Phase phase() const { return m_phase; }
    bool wantsInput() const;
    bool isClosing() const { return m_phase == Phase::Closing; }
    bool isClosed() const { return m_phase == Phase::Closed; }
    bool isAborted() const { return m_aborted; }
    // A request is in progress or input waits: shutting down should wait for it.
    bool isBusy() const;

private:
    void process(QByteArrayView data, qint64 nowMs);
    void enterPhase(Phase phase, qint64 nowMs);
    void close(qint64 nowMs);
    void refuseRequest(int status, QByteArrayView reason, qint64 nowMs);
    void keepReceived(QByteArrayView data);
    qint64 bodyDeadline() const;

    RequestParser m_parser;
    Timeouts m_timeouts;
    qsizetype m_maxUnparsed;
    QByteArray m_pending;              // input that arrived while a request was waiting
    std::optional<Request> m_ready;    // complete, not handed out yet
    QByteArray m_output;
    // The bytes of the request in progress that earlier reads brought, up to
    // MaxReceivedKept: a request that is complete within one read costs no copy,
    // nor does a Content-Length body (the parser holds it as it came).
    QByteArray m_received;
    bool m_keepingReceived = true;     // false once the rest is the parser's body
    std::optional<Refusal> m_refusal;
    Phase m_phase = Phase::Idle;
    bool m_keepAlive = true;
    bool m_sentContinue = false;
    bool m_draining = false;
    bool m_inputEnded = false;
    bool m_aborted = false;
    qint64 m_phaseStartMs = 0;         // when the current phase began
    qint64 m_lastInputMs = 0;          // when the last byte of the current request arrived
    qint64 m_bodyBytes = 0;            // bytes received since the headers ended
};

} // namespace http
