#include "retryschedule.h"

#include <QStringList>

#include <limits>

bool RetrySchedule::parse(const QString &text, RetrySchedule *schedule, QString *error)
{
    constexpr qint64 Second = 1000, Minute = 60 * Second, Hour = 60 * Minute;
    if (text == u"standard") {
        schedule->waitsMs = {0, 5 * Second, 5 * Minute, 30 * Minute, 2 * Hour, 5 * Hour, 10 * Hour, 10 * Hour};
        return true;
    }
    if (text == u"github") {
        schedule->waitsMs = {0};
        return true;
    }
    QList<qint64> waits;
    for (const QString &part : text.split(u',')) {
        const QString wait = part.trimmed();
        if (wait == u"0") {
            waits.append(0);
            continue;
        }
        static constexpr struct
        {
            char16_t unit;
            qint64 ms;
        } units[] = {{u's', Second}, {u'm', Minute}, {u'h', Hour}, {u'd', 24 * Hour}};
        bool ok = false;
        const qint64 count = wait.size() > 1 ? QStringView(wait).chopped(1).toLongLong(&ok) : 0;
        const auto unit = std::find_if(std::begin(units), std::end(units), [&wait](const auto &u) { return !wait.isEmpty() && wait.back() == u.unit; });
        if (!ok || count < 0 || unit == std::end(units) || count > std::numeric_limits<qint64>::max() / unit->ms) {
            *error = QStringLiteral("'%1' is not a wait like 0, 5s, 5m, 2h or 1d (or say standard or github)").arg(wait);
            return false;
        }
        waits.append(count * unit->ms);
    }
    if (waits.size() > 100) {
        *error = QStringLiteral("%1 attempts is more than any sender makes (at most 100)").arg(waits.size());
        return false;
    }
    schedule->waitsMs = waits;
    return true;
}
