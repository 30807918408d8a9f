#include "bodylog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutexLocker>
#include <QRegularExpression>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace {

QString errorText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

bool readFully(int fd, char *out, qint64 size, qint64 offset)
{
    qint64 got = 0;
    while (got < size) {
        const ssize_t n = ::pread(fd, out + got, size_t(size - got), offset + got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        got += n;
    }
    return true;
}

} // namespace

BodyLog::~BodyLog()
{
    close();
}

QString BodyLog::segmentPath(const QString &storePath, qint64 segment)
{
    return storePath + u"-bodies." + QString::number(segment);
}

QList<qint64> BodyLog::segments(const QString &storePath)
{
    const QFileInfo store(storePath);
    const QString prefix = store.fileName() + u"-bodies.";
    QList<qint64> result;
    const QStringList names = QDir(store.absolutePath()).entryList({prefix + u'*'}, QDir::Files);
    for (const QString &name : names) {
        bool ok = false;
        const qint64 segment = QStringView(name).sliced(prefix.size()).toLongLong(&ok);
        if (ok && segment > 0)
            result.append(segment);
    }
    std::sort(result.begin(), result.end());
    return result;
}

quint64 BodyLog::checksum(QByteArrayView bytes)
{
    return XXH3_64bits(bytes.data(), size_t(bytes.size()));
}

bool BodyLog::fail(const QString &what, int error)
{
    m_error = what + u": " + errorText(error);
    return false;
}

bool BodyLog::open(const QString &storePath, qint64 lastReferenced)
{
    close();
    QMutexLocker lock(&m_mutex);
    m_storePath = storePath;
    m_error.clear();
    const QList<qint64> existing = segments(storePath);
    // Made by the first body that needs it, so that opening leaves no empty file behind.
    m_segment = std::max(lastReferenced, existing.isEmpty() ? 0 : existing.constLast()) + 1;
    return true;
}

// Called with m_mutex held.
bool BodyLog::startSegment(qint64 segment)
{
    const QString path = segmentPath(m_storePath, segment);
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(QStringLiteral("cannot create %1").arg(path), errno);
    if (m_fd >= 0) {
        // What the old segment holds reaches the disk before anything refers to
        // it durably: at the next sync(), on the thread that syncs, not here on
        // the one that answers.
        if (m_dirty) {
            m_retired.append({m_fd, m_cachedFrom, m_size});
        } else {
            dropCached(m_fd, m_cachedFrom, m_size);
            ::close(m_fd);
        }
    }
    m_fd = fd;
    m_segment = segment;
    m_size = 0;
    m_cachedFrom = 0;
    m_dirty = false;
    return true;
}

void BodyLog::dropCached(int fd, qint64 from, qint64 through)
{
    // Bodies are written once and read when shown, if ever: the pages that hold
    // them are handed back as soon as they are on the disk, and the next bodies
    // are written into pages the system has just freed. Those cost a fraction of
    // pages it has not touched in a while (on the machines measured), and the
    // log does not push out of the cache what the rest of the system uses.
    if (through > from)
        ::posix_fadvise(fd, from, through - from, POSIX_FADV_DONTNEED);
}

void BodyLog::close()
{
    QMutexLocker lock(&m_mutex);
    for (const Retired &segment : std::as_const(m_retired)) {
        ::fdatasync(segment.fd);
        ::close(segment.fd);
    }
    m_retired.clear();
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_storePath.clear();
    m_segment = 0;
    m_size = 0;
    m_cachedFrom = 0;
    m_dirty = false;
    m_waiting.clear();
    m_pendingBytes = 0;
}

bool BodyLog::isOpen() const
{
    QMutexLocker lock(&m_mutex);
    return !m_storePath.isEmpty();
}

QString BodyLog::errorString() const
{
    QMutexLocker lock(&m_mutex);
    return m_error;
}

bool BodyLog::append(QList<Hook> *hooks)
{
    std::vector<iovec> parts;
    std::vector<quint64> checksums;
    qint64 bytes = 0;
    // Checksums before the lock: the I/O thread alone pays for them, nobody waits.
    for (const Hook &hook : std::as_const(*hooks)) {
        if (hook.body.size() > Threshold) {
            parts.push_back({const_cast<char *>(hook.body.constData()), size_t(hook.body.size())});
            checksums.push_back(checksum(hook.body));
            bytes += hook.body.size();
        }
    }
    if (parts.empty())
        return true;

    QMutexLocker lock(&m_mutex);
    if (m_storePath.isEmpty()) {
        m_error = QStringLiteral("the body log is not open");
        return false;
    }
    if (m_fd < 0 && !startSegment(m_segment))
        return false;
    if (m_size >= SegmentBytes && !startSegment(m_segment + 1))
        return false;
    const qint64 start = m_size;
    qint64 written = 0;
    size_t first = 0;
    while (first < parts.size()) {
        const int count = int(std::min<size_t>(parts.size() - first, IOV_MAX));
        const ssize_t n = ::writev(m_fd, parts.data() + first, count);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int error = n < 0 ? errno : ENOSPC;
            // Nothing of this round may stay: its hooks are answered as not stored.
            if (written > 0 && ::ftruncate(m_fd, start) != 0)
                m_size = start + written;   // garbage no hook refers to, freed with its segment
            return fail(QStringLiteral("cannot write %1").arg(segmentPath(m_storePath, m_segment)), error);
        }
        written += n;
        // Step over what was written whole, and into the part written in half.
        size_t done = size_t(n);
        while (first < parts.size() && done >= parts[first].iov_len) {
            done -= parts[first].iov_len;
            ++first;
        }
        if (first < parts.size()) {
            parts[first].iov_base = static_cast<char *>(parts[first].iov_base) + done;
            parts[first].iov_len -= done;
        }
    }
    m_size = start + written;
    m_dirty = true;
    qint64 offset = start;
    size_t index = 0;
    for (Hook &hook : *hooks) {
        if (hook.body.size() > Threshold) {
            hook.bodyRef = {m_segment, offset, hook.body.size(), checksums[index++]};
            offset += hook.body.size();
        }
    }
    // Registered before the lock is let go, so that reclaim() never takes this segment away.
    m_waiting[m_segment] += qint64(parts.size());
    m_pendingBytes += bytes;
    return true;
}

