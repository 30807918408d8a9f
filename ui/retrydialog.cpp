#include "retrydialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace ui {

RetryDialog::RetryDialog(const QStringList &recentTargets, QWidget *parent)
    : QDialog(parent)
    , m_targetBox(new TargetBox(recentTargets, this))
    , m_scheduleBox(new QComboBox(this))
    , m_speed(new QSpinBox(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("Replay with Retries"));
    m_scheduleBox->setEditable(true);
    m_scheduleBox->addItem(tr("standard — Standard Webhooks: at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h"), QStringLiteral("standard"));
    m_scheduleBox->addItem(tr("github — one attempt, GitHub does not retry on its own"), QStringLiteral("github"));
    m_scheduleBox->addItem(QStringLiteral("0,5s,5m,30m"), QStringLiteral("0,5s,5m,30m"));
    m_speed->setRange(1, 1'000'000);
    m_speed->setValue(1000);
    m_speed->setPrefix(tr("waits divided by "));
    makeErrorLabel(m_error);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Start"));
    connect(buttons, &QDialogButtonBox::accepted, this, &RetryDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *form = new QFormLayout(this);
    form->addRow(tr("Send to:"), m_targetBox);
    form->addRow(tr("Schedule:"), m_scheduleBox);
    form->addRow(tr("Speed:"), m_speed);
    form->addRow(QString(), m_error);
    form->addRow(buttons);
}

int RetryDialog::speed() const
{
    return m_speed->value();
}

void RetryDialog::accept()
{
    m_target = m_targetBox->takeUrl(m_error);
    if (m_target.isEmpty())
        return;
    // A listed schedule goes by its name; anything typed is parsed as written.
    const bool listed = m_scheduleBox->currentText() == m_scheduleBox->itemText(m_scheduleBox->currentIndex())
        && m_scheduleBox->currentData().isValid();
    const QString text = listed ? m_scheduleBox->currentData().toString() : m_scheduleBox->currentText().trimmed();
    QString error;
    if (!RetrySchedule::parse(text, &m_schedule, &error)) {
        m_error->setText(tr("Schedule: %1").arg(error));
        m_error->show();
        m_scheduleBox->setFocus();
        return;
    }
    QDialog::accept();
}

} // namespace ui
