#pragma once

#include "theme.h"

#include <QFrame>

class QLabel;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace ui {

// An inline banner above the capture list for problems that need the user but
// should not stop them, chiefly a port that is taken: it says so and offers
// another port right there, instead of a dialog.
class MessageBar : public QFrame
{
    Q_OBJECT

public:
    explicit MessageBar(QWidget *parent = nullptr);

    // The listener could not start: message, and the port controls.
    void showListenProblem(const QString &message, quint16 port);
    // details: lines the user can unfold under the message (which hooks failed and why).
    void showMessage(const QString &message, Tone tone, const QStringList &details = {});
    void dismiss();

    QString text() const;
    Tone tone() const { return m_tone; }
    QLabel *textLabel() const { return m_text; }
    QSpinBox *portBox() const { return m_port; }
    QPushButton *listenButton() const { return m_listen; }
    QPushButton *freePortButton() const { return m_freePort; }
    QToolButton *detailsButton() const { return m_detailsButton; }
    QLabel *detailsLabel() const { return m_details; }

signals:
    // Listen on this port for this run; 0 takes any free port.
    void listenRequested(quint16 port);

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void setPortControlsVisible(bool visible);

    Tone m_tone = Tone::Info;
    QLabel *m_icon;
    QLabel *m_text;
    QSpinBox *m_port;
    QPushButton *m_listen;
    QPushButton *m_freePort;
    QToolButton *m_detailsButton;
    QLabel *m_details;
    QToolButton *m_close;
};

} // namespace ui
