#pragma once

#include "bodylog.h"
#include "hook.h"
#include "hookstore.h"
#include "intake.h"

#include "catalog/catalog.h"

#include <QMutex>
#include <QObject>
#include <QThread>
#include <QTimer>

#include <atomic>

// The store's one writer. Hooks reach it from the I/O thread through accept(),
// which puts them in the intake (see intake.h), their large bodies in the body
// log (see bodylog.h), before they are answered; it
// lives on a thread of its own and folds them into SQLite behind that, in a
// transaction every few milliseconds. It also recognises them (event, action,
// catalog check), which their answer does not depend on.
class StoreWriter : public QObject
{
    Q_OBJECT

public:
    explicit StoreWriter(const catalog::Catalog &catalog, QObject *parent = nullptr);
    ~StoreWriter() override;

    // Call on the writer's thread (before or after moving it there). Takes the
    // store's writer lock when no other process holds it and folds in what an
    // earlier writer left in the intake: then this is the store's one writer and
    // accept() takes hooks. Beside another process's writer it opens the store
    // read-write all the same, for the writes that need no ids of their own
    // (deliveries, deletes, re-checks); intakeError() says why it holds no intake.
    bool open(const QString &path);
    QString errorString() const;
    bool ownsIntake() const { return m_intake.isOpen(); }
    QString intakeError() const { return m_intakeError; }
    // What open() found missing or cut short in the body log (see HookStore::checkBodyLog()).
    QString bodyLogDamage() const { return m_bodyLogDamage; }

    // The writer's own connection, for writes of every other kind: call on the
    // writer's thread only, after flush(), so that they come after every hook
    // accepted before.
    HookStore &store() { return m_store; }

    // Thread-safe. Ids are handed out before the hook is built, so that its
    // answer, which carries the id, is stored with it.
    qint64 reserveId();
    // Thread-safe, and quick: true once the hooks are in the intake, as safe as
    // committed. False (with the reason in *error) when they could not be
    // written, or while SQLite refuses to take hooks in: none of them is stored.
    bool accept(QList<Hook> hooks, QString *error);

    // Thread-safe. Hooks in SQLite are handed back to home's thread to be freed
    // (see release()); none (nullptr) frees them on the writer's thread.
    void setHookHome(QObject *home);

    // For tests, on the writer's thread: see HookStore::setMaxPageCount().
    qint64 setMaxPageCount(qint64 pages);

    // Runs on the writer's thread: folds whatever is pending into SQLite now.
    void flush();
    void close();

signals:
    // Hooks now in SQLite, in the order they were accepted.
    void committed(const QList<Hook> &hooks);
    // SQLite refused these accepted hooks: they stay in the intake, and are taken
    // in as soon as it accepts again; until then accept() refuses new ones.
    // Emitted once when SQLite starts refusing, not for every retry.
    void commitFailed(const QString &error, int hooks);

private:
    void release(QList<Hook> &&hooks);

    static constexpr qsizetype MaxBatchHooks = 8192;
    static constexpr qsizetype MaxBatchBytes = 64 * 1024 * 1024;
    // Accepted and not yet in SQLite: past this, new hooks are refused.
    static constexpr qint64 MaxPendingBytes = 256 * 1024 * 1024;
    static constexpr int RetryMs = 200;
    // How long accepted hooks wait at most before SQLite takes them in.
    static constexpr int FoldDelayMs = 2;

    catalog::Catalog m_catalog;
    HookStore m_store;
    IntakeJournal m_intake;
    BodyLog m_bodies;
    QThread *m_checkpointThread = nullptr;
    QTimer *m_foldTimer = nullptr;
    QTimer *m_retryTimer = nullptr;
    std::atomic<qint64> m_nextId{1};
    mutable QMutex m_mutex;
    QList<Hook> m_pending;       // guarded by m_mutex: accepted, not yet in SQLite
    bool m_flushQueued = false;  // guarded by m_mutex
    QString m_failure;           // guarded by m_mutex: why SQLite refuses, while it does
    QObject *m_hookHome = nullptr;  // guarded by m_mutex
    QString m_error;
    QString m_intakeError;
    QString m_bodyLogDamage;
};
