#pragma once

#include <QList>
#include <QString>

// When a sender tries a delivery again after a failure: the wait before each
// attempt, the first one included (usually 0).
struct RetrySchedule
{
    QList<qint64> waitsMs;

    // "standard": the Standard Webhooks schedule (immediately, 5 s, 5 min, 30 min,
    // 2 h, 5 h, 10 h, 10 h); "github": one attempt, no retries (GitHub does not
    // retry on its own); or waits like "0,5s,5m,30m" (s, m, h, d; a bare 0 for
    // none). False, with *error naming the part, for anything else.
    static bool parse(const QString &text, RetrySchedule *schedule, QString *error);
};
