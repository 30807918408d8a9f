#pragma once

#include <QAbstractScrollArea>

#include <functional>

namespace ui {

class JsonHighlighter;

// A read-only view of many lines that makes and paints only the lines in sight:
// the lines come from a function, so a 25 MB body's pretty form, text or hex dump
// is never held as one document. Whole lines are selected with the mouse or
// Shift+arrows and copied with Ctrl+C; Ctrl+A selects all.
class LineView : public QAbstractScrollArea
{
    Q_OBJECT

public:
    using LineSource = std::function<QString(qsizetype)>;

    explicit LineView(QWidget *parent = nullptr);

    void setSource(qsizetype count, LineSource source, bool jsonColours);
    // More lines became known (the source is being read on).
    void setLineCount(qsizetype count);
    void clear();

    qsizetype lineCount() const { return m_count; }
    QString line(qsizetype index) const;
    qsizetype firstVisibleLine() const;
    // How many lines the last paint made: what was in sight, not the whole body.
    qsizetype linesPainted() const { return m_painted; }
    QString selectedText() const;
    void selectAll();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    int lineHeight() const;
    int visibleLines() const;
    qsizetype lineAt(int y) const;
    void updateScrollBars();

    LineSource m_source;
    qsizetype m_count = 0;
    bool m_json = false;
    JsonHighlighter *m_colours;
    qsizetype m_anchor = -1;
    qsizetype m_cursor = -1;
    qsizetype m_painted = 0;
    int m_widest = 0;
};

} // namespace ui
