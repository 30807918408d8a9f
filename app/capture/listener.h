#pragma once

#include "hook.h"
#include "listenerconfig.h"

#include "catalog/catalog.h"

#include <QObject>
#include <QThread>
#include <QUrl>

class Server;
class StoreWriter;

// The capture engine as the desktop app and the CLI use it: a store writer on
// one thread, the HTTP server and its connections on another, and signals on
// the thread that owns the Listener.
class Listener : public QObject
{
    Q_OBJECT

public:
    explicit Listener(const catalog::Catalog &catalog, QObject *parent = nullptr);
    ~Listener() override;

    // Opens the store and starts listening. On failure errorString() names the cause
    // (the store file, or the address and port) and nothing keeps running.
    bool start(const ListenerConfig &config, const QString &storePath);
    // The same with a writer that is open already and lives on a thread of its
    // own (the workspace's, which every other write of the store goes through too).
    // It must stay alive until stop().
    bool start(const ListenerConfig &config, StoreWriter *writer);
    // Stops accepting, lets requests in flight finish (up to a few seconds),
    // commits what is pending and closes the store. Safe to call twice.
    void stop();
    bool isListening() const { return m_server != nullptr; }

    // Takes effect for the next request: answer, secret, limits, timeouts.
    void setConfig(const ListenerConfig &config);
    ListenerConfig config() const { return m_config; }
    // Replaces the answer rules, which count their times from zero again
    // (setConfig() with the same rules keeps the counts).
    void setRules(const AnswerRules &rules);

    // For tests: makes the store behave as on a full disk (see HookStore::setMaxPageCount()).
    qint64 setStoreMaxPageCount(qint64 pages);

    // Refused requests of this run that were kept on record, and those that were
    // not (over the bounds of ListenerConfig, or the store took no writes).
    // Up to date after stop(); while listening, as last reported.
    qint64 refusalsRecorded() const { return m_refusalsRecorded; }
    qint64 refusalsNotRecorded() const { return m_refusalsNotRecorded; }

    QString errorString() const { return m_error; }
    // What the last start() failed on: the store (in use by another hookscope,
    // unreadable) or the address (a port taken, say).
    enum class StartFailure { None, Store, Address };
    StartFailure startFailure() const { return m_startFailure; }
    QHostAddress address() const { return m_address; }
    quint16 port() const { return m_port; }
    QUrl url() const;
    QString storePath() const { return m_storePath; }

signals:
    // Committed hooks, in commit order, delivered in batches on this object's thread.
    void hooksStored(const QList<Hook> &hooks);
    // The store could not take these hooks: they were answered 503 and are not stored.
    void storeFailed(const QString &error, int hooks);
    // SQLite refused hooks that were answered already: they are safe in the
    // store's intake and go into SQLite as soon as it takes them; until then new
    // hooks are refused (storeFailed). Emitted once when this starts.
    void storeStalled(const QString &error, int hooks);
    // More refused requests went unrecorded: total in this run (see refusalsNotRecorded()).
    void refusalsNotRecordedChanged(qint64 total);

private:
    void stopServer();

    catalog::Catalog m_catalog;
    ListenerConfig m_config;
    QThread m_ioThread;
    QThread m_storeThread;
    Server *m_server = nullptr;
    StoreWriter *m_writer = nullptr;
    bool m_ownsWriter = false;
    QMetaObject::Connection m_committed;
    QMetaObject::Connection m_commitFailed;
    QString m_error;
    StartFailure m_startFailure = StartFailure::None;
    QString m_storePath;
    QHostAddress m_address;
    quint16 m_port = 0;
    qint64 m_refusalsRecorded = 0;
    qint64 m_refusalsNotRecorded = 0;
};
