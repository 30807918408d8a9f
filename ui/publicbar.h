#pragma once

#include <QFrame>

class QLabel;
class QLineEdit;
class QPushButton;
class QToolButton;

namespace workspace {
class Workspace;
}

namespace ui {

// The strip under the toolbar that says who can reach the listener. While only
// this machine can, it says so plainly, with the two ways to a public URL one
// click away. While a tunnel or a smee channel is on, it shows each public URL
// with a copy button and its state under a clear "Public" mark, one click to
// stop it, the tunnel's output, and (when the secret is not required) the offer
// to require it.
class PublicBar : public QFrame
{
    Q_OBJECT

public:
    explicit PublicBar(workspace::Workspace *workspace, QWidget *parent = nullptr);

    QLabel *localLabel() const { return m_localText; }
    QLineEdit *tunnelUrlField() const { return m_tunnelUrl; }
    QLabel *tunnelStatus() const { return m_tunnelStatus; }
    QLineEdit *smeeUrlField() const { return m_smeeUrl; }
    QLabel *smeeStatus() const { return m_smeeStatus; }
    QPushButton *stopTunnelButton() const { return m_stopTunnel; }
    QPushButton *stopSmeeButton() const { return m_stopSmee; }
    QPushButton *requireSecretButton() const { return m_requireSecret; }

    // Whether the secret is required now: the bar offers to require it while public.
    void setSecretRequired(bool required);
    // Updates the rows from the workspace.
    void refresh();

signals:
    void publicUrlRequested();
    void smeeRequested();
    void outputRequested();
    void requireSecretRequested();
    void copied(const QString &url);

protected:
    void changeEvent(QEvent *event) override;

private:
    QWidget *makeRow(const QString &kind, QLineEdit **url, QLabel **status, QPushButton **stop, QLabel **badge);
    void styleBadges();

    workspace::Workspace *m_workspace;
    bool m_secretRequired = false;
    QWidget *m_localRow;
    QLabel *m_localText;
    QWidget *m_tunnelRow;
    QLineEdit *m_tunnelUrl;
    QLabel *m_tunnelStatus;
    QLabel *m_tunnelBadge;
    QPushButton *m_stopTunnel;
    QPushButton *m_output;
    QWidget *m_smeeRow;
    QLineEdit *m_smeeUrl;
    QLabel *m_smeeStatus;
    QLabel *m_smeeBadge;
    QPushButton *m_stopSmee;
    QPushButton *m_requireSecret;
};

} // namespace ui
