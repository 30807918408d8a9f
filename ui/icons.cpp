#include "icons.h"

#include <QBuffer>
#include <QFile>
#include <QImageReader>
#include <QPixmap>

namespace ui {

namespace {

QPixmap render(const QByteArray &svg, const QColor &color, int size)
{
    QByteArray coloured = svg;
    coloured.replace("currentColor", color.name(QColor::HexRgb).toLatin1());
    QBuffer buffer(&coloured);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer, "svg");
    reader.setScaledSize(QSize(size, size));
    return QPixmap::fromImage(reader.read());
}

} // namespace

QIcon themedIcon(const QString &name, const QPalette &palette)
{
    QFile file(u":/icons/" + name + u".svg");
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray svg = file.readAll();
    QIcon icon;
    const QColor normal = palette.color(QPalette::Active, QPalette::ButtonText);
    const QColor disabled = palette.color(QPalette::Disabled, QPalette::ButtonText);
    for (int size : {16, 20, 24, 32, 48, 64}) {
        const QPixmap pixmap = render(svg, normal, size);
        if (pixmap.isNull())
            return QIcon(u":/icons/" + name + u".svg");
        icon.addPixmap(pixmap, QIcon::Normal);
        icon.addPixmap(render(svg, disabled, size), QIcon::Disabled);
    }
    return icon;
}

QIcon appIcon()
{
    return QIcon(QStringLiteral(":/icons/hookscope.svg"));
}

} // namespace ui
