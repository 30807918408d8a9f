#include "compareview.h"

#include "theme.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ui {

namespace {

enum Column { Path, Op, Old, New, ColumnCount };
constexpr int ToneRole = Qt::UserRole + 1;

QString valueText(const QJsonValue &value)
{
    if (value.isUndefined())
        return QString();
    if (value.isString())
        return value.toString();
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).chopped(1).sliced(1));
}

Tone opTone(formats::DiffEntry::Op op)
{
    switch (op) {
    case formats::DiffEntry::Op::Added: return Tone::Good;
    case formats::DiffEntry::Op::Removed: return Tone::Bad;
    case formats::DiffEntry::Op::Changed: return Tone::Warning;
    case formats::DiffEntry::Op::Moved: return Tone::Info;
    }
    return Tone::Info;
}

} // namespace

CompareView::CompareView(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_tree(new QTreeWidget(this))
    , m_lines(new QPlainTextEdit(this))
{
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels({tr("Path"), tr("Change"), tr("Old"), tr("New")});
    m_tree->setRootIsDecorated(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setColumnWidth(Path, 260);
    m_tree->setColumnWidth(Op, 80);
    m_tree->setColumnWidth(Old, 280);
    m_tree->setAccessibleName(tr("Differences"));
    m_lines->setReadOnly(true);
    m_lines->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_lines->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_lines->setAccessibleName(tr("Body lines"));
    m_lines->hide();

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_tree);
    split->addWidget(m_lines);
    split->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_title);
    layout->addWidget(split, 1);
}

void CompareView::setDiff(const formats::HookDiff &diff, qint64 idA, qint64 idB)
{
    setDiff(diff, tr("hook #%1").arg(idA), tr("hook #%1").arg(idB));
}

void CompareView::setDiff(const formats::HookDiff &diff, const QString &nameA, const QString &nameB)
{
    m_tree->clear();
    m_title->setText(diff.isEmpty() ? tr("%1 and %2 are the same.").arg(nameA, nameB)
                                    : tr("What changed from %1 to %2").arg(nameA, nameB));
    const auto section = [this](const QString &title, const QList<formats::DiffEntry> &entries, const QString &note = QString()) {
        if (entries.isEmpty() && note.isEmpty())
            return;
        auto *top = new QTreeWidgetItem(m_tree, {title});
        QFont bold = top->font(Path);
        bold.setBold(true);
        top->setFont(Path, bold);
        top->setFirstColumnSpanned(false);
        if (!note.isEmpty())
            top->setText(Old, note);
        for (const formats::DiffEntry &entry : entries) {
            auto *item = new QTreeWidgetItem(top, {entry.path.isEmpty() ? tr("(whole body)") : entry.path, formats::diffOpName(entry.op),
                                                   valueText(entry.from), valueText(entry.to)});
            item->setData(Op, ToneRole, int(opTone(entry.op)));
            item->setToolTip(Old, item->text(Old));
            item->setToolTip(New, item->text(New));
        }
        top->setExpanded(true);
    };
    const bool answers = !diff.request.isEmpty() && diff.request.constFirst().path.startsWith(QLatin1String("/status"));
    section(answers ? tr("Status line") : tr("Request line"), diff.request);
    section(tr("Headers"), diff.headers);
    QString bodyNote;
    if (diff.bodyKind == u"text")
        bodyNote = tr("text, compared by lines below");
    else if (diff.bodyKind == u"binary")
        bodyNote = tr("binary: %1 and %2 bytes, first difference at byte %3").arg(diff.sizeA).arg(diff.sizeB).arg(diff.firstDifference);
    else if (diff.bodyKind == u"too large")
        bodyNote = tr("too large for a structural diff (%1 and %2 bytes), first difference at byte %3")
                       .arg(diff.sizeA).arg(diff.sizeB).arg(diff.firstDifference);
    section(diff.bodyKind == u"json" ? tr("Body (JSON)") : tr("Body"), diff.body, bodyNote);
    section(tr("Verdicts and problems"), diff.inspection);
    m_lines->setVisible(diff.bodyKind == u"text");
    m_lines->setPlainText(diff.lines.join(u'\n'));
    recolour();
}

void CompareView::showProblem(const QString &text)
{
    m_tree->clear();
    m_lines->hide();
    m_title->setText(text);
}

QStringList CompareView::rowTexts() const
{
    QStringList rows;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *top = m_tree->topLevelItem(i);
        for (int j = 0; j < top->childCount(); ++j) {
            const QTreeWidgetItem *item = top->child(j);
            rows.append(QStringLiteral("%1: %2 %3 %4 -> %5").arg(top->text(Path), item->text(Op), item->text(Path), item->text(Old), item->text(New)));
        }
    }
    return rows;
}

void CompareView::recolour()
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *top = m_tree->topLevelItem(i);
        for (int j = 0; j < top->childCount(); ++j) {
            QTreeWidgetItem *item = top->child(j);
            item->setForeground(Op, toneColor(palette(), Tone(item->data(Op, ToneRole).toInt())));
        }
    }
}

void CompareView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        recolour();
}

} // namespace ui
