#pragma once

#include "hook.h"
#include "listenerconfig.h"

#include "catalog/catalog.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QTcpServer>

class Connection;
class QTimer;
class StoreWriter;

// hookscope's HTTP/1.1 listener. Lives on the I/O thread with all its
// connections; hands complete hooks to the StoreWriter and answers them when
// their transaction committed.
class Server : public QTcpServer
{
    Q_OBJECT

public:
    Server(StoreWriter *writer, const catalog::Catalog &catalog, QObject *parent = nullptr);
    ~Server() override;

    void setConfig(const ListenerConfig &config);
    const ListenerConfig &config() const { return m_config; }
    const catalog::Catalog &catalog() const { return m_catalog; }
    qint64 nowMs() const { return m_clock.elapsed(); }

    // Stop accepting, let the requests in flight finish, close idle connections.
    void shutdown();
    int busyConnections() const;
    int connectionCount() const { return int(m_connections.size()); }

    // For Connection: submit a finished hook, and learn its id first.
    qint64 reserveId();
    void submit(Connection *connection, Hook hook);
    // For Connection: where reads land (all connections share one thread).
    QByteArray &readBuffer() { return m_readBuffer; }

    // Runs on the server's thread: answers the connections of committed hooks.
    void onCommitted(const QList<qint64> &ids, bool ok, const QString &error);

protected:
    void incomingConnection(qintptr handle) override;

private:
    void sweep();
    void removeConnection(Connection *connection);
    void submitOutbox();

    StoreWriter *m_writer;
    catalog::Catalog m_catalog;
    ListenerConfig m_config;
    QSet<Connection *> m_connections;
    QHash<qint64, Connection *> m_waiting;   // hook id -> connection awaiting its commit
    QList<Hook> m_outbox;                    // complete hooks not yet handed to the writer
    QTimer *m_sweepTimer;
    QElapsedTimer m_clock;
    QByteArray m_readBuffer;
    bool m_shuttingDown = false;
};
