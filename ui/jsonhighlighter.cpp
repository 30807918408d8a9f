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

void JsonHighlighter::highlightBlock(const QString &text)
{
    // A small scanner per line: pretty-printed JSON never has a string across lines,
    // and raw one-line JSON is scanned the same way.
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
            setFormat(int(i), int(end - i), key ? m_key : m_string);
            i = end;
        } else if (c == u'-' || c.isDigit()) {
            qsizetype end = i + 1;
            while (end < n && (text.at(end).isDigit() || QStringView(u".eE+-").contains(text.at(end))))
                ++end;
            setFormat(int(i), int(end - i), m_number);
            i = end;
        } else if (c.isLetter()) {
            qsizetype end = i + 1;
            while (end < n && text.at(end).isLetter())
                ++end;
            const QStringView word = QStringView(text).mid(i, end - i);
            if (word == u"true" || word == u"false" || word == u"null")
                setFormat(int(i), int(end - i), m_literal);
            i = end;
        } else if (QStringView(u"{}[]:,").contains(c)) {
            setFormat(int(i), 1, m_punctuation);
            ++i;
        } else {
            ++i;
        }
    }
}

} // namespace ui
