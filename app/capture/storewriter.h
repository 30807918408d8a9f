#pragma once

#include "hook.h"
#include "hookstore.h"

#include <QMutex>
#include <QObject>
#include <QThread>

#include <atomic>

// Writes hooks to the store with group commit. It lives on a thread of its own:
// submit() may be called from any thread; every hook submitted while a
// transaction is running goes into the next one, so a burst costs one commit.
class StoreWriter : public QObject
{
    Q_OBJECT

public:
    explicit StoreWriter(QObject *parent = nullptr);
    ~StoreWriter() override;

    // Call on the writer's thread (before or after moving it there).
    bool open(const QString &path);
    QString errorString() const;

    // Thread-safe. Ids are handed out before the commit so that the answer,
    // which carries the id, can be stored with the hook.
    qint64 reserveId();
    void submit(Hook hook);
    void submit(QList<Hook> hooks);

    // For tests, on the writer's thread: see HookStore::setMaxPageCount().
    qint64 setMaxPageCount(qint64 pages) { return m_store.setMaxPageCount(pages); }

    // Runs on the writer's thread: commits whatever is pending now.
    void flush();
    void close();

signals:
    // After each transaction. ok == false: none of these hooks is stored.
    void committed(const QList<Hook> &hooks, bool ok, const QString &error);
    // The same, with only the ids: for the listener's I/O thread, which answers
    // them and needs nothing else, so the hooks are not released there.
    void committedIds(const QList<qint64> &ids, bool ok, const QString &error);

private:
    static constexpr qsizetype MaxBatchHooks = 8192;
    static constexpr qsizetype MaxBatchBytes = 64 * 1024 * 1024;

    HookStore m_store;
    QThread *m_checkpointThread = nullptr;
    std::atomic<qint64> m_nextId{1};
    mutable QMutex m_mutex;
    QList<Hook> m_pending;       // guarded by m_mutex
    bool m_flushQueued = false;  // guarded by m_mutex
    QString m_error;
};
