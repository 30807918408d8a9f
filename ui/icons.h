#pragma once

#include <QIcon>
#include <QPalette>

namespace ui {

// A toolbar icon from :/icons/<name>.svg, drawn in the palette's button text
// colour (the SVGs paint with currentColor), so it reads on light and dark themes.
QIcon themedIcon(const QString &name, const QPalette &palette);
// The application icon.
QIcon appIcon();

} // namespace ui
