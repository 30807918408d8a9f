#pragma once

#include <QTableView>

namespace ui {

// The capture list. New rows scroll into view only while the user is at the
// bottom of an arrival-ordered list (checked before each insert, as Wireshark
// does); anyone reading older hooks is left where they are.
class CaptureView : public QTableView
{
    Q_OBJECT

public:
    explicit CaptureView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model) override;

    // Hook ids of the selected rows, in the order shown.
    QList<qint64> selectedIds() const;
    qint64 currentId() const;
    // Makes the row of that hook current and selected; false when it is not shown.
    bool selectId(qint64 id);
    int rowOfId(qint64 id) const;

    void applyDefaultColumnWidths();
    QByteArray saveColumnState() const;
    bool restoreColumnState(const QByteArray &state);
    // Whether the next insert will scroll to the newest row.
    bool isFollowing() const;

signals:
    // The current row moved to another hook (0: none). size: its body size.
    void currentHookChanged(qint64 id, qint64 size);

protected:
    // A smaller list (the detail pane grew, the window shrank) keeps the current row in view.
    void resizeEvent(QResizeEvent *event) override;

private:
    bool arrivalOrderAscending() const;
    void onCurrentChanged(const QModelIndex &current);

    bool m_follow = true;
    qint64 m_lastEmitted = -1;
};

} // namespace ui
