#include "messagebar.h"

#include "icons.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace ui {

MessageBar::MessageBar(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_port(new QSpinBox(this))
    , m_listen(new QPushButton(tr("Listen"), this))
    , m_freePort(new QPushButton(tr("Use a Free Port"), this))
    , m_detailsButton(new QToolButton(this))
    , m_details(new QLabel(this))
    , m_close(new QToolButton(this))
{
    m_detailsButton->setCheckable(true);
    m_detailsButton->setAutoRaise(true);
    m_detailsButton->setText(tr("Details"));
    m_detailsButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_detailsButton->setArrowType(Qt::RightArrow);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setTextFormat(Qt::PlainText);
    m_details->setWordWrap(true);
    m_details->hide();
    connect(m_detailsButton, &QToolButton::toggled, this, [this](bool open) {
        m_details->setVisible(open);
        m_detailsButton->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    });
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_port->setRange(1, 65535);
    m_port->setToolTip(tr("Another port to listen on, for this run"));
    m_port->setAccessibleName(tr("Port"));
    m_listen->setToolTip(tr("Listen on the port beside it"));
    m_freePort->setToolTip(tr("Let the system pick a port that is free"));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Dismiss"));
    m_close->setAccessibleName(tr("Dismiss the message"));
    connect(m_close, &QToolButton::clicked, this, &MessageBar::dismiss);
    connect(m_listen, &QPushButton::clicked, this, [this] { emit listenRequested(quint16(m_port->value())); });
    connect(m_freePort, &QPushButton::clicked, this, [this] { emit listenRequested(0); });

    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(10, 6, 6, 6);
    auto *layout = new QHBoxLayout;
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_icon);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_port);
    layout->addWidget(m_listen);
    layout->addWidget(m_freePort);
    layout->addWidget(m_detailsButton);
    layout->addWidget(m_close);
    outer->addLayout(layout);
    outer->addWidget(m_details);
    hide();
}

void MessageBar::setPortControlsVisible(bool visible)
{
    m_port->setVisible(visible);
    m_listen->setVisible(visible);
    m_freePort->setVisible(visible);
}

void MessageBar::showListenProblem(const QString &message, quint16 port)
{
    showMessage(message, Tone::Bad);
    setPortControlsVisible(true);
    m_port->setValue(port == 0 || port == 65535 ? 8790 : port + 1);
    m_listen->setDefault(true);
}

void MessageBar::showMessage(const QString &message, Tone tone, const QStringList &details)
{
    m_tone = tone;
    m_text->setText(message);
    m_details->setText(details.join(u'\n'));
    m_detailsButton->setChecked(false);
    m_detailsButton->setVisible(!details.isEmpty());
    setPortControlsVisible(false);
    const int size = fontMetrics().height();
    m_icon->setPixmap(themedIcon(tone == Tone::Good || tone == Tone::Info ? QStringLiteral("about") : QStringLiteral("warning"),
                                 palette()).pixmap(size, size));
    m_close->setIcon(themedIcon(QStringLiteral("close"), palette()));
    show();
    update();
}

void MessageBar::dismiss()
{
    hide();
}

QString MessageBar::text() const
{
    return m_text->text();
}

void MessageBar::paintEvent(QPaintEvent *event)
{
    Q_UNUSED(event);
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(toneColor(palette(), m_tone), 1));
    painter.setBrush(toneBackground(palette(), m_tone));
    painter.drawRoundedRect(QRectF(rect()).adjusted(2.5, 2.5, -2.5, -2.5), 4, 4);
}

void MessageBar::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && isVisible()) {
        const int size = fontMetrics().height();
        m_icon->setPixmap(themedIcon(m_tone == Tone::Good || m_tone == Tone::Info ? QStringLiteral("about") : QStringLiteral("warning"),
                                     palette()).pixmap(size, size));
        m_close->setIcon(themedIcon(QStringLiteral("close"), palette()));
    }
}

} // namespace ui
