#pragma once

#include "formats/diff.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTreeWidget;

namespace ui {

// Two hooks side by side as their differences: request line, headers, body (by
// JSON path, or by lines for text) and verdicts, each row saying what happened
// to a path (added, removed, changed, moved) with the old and the new value.
class CompareView : public QWidget
{
    Q_OBJECT

public:
    explicit CompareView(QWidget *parent = nullptr);

    void setDiff(const formats::HookDiff &diff, qint64 idA, qint64 idB);
    // Any two messages: "hook #3", "the request of replay 2".
    void setDiff(const formats::HookDiff &diff, const QString &nameA, const QString &nameB);
    void showProblem(const QString &text);

    QTreeWidget *tree() const { return m_tree; }
    QPlainTextEdit *lines() const { return m_lines; }
    QLabel *title() const { return m_title; }
    // The rows as shown, "section: op path old -> new", for tests and copying.
    QStringList rowTexts() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void recolour();

    QLabel *m_title;
    QTreeWidget *m_tree;
    QPlainTextEdit *m_lines;
};

} // namespace ui
