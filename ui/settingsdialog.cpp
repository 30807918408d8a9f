#include "settingsdialog.h"

#include "workspace/settings.h"
#include "theme.h"

#include "delivery/draft.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace ui {

namespace {

constexpr qint64 MiB = 1024 * 1024;

QFormLayout *addPage(QTabWidget *tabs, const QString &title)
{
    auto *page = new QWidget(tabs);
    auto *form = new QFormLayout(page);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    tabs->addTab(page, title);
    return form;
}

QLabel *hint(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

SettingsDialog::SettingsDialog(Settings &settings, const QString &storePath, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_bind(new QLineEdit(this))
    , m_port(new QSpinBox(this))
    , m_secret(new QLineEdit(this))
    , m_requireSecret(new QCheckBox(tr("Answer 401 to hooks without a valid secret (they are still captured)"), this))
    , m_maxBody(new QSpinBox(this))
    , m_status(new QSpinBox(this))
    , m_body(new QPlainTextEdit(this))
    , m_delay(new QSpinBox(this))
    , m_forward(new QLineEdit(this))
    , m_replay(new QLineEdit(this))
    , m_keepHooks(new QSpinBox(this))
    , m_keepDays(new QSpinBox(this))
    , m_theme(new QComboBox(this))
    , m_notify(new QCheckBox(tr("Notify when a hook arrives while the window is in the background"), this))
    , m_notifyReason(new QLabel(this))
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::Apply, this))
{
    setWindowTitle(tr("hookscope Settings"));
    auto *tabs = new QTabWidget(this);

    m_bind->setPlaceholderText(QStringLiteral("127.0.0.1"));
    m_bind->setToolTip(tr("The address to listen on: 127.0.0.1 for this machine only, 0.0.0.0 for every interface"));
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("any free port"));
    m_secret->setPlaceholderText(tr("none: secrets are not checked"));
    m_secret->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    m_maxBody->setRange(1, 4096);
    m_maxBody->setSuffix(tr(" MiB"));
    m_maxBody->setToolTip(tr("Bigger bodies are answered 413 (decided from Content-Length)"));
    QFormLayout *listener = addPage(tabs, tr("Listener"));
    listener->addRow(tr("Bind address:"), m_bind);
    listener->addRow(tr("Port:"), m_port);
    listener->addRow(tr("Secret:"), m_secret);
    listener->addRow(QString(), m_requireSecret);
    listener->addRow(tr("Largest body:"), m_maxBody);
    listener->addRow(hint(tr("Address and port changes restart the listener; the rest applies to the next hook.\n"
                             "--bind and --port on the command line override these for one run."), this));

    m_status->setRange(200, 599);
    m_body->setPlaceholderText(QStringLiteral("{\"id\":N}"));
    m_body->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_body->setMaximumHeight(fontMetrics().height() * 6);
    m_delay->setRange(0, 600'000);
    m_delay->setSuffix(tr(" ms"));
    m_delay->setSingleStep(100);
    QFormLayout *answer = addPage(tabs, tr("Answer"));
    answer->addRow(tr("Status:"), m_status);
    answer->addRow(tr("Body:"), m_body);
    answer->addRow(tr("Delay:"), m_delay);
    answer->addRow(hint(tr("What hookscope answers to a stored hook. Empty body: {\"id\":N} with the hook's number."), this));

    m_forward->setPlaceholderText(tr("off — e.g. http://localhost:3000/hooks"));
    m_forward->setClearButtonEnabled(true);
    m_replay->setPlaceholderText(tr("asked for on the first Replay — e.g. http://localhost:3000/hooks"));
    m_replay->setClearButtonEnabled(true);
    QFormLayout *delivery = addPage(tabs, tr("Delivery"));
    delivery->addRow(tr("Forward every hook to:"), m_forward);
    delivery->addRow(tr("Replay to:"), m_replay);
    delivery->addRow(hint(tr("A target URL with a path of its own is used as it is; otherwise the hook's path is appended."), this));

    m_keepHooks->setRange(0, 100'000'000);
    m_keepHooks->setSpecialValueText(tr("all"));
    m_keepHooks->setGroupSeparatorShown(true);
    m_keepDays->setRange(0, 36'500);
    m_keepDays->setSpecialValueText(tr("forever"));
    m_keepDays->setSuffix(tr(" days"));
    QFormLayout *storage = addPage(tabs, tr("Storage"));
    storage->addRow(tr("Keep the newest:"), m_keepHooks);
    storage->addRow(tr("Keep hooks for:"), m_keepDays);
    auto *path = new QLabel(storePath, this);
    path->setTextInteractionFlags(Qt::TextSelectableByMouse);
    path->setWordWrap(true);
    storage->addRow(tr("Store:"), path);
    storage->addRow(hint(tr("Older hooks are deleted at start-up and when these settings change."), this));

    m_theme->addItem(tr("System"), themeName(Theme::System));
    m_theme->addItem(tr("Light"), themeName(Theme::Light));
    m_theme->addItem(tr("Dark"), themeName(Theme::Dark));
    QFormLayout *appearance = addPage(tabs, tr("Appearance"));
    appearance->addRow(tr("Theme:"), m_theme);
    appearance->addRow(QString(), m_notify);
    m_notifyReason->setWordWrap(true);
    m_notifyReason->setForegroundRole(QPalette::PlaceholderText);
    m_notifyReason->hide();
    appearance->addRow(QString(), m_notifyReason);

    m_error->setWordWrap(true);
    m_error->hide();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tabs);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this, &SettingsDialog::apply);
    load();
    resize(560, sizeHint().height());
}

