#include "jsonhighlighter.h"

#include "theme.h"

#include <QGuiApplication>

namespace ui {

JsonHighlighter::JsonHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    setPalette(QGuiApplication::palette());
}

void JsonHighlighter::setPalette(const QPalette &palette)
{
    m_key.setForeground(hueColor(palette, 212));
    m_string.setForeground(hueColor(palette, 135));
    m_number.setForeground(hueColor(palette, 28));
    m_literal.setForeground(hueColor(palette, 285));
    m_literal.setFontWeight(QFont::DemiBold);
    m_punctuation.setForeground(blend(palette.color(QPalette::Text), palette.color(QPalette::Base), 0.4));
    rehighlight();
}

const QTextCharFormat &JsonHighlighter::format(JsonToken token) const
{
    switch (token) {
    case JsonToken::Key: return m_key;
    case JsonToken::String: return m_string;
    case JsonToken::Number: return m_number;
    case JsonToken::Literal: return m_literal;
    case JsonToken::Punctuation: break;
    }
    return m_punctuation;
}

void JsonHighlighter::setSyntax(Syntax syntax)
{
    if (m_syntax == syntax)
        return;
    m_syntax = syntax;
    rehighlight();
}

void JsonHighlighter::highlightBlock(const QString &text)
{
    if (m_syntax == Syntax::Xml) {
        int state = std::max(0, previousBlockState());
        for (const JsonTokenRange &range : xmlTokens(text, state))
            setFormat(int(range.start), int(range.length), format(range.token));
        setCurrentBlockState(state);
        return;
    }
    for (const JsonTokenRange &range : jsonTokens(text))
        setFormat(int(range.start), int(range.length), format(range.token));
}

namespace {

// What an XML line can leave open for the next one.
enum XmlState { InText = 0, InComment, InCData, InDeclaration, InTag };

bool isXmlNameChar(QChar c)
{
    return c.isLetterOrNumber() || c == u':' || c == u'_' || c == u'-' || c == u'.';
}

} // namespace

QList<JsonTokenRange> xmlTokens(QStringView text, int &state)
{
    QList<JsonTokenRange> tokens;
    const qsizetype n = text.size();
    qsizetype i = 0;
    // Markup that runs until a closing sequence: a comment, CDATA, a declaration or processing instruction.
    const auto until = [&](QStringView close, int openState) {
        const qsizetype end = text.indexOf(close, i);
        const qsizetype stop = end < 0 ? n : end + close.size();
        tokens.append({i, stop - i, JsonToken::Punctuation});
        i = stop;
        state = end < 0 ? openState : InText;
    };
    while (i < n) {
        if (state == InComment) {
            until(u"-->", InComment);
        } else if (state == InCData) {
            until(u"]]>", InCData);
        } else if (state == InDeclaration) {
            until(u">", InDeclaration);
        } else if (state == InTag) {
            const QChar c = text.at(i);
            if (c == u'>' || (c == u'/' && i + 1 < n && text.at(i + 1) == u'>')) {
                const qsizetype length = c == u'>' ? 1 : 2;
                tokens.append({i, length, JsonToken::Punctuation});
                i += length;
                state = InText;
            } else if (c == u'"' || c == u'\'') {
                const qsizetype end = text.indexOf(c, i + 1);
                const qsizetype stop = end < 0 ? n : end + 1;
                tokens.append({i, stop - i, JsonToken::String});
                i = stop;
            } else if (c == u'=') {
                tokens.append({i, 1, JsonToken::Punctuation});
                ++i;
            } else if (isXmlNameChar(c)) {
                qsizetype end = i + 1;
                while (end < n && isXmlNameChar(text.at(end)))
                    ++end;
                tokens.append({i, end - i, JsonToken::Number});
                i = end;
            } else {
                ++i;
            }
        } else {
            const qsizetype open = text.indexOf(u'<', i);
            if (open < 0)
                break;
            i = open;
            const QStringView rest = text.sliced(i);
            if (rest.startsWith(u"<!--")) {
                until(u"-->", InComment);
            } else if (rest.startsWith(u"<![CDATA[")) {
                until(u"]]>", InCData);
            } else if (rest.startsWith(u"<?") || rest.startsWith(u"<!")) {
                until(u">", InDeclaration);
            } else {
                const qsizetype markup = rest.startsWith(u"</") ? 2 : 1;
                tokens.append({i, markup, JsonToken::Punctuation});
                i += markup;
                qsizetype end = i;
                while (end < n && isXmlNameChar(text.at(end)))
                    ++end;
                if (end > i)
                    tokens.append({i, end - i, JsonToken::Key});
                i = end;
                state = InTag;
            }
        }
    }
    return tokens;
}

QList<JsonTokenRange> jsonTokens(QStringView text)
{
    QList<JsonTokenRange> tokens;
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = text.at(i);
        if (c == u'"') {
            qsizetype end = i + 1;
            while (end < n && text.at(end) != u'"')
                end += text.at(end) == u'\\' ? 2 : 1;
            end = std::min(end + 1, n);
            qsizetype next = end;
            while (next < n && text.at(next).isSpace())
                ++next;
            const bool key = next < n && text.at(next) == u':';
            tokens.append({i, end - i, key ? JsonToken::Key : JsonToken::String});
            i = end;
        } else if (c == u'-' || c.isDigit()) {
            qsizetype end = i + 1;
            while (end < n && (text.at(end).isDigit() || QStringView(u".eE+-").contains(text.at(end))))
                ++end;
            tokens.append({i, end - i, JsonToken::Number});
            i = end;
        } else if (c.isLetter()) {
            qsizetype end = i + 1;
            while (end < n && text.at(end).isLetter())
                ++end;
            const QStringView word = text.mid(i, end - i);
            if (word == u"true" || word == u"false" || word == u"null")
                tokens.append({i, end - i, JsonToken::Literal});
            i = end;
        } else if (QStringView(u"{}[]:,").contains(c)) {
            tokens.append({i, 1, JsonToken::Punctuation});
            ++i;
        } else {
            ++i;
        }
    }
    return tokens;
}

} // namespace ui
