#include "intake.h"

#include <QFile>
#include <QMutexLocker>
#include <QtEndian>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr char Magic[4] = {'H', 'K', 'i', '1'};
constexpr qsizetype RecordHeaderSize = 12;   // magic, payload size, CRC-32 of the payload
constexpr quint32 MaxPayload = 256 * 1024 * 1024;

// Slicing by 8: table[k][b] is the CRC of byte b followed by k zero bytes.
constexpr std::array<std::array<quint32, 256>, 8> crcTables()
{
    std::array<std::array<quint32, 256>, 8> tables{};
    for (quint32 i = 0; i < 256; ++i) {
        quint32 c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        tables[0][i] = c;
    }
    for (int k = 1; k < 8; ++k) {
        for (int i = 0; i < 256; ++i)
            tables[k][i] = (tables[k - 1][i] >> 8) ^ tables[0][tables[k - 1][i] & 0xFF];
    }
    return tables;
}

} // namespace

// CRC-32 (IEEE 802.3), as zlib and PNG compute it, eight bytes a step.
quint32 IntakeJournal::checksum(QByteArrayView bytes)
{
    static constexpr auto t = crcTables();
    const auto *p = reinterpret_cast<const uchar *>(bytes.data());
    qsizetype n = bytes.size();
    quint32 c = 0xFFFFFFFFu;
    for (; n >= 8; p += 8, n -= 8) {
        const quint32 lo = qFromLittleEndian<quint32>(p) ^ c;
        const quint32 hi = qFromLittleEndian<quint32>(p + 4);
        c = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24]
            ^ t[3][hi & 0xFF] ^ t[2][(hi >> 8) & 0xFF] ^ t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
    }
    for (; n > 0; ++p, --n)
        c = t[0][(c ^ *p) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

namespace {

// A record is encoded in two passes over the same fields: one that adds up their
// size, then one that copies them into a buffer of exactly that size.
class Sizer
{
public:
    template<typename T> void number(T) { m_size += sizeof(T); }
    void bytes(QByteArrayView value) { m_size += sizeof(quint32) + value.size(); }
    qsizetype size() const { return m_size; }

private:
    qsizetype m_size = 0;
};

class Writer
{
public:
    explicit Writer(char *out) : m_out(out) {}

    template<typename T> void number(T value)
    {
        qToLittleEndian(value, m_out);
        m_out += sizeof(T);
    }
    void bytes(QByteArrayView value)
    {
        number(quint32(value.size()));
        if (!value.isEmpty())
            std::memcpy(m_out, value.data(), size_t(value.size()));
        m_out += value.size();
    }

private:
    char *m_out;
};

template<typename Sink> void putHeaders(Sink &sink, const http::HeaderList &list)
{
    sink.number(quint32(list.size()));
    for (const http::HeaderField &field : list) {
        sink.bytes(field.name);
        sink.bytes(field.value);
    }
}

// The text fields of a hook as UTF-8, converted once for both passes.
struct Utf8Fields
{
    Utf8Fields(const Hook &hook, const QByteArray &peerUtf8)
        : peer(peerUtf8)
        , provider(hook.inspection.provider.toUtf8())
        , event(hook.inspection.event.toUtf8())
        , action(hook.inspection.action.toUtf8())
        , rule(hook.answerRule.toUtf8())
        , refusal(hook.refusal.toUtf8())
    {
        problems.reserve(hook.inspection.problems.size());
        for (const QString &problem : hook.inspection.problems)
            problems.append(problem.toUtf8());
    }
    QByteArray peer, provider, event, action, rule, refusal;
    QByteArrayList problems;
};

template<typename Sink> void putHook(Sink &sink, const Hook &hook, const Utf8Fields &text)
{
    sink.number(hook.id);
    sink.number(hook.receivedUs);
    sink.bytes(text.peer);
    sink.number(hook.peerPort);
    sink.bytes(hook.method);
    sink.bytes(hook.target);
    sink.bytes(hook.version);
    putHeaders(sink, hook.headers);
    const bool external = hook.bodyRef.isExternal();
    // A body in the body log is there already: the record says where.
    sink.bytes(external ? QByteArrayView() : QByteArrayView(hook.body));
    putHeaders(sink, hook.trailers);
    // Bit 0: chunked; bit 1: relayed (records written before relays had 0 or 1 here); bit 2: body in the body log.
    sink.number(quint8((hook.chunked ? 1 : 0) | (hook.origin == Hook::Origin::Relayed ? 2 : 0) | (external ? 4 : 0)));
    sink.bytes(text.provider);
    sink.bytes(text.event);
    sink.bytes(text.action);
    sink.number(qint8(hook.inspection.secret));
    sink.number(qint8(hook.inspection.signature));
    sink.number(quint32(text.problems.size()));
    for (const QByteArray &problem : text.problems)
        sink.bytes(problem);
    sink.number(qint32(hook.answer.status));
    putHeaders(sink, hook.answer.headers);
    sink.bytes(hook.answer.body);
    sink.bytes(text.rule);   // absent from the records of older builds
    sink.bytes(text.refusal);   // likewise
    if (external) {
        sink.number(hook.bodyRef.segment);
        sink.number(hook.bodyRef.offset);
        sink.number(hook.bodyRef.size);
        sink.number(hook.bodyRef.checksum);
    }
}

class Decoder
{
public:
    explicit Decoder(QByteArrayView in) : m_in(in) {}

    bool ok() const { return m_ok; }
    bool atEnd() const { return m_pos == m_in.size(); }

    template<typename T> T number()
    {
        if (!take(sizeof(T)))
            return T{};
        T value;
        std::memcpy(&value, m_in.data() + m_pos - sizeof(T), sizeof(T));
        return qFromLittleEndian(value);
    }
    QByteArray bytes()
    {
        const quint32 size = number<quint32>();
        if (!take(size))
            return {};
        // Never null, as a value read from SQLite is not.
        return size == 0 ? QByteArray("") : m_in.sliced(m_pos - size, size).toByteArray();
    }
    http::HeaderList headers()
    {
        const quint32 count = number<quint32>();
        http::HeaderList list;
        // Each field takes at least 8 bytes: a bound on the count that a damaged record cannot exceed.
        if (!m_ok || count > quint32(m_in.size() - m_pos) / 8) {
            m_ok = false;
            return list;
        }
        list.reserve(count);
        for (quint32 i = 0; i < count && m_ok; ++i) {
            QByteArray name = bytes();
            QByteArray value = bytes();
            list.append({std::move(name), std::move(value)});
        }
        return list;
    }

private:
    bool take(qsizetype n)
    {
        if (!m_ok || n > m_in.size() - m_pos) {
            m_ok = false;
            return false;
        }
        m_pos += n;
        return true;
    }

    QByteArrayView m_in;
    qsizetype m_pos = 0;
    bool m_ok = true;
};

QString errorText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// The record that starts at `pos` of `data`, if its header is sound and all of its
// payload is there; its checksum is the caller's to check.
struct Record
{
    QByteArrayView payload;
    quint32 crc = 0;
    qsizetype end = 0;   // where the next record starts
};

std::optional<Record> recordAt(QByteArrayView data, qsizetype pos)
{
    if (data.size() - pos < RecordHeaderSize || std::memcmp(data.data() + pos, Magic, 4) != 0)
        return std::nullopt;
    const quint32 size = qFromLittleEndian<quint32>(data.data() + pos + 4);
    if (size < sizeof(qint64) || size > MaxPayload || size > data.size() - pos - RecordHeaderSize)
        return std::nullopt;
    return Record{data.sliced(pos + RecordHeaderSize, size), qFromLittleEndian<quint32>(data.data() + pos + 8),
                  pos + RecordHeaderSize + size};
}

} // namespace

IntakeJournal::~IntakeJournal()
{
    close();
}

QString IntakeJournal::segmentPath(const QString &storePath, int segment)
{
    return storePath + u"-intake." + QString::number(segment);
}

bool IntakeJournal::fail(const QString &what, int error)
{
    m_error = what + u": " + errorText(error);
    return false;
}

IntakeJournal::Lock IntakeJournal::open(const QString &storePath)
{
    close();
    m_storePath = storePath;
    m_error.clear();
    for (int i = 0; i < 2; ++i) {
        const QByteArray path = QFile::encodeName(segmentPath(storePath, i));
        m_fds[i] = ::open(path.constData(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (m_fds[i] < 0) {
            fail(QStringLiteral("cannot open %1").arg(segmentPath(storePath, i)), errno);
            close();
            return Lock::Failed;
        }
        if (i == 0 && ::flock(m_fds[0], LOCK_EX | LOCK_NB) != 0) {
            const int error = errno;
            close();
            if (error == EWOULDBLOCK) {
                m_error = QStringLiteral("%1 is in use by another hookscope process").arg(storePath);
                return Lock::Busy;
            }
            fail(QStringLiteral("cannot lock %1").arg(segmentPath(storePath, 0)), error);
            return Lock::Failed;
        }
    }
    return Lock::Taken;
}

bool IntakeJournal::isLocked(const QString &storePath)
{
    const int fd = ::open(QFile::encodeName(segmentPath(storePath, 0)).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    // A shared lock is refused while anyone holds the writer's exclusive one;
    // taken, it is given back at once by closing.
    const bool locked = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);
    return locked;
}

void IntakeJournal::close()
{
    QMutexLocker lock(&m_mutex);
    // Closing the first segment releases the writer lock.
    for (int &fd : m_fds) {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
    m_segments = {};
    m_active = 0;
    m_buffer = QByteArray();
}

QString IntakeJournal::errorString() const
{
    QMutexLocker lock(&m_mutex);
    return m_error;
}

QList<Hook> IntakeJournal::read(qint64 *droppedBytes)
{
    QMutexLocker lock(&m_mutex);
    QList<Hook> hooks;
    qint64 dropped = 0;
    for (int i = 0; i < 2 && m_fds[i] >= 0; ++i) {
        struct stat info;
        if (::fstat(m_fds[i], &info) != 0)
            continue;
        QByteArray data(qsizetype(info.st_size), Qt::Uninitialized);
        qsizetype got = 0;
        while (got < data.size()) {
            const ssize_t n = ::pread(m_fds[i], data.data() + got, size_t(data.size() - got), got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            got += n;
        }
        data.truncate(got);

        qsizetype pos = 0;
        Segment &segment = m_segments[i];
        segment = {};
        while (const std::optional<Record> record = recordAt(data, pos)) {
            Hook hook;
            if (checksum(record->payload) != record->crc || !decode(record->payload, &hook))
                break;
            segment.lastId = std::max(segment.lastId, hook.id);
            hooks.append(std::move(hook));
            pos = record->end;
        }
        segment.size = pos;
        dropped += data.size() - pos;
        // A damaged tail is cut off, so that new records follow the last good one.
        if (pos < data.size() && ::ftruncate(m_fds[i], pos) != 0)
            segment.size = data.size();
    }
    std::sort(hooks.begin(), hooks.end(), [](const Hook &a, const Hook &b) { return a.id < b.id; });
    // Appends go to the segment holding the newest records; the other one is emptied first.
    m_active = m_segments[1].lastId > m_segments[0].lastId ? 1 : 0;
    if (droppedBytes)
        *droppedBytes = dropped;
    return hooks;
}

qint64 IntakeJournal::lastId(const QString &storePath)
{
    qint64 last = 0;
    for (int i = 0; i < 2; ++i) {
        QFile file(segmentPath(storePath, i));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QByteArray data = file.readAll();
        // Complete records only: the one being written now is not answered yet.
        qsizetype pos = 0;
        while (const std::optional<Record> record = recordAt(data, pos)) {
            last = std::max(last, qFromLittleEndian<qint64>(record->payload.data()));   // the id comes first
            pos = record->end;
        }
    }
    return last;
}

bool IntakeJournal::append(const QList<Hook> &hooks)
{
    if (hooks.isEmpty())
        return true;
    QMutexLocker lock(&m_mutex);
    if (m_fds[0] < 0) {
        m_error = QStringLiteral("the intake is not open");
        return false;
    }
    m_buffer.resize(0);   // keeps its capacity from one round to the next
    for (const Hook &hook : hooks) {
        const qsizetype start = m_buffer.size();
        m_buffer.append(Magic, 4);
        m_buffer.append(RecordHeaderSize - 4, '\0');
        encodeInto(m_buffer, hook, m_peerUtf8.of(hook.peerAddress));
        const QByteArrayView payload = QByteArrayView(m_buffer).sliced(start + RecordHeaderSize);
        qToLittleEndian(quint32(payload.size()), m_buffer.data() + start + 4);
        qToLittleEndian(checksum(payload), m_buffer.data() + start + 8);
    }

    // Once the active segment is full and the other one empty (all of it in
    // SQLite), new records go there and the full one empties as SQLite catches up.
    const int other = 1 - m_active;
    if (m_segments[m_active].size >= SegmentBytes && m_segments[other].size == 0)
        m_active = other;
    Segment &segment = m_segments[m_active];
    const int fd = m_fds[m_active];
    qsizetype written = 0;
    while (written < m_buffer.size()) {
        const ssize_t n = ::write(fd, m_buffer.constData() + written, size_t(m_buffer.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int error = n < 0 ? errno : ENOSPC;
            // Nothing of this batch may stay: it is answered as not stored.
            if (written > 0 && ::ftruncate(fd, segment.size) != 0)
                segment.size += written;   // a damaged tail, cut off by the next read()
            fail(QStringLiteral("cannot write %1").arg(segmentPath(m_storePath, m_active)), error);
            return false;
        }
        written += n;
    }
    segment.size += written;
    segment.lastId = std::max(segment.lastId, hooks.constLast().id);
    return true;
}

void IntakeJournal::foldedThrough(qint64 id)
{
    QMutexLocker lock(&m_mutex);
    for (int i = 0; i < 2; ++i) {
        Segment &segment = m_segments[i];
        if (segment.size > 0 && segment.lastId <= id && m_fds[i] >= 0 && ::ftruncate(m_fds[i], 0) == 0)
            segment = {};
    }
}

qint64 IntakeJournal::pendingBytes() const
{
    QMutexLocker lock(&m_mutex);
    return m_segments[0].size + m_segments[1].size;
}

QByteArray IntakeJournal::encode(const Hook &hook)
{
    QByteArray out;
    encodeInto(out, hook, hook.peerAddress.toUtf8());
    return out;
}

void IntakeJournal::encodeInto(QByteArray &out, const Hook &hook, const QByteArray &peerUtf8)
{
    const Utf8Fields text(hook, peerUtf8);
    Sizer sizer;
    putHook(sizer, hook, text);
    const qsizetype start = out.size();
    out.resize(start + sizer.size());
    Writer writer(out.data() + start);
    putHook(writer, hook, text);
}

bool IntakeJournal::decode(QByteArrayView payload, Hook *hook)
{
    Decoder d(payload);
    Hook h;
    h.id = d.number<qint64>();
    h.receivedUs = d.number<qint64>();
    h.peerAddress = QString::fromUtf8(d.bytes());
    h.peerPort = d.number<quint16>();
    h.method = d.bytes();
    h.target = d.bytes();
    h.version = d.bytes();
    h.headers = d.headers();
    h.body = d.bytes();
    h.trailers = d.headers();
    const quint8 flags = d.number<quint8>();
    h.chunked = (flags & 1) != 0;
    if (flags & 2)
        h.origin = Hook::Origin::Relayed;
    catalog::Inspection &inspection = h.inspection;
    inspection.provider = QString::fromUtf8(d.bytes());
    inspection.event = QString::fromUtf8(d.bytes());
    inspection.action = QString::fromUtf8(d.bytes());
    inspection.secret = catalog::Verdict(d.number<qint8>());
    inspection.signature = catalog::Verdict(d.number<qint8>());
    const quint32 problems = d.number<quint32>();
    for (quint32 i = 0; i < problems && d.ok(); ++i)
        inspection.problems.append(QString::fromUtf8(d.bytes()));
    h.answer.status = d.number<qint32>();
    h.answer.headers = d.headers();
    h.answer.body = d.bytes();
    if (d.ok() && !d.atEnd())
        h.answerRule = QString::fromUtf8(d.bytes());
    if (d.ok() && !d.atEnd())
        h.refusal = QString::fromUtf8(d.bytes());
    if (flags & 4) {
        // The body itself is read back from the body log by whoever needs it.
        h.bodyRef.segment = d.number<qint64>();
        h.bodyRef.offset = d.number<qint64>();
        h.bodyRef.size = d.number<qint64>();
        h.bodyRef.checksum = d.number<quint64>();
        if (h.bodyRef.segment <= 0 || h.bodyRef.offset < 0 || h.bodyRef.size < 0)
            return false;
    }
    if (!d.ok() || !d.atEnd() || h.id <= 0)
        return false;
    *hook = std::move(h);
    return true;
}
