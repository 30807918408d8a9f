#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace ui {

// The pretty-printed form of a JSON text (two-space indent, member order and
// number spellings kept), made a slice at a time and checked as it goes. Only
// where each line starts in the text and its depth are kept (6 bytes a line);
// a line's characters are made when asked for, so a 25 MB body costs little
// beyond its bytes and can be shown before the end has been read.
class PrettyJson
{
public:
    static constexpr int MaxDepth = 256;

    explicit PrettyJson(QByteArray text);

    // Reads on through at least `bytes` more bytes (whole tokens). True once finished or failed.
    bool advance(qsizetype bytes);
    bool isFinished() const { return m_state == State::Done || failed(); }
    bool failed() const { return m_state == State::Failed; }
    // The place where the text stops being JSON (once failed).
    qsizetype errorOffset() const { return m_errorOffset; }
    qsizetype position() const { return m_pos; }
    const QByteArray &source() const { return m_text; }

    // Lines made so far (all of them once finished).
    qsizetype lineCount() const { return m_starts.size(); }
    QString line(qsizetype index) const;
    // Every line, joined: for documents small enough to hold as one string.
    QString text() const;

private:
    enum class State : quint8 { Value, ValueOrClose, KeyOrClose, Key, Colon, CommaOrClose, End, Done, Failed };

    bool step();
    bool fail(qsizetype at);
    void afterValue();
    void newLine(qsizetype start, qsizetype depth);
    qsizetype skipSpace(qsizetype pos) const;
    qsizetype stringEnd(qsizetype pos) const;   // past the closing quote, or -1
    qsizetype numberEnd(qsizetype pos) const;   // past the number, or -1

    QByteArray m_text;
    qsizetype m_pos = 0;
    State m_state = State::Value;
    QByteArray m_stack;   // '{' and '[' of the open containers
    QList<quint32> m_starts;
    QList<quint16> m_depths;
    qsizetype m_errorOffset = -1;
};

// Where one value of a valid JSON text lies: [start, end).
struct JsonSpan
{
    qsizetype start = 0;
    qsizetype end = 0;
};

// One member or element of a container: its name (or null for an element) and value.
struct JsonChild
{
    QString name;
    JsonSpan value;
};

// For documents already known to be valid: the value that begins at or after pos,
// the children of a container (at most `limit`), their number, a string's characters.
JsonSpan jsonValueAt(QByteArrayView text, qsizetype pos);
QList<JsonChild> jsonChildren(QByteArrayView text, JsonSpan container, qsizetype limit);
qsizetype jsonChildCount(QByteArrayView text, JsonSpan container);
QString jsonString(QByteArrayView token);

} // namespace ui

namespace ui {

// Why a text is not JSON, in the words used everywhere else for JSON errors.
QString jsonErrorText(QByteArrayView text);

} // namespace ui
