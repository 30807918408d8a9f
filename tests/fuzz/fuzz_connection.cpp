// Fuzz target for the connection state machine without sockets. Connection
// (app/capture/connection.cpp) needs a QTcpSocket and a Server, so this harness
// drives http::RequestParser exactly as it does: the read buffer and its offset,
// the Idle/Headers/Body/Storing/Closing phases, one 100 Continue per request,
// takeRequest() and pipelined requests waiting while one is stored, reading held
// back when too much is unparsed, and closing after a refusal or "Connection: close".
// The payload arrives in the pieces the input's first bytes choose; the store
// commits at once or only when the next piece arrives.

#include "parsetrace.h"

#include <QByteArray>

namespace {

class ConnectionModel
{
public:
    enum class Event { Continue, Answer, Refusal };
    struct Output
    {
        Event event;
        int status = 0;
    };

    ConnectionModel(const http::Limits &limits, qsizetype maxUnparsed)
        : m_parser(limits)
        , m_limits(limits)
        , m_maxUnparsed(maxUnparsed)
    {
    }

    // Bytes arriving on the socket.
    void arrive(QByteArrayView data)
    {
        m_received += data.size();
        m_socket.append(data);
        onReadyRead();
    }

    bool isStoring() const { return m_phase == Phase::Storing; }
    bool isClosed() const { return m_phase == Phase::Closing; }

    // The store committed the pending hook: answer it and go on with what waits.
    void commit()
    {
        FUZZ_CHECK(m_phase == Phase::Storing);
        m_outputs.append({Event::Answer, 200});
        if (!m_keepAlive) {
            closeAfterWrite();
            return;
        }
        finishExchange();
    }

    // Every byte that arrived is parsed, or waits for a store, or the connection is closing.
    void checkNothingStalls() const
    {
        FUZZ_CHECK(m_offset >= 0 && m_offset <= m_buffer.size());
        if (m_phase == Phase::Storing || m_phase == Phase::Closing)
            return;
        FUZZ_CHECK(m_offset == m_buffer.size());
        FUZZ_CHECK(m_socket.isEmpty());
    }

    const QList<http::Request> &stored() const { return m_stored; }
    const QList<Output> &outputs() const { return m_outputs; }
    qsizetype received() const { return m_received; }

private:
    enum class Phase { Idle, Headers, Body, Storing, Closing };

    void onReadyRead()
    {
        if (m_phase == Phase::Closing) {
            m_socket.clear();
            return;
        }
        if (m_buffer.size() - m_offset > m_maxUnparsed && m_phase == Phase::Storing)
            return;   // left in the socket until the answer went out
        const QByteArray data = m_socket;
        m_socket.clear();
        if (data.isEmpty())
            return;
        if (m_offset == m_buffer.size()) {
            m_buffer = data;
            m_offset = 0;
        } else {
            m_buffer.append(data);
        }
        if (m_phase == Phase::Idle)
            m_phase = Phase::Headers;
        process();
    }

    void process()
    {
        // Every turn of the loop either ends it or takes at least one byte.
        while (m_phase == Phase::Headers || m_phase == Phase::Body || m_phase == Phase::Idle) {
            if (m_offset >= m_buffer.size()) {
                m_buffer.clear();
                m_offset = 0;
                return;
            }
            if (m_phase == Phase::Idle)
                m_phase = Phase::Headers;
            const QByteArrayView rest = QByteArrayView(m_buffer).sliced(m_offset);
            const http::ParseResult result = m_parser.feed(rest);
            FUZZ_CHECK(result.consumed >= 0 && result.consumed <= rest.size());
            m_offset += result.consumed;
            switch (result.status) {
            case http::ParseStatus::Error:
                FUZZ_CHECK(fuzz::isRefusalStatus(result.errorStatus));
                m_outputs.append({Event::Refusal, result.errorStatus});
                closeAfterWrite();
                return;
            case http::ParseStatus::Incomplete:
                FUZZ_CHECK(result.consumed == rest.size());
                if (m_parser.headersComplete() && m_phase == Phase::Headers)
                    m_phase = Phase::Body;
                if (m_parser.expectsContinue() && !m_sentContinue) {
                    const http::Request &request = m_parser.request();
                    FUZZ_CHECK(request.versionMinor == 1 && request.body.isEmpty());
                    m_sentContinue = true;
                    m_outputs.append({Event::Continue, 100});
                }
                m_buffer.clear();
                m_offset = 0;
                return;
            case http::ParseStatus::Complete:
                FUZZ_CHECK(result.consumed > 0);
                beginHook(m_parser.takeRequest());
                break;
            }
        }
    }

