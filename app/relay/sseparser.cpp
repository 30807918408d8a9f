#include "sseparser.h"

namespace relay {

QList<SseEvent> SseParser::feed(QByteArrayView bytes)
{
    QList<SseEvent> events;
    // A byte order mark at the very start is dropped, however the bytes are split.
    static constexpr char Bom[] = "\xEF\xBB\xBF";
    while (!m_started && !bytes.isEmpty()) {
        if (bytes.front() == Bom[m_bomMatched]) {
            bytes = bytes.sliced(1);
            m_started = ++m_bomMatched == 3;
        } else {
            m_line.append(Bom, m_bomMatched);   // not a mark after all: those bytes were text
            m_started = true;
        }
    }
    qsizetype start = 0;
    if (m_afterCr && !bytes.isEmpty()) {
        // The LF of a CRLF split across two pieces.
        if (bytes.front() == '\n')
            start = 1;
        m_afterCr = false;
    }
    for (qsizetype i = start; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (c != '\n' && c != '\r')
            continue;
        if (m_skipping) {
            if (m_skippedLine == 0 && i == start) {
                // The blank line that ends the oversized event.
                m_skipping = false;
                ++m_oversized;
                m_event = {};
                m_hasData = false;
                m_eventBytes = 0;
            }
            m_skippedLine = 0;
        } else {
            m_line.append(bytes.sliced(start, i - start));
            line(m_line, &events);
            m_line.clear();
        }
        if (c == '\r') {
            if (i + 1 < bytes.size() && bytes[i + 1] == '\n')
                ++i;
            else if (i + 1 == bytes.size())
                m_afterCr = true;
        }
        start = i + 1;
    }
    if (start < bytes.size()) {
        const QByteArrayView rest = bytes.sliced(start);
        if (m_skipping) {
            m_skippedLine += rest.size();
        } else if (m_eventBytes + m_line.size() + rest.size() > m_max) {
            m_skipping = true;
            m_skippedLine = m_line.size() + rest.size();
            m_line.clear();
        } else {
            m_line.append(rest);
        }
    }
    return events;
}

void SseParser::line(QByteArrayView text, QList<SseEvent> *events)
{
    if (text.isEmpty()) {
        if (m_hasData) {
            m_event.data.chop(1);   // the '\n' after the last data line
            events->append(m_event);
        }
        const QByteArray id = m_event.id;   // the last event id stays until another is given
        m_event = {};
        m_event.id = id;
        m_hasData = false;
        m_eventBytes = 0;
        return;
    }
    m_eventBytes += text.size();
    if (m_eventBytes > m_max) {
        m_skipping = true;   // the next blank line ends it
        m_skippedLine = 0;
        return;
    }
    if (text.startsWith(':'))
        return;
    const qsizetype colon = text.indexOf(':');
    const QByteArrayView field = colon < 0 ? text : text.first(colon);
    QByteArrayView value = colon < 0 ? QByteArrayView() : text.sliced(colon + 1);
    if (value.startsWith(' '))
        value = value.sliced(1);
    if (field == "data") {
        m_event.data.append(value.data(), value.size());
        m_event.data.append('\n');
        m_hasData = true;
    } else if (field == "event") {
        m_event.name = value.toByteArray();
    } else if (field == "id") {
        if (!value.contains('\0'))
            m_event.id = value.toByteArray();
    }
    // "retry" and unknown fields are ignored: the reconnection delay is ours to choose.
}

void SseParser::reset()
{
    *this = SseParser(m_max);
}

} // namespace relay
