#include "jsontree.h"

#include "theme.h"
#include "workspace/plural.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QHeaderView>

namespace ui {

using workspace::plural;

namespace {

enum ItemRole : int {
    NodeRole = Qt::UserRole + 1,   // const OrderedJson * into the shared document
    PopulatedRole,
    IndexRole,                     // the item is an array element
};

using catalog::OrderedJson;

const OrderedJson *nodeOf(const QTreeWidgetItem *item)
{
    return reinterpret_cast<const OrderedJson *>(item->data(0, NodeRole).value<quintptr>());
}

QString summary(const OrderedJson &value)
{
    switch (value.type()) {
    case OrderedJson::Type::Null: return QStringLiteral("null");
    case OrderedJson::Type::Bool: return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case OrderedJson::Type::Number: return QString::fromLatin1(value.numberText());
    case OrderedJson::Type::String: return u'"' + value.toString() + u'"';
    case OrderedJson::Type::Array: return plural(QCoreApplication::translate("ui::JsonTree", "[%n item(s)]", nullptr, int(value.size())), int(value.size()));
    case OrderedJson::Type::Object: return plural(QCoreApplication::translate("ui::JsonTree", "{%n member(s)}", nullptr, int(value.size())), int(value.size()));
    }
    return {};
}

int hueFor(OrderedJson::Type type)
{
    switch (type) {
    case OrderedJson::Type::String: return 135;
    case OrderedJson::Type::Number: return 28;
    case OrderedJson::Type::Null:
    case OrderedJson::Type::Bool: return 285;
    default: return -1;
    }
}

} // namespace

JsonTree::JsonTree(QWidget *parent)
    : QTreeWidget(parent)
{
    setColumnCount(2);
    setHeaderLabels({tr("Member"), tr("Value")});
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    header()->setSectionResizeMode(0, QHeaderView::Interactive);
    header()->resizeSection(0, 260);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    connect(this, &QTreeWidget::itemExpanded, this, &JsonTree::populate);

    auto *copyValueAction = new QAction(tr("Copy Value"), this);
    copyValueAction->setShortcut(QKeySequence::Copy);
    copyValueAction->setShortcutContext(Qt::WidgetShortcut);
    connect(copyValueAction, &QAction::triggered, this, &JsonTree::copyValue);
    auto *copyPathAction = new QAction(tr("Copy Path"), this);
    connect(copyPathAction, &QAction::triggered, this, &JsonTree::copyPath);
    addActions({copyValueAction, copyPathAction});
    setContextMenuPolicy(Qt::ActionsContextMenu);
}

void JsonTree::clearJson()
{
    clear();
    m_json.reset();
}

void JsonTree::setJson(std::shared_ptr<const OrderedJson> json)
{
    clear();
    m_json = std::move(json);
    if (!m_json)
        return;
    QTreeWidgetItem *root = makeItem(tr("body"), *m_json, false);
    addTopLevelItem(root);
    root->setExpanded(true);
    // Small documents open two levels deep: the payload's objects are what people look at.
    if (m_json->size() <= 50) {
        for (int i = 0; i < root->childCount(); ++i) {
            const OrderedJson *child = nodeOf(root->child(i));
            if ((child->isObject() || child->isArray()) && child->size() > 0 && child->size() <= 50)
                root->child(i)->setExpanded(true);
        }
    }
}

QTreeWidgetItem *JsonTree::makeItem(const QString &name, const OrderedJson &value, bool index)
{
    auto *item = new QTreeWidgetItem;
    item->setText(0, name);
    item->setText(1, summary(value));
    item->setToolTip(1, value.isString() ? value.toString() : QString());
    item->setData(0, NodeRole, QVariant::fromValue(quintptr(&value)));
    item->setData(0, IndexRole, index);
    if ((value.isArray() || value.isObject()) && value.size() > 0)
        item->setChildIndicatorPolicy(QTreeWidgetItem::ShowIndicator);
    recolour(item);
    return item;
}

void JsonTree::recolour(QTreeWidgetItem *item)
{
    const int hue = hueFor(nodeOf(item)->type());
    item->setForeground(1, hue < 0 ? palette().brush(QPalette::PlaceholderText) : QBrush(hueColor(palette(), hue)));
    item->setForeground(0, item->data(0, IndexRole).toBool() ? palette().brush(QPalette::PlaceholderText)
                                                           : QBrush(hueColor(palette(), 212)));
}

void JsonTree::populate(QTreeWidgetItem *item)
{
    if (item->data(0, PopulatedRole).toBool())
        return;
    item->setData(0, PopulatedRole, true);
    const OrderedJson *node = nodeOf(item);
    QList<QTreeWidgetItem *> children;
    const qsizetype shown = std::min<qsizetype>(node->size(), ChildLimit);
    children.reserve(shown + 1);
    for (qsizetype i = 0; i < shown; ++i) {
        const bool index = node->isArray();
        children.append(makeItem(index ? QString::number(i) : node->keys().at(i), node->at(i), index));
    }
    if (node->size() > shown) {
        auto *more = new QTreeWidgetItem({tr("…"), tr("%n more not listed", nullptr, int(node->size() - shown))});
        more->setData(0, NodeRole, QVariant::fromValue(quintptr(node)));
        more->setData(0, PopulatedRole, true);
        children.append(more);
    }
    item->addChildren(children);
}

QString JsonTree::pathOf(const QTreeWidgetItem *item) const
{
    QStringList parts;
    for (; item && item->parent(); item = item->parent()) {
        if (item->data(0, IndexRole).toBool())
            parts.prepend(u'[' + item->text(0) + u']');
        else
            parts.prepend(item->text(0));
    }
    QString path;
    for (const QString &part : std::as_const(parts)) {
        if (!path.isEmpty() && !part.startsWith(u'['))
            path += u'.';
        path += part;
    }
    return path;
}

void JsonTree::copyValue()
{
    QStringList values;
    for (const QTreeWidgetItem *item : selectedItems()) {
        const OrderedJson *node = nodeOf(item);
        values.append(node->isString() ? node->toString() : QString::fromUtf8(node->toJson(2)));
    }
    if (!values.isEmpty())
        QApplication::clipboard()->setText(values.join(u'\n'));
}

void JsonTree::copyPath()
{
    if (const QTreeWidgetItem *item = currentItem())
        QApplication::clipboard()->setText(pathOf(item));
}

void JsonTree::changeEvent(QEvent *event)
{
    QTreeWidget::changeEvent(event);
    if (event->type() != QEvent::PaletteChange)
        return;
    QList<QTreeWidgetItem *> stack;
    for (int i = 0; i < topLevelItemCount(); ++i)
        stack.append(topLevelItem(i));
    while (!stack.isEmpty()) {
        QTreeWidgetItem *item = stack.takeLast();
        recolour(item);
        for (int i = 0; i < item->childCount(); ++i)
            stack.append(item->child(i));
    }
}

} // namespace ui
