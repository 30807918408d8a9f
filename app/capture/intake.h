#pragma once

#include "hook.h"
#include "utf8memo.h"

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <QString>

#include <array>

// The store's write-ahead intake: hooks are appended here, one write() for all
// the hooks of an I/O round, before they are answered, and folded into SQLite
// behind that in large transactions. A write() that returned is in the page
// cache, so a hook answered 2xx survives the process being killed right away,
// exactly as a commit to SQLite's own WAL with synchronous=NORMAL does; what it
// saves is a SQLite transaction (and a thread handoff) on every answer.
//
// The intake is two segment files beside the store, "<store>-intake.0" and
// "<store>-intake.1", used in turns so that one can be emptied once SQLite holds
// all it contains while the other takes new hooks. The first segment also carries
// the writer lock: a store has at most one writer (the ids of the answers come
// from it), and a second process gets a clear refusal instead of colliding.
//
// Each record: "HKi1", the payload size and its CRC-32, then the payload (the
// hook, little-endian, byte strings prefixed with their length). Reading stops at
// the first record that is incomplete or fails its checksum: the tail of a write
// that was cut off, never one that was answered. A large body is not in its
// record but in the body log (see bodylog.h), written just before it: the record
// carries its place there, and a hook read back here has bodyRef set and an
// empty body.
class IntakeJournal
{
public:
    static constexpr qint64 SegmentBytes = 8 * 1024 * 1024;

    IntakeJournal() = default;
    ~IntakeJournal();
    IntakeJournal(const IntakeJournal &) = delete;
    IntakeJournal &operator=(const IntakeJournal &) = delete;

    static QString segmentPath(const QString &storePath, int segment);

    enum class Lock { Taken, Busy, Failed };
    // Opens (creating) both segments and takes the writer lock without waiting.
    Lock open(const QString &storePath);
    void close();
    bool isOpen() const { return m_fds[0] >= 0; }
    QString errorString() const;

    // What the segments hold now, in id order. Call before the first append().
    // Records past a damaged one are left out and counted in *droppedBytes.
    QList<Hook> read(qint64 *droppedBytes = nullptr);

    // Appends the hooks with one write(). On failure nothing of them stays in the
    // intake and errorString() says why.
    bool append(const QList<Hook> &hooks);

    // Every hook up to this id is in SQLite: empties the segments that hold no later one.
    void foldedThrough(qint64 id);

    // Bytes written and not yet folded into SQLite.
    qint64 pendingBytes() const;

    // Whether a process (this one included) holds the writer lock of this store now.
    static bool isLocked(const QString &storePath);

    // The newest id in the intake of this store, read without the lock (0: none).
    static qint64 lastId(const QString &storePath);

    static QByteArray encode(const Hook &hook);
    // CRC-32 (IEEE 802.3) of the bytes, as zlib's crc32() gives it.
    static quint32 checksum(QByteArrayView bytes);
    // Decodes one payload; false when it is malformed.
    static bool decode(QByteArrayView payload, Hook *hook);

private:
    struct Segment
    {
        qint64 size = 0;
        qint64 lastId = 0;
    };
    static void encodeInto(QByteArray &out, const Hook &hook, const QByteArray &peerUtf8);
    bool fail(const QString &what, int error);

    QString m_storePath;
    std::array<int, 2> m_fds{-1, -1};
    mutable QMutex m_mutex;
    std::array<Segment, 2> m_segments;   // guarded by m_mutex
    int m_active = 0;                    // guarded by m_mutex
    QByteArray m_buffer;                 // guarded by m_mutex
    Utf8Memo m_peerUtf8;                 // guarded by m_mutex
    QString m_error;                     // guarded by m_mutex
};
