#pragma once

#include "catalog/inspection.h"
#include "http/headers.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

// The Standard Webhooks signature scheme (standardwebhooks.com): the sender puts a message
// id in webhook-id, the Unix time in seconds in webhook-timestamp, and in webhook-signature
// one or more "v1,<base64 HMAC-SHA256 of id.timestamp.body>" separated by spaces. The key
// is the secret "whsec_<base64>" decoded.
namespace catalog::standardwebhooks {

inline constexpr QByteArrayView IdHeader = "webhook-id";
inline constexpr QByteArrayView TimestampHeader = "webhook-timestamp";
inline constexpr QByteArrayView SignatureHeader = "webhook-signature";
// How far webhook-timestamp may be from the time a hook is received, either way.
inline constexpr qint64 DefaultToleranceSecs = 5 * 60;

// True when a request carries any of the three headers.
bool isUsedBy(const http::HeaderList &headers);

// The key bytes of a secret: the base64 after "whsec_" (the prefix may be left out);
// nullopt when the text is not base64 or decodes to nothing.
std::optional<QByteArray> keyOf(QByteArrayView secret);
// Why a secret is not a Standard Webhooks secret, or empty when it is one.
QString secretProblem(QByteArrayView secret);

// "v1," and the base64 HMAC-SHA256 of "id.timestamp.body" keyed by key (keyOf()).
QByteArray signature(const QByteArray &key, QByteArrayView id, QByteArrayView timestamp, QByteArrayView body);
// A fresh message id: "msg_" and 27 random letters and digits.
QByteArray newMessageId();

// The verdict on a request received at receivedSecs (Unix time, seconds): NotConfigured
// without a secret, Missing when a header is absent, Invalid when no signature matches
// (or the secret, the timestamp or every signature is malformed), OutsideTolerance when
// one matches but the timestamp is too far from receivedSecs.
Verdict verdict(const http::HeaderList &headers, QByteArrayView body, const QByteArray &secret, qint64 receivedSecs,
                qint64 toleranceSecs = DefaultToleranceSecs);

// What is wrong with webhook-timestamp for a request received at receivedSecs: not a
// number, or how far it is outside the tolerance. nullopt when it is fine or absent.
std::optional<QString> timestampProblem(const http::HeaderList &headers, qint64 receivedSecs,
                                        qint64 toleranceSecs = DefaultToleranceSecs);

// "4 min 10 s", "2 h 3 min", "12 s": a span of seconds for people.
QString spanText(qint64 seconds);

} // namespace catalog::standardwebhooks
