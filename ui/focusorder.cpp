#include "focusorder.h"

#include <QWidget>

#include <algorithm>

namespace ui {

namespace {

void collect(QWidget *widget, QList<QWidget *> &order)
{
    // A widget that hands its focus on (a tab widget to its bar, an editable combo to
    // its line edit) is reached through the one it hands it to.
    if (!widget->focusProxy() && (widget->focusPolicy() & Qt::TabFocus))
        order.append(widget);
    // A tab bar's scroll arrows are for the mouse: the arrow keys walk its tabs.
    if (widget->inherits("QTabBar"))
        return;
    QList<QWidget *> children;
    for (QObject *child : widget->children()) {
        auto *childWidget = qobject_cast<QWidget *>(child);
        if (childWidget && !childWidget->isWindow())
            children.append(childWidget);
    }
    // Reading order: lines top to bottom, then along the line. A widget starting above the
    // bottom of the line's first one is on that line (a check box beside a taller field);
    // where two start at the same place, the one added first.
    std::stable_sort(children.begin(), children.end(),
                     [](const QWidget *a, const QWidget *b) { return a->geometry().top() < b->geometry().top(); });
    const bool rightToLeft = widget->isRightToLeft();
    const auto alongTheLine = [rightToLeft](const QWidget *a, const QWidget *b) {
        return rightToLeft ? a->geometry().right() > b->geometry().right() : a->geometry().left() < b->geometry().left();
    };
    for (auto line = children.begin(); line != children.end();) {
        const int bottom = (*line)->geometry().bottom();
        const auto end = std::find_if(line + 1, children.end(), [bottom](const QWidget *w) { return w->geometry().top() > bottom; });
        std::stable_sort(line, end, alongTheLine);
        line = end;
    }
    for (QWidget *child : children)
        collect(child, order);
}

bool canTakeFocus(const QWidget *widget)
{
    return widget->isVisible() && widget->isEnabled();
}

} // namespace

QList<QWidget *> focusOrder(const QList<QWidget *> &roots)
{
    QList<QWidget *> order;
    for (QWidget *root : roots)
        collect(root, order);
    return order;
}

QWidget *nextInFocusOrder(const QList<QWidget *> &roots, QWidget *from, bool forward)
{
    const QList<QWidget *> order = focusOrder(roots);
    const qsizetype at = order.indexOf(from);
    if (at < 0)
        return nullptr;
    const qsizetype n = order.size();
    for (qsizetype step = 1; step < n; ++step) {
        QWidget *candidate = order.at(((forward ? at + step : at - step) % n + n) % n);
        if (canTakeFocus(candidate))
            return candidate;
    }
    return nullptr;
}

} // namespace ui
