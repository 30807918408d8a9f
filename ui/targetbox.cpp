#include "targetbox.h"

#include "theme.h"

#include "delivery/draft.h"

#include <QCompleter>
#include <QLabel>
#include <QLineEdit>

namespace ui {

TargetBox::TargetBox(const QStringList &recentTargets, QWidget *parent)
    : QComboBox(parent)
{
    setEditable(true);
    setInsertPolicy(QComboBox::NoInsert);
    setMinimumContentsLength(40);
    setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    addItems(recentTargets);
    setEditText(recentTargets.isEmpty() ? QStringLiteral("http://localhost:3000/") : recentTargets.constFirst());
    lineEdit()->setPlaceholderText(QStringLiteral("http://localhost:3000/hooks"));
    lineEdit()->selectAll();
    completer()->setCompletionMode(QCompleter::PopupCompletion);
    completer()->setFilterMode(Qt::MatchContains);
    completer()->setCaseSensitivity(Qt::CaseInsensitive);
    setToolTip(tr("The hook's path is appended when the URL has none"));
}

QUrl TargetBox::url(QString *error) const
{
    const QString text = currentText().trimmed();
    if (text.isEmpty()) {
        *error = tr("Type the URL to send the hooks to.");
        return {};
    }
    const QUrl url = QUrl::fromUserInput(text);
    if (!isSendableUrl(url, error)) {
        *error = error->left(1).toUpper() + error->mid(1) + u'.';
        return {};
    }
    return url;
}

QUrl TargetBox::takeUrl(QLabel *error)
{
    QString why;
    const QUrl taken = url(&why);
    if (taken.isEmpty()) {
        error->setText(why);
        error->show();
        setFocus();
    }
    return taken;
}

void makeErrorLabel(QLabel *label)
{
    label->setWordWrap(true);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, toneColor(palette, Tone::Bad));
    label->setPalette(palette);
    label->hide();
}

} // namespace ui
