#pragma once

#include "catalog/orderedjson.h"

#include <QTreeWidget>

#include <memory>

namespace ui {

// A collapsible view of a JSON document in member order. Children are created
// when their parent is first expanded, so a huge document costs only what is shown.
class JsonTree : public QTreeWidget
{
    Q_OBJECT

public:
    static constexpr int ChildLimit = 5000;   // children listed per container

    explicit JsonTree(QWidget *parent = nullptr);

    void setJson(std::shared_ptr<const catalog::OrderedJson> json);
    void clearJson();
    // "code_challenge.id", "commits[0].id": the path of an item, as --set takes it.
    QString pathOf(const QTreeWidgetItem *item) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    QTreeWidgetItem *makeItem(const QString &name, const catalog::OrderedJson &value, bool index);
    void populate(QTreeWidgetItem *item);
    void recolour(QTreeWidgetItem *item);
    void copyValue();
    void copyPath();

    std::shared_ptr<const catalog::OrderedJson> m_json;
};

} // namespace ui