void BodyLog::settled(const QList<Hook> &hooks)
{
    QMutexLocker lock(&m_mutex);
    for (const Hook &hook : hooks) {
        if (hook.bodyRef.segment <= 0)
            continue;
        const auto it = m_waiting.find(hook.bodyRef.segment);
        if (it == m_waiting.end())
            continue;   // taken in from an earlier writer's intake
        if (--it.value() <= 0)
            m_waiting.erase(it);
        m_pendingBytes -= hook.bodyRef.size;
    }
}

bool BodyLog::sync()
{
    QMutexLocker lock(&m_mutex);
    const QList<Retired> retired = std::exchange(m_retired, {});
    if (!retired.isEmpty()) {
        lock.unlock();
        bool ok = true;
        int error = 0;
        for (const Retired &segment : retired) {
            if (::fdatasync(segment.fd) == 0) {
                dropCached(segment.fd, segment.cachedFrom, segment.size);
            } else if (ok) {
                ok = false;
                error = errno;
            }
            ::close(segment.fd);
        }
        lock.relock();
        if (!ok)
            return fail(QStringLiteral("cannot sync the body log of %1").arg(m_storePath), error);
    }
    if (m_fd < 0 || !m_dirty)
        return true;
    m_dirty = false;
    // On a descriptor of its own, without the lock: appends go on while the disk catches up.
    const int fd = ::dup(m_fd);
    const qint64 segment = m_segment;
    const qint64 from = m_cachedFrom;
    const qint64 through = m_size;   // written before the sync below begins, so on the disk after it
    const QString path = segmentPath(m_storePath, m_segment);
    lock.unlock();
    if (fd < 0)
        return false;
    const bool ok = ::fdatasync(fd) == 0;
    const int error = errno;
    if (ok)
        dropCached(fd, from, through);
    ::close(fd);
    lock.relock();
    if (!ok)
        return fail(QStringLiteral("cannot sync %1").arg(path), error);
    if (m_segment == segment)
        m_cachedFrom = std::max(m_cachedFrom, through & ~qint64(4095));   // a page cut short goes next time
    return true;
}

qint64 BodyLog::reclaim(const QSet<qint64> &referenced)
{
    QMutexLocker lock(&m_mutex);
    if (m_storePath.isEmpty())
        return 0;
    const auto unused = [&](qint64 segment) { return !referenced.contains(segment) && !m_waiting.contains(segment); };
    // The segment being written goes too when nothing in it is used: writing goes on in a new one.
    if (m_fd >= 0 && unused(m_segment)) {
        ::close(m_fd);
        m_fd = -1;
        m_size = 0;
        m_cachedFrom = 0;
        m_dirty = false;
        ++m_segment;
    }
    qint64 freed = 0;
    for (const qint64 segment : segments(m_storePath)) {
        if (segment == m_segment || !unused(segment))
            continue;
        const QString path = segmentPath(m_storePath, segment);
        const qint64 size = QFileInfo(path).size();
        if (QFile::remove(path))
            freed += size;
    }
    return freed;
}

qint64 BodyLog::pendingBytes() const
{
    QMutexLocker lock(&m_mutex);
    return m_pendingBytes;
}

void BodyReader::setStorePath(const QString &storePath)
{
    m_storePath = storePath;
}

bool BodyReader::read(const Hook::BodyRef &ref, QByteArray *body, QString *error) const
{
    // Opened for each body and closed at once: a descriptor kept open would hold
    // on to the space of a segment that a delete has just removed.
    const QString path = BodyLog::segmentPath(m_storePath, ref.segment);
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *error = QStringLiteral("%1: %2").arg(path, errorText(errno));
        return false;
    }
    QByteArray bytes(ref.size, Qt::Uninitialized);
    const bool whole = ref.size == 0 || readFully(fd, bytes.data(), ref.size, ref.offset);
    struct stat info;
    const qint64 fileSize = ::fstat(fd, &info) == 0 ? qint64(info.st_size) : -1;
    ::close(fd);
    if (!whole) {
        *error = QStringLiteral("%1 ends at byte %2, before the %3 bytes at offset %4").arg(path).arg(fileSize).arg(ref.size).arg(ref.offset);
        return false;
    }
    if (BodyLog::checksum(bytes) != ref.checksum) {
        *error = QStringLiteral("%1: the %2 bytes at offset %3 do not match their checksum").arg(path).arg(ref.size).arg(ref.offset);
        return false;
    }
    *body = std::move(bytes);
    return true;
}
