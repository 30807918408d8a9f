#include "storewriter.h"

#include <QMutexLocker>

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

void StoreWriter::submit(const Hook &hook)
{
    QMutexLocker lock(&m_mutex);
    m_pending.append(hook);
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
        emit committed(batch, ok, error);
    }
}

void StoreWriter::close()
{
    if (!m_store.isOpen())
        return;
    flush();
    m_store.close();
}
