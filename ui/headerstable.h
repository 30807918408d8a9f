#pragma once

#include "http/headers.h"

#include <QTableWidget>

namespace ui {

// Header fields in order, one row each, in a monospace font. Read-only for
// captured messages; editable (add, remove, change) in the composer.
class HeadersTable : public QTableWidget
{
    Q_OBJECT

public:
    explicit HeadersTable(QWidget *parent = nullptr);

    void setHeaders(const http::HeaderList &headers);
    http::HeaderList headers() const;   // rows with an empty name are left out

    void setEditable(bool editable);
    bool isEditable() const { return m_editable; }
    // Appends a row and starts editing its name.
    int addHeader(const QString &name = QString(), const QString &value = QString());
    void removeSelectedHeaders();
    // "Name: value" lines of the selected rows (all rows when none is selected).
    QString copyText() const;

signals:
    void headersEdited();

private:
    int appendRow(const QString &name, const QString &value);

    bool m_editable = false;
    bool m_filling = false;
};

// Header bytes as text: UTF-8 when they are, Latin-1 otherwise.
QString headerText(const QByteArray &bytes);

} // namespace ui
