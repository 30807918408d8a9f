#pragma once

#include "catalog/inspection.h"
#include "catalog/jsonedit.h"
#include "catalog/objectid.h"
#include "catalog/schemaoutline.h"
#include "catalog/signature.h"
#include "http/headers.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace catalog {

// Another spelling of an action, and the revision of the provider's documentation it comes from.
struct Alias
{
    QString name;
    QString revision;   // a Revision::id of the provider, or empty
};

struct Action
{
    QString name;        // canonical spelling
    QString description;
    QString revision;    // the revision the canonical spelling comes from, or empty
    QList<Alias> aliases;
};

struct Event
{
    QString name;
    QString description;
    QList<Action> actions;   // empty when the event carries no action (GitHub's ping, push)

    bool hasActions() const { return !actions.isEmpty(); }
};

// A revision of a provider's documentation that names things differently.
struct Revision
{
    QString id;          // "original", "later"
    QString description;
};

struct Provider
{
    QString id;          // "codewars", "github"
    QString name;        // "Codewars"
    QString description;
    QByteArray eventHeader;  // the header naming the event: "X-Webhook-Event"; empty when eventMember names it
    QString eventMember;     // the body's top-level member naming the event ("type"), when no header does
    QByteArray recognisedBy; // the header whose presence marks a hook of this provider (eventHeader by default)
    QByteArray deliveryIdHeader;   // the header carrying each delivery's own id ("X-GitHub-Delivery"); empty: none
    QList<Revision> revisions;
    QList<Event> events;
};

// A request ready to send: headers in the order the provider sends them, and the body.
struct Composed
{
    http::HeaderList headers;
    QByteArray body;
};

// The event catalog: one provider per JSON file (resources/catalog/*.json). A Catalog
// is immutable once loaded and implicitly shared, so copies are cheap and a const
// Catalog may be used from several threads at once.
class Catalog
{
public:
    Catalog();

    // Every provider bundled with hookscope. Loaded once, then shared.
    static Catalog builtin();
    // Adds the provider described by a user's catalog file; it replaces a provider with
    // the same id. On failure *into is unchanged and *error names the file, the place (a
    // JSON pointer) and the problem. *warnings receives the schema keywords that are ignored.
    static bool loadFile(const QString &path, Catalog *into, QString *error, QStringList *warnings = nullptr);
    // As loadFile(), for JSON text; origin names it in errors.
    static bool loadData(QByteArrayView json, const QString &origin, Catalog *into, QString *error,
                         QStringList *warnings = nullptr);

    // What loading the catalog's files reported without refusing them (schema keywords
    // that are ignored, an action no template of which matches), each naming the file.
    QStringList warnings() const;
    bool isEmpty() const;
    QStringList providers() const;
    std::optional<Provider> provider(QStringView id) const;
    // The provider's events in catalog order; empty for an unknown provider. An event named
    // "*" stands for every event not listed: its schema checks them and composes them.
    QList<Event> events(QStringView provider) const;
    std::optional<Event> event(QStringView provider, QStringView event) const;
    // The canonical name of an action or of one of its aliases; nullopt when unknown.
    std::optional<QString> resolveAction(QStringView provider, QStringView event, QStringView action) const;
    // The alias of an action that this spelling is, with the revision it comes from;
    // nullopt for a canonical spelling or an unknown one.
    std::optional<Alias> alias(QStringView provider, QStringView event, QStringView spelling) const;
    // The field schema of an event/action as written in the catalog (merged with the
    // event's), indented JSON; empty when unknown. action may be an alias.
    QByteArray schemaJson(QStringView provider, QStringView event, QStringView action) const;
    // The same schema as rows a person reads (see schemaOutline()), with the
    // provider's shared definitions; example: a body to take example values from.
    QList<SchemaRow> schemaOutline(QStringView provider, QStringView event, QStringView action, QByteArrayView example) const;

    // A fresh request for an event from its template: new ids and numbers on every call.
    // action may be an alias (the body then carries that spelling) and is empty for events
    // without actions. The credential header is added only when secret is not empty.
    std::optional<Composed> compose(const QString &provider, const QString &event, const QString &action,
                                    const QByteArray &secret, QString *error) const;
    // The provider's headers for a given body: to use after the body was edited or replaced
    // (GitHub's signature covers the body). Fresh delivery id on every call.
    std::optional<http::HeaderList> headersFor(const QString &provider, const QString &event, QByteArrayView body,
                                               const QByteArray &secret, QString *error) const;

    // What the catalog recognises in a hook received at receivedUs (microseconds since the
    // epoch; -1: now). Cheap enough for every hook.
    Inspection inspect(const http::HeaderList &headers, QByteArrayView body, const QByteArray &secret,
                       qint64 receivedUs = -1) const;
    // The same for a body sent with a content coding: the credentials cover the bytes as
    // received, the event and its schema are read in the body as meant (decoded).
    Inspection inspect(const http::HeaderList &headers, QByteArrayView receivedBody, QByteArrayView meantBody,
                       const QByteArray &secret, qint64 receivedUs = -1) const;
    // The same without checking the credentials: sets provider, event, action and
    // problems of *inspection, and of its verdicts only marks the one the provider
    // does not use (Inspection::markUnusedCredentials()).
    void recognise(const http::HeaderList &headers, QByteArrayView body, Inspection *inspection,
                   qint64 receivedUs = -1) const;

    struct Data;

private:
    std::shared_ptr<const Data> d;
};

// The credential verdicts on their own (inspect() computes both for every hook).
// Codewars: X-Webhook-Secret carries the secret in clear.
Verdict secretVerdict(const http::HeaderList &headers, const QByteArray &secret);
// GitHub: X-Hub-Signature-256 carries sha256=<HMAC-SHA256 of the raw body>. Standard
// Webhooks (a request with webhook-id, webhook-timestamp or webhook-signature): see
// standardwebhooks.h; its timestamp is judged against receivedUs (-1: now).
Verdict signatureVerdict(const http::HeaderList &headers, QByteArrayView body, const QByteArray &secret,
                         qint64 receivedUs = -1);

} // namespace catalog
