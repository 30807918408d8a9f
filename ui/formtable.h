#pragma once

#include "http/formdata.h"

#include <QTableWidget>

namespace ui {

// The fields of a form body, one a row: name, value (or file name), type, size and,
// for a multipart part, its headers. A field's bytes can be copied or saved to a file.
class FormTable : public QTableWidget
{
    Q_OBJECT

public:
    enum Column { NameColumn, ValueColumn, TypeColumn, SizeColumn, HeadersColumn };

    explicit FormTable(QWidget *parent = nullptr);

    void setForm(const http::FormData &form, bool multipart);
    const http::FormField *fieldAt(int row) const;
    // Writes a field's bytes to a file; false (with *error) when it cannot.
    bool saveField(int row, const QString &fileName, QString *error) const;

private:
    void saveCurrent();
    void copyCurrent();

    http::FormData m_form;
};

} // namespace ui
