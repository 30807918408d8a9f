#include "schemaview.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ui {

SchemaView::SchemaView(QWidget *parent)
    : QWidget(parent)
    , m_tree(new QTreeWidget(this))
    , m_raw(new QPlainTextEdit(this))
    , m_stack(new QStackedWidget(this))
    , m_rawButton(new QPushButton(tr("Raw Schema"), this))
{
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels({tr("Member"), tr("Type"), tr("Required"), tr("Rule"), tr("Example")});
    m_tree->setRootIsDecorated(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setAccessibleName(tr("What the catalog expects"));
    QHeaderView *header = m_tree->header();
    header->setStretchLastSection(true);
    header->setSectionResizeMode(QHeaderView::Interactive);
    const QFontMetrics metrics = fontMetrics();
    header->resizeSection(Member, metrics.horizontalAdvance(QStringLiteral("honor_by_language_x")) + 48);
    header->resizeSection(Type, metrics.horizontalAdvance(QStringLiteral("integer or null")) + 16);
    header->resizeSection(Required, metrics.horizontalAdvance(QStringLiteral("Required")) + 16);
    header->resizeSection(Rule, metrics.horizontalAdvance(QStringLiteral("matches ^[0-9a-f]{24}$ and more")) + 16);

    m_raw->setReadOnly(true);
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_raw->setAccessibleName(tr("The raw JSON Schema"));
    m_stack->addWidget(m_tree);
    m_stack->addWidget(m_raw);

    m_rawButton->setCheckable(true);
    m_rawButton->setToolTip(tr("Show the JSON Schema as the catalog has it"));
    connect(m_rawButton, &QPushButton::toggled, this, &SchemaView::showRaw);

    auto *title = new QLabel(tr("What the catalog expects for this event and action:"), this);
    title->setForegroundRole(QPalette::PlaceholderText);
    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(title, 1);
    top->addWidget(m_rawButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_stack, 1);
}

void SchemaView::setSchema(const QByteArray &schema, const QList<catalog::SchemaRow> &rows)
{
    if (schema == m_shown && !schema.isEmpty() && m_tree->topLevelItemCount() > 0)
        return;   // the same event and action as the hook before: keep what is expanded
    m_shown = schema;
    m_tree->clear();
    if (schema.isEmpty()) {
        m_raw->setPlainText(tr("The catalog has no schema for this hook."));
        auto *item = new QTreeWidgetItem(m_tree, {tr("The catalog has no schema for this hook.")});
        item->setFirstColumnSpanned(true);
        item->setFlags(Qt::ItemIsEnabled);
        return;
    }
    m_raw->setPlainText(QString::fromUtf8(schema));
    QList<QTreeWidgetItem *> parents;
    QList<QTreeWidgetItem *> top;
    for (const catalog::SchemaRow &row : rows) {
        auto *item = new QTreeWidgetItem({row.name, row.type, row.required ? tr("yes") : QString(), row.rule, row.example});
        item->setToolTip(Member, row.path);
        item->setToolTip(Rule, row.rule);
        item->setToolTip(Example, row.example);
        parents.resize(row.depth);
        if (row.depth == 0)
            top.append(item);
        else if (!parents.isEmpty() && parents.constLast())
            parents.constLast()->addChild(item);
        else
            top.append(item);
        parents.append(item);
    }
    m_tree->addTopLevelItems(top);
    // Top-level members and their direct members open: the shape of the body at a glance.
    for (QTreeWidgetItem *item : std::as_const(top))
        item->setExpanded(item->childCount() > 0 && item->childCount() <= 12);
}

void SchemaView::clear()
{
    m_shown.clear();
    m_tree->clear();
    m_raw->clear();
}

bool SchemaView::showsRaw() const
{
    return m_stack->currentWidget() == m_raw;
}

void SchemaView::showRaw(bool raw)
{
    m_stack->setCurrentWidget(raw ? static_cast<QWidget *>(m_raw) : m_tree);
    if (m_rawButton->isChecked() != raw)
        m_rawButton->setChecked(raw);
}

} // namespace ui
