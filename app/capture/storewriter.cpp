#include "storewriter.h"

#include "formats/bodycoding.h"

#include <QDir>
#include <QFileInfo>
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
    Checkpointer(const QString &path, BodyLog *bodies)
        : m_path(path)
        , m_bodies(bodies)
    {
    }

    void start()
    {
        // One of the writer's connections: it must not wait for the writer to catch up.
        if (!m_store.open(m_path, HookStore::Mode::Writer))
            return;
        auto *timer = new QTimer(this);
        connect(timer, &QTimer::timeout, this, [this] {
            // The bodies that the rows about to be copied refer to reach the disk
            // first, as the WAL does before SQLite copies its frames.
            m_bodies->sync();
            if (m_store.checkpoint(HookStore::Checkpoint::Passive) > RestartFrames)
                m_store.checkpoint(HookStore::Checkpoint::Restart);
        });
        timer->start(IntervalMs);
    }

private:
    static constexpr int IntervalMs = 200;
    static constexpr qint64 RestartFrames = 4096;

    QString m_path;
    BodyLog *m_bodies;   // the writer's, which outlives this thread
    HookStore m_store;
};

} // namespace

StoreWriter::StoreWriter(const catalog::Catalog &catalog, QObject *parent)
    : QObject(parent)
    , m_catalog(catalog)
{
}

StoreWriter::~StoreWriter()
{
    close();
}

bool StoreWriter::open(const QString &path)
{
    // The intake lives beside the store: its folder comes first.
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        m_error = QStringLiteral("%1: cannot create folder %2").arg(path, QFileInfo(path).absolutePath());
        return false;
    }
    switch (m_intake.open(path)) {
    case IntakeJournal::Lock::Taken:
        break;
    case IntakeJournal::Lock::Busy:
        m_intakeError = m_intake.errorString();
        m_intake.close();
        if (!m_store.open(path, HookStore::Mode::ReadWrite)) {
            m_error = m_store.errorString();
            return false;
        }
        return true;
    case IntakeJournal::Lock::Failed:
        m_error = m_intake.errorString();
        return false;
    }
    if (!m_store.open(path, HookStore::Mode::Writer) || !m_store.foldIn(&m_intake, m_catalog)) {
        m_error = m_store.errorString();
        m_store.close();
        m_intake.close();
        return false;
    }
    if (!m_bodies.open(path, m_store.lastBodySegment())) {
        m_error = m_bodies.errorString();
        m_store.close();
        m_intake.close();
        return false;
    }
    m_bodyLogDamage = m_store.checkBodyLog();
    if (!m_bodyLogDamage.isEmpty())
        qWarning("%s", qPrintable(m_bodyLogDamage));
    m_store.setBodyLog(&m_bodies);
    // Segments that deletes by other processes left without a hook.
    m_store.reclaimBodies();
    // Ids go on from the highest ever handed out, even when the newest hooks were deleted.
    m_nextId = std::max(m_store.maxId(), m_store.intakeThrough()) + 1;
    m_store.setAutoCheckpoint(0);
    m_foldTimer = new QTimer(this);
    m_foldTimer->setSingleShot(true);
    m_foldTimer->setTimerType(Qt::PreciseTimer);
    m_foldTimer->setInterval(FoldDelayMs);
    connect(m_foldTimer, &QTimer::timeout, this, &StoreWriter::flush);
    m_retryTimer = new QTimer(this);
    m_retryTimer->setSingleShot(true);
    m_retryTimer->setInterval(RetryMs);
    connect(m_retryTimer, &QTimer::timeout, this, &StoreWriter::flush);
    m_checkpointThread = new QThread(this);
    m_checkpointThread->setObjectName(QStringLiteral("hookscope-checkpoint"));
    auto *checkpointer = new Checkpointer(path, &m_bodies);   // deleted on its thread when that finishes
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

