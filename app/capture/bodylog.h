#pragma once

#include "hook.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QSet>
#include <QString>

// Where large bodies live: append-only segment files beside the store,
// "<store>-bodies.N", each body written once by the I/O thread, in the same I/O
// round as its hook's intake record and before the answer (so a 2xx survives a
// kill -9 as the intake does), and referenced from SQLite by segment, offset,
// size and checksum (Hook::BodyRef). SQLite then writes a few dozen bytes per
// hook instead of the body three times (its WAL, its database file, and the
// intake before them). The large bodies older schemas kept in their rows are
// moved here once, by the migration to schema 8 (see HookStore::migrate()).
//
// A segment is never written again once the writer moves on from it; the
// writer starts a new one (made at its first body) at every open, so nothing is
// ever appended after a torn tail. A segment is deleted once no hook in SQLite refers to it and no
// accepted hook waiting for SQLite does (reclaim()).
class BodyLog
{
public:
    // Bodies of more than this many bytes go to the log; smaller ones cost less
    // inline in their SQLite row than a reference and a read of their own.
    static constexpr qsizetype Threshold = 4096;
    static constexpr qint64 SegmentBytes = 64 * 1024 * 1024;

    BodyLog() = default;
    ~BodyLog();
    BodyLog(const BodyLog &) = delete;
    BodyLog &operator=(const BodyLog &) = delete;

    static QString segmentPath(const QString &storePath, qint64 segment);
    // The segments present beside a store, in increasing order.
    static QList<qint64> segments(const QString &storePath);
    // XXH3, 64 bits: checks every body as it is read, at memory speed.
    static quint64 checksum(QByteArrayView bytes);

    // For the store's one writer, which holds the intake lock. Writing starts in
    // a new segment, numbered past every one present and past lastReferenced
    // (the highest a hook refers to): a number is never given twice, even when
    // its file is gone.
    bool open(const QString &storePath, qint64 lastReferenced = 0);
    void close();
    bool isOpen() const;
    QString errorString() const;

    // Thread-safe. Writes the bodies above Threshold of these hooks with one
    // writev() and sets their bodyRef; on failure none of them counts as written.
    bool append(QList<Hook> *hooks);
    // Thread-safe. These hooks are in SQLite now (or were refused): their
    // segments no longer wait for them.
    void settled(const QList<Hook> &hooks);
    // Thread-safe. What was appended since the last call goes to the disk, before
    // a checkpoint makes SQLite's references to it durable.
    bool sync();
    // Deletes the segments that are not in `referenced` and hold no body that
    // waits for SQLite; the one being written is left for a new one when it
    // qualifies. Returns the bytes freed.
    qint64 reclaim(const QSet<qint64> &referenced);
    // Body bytes appended and not yet settled.
    qint64 pendingBytes() const;

private:
    bool startSegment(qint64 segment);
    static void dropCached(int fd, qint64 from, qint64 through);
    bool fail(const QString &what, int error);

    QString m_storePath;
    mutable QMutex m_mutex;
    int m_fd = -1;                        // guarded by m_mutex: the segment being written, once made
    qint64 m_segment = 0;                 // guarded by m_mutex: its number
    qint64 m_size = 0;                    // guarded by m_mutex
    qint64 m_cachedFrom = 0;              // guarded by m_mutex: where its pages may still be cached
    bool m_dirty = false;                 // guarded by m_mutex: written since the last sync()
    // Segments written up to their end and not synced since: their descriptors,
    // kept for the next sync().
    struct Retired
    {
        int fd;
        qint64 cachedFrom;
        qint64 size;
    };
    QList<Retired> m_retired;             // guarded by m_mutex
    QHash<qint64, qint64> m_waiting;      // guarded by m_mutex: segment -> bodies not yet settled
    qint64 m_pendingBytes = 0;            // guarded by m_mutex
    QString m_error;                      // guarded by m_mutex
};

// Reads bodies from the log of one store.
class BodyReader
{
public:
    void setStorePath(const QString &storePath);
    // The exact bytes, or false with the reason (missing segment, a short file,
    // a checksum that does not match) in *error.
    bool read(const Hook::BodyRef &ref, QByteArray *body, QString *error) const;

private:
    QString m_storePath;
};
