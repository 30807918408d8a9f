#pragma once

#include "answerrules.h"
#include "http/limits.h"

#include <QByteArray>
#include <QHostAddress>

// How the listener listens and answers. Plain data, copied across threads.
struct ListenerConfig
{
    QHostAddress bind = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0;                 // 0: any free port
    http::Limits limits;

    QByteArray secret;                // empty: secrets are not checked
    bool requireSecret = false;       // 401 to hooks whose credential is not valid (still stored)

    int status = 200;                 // the answer to a stored hook
    QByteArray body;                  // empty: {"id":N}
    int delayMs = 0;                  // wait this long after the commit before answering
    AnswerRules rules;                // the first that applies answers instead of the three above

    int headerTimeoutMs = 10'000;     // the request line and headers must arrive within this
    int bodyTimeoutMs = 10'000;       // the body must make progress within this
    int idleTimeoutMs = 60'000;       // an idle keep-alive connection is closed after this
    int maxConnections = 1024;

    // Requests the listener refuses are kept on record, as far as they were read,
    // but so that a hostile client cannot fill the disk: each peer address may
    // have refusalBurst of them recorded at once and one more every
    // refusalIntervalMs after, and a run of the listener records at most
    // maxRefusalRecords; the rest are only counted.
    int refusalBurst = 10;
    int refusalIntervalMs = 1000;
    int maxRefusalRecords = 1000;
};