    void beginHook(http::Request request)
    {
        fuzz::checkRequest(request, m_limits);
        m_keepAlive = request.keepAlive;
        m_sentContinue = false;
        m_stored.append(std::move(request));
        m_phase = Phase::Storing;
    }

    void finishExchange()
    {
        m_phase = Phase::Idle;
        process();
        if ((m_phase == Phase::Idle || m_phase == Phase::Headers || m_phase == Phase::Body) && !m_socket.isEmpty())
            onReadyRead();   // queued in Connection; nothing else runs in between here
    }

    void closeAfterWrite()
    {
        m_phase = Phase::Closing;
        m_buffer.clear();
        m_offset = 0;
        m_socket.clear();
    }

    http::RequestParser m_parser;
    http::Limits m_limits;
    qsizetype m_maxUnparsed;
    QByteArray m_socket;   // arrived, not read yet
    QByteArray m_buffer;
    qsizetype m_offset = 0;
    Phase m_phase = Phase::Idle;
    bool m_keepAlive = true;
    bool m_sentContinue = false;
    qsizetype m_received = 0;
    QList<http::Request> m_stored;
    QList<Output> m_outputs;
};

// The connection answers exactly what the parser decides over the whole stream,
// up to the first refusal or the first request that closes the connection.
void checkAgainstParser(const ConnectionModel &model, const fuzz::Trace &trace)
{
    const QList<http::Request> &stored = model.stored();
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
    for (const ConnectionModel::Output &output : model.outputs()) {
        FUZZ_CHECK(refusals == 0);   // nothing goes out after a refusal
        FUZZ_CHECK(answers == 0 || stored.at(answers - 1).keepAlive);   // nor after a closing answer
        switch (output.event) {
        case ConnectionModel::Event::Continue:
            FUZZ_CHECK(continuedRequest < answers);   // one per request
            continuedRequest = answers;
            if (answers < stored.size()) {
                const http::Request &request = stored.at(answers);
                FUZZ_CHECK(request.versionMinor == 1 && http::hasToken(request.headers, "Expect", "100-continue"));
            }
            break;
        case ConnectionModel::Event::Answer:
            ++answers;
            break;
        case ConnectionModel::Event::Refusal:
            ++refusals;
            break;
        }
    }
    FUZZ_CHECK(answers <= stored.size());
    const bool closedByRequest = !stored.isEmpty() && !stored.constLast().keepAlive && answers == stored.size();
    if (refusals > 0) {
        FUZZ_CHECK(trace.items.size() > stored.size() && trace.items.at(stored.size()).error);
        FUZZ_CHECK(model.outputs().constLast().status == trace.items.at(stored.size()).errorStatus);
    } else if (!closedByRequest && !model.isStoring()) {
        // Still open: it must have taken every request the stream holds.
        FUZZ_CHECK(stored.size() == trace.items.size());
    }
    if (closedByRequest) {
        FUZZ_CHECK(model.isClosed());
    }
    for (qsizetype i = 0; i + 1 < stored.size(); ++i)
        FUZZ_CHECK(stored.at(i).keepAlive);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const fuzz::Plan plan = fuzz::readPlan(data, size);
    // Small, so that short inputs reach the held-back path Connection takes at 256 KiB.
    constexpr qsizetype MaxUnparsed = 64;
    ConnectionModel model(plan.limits, MaxUnparsed);
    for (const QByteArrayView piece : plan.pieces()) {
        model.arrive(piece);
        if (plan.slowStore) {
            if (model.isStoring())
                model.commit();
        } else {
            while (model.isStoring())
                model.commit();
        }
        model.checkNothingStalls();
    }
    while (model.isStoring()) {
        model.commit();
        model.checkNothingStalls();
    }
    model.checkNothingStalls();
    // A request costs at least 16 bytes ("M / HTTP/1.0\r\n\r\n").
    FUZZ_CHECK(model.stored().size() * 16 <= model.received());
    checkAgainstParser(model, fuzz::parseStream({plan.payload}, plan.limits));
    return 0;
}
