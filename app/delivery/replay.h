#pragma once

#include "draft.h"

#include "capture/hook.h"

#include <QByteArray>
#include <QUrl>

struct ReplayOptions
{
    bool refreshDeliveryId = false;   // a new UUID in deliveryIdHeader, when the hook has that header (and a
                                      // new webhook-id, which is signed, when resignSecret is set)
    QByteArray deliveryIdHeader;      // the provider's delivery id header ("X-GitHub-Delivery"); empty: none
    QByteArray resignSecret;          // not empty: the credential headers are made valid for this secret
    int parallel = 1;                 // hooks in flight at once; 1 sends them one after another, in order
};

// A captured hook as a request to target: the same method, headers in their order
// and body bytes. The hook's path and query are appended to target unless target
// has a path of its own (other than "/"). Hop-by-hop headers (Host, Content-Length,
// Connection, Keep-Alive, Transfer-Encoding, TE, Trailer, Upgrade, Proxy-Connection
// and those the hook's Connection header names) are left out: the sender computes
// its own. Chunked trailers cannot be sent and are dropped.
Draft replayDraft(const Hook &hook, const QUrl &target, const ReplayOptions &options = {});

// The URL a hook with this request-target is replayed to (see replayDraft()).
// Both queries are kept when target and hook have one: target's first.
QUrl replayUrl(const QByteArray &requestTarget, const QUrl &target);

// Whether a field of the hook is hop-by-hop and so left out of a replay.
bool isHopByHop(QByteArrayView name, const http::HeaderList &hookHeaders);

// Makes the credential headers of a draft valid for secret over its current body:
// a Standard Webhooks draft (webhook-id, -timestamp or -signature) gets the time now and
// its signature (nothing changes when secret is not a whsec_ secret); otherwise X-Hub-Signature-256 (and the older X-Hub-Signature) are recomputed and
// X-Webhook-Secret is set to the secret, each where present. A draft with none of
// them gets the ones its provider uses: X-Webhook-Secret when it has X-Webhook-Event,
// X-Hub-Signature and X-Hub-Signature-256 otherwise.
void resignDraft(Draft *draft, const QByteArray &secret);
