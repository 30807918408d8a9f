#include "publicdialogs.h"

#include "relay/tunnel.h"
#include "workspace/workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ui {

namespace {

QLabel *note(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

SecretOffer::SecretOffer(const QByteArray &secret, bool required, const QString &explanation, QWidget *parent)
    : QWidget(parent)
    , m_require(new QCheckBox(tr("Require the secret: answer 401 to hooks without it (they are still stored)"), this))
    , m_secret(new QLineEdit(QString::fromUtf8(secret), this))
{
    m_require->setChecked(required || !secret.isEmpty());
    m_secret->setPlaceholderText(tr("the secret you give the sender (Codewars: the webhook's secret)"));
    auto *layout = new QFormLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addRow(note(explanation, this));
    layout->addRow(m_require);
    layout->addRow(tr("Secret:"), m_secret);
    const auto update = [this] { m_secret->setEnabled(m_require->isChecked()); };
    connect(m_require, &QCheckBox::toggled, this, update);
    update();
}

bool SecretOffer::requireSecret() const
{
    return m_require->isChecked() && !m_secret->text().isEmpty();
}

QByteArray SecretOffer::secret() const
{
    return m_secret->text().toUtf8();
}

TunnelDialog::TunnelDialog(const relay::TunnelSpec &last, const QByteArray &secret, bool required, QWidget *parent)
    : QDialog(parent)
    , m_preset(new QComboBox(this))
    , m_description(note(QString(), this))
    , m_command(new QLineEdit(this))
    , m_pattern(new QLineEdit(this))
    , m_secret(new SecretOffer(secret, required,
                               tr("Anyone who learns the public URL can send hooks to this listener while the tunnel runs."), this))
{
    setWindowTitle(tr("Get a Public URL"));
    for (const relay::TunnelPreset &preset : relay::tunnelPresets())
        m_preset->addItem(preset.name + u" — " + preset.description, preset.name);
    m_preset->addItem(tr("Your own command"), QString());
    m_command->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_command->setPlaceholderText(tr("a command with {port} (or {url}) where the listener's port (or URL) goes"));
    m_pattern->setPlaceholderText(tr("optional: a regular expression for the public URL in its output"));
    const int known = m_preset->findData(last.command);
    if (known >= 0) {
        m_preset->setCurrentIndex(known);
    } else if (!last.command.isEmpty()) {
        m_preset->setCurrentIndex(m_preset->count() - 1);
        m_command->setText(last.command);
        m_pattern->setText(last.urlPattern);
    }
    connect(m_preset, &QComboBox::currentIndexChanged, this, &TunnelDialog::presetChosen);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Start Tunnel"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout;
    form->addRow(tr("Tunnel:"), m_preset);
    form->addRow(QString(), m_description);
    form->addRow(tr("Command:"), m_command);
    form->addRow(tr("URL pattern:"), m_pattern);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(note(tr("hookscope keeps listening on 127.0.0.1 and runs the tunnel program beside it; the program gives the"
                              " listener a public https URL. It stops when you stop it or quit hookscope."), this));
    layout->addLayout(form);
    layout->addWidget(m_secret);
    layout->addWidget(buttons);
    presetChosen();
    resize(640, sizeHint().height());
}

void TunnelDialog::presetChosen()
{
    const relay::TunnelPreset *preset = relay::findTunnelPreset(m_preset->currentData().toString());
    m_command->setReadOnly(preset != nullptr);
    m_pattern->setEnabled(preset == nullptr);
    if (preset) {
        m_command->setText(preset->command);
        m_pattern->clear();
        m_description->setText(tr("Needs %1.").arg(preset->install));
    } else {
        // A preset's command stays, to start from.
        m_description->setText(tr("Any program that prints a public https URL and forwards it to the listener."));
    }
}

relay::TunnelSpec TunnelDialog::spec() const
{
    const QString preset = m_preset->currentData().toString();
    if (!preset.isEmpty())
        return {preset, {}};
    return {m_command->text(), m_pattern->text()};
}

SmeeDialog::SmeeDialog(workspace::Workspace *workspace, const QString &last, const QByteArray &secret, QWidget *parent)
    : QDialog(parent)
    , m_workspace(workspace)
    , m_channel(new QLineEdit(last, this))
    , m_new(new QPushButton(tr("New Channel"), this))
    , m_status(note(QString(), this))
    , m_secret(new QLineEdit(QString::fromUtf8(secret), this))
{
    setWindowTitle(tr("Receive through a smee Channel"));
    m_channel->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_channel->setPlaceholderText(QStringLiteral("https://smee.io/AbC123xyz"));
    m_new->setToolTip(tr("Ask smee.io for a channel of your own"));
    m_secret->setPlaceholderText(tr("the webhook's secret, to check relayed hooks against"));
    connect(m_new, &QPushButton::clicked, this, [this] {
        m_new->setEnabled(false);
        m_status->setText(tr("Asking smee.io for a channel…"));
        workspace::whenReady(m_workspace->newSmeeChannel(), this, [this](const relay::NewChannel &channel) {
            m_new->setEnabled(true);
            if (!channel.error.isEmpty()) {
                m_status->setText(channel.error);
                return;
            }
            m_channel->setText(channel.url.toString());
            m_status->setText(tr("A new channel: point the sender at it."));
        });
    });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Receive"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    const auto update = [this, buttons] { buttons->button(QDialogButtonBox::Ok)->setEnabled(channel().isValid()); };
    connect(m_channel, &QLineEdit::textChanged, this, update);
    update();

    auto *channelRow = new QHBoxLayout;
    channelRow->addWidget(m_channel, 1);
    channelRow->addWidget(m_new);
    auto *form = new QFormLayout;
    form->addRow(tr("Channel:"), channelRow);
    form->addRow(QString(), m_status);
    form->addRow(tr("Secret:"), m_secret);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(note(tr("The sender posts to the channel; smee.io answers it and passes each delivery on to hookscope, which"
                              " stores it as a relayed hook. Nothing to install. smee keeps nothing: deliveries made while hookscope"
                              " is not connected are lost. smee sends the body on as parsed JSON, so hookscope gets it"
                              " re-serialised: a signature over the original bytes cannot be checked exactly, and says so. A"
                              " secret sent in a header (Codewars) is checked as ever; smee has answered the sender already, so"
                              " nothing can be refused."), this));
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(640, sizeHint().height());
}

QUrl SmeeDialog::channel() const
{
    const QUrl url(m_channel->text().trimmed(), QUrl::StrictMode);
    return url.isValid() && (url.scheme() == u"https" || url.scheme() == u"http") && !url.host().isEmpty() && url.path().size() > 1
        ? url
        : QUrl();
}

QByteArray SmeeDialog::secret() const
{
    return m_secret->text().toUtf8();
}

TunnelOutputDialog::TunnelOutputDialog(relay::Tunnel *tunnel, QWidget *parent)
    : QDialog(parent)
    , m_view(new QPlainTextEdit(this))
{
    setWindowTitle(tr("Tunnel Output"));
    m_view->setReadOnly(true);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setMaximumBlockCount(int(relay::Tunnel::MaxOutputLines) * 2);
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setPlainText(tunnel->output().join(u'\n'));
    connect(tunnel, &relay::Tunnel::outputLine, m_view, &QPlainTextEdit::appendPlainText);
    connect(tunnel, &relay::Tunnel::message, m_view, [this](const QString &text) {
        m_view->appendPlainText(u"── " + text);
    });
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view);
    layout->addWidget(buttons);
    resize(760, 420);
}

} // namespace ui
