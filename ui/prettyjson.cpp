#include "prettyjson.h"

#include "catalog/orderedjson.h"

namespace ui {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isHex(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Past the closing quote of the string at pos, for text known to be valid.
qsizetype skipString(QByteArrayView text, qsizetype pos)
{
    for (++pos; pos < text.size(); ++pos) {
        if (text[pos] == '\\')
            ++pos;
        else if (text[pos] == '"')
            return pos + 1;
    }
    return text.size();
}

qsizetype skipSpaces(QByteArrayView text, qsizetype pos)
{
    while (pos < text.size() && isSpace(text[pos]))
        ++pos;
    return pos;
}

} // namespace

PrettyJson::PrettyJson(QByteArray text)
    : m_text(std::move(text))
{
    newLine(0, 0);
}

void PrettyJson::newLine(qsizetype start, qsizetype depth)
{
    m_starts.append(quint32(start));
    m_depths.append(quint16(depth));
}

qsizetype PrettyJson::skipSpace(qsizetype pos) const
{
    return skipSpaces(m_text, pos);
}

bool PrettyJson::fail(qsizetype at)
{
    m_state = State::Failed;
    m_errorOffset = at;
    return false;
}

void PrettyJson::afterValue()
{
    m_state = m_stack.isEmpty() ? State::End : State::CommaOrClose;
}

qsizetype PrettyJson::stringEnd(qsizetype pos) const
{
    for (++pos; pos < m_text.size(); ++pos) {
        const auto c = uchar(m_text[pos]);
        if (c == '"')
            return pos + 1;
        if (c < 0x20)
            return -1;
        if (c == '\\') {
            if (++pos >= m_text.size())
                return -1;
            const char e = m_text[pos];
            if (e == 'u') {
                for (int i = 1; i <= 4; ++i) {
                    if (pos + i >= m_text.size() || !isHex(m_text[pos + i]))
                        return -1;
                }
                pos += 4;
            } else if (!QByteArrayView("\"\\/bfnrt").contains(e)) {
                return -1;
            }
        }
    }
    return -1;
}

qsizetype PrettyJson::numberEnd(qsizetype pos) const
{
    const qsizetype n = m_text.size();
    if (pos < n && m_text[pos] == '-')
        ++pos;
    if (pos >= n || !isDigit(m_text[pos]))
        return -1;
    if (m_text[pos] == '0')
        ++pos;
    else
        while (pos < n && isDigit(m_text[pos]))
            ++pos;
    if (pos < n && m_text[pos] == '.') {
        if (++pos >= n || !isDigit(m_text[pos]))
            return -1;
        while (pos < n && isDigit(m_text[pos]))
            ++pos;
    }
    if (pos < n && (m_text[pos] == 'e' || m_text[pos] == 'E')) {
        ++pos;
        if (pos < n && (m_text[pos] == '+' || m_text[pos] == '-'))
            ++pos;
        if (pos >= n || !isDigit(m_text[pos]))
            return -1;
        while (pos < n && isDigit(m_text[pos]))
            ++pos;
    }
    return pos;
}

bool PrettyJson::advance(qsizetype bytes)
{
    const qsizetype until = m_pos + bytes;
    while (!isFinished() && m_pos <= until)
        step();
    if (isFinished()) {
        m_starts.squeeze();
        m_depths.squeeze();
    }
    return isFinished();
}

// One token.
bool PrettyJson::step()
{
    // Read through a const reference: QByteArray's non-const operator[] would
    // make a copy of the whole text, which is shared with the hook on display.
    const QByteArray &text = m_text;
    m_pos = skipSpace(m_pos);
    if (m_pos >= m_text.size()) {
        if (m_state != State::End)
            return fail(m_pos);
        m_state = State::Done;
        return true;
    }
    const char c = text[m_pos];
    switch (m_state) {
    case State::ValueOrClose:
    case State::KeyOrClose:
    case State::CommaOrClose: {
        const char close = m_stack.back() == '{' ? '}' : ']';
        if (c == close) {
            newLine(m_pos, m_stack.size() - 1);
            m_stack.chop(1);
            ++m_pos;
            afterValue();
            return true;
        }
        if (m_state == State::CommaOrClose) {
            if (c != ',')
                return fail(m_pos);
            ++m_pos;
            newLine(m_pos, m_stack.size());
            m_state = m_stack.back() == '{' ? State::Key : State::Value;
            return true;
        }
        if (m_state == State::KeyOrClose) {
            m_state = State::Key;
            return step();
        }
        m_state = State::Value;
        return step();
    }
    case State::Key: {
        if (c != '"')
            return fail(m_pos);
        const qsizetype end = stringEnd(m_pos);
        if (end < 0)
            return fail(m_pos);
        m_pos = end;
        m_state = State::Colon;
        return true;
    }
    case State::Colon:
        if (c != ':')
            return fail(m_pos);
        ++m_pos;
        m_state = State::Value;
        return true;
    case State::Value: {
        if (c == '{' || c == '[') {
            const qsizetype next = skipSpace(m_pos + 1);
            if (next < text.size() && text[next] == (c == '{' ? '}' : ']')) {
                m_pos = next + 1;   // an empty container stays on its line
                afterValue();
                return true;
            }
            if (m_stack.size() >= MaxDepth)
                return fail(m_pos);
            m_stack.append(c);
            ++m_pos;
            newLine(m_pos, m_stack.size());
            m_state = c == '{' ? State::KeyOrClose : State::ValueOrClose;
            return true;
        }
        qsizetype end = -1;
        if (c == '"')
            end = stringEnd(m_pos);
        else if (c == '-' || isDigit(c))
            end = numberEnd(m_pos);
        else
            for (const QByteArrayView word : {QByteArrayView("true"), QByteArrayView("false"), QByteArrayView("null")})
                if (QByteArrayView(text).sliced(m_pos).startsWith(word))
                    end = m_pos + word.size();
        if (end < 0)
            return fail(m_pos);
        m_pos = end;
        afterValue();
        return true;
    }
    case State::End:
    case State::Done:
    case State::Failed:
        return fail(m_pos);
    }
    return false;
}

QString PrettyJson::line(qsizetype index) const
{
    if (index < 0 || index >= m_starts.size())
        return {};
    const qsizetype start = m_starts.at(index);
    const qsizetype end = index + 1 < m_starts.size() ? qsizetype(m_starts.at(index + 1))
                          : isFinished()             ? m_text.size()
                                                     : m_pos;
    QByteArray out(2 * m_depths.at(index), ' ');
    out.reserve(out.size() + (end - start) + 8);
    for (qsizetype i = start; i < end; ++i) {
        const char c = m_text[i];
        if (c == '"') {
            const qsizetype close = std::min(skipString(m_text, i), end);
            out.append(m_text.constData() + i, close - i);
            i = close - 1;
        } else if (c == ':') {
            out.append(": ");
        } else if (!isSpace(c)) {
            out.append(c);
        }
    }
    return QString::fromUtf8(out);
}

QString PrettyJson::text() const
{
    QString all;
    for (qsizetype i = 0; i < lineCount(); ++i) {
        if (i)
            all += u'\n';
        all += line(i);
    }
    return all;
}

JsonSpan jsonValueAt(QByteArrayView text, qsizetype pos)
{
    pos = skipSpaces(text, pos);
    JsonSpan span{pos, pos};
    if (pos >= text.size())
        return span;
    const char c = text[pos];
    if (c == '"') {
        span.end = skipString(text, pos);
    } else if (c == '{' || c == '[') {
        int depth = 0;
        for (qsizetype i = pos; i < text.size(); ++i) {
            const char d = text[i];
            if (d == '"') {
                i = skipString(text, i) - 1;
            } else if (d == '{' || d == '[') {
                ++depth;
            } else if ((d == '}' || d == ']') && --depth == 0) {
                span.end = i + 1;
                return span;
            }
        }
        span.end = text.size();
    } else {
        qsizetype i = pos;
        while (i < text.size() && !isSpace(text[i]) && text[i] != ',' && text[i] != '}' && text[i] != ']')
            ++i;
        span.end = i;
    }
    return span;
}

namespace {

// Calls f(name span or empty, value span) for each child until it returns false.
template<typename F>
void forEachChild(QByteArrayView text, JsonSpan container, F f)
{
    if (container.end - container.start < 2)
        return;
    const bool object = text[container.start] == '{';
    if (!object && text[container.start] != '[')
        return;
    qsizetype pos = skipSpaces(text, container.start + 1);
    while (pos < container.end - 1) {
        JsonSpan name{pos, pos};
        if (object) {
            name.end = skipString(text, pos);
            pos = skipSpaces(text, name.end) + 1;   // past the colon
        }
        const JsonSpan value = jsonValueAt(text, pos);
        if (!f(name, value))
            return;
        pos = skipSpaces(text, value.end);
        if (pos < container.end && text[pos] == ',')
            pos = skipSpaces(text, pos + 1);
        else
            return;
    }
}

} // namespace

QList<JsonChild> jsonChildren(QByteArrayView text, JsonSpan container, qsizetype limit)
{
    QList<JsonChild> children;
    forEachChild(text, container, [&](JsonSpan name, JsonSpan value) {
        children.append({name.end > name.start ? jsonString(text.sliced(name.start, name.end - name.start)) : QString(), value});
        return children.size() < limit;
    });
    return children;
}

qsizetype jsonChildCount(QByteArrayView text, JsonSpan container)
{
    qsizetype count = 0;
    forEachChild(text, container, [&](JsonSpan, JsonSpan) {
        ++count;
        return true;
    });
    return count;
}

QString jsonString(QByteArrayView token)
{
    if (token.size() < 2 || token.front() != '"')
        return QString::fromUtf8(token);
    const QByteArrayView inner = token.sliced(1, token.size() - 2);
    if (!inner.contains('\\'))
        return QString::fromUtf8(inner);
    QString out;
    qsizetype run = 0;
    const auto flush = [&](qsizetype i) {
        out += QString::fromUtf8(inner.sliced(run, i - run));
    };
    for (qsizetype i = 0; i < inner.size(); ++i) {
        if (inner[i] != '\\' || i + 1 >= inner.size())
            continue;
        flush(i);
        const char e = inner[++i];
        switch (e) {
        case 'b': out += u'\b'; break;
        case 'f': out += u'\f'; break;
        case 'n': out += u'\n'; break;
        case 'r': out += u'\r'; break;
        case 't': out += u'\t'; break;
        case 'u':
            if (i + 4 < inner.size()) {
                out += QChar(char16_t(inner.sliced(i + 1, 4).toByteArray().toUShort(nullptr, 16)));
                i += 4;
            }
            break;
        default: out += QLatin1Char(e); break;
        }
        run = i + 1;
    }
    flush(inner.size());
    return out;
}

QString jsonErrorText(QByteArrayView text)
{
    QString error;
    if (catalog::OrderedJson::parse(text, &error))
        return {};
    return error;
}

} // namespace ui
