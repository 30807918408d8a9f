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

// The tokens of one line of XML, in the same kinds: element names as Key, attribute
// names as Number, attribute values as String, markup, comments, CDATA and processing
// instructions as Punctuation; text is left as it is. state carries what a line leaves
// open to the next (a comment, a CDATA section, a tag): 0 at the document's start.
QList<JsonTokenRange> xmlTokens(QStringView line, int &state);

// Colours body text, JSON (member names, strings, numbers, literals and punctuation)
// or XML, each in a colour derived from the palette so that dark themes work.
class JsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    enum class Syntax { Json, Xml };

    explicit JsonHighlighter(QTextDocument *document);

    void setSyntax(Syntax syntax);

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
    Syntax m_syntax = Syntax::Json;
};

} // namespace ui
