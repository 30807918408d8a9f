#pragma once

#include <QList>

class QWidget;

namespace ui {

// The widgets under the roots that Tab can reach, in reading order: the roots in turn,
// a widget before its children, siblings top to bottom and then along the line (right
// to left where the layout is). Widgets in other windows (popups, dialogs) are not
// among them.
QList<QWidget *> focusOrder(const QList<QWidget *> &roots);

// The widget that Tab (forward) or Shift+Tab moves to from `from` in that order, skipping
// hidden and disabled ones and wrapping around; null when `from` is not in it.
QWidget *nextInFocusOrder(const QList<QWidget *> &roots, QWidget *from, bool forward);

} // namespace ui
