#include "connection.h"

#include "server.h"
#include "catalog/catalog.h"
#include "http/response.h"

#include <QHostAddress>
#include <QSocketNotifier>
#include <QTimer>

#include <chrono>

#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

http::Timeouts timeoutsOf(const ListenerConfig &config)
{
    http::Timeouts timeouts;
    timeouts.headerMs = config.headerTimeoutMs;
    timeouts.bodyMs = config.bodyTimeoutMs;
    timeouts.idleMs = config.idleTimeoutMs;
    return timeouts;
}

// {"id":N and the rest of the object, in one allocation.
QByteArray idObject(qint64 id, QByteArrayView rest)
{
    QByteArray out;
    out.reserve(6 + 20 + rest.size());
    out.append("{\"id\":");
    http::appendDecimal(out, id);
    out.append(rest);
    return out;
}

} // namespace

qint64 wallClockUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

bool socketPeer(int fd, QString &address, quint16 &port)
{
    sockaddr_storage peer {};
    socklen_t length = sizeof peer;
    if (::getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &length) != 0)
        return false;
    QHostAddress host(reinterpret_cast<const sockaddr *>(&peer));
    // An IPv4 client of a dual-stack listener shows as itself, not as ::ffff:a.b.c.d.
    bool isV4 = false;
    const quint32 v4 = host.toIPv4Address(&isV4);
    if (isV4)
        host.setAddress(v4);
    address = host.toString();
    port = peer.ss_family == AF_INET6 ? ntohs(reinterpret_cast<const sockaddr_in6 &>(peer).sin6_port)
                                      : ntohs(reinterpret_cast<const sockaddr_in &>(peer).sin_port);
    return true;
}

Connection::Connection(qintptr descriptor, Server *server)
    : QObject(server)
    , m_fd(int(descriptor))
    , m_server(server)
    , m_readNotifier(new QSocketNotifier(descriptor, QSocketNotifier::Read, this))
    , m_writeNotifier(new QSocketNotifier(descriptor, QSocketNotifier::Write, this))
    , m_session(server->config().limits, timeoutsOf(server->config()), server->nowMs())
{
    ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
    // Answers are small and the client waits for each: send them at once.
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    socketPeer(m_fd, m_peerAddress, m_peerPort);

    m_writeNotifier->setEnabled(false);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &Connection::onReadable);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &Connection::update);
}

Connection::~Connection()
{
    // The notifiers must be gone before the descriptor they watch.
    delete m_readNotifier;
    delete m_writeNotifier;
    ::close(m_fd);
}

bool Connection::isBusy() const
{
    return !m_finished && (m_session.isBusy() || m_written < m_output.size());
}

void Connection::onReadable()
{
    if (m_finished)
        return;
    QByteArray &buffer = m_server->readBuffer();
    const ssize_t n = ::read(m_fd, buffer.data(), size_t(buffer.size()));
    if (n > 0) {
        m_session.receive(QByteArrayView(buffer.constData(), n), m_server->nowMs());
    } else if (n == 0) {
        m_session.receiveEnd(m_server->nowMs());
    } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        finish();   // reset by the peer
        return;
    }
    update();
}

void Connection::update()
{
    if (m_finished)
        return;
    if (std::optional<http::Request> request = m_session.takeRequest())
        beginHook(std::move(*request));
    if (std::optional<http::Refusal> refusal = m_session.takeRefusal())
        recordRefusal(std::move(*refusal));
    if (m_session.hasOutput()) {
        if (m_written == m_output.size()) {
            m_output = m_session.takeOutput();
            m_written = 0;
        } else {
            m_output.append(m_session.takeOutput());
        }
    }
    writeOutput();
    if (m_finished)
        return;
    if (m_session.isAborted()) {
        finish();
        return;
    }
    if (m_written == m_output.size()) {
        if (m_session.isClosed()) {
            finish();
            return;
        }
        if (m_session.isClosing() && !m_halfClosed) {
            m_halfClosed = true;
            ::shutdown(m_fd, SHUT_WR);
        }
    }
    m_readNotifier->setEnabled(m_session.wantsInput());
}

void Connection::writeOutput()
{
    while (m_written < m_output.size()) {
        const ssize_t n = ::send(m_fd, m_output.constData() + m_written, size_t(m_output.size() - m_written), MSG_NOSIGNAL);
        if (n >= 0) {
            m_written += n;
            continue;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            m_writeNotifier->setEnabled(true);   // update() runs again when there is room
            return;
        }
        finish();   // the peer is gone
        return;
    }
    m_output.clear();
    m_written = 0;
    if (m_writeNotifier->isEnabled())
        m_writeNotifier->setEnabled(false);
}

