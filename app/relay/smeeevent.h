#pragma once

#include "capture/hook.h"

#include <QByteArrayView>
#include <QString>
#include <QUrl>

#include <optional>

namespace relay {

// A delivery as a smee server relays it: one JSON object with the request's
// headers as members (names in lower case, in the order the server read them)
// beside "body" (the parsed JSON body), "query" (the parsed query string) and
// "timestamp" (milliseconds since the epoch, when the relay received it).
//
// The hook built from it is a POST to the channel's path and query, from the
// relay's host, at the relay's time. Its body is the compact serialisation of
// "body" as JSON.stringify() writes it (member order and number text kept), the
// only form of the original that can be recovered; the headers keep the
// original Content-Length. Verdicts are left to the caller. nullopt, with
// *error, for data that is not such an object.
std::optional<Hook> hookFromSmee(QByteArrayView data, const QUrl &channel, QString *error);

} // namespace relay
