#pragma once

#include "http/headers.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

// When each phase of a delivery ended, in microseconds from its start; -1 for a
// phase it never reached (tlsUs also for plain HTTP). Reached phases are ordered:
// dns <= connect <= tls <= firstByte <= total.
struct DeliveryTimings
{
    qint64 dnsUs = -1;         // the host name resolved
    qint64 connectUs = -1;     // TCP connected
    qint64 tlsUs = -1;         // TLS handshake done
    qint64 firstByteUs = -1;   // the first byte of the answer arrived
    qint64 totalUs = -1;       // the whole answer arrived, or the failure

    bool isEmpty() const { return totalUs < 0; }
    friend bool operator==(const DeliveryTimings &, const DeliveryTimings &) = default;
};

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
    QByteArray requestHead;            // request line and header block exactly as written; empty when nothing was

    int status = 0;                // 0 when no response came
    QByteArray reason;
    http::HeaderList responseHeaders;
    QByteArray responseBody;
    QString error;                 // empty when a response came
    DeliveryTimings timings;

    bool succeeded() const { return error.isEmpty() && status >= 200 && status < 300; }
    friend bool operator==(const Delivery &, const Delivery &) = default;
};

// What a list of deliveries keeps of one: no bodies and no header lists, the
// sizes of the bodies instead. The whole delivery is read when it is shown.
struct DeliveryRow
{
    qint64 id = 0;
    qint64 hookId = 0;
    int attempt = 0;
    Delivery::Kind kind = Delivery::Kind::Compose;
    qint64 startedUs = 0;
    qint64 durationUs = 0;
    QByteArray method;
    QString url;
    int status = 0;
    QByteArray reason;
    QString error;
    DeliveryTimings timings;
    qint64 requestBodySize = 0;
    qint64 responseBodySize = 0;

    static DeliveryRow of(const Delivery &delivery)
    {
        return {delivery.id, delivery.hookId, delivery.attempt, delivery.kind, delivery.startedUs, delivery.durationUs,
                delivery.method, delivery.url, delivery.status, delivery.reason, delivery.error, delivery.timings,
                delivery.requestBody.size(), delivery.responseBody.size()};
    }
    friend bool operator==(const DeliveryRow &, const DeliveryRow &) = default;
};

QString deliveryKindName(Delivery::Kind kind);   // "compose", "replay", "forward"
bool deliveryKindFromName(QStringView name, Delivery::Kind *kind);

Q_DECLARE_METATYPE(Delivery)
Q_DECLARE_METATYPE(DeliveryRow)
