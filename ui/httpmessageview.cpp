#include "httpmessageview.h"

#include "bodyview.h"
#include "headerstable.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QResizeEvent>
#include <QSplitter>
#include <QVBoxLayout>

namespace ui {

Tone statusTone(int status)
{
    if (status >= 200 && status < 300)
        return Tone::Good;
    if (status >= 300 && status < 400)
        return Tone::Info;
    if (status >= 400 && status < 500)
        return Tone::Warning;
    return Tone::Bad;
}

HttpMessageView::HttpMessageView(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_headers(new HeadersTable(m_splitter))
    , m_body(new BodyView(m_splitter))
{
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);
    // A long status line (a failure reason, a long URL) wraps or is cut, never widens the pane.
    m_summary->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    QFont bold = m_summary->font();
    bold.setBold(true);
    m_summary->setFont(bold);
    m_splitter->addWidget(m_headers);
    m_splitter->addWidget(m_body);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addWidget(m_summary);
    layout->addWidget(m_splitter, 1);
}

void HttpMessageView::setMessage(const QString &summary, const http::HeaderList &headers, const QByteArray &body,
                                 std::optional<Tone> tone)
{
    setMessage(summary, headers, body, renderBody(body, headers), tone);
}

void HttpMessageView::setMessage(const QString &summary, const http::HeaderList &headers, const QByteArray &body,
                                 const BodyRendering &rendering, std::optional<Tone> tone)
{
    m_summary->setText(summary);
    m_summary->setToolTip(summary);
    m_tone = tone;
    colourSummary();
    m_headers->setHeaders(headers);
    m_body->setBody(body, rendering);
    m_splitter->setVisible(true);
    fitHeaders();
}

void HttpMessageView::fitHeaders()
{
    // The header table as tall as its rows, up to three fifths of the pane; the body takes the rest.
    const int total = m_splitter->height() - m_splitter->handleWidth();
    if (total <= 0)
        return;
    const int rows = m_headers->rowCount();
    const int wanted = m_headers->horizontalHeader()->height() + rows * m_headers->verticalHeader()->defaultSectionSize()
        + 2 * m_headers->frameWidth() + 2;
    const int height = std::clamp(wanted, std::min(total / 4, wanted), total * 3 / 5);
    m_splitter->setSizes({height, total - height});
}

void HttpMessageView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitHeaders();
}

void HttpMessageView::showPlaceholder(const QString &text)
{
    m_summary->setText(text);
    m_summary->setToolTip(text);
    m_tone.reset();
    colourSummary();
    m_headers->setHeaders({});
    m_body->clear();
}

QString HttpMessageView::summary() const
{
    return m_summary->text();
}

void HttpMessageView::colourSummary()
{
    QPalette p = palette();
    p.setColor(QPalette::WindowText, m_tone ? toneColor(palette(), *m_tone) : palette().color(QPalette::WindowText));
    m_summary->setPalette(p);
}

void HttpMessageView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        colourSummary();
}

} // namespace ui
