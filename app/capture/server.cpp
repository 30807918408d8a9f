#include "server.h"

#include "connection.h"
#include "storewriter.h"
#include "formats/bodycoding.h"
#include "http/session.h"
#include "http/response.h"

#include <QAbstractEventDispatcher>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

#include <unistd.h>

namespace {

// Hooks answered 503 (the store took no writes) kept in memory as refused
// requests until it takes writes again; the rest are counted.
constexpr qsizetype MaxDeferred = 64;
// How often the count of refused requests not recorded is passed on at most.
constexpr int NotRecordedNoticeMs = 250;

// A hook the store did not take, as the refused request it became: like every
// refused request, its body the first bytes that arrived (head and body, the
// chunk framing left out), and the answer it got instead of its own.
Hook refusedInstead(Hook hook, const QString &error)
{
    QByteArray received = hook.method + ' ' + hook.target + ' ' + hook.version + "\r\n" + HookStore::encodeHeaders(hook.headers) + "\r\n";
    received += QByteArrayView(hook.body).first(std::min(hook.body.size(), http::Session::MaxReceivedKept - std::min(received.size(), http::Session::MaxReceivedKept)));
    received.truncate(http::Session::MaxReceivedKept);
    hook.body = std::move(received);
    hook.setRefused(503, Server::storeRefusalReason(error));
    return hook;
}

} // namespace

Server::Server(StoreWriter *writer, const catalog::Catalog &catalog, QObject *parent)
    : QTcpServer(parent)
    , m_writer(writer)
    , m_catalog(catalog)
    , m_sweepTimer(new QTimer(this))
    , m_readBuffer(64 * 1024, Qt::Uninitialized)
{
    m_clock.start();
    // The hooks built here are freed here once stored (see StoreWriter::release()).
    m_writer->setHookHome(this);
    connect(m_sweepTimer, &QTimer::timeout, this, &Server::sweep);
    setConfig(m_config);
}

Server::~Server()
{
    m_writer->setHookHome(nullptr);
    // Not answered any more, but stored as their clients sent them.
    QString error;
    for (Hook &hook : m_deferred) {
        hook.id = reserveId();
        m_outbox.append(std::move(hook));
    }
    if (!m_outbox.isEmpty())
        m_writer->accept(std::exchange(m_outbox, {}), &error);
    // Connections are children; make sure none calls back into a half-destroyed server.
    const QSet<Connection *> connections = m_connections;
    m_connections.clear();
    for (Connection *connection : connections)
        delete connection;
}

void Server::setConfig(const ListenerConfig &config)
{
    AnswerRules rules = std::move(m_config.rules);
    m_config = config;
    if (rules.rules() == config.rules.rules())
        m_config.rules = std::move(rules);   // the same rules go on counting
    setMaxPendingConnections(std::max(30, config.maxConnections / 4));
    // Qt's default backlog of 50 overflows when a burst of clients connects at
    // once; Linux then resets connections whose SYN cookie it cannot honour,
    // after their clients were told they are connected. Room for every
    // connection the listener would take (the kernel caps it at somaxconn).
    setListenBacklogSize(std::max(511, config.maxConnections));
    // Sweep often enough that a timeout is noticed within a quarter of its length.
    const int shortest = std::min({config.headerTimeoutMs, config.bodyTimeoutMs, config.idleTimeoutMs});
    m_sweepTimer->start(std::clamp(shortest / 4, 20, 1000));
}

void Server::setRules(const AnswerRules &rules)
{
    m_config.rules = rules;
}

const AnswerRule *Server::takeRule(Hook &hook)
{
    AnswerRules &rules = m_config.rules;
    if (rules.isEmpty())
        return nullptr;
    if (rules.needsRecognition())
        m_catalog.recognise(hook.headers, formats::meantBody(hook.body, hook.headers), &hook.inspection, hook.receivedUs);
    const qsizetype index = rules.take(hook, m_catalog);
    if (index < 0)
        return nullptr;
    hook.answerRule = rules.rules().at(index).label(index);
    return &rules.rules().at(index);
}

