#include "publicbar.h"

#include "icons.h"
#include "theme.h"

#include "workspace/workspace.h"

#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace ui {

namespace {

QString tunnelStateText(const relay::Tunnel &tunnel)
{
    switch (tunnel.state()) {
    case relay::Tunnel::State::Starting: return PublicBar::tr("starting %1…").arg(tunnel.commandLine().section(u' ', 0, 0));
    case relay::Tunnel::State::Public:
        return PublicBar::tr("leads to %1").arg(tunnel.localUrl().authority());
    case relay::Tunnel::State::Waiting: return PublicBar::tr("the tunnel ended; restarting it (see Output)");
    case relay::Tunnel::State::Failed: return PublicBar::tr("the tunnel gave up (see Output)");
    case relay::Tunnel::State::Stopped: break;
    }
    return {};
}

QString smeeStateText(const relay::SmeeChannel &channel)
{
    switch (channel.state()) {
    case relay::SmeeChannel::State::Connecting: return PublicBar::tr("connecting… deliveries made until then are lost");
    case relay::SmeeChannel::State::Connected: return PublicBar::tr("receiving; bodies arrive re-serialised by smee");
    case relay::SmeeChannel::State::Waiting: return PublicBar::tr("disconnected: deliveries made now are lost; reconnecting");
    case relay::SmeeChannel::State::Failed: return channel.errorString();
    case relay::SmeeChannel::State::Stopped: break;
    }
    return {};
}

} // namespace

PublicBar::PublicBar(workspace::Workspace *workspace, QWidget *parent)
    : QFrame(parent)
    , m_workspace(workspace)
{
    setFrameShape(QFrame::StyledPanel);
    setFrameShadow(QFrame::Plain);

    m_localRow = new QWidget(this);
    m_localText = new QLabel(m_localRow);
    m_localText->setWordWrap(true);
    auto *getUrl = new QPushButton(tr("Get a Public URL…"), m_localRow);
    getUrl->setToolTip(tr("Run a tunnel (ssh to localhost.run, cloudflared, ngrok) that gives this listener a public https URL"));
    auto *smee = new QPushButton(tr("Receive through a smee Channel…"), m_localRow);
    smee->setToolTip(tr("Subscribe to a smee.io channel: the sender posts there, smee passes each delivery on; nothing to install"));
    connect(getUrl, &QPushButton::clicked, this, &PublicBar::publicUrlRequested);
    connect(smee, &QPushButton::clicked, this, &PublicBar::smeeRequested);
    auto *local = new QHBoxLayout(m_localRow);
    local->setContentsMargins(0, 0, 0, 0);
    local->addWidget(m_localText, 1);
    local->addWidget(getUrl);
    local->addWidget(smee);

    m_tunnelRow = makeRow(tr("Tunnel"), &m_tunnelUrl, &m_tunnelStatus, &m_stopTunnel, &m_tunnelBadge);
    m_output = new QPushButton(tr("Output…"), m_tunnelRow);
    m_output->setToolTip(tr("What the tunnel program printed"));
    connect(m_output, &QPushButton::clicked, this, &PublicBar::outputRequested);
    m_tunnelRow->layout()->addWidget(m_output);
    m_tunnelRow->layout()->addWidget(m_stopTunnel);
    connect(m_stopTunnel, &QPushButton::clicked, this, [this] { m_workspace->stopTunnel(); });

    m_smeeRow = makeRow(tr("smee"), &m_smeeUrl, &m_smeeStatus, &m_stopSmee, &m_smeeBadge);
    m_smeeRow->layout()->addWidget(m_stopSmee);
    connect(m_stopSmee, &QPushButton::clicked, this, [this] { m_workspace->stopSmee(); });

    m_requireSecret = new QPushButton(tr("Require the Secret…"), this);
    m_requireSecret->setToolTip(tr("Anyone who has the public URL can send hooks here: answer 401 to those without the secret"));
    connect(m_requireSecret, &QPushButton::clicked, this, &PublicBar::requireSecretRequested);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->setSpacing(4);
    layout->addWidget(m_localRow);
    layout->addWidget(m_tunnelRow);
    layout->addWidget(m_smeeRow);
    auto *secretRow = new QHBoxLayout;
    secretRow->addStretch(1);
    secretRow->addWidget(m_requireSecret);
    layout->addLayout(secretRow);

    relay::Tunnel *tunnel = m_workspace->tunnel();
    connect(tunnel, &relay::Tunnel::stateChanged, this, &PublicBar::refresh);
    connect(tunnel, &relay::Tunnel::publicUrlChanged, this, &PublicBar::refresh);
    connect(m_workspace->smee(), &relay::SmeeChannel::stateChanged, this, &PublicBar::refresh);
    connect(m_workspace, &workspace::Workspace::listening, this, &PublicBar::refresh);
    connect(m_workspace, &workspace::Workspace::listeningStopped, this, &PublicBar::refresh);
    styleBadges();
    refresh();
}

