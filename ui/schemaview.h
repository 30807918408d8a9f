#pragma once

#include "catalog/schemaoutline.h"

#include <QString>
#include <QWidget>

class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTreeWidget;

namespace ui {

// What the catalog expects of an event and action: its schema as a tree of
// members (type, required, rules in words, an example value), with the raw
// JSON Schema one click away.
class SchemaView : public QWidget
{
    Q_OBJECT

public:
    enum Column { Member, Type, Required, Rule, Example, ColumnCount };

    explicit SchemaView(QWidget *parent = nullptr);

    // The schema as written (empty: the catalog has none) and as rows.
    void setSchema(const QByteArray &schema, const QList<catalog::SchemaRow> &rows);
    void clear();
    // What setSchema() was last given.
    const QByteArray &schema() const { return m_shown; }
    bool showsRaw() const;
    void showRaw(bool raw);

    QTreeWidget *tree() const { return m_tree; }
    QPlainTextEdit *rawView() const { return m_raw; }
    QPushButton *rawButton() const { return m_rawButton; }

private:
    QTreeWidget *m_tree;
    QPlainTextEdit *m_raw;
    QStackedWidget *m_stack;
    QPushButton *m_rawButton;
    QByteArray m_shown;
};

} // namespace ui
