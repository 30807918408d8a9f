#include "formtable.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QHeaderView>
#include <QLocale>
#include <QMessageBox>
#include <QSaveFile>

namespace ui {

FormTable::FormTable(QWidget *parent)
    : QTableWidget(parent)
{
    setColumnCount(5);
    setHorizontalHeaderLabels({tr("Name"), tr("Value"), tr("Type"), tr("Size"), tr("Headers")});
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setFrameShape(QFrame::NoFrame);
    verticalHeader()->hide();

    auto *copy = new QAction(tr("Copy Value"), this);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &FormTable::copyCurrent);
    auto *save = new QAction(tr("Save Value to File…"), this);
    connect(save, &QAction::triggered, this, &FormTable::saveCurrent);
    addActions({copy, save});
    setContextMenuPolicy(Qt::ActionsContextMenu);
}

void FormTable::setForm(const http::FormData &form, bool multipart)
{
    m_form = form;
    setRowCount(0);
    setRowCount(int(form.fields.size()));
    setColumnHidden(HeadersColumn, !multipart);
    setColumnHidden(TypeColumn, !multipart);
    const QLocale locale;
    for (int row = 0; row < form.fields.size(); ++row) {
        const http::FormField &field = form.fields.at(row);
        const auto put = [&](int column, const QString &text, const QString &tip = {}) {
            auto *item = new QTableWidgetItem(text);
            item->setToolTip(tip.isEmpty() ? text.left(2000) : tip);
            setItem(row, column, item);
        };
        put(NameColumn, field.name);
        if (field.isFile())
            put(ValueColumn, tr("file \"%1\"").arg(field.fileName), tr("Save it with the context menu"));
        else
            put(ValueColumn, field.text().left(4096).replace(u'\n', u' '), field.text().left(4096));
        put(TypeColumn, QString::fromLatin1(field.contentType));
        put(SizeColumn, locale.formattedDataSize(field.data.size(), 1, QLocale::DataSizeTraditionalFormat));
        item(row, SizeColumn)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        QStringList headers;
        for (const http::HeaderField &header : field.headers)
            headers.append(QString::fromLatin1(header.name + ": " + header.value));
        put(HeadersColumn, headers.join(QStringLiteral("; ")), headers.join(u'\n'));
    }
    resizeColumnToContents(NameColumn);
    resizeColumnToContents(SizeColumn);
    // A part's headers say the most after its value: they get the rest of the width.
    horizontalHeader()->setSectionResizeMode(ValueColumn, multipart ? QHeaderView::Interactive : QHeaderView::Stretch);
    horizontalHeader()->setSectionResizeMode(HeadersColumn, multipart ? QHeaderView::Stretch : QHeaderView::Interactive);
    if (multipart) {
        resizeColumnToContents(TypeColumn);
        setColumnWidth(ValueColumn, 320);
    }
}

const http::FormField *FormTable::fieldAt(int row) const
{
    return row >= 0 && row < m_form.fields.size() ? &m_form.fields.at(row) : nullptr;
}

bool FormTable::saveField(int row, const QString &fileName, QString *error) const
{
    const http::FormField *field = fieldAt(row);
    if (!field) {
        *error = tr("No field is selected");
        return false;
    }
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly) || file.write(field->data) != field->data.size() || !file.commit()) {
        *error = tr("Cannot write %1: %2").arg(fileName, file.errorString());
        return false;
    }
    return true;
}

void FormTable::saveCurrent()
{
    const http::FormField *field = fieldAt(currentRow());
    if (!field)
        return;
    const QString fileName = QFileDialog::getSaveFileName(this, tr("Save Value"), field->fileName);
    if (fileName.isEmpty())
        return;
    QString error;
    if (!saveField(currentRow(), fileName, &error))
        QMessageBox::warning(this, tr("Save Value"), error);
}

void FormTable::copyCurrent()
{
    if (const http::FormField *field = fieldAt(currentRow()))
        QApplication::clipboard()->setText(field->text());
}

} // namespace ui
