// Fuzz target for the connection state machine without sockets: the real
// http::Session (app/http/session.cpp) that Connection drives, fed the way
// Connection feeds it. Bytes wait "in the socket" while the session does not
// want input (pipelined requests held back behind one being stored), the store
// commits at once or only when the next piece arrives, and the client may
// half-close after its last byte. What goes out is split back into 100
// Continue, the answers and a refusal, and checked against what the parser
// alone makes of the whole stream.

#include "parsetrace.h"

#include "http/response.h"
#include "http/session.h"

#include <QByteArray>

namespace {

const QByteArray Continue = QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n");
const QByteArray Answer = http::serializeResponse(200, {}, "ok", false);

enum class Event { Continue, Answer, Refusal };
struct Output
{
    Event event;
    int status = 0;
};

// Splits what the session sent into responses. A refusal must be the last
// one, whole, and announce the close.
QList<Output> splitOutput(const QByteArray &out)
{
    QList<Output> outputs;
    qsizetype at = 0;
    while (at < out.size()) {
        const QByteArrayView rest = QByteArrayView(out).sliced(at);
        if (rest.startsWith(Continue)) {
            outputs.append({Event::Continue, 100});
            at += Continue.size();
        } else if (rest.startsWith(Answer)) {
            outputs.append({Event::Answer, 200});
            at += Answer.size();
        } else {
            FUZZ_CHECK(rest.startsWith("HTTP/1.1 "));
            const int status = rest.sliced(9, 3).toByteArray().toInt();
            FUZZ_CHECK(fuzz::isRefusalStatus(status));
            const qsizetype headEnd = rest.indexOf("\r\n\r\n");
            FUZZ_CHECK(headEnd > 0);
            const QByteArrayView head = rest.first(headEnd);
            FUZZ_CHECK(head.contains("\r\nConnection: close"));
            const qsizetype length = head.indexOf("\r\nContent-Length: ");
            FUZZ_CHECK(length > 0);
            const qsizetype bodySize = head.sliced(length + 18).toByteArray().split('\r').constFirst().toLongLong();
            FUZZ_CHECK(headEnd + 4 + bodySize == rest.size());   // nothing after it
            outputs.append({Event::Refusal, status});
            at = out.size();
        }
    }
    return outputs;
}

class Harness
{
public:
    Harness(const http::Limits &limits, qsizetype maxUnparsed)
        : m_session(limits, {}, 0, maxUnparsed)
        , m_limits(limits)
    {
    }

    void arrive(QByteArrayView data)
    {
        m_received += data.size();
        m_socket.append(data);
        pump();
    }

    void halfClose()
    {
        m_ended = true;
        pump();
    }

    bool isStoring() const { return m_storing; }

    // The store committed the pending hook: answer it and go on with what waits.
    void commit()
    {
        FUZZ_CHECK(m_storing && m_session.phase() == http::Session::Phase::Waiting);
        m_storing = false;
        m_session.answer(Answer, m_now);
        collect();
        pump();
    }

    void checkNothingStalls() const
    {
        using Phase = http::Session::Phase;
        FUZZ_CHECK(m_storing == (m_session.phase() == Phase::Waiting));
        if (m_storing || m_session.isClosing() || m_session.isClosed())
            return;
        // Open and not waiting for the store: it must have read everything.
        FUZZ_CHECK(m_session.wantsInput() || m_ended);
        FUZZ_CHECK(m_socket.isEmpty());
    }

    const http::Session &session() const { return m_session; }
    const QList<http::Request> &stored() const { return m_stored; }
    QList<Output> outputs() const { return splitOutput(m_output); }
    qsizetype received() const { return m_received; }
    bool ended() const { return m_ended; }

private:
    // As Connection: read while the session wants input, in reads of at most 64 KiB.
    void pump()
    {
        ++m_now;
        while (!m_socket.isEmpty() && m_session.wantsInput()) {
            const qsizetype n = std::min<qsizetype>(m_socket.size(), 64 * 1024);
            m_session.receive(QByteArrayView(m_socket).first(n), m_now);
            m_socket.remove(0, n);
            collect();
        }
        if (m_ended && m_socket.isEmpty() && !m_endDelivered && m_session.wantsInput()) {
            m_endDelivered = true;
            m_session.receiveEnd(m_now);
            collect();
        }
    }

