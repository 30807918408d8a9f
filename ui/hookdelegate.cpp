#include "hookdelegate.h"

#include "httpmessageview.h"
#include "overviewpane.h"
#include "workspace/plural.h"
#include "theme.h"

#include "capture/hookcolumns.h"
#include "catalog/inspection.h"

#include <QAbstractItemView>
#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <optional>

namespace ui {

using workspace::plural;

namespace {

} // namespace

HookDelegate::HookDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

QIcon HookDelegate::mark(const QColor &color, Shape shape) const
{
    auto &cache = m_marks[int(shape)];
    const auto it = cache.constFind(color.rgb());
    if (it != cache.cend())
        return it.value();
    QIcon icon;
    for (int size : {16, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        const qreal s = size;
        if (shape == Shape::NoEntry) {
            // A ring with a bar across: refused.
            painter.drawEllipse(QRectF(s * 0.08, s * 0.08, s * 0.84, s * 0.84));
            painter.setCompositionMode(QPainter::CompositionMode_Clear);
            painter.drawEllipse(QRectF(s * 0.24, s * 0.24, s * 0.52, s * 0.52));
            painter.setCompositionMode(QPainter::CompositionMode_SourceOver);
            painter.drawRect(QRectF(s * 0.2, s * 0.42, s * 0.6, s * 0.16));
        } else if (shape == Shape::Warning) {
            QPainterPath triangle;
            triangle.moveTo(s * 0.5, s * 0.1);
            triangle.lineTo(s * 0.95, s * 0.88);
            triangle.lineTo(s * 0.05, s * 0.88);
            triangle.closeSubpath();
            painter.drawPath(triangle);
        } else {
            painter.drawEllipse(QRectF(s * 0.18, s * 0.18, s * 0.64, s * 0.64));
        }
        painter.end();
        icon.addPixmap(pixmap);
    }
    cache.insert(color.rgb(), icon);
    return icon;
}

// An Event cell that shows the model's stand-in for a missing name, not an event's name.
static bool isPlaceholder(const QModelIndex &index)
{
    return index.column() == HookColumns::Event && index.data(HookColumns::RawRole).toString().isEmpty()
        && !index.data(Qt::DisplayRole).toString().isEmpty();
}

void HookDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    using namespace HookColumns;
    std::optional<Tone> tone;
    bool warning = false;
    const bool refused = index.data(RefusedRole).toBool();
    if (refused)
        option->backgroundBrush = toneBackground(option->palette, Tone::Bad);
    switch (index.column()) {
    case Verdict:
        tone = verdictTone(catalog::Verdict(index.data(VerdictRole).toInt()));
        break;
    case Status:
        tone = statusTone(index.data(RawRole).toInt());
        break;
    case Forward: {
        const int forward = index.data(RawRole).toInt();
        if (forward >= 0)
            tone = statusTone(forward);
        break;
    }
    case Event:
        if (index.data(ProblemsRole).toInt() > 0) {
            tone = Tone::Warning;
            warning = true;
        }
        break;
    default:
        break;
    }
    // "unrecognised" stands in for an event: it reads as a placeholder, not as a name.
    if (isPlaceholder(index) && !(option->state & QStyle::State_Selected))
        option->palette.setColor(QPalette::Text, option->palette.color(QPalette::PlaceholderText));
    if (!tone)
        return;
    const QColor color = toneColor(option->palette, *tone);
    // Numbers speak through their colour; verdicts and problems get a mark too.
    const bool noEntry = refused && index.column() == Status;
    if (index.column() == Verdict || warning || noEntry) {
        option->features |= QStyleOptionViewItem::HasDecoration;
        option->icon = mark(color, noEntry ? Shape::NoEntry : warning ? Shape::Warning : Shape::Dot);
        option->decorationSize = QSize(option->fontMetrics.height() * 2 / 3, option->fontMetrics.height() * 2 / 3);
    }
    if (!(option->state & QStyle::State_Selected) && !warning)
        option->palette.setColor(QPalette::Text, color);
}

bool HookDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                             const QModelIndex &index)
{
    using namespace HookColumns;
    QString tip;
    const int problems = index.data(ProblemsRole).toInt();
    if (problems > 0 && isPlaceholder(index))
        tip = index.data(Qt::ToolTipRole).toString() + tr("; see Overview");
    else if (index.column() == Event && problems > 0)
        tip = plural(tr("%n problem(s) against the catalog; see Overview", nullptr, problems), problems);
    else if (index.column() == Verdict)
        tip = tr("Secret or signature: %1").arg(catalog::verdictText(catalog::Verdict(index.data(VerdictRole).toInt())));
    else if (index.column() == Forward && index.data(RawRole).toInt() < 0)
        tip = index.data(RefusedRole).toBool() ? tr("Refused requests are not forwarded") : tr("Not forwarded");
    if (tip.isEmpty())
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    QToolTip::showText(event->globalPos(), tip, view);
    return true;
}

} // namespace ui
