#pragma once

#include "relay/tunnelcommand.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace relay {
class Tunnel;
}
namespace workspace {
class Workspace;
}

namespace ui {

// The secret a public listener should require, offered where going public is asked for.
class SecretOffer : public QWidget
{
    Q_OBJECT

public:
    SecretOffer(const QByteArray &secret, bool required, const QString &explanation, QWidget *parent = nullptr);
    bool requireSecret() const;
    QByteArray secret() const;
    QCheckBox *requireBox() const { return m_require; }
    QLineEdit *secretField() const { return m_secret; }

private:
    QCheckBox *m_require;
    QLineEdit *m_secret;
};

// "Get a public URL…": which tunnel to run in front of the listener.
class TunnelDialog : public QDialog
{
    Q_OBJECT

public:
    TunnelDialog(const relay::TunnelSpec &last, const QByteArray &secret, bool required, QWidget *parent = nullptr);
    relay::TunnelSpec spec() const;
    SecretOffer *secretOffer() const { return m_secret; }
    QComboBox *presetBox() const { return m_preset; }
    QLineEdit *commandField() const { return m_command; }

private:
    void presetChosen();

    QComboBox *m_preset;
    QLabel *m_description;
    QLineEdit *m_command;
    QLineEdit *m_pattern;
    SecretOffer *m_secret;
};

// "Receive through a smee channel…": the channel, or a new one from smee.io.
class SmeeDialog : public QDialog
{
    Q_OBJECT

public:
    SmeeDialog(workspace::Workspace *workspace, const QString &last, const QByteArray &secret, QWidget *parent = nullptr);
    QUrl channel() const;
    QByteArray secret() const;
    QLineEdit *channelField() const { return m_channel; }

private:
    workspace::Workspace *m_workspace;
    QLineEdit *m_channel;
    QPushButton *m_new;
    QLabel *m_status;
    QLineEdit *m_secret;
};

// The tunnel program's output and what happened to it, as it comes.
class TunnelOutputDialog : public QDialog
{
    Q_OBJECT

public:
    TunnelOutputDialog(relay::Tunnel *tunnel, QWidget *parent = nullptr);
    QPlainTextEdit *view() const { return m_view; }

private:
    QPlainTextEdit *m_view;
};

} // namespace ui
