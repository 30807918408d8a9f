#pragma once

#include "workspace/settings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace ui {

using workspace::Settings;


// Listener, answer, delivery, retention and appearance preferences. Apply and OK
// check the values, write them to Settings and emit applied(); the window then
// restarts or reconfigures what changed.
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    SettingsDialog(Settings &settings, const QString &storePath, QWidget *parent = nullptr);

    // Checks and writes; false (the reason shown in the dialog) when a value is wrong.
    bool apply();
    QString errorText() const;

    QLineEdit *bindEdit() const { return m_bind; }
    QSpinBox *portBox() const { return m_port; }
    QLineEdit *secretEdit() const { return m_secret; }
    QCheckBox *requireSecretBox() const { return m_requireSecret; }
    QSpinBox *statusBox() const { return m_status; }
    QPlainTextEdit *answerBodyEdit() const { return m_body; }
    QSpinBox *delayBox() const { return m_delay; }
    QSpinBox *maxBodyBox() const { return m_maxBody; }
    QLineEdit *forwardEdit() const { return m_forward; }
    QLineEdit *replayEdit() const { return m_replay; }
    QSpinBox *keepHooksBox() const { return m_keepHooks; }
    QSpinBox *keepDaysBox() const { return m_keepDays; }
    QComboBox *themeBox() const { return m_theme; }
    QCheckBox *notifyBox() const { return m_notify; }
    // Turns the notification setting off in the dialog, with why beneath it.
    void setNotificationsUnavailable(const QString &reason);

    void accept() override;

signals:
    void applied();

private:
    void load();
    QString check() const;

    Settings &m_settings;
    QLineEdit *m_bind;
    QSpinBox *m_port;
    QLineEdit *m_secret;
    QCheckBox *m_requireSecret;
    QSpinBox *m_maxBody;
    QSpinBox *m_status;
    QPlainTextEdit *m_body;
    QSpinBox *m_delay;
    QLineEdit *m_forward;
    QLineEdit *m_replay;
    QSpinBox *m_keepHooks;
    QSpinBox *m_keepDays;
    QComboBox *m_theme;
    QCheckBox *m_notify;
    QLabel *m_notifyReason;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace ui
