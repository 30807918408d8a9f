#include "querytext.h"

#include "workspace.h"

#include <QDateTime>

#include <limits>

namespace workspace {

bool parseDuration(QStringView text, qint64 *us)
{
    static constexpr struct
    {
        char16_t unit;
        qint64 us;
    } units[] = {
        {u's', 1'000'000LL}, {u'm', 60'000'000LL}, {u'h', 3'600'000'000LL}, {u'd', 86'400'000'000LL}, {u'w', 604'800'000'000LL},
    };
    if (text.size() < 2)
        return false;
    bool ok = false;
    const qint64 count = text.chopped(1).toLongLong(&ok);
    if (!ok || count < 0)
        return false;
    for (const auto &unit : units) {
        if (text.back() == unit.unit && count <= std::numeric_limits<qint64>::max() / unit.us) {
            *us = count * unit.us;
            return true;
        }
    }
    return false;
}

bool parseTime(QStringView text, qint64 *us)
{
    qint64 ago = 0;
    if (parseDuration(text, &ago)) {
        *us = QDateTime::currentMSecsSinceEpoch() * 1000 - ago;
        return true;
    }
    QDateTime time = QDateTime::fromString(text.toString(), Qt::ISODateWithMs);
    if (!time.isValid()) {
        const QDate date = QDate::fromString(text.toString(), Qt::ISODate);
        if (date.isValid())
            time = date.startOfDay(Qt::UTC);
    }
    if (!time.isValid())
        return false;
    *us = time.toMSecsSinceEpoch() * 1000;
    return true;
}

bool parseQueryText(const QString &text, const Workspace &workspace, HookQuery *query, QString *error)
{
    QStringList free;
    const QList<QStringView> words = QStringView(text).split(u' ', Qt::SkipEmptyParts);
    for (const QStringView word : words) {
        const qsizetype colon = word.indexOf(u':');
        const QStringView key = colon > 0 ? word.first(colon) : QStringView();
        const QStringView value = colon > 0 ? word.sliced(colon + 1) : QStringView();
        const auto refuse = [&](const QString &why) {
            *error = QStringLiteral("%1: %2").arg(word.toString(), why);
            return false;
        };
        if (value.isEmpty()) {
            free.append(word.toString());
        } else if (key == u"provider") {
            query->provider = value.toString();
        } else if (key == u"event") {
            query->event = value.toString();
        } else if (key == u"action") {
            query->actions = workspace.resolveAction(value.toString());
        } else if (key == u"status") {
            bool ok = false;
            query->status = value.toInt(&ok);
            if (!ok || query->status < 100 || query->status > 599)
                return refuse(QStringLiteral("expected a status from 100 to 599"));
        } else if (key == u"verdict") {
            catalog::Verdict verdict;
            if (!catalog::verdictFromName(value, &verdict))
                return refuse(u"expected " + catalog::verdictNameList());
            query->verdict = verdict;
        } else if (key == u"has") {
            if (value == u"problems")
                query->problemsOnly = true;
            else if (value == u"refused")
                query->refused = true;
            else
                return refuse(QStringLiteral("expected has:problems or has:refused"));
        } else if (key == u"refused") {
            if (value != u"yes" && value != u"no")
                return refuse(QStringLiteral("expected refused:yes or refused:no"));
            query->refused = value == u"yes";
        } else if (key == u"since" || key == u"until") {
            if (!parseTime(value, key == u"since" ? &query->sinceUs : &query->untilUs))
                return refuse(QStringLiteral("expected an ISO 8601 time or a duration like 30m, 2h, 7d"));
        } else {
            free.append(word.toString());
        }
    }
    query->search = free.join(u' ');
    return true;
}

} // namespace workspace
