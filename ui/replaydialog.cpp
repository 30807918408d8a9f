#include "replaydialog.h"

#include "theme.h"

#include "delivery/draft.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace ui {

ReplayDialog::ReplayDialog(const QStringList &recentTargets, bool freshId, const QString &noFreshIdReason, int hooks, QWidget *parent)
    : QDialog(parent)
    , m_targetBox(new QComboBox(this))
    , m_sameId(new QRadioButton(tr("&Keep the captured id, as the sender's own retry does"), this))
    , m_freshId(new QRadioButton(tr("Give each a &fresh id, as a new delivery has"), this))
    , m_idNote(new QLabel(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(hooks == 1 ? tr("Replay To") : tr("Replay %n Hooks To", nullptr, hooks));
    m_targetBox->setEditable(true);
    m_targetBox->setInsertPolicy(QComboBox::NoInsert);
    m_targetBox->setMinimumContentsLength(40);
    m_targetBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_targetBox->addItems(recentTargets);
    m_targetBox->setEditText(recentTargets.isEmpty() ? QStringLiteral("http://localhost:3000/") : recentTargets.constFirst());
    m_targetBox->lineEdit()->setPlaceholderText(QStringLiteral("http://localhost:3000/hooks"));
    m_targetBox->lineEdit()->selectAll();
    m_targetBox->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_targetBox->completer()->setFilterMode(Qt::MatchContains);
    m_targetBox->completer()->setCaseSensitivity(Qt::CaseInsensitive);
    m_targetBox->setToolTip(tr("The hook's path is appended when the URL has none"));

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

    m_error->setWordWrap(true);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, toneColor(palette(), Tone::Bad));
    m_error->setPalette(errorPalette);
    m_error->hide();

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
    const QString text = m_targetBox->currentText().trimmed();
    const QUrl url = QUrl::fromUserInput(text);
    QString error;
    if (text.isEmpty())
        error = tr("Type the URL to send the hooks to.");
    else if (!isSendableUrl(url, &error))
        error = error.left(1).toUpper() + error.mid(1) + u'.';
    if (!error.isEmpty()) {
        m_error->setText(error);
        m_error->show();
        m_targetBox->setFocus();
        return;
    }
    m_target = url;
    QDialog::accept();
}

} // namespace ui