QWidget *PublicBar::makeRow(const QString &kind, QLineEdit **url, QLabel **status, QPushButton **stop, QLabel **badge)
{
    auto *row = new QWidget(this);
    *badge = new QLabel(tr("PUBLIC"), row);
    (*badge)->setToolTip(tr("The listener can be reached from the internet through this %1").arg(kind));
    auto *name = new QLabel(kind, row);
    *url = new QLineEdit(row);
    (*url)->setReadOnly(true);
    (*url)->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    (*url)->setMinimumWidth((*url)->fontMetrics().horizontalAdvance(QStringLiteral("https://quiet-sun-1234.trycloudflare.com/")) + 16);
    (*url)->setToolTip(tr("Point the real sender here (Codewars: the webhook URL in your account settings)"));
    auto *copy = new QToolButton(row);
    copy->setIcon(themedIcon(QStringLiteral("copy"), palette()));
    copy->setAutoRaise(true);
    copy->setToolTip(tr("Copy the public URL"));
    copy->setAccessibleName(tr("Copy the public URL"));
    QLineEdit *field = *url;
    connect(copy, &QToolButton::clicked, this, [this, field] {
        if (field->text().isEmpty())
            return;
        QApplication::clipboard()->setText(field->text());
        emit copied(field->text());
    });
    *status = new QLabel(row);
    (*status)->setForegroundRole(QPalette::PlaceholderText);
    *stop = new QPushButton(tr("Stop"), row);
    (*stop)->setToolTip(tr("Stop being reachable this way"));
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(*badge);
    layout->addWidget(name);
    layout->addWidget(*url);
    layout->addWidget(copy);
    layout->addWidget(*status, 1);
    return row;
}

void PublicBar::styleBadges()
{
    const QColor background = toneColor(palette(), Tone::Bad);
    const QString style = QStringLiteral("QLabel { background: %1; color: %2; font-weight: bold; border-radius: 3px; padding: 1px 6px; }")
                              .arg(background.name(), palette().color(QPalette::Base).name());
    m_tunnelBadge->setStyleSheet(style);
    m_smeeBadge->setStyleSheet(style);
}

void PublicBar::setSecretRequired(bool required)
{
    m_secretRequired = required;
    refresh();
}

void PublicBar::refresh()
{
    const relay::Tunnel &tunnel = *m_workspace->tunnel();
    const relay::SmeeChannel &smee = *m_workspace->smee();
    const bool tunnelShown = tunnel.isActive() || tunnel.state() == relay::Tunnel::State::Failed;
    const bool smeeShown = smee.isActive() || smee.state() == relay::SmeeChannel::State::Failed;
    m_tunnelRow->setVisible(tunnelShown);
    m_smeeRow->setVisible(smeeShown);
    m_localRow->setVisible(!tunnel.isActive() && !smee.isActive());
    const QUrl local = m_workspace->url();
    m_localText->setText(local.isEmpty()
        ? tr("Not listening.")
        : tr("Only this machine can reach %1. Codewars, GitHub and other senders on the internet need a public URL:").arg(local.authority()));
    m_tunnelUrl->setText(tunnel.publicUrl().toString());
    m_tunnelUrl->setPlaceholderText(tunnel.isActive() ? tr("waiting for the tunnel's URL…") : QString());
    m_tunnelStatus->setText(tunnelStateText(tunnel));
    m_tunnelBadge->setEnabled(tunnel.state() == relay::Tunnel::State::Public);
    m_tunnelBadge->setVisible(tunnel.isActive());
    m_stopTunnel->setText(tunnel.isActive() ? tr("Stop") : tr("Close"));
    m_smeeUrl->setText(smee.channel().toString());
    m_smeeStatus->setText(smeeStateText(smee));
    m_smeeBadge->setVisible(smee.isActive());
    m_stopSmee->setText(smee.isActive() ? tr("Stop") : tr("Close"));
    m_requireSecret->setVisible(m_workspace->isPublic() && !m_secretRequired);
    setVisible(true);
}

void PublicBar::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        styleBadges();
}

} // namespace ui
