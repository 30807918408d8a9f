#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace relay {

// One Server-Sent Event: the event's name (empty for an unnamed one), its data
// lines joined with '\n', and its id.
struct SseEvent
{
    QByteArray name;
    QByteArray data;
    QByteArray id;
    friend bool operator==(const SseEvent &, const SseEvent &) = default;
};

// Reads an event stream (text/event-stream, as the HTML standard defines it)
// in pieces of any size: lines end with LF, CRLF or CR, a blank line ends an
// event, lines starting with ':' are comments, an event without data is not
// dispatched. An event whose lines exceed maxEventBytes is dropped whole (the
// rest of it is skipped without being kept) and counted in oversized().
class SseParser
{
public:
    explicit SseParser(qsizetype maxEventBytes = 8 * 1024 * 1024) : m_max(maxEventBytes) { }

    // The events that bytes complete, in order.
    QList<SseEvent> feed(QByteArrayView bytes);
    // Starts over, for a new connection.
    void reset();
    // Events dropped for their size since the last call.
    int takeOversized() { return std::exchange(m_oversized, 0); }

private:
    void line(QByteArrayView line, QList<SseEvent> *events);

    qsizetype m_max;
    QByteArray m_line;          // the line being read
    qsizetype m_skippedLine = 0;   // bytes of the line being skipped
    SseEvent m_event;           // the event being read
    bool m_hasData = false;
    qsizetype m_eventBytes = 0;
    bool m_skipping = false;    // inside an oversized event, until its blank line
    bool m_afterCr = false;     // the previous piece ended with CR: a LF now belongs to it
    bool m_started = false;     // past a leading byte order mark (or its absence)
    int m_bomMatched = 0;
    int m_oversized = 0;
};

} // namespace relay
