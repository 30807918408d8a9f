#include "captureview.h"

#include "hookdelegate.h"

#include "capture/hookcolumns.h"

#include <QHeaderView>
#include <QResizeEvent>
#include <QScrollBar>

namespace ui {

CaptureView::CaptureView(QWidget *parent)
    : QTableView(parent)
{
    setItemDelegate(new HookDelegate(this));
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setSortingEnabled(true);
    // Rows are the unit here: Tab leaves the table for the next pane, as the arrow keys walk the rows.
    setTabKeyNavigation(false);
    setAlternatingRowColors(true);
    setShowGrid(false);
    setWordWrap(false);
    setCornerButtonEnabled(false);
    setTextElideMode(Qt::ElideMiddle);
    setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    setContextMenuPolicy(Qt::ActionsContextMenu);
    verticalHeader()->hide();
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    horizontalHeader()->setSectionsMovable(true);
    horizontalHeader()->setHighlightSections(false);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);

    // Whoever is at the bottom stays there when the range grows for other reasons
    // too (a horizontal scroll bar appearing, a resize); scrolling up lets go.
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        m_follow = value >= verticalScrollBar()->maximum();
    });
    connect(verticalScrollBar(), &QScrollBar::rangeChanged, this, [this](int, int maximum) {
        if (m_follow && arrivalOrderAscending())
            verticalScrollBar()->setValue(maximum);
    });
}

void CaptureView::setModel(QAbstractItemModel *model)
{
    if (this->model())
        disconnect(this->model(), nullptr, this, nullptr);
    QTableView::setModel(model);
    if (!model)
        return;
    // Decided before the rows go in: afterwards the scroll bar has already moved.
    connect(model, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar *bar = verticalScrollBar();
        m_follow = bar->value() >= bar->maximum();
    });
    connect(model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_follow && arrivalOrderAscending()) {
            // The scroll range is otherwise updated later, after this slot.
            updateGeometries();
            scrollToBottom();
        }
    });
    connect(selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { onCurrentChanged(current); });
    connect(model, &QAbstractItemModel::modelReset, this, [this] { onCurrentChanged(currentIndex()); });
    connect(model, &QAbstractItemModel::rowsRemoved, this, [this] { onCurrentChanged(currentIndex()); });
    applyDefaultColumnWidths();
}

bool CaptureView::arrivalOrderAscending() const
{
    const int column = horizontalHeader()->sortIndicatorSection();
    const bool byArrival = column < 0 || column >= HookColumns::Count || column == HookColumns::Id || column == HookColumns::Time;
    return byArrival && (column < 0 || column >= HookColumns::Count || horizontalHeader()->sortIndicatorOrder() == Qt::AscendingOrder);
}

bool CaptureView::isFollowing() const
{
    const QScrollBar *bar = verticalScrollBar();
    return bar->value() >= bar->maximum() && arrivalOrderAscending();
}

void CaptureView::onCurrentChanged(const QModelIndex &current)
{
    const qint64 id = current.isValid() ? current.data(HookColumns::IdRole).toLongLong() : 0;
    if (id == m_lastEmitted)
        return;
    m_lastEmitted = id;
    const qint64 size = current.isValid() ? current.siblingAtColumn(HookColumns::Size).data(HookColumns::RawRole).toLongLong() : 0;
    emit currentHookChanged(id, size);
}

QList<qint64> CaptureView::selectedIds() const
{
    QList<qint64> ids;
    if (!selectionModel())
        return ids;
    QModelIndexList rows = selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    ids.reserve(rows.size());
    for (const QModelIndex &index : std::as_const(rows))
        ids.append(index.data(HookColumns::IdRole).toLongLong());
    return ids;
}

qint64 CaptureView::currentId() const
{
    return currentIndex().isValid() ? currentIndex().data(HookColumns::IdRole).toLongLong() : 0;
}

int CaptureView::rowOfId(qint64 id) const
{
    if (!model())
        return -1;
    // Usually near the end: hooks are looked up right after they arrive.
    for (int row = model()->rowCount() - 1; row >= 0; --row) {
        if (model()->index(row, 0).data(HookColumns::IdRole).toLongLong() == id)
            return row;
    }
    return -1;
}

bool CaptureView::selectId(qint64 id)
{
    const int row = rowOfId(id);
    if (row < 0)
        return false;
    const QModelIndex index = model()->index(row, 0);
    selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    scrollTo(index);
    return true;
}

void CaptureView::resizeEvent(QResizeEvent *event)
{
    QTableView::resizeEvent(event);
    if (event->size().height() < event->oldSize().height() && currentIndex().isValid())
        scrollTo(currentIndex(), EnsureVisible);
}

void CaptureView::applyDefaultColumnWidths()
{
    const QFontMetrics metrics = fontMetrics();
    const int pad = 24;
    const auto width = [&](const QString &sample) { return metrics.horizontalAdvance(sample) + pad; };
    using namespace HookColumns;
    QHeaderView *header = horizontalHeader();
    header->resizeSection(Id, width(QStringLiteral("000000")));
    header->resizeSection(Time, width(QStringLiteral("00-00 00:00:00.0")));
    header->resizeSection(Method, width(QStringLiteral("OPTIONS")));
    header->resizeSection(Path, width(QStringLiteral("/hooks/codewars?source=kata-0000")));
    header->resizeSection(Event, width(QStringLiteral("code_challenge")) + 16);
    header->resizeSection(Action, width(QStringLiteral("solution_finalized")));
    header->resizeSection(Verdict, width(QStringLiteral("outside-tolerance")) + 16);
    header->resizeSection(Size, width(QStringLiteral("999.9 KB")));
    header->resizeSection(Status, width(QStringLiteral("Answer")) + 16);
    header->resizeSection(Rule, width(QStringLiteral("first two fail")));
    header->resizeSection(Forward, width(QStringLiteral("Forward")) + 16);
}

QByteArray CaptureView::saveColumnState() const
{
    return horizontalHeader()->saveState();
}

bool CaptureView::restoreColumnState(const QByteArray &state)
{
    if (state.isEmpty() || !horizontalHeader()->restoreState(state))
        return false;
    // Sorting follows the restored indicator.
    sortByColumn(horizontalHeader()->sortIndicatorSection(), horizontalHeader()->sortIndicatorOrder());
    return true;
}

} // namespace ui
