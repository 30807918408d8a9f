#include "storewriter.h"

#include <QMutexLocker>
#include <QTimer>

#include <memory>

namespace {

// Checkpoints the WAL from its own connection and thread, so that commits (and
// the answers waiting on them) never pay for it. Passive checkpoints alone never
// let a writer that is always busy start the log over, and the file would grow
// by every page written for as long as hooks keep coming; so once the log is
// past RestartFrames, a Restart checkpoint holds the writer for the moment it
// takes to copy the last frames, and the log starts again from its beginning.
class Checkpointer : public QObject
{
public:
    explicit Checkpointer(const QString &path)
        : m_path(path)
    {
    }

    void start()
    {
        if (!m_store.open(m_path))
            return;
        auto *timer = new QTimer(this);
        connect(timer, &QTimer::timeout, this, [this] {
            if (m_store.checkpoint(HookStore::Checkpoint::Passive) > RestartFrames)
                m_store.checkpoint(HookStore::Checkpoint::Restart);
        });
        timer->start(IntervalMs);
    }

private:
    static constexpr int IntervalMs = 200;
    static constexpr qint64 RestartFrames = 4096;

    QString m_path;
    HookStore m_store;
};

} // namespace

StoreWriter::StoreWriter(QObject *parent)
    : QObject(parent)
{
}

StoreWriter::~StoreWriter()
{
    close();
}

bool StoreWriter::open(const QString &path)
{
    if (!m_store.open(path)) {
        m_error = m_store.errorString();
        return false;
    }
    m_nextId = m_store.maxId() + 1;
    m_store.setAutoCheckpoint(0);
    m_checkpointThread = new QThread(this);
    m_checkpointThread->setObjectName(QStringLiteral("hookscope-checkpoint"));
    auto *checkpointer = new Checkpointer(path);   // deleted on its thread when that finishes
    checkpointer->moveToThread(m_checkpointThread);
    connect(m_checkpointThread, &QThread::started, checkpointer, &Checkpointer::start);
    connect(m_checkpointThread, &QThread::finished, checkpointer, &QObject::deleteLater);
    m_checkpointThread->start();
    return true;
}

QString StoreWriter::errorString() const
{
    QMutexLocker lock(&m_mutex);
    return m_error;
}

qint64 StoreWriter::reserveId()
{
    return m_nextId.fetch_add(1);
}

void StoreWriter::submit(Hook hook)
{
    submit(QList<Hook>{std::move(hook)});
}

void StoreWriter::submit(QList<Hook> hooks)
{
    QMutexLocker lock(&m_mutex);
    if (m_pending.isEmpty())
        m_pending = std::move(hooks);
    else
        m_pending.append(std::move(hooks));
    if (!m_flushQueued) {
        m_flushQueued = true;
        // Queued: the flush runs on the writer's thread once it is free, and by then
        // every hook submitted in the meantime is in m_pending.
        QMetaObject::invokeMethod(this, &StoreWriter::flush, Qt::QueuedConnection);
    }
}

void StoreWriter::flush()
{
    for (;;) {
        QList<Hook> batch;
        {
            QMutexLocker lock(&m_mutex);
            if (m_pending.isEmpty()) {
                m_flushQueued = false;
                return;
            }
            qsizetype bytes = 0;
            qsizetype n = 0;
            while (n < m_pending.size() && n < MaxBatchHooks && (n == 0 || bytes < MaxBatchBytes)) {
                bytes += m_pending.at(n).body.size();
                ++n;
            }
            if (n == m_pending.size())
                batch.swap(m_pending);
            else {
                batch = m_pending.first(n);
                m_pending.remove(0, n);
            }
        }
        const bool ok = m_store.insertHooks(&batch);
        const QString error = ok ? QString() : m_store.errorString();
        if (!ok) {
            QMutexLocker lock(&m_mutex);
            m_error = error;
        }
        QList<qint64> ids;
        ids.reserve(batch.size());
        for (const Hook &hook : std::as_const(batch))
            ids.append(hook.id);
        emit committedIds(ids, ok, error);
        emit committed(batch, ok, error);
    }
}

void StoreWriter::close()
{
    if (m_checkpointThread) {
        m_checkpointThread->quit();
        m_checkpointThread->wait();
        delete m_checkpointThread;
        m_checkpointThread = nullptr;
    }
    if (!m_store.isOpen())
        return;
    flush();
    // Fold the whole WAL in, so that the store is one file again once we are gone.
    m_store.checkpoint(HookStore::Checkpoint::Truncate);
    m_store.close();
}
