#include "timingwaterfall.h"

#include "theme.h"

#include <QLocale>
#include <QPainter>

namespace ui {

namespace {

constexpr int RowGap = 2;
constexpr int ColumnGap = 8;
constexpr int SideMargin = 5;   // lines up with the message views below

QString milliseconds(qint64 us)
{
    return QLocale().toString(double(us) / 1e3, 'f', us < 10'000 ? 2 : 1) + TimingWaterfall::tr(" ms");
}

} // namespace

TimingWaterfall::TimingWaterfall(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setToolTip(tr("When each phase of the delivery ran, from its start"));
}

void TimingWaterfall::setTimings(const DeliveryTimings &timings)
{
    m_timings = timings;
    update();
}

void TimingWaterfall::clear()
{
    setTimings({});
}

QList<TimingWaterfall::Phase> TimingWaterfall::phases(const DeliveryTimings &t)
{
    // Each phase starts where the last one reached ended.
    QList<Phase> result;
    qint64 at = 0;
    const auto add = [&](const QString &name, qint64 end) {
        result.append({name, at, end});
        if (end >= 0)
            at = end;
    };
    add(tr("DNS"), t.dnsUs);
    add(tr("Connect"), t.connectUs);
    add(tr("TLS"), t.tlsUs);
    add(tr("Wait"), t.firstByteUs);
    add(tr("Receive"), t.firstByteUs >= 0 ? t.totalUs : -1);
    return result;
}

QSize TimingWaterfall::sizeHint() const
{
    const int row = fontMetrics().height() + RowGap;
    return {fontMetrics().horizontalAdvance(QLatin1Char('0')) * 48, row * 5 + RowGap};
}

QSize TimingWaterfall::minimumSizeHint() const
{
    return {fontMetrics().horizontalAdvance(QLatin1Char('0')) * 24, sizeHint().height()};
}

void TimingWaterfall::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QFontMetrics metrics = fontMetrics();
    const int row = metrics.height() + RowGap;
    const QList<Phase> rows = phases(m_timings);
    int nameWidth = 0;
    for (const Phase &phase : rows)
        nameWidth = qMax(nameWidth, metrics.horizontalAdvance(phase.name));
    const int valueWidth = metrics.horizontalAdvance(milliseconds(9'999'999));
    const int barLeft = SideMargin + nameWidth + ColumnGap;
    const int barWidth = qMax(10, width() - barLeft - ColumnGap - valueWidth - SideMargin);
    const qint64 span = qMax<qint64>(1, m_timings.totalUs);
    const QColor bar = toneColor(palette(), Tone::Info);
    const QColor track = blend(palette().color(QPalette::Base), palette().color(QPalette::Text), 0.08);
    const QColor dim = palette().color(QPalette::PlaceholderText);

    for (int i = 0; i < rows.size(); ++i) {
        const Phase &phase = rows.at(i);
        const int top = RowGap + i * row;
        const bool reached = phase.endUs >= 0 && !m_timings.isEmpty();
        painter.setPen(reached ? palette().color(QPalette::Text) : dim);
        painter.drawText(QRect(SideMargin, top, nameWidth, metrics.height()), Qt::AlignLeft | Qt::AlignVCenter, phase.name);
        const QRect lane(barLeft, top + metrics.height() / 4, barWidth, metrics.height() / 2);
        painter.fillRect(lane, track);
        // No DNS and connect phases with an answer: the connection was one kept alive.
        const bool keptAlive = i < 2 && !reached && m_timings.connectUs < 0 && m_timings.firstByteUs >= 0;
        QString value = keptAlive ? tr("reused") : QStringLiteral("—");
        if (reached) {
            const int x = lane.left() + int(double(phase.startUs) / double(span) * barWidth);
            const int w = qMax(1, int(double(phase.endUs - phase.startUs) / double(span) * barWidth));
            painter.fillRect(QRect(x, lane.top(), qMin(w, lane.right() - x + 1), lane.height()), bar);
            value = milliseconds(phase.endUs - phase.startUs);
        }
        painter.drawText(QRect(lane.right() + ColumnGap, top, valueWidth, metrics.height()), Qt::AlignRight | Qt::AlignVCenter, value);
    }
}

} // namespace ui
