#include "emptystate.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ui {

namespace {

constexpr int ContentWidth = 620;

QPushButton *actionButton(QAction *action, QWidget *parent)
{
    auto *button = new QPushButton(action->text().remove(u'&'), parent);
    button->setToolTip(action->toolTip());
    QObject::connect(button, &QPushButton::clicked, action, &QAction::trigger);
    QObject::connect(action, &QAction::changed, button, [button, action] { button->setEnabled(action->isEnabled()); });
    button->setEnabled(action->isEnabled());
    return button;
}

} // namespace

EmptyState::EmptyState(QAbstractItemView *view, QAction *compose, QAction *getPublicUrl)
    : QWidget(view->viewport())
    , m_viewport(view->viewport())
    , m_title(new QLabel(this))
    , m_text(new QLabel(this))
    , m_url(new QLabel(this))
    , m_curlLabel(new QLabel(tr("Or send a test hook (a Codewars webhook/updated ping) from a terminal:"), this))
    , m_curl(new QPlainTextEdit(this))
    , m_copy(new QPushButton(tr("Copy Command"), this))
    , m_compose(actionButton(compose, this))
    , m_public(actionButton(getPublicUrl, this))
    , m_clearFilter(new QPushButton(tr("Clear Filter"), this))
{
    setObjectName(QStringLiteral("emptyState"));
    setAutoFillBackground(false);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setAlignment(Qt::AlignCenter);
    m_text->setWordWrap(true);
    m_text->setAlignment(Qt::AlignCenter);
    m_url->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_url->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_url->setAlignment(Qt::AlignCenter);
    m_url->setAccessibleName(tr("Listening URL"));
    m_curlLabel->setWordWrap(true);
    m_curl->setReadOnly(true);
    m_curl->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_curl->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_curl->setAccessibleName(tr("Test command"));
    m_curl->setTabChangesFocus(true);
    const int lineHeight = m_curl->fontMetrics().lineSpacing();
    m_curl->setFixedHeight(lineHeight * 5 + 2 * m_curl->frameWidth() + 8);
    m_copy->setToolTip(tr("Copy the command to the clipboard"));
    m_clearFilter->setToolTip(tr("Show every hook again"));

    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_copy);
    buttons->addWidget(m_compose);
    buttons->addWidget(m_public);
    buttons->addWidget(m_clearFilter);
    buttons->addStretch();

    auto *content = new QWidget(this);
    content->setMaximumWidth(ContentWidth);
    auto *inner = new QVBoxLayout(content);
    inner->addWidget(m_title);
    inner->addWidget(m_text);
    inner->addWidget(m_url);
    inner->addSpacing(6);
    inner->addWidget(m_curlLabel);
    inner->addWidget(m_curl);
    inner->addLayout(buttons);

    auto *outer = new QVBoxLayout(this);
    outer->addStretch(1);
    auto *row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(content, 100);
    row->addStretch(1);
    outer->addLayout(row);
    outer->addStretch(2);

    connect(m_copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_curl->toPlainText());
        emit copied();
    });
    connect(m_clearFilter, &QPushButton::clicked, this, &EmptyState::clearFilterRequested);
    m_viewport->installEventFilter(this);
    setGeometry(m_viewport->rect());
    refresh();
}

void EmptyState::setTarget(const QUrl &url, const QString &curlCommand)
{
    m_target = url;
    m_curl->setPlainText(curlCommand);
    refresh();
}

void EmptyState::setMode(Mode mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    refresh();
}

void EmptyState::refresh()
{
    const bool waiting = m_mode == Mode::Waiting;
    const bool listening = !m_target.isEmpty();
    if (waiting) {
        m_title->setText(listening ? tr("Waiting for the first hook") : tr("No hooks yet"));
        m_text->setText(listening ? tr("Point your webhook sender at this URL; each request it sends shows here as it arrives.")
                                  : tr("hookscope is not listening. Choose a port in the toolbar, then point your sender at it."));
        m_url->setText(m_target.toString());
    } else if (m_mode == Mode::NoMatch) {
        m_title->setText(tr("No hook matches the filter"));
        m_text->setText(tr("The hooks are still there: change the filter or clear it to see them."));
    }
    m_url->setVisible(waiting && listening);
    m_curlLabel->setVisible(waiting && listening);
    m_curl->setVisible(waiting && listening);
    m_copy->setVisible(waiting && listening);
    m_compose->setVisible(waiting);
    m_public->setVisible(waiting && listening);
    m_clearFilter->setVisible(m_mode == Mode::NoMatch);
    setVisible(m_mode != Mode::Hidden);
}

bool EmptyState::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_viewport && event->type() == QEvent::Resize)
        setGeometry(m_viewport->rect());
    return QWidget::eventFilter(watched, event);
}

} // namespace ui
