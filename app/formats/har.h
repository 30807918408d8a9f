#pragma once

#include "capture/hook.h"
#include "catalog/catalog.h"

#include <QJsonObject>
#include <QList>

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), the exchange format of
// browsers and HTTP tools. One entry per hook: request is what the sender sent,
// response is the answer hookscope gave.
//
// Choices where HAR has no place for a hook's data:
// - A body that is not valid UTF-8 is written as base64 with "encoding": "base64",
//   in response.content (as HAR 1.2 defines) and in request.postData too (HAR does
//   not define it there; HTTP Toolkit and others read it the same way).
// - Header names and values are bytes on the wire; they travel as Latin-1 strings so
//   that obs-text bytes survive the round trip.
// - "_hookscope" on each entry keeps what only hookscope knows: id, peer, received_us
//   (microseconds; startedDateTime has milliseconds only), target (exactly as
//   received; request.url is built from it), provider, event, action, secret,
//   signature, problems, chunked and trailers.
// - serverIPAddress, connection and pageref are left out: a hook does not record
//   the local address it came in on. time and timings are 0: the store keeps no
//   answer timing.
namespace formats {

QJsonObject hookToHarEntry(const Hook &hook);
// {"log": {"version": "1.2", "creator": ..., "pages": [], "entries": [...]}}
QJsonObject hooksToHarObject(const QList<Hook> &hooks);
// The whole document, indented, as written to a .har file.
QByteArray hooksToHar(const QList<Hook> &hooks);

// Reads one HAR entry: hookscope's own (everything restored from "_hookscope") or
// another tool's, where what is missing is derived: received from startedDateTime,
// peer 0.0.0.0:0, target from request.url, a Host header from the URL when the
// headers have none (HTTP/2 pseudo-headers are dropped), the inspection computed
// again with `catalog` (no secret), the answer from response. The hook's id is 0.
bool hookFromHarEntry(const QJsonObject &entry, const catalog::Catalog &catalog, Hook *hook, QString *error);
// Reads a HAR document. False with *error naming the problem (not JSON, not HAR, or
// which entry is malformed and why); *hooks is then unchanged.
bool hooksFromHar(const QByteArray &data, const catalog::Catalog &catalog, QList<Hook> *hooks, QString *error);

// "http://" + Host header (or the peer when there is none) + target; an absolute-form
// target is returned as it is.
QString hookUrl(const Hook &hook);

} // namespace formats
