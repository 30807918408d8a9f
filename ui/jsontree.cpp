#include "jsontree.h"

#include "theme.h"
#include "workspace/plural.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLocale>

namespace ui {

using workspace::plural;

namespace {

enum ItemRole : int {
    StartRole = Qt::UserRole + 1,   // where the item's value lies in the text
    EndRole,
    PopulatedRole,
    IndexRole,                      // the item is an array element
};

enum class Type { Null, Bool, Number, String, Array, Object };

Type typeOf(QByteArrayView text, JsonSpan span)
{
    switch (span.end > span.start ? text[span.start] : 'n') {
    case '{': return Type::Object;
    case '[': return Type::Array;
    case '"': return Type::String;
    case 't':
    case 'f': return Type::Bool;
    case 'n': return Type::Null;
    default: return Type::Number;
    }
}

JsonSpan spanOf(const QTreeWidgetItem *item)
{
    return {item->data(0, StartRole).toLongLong(), item->data(0, EndRole).toLongLong()};
}

int hueFor(Type type)
{
    switch (type) {
    case Type::String: return 135;
    case Type::Number: return 28;
    case Type::Null:
    case Type::Bool: return 285;
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
    m_text.clear();
    m_built = true;
}

void JsonTree::setJson(const QByteArray &text)
{
    clear();
    m_text = text;
    m_built = false;
    if (isVisible())
        build();
}

void JsonTree::showEvent(QShowEvent *event)
{
    QTreeWidget::showEvent(event);
    if (!m_built)
        build();
}

void JsonTree::build()
{
    m_built = true;
    if (m_text.isEmpty())
        return;
    QTreeWidgetItem *root = makeItem(tr("body"), jsonValueAt(m_text, 0), false);
    addTopLevelItem(root);
    root->setExpanded(true);
    // Small documents open two levels deep: the payload's objects are what people look at.
    if (root->childCount() > 50 || m_text.size() > 1024 * 1024)
        return;
    for (int i = 0; i < root->childCount(); ++i) {
        QTreeWidgetItem *child = root->child(i);
        const Type type = typeOf(m_text, spanOf(child));
        if ((type == Type::Object || type == Type::Array) && child->data(0, PopulatedRole).isNull()
            && jsonChildCount(m_text, spanOf(child)) <= 50)
            child->setExpanded(true);
    }
}

QTreeWidgetItem *JsonTree::makeItem(const QString &name, JsonSpan value, bool index)
{
    auto *item = new QTreeWidgetItem;
    item->setText(0, name);
    item->setData(0, StartRole, qint64(value.start));
    item->setData(0, EndRole, qint64(value.end));
    item->setData(0, IndexRole, index);
    const QByteArrayView token = QByteArrayView(m_text).sliced(value.start, value.end - value.start);
    switch (typeOf(m_text, value)) {
    case Type::Array:
    case Type::Object: {
        if (value.end - value.start > CountLimit) {
            const QString size = QLocale().formattedDataSize(value.end - value.start, 1, QLocale::DataSizeTraditionalFormat);
            item->setText(1, typeOf(m_text, value) == Type::Array ? tr("[%1]").arg(size) : tr("{%1}").arg(size));
            item->setToolTip(1, tr("Counted when expanded"));
            item->setChildIndicatorPolicy(QTreeWidgetItem::ShowIndicator);
            break;
        }
        setCount(item, jsonChildCount(m_text, value));
        break;
    }
    case Type::String: {
        const QString text = jsonString(token);
        item->setText(1, u'"' + text.left(1000) + u'"');
        item->setToolTip(1, text.left(4000));
        break;
    }
    default:
        item->setText(1, QString::fromLatin1(token));
        break;
    }
    recolour(item);
    return item;
}

void JsonTree::recolour(QTreeWidgetItem *item)
{
    if (item->data(0, StartRole).isNull())
        return;
    const int hue = hueFor(typeOf(m_text, spanOf(item)));
    item->setForeground(1, hue < 0 ? palette().brush(QPalette::PlaceholderText) : QBrush(hueColor(palette(), hue)));
    item->setForeground(0, item->data(0, IndexRole).toBool() ? palette().brush(QPalette::PlaceholderText)
                                                           : QBrush(hueColor(palette(), 212)));
}

void JsonTree::populate(QTreeWidgetItem *item)
{
    if (item->data(0, PopulatedRole).toBool() || item->data(0, StartRole).isNull())
        return;
    item->setData(0, PopulatedRole, true);
    const JsonSpan span = spanOf(item);
    const bool array = typeOf(m_text, span) == Type::Array;
    const QList<JsonChild> found = jsonChildren(m_text, span, ChildLimit + 1);
    QList<QTreeWidgetItem *> children;
    const qsizetype shown = std::min<qsizetype>(found.size(), ChildLimit);
    children.reserve(shown + 1);
    for (qsizetype i = 0; i < shown; ++i)
        children.append(makeItem(array ? QString::number(i) : found.at(i).name, found.at(i).value, array));
    const qsizetype total = found.size() > shown ? jsonChildCount(m_text, span) : found.size();
    if (total > shown)
        children.append(new QTreeWidgetItem({tr("…"), tr("%n more not listed", nullptr, int(total - shown))}));
    if (span.end - span.start > CountLimit) {
        item->setToolTip(1, QString());
        setCount(item, total);
    }
    item->addChildren(children);
}

void JsonTree::setCount(QTreeWidgetItem *item, qsizetype count)
{
    const int n = int(count);
    item->setText(1, plural(typeOf(m_text, spanOf(item)) == Type::Array ? tr("[%n item(s)]", nullptr, n) : tr("{%n member(s)}", nullptr, n), n));
    item->setChildIndicatorPolicy(n > 0 ? QTreeWidgetItem::ShowIndicator : QTreeWidgetItem::DontShowIndicatorWhenChildless);
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
        if (item->data(0, StartRole).isNull())
            continue;
        const JsonSpan span = spanOf(item);
        const QByteArray token = m_text.sliced(span.start, span.end - span.start);
        if (typeOf(m_text, span) == Type::String) {
            values.append(jsonString(token));
        } else {
            PrettyJson pretty(token);
            pretty.advance(token.size());
            values.append(pretty.text());
        }
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