qint64 Server::reserveId()
{
    return m_writer->reserveId();
}

const http::HeaderList &Server::answerHeaders(QByteArrayView body, bool closing)
{
    const bool json = body.startsWith('{') || body.startsWith('[');
    AnswerHeaders &cached = m_answerHeaders[closing ? 1 : 0];
    if (cached.fields.isEmpty() || cached.bodySize != body.size() || cached.json != json) {
        QByteArray length;
        http::appendDecimal(length, body.size());
        cached.fields = {
            {QByteArrayLiteral("Content-Type"), json ? QByteArrayLiteral("application/json") : QByteArrayLiteral("text/plain; charset=utf-8")},
            {QByteArrayLiteral("Content-Length"), length},
        };
        if (closing)
            cached.fields.append({QByteArrayLiteral("Connection"), QByteArrayLiteral("close")});
        cached.bodySize = body.size();
        cached.json = json;
    }
    return cached.fields;
}

QByteArray Server::storeRefusalReason(const QString &error)
{
    return "hook could not be stored: " + error.toUtf8();
}

void Server::submit(Connection *connection, Hook hook)
{
    m_waiting.insert(hook.id, connection);
    queue(std::move(hook));
}

void Server::recordRefusal(Hook hook)
{
    if (!takeRefusalSlot(hook.peerAddress))
        return;
    hook.id = reserveId();
    queue(std::move(hook));
}

bool Server::takeRefusalSlot(const QString &peerAddress)
{
    // The total cap also bounds the buckets: a peer gets one only with a record.
    if (m_refusalsRecorded >= m_config.maxRefusalRecords || m_config.refusalBurst <= 0) {
        countNotRecorded(1);
        return false;
    }
    const qint64 now = nowMs();
    const double burst = m_config.refusalBurst;
    auto bucket = m_refusalBuckets.find(peerAddress);
    if (bucket == m_refusalBuckets.end())
        bucket = m_refusalBuckets.insert(peerAddress, {burst, now});
    if (m_config.refusalIntervalMs > 0)
        bucket->tokens = std::min(burst, bucket->tokens + double(now - bucket->lastMs) / m_config.refusalIntervalMs);
    bucket->lastMs = now;
    if (bucket->tokens < 1) {
        countNotRecorded(1);
        return false;
    }
    bucket->tokens -= 1;
    ++m_refusalsRecorded;
    return true;
}

void Server::countNotRecorded(qint64 refusals)
{
    if (refusals <= 0)
        return;
    m_refusalsNotRecorded += refusals;
    // A flood refuses thousands a second: the count goes out a few times a second at most.
    if (m_notRecordedNoticePending)
        return;
    m_notRecordedNoticePending = true;
    QTimer::singleShot(NotRecordedNoticeMs, this, [this] {
        m_notRecordedNoticePending = false;
        emit refusalsNotRecordedChanged(m_refusalsNotRecorded);
    });
}

void Server::deferRefused(const QList<Hook> &hooks, const QString &error)
{
    qint64 dropped = 0;
    for (const Hook &hook : hooks) {
        if (hook.refused()) {
            ++dropped;   // a record of a refusal: it is not tried again
            --m_refusalsRecorded;
        } else if (m_deferred.size() < MaxDeferred && takeRefusalSlot(hook.peerAddress)) {
            m_deferred.append(refusedInstead(hook, error));
        } else if (m_deferred.size() >= MaxDeferred) {
            ++dropped;
        }
    }
    countNotRecorded(dropped);
}

