#include "theme.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>

namespace ui {

namespace {

struct Original
{
    QString style;
    QPalette palette;
};

// The look the platform gave the application, before any theme was applied.
const Original &original()
{
    static const Original look{QApplication::style() ? QApplication::style()->name() : QString(), QApplication::palette()};
    return look;
}

int hueOf(Tone tone)
{
    switch (tone) {
    case Tone::Good: return 135;
    case Tone::Bad: return 2;
    case Tone::Warning: return 36;
    case Tone::Info: return 212;
    }
    return 0;
}

} // namespace

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QColor hueColor(const QPalette &palette, int hue)
{
    // Same hue on every theme; lightness chosen against the background so that
    // the text keeps its contrast on light and dark palettes alike.
    return isDark(palette) ? QColor::fromHsl(hue, 170, 168) : QColor::fromHsl(hue, 215, 82);
}

QColor toneColor(const QPalette &palette, Tone tone)
{
    return hueColor(palette, hueOf(tone));
}

QColor toneBackground(const QPalette &palette, Tone tone)
{
    return blend(palette.color(QPalette::Base), toneColor(palette, tone), isDark(palette) ? 0.22 : 0.14);
}

QColor blend(const QColor &from, const QColor &to, qreal amount)
{
    const QColor a = from.toRgb();
    const QColor b = to.toRgb();
    const auto mix = [amount](float x, float y) { return x + (y - x) * float(amount); };
    return QColor::fromRgbF(mix(a.redF(), b.redF()), mix(a.greenF(), b.greenF()), mix(a.blueF(), b.blueF()));
}

QPalette lightPalette()
{
    std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
    return fusion ? fusion->standardPalette() : QPalette(QColor(0xef, 0xef, 0xef));
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2c, 0x30);
    const QColor base(0x1f, 0x20, 0x23);
    const QColor text(0xe4, 0xe5, 0xe8);
    const QColor disabled(0x7c, 0x7e, 0x84);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x27, 0x28, 0x2c));
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x8c, 0x8e, 0x94));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x34, 0x35, 0x3a));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x48, 0x4a, 0x50));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3b, 0x40));
    p.setColor(QPalette::Mid, QColor(0x26, 0x27, 0x2a));
    p.setColor(QPalette::Dark, QColor(0x19, 0x1a, 0x1c));
    p.setColor(QPalette::Shadow, QColor(0x0e, 0x0e, 0x10));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6c, 0xc9));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x74, 0xaa, 0xf6));
    p.setColor(QPalette::LinkVisited, QColor(0xb3, 0x8c, 0xf0));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x44, 0x46, 0x4c));
    p.setColor(QPalette::Disabled, QPalette::Base, window);
    return p;
}

void applyTheme(Theme theme)
{
    const Original &platform = original();
    switch (theme) {
    case Theme::System:
        if (!platform.style.isEmpty() && QApplication::style()->name() != platform.style)
            QApplication::setStyle(platform.style);
        QApplication::setPalette(platform.palette);
        break;
    case Theme::Light:
    case Theme::Dark:
        if (QApplication::style()->name().compare(u"fusion", Qt::CaseInsensitive) != 0)
            QApplication::setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(theme == Theme::Dark ? darkPalette() : lightPalette());
        break;
    }
}

} // namespace ui
