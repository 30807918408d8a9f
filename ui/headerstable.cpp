#include "headerstable.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHeaderView>
#include <QStringDecoder>

namespace ui {

QString headerText(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    return decoder.hasError() ? QString::fromLatin1(bytes) : text;
}

HeadersTable::HeadersTable(QWidget *parent)
    : QTableWidget(0, 2, parent)
{
    setHorizontalHeaderLabels({tr("Name"), tr("Value")});
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    horizontalHeader()->resizeSection(0, fontMetrics().horizontalAdvance(QLatin1Char('x')) * 24);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setEditable(false);

    auto *copy = new QAction(tr("Copy"), this);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, [this] { QApplication::clipboard()->setText(copyText()); });
    addAction(copy);
    setContextMenuPolicy(Qt::ActionsContextMenu);

    connect(this, &QTableWidget::itemChanged, this, [this] {
        if (!m_filling)
            emit headersEdited();
    });
}

void HeadersTable::setEditable(bool editable)
{
    m_editable = editable;
    setEditTriggers(editable ? QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                                   | QAbstractItemView::AnyKeyPressed
                             : QAbstractItemView::NoEditTriggers);
}

int HeadersTable::appendRow(const QString &name, const QString &value)
{
    const int row = rowCount();
    insertRow(row);
    setItem(row, 0, new QTableWidgetItem(name));
    setItem(row, 1, new QTableWidgetItem(value));
    return row;
}

void HeadersTable::setHeaders(const http::HeaderList &headers)
{
    m_filling = true;
    setRowCount(0);
    for (const http::HeaderField &field : headers)
        appendRow(headerText(field.name), headerText(field.value));
    m_filling = false;
    if (!headers.isEmpty()) {
        resizeColumnToContents(0);
        const int x = fontMetrics().horizontalAdvance(QLatin1Char('x'));
        horizontalHeader()->resizeSection(0, std::clamp(columnWidth(0) + x, x * 14, x * 36));
    }
}

http::HeaderList HeadersTable::headers() const
{
    http::HeaderList list;
    for (int row = 0; row < rowCount(); ++row) {
        const QString name = item(row, 0) ? item(row, 0)->text().trimmed() : QString();
        if (name.isEmpty())
            continue;
        list.append({name.toUtf8(), item(row, 1) ? item(row, 1)->text().toUtf8() : QByteArray()});
    }
    return list;
}

int HeadersTable::addHeader(const QString &name, const QString &value)
{
    m_filling = true;
    const int row = appendRow(name, value);
    m_filling = false;
    setCurrentCell(row, 0);
    if (m_editable && name.isEmpty())
        editItem(item(row, 0));
    emit headersEdited();
    return row;
}

void HeadersTable::removeSelectedHeaders()
{
    QList<int> rows;
    for (const QModelIndex &index : selectionModel()->selectedRows())
        rows.append(index.row());
    if (rows.isEmpty() && currentRow() >= 0)
        rows.append(currentRow());
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : std::as_const(rows))
        removeRow(row);
    if (!rows.isEmpty())
        emit headersEdited();
}

QString HeadersTable::copyText() const
{
    QList<int> rows;
    for (const QModelIndex &index : selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    if (rows.isEmpty()) {
        for (int row = 0; row < rowCount(); ++row)
            rows.append(row);
    }
    QStringList lines;
    for (int row : std::as_const(rows))
        lines.append((item(row, 0) ? item(row, 0)->text() : QString()) + u": " + (item(row, 1) ? item(row, 1)->text() : QString()));
    return lines.join(u'\n');
}

} // namespace ui
