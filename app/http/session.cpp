#include "session.h"

#include "response.h"

namespace http {

Session::Session(const Limits &limits, const Timeouts &timeouts, qint64 nowMs, qsizetype maxUnparsed)
    : m_parser(limits)
    , m_timeouts(timeouts)
    , m_maxUnparsed(maxUnparsed)
    , m_phaseStartMs(nowMs)
    , m_lastInputMs(nowMs)
{
}

void Session::enterPhase(Phase phase, qint64 nowMs)
{
    m_phase = phase;
    m_phaseStartMs = nowMs;
}

void Session::receive(QByteArrayView data, qint64 nowMs)
{
    if (data.isEmpty())
        return;
    switch (m_phase) {
    case Phase::Closing:
    case Phase::Closed:
        return;   // data after a final answer is not processed
    case Phase::Waiting:
        // Pipelined requests wait their turn; after a closing request there is none.
        if (m_keepAlive)
            m_pending.append(data);
        return;
    case Phase::Idle:
    case Phase::Headers:
    case Phase::Body:
        m_lastInputMs = nowMs;
        process(data, nowMs);
        return;
    }
}

void Session::process(QByteArrayView data, qint64 nowMs)
{
    qsizetype offset = 0;
    qsizetype start = 0;   // where the bytes of the current request begin in data
    while (offset < data.size()) {
        if (m_phase == Phase::Idle) {
            enterPhase(Phase::Headers, nowMs);
            m_lastInputMs = nowMs;
            start = offset;
            m_keepingReceived = true;
        }
        const bool inBody = m_phase == Phase::Body;
        const ParseResult result = m_parser.feed(data.sliced(offset));
        offset += result.consumed;
        if (inBody)
            m_bodyBytes += result.consumed;
        switch (result.status) {
        case ParseStatus::Error:
            keepReceived(data.sliced(start));
            refuseRequest(result.errorStatus, result.errorReason, nowMs);
            return;
        case ParseStatus::Incomplete:
            if (m_keepingReceived && m_parser.headersComplete() && !m_parser.request().chunked) {
                // A Content-Length body arrives as it is, and the parser keeps it
                // already: of this read, only the head.
                keepReceived(data.sliced(start).chopped(m_parser.request().body.size()));
                m_keepingReceived = false;
            } else {
                keepReceived(data.sliced(start));
            }
            if (m_parser.headersComplete() && m_phase == Phase::Headers) {
                enterPhase(Phase::Body, nowMs);
                m_bodyBytes = 0;
            }
            if (m_parser.expectsContinue() && !m_sentContinue) {
                m_sentContinue = true;
                m_output.append("HTTP/1.1 100 Continue\r\n\r\n");
            }
            return;   // the parser keeps what it needs of an unfinished line
        case ParseStatus::Complete:
            if (!m_received.isEmpty())
                m_received.clear();
            m_ready = m_parser.takeRequest();
            m_keepAlive = m_ready->keepAlive && !m_draining;
            m_sentContinue = false;
            enterPhase(Phase::Waiting, nowMs);
            if (m_keepAlive)
                m_pending = data.sliced(offset).toByteArray();
            return;
        }
    }
}

void Session::receiveEnd(qint64 nowMs)
{
    m_inputEnded = true;
    switch (m_phase) {
    case Phase::Idle:
    case Phase::Headers:   // a request that can no longer complete is dropped
    case Phase::Body:
    case Phase::Closing:
        enterPhase(Phase::Closed, nowMs);
        break;
    case Phase::Waiting:   // its answer still goes out
    case Phase::Closed:
        break;
    }
}

std::optional<Request> Session::takeRequest()
{
    std::optional<Request> request;
    request.swap(m_ready);
    return request;
}

void Session::answer(QByteArray response, qint64 nowMs)
{
    if (m_phase != Phase::Waiting)
        return;
    m_ready.reset();
    if (m_output.isEmpty())
        m_output = std::move(response);   // the common case: nothing else waits to go out
    else
        m_output.append(response);
    if (!m_keepAlive || (m_draining && m_pending.isEmpty())) {
        close(nowMs);
        return;
    }
    enterPhase(Phase::Idle, nowMs);
    const QByteArray pending = std::exchange(m_pending, QByteArray());
    process(pending, nowMs);
    if (m_inputEnded && m_phase != Phase::Waiting)
        enterPhase(Phase::Closed, nowMs);
}

void Session::refuse(int status, QByteArrayView reason, qint64 nowMs)
{
    if (m_phase == Phase::Closing || m_phase == Phase::Closed)
        return;
    m_ready.reset();
    m_output.append(errorResponse(status, reason));
    close(nowMs);
}

void Session::keepReceived(QByteArrayView data)
{
    const qsizetype room = MaxReceivedKept - m_received.size();
    if (m_keepingReceived && room > 0)
        m_received.append(data.first(std::min(room, data.size())));
}

void Session::refuseRequest(int status, QByteArrayView reason, qint64 nowMs)
{
    if (m_phase == Phase::Closing || m_phase == Phase::Closed)
        return;
    QByteArray received = std::exchange(m_received, QByteArray());
    const QByteArray &body = m_parser.request().body;
    if (!m_keepingReceived && received.size() < MaxReceivedKept)
        received += QByteArrayView(body).first(std::min(MaxReceivedKept - received.size(), body.size()));
    m_refusal = Refusal{status, reason.toByteArray(), m_parser.request(), std::move(received)};
    m_refusal->request.body.clear();   // what arrived of it is in received
    refuse(status, reason, nowMs);
}

std::optional<Refusal> Session::takeRefusal()
{
    std::optional<Refusal> refusal;
    refusal.swap(m_refusal);
    return refusal;
}

void Session::close(qint64 nowMs)
{
    m_pending.clear();
    // A lingering close (RFC 9112 9.6): the owner half-closes once the output is
    // out and drops what the client still sends until it closes its side.
    // Closing at once would answer those bytes with a reset, and a client still
    // sending its body would lose the answer.
    enterPhase(m_inputEnded ? Phase::Closed : Phase::Closing, nowMs);
}

QByteArray Session::takeOutput()
{
    return std::exchange(m_output, QByteArray());
}

void Session::drain(qint64 nowMs)
{
    m_draining = true;
    if (m_phase == Phase::Idle)
        close(nowMs);
}

qint64 Session::bodyDeadline() const
{
    qint64 allowance = m_timeouts.bodyMs;
    if (m_timeouts.minBodyBytesPerSecond > 0)
        allowance += m_bodyBytes * 1000 / m_timeouts.minBodyBytesPerSecond;
    return m_phaseStartMs + allowance;
}

void Session::checkTimeouts(qint64 nowMs)
{
    switch (m_phase) {
    case Phase::Idle:
        if (nowMs - m_phaseStartMs > m_timeouts.idleMs)
            close(nowMs);
        break;
    case Phase::Headers:
        if (nowMs - m_phaseStartMs > m_timeouts.headerMs)
            refuseRequest(408, "request headers not received in time", nowMs);
        break;
    case Phase::Body:
        if (nowMs - m_lastInputMs > m_timeouts.bodyMs)
            refuseRequest(408, "request body stalled", nowMs);
        else if (m_timeouts.minBodyBytesPerSecond > 0 && nowMs > bodyDeadline())
            refuseRequest(408, "request body arriving too slowly", nowMs);
        break;
    case Phase::Closing:
        // A client that never reads its answer or never closes must not hold the slot.
        if (nowMs - m_phaseStartMs > m_timeouts.bodyMs) {
            m_aborted = true;
            enterPhase(Phase::Closed, nowMs);
        }
        break;
    case Phase::Waiting:
    case Phase::Closed:
        break;
    }
}

bool Session::wantsInput() const
{
    if (m_inputEnded || m_phase == Phase::Closed)
        return false;
    return !(m_phase == Phase::Waiting && m_pending.size() > m_maxUnparsed);
}

bool Session::isBusy() const
{
    return m_phase == Phase::Waiting || m_phase == Phase::Body;
}

} // namespace http
