#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace catalog {

// GitHub's X-Hub-Signature-256 value for a body: "sha256=" and the lowercase hex
// HMAC-SHA256 of the raw body bytes keyed by the secret.
QByteArray signatureFor(QByteArrayView body, const QByteArray &secret);
// GitHub's older X-Hub-Signature value, still sent beside X-Hub-Signature-256:
// "sha1=" and the lowercase hex HMAC-SHA1 of the raw body keyed by the secret.
QByteArray sha1SignatureFor(QByteArrayView body, const QByteArray &secret);

// Compares without an early exit, so the time taken does not reveal how many leading
// bytes of a guessed credential were right. The time depends on the length of
// `received` only.
bool constantTimeEquals(QByteArrayView received, QByteArrayView expected);

} // namespace catalog
