#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace catalog {

// The outcome of checking one credential of a hook against the configured secret.
enum class Verdict : quint8 {
    NotConfigured,  // no secret configured, nothing to check against
    Valid,
    Invalid,
    Missing,        // a secret is configured but the hook carries no credential
    NotUsed,        // the hook's provider has no such credential (GitHub sends no X-Webhook-Secret)
    Unverifiable,   // the body came through a relay that re-serialised it: a signature over the
                    // original bytes cannot be checked (it did not match the body as relayed)
    OutsideTolerance // the signature matches, but its timestamp is too far from the time received
                     // (Standard Webhooks): a replayed or badly delayed request
};
// The values are stored: new ones go last.

// "not-configured", "valid", "invalid", "missing", "not-used", "unverifiable", "outside-tolerance":
// the names used in JSON and on the CLI.
QString verdictName(Verdict verdict);
// The verdict for people: "not configured", "timestamp outside the tolerance", ...
QString verdictText(Verdict verdict);
// Every verdict, in the order of the enum.
QList<Verdict> allVerdicts();
// "valid, invalid, ... or outside-tolerance": every verdictName(), for help and error texts.
QString verdictNameList();
// The reverse of verdictName(); false when the text is none of them.
bool verdictFromName(QStringView name, Verdict *verdict);

// What hookscope recognised in a hook. Derived from the raw bytes only, so it can
// always be computed again from a stored hook.
struct Inspection
{
    QString provider;         // "codewars", "github", or empty when unknown
    QString event;            // empty when unknown
    QString action;           // empty when unknown or the event has none; canonical spelling
    QString sentAction;       // the body's spelling when it is another name of action (an alias), else empty
    Verdict secret = Verdict::NotConfigured;     // Codewars: X-Webhook-Secret in clear
    Verdict signature = Verdict::NotConfigured;  // GitHub: X-Hub-Signature-256, HMAC-SHA256 of the raw body;
                                                 // Standard Webhooks: webhook-signature
    QStringList problems;     // catalog check: missing member, wrong type, unknown action, not JSON, ...

    // The verdict that decides authenticity for this provider: the signature for
    // GitHub, the secret for Codewars, and for an unknown sender the better of both.
    Verdict authenticity() const { return authenticityOf(provider, secret, signature); }
    static Verdict authenticityOf(QStringView provider, Verdict secret, Verdict signature);
    // Sets the verdict of the credential this provider does not use to NotUsed
    // (GitHub signs the body and sends no secret; Codewars sends the secret itself).
    void markUnusedCredentials();
    // For a hook whose body a relay re-serialised (smee): a signature that does
    // not match the body as relayed may well match the original bytes, which are
    // gone, so it is Unverifiable rather than Invalid. A secret sent in clear in a
    // header is checked exactly all the same.
    void markRelayed();
    // Catalog::recognise() always finds an event or a problem: false until it ran.
    bool isRecognised() const { return !event.isEmpty() || !problems.isEmpty(); }
    friend bool operator==(const Inspection &, const Inspection &) = default;
};

} // namespace catalog
