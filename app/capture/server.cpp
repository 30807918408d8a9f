#include "server.h"

#include "connection.h"
#include "storewriter.h"
#include "http/response.h"

#include <QAbstractEventDispatcher>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

#include <unistd.h>

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
        m_catalog.recognise(hook.headers, hook.body, &hook.inspection, hook.receivedUs);
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

void Server::submit(Connection *connection, Hook hook)
{
    m_waiting.insert(hook.id, connection);
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
    for (const Hook &hook : std::as_const(m_outbox))
        ids.append(hook.id);
    QString error;
    const bool ok = m_writer->accept(std::exchange(m_outbox, {}), &error);
    if (!ok)
        emit refused(error, int(ids.size()));
    for (const qint64 id : std::as_const(ids)) {
        // Taken one by one: an answer may end its connection, and so change m_waiting.
        if (Connection *connection = m_waiting.take(id))
            connection->hookStored(ok, error);
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
        socket->write(http::errorResponse(503, m_shuttingDown ? "shutting down" : "too many connections"));
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