void Connection::beginHook(http::Request request)
{
    const ListenerConfig &config = m_server->config();

    Hook hook;
    hook.id = m_server->reserveId();
    hook.receivedUs = wallClockUs();
    hook.peerAddress = m_peerAddress;
    hook.peerPort = m_peerPort;
    hook.version = request.version();
    hook.method = std::move(request.method);
    hook.target = std::move(request.target);
    hook.headers = std::move(request.headers);
    hook.body = std::move(request.body);
    hook.trailers = std::move(request.trailers);
    hook.chunked = request.chunked;
    // What the answer depends on; the rest of the inspection (event, action,
    // catalog check) is done by the store's writer, off this thread.
    hook.inspection.secret = catalog::secretVerdict(hook.headers, config.secret);
    hook.inspection.signature = catalog::signatureVerdict(hook.headers, hook.body, config.secret, hook.receivedUs);

    const bool refused = config.requireSecret && hook.inspection.authenticity() != catalog::Verdict::Valid;
    const AnswerRule *rule = refused ? nullptr : m_server->takeRule(hook);
    Answer &answer = hook.answer;
    if (refused) {
        answer.status = 401;
        answer.body = idObject(hook.id, hook.inspection.authenticity() == catalog::Verdict::Missing
                                            ? ",\"error\":\"missing secret\"}\n"
                                            : ",\"error\":\"invalid secret\"}\n");
    } else {
        answer.status = rule ? rule->status : config.status;
        answer.body = rule && rule->body ? *rule->body : config.body.isEmpty() ? idObject(hook.id, "}\n") : config.body;
    }
    answer.headers = m_server->answerHeaders(answer.body, m_session.closesAfterAnswer());
    m_answerDelayMs = config.delayMs;
    if (rule) {
        if (!rule->headers.isEmpty()) {
            // The rule's own fields first; of the listener's, those it does not replace.
            http::HeaderList headers = rule->headers;
            for (const http::HeaderField &field : std::as_const(answer.headers)) {
                if (!http::contains(rule->headers, field.name))
                    headers.append(field);
            }
            answer.headers = std::move(headers);
        }
        if (rule->delayMs >= 0)
            m_answerDelayMs = rule->delayMs;
    }

    m_pendingId = hook.id;
    // The stored answer headers already hold Content-Length and, when closing, Connection.
    m_answer = http::serializeResponse(answer.status, answer.headers, answer.body, false);
    m_server->submit(this, std::move(hook));
}

void Connection::recordRefusal(http::Refusal refusal)
{
    Hook hook;
    hook.receivedUs = wallClockUs();
    hook.peerAddress = m_peerAddress;
    hook.peerPort = m_peerPort;
    hook.method = std::move(refusal.request.method);
    hook.target = std::move(refusal.request.target);
    if (hook.method.isEmpty()) {
        // Refused within its request line: its method and target as far as they read, for the list.
        const QByteArrayView line = QByteArrayView(refusal.received).first(std::min(refusal.received.size(), http::Limits().maxRequestLine));
        const qsizetype end = line.indexOf('\n');
        const QList<QByteArray> words = line.first(end < 0 ? line.size() : end).trimmed().toByteArray().split(' ');
        if (http::isToken(words.value(0))) {
            hook.method = words.value(0);
            hook.target = words.value(1);
        }
    }
    hook.version = refusal.request.version();
    hook.headers = std::move(refusal.request.headers);
    hook.body = std::move(refusal.received);
    hook.chunked = refusal.request.chunked;
    if (refusal.reason.isEmpty())
        refusal.reason = http::reasonPhrase(refusal.status);
    hook.setRefused(refusal.status, refusal.reason);
    m_server->recordRefusal(std::move(hook));
}

void Connection::hookStored(bool ok, const QString &error)
{
    m_pendingId = 0;
    if (!ok) {
        m_answer.clear();
        m_session.refuse(503, Server::storeRefusalReason(error), m_server->nowMs());
        update();
        return;
    }
    const int delay = m_answerDelayMs;
    if (delay <= 0) {
        answer();
        return;
    }
    QTimer::singleShot(delay, this, &Connection::answer);
}

void Connection::answer()
{
    m_session.answer(std::exchange(m_answer, QByteArray()), m_server->nowMs());
    update();
}

void Connection::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_readNotifier->setEnabled(false);
    m_writeNotifier->setEnabled(false);
    emit finished(this);
}

void Connection::drain()
{
    m_session.drain(m_server->nowMs());
    update();
}

void Connection::checkTimeouts(qint64 nowMs)
{
    m_session.checkTimeouts(nowMs);
    update();
}
