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

void JsonHighlighter::highlightBlock(const QString &text)
{
    for (const JsonTokenRange &range : jsonTokens(text))
        setFormat(int(range.start), int(range.length), format(range.token));
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
