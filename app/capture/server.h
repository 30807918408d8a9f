#pragma once

#include "hook.h"
#include "catalog/catalog.h"
#include "listenerconfig.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QTcpServer>

class Connection;
class QTimer;
class StoreWriter;

// hookscope's HTTP/1.1 listener. Lives on the I/O thread with all its
// connections; hands the hooks of each round to the StoreWriter's intake and
// answers them as soon as they are there.
class Server : public QTcpServer
{
    Q_OBJECT

public:
    Server(StoreWriter *writer, const catalog::Catalog &catalog, QObject *parent = nullptr);
    ~Server() override;

    void setConfig(const ListenerConfig &config);
    const ListenerConfig &config() const { return m_config; }
    // Replaces the answer rules; their counts start again.
    void setRules(const AnswerRules &rules);
    // For Connection: the rule that answers the hook (counted), or nullptr for the
    // default answer. The hook's event and action are recognised first when a rule asks for them.
    const AnswerRule *takeRule(Hook &hook);
    qint64 nowMs() const { return m_clock.elapsed(); }

    // Stop accepting, let the requests in flight finish, close idle connections.
    void shutdown();
    int busyConnections() const;
    int connectionCount() const { return int(m_connections.size()); }

    // For Connection: submit a finished hook, and learn its id first.
    qint64 reserveId();
    // The header fields of an answer with this body: Content-Type, Content-Length
    // and, when closing, Connection. They depend on nothing else, so one list
    // serves hook after hook.
    const http::HeaderList &answerHeaders(QByteArrayView body, bool closing);
    void submit(Connection *connection, Hook hook);
    // For Connection: a request refused (see Hook::refusal), to be kept on record
    // when the bounds (see ListenerConfig) allow; stored like hooks, answered by nobody.
    void recordRefusal(Hook hook);
    // The reason a hook the store did not take is answered 503 with.
    static QByteArray storeRefusalReason(const QString &error);
    // Refused requests not recorded in this run (over the bounds, or the store did not take them).
    qint64 refusalsNotRecorded() const { return m_refusalsNotRecorded; }
    qint64 refusalsRecorded() const { return m_refusalsRecorded; }
    // For Connection: where reads land (all connections share one thread).
    QByteArray &readBuffer() { return m_readBuffer; }

signals:
    // Hooks answered 503 because the store could not take them.
    void refused(const QString &error, int hooks);
    // The count of refused requests not recorded in this run went up to total.
    void refusalsNotRecordedChanged(qint64 total);

protected:
    void incomingConnection(qintptr handle) override;

private:
    void sweep();
    void removeConnection(Connection *connection);
    void submitOutbox();
    void submitRound();
    void queue(Hook hook);
    // Whether the bounds let one more refused request of this peer be recorded
    // (counted as not recorded when not).
    bool takeRefusalSlot(const QString &peerAddress);
    void countNotRecorded(qint64 refusals);
    // Hooks the store did not take, answered 503: kept as refused requests
    // until the store takes writes again.
    void deferRefused(const QList<Hook> &hooks, const QString &error);

    StoreWriter *m_writer;
    catalog::Catalog m_catalog;
    ListenerConfig m_config;
    QSet<Connection *> m_connections;
    QHash<qint64, Connection *> m_waiting;   // hook id -> connection awaiting its answer
    QList<Hook> m_outbox;                    // complete hooks of this round, not yet in the intake
    QTimer *m_sweepTimer;
    QElapsedTimer m_clock;
    QByteArray m_readBuffer;
    struct AnswerHeaders
    {
        http::HeaderList fields;
        qsizetype bodySize = 0;
        bool json = false;
    };
    AnswerHeaders m_answerHeaders[2];        // for answers that keep the connection, and closing ones
    // Refused requests on record, per peer address: a token bucket each.
    struct RefusalBucket
    {
        double tokens = 0;
        qint64 lastMs = 0;
    };
    QHash<QString, RefusalBucket> m_refusalBuckets;
    qint64 m_refusalsRecorded = 0;
    qint64 m_refusalsNotRecorded = 0;
    QList<Hook> m_deferred;                  // answered 503, recorded once the store takes writes again
    bool m_notRecordedNoticePending = false;
    bool m_shuttingDown = false;
    bool m_submitsBeforeWaiting = false;   // submitOutbox() runs whenever the loop is about to wait
};
