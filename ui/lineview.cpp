#include "lineview.h"

#include "jsonhighlighter.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>

namespace ui {

namespace {

constexpr int Margin = 4;

} // namespace

LineView::LineView(QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_colours(new JsonHighlighter(nullptr))
{
    m_colours->setParent(this);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setFrameShape(QFrame::NoFrame);
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setBackgroundRole(QPalette::Base);
    viewport()->setAutoFillBackground(true);
    viewport()->setCursor(Qt::IBeamCursor);
}

void LineView::setSource(qsizetype count, LineSource source, bool jsonColours)
{
    m_source = std::move(source);
    m_count = count;
    m_json = jsonColours;
    m_anchor = m_cursor = -1;
    m_widest = 0;
    verticalScrollBar()->setValue(0);
    horizontalScrollBar()->setValue(0);
    updateScrollBars();
    viewport()->update();
}

void LineView::setLineCount(qsizetype count)
{
    const bool sawEnd = firstVisibleLine() + visibleLines() >= m_count;
    m_count = count;
    updateScrollBars();
    if (sawEnd)
        viewport()->update();
}

void LineView::clear()
{
    setSource(0, {}, false);
}

QString LineView::line(qsizetype index) const
{
    return m_source && index >= 0 && index < m_count ? m_source(index) : QString();
}

int LineView::lineHeight() const
{
    return fontMetrics().lineSpacing();
}

int LineView::visibleLines() const
{
    return viewport()->height() / lineHeight() + 1;
}

qsizetype LineView::firstVisibleLine() const
{
    return verticalScrollBar()->value();
}

qsizetype LineView::lineAt(int y) const
{
    return std::clamp<qsizetype>(firstVisibleLine() + y / lineHeight(), 0, std::max<qsizetype>(0, m_count - 1));
}

void LineView::updateScrollBars()
{
    const int page = std::max(1, viewport()->height() / lineHeight());
    verticalScrollBar()->setPageStep(page);
    verticalScrollBar()->setSingleStep(1);
    verticalScrollBar()->setRange(0, int(std::clamp<qsizetype>(m_count - page, 0, std::numeric_limits<int>::max())));
    horizontalScrollBar()->setPageStep(viewport()->width());
    horizontalScrollBar()->setSingleStep(fontMetrics().averageCharWidth() * 4);
    horizontalScrollBar()->setRange(0, std::max(0, m_widest + 2 * Margin - viewport()->width()));
}

void LineView::paintEvent(QPaintEvent *)
{
    QPainter painter(viewport());
    painter.setFont(font());
    const QFontMetrics metrics = fontMetrics();
    const int height = lineHeight();
    const int x0 = Margin - horizontalScrollBar()->value();
    const qsizetype first = firstVisibleLine();
    const qsizetype last = std::min(m_count, first + visibleLines());
    const qsizetype selFrom = std::min(m_anchor, m_cursor);
    const qsizetype selTo = std::max(m_anchor, m_cursor);
    const QColor text = palette().color(QPalette::Text);
    int widest = m_widest;
    m_painted = 0;
    for (qsizetype i = first; i < last; ++i) {
        const int y = int(i - first) * height;
        const QString content = line(i);
        ++m_painted;
        const bool selected = m_anchor >= 0 && i >= selFrom && i <= selTo;
        if (selected)
            painter.fillRect(QRect(0, y, viewport()->width(), height), palette().brush(QPalette::Highlight));
        const int baseline = y + metrics.ascent();
        widest = std::max(widest, metrics.horizontalAdvance(content));
        if (selected || !m_json) {
            painter.setPen(selected ? palette().color(QPalette::HighlightedText) : text);
            painter.drawText(x0, baseline, content);
            continue;
        }
        qsizetype done = 0;
        int x = x0;
        const auto draw = [&](qsizetype from, qsizetype to, const QColor &colour, bool bold) {
            if (to <= from)
                return;
            const QString part = content.mid(from, to - from);
            QFont f = font();
            f.setBold(bold);
            painter.setFont(f);
            painter.setPen(colour);
            painter.drawText(x, baseline, part);
            x += QFontMetrics(f).horizontalAdvance(part);
        };
        for (const JsonTokenRange &token : jsonTokens(content)) {
            draw(done, token.start, text, false);
            const QTextCharFormat &format = m_colours->format(token.token);
            draw(token.start, token.start + token.length, format.foreground().color(), format.fontWeight() > QFont::Normal);
            done = token.start + token.length;
        }
        draw(done, content.size(), text, false);
    }
    if (widest != m_widest) {
        m_widest = widest;
        updateScrollBars();
    }
}

void LineView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void LineView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || m_count == 0)
        return QAbstractScrollArea::mousePressEvent(event);
    const qsizetype at = lineAt(event->position().toPoint().y());
    if (!(event->modifiers() & Qt::ShiftModifier) || m_anchor < 0)
        m_anchor = at;
    m_cursor = at;
    viewport()->update();
}

void LineView::mouseMoveEvent(QMouseEvent *event)
{
    if (!(event->buttons() & Qt::LeftButton) || m_anchor < 0)
        return QAbstractScrollArea::mouseMoveEvent(event);
    const int y = event->position().toPoint().y();
    if (y < 0)
        verticalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepSub);
    else if (y > viewport()->height())
        verticalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepAdd);
    m_cursor = lineAt(std::clamp(y, 0, viewport()->height() - 1));
    viewport()->update();
}

void LineView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy)) {
        QApplication::clipboard()->setText(selectedText());
        return;
    }
    if (event->matches(QKeySequence::SelectAll)) {
        selectAll();
        return;
    }
    if ((event->key() == Qt::Key_Down || event->key() == Qt::Key_Up) && (event->modifiers() & Qt::ShiftModifier) && m_count > 0) {
        if (m_anchor < 0)
            m_anchor = m_cursor = firstVisibleLine();
        m_cursor = std::clamp<qsizetype>(m_cursor + (event->key() == Qt::Key_Down ? 1 : -1), 0, m_count - 1);
        if (m_cursor < firstVisibleLine() || m_cursor >= firstVisibleLine() + visibleLines() - 1)
            verticalScrollBar()->setValue(int(m_cursor - (event->key() == Qt::Key_Down ? visibleLines() - 2 : 0)));
        viewport()->update();
        return;
    }
    QAbstractScrollArea::keyPressEvent(event);
}

QString LineView::selectedText() const
{
    if (m_anchor < 0)
        return {};
    QStringList lines;
    for (qsizetype i = std::min(m_anchor, m_cursor); i <= std::max(m_anchor, m_cursor) && i < m_count; ++i)
        lines.append(line(i));
    return lines.join(u'\n');
}

void LineView::selectAll()
{
    if (m_count == 0)
        return;
    m_anchor = 0;
    m_cursor = m_count - 1;
    viewport()->update();
}

void LineView::changeEvent(QEvent *event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        m_colours->setPalette(palette());
    if (event->type() == QEvent::FontChange)
        updateScrollBars();
}

} // namespace ui