void Server::queue(Hook hook)
{
    // Every request that one wake-up of this thread completes goes to the intake
    // together, after the last socket of that round was read: one write for a
    // burst, instead of a first one for the first hook alone. The round ends when
    // the thread's event loop is about to wait for more: the dispatcher says so
    // before every wait, and a posted event to the same end would cost a wake-up
    // of this thread (two system calls) per round.
    if (!m_submitsBeforeWaiting) {
        m_submitsBeforeWaiting = true;
        connect(QAbstractEventDispatcher::instance(), &QAbstractEventDispatcher::aboutToBlock, this, &Server::submitOutbox);
    }
    if (m_outbox.isEmpty())
        m_outbox.reserve(32);   // a round's worth, instead of growing hook by hook
    m_outbox.append(std::move(hook));
}

void Server::submitOutbox()
{
    // Answering may let a connection's pipelined request complete, which joins
    // the outbox: it goes too, as the loop is not to wait with hooks unanswered.
    while (!m_outbox.isEmpty())
        submitRound();
}

void Server::submitRound()
{
    QList<qint64> ids;
    ids.reserve(m_outbox.size());
    for (const Hook &hook : std::as_const(m_outbox)) {
        if (!hook.refused())
            ids.append(hook.id);
    }
    QString error;
    // Kept (shared, not copied) for as long as it takes to learn whether the store took them.
    QList<Hook> round = std::exchange(m_outbox, {});
    const bool ok = m_writer->accept(round, &error);
    if (ok) {
        round = {};
    } else {
        if (!ids.isEmpty())
            emit refused(error, int(ids.size()));
        deferRefused(round, error);
    }
    for (const qint64 id : std::as_const(ids)) {
        // Taken one by one: an answer may end its connection, and so change m_waiting.
        if (Connection *connection = m_waiting.take(id))
            connection->hookStored(ok, error);
    }
    // The store takes writes again: what it refused before goes in now, with ids of this moment.
    if (ok && !m_deferred.isEmpty()) {
        for (Hook &hook : m_deferred) {
            hook.id = reserveId();
            queue(std::move(hook));
        }
        m_deferred.clear();
    }
}

void Server::incomingConnection(qintptr handle)
{
    if (m_shuttingDown || m_connections.size() >= m_config.maxConnections) {
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(handle)) {
            delete socket;
            ::close(int(handle));
            return;
        }
        const QByteArray reason = m_shuttingDown ? QByteArray("shutting down")
                                                 : "too many connections (" + QByteArray::number(m_connections.size()) + " open)";
        socket->write(http::errorResponse(503, reason));
        if (!m_shuttingDown) {
            // On record like any refusal: who it was and why, though nothing of a request was read.
            Hook hook;
            hook.receivedUs = wallClockUs();
            socketPeer(int(handle), hook.peerAddress, hook.peerPort);
            hook.setRefused(503, reason);
            recordRefusal(std::move(hook));
        }
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        socket->disconnectFromHost();
        if (socket->state() == QAbstractSocket::UnconnectedState)
            socket->deleteLater();
        return;
    }
    auto *connection = new Connection(handle, this);
    m_connections.insert(connection);
    connect(connection, &Connection::finished, this, &Server::removeConnection);
}

void Server::removeConnection(Connection *connection)
{
    if (!m_connections.remove(connection))
        return;
    if (const qint64 id = connection->pendingHookId())
        m_waiting.remove(id);
    connection->deleteLater();
}

void Server::sweep()
{
    const qint64 now = nowMs();
    // Copy: a timeout may finish a connection and so change the set.
    const QList<Connection *> connections(m_connections.cbegin(), m_connections.cend());
    for (Connection *connection : connections) {
        if (m_connections.contains(connection))
            connection->checkTimeouts(now);
    }
}

void Server::shutdown()
{
    m_shuttingDown = true;
    close();
    const QList<Connection *> connections(m_connections.cbegin(), m_connections.cend());
    for (Connection *connection : connections) {
        if (m_connections.contains(connection))
            connection->drain();
    }
}

int Server::busyConnections() const
{
    return int(std::count_if(m_connections.cbegin(), m_connections.cend(), [](const Connection *c) { return c->isBusy(); }));
}
