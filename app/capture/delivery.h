#pragma once

#include "http/headers.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

// One request hookscope sent (a replay, a forward or a composed event) and what
// came back. Stored beside the hooks, linked to one when it was sent from it.
struct Delivery
{
    enum class Kind : quint8 { Compose, Replay, Forward };

    qint64 id = 0;
    qint64 hookId = 0;             // 0 when not sent from a captured hook
    int attempt = 0;               // its place in a retry schedule (1 for the first); 0 when not one
    Kind kind = Kind::Compose;
    qint64 startedUs = 0;          // microseconds since the Unix epoch, UTC
    qint64 durationUs = 0;         // until the whole response arrived, or the failure

    QByteArray method;
    QString url;
    http::HeaderList requestHeaders;   // as handed to the network stack
    QByteArray requestBody;

    int status = 0;                // 0 when no response came
    QByteArray reason;
    http::HeaderList responseHeaders;
    QByteArray responseBody;
    QString error;                 // empty when a response came

    bool succeeded() const { return error.isEmpty() && status >= 200 && status < 300; }
    friend bool operator==(const Delivery &, const Delivery &) = default;
};

QString deliveryKindName(Delivery::Kind kind);   // "compose", "replay", "forward"
bool deliveryKindFromName(QStringView name, Delivery::Kind *kind);

Q_DECLARE_METATYPE(Delivery)
