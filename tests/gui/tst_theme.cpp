#include "ui/arrivalrate.h"
#include "ui/hookdelegate.h"
#include "ui/icons.h"
#include "ui/theme.h"

#include "capture/hookcolumns.h"
#include "catalog/inspection.h"

#include <QApplication>
#include <QPainter>
#include <QStandardItemModel>
#include <QStyle>
#include <QTableView>
#include <QTest>

#include <cmath>

class tst_Theme : public QObject
{
    Q_OBJECT

private slots:
    void shouldKeepToneColoursReadable_data();
    void shouldKeepToneColoursReadable();
    void shouldSwitchBetweenLightAndDark();
    void shouldDrawIconsInThePaletteColour();
    void shouldColourVerdictCellsFromTheViewPalette();
    void shouldCountArrivalsOverTheWindow();
};

namespace {

double luminance(const QColor &c)
{
    const auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

void tst_Theme::shouldKeepToneColoursReadable_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<int>("tone");
    for (bool dark : {false, true}) {
        for (ui::Tone tone : {ui::Tone::Good, ui::Tone::Bad, ui::Tone::Warning, ui::Tone::Info})
            QTest::addRow("%s tone %d", dark ? "dark" : "light", int(tone)) << dark << int(tone);
    }
}

void tst_Theme::shouldKeepToneColoursReadable()
{
    QFETCH(bool, dark);
    QFETCH(int, tone);
    const QPalette palette = dark ? ui::darkPalette() : ui::lightPalette();
    QCOMPARE(ui::isDark(palette), dark);
    const QColor text = ui::toneColor(palette, ui::Tone(tone));
    // WCAG AA for normal text is 4.5; the table marks are bold enough for 3.
    QVERIFY2(contrast(text, palette.color(QPalette::Base)) >= 3.0, qPrintable(text.name()));
    const QColor background = ui::toneBackground(palette, ui::Tone(tone));
    QVERIFY2(contrast(palette.color(QPalette::Text), background) >= 4.5, qPrintable(background.name()));
}

void tst_Theme::shouldSwitchBetweenLightAndDark()
{
    ui::applyTheme(ui::Theme::Dark);
    QVERIFY(ui::isDark(QApplication::palette()));
    QCOMPARE(QApplication::style()->name().toLower(), QStringLiteral("fusion"));
    ui::applyTheme(ui::Theme::Light);
    QVERIFY(!ui::isDark(QApplication::palette()));
    ui::applyTheme(ui::Theme::System);
}

void tst_Theme::shouldDrawIconsInThePaletteColour()
{
    for (const QPalette &palette : {ui::lightPalette(), ui::darkPalette()}) {
        const QIcon icon = ui::themedIcon(QStringLiteral("replay"), palette);
        QVERIFY(!icon.isNull());
        const QImage image = icon.pixmap(32, 32).toImage();
        QVERIFY(!image.isNull());
        // The darkest or lightest opaque pixel is the palette's button text colour.
        QColor found;
        for (int y = 0; y < image.height() && !found.isValid(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                const QColor pixel = image.pixelColor(x, y);
                if (pixel.alpha() == 255) {
                    found = pixel;
                    break;
                }
            }
        }
        QVERIFY(found.isValid());
        QCOMPARE(found.rgb(), palette.color(QPalette::ButtonText).rgb());
    }
    QVERIFY(ui::themedIcon(QStringLiteral("no-such-icon"), ui::lightPalette()).isNull());
    QVERIFY(!ui::appIcon().isNull());
}

void tst_Theme::shouldColourVerdictCellsFromTheViewPalette()
{
    QStandardItemModel model(1, HookColumns::Count);
    auto *verdict = new QStandardItem(QStringLiteral("invalid"));
    verdict->setData(int(catalog::Verdict::Invalid), HookColumns::VerdictRole);
    model.setItem(0, HookColumns::Verdict, verdict);
    auto *status = new QStandardItem(QStringLiteral("200"));
    status->setData(200, HookColumns::RawRole);
    model.setItem(0, HookColumns::Status, status);

    QTableView view;
    view.setModel(&model);
    ui::HookDelegate delegate;
    for (const QPalette &palette : {ui::lightPalette(), ui::darkPalette()}) {
        view.setPalette(palette);
        QImage image(120, 30, QImage::Format_ARGB32);
        const auto toneOf = [&](int column) {
            return ui::toneColor(palette, column == HookColumns::Verdict ? ui::Tone::Bad : ui::Tone::Good);
        };
        const auto pixelsInTone = [&](int column) {
            image.fill(palette.color(QPalette::Base));
            QPainter painter(&image);
            QStyleOptionViewItem option;
            option.initFrom(&view);
            option.rect = image.rect();
            option.palette = palette;
            delegate.paint(&painter, option, model.index(0, column));
            painter.end();
            // The text, and the mark beside a verdict, are drawn in the tone colour.
            int exact = 0;
            for (int y = 0; y < image.height(); ++y) {
                for (int x = 0; x < image.width(); ++x)
                    exact += image.pixel(x, y) == toneOf(column).rgb();
            }
            return exact;
        };
        QVERIFY(pixelsInTone(HookColumns::Verdict) >= 4);
        QVERIFY(pixelsInTone(HookColumns::Status) >= 4);
    }
}

void tst_Theme::shouldCountArrivalsOverTheWindow()
{
    ui::ArrivalRate rate(5000);
    QCOMPARE(rate.perSecond(0), 0.0);
    rate.add(10, 1000);
    rate.add(5, 3000);
    QCOMPARE(rate.perSecond(3000), 3.0);
    // The first ten fall out of the window after five seconds.
    QCOMPARE(rate.perSecond(6200), 1.0);
    QCOMPARE(rate.perSecond(9000), 0.0);
}

QTEST_MAIN(tst_Theme)
#include "tst_theme.moc"
