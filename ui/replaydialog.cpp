#include "replaydialog.h"

#include "targetbox.h"

#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace ui {

ReplayDialog::ReplayDialog(const QStringList &recentTargets, bool freshId, const QString &noFreshIdReason, int hooks, QWidget *parent)
    : QDialog(parent)
    , m_targetBox(new TargetBox(recentTargets, this))
    , m_sameId(new QRadioButton(tr("&Keep the captured id, as the sender's own retry does"), this))
    , m_freshId(new QRadioButton(tr("Give each a &fresh id, as a new delivery has"), this))
    , m_idNote(new QLabel(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(hooks == 1 ? tr("Replay To") : tr("Replay %n Hooks To", nullptr, hooks));
    auto *ids = new QButtonGroup(this);
    ids->addButton(m_sameId);
    ids->addButton(m_freshId);
    const bool canRefresh = noFreshIdReason.isEmpty();
    (canRefresh && freshId ? m_freshId : m_sameId)->setChecked(true);
    m_freshId->setEnabled(canRefresh);
    m_idNote->setWordWrap(true);
    m_idNote->setForegroundRole(QPalette::PlaceholderText);
    m_idNote->setText(canRefresh ? tr("Hooks whose provider sends no delivery id (Codewars) go as they were.")
                                 : noFreshIdReason + u'.');

    makeErrorLabel(m_error);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Replay"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ReplayDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *idBox = new QVBoxLayout;
    idBox->addWidget(m_sameId);
    idBox->addWidget(m_freshId);
    idBox->addWidget(m_idNote);
    auto *form = new QFormLayout(this);
    form->addRow(tr("Send to:"), m_targetBox);
    form->addRow(QString(), m_error);
    form->addRow(tr("Delivery id:"), idBox);
    form->addRow(buttons);
}

bool ReplayDialog::freshDeliveryId() const
{
    return m_freshId->isEnabled() && m_freshId->isChecked();
}

void ReplayDialog::accept()
{
    m_target = m_targetBox->takeUrl(m_error);
    if (m_target.isEmpty())
        return;
    QDialog::accept();
}

} // namespace ui
