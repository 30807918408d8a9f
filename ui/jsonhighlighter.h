#pragma once

#include <QPalette>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace ui {

enum class JsonToken { Key, String, Number, Literal, Punctuation };

struct JsonTokenRange
{
    qsizetype start;
    qsizetype length;
    JsonToken token;
};

// The tokens of one line of JSON text. A pretty-printed document never has a
// string across lines, and raw one-line JSON is scanned the same way.
QList<JsonTokenRange> jsonTokens(QStringView line);

// Colours JSON text: member names, strings, numbers, literals and punctuation,
// each in a colour derived from the palette so that dark themes work.
class JsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    explicit JsonHighlighter(QTextDocument *document);

    // Re-derives the colours (after a theme change) and re-highlights.
    void setPalette(const QPalette &palette);
    QColor keyColor() const { return m_key.foreground().color(); }
    QColor stringColor() const { return m_string.foreground().color(); }
    const QTextCharFormat &format(JsonToken token) const;

protected:
    void highlightBlock(const QString &text) override;

private:
    QTextCharFormat m_key;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_literal;
    QTextCharFormat m_punctuation;
};

} // namespace ui
