#pragma once

#include "targetbox.h"

#include <QDialog>
#include <QUrl>

class QLabel;
class QRadioButton;

namespace ui {

// Where to replay the selected hooks, and with which delivery id. The target is
// typed or picked from the recent ones, as in a browser's address bar; the
// delivery id choice is offered only when a hook's provider has one, and says
// why not otherwise.
class ReplayDialog : public QDialog
{
    Q_OBJECT

public:
    // noFreshIdReason: empty when a fresh delivery id is possible, else why not.
    ReplayDialog(const QStringList &recentTargets, bool freshId, const QString &noFreshIdReason, int hooks,
                 QWidget *parent = nullptr);

    // The URL typed or picked, once accepted.
    QUrl target() const { return m_target; }
    bool freshDeliveryId() const;

    TargetBox *targetBox() const { return m_targetBox; }
    QRadioButton *sameIdButton() const { return m_sameId; }
    QRadioButton *freshIdButton() const { return m_freshId; }
    QLabel *idNote() const { return m_idNote; }
    QLabel *errorLabel() const { return m_error; }

public slots:
    // Keeps the dialog open, saying what is wrong, when the URL cannot be sent to.
    void accept() override;

private:
    TargetBox *m_targetBox;
    QRadioButton *m_sameId;
    QRadioButton *m_freshId;
    QLabel *m_idNote;
    QLabel *m_error;
    QUrl m_target;
};

} // namespace ui
