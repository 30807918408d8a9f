#pragma once

#include "catalog/inspection.h"
#include "http/headers.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

struct Hook;

// Which hooks a query selects: the one matcher behind the live table, the
// store's queries and `hookscope list`. Empty members select everything; every
// member that is set must hold.
struct HookQuery
{
    QList<qint64> ids;

    // Free text, in any case (ASCII letters): found in the request-target, in a
    // header line as it reads ("X-Webhook-Secret: wrong") or in the body (a form
    // body's fields also as they read decoded: "name=Ada Lovelace").
    QString search;
    // "Name" (a field of that name is present) or "Name: value" (one of them
    // contains value), the name and the value in any case.
    QString header;

    QString provider;
    QString event;
    QStringList actions;     // any of these (canonical) actions; see Workspace::resolveActions()
    int status = 0;          // the answer's status; 0: any
    bool problemsOnly = false;
    // true: only requests the listener refused; false: none of them; unset: both.
    std::optional<bool> refused;
    // The secret or the signature has this verdict.
    std::optional<catalog::Verdict> verdict;
    qint64 sinceUs = 0;      // received at or after (microseconds since the epoch; 0: no bound)
    qint64 untilUs = 0;      // received before (0: no bound)

    qint64 afterId = 0;      // only ids greater than this
    qint64 limit = -1;       // at most this many (-1: no limit)
    bool newestFirst = false;

    // What a row of the table holds is enough to decide these parts.
    struct Fields
    {
        QStringView provider;
        QStringView event;
        QStringView action;
        int status = 0;
        int problems = 0;
        catalog::Verdict secret = catalog::Verdict::NotConfigured;
        catalog::Verdict signature = catalog::Verdict::NotConfigured;
        qint64 receivedUs = 0;
        bool refused = false;
    };

    bool hasTextPart() const { return !search.isEmpty() || !header.isEmpty(); }
    bool isEmpty() const;

    bool matchesFields(const Fields &fields) const;
    // The text parts over the raw request; headerLines as HookStore stores them
    // ("Name: value\r\n" each).
    bool matchesText(QByteArrayView target, QByteArrayView headerLines, QByteArrayView body) const;
    // Everything but ids, afterId and limit.
    bool matches(const Hook &hook) const;

    // Splits "Name: value" (or "Name") as the header part takes it; false when
    // the name is not an HTTP token.
    static bool splitHeader(QStringView text, QByteArray *name, QByteArray *value);
};

// Whether needle occurs in haystack, ASCII letters compared in any case. needle
// must be lower-case already.
bool containsFolded(QByteArrayView haystack, QByteArrayView lowerNeedle);
