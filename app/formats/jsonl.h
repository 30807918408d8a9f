#pragma once

#include "capture/delivery.h"
#include "capture/hook.h"

#include <QJsonObject>

// A hook as one JSON object: the members ARCHITECTURE.md names (id, received,
// peer, method, target, version, headers, body_b64, provider, event, action,
// secret, signature, problems, answer) and a few more after them.
namespace formats {

QJsonObject hookToJson(const Hook &hook);
// One line, compact, ending in '\n'.
QByteArray hookToJsonLine(const Hook &hook);
// A delivery as one JSON object: target, status and reason (null when no answer came),
// the answer's headers ([name, value] in order), its body as text when it is UTF-8
// ("body") or else base64 ("body_b64"), timings (microseconds from the start to the end
// of each phase, null for a phase not reached) and error (null on an answer).
QJsonObject deliveryToJson(const Delivery &delivery);
QByteArray deliveryToJsonLine(const Delivery &delivery);

// The reverse of hookToJson; false with *error naming the member that is missing or malformed.
bool hookFromJson(const QJsonObject &object, Hook *hook, QString *error);

// "2026-11-28T13:50:37.123456Z" from microseconds since the epoch, and back.
QString isoTimestamp(qint64 us);
bool parseIsoTimestamp(const QString &text, qint64 *us);

} // namespace formats
