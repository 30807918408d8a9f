#include "connection.h"

#include "server.h"
#include "http/response.h"

#include <QTcpSocket>
#include <QTimer>

#include <chrono>

#include <sys/socket.h>

namespace {

qint64 nowUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

// Once this much unparsed input is waiting (pipelined requests behind one
// being stored), stop reading from the socket until it has been worked off.
constexpr qsizetype MaxUnparsed = 256 * 1024;

} // namespace

Connection::Connection(QTcpSocket *socket, Server *server)
    : QObject(server)
    , m_socket(socket)
    , m_server(server)
    , m_parser(server->config().limits)
{
    m_socket->setParent(this);
    m_phaseStartMs = m_lastProgressMs = m_server->nowMs();
    connect(m_socket, &QTcpSocket::readyRead, this, &Connection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &Connection::finish);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        // The peer closing its side is ordinary (a half-close may still want the answer).
        if (error != QAbstractSocket::RemoteHostClosedError || m_socket->state() == QAbstractSocket::UnconnectedState)
            finish();
    });
}

Connection::~Connection() = default;

bool Connection::isBusy() const
{
    return m_phase == Phase::Storing || m_phase == Phase::Answering || m_phase == Phase::Body
        || (m_phase == Phase::Headers && m_offset < m_buffer.size());
}

void Connection::onReadyRead()
{
    if (m_phase == Phase::Closing) {
        m_socket->readAll();   // data after a final request is not processed
        return;
    }
    if (m_buffer.size() - m_offset > MaxUnparsed && (m_phase == Phase::Storing || m_phase == Phase::Answering))
        return;   // leave it in the socket; readyRead comes again after the answer
    const QByteArray data = m_socket->readAll();
    if (data.isEmpty())
        return;
    if (m_offset == m_buffer.size()) {
        m_buffer = data;
        m_offset = 0;
    } else {
        m_buffer.append(data);
    }
    if (m_phase == Phase::Idle) {
        m_phase = Phase::Headers;
        m_phaseStartMs = m_server->nowMs();
    }
    m_lastProgressMs = m_server->nowMs();
    process();
}

void Connection::process()
{
    while (m_phase == Phase::Headers || m_phase == Phase::Body || m_phase == Phase::Idle) {
        if (m_offset >= m_buffer.size()) {
            m_buffer.clear();
            m_offset = 0;
            return;
        }
        if (m_phase == Phase::Idle) {
            m_phase = Phase::Headers;
            m_phaseStartMs = m_server->nowMs();
        }
        const http::ParseResult result = m_parser.feed(QByteArrayView(m_buffer).sliced(m_offset));
        m_offset += result.consumed;
        switch (result.status) {
        case http::ParseStatus::Error:
            fail(result.errorStatus, result.errorReason);
            return;
        case http::ParseStatus::Incomplete:
            if (m_parser.headersComplete() && m_phase == Phase::Headers) {
                m_phase = Phase::Body;
                m_lastProgressMs = m_server->nowMs();
            }
            if (m_parser.expectsContinue() && !m_sentContinue) {
                m_sentContinue = true;
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
                m_socket->flush();
            }
            m_buffer.clear();
            m_offset = 0;
            return;
        case http::ParseStatus::Complete:
            beginHook(m_parser.takeRequest());
            break;
        }
    }
}

void Connection::beginHook(http::Request request)
{
    const ListenerConfig &config = m_server->config();
    m_keepAlive = request.keepAlive && !m_draining;
    m_sentContinue = false;

    Hook hook;
    hook.id = m_server->reserveId();
    hook.receivedUs = nowUs();
    hook.peerAddress = m_socket->peerAddress().toString();
    hook.peerPort = m_socket->peerPort();
    hook.version = request.version();
    hook.method = std::move(request.method);
    hook.target = std::move(request.target);
    hook.headers = std::move(request.headers);
    hook.body = std::move(request.body);
    hook.trailers = std::move(request.trailers);
    hook.chunked = request.chunked;
    hook.inspection = m_server->catalog().inspect(hook.headers, hook.body, config.secret);

    const bool refused = config.requireSecret && hook.inspection.authenticity() != catalog::Verdict::Valid;
    Answer &answer = hook.answer;
    if (refused) {
        answer.status = 401;
        answer.body = QByteArrayLiteral("{\"id\":") + QByteArray::number(hook.id) + QByteArrayLiteral(",\"error\":\"")
            + (hook.inspection.authenticity() == catalog::Verdict::Missing ? QByteArrayLiteral("missing secret")
                                                                            : QByteArrayLiteral("invalid secret"))
            + QByteArrayLiteral("\"}\n");
    } else {
        answer.status = config.status;
        answer.body = config.body.isEmpty() ? QByteArrayLiteral("{\"id\":") + QByteArray::number(hook.id) + QByteArrayLiteral("}\n")
                                            : config.body;
    }
    const bool json = answer.body.startsWith('{') || answer.body.startsWith('[');
    answer.headers = {
        {QByteArrayLiteral("Content-Type"), json ? QByteArrayLiteral("application/json") : QByteArrayLiteral("text/plain; charset=utf-8")},
        {QByteArrayLiteral("Content-Length"), QByteArray::number(answer.body.size())},
    };
    if (!m_keepAlive)
        answer.headers.append({QByteArrayLiteral("Connection"), QByteArrayLiteral("close")});

    m_phase = Phase::Storing;
    m_pendingId = hook.id;
    m_server->submit(this, hook);
}

