#pragma once

#include <QHash>
#include <QIcon>
#include <QStyledItemDelegate>

namespace ui {

// Paints the capture table's meaning cells: secret verdict, answer and forward
// status in tones derived from the view's palette (so dark themes work), with a
// small mark beside them, and a warning mark on events with catalog problems.
// Requests the listener refused are tinted across the row, with a no-entry
// mark beside their answer.
// The storage model stays free of colours.
class HookDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit HookDelegate(QObject *parent = nullptr);

    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    enum class Shape { Dot, Warning, NoEntry };
    QIcon mark(const QColor &color, Shape shape) const;

    mutable QHash<QRgb, QIcon> m_marks[3];   // by Shape
};

} // namespace ui
