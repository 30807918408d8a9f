#pragma once

#include <QComboBox>
#include <QUrl>

class QLabel;

namespace ui {

// The URL to send hooks to, typed or picked from the recent ones as in a browser's
// address bar (the first is shown, selected, ready to be typed over).
class TargetBox : public QComboBox
{
    Q_OBJECT

public:
    explicit TargetBox(const QStringList &recentTargets, QWidget *parent = nullptr);

    // The URL as typed or picked; empty, with *error saying why (a sentence), when
    // nothing was typed or it cannot be sent to.
    QUrl url(QString *error) const;
    // The same for a dialog's accept(): when the URL cannot be taken, error (see
    // makeErrorLabel()) says why and the box takes the focus.
    QUrl takeUrl(QLabel *error);
};

// A label for what is wrong in a dialog's form: hidden until it has something to say.
void makeErrorLabel(QLabel *label);

} // namespace ui
