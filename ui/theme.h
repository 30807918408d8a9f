#pragma once

#include "workspace/settings.h"

#include <QColor>
#include <QPalette>

namespace ui {

using workspace::Settings;
using workspace::Theme;
using workspace::themeFromName;
using workspace::themeName;

// What a coloured cell or message means; the colour itself comes from the palette.
enum class Tone { Good, Bad, Warning, Info };

// Applies a theme to the running QApplication: the platform's own look for
// System, Fusion with a light or dark palette otherwise.
void applyTheme(Theme theme);
QPalette lightPalette();
QPalette darkPalette();

bool isDark(const QPalette &palette);
// A text colour of that hue (0-359) with enough contrast on the palette's Base.
QColor hueColor(const QPalette &palette, int hue);
// A text colour for the tone that reads well on palette's Base and Window.
QColor toneColor(const QPalette &palette, Tone tone);
// A faint background for the tone (a banner, a cell), a tint of Base.
QColor toneBackground(const QPalette &palette, Tone tone);
QColor blend(const QColor &from, const QColor &to, qreal amount);

} // namespace ui