    void collect()
    {
        if (std::optional<http::Request> request = m_session.takeRequest()) {
            FUZZ_CHECK(!m_storing);
            fuzz::checkRequest(*request, m_limits);
            m_stored.append(std::move(*request));
            m_storing = true;
        }
        m_output += m_session.takeOutput();
    }

    http::Session m_session;
    http::Limits m_limits;
    qint64 m_now = 0;
    QByteArray m_socket;   // arrived, not read yet
    QByteArray m_output;
    QList<http::Request> m_stored;
    bool m_storing = false;
    bool m_ended = false;
    bool m_endDelivered = false;
    qsizetype m_received = 0;
};

// The session answers exactly what the parser decides over the whole stream,
// up to the first refusal or the first request that closes the connection.
void checkAgainstParser(const Harness &harness, const fuzz::Trace &trace)
{
    const QList<http::Request> &stored = harness.stored();
    const QList<Output> outputs = harness.outputs();
    FUZZ_CHECK(stored.size() <= trace.items.size());
    for (qsizetype i = 0; i < stored.size(); ++i) {
        FUZZ_CHECK(!trace.items.at(i).error);
        FUZZ_CHECK(fuzz::sameRequest(stored.at(i), trace.items.at(i).request));
    }
    // Requests are answered in order and the next one is not read before the
    // answer, so a 100 Continue belongs to the request after the answers so far.
    qsizetype answers = 0;
    qsizetype refusals = 0;
    qsizetype continuedRequest = -1;
    for (const Output &output : outputs) {
        FUZZ_CHECK(refusals == 0);   // nothing goes out after a refusal
        FUZZ_CHECK(answers == 0 || stored.at(answers - 1).keepAlive);   // nor after a closing answer
        switch (output.event) {
        case Event::Continue:
            FUZZ_CHECK(continuedRequest < answers);   // one per request
            continuedRequest = answers;
            if (answers < stored.size()) {
                const http::Request &request = stored.at(answers);
                FUZZ_CHECK(request.versionMinor == 1 && http::hasToken(request.headers, "Expect", "100-continue"));
            }
            break;
        case Event::Answer:
            ++answers;
            break;
        case Event::Refusal:
            ++refusals;
            break;
        }
    }
    FUZZ_CHECK(answers <= stored.size());
    const http::Session &session = harness.session();
    const bool closedByRequest = !stored.isEmpty() && !stored.constLast().keepAlive && answers == stored.size();
    if (refusals > 0) {
        FUZZ_CHECK(trace.items.size() > stored.size() && trace.items.at(stored.size()).error);
        FUZZ_CHECK(outputs.constLast().status == trace.items.at(stored.size()).errorStatus);
    } else if (!closedByRequest && !harness.isStoring()) {
        // Still open: it must have taken every request the stream holds.
        FUZZ_CHECK(stored.size() == trace.items.size());
    }
    if (closedByRequest || refusals > 0)
        FUZZ_CHECK(session.isClosing() || session.isClosed());
    // After the client's end and the last answer, nothing is left to do.
    if (harness.ended() && !harness.isStoring())
        FUZZ_CHECK(session.isClosed());
    for (qsizetype i = 0; i + 1 < stored.size(); ++i)
        FUZZ_CHECK(stored.at(i).keepAlive);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const fuzz::Plan plan = fuzz::readPlan(data, size);
    // Small, so that short inputs reach the held-back path Connection takes at 256 KiB.
    constexpr qsizetype MaxUnparsed = 64;
    Harness harness(plan.limits, MaxUnparsed);
    for (const QByteArrayView piece : plan.pieces()) {
        harness.arrive(piece);
        if (plan.slowStore) {
            if (harness.isStoring())
                harness.commit();
        } else {
            while (harness.isStoring())
                harness.commit();
        }
        harness.checkNothingStalls();
    }
    if (plan.halfClose)
        harness.halfClose();
    while (harness.isStoring()) {
        harness.commit();
        harness.checkNothingStalls();
    }
    harness.checkNothingStalls();
    // A request costs at least 16 bytes ("M / HTTP/1.0\r\n\r\n").
    FUZZ_CHECK(harness.stored().size() * 16 <= harness.received());
    checkAgainstParser(harness, fuzz::parseStream({plan.payload}, plan.limits));
    return 0;
}
