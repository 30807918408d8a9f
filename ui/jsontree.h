#pragma once

#include "prettyjson.h"

#include <QTreeWidget>

namespace ui {

// A collapsible view of a JSON document in member order, read straight from its
// text. Items are created when shown: the root when the tree is first shown, children
// when their parent is first expanded, so a huge document costs only what is in sight.
class JsonTree : public QTreeWidget
{
    Q_OBJECT

public:
    static constexpr int ChildLimit = 5000;   // children listed per container
    // A container bigger than this is counted when it is expanded, not when it is listed:
    // counting means reading it to its end.
    static constexpr qsizetype CountLimit = 1024 * 1024;

    explicit JsonTree(QWidget *parent = nullptr);

    // text: a valid JSON document.
    void setJson(const QByteArray &text);
    void clearJson();
    // "code_challenge.id", "commits[0].id": the path of an item, as --set takes it.
    QString pathOf(const QTreeWidgetItem *item) const;

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void build();
    QTreeWidgetItem *makeItem(const QString &name, JsonSpan value, bool index);
    void populate(QTreeWidgetItem *item);
    void setCount(QTreeWidgetItem *item, qsizetype count);
    void recolour(QTreeWidgetItem *item);
    void copyValue();
    void copyPath();

    QByteArray m_text;
    bool m_built = false;
};

} // namespace ui
