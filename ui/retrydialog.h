#pragma once

#include "targetbox.h"

#include "delivery/retryschedule.h"

#include <QDialog>
#include <QUrl>

class QComboBox;
class QLabel;
class QSpinBox;

namespace ui {

// Where to send one hook as its sender would retry it, on which schedule, and how
// much faster than real time. The target is typed or picked from the recent ones,
// as in Replay To.
class RetryDialog : public QDialog
{
    Q_OBJECT

public:
    explicit RetryDialog(const QStringList &recentTargets, QWidget *parent = nullptr);

    // What was chosen, once accepted.
    QUrl target() const { return m_target; }
    RetrySchedule schedule() const { return m_schedule; }
    int speed() const;

    TargetBox *targetBox() const { return m_targetBox; }
    QComboBox *scheduleBox() const { return m_scheduleBox; }
    QLabel *errorLabel() const { return m_error; }

public slots:
    // Keeps the dialog open, saying what is wrong, when the URL or the schedule cannot be used.
    void accept() override;

private:
    TargetBox *m_targetBox;
    QComboBox *m_scheduleBox;
    QSpinBox *m_speed;
    QLabel *m_error;
    QUrl m_target;
    RetrySchedule m_schedule;
};

} // namespace ui