bool StoreWriter::accept(QList<Hook> hooks, QString *error)
{
    if (!ownsIntake()) {
        *error = m_intakeError;
        return false;
    }
    {
        QMutexLocker lock(&m_mutex);
        if (!m_failure.isEmpty()) {
            *error = m_failure;
            return false;
        }
    }
    if (const qint64 pending = m_intake.pendingBytes() + m_bodies.pendingBytes(); pending > MaxPendingBytes) {
        *error = QStringLiteral("the store is behind: %1 MiB received are not yet in SQLite").arg(pending / (1024 * 1024));
        return false;
    }
    // The bodies first: an intake record is never without the body it points to.
    if (!m_bodies.append(&hooks)) {
        *error = m_bodies.errorString();
        return false;
    }
    if (!m_intake.append(hooks)) {
        *error = m_intake.errorString();
        m_bodies.settled(hooks);
        return false;
    }
    QMutexLocker lock(&m_mutex);
    if (m_pending.isEmpty())
        m_pending = std::move(hooks);
    else
        m_pending.append(std::move(hooks));
    if (!m_flushQueued) {
        m_flushQueued = true;
        // The hooks are safe already; SQLite takes them in a moment later, with
        // all that arrives meanwhile: a few large transactions instead of one per
        // I/O round, and this thread does not wake the writer's for each round.
        QMetaObject::invokeMethod(m_foldTimer, qOverload<>(&QTimer::start), Qt::QueuedConnection);
    }
    return true;
}

qint64 StoreWriter::setMaxPageCount(qint64 pages)
{
    const qint64 cap = m_store.setMaxPageCount(pages);
    flush();   // what waits for room goes in now, if it fits
    return cap;
}

void StoreWriter::flush()
{
    if (!m_store.isOpen())
        return;
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
        for (Hook &hook : batch) {
            if (!hook.inspection.isRecognised() && !hook.refused())
                m_catalog.recognise(hook.headers, formats::meantBody(hook.body, hook.headers), &hook.inspection, hook.receivedUs);
        }
        const qint64 through = batch.constLast().id;
        if (!m_store.insertHooks(&batch, through)) {
            const QString error = m_store.errorString();
            bool first = false;
            {
                QMutexLocker lock(&m_mutex);
                m_pending = batch + m_pending;
                first = m_failure.isEmpty();
                m_failure = error;
                m_error = error;
                m_flushQueued = false;
            }
            if (first)
                emit commitFailed(error, int(batch.size()));
            if (m_retryTimer)
                m_retryTimer->start();
            return;
        }
        m_intake.foldedThrough(through);
        m_bodies.settled(batch);
        {
            QMutexLocker lock(&m_mutex);
            m_failure.clear();
        }
        emit committed(batch);
        release(std::move(batch));
    }
}

void StoreWriter::setHookHome(QObject *home)
{
    QMutexLocker lock(&m_mutex);
    m_hookHome = home;
}

void StoreWriter::release(QList<Hook> &&hooks)
{
    // A hook is some twenty blocks of memory, taken by the I/O thread. glibc's
    // allocator serves a thread fastest from what that thread itself freed; freed
    // here instead, every block would go back through the I/O thread's arena lock,
    // and under load that costs more than storing the hook. The event that carries
    // the batch is destroyed on home's thread, and the hooks with it.
    QMutexLocker lock(&m_mutex);
    if (m_hookHome)
        QMetaObject::invokeMethod(m_hookHome, [hooks = std::move(hooks)] {}, Qt::QueuedConnection);
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
    // Fold the whole WAL in, so that the store is one file again once we are gone
    // (the writer of another process does that for its own).
    if (ownsIntake())
        m_store.checkpoint(HookStore::Checkpoint::Truncate);
    m_store.close();
    // Whatever SQLite refused stays in the intake for the next writer.
    m_store.setBodyLog(nullptr);
    m_bodies.sync();
    m_bodies.close();
    m_intake.close();
}