void Connection::hookStored(const Hook &hook, bool ok, const QString &error)
{
    m_pendingId = 0;
    if (!ok) {
        fail(503, QByteArrayLiteral("hook could not be stored: ") + error.toUtf8());
        return;
    }
    const int delay = m_server->config().delayMs;
    if (delay <= 0) {
        answer(hook);
        return;
    }
    m_phase = Phase::Answering;
    QTimer::singleShot(delay, this, [this, hook] { answer(hook); });
}

void Connection::answer(const Hook &hook)
{
    // The stored answer headers already hold Content-Length and, when closing, Connection.
    m_socket->write(http::serializeResponse(hook.answer.status, hook.answer.headers, hook.answer.body, false));
    // Written now rather than on the next turn of the event loop: the client is waiting.
    m_socket->flush();
    if (!m_keepAlive) {
        closeAfterWrite();
        return;
    }
    finishExchange();
}

void Connection::finishExchange()
{
    m_phase = Phase::Idle;
    m_phaseStartMs = m_server->nowMs();
    if (m_draining && m_offset >= m_buffer.size()) {
        closeAfterWrite();
        return;
    }
    process();
    // Input held back while the hook was being stored.
    if (m_phase == Phase::Idle || m_phase == Phase::Headers || m_phase == Phase::Body) {
        if (m_socket->bytesAvailable() > 0)
            QMetaObject::invokeMethod(this, &Connection::onReadyRead, Qt::QueuedConnection);
    }
}

void Connection::fail(int status, const QByteArray &reason)
{
    m_socket->write(http::errorResponse(status, reason));
    closeAfterWrite();
}

void Connection::closeAfterWrite()
{
    m_phase = Phase::Closing;
    m_phaseStartMs = m_server->nowMs();
    m_buffer.clear();
    m_offset = 0;
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        m_socket->abort();
        finish();
        return;
    }
    // A lingering close (RFC 9112 9.6): half-close once the answer is flushed and
    // go on reading and dropping what the client still sends until it closes its
    // side (or checkTimeouts() gives up). Closing at once would answer those bytes
    // with a reset, and a client still sending its body would lose the answer.
    m_socket->flush();
    if (m_socket->bytesToWrite() == 0)
        halfClose();
    else
        connect(m_socket, &QTcpSocket::bytesWritten, this, &Connection::halfClose, Qt::UniqueConnection);
}

void Connection::halfClose()
{
    if (m_socket->bytesToWrite() > 0)
        return;
    disconnect(m_socket, &QTcpSocket::bytesWritten, this, &Connection::halfClose);
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
}

void Connection::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    emit finished(this);
}

void Connection::drain()
{
    m_draining = true;
    if (m_phase == Phase::Idle && m_offset >= m_buffer.size())
        closeAfterWrite();
}

void Connection::checkTimeouts(qint64 nowMs)
{
    const ListenerConfig &config = m_server->config();
    switch (m_phase) {
    case Phase::Idle:
        if (nowMs - m_phaseStartMs > config.idleTimeoutMs)
            closeAfterWrite();
        break;
    case Phase::Headers:
        if (nowMs - m_phaseStartMs > config.headerTimeoutMs)
            fail(408, QByteArrayLiteral("request headers not received in time"));
        break;
    case Phase::Body:
        if (nowMs - m_lastProgressMs > config.bodyTimeoutMs)
            fail(408, QByteArrayLiteral("request body stalled"));
        break;
    case Phase::Closing:
        // A peer that never reads its answer must not hold the slot forever.
        if (nowMs - m_phaseStartMs > config.bodyTimeoutMs)
            m_socket->abort();
        break;
    case Phase::Storing:
    case Phase::Answering:
        break;
    }
}