void SettingsDialog::load()
{
    m_bind->setText(m_settings.bindAddress());
    m_port->setValue(m_settings.port());
    m_secret->setText(QString::fromUtf8(m_settings.secret()));
    m_requireSecret->setChecked(m_settings.requireSecret());
    m_maxBody->setValue(int(std::clamp<qint64>((m_settings.maxBody() + MiB - 1) / MiB, 1, 4096)));
    m_status->setValue(m_settings.answerStatus());
    m_body->setPlainText(QString::fromUtf8(m_settings.answerBody()));
    m_delay->setValue(m_settings.answerDelayMs());
    m_forward->setText(m_settings.forwardTarget());
    m_replay->setText(m_settings.replayTarget());
    m_keepHooks->setValue(m_settings.keepHooks());
    m_keepDays->setValue(m_settings.keepDays());
    m_theme->setCurrentIndex(std::max(0, m_theme->findData(themeName(m_settings.theme()))));
    m_notify->setChecked(m_settings.notify());
}

void SettingsDialog::setNotificationsUnavailable(const QString &reason)
{
    m_notify->setEnabled(false);
    m_notify->setToolTip(reason);
    m_notifyReason->setText(reason);
    m_notifyReason->show();
}

QString SettingsDialog::check() const
{
    QHostAddress address;
    if (!address.setAddress(m_bind->text().trimmed()))
        return tr("Bind address '%1' is not an IP address (e.g. 127.0.0.1, 0.0.0.0 or ::1).").arg(m_bind->text().trimmed());
    if (m_requireSecret->isChecked() && m_secret->text().isEmpty())
        return tr("Requiring a secret needs a secret.");
    QString error;
    for (QLineEdit *edit : {m_forward, m_replay}) {
        const QString url = edit->text().trimmed();
        if (!url.isEmpty() && !isSendableUrl(QUrl(url), &error))
            return (edit == m_forward ? tr("Forward target: ") : tr("Replay target: ")) + error;
    }
    return {};
}

QString SettingsDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

bool SettingsDialog::apply()
{
    const QString error = check();
    if (!error.isEmpty()) {
        m_error->setText(error);
        QPalette p = palette();
        p.setColor(QPalette::WindowText, toneColor(palette(), Tone::Bad));
        m_error->setPalette(p);
        m_error->show();
        return false;
    }
    m_error->hide();
    m_settings.setBindAddress(m_bind->text().trimmed());
    m_settings.setPort(quint16(m_port->value()));
    m_settings.setSecret(m_secret->text().toUtf8());
    m_settings.setRequireSecret(m_requireSecret->isChecked());
    // Keep an exact byte limit that the dialog only shows rounded.
    if (m_maxBody->value() != int((m_settings.maxBody() + MiB - 1) / MiB))
        m_settings.setMaxBody(m_maxBody->value() * MiB);
    m_settings.setAnswerStatus(m_status->value());
    m_settings.setAnswerBody(m_body->toPlainText().toUtf8());
    m_settings.setAnswerDelayMs(m_delay->value());
    m_settings.setForwardTarget(m_forward->text().trimmed());
    m_settings.setReplayTarget(m_replay->text().trimmed());
    m_settings.setKeepHooks(m_keepHooks->value());
    m_settings.setKeepDays(m_keepDays->value());
    Theme theme = Theme::System;
    themeFromName(m_theme->currentData().toString(), &theme);
    m_settings.setTheme(theme);
    m_settings.setNotify(m_notify->isChecked());
    m_settings.sync();
    emit applied();
    return true;
}

void SettingsDialog::accept()
{
    if (apply())
        QDialog::accept();
}

} // namespace ui
