#pragma once

#include "capture/hookquery.h"

#include <QString>
#include <QStringView>

namespace workspace {

class Workspace;

// "30s", "15m", "12h", "7d", "2w" as microseconds; false when it is none of them.
bool parseDuration(QStringView text, qint64 *us);
// An ISO 8601 time ("2026-12-03T10:00:00Z", "2026-12-03") or a duration ago
// ("2h": two hours before now), as microseconds since the epoch.
bool parseTime(QStringView text, qint64 *us);

// The filter field's words as a query, so that the window's filter can say all
// that `hookscope list` can: "provider:github event:issues action:opened
// status:401 verdict:invalid has:problems has:refused refused:no since:2h
// until:2026-12-01" beside free
// text (every other word, joined by single spaces), which finds header lines
// too ("X-Webhook-Secret: wrong"). Either spelling of an action finds it.
// False, with *error naming the word, for a known key with a value it cannot take.
bool parseQueryText(const QString &text, const Workspace &workspace, HookQuery *query, QString *error);

} // namespace workspace
