#include "clicommon.h"
#include "commands.h"

#include "catalog/catalog.h"
#include "delivery/draft.h"
#include "delivery/sender.h"
#include "formats/jsonl.h"

#include <QFile>

#include <cstdio>

namespace cli {

namespace {

QString actionList(const catalog::Event &event)
{
    QStringList names;
    for (const catalog::Action &action : event.actions) {
        QString name = action.name;
        for (const catalog::Alias &alias : action.aliases)
            name += u" (or " + alias.name + u')';
        names.append(name);
    }
    return names.join(u", ");
}

QString eventList(const catalog::Provider &provider)
{
    QStringList names;
    for (const catalog::Event &event : provider.events)
        names.append(event.name == u"*" ? QStringLiteral("any other") : event.name);
    return names.join(u", ");
}

bool readData(const QString &source, QByteArray *body)
{
    QFile file;
    const bool opened = source == u"-" ? file.open(stdin, QIODevice::ReadOnly) : (file.setFileName(source), file.open(QIODevice::ReadOnly));
    if (!opened) {
        err(QStringLiteral("send: cannot read --data file '%1': %2").arg(source, file.errorString()));
        return false;
    }
    *body = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        err(QStringLiteral("send: cannot read --data file '%1': %2").arg(source, file.errorString()));
        return false;
    }
    return true;
}

bool parseHeaderOption(const QString &text, http::HeaderField *field)
{
    const QByteArray bytes = text.toUtf8();
    const qsizetype colon = bytes.indexOf(':');
    if (colon <= 0 || !http::isToken(bytes.left(colon))) {
        err(QStringLiteral("-H '%1': expected 'Name: value' with a header name made of letters, digits and !#$%&'*+-.^_`|~").arg(text));
        return false;
    }
    field->name = bytes.left(colon);
    // Optional whitespace around the value is not part of it (RFC 9110 section 5.5).
    QByteArray value = bytes.mid(colon + 1);
    while (!value.isEmpty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove(0, 1);
    while (!value.isEmpty() && (value.back() == ' ' || value.back() == '\t'))
        value.chop(1);
    field->value = value;
    return true;
}

} // namespace

int sendCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Compose an event from the catalog and send it to a URL."));
    parser.addPositionalArgument(QStringLiteral("EVENT"), QStringLiteral("The event; the events command lists them."));
    parser.addPositionalArgument(QStringLiteral("ACTION"), QStringLiteral("The action, for events that have actions."), QStringLiteral("[ACTION]"));
    parser.addOptions({
        {QStringLiteral("provider"), QStringLiteral("The sender whose scheme to follow: codewars (the default), github, standard-webhooks or a provider of your catalogs (hookscope events)."), QStringLiteral("P")},
        {QStringLiteral("to"), QStringLiteral("The URL to send to (default: the running listener of the store, see --db)."), QStringLiteral("URL")},
        dbOption(),
        catalogOption(),
        {QStringLiteral("secret"), QStringLiteral("The shared secret: X-Webhook-Secret (Codewars), the key of X-Hub-Signature-256 and X-Hub-Signature (GitHub), or whsec_ and the key in base64 (Standard Webhooks)."), QStringLiteral("S")},
        {QStringLiteral("data"), QStringLiteral("Send the bytes of FILE (- for stdin) as the body instead of the template."), QStringLiteral("FILE|-")},
        {QStringLiteral("set"), QStringLiteral("Set a member of the JSON body, e.g. user.rank=-3 or language=python (repeatable)."), QStringLiteral("PATH=VALUE")},
        {QStringList{QStringLiteral("H"), QStringLiteral("header")}, QStringLiteral("Add a header, or replace the one of that name (repeatable)."), QStringLiteral("Name: value")},
        trustCertOption(),
        {QStringLiteral("json"), QStringLiteral("Print the delivery as one JSON object: target, status, answer headers and body, timings, error.")},
    });
    int exitCode = Success;
    if (!parse(parser, args, QStringLiteral("send"), &exitCode))
        return exitCode;
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty() || positional.size() > 2) {
        err(positional.isEmpty() ? QStringLiteral("send: name the event to send (see 'hookscope events')")
                                 : QStringLiteral("send: unexpected argument '%1'").arg(positional.at(2)));
        return UsageError;
    }

    catalog::LoadedCatalog catalogs;
    if (!loadCatalogs(parser, &catalogs))
        return UsageError;
    const catalog::Catalog catalog = catalogs.catalog;
    const QString providerId = parser.isSet(QStringLiteral("provider")) ? parser.value(QStringLiteral("provider")) : QStringLiteral("codewars");
    const std::optional<catalog::Provider> provider = catalog.provider(providerId);
    if (!provider) {
        err(QStringLiteral("send: unknown provider '%1' (known: %2)").arg(providerId, catalog.providers().join(u", ")));
        return UsageError;
    }
    const QString eventName = positional.at(0);
    const QString actionName = positional.value(1);
    std::optional<catalog::Event> event = catalog.event(providerId, eventName);
    if (!event && eventName != u"*")
        event = catalog.event(providerId, u"*");   // a provider that takes any event (Standard Webhooks)
    if (!event) {
        err(QStringLiteral("send: unknown %1 event '%2' (known: %3)").arg(providerId, eventName, eventList(*provider)));
        return UsageError;
    }
    if (event->hasActions() && actionName.isEmpty()) {
        err(QStringLiteral("send: event '%1' needs an action: %2").arg(eventName, actionList(*event)));
        return UsageError;
    }
    if (!event->hasActions() && !actionName.isEmpty()) {
        err(QStringLiteral("send: event '%1' takes no action, got '%2'").arg(eventName, actionName));
        return UsageError;
    }
    if (event->hasActions() && !catalog.resolveAction(providerId, eventName, actionName)) {
        err(QStringLiteral("send: unknown action '%1' of event '%2' (known: %3)").arg(actionName, eventName, actionList(*event)));
        return UsageError;
    }

    if (parser.isSet(QStringLiteral("to")) && parser.isSet(QStringLiteral("db"))) {
        err(QStringLiteral("send: --to and --db exclude each other (--db sends to the listener of that store)"));
        return UsageError;
    }
    QUrl target;
    QString error;
    if (parser.isSet(QStringLiteral("to"))) {
        target = QUrl(parser.value(QStringLiteral("to")), QUrl::StrictMode);
        if (!isSendableUrl(target, &error)) {
            err(QStringLiteral("--to: ") + error);
            return UsageError;
        }
    } else {
        target = workspace::Workspace::runningListener(dbPath(parser), &error);
        if (target.isEmpty()) {
            err(QStringLiteral("send: %1; start one (hookscope, or hookscope listen), or say where to send with --to URL").arg(error));
            return UsageError;
        }
    }

    const QByteArray secret = parser.value(QStringLiteral("secret")).toUtf8();
    const std::optional<catalog::Composed> composed = catalog.compose(providerId, eventName, actionName, secret, &error);
    if (!composed) {
        err(QStringLiteral("send: ") + error);
        return UsageError;
    }
    Draft draft = draftFromComposed(*composed, target);

    const bool replaced = parser.isSet(QStringLiteral("data"));
    if (replaced && !readData(parser.value(QStringLiteral("data")), &draft.body))
        return UsageError;
    const QStringList assignments = parser.values(QStringLiteral("set"));
    for (const QString &assignment : assignments) {
        if (!catalog::applySet(&draft.body, assignment, &error)) {
            err(QStringLiteral("--set %1: %2").arg(assignment, error));
            return UsageError;
        }
    }
    if (replaced || !assignments.isEmpty()) {
        // The credential (GitHub's signature) must cover the body that is sent.
        const std::optional<http::HeaderList> headers = catalog.headersFor(providerId, eventName, draft.body, secret, &error);
        if (!headers) {
            err(QStringLiteral("send: ") + error);
            return UsageError;
        }
        draft.headers = *headers;
    }
    const QStringList headerOptions = parser.values(QStringLiteral("H"));
    for (const QString &text : headerOptions) {
        http::HeaderField field;
        if (!parseHeaderOption(text, &field))
            return UsageError;
        draft.setHeader(field.name, field.value);
    }
    if (!draft.validate(&error)) {
        err(QStringLiteral("send: ") + error);
        return UsageError;
    }

    Sender sender;
    if (!applyTrustCert(parser, draft.url, [&](const QByteArray &pem) {
            sender.setTrustedCertificate(draft.url.host(), draft.url.port(443), pem);
        }))
        return UsageError;
    const Delivery delivery = sender.sendAndWait(draft);
    if (parser.isSet(QStringLiteral("json"))) {
        out(QByteArrayView(formats::deliveryToJsonLine(delivery)));
        return delivery.status == 0 ? UsageError : delivery.succeeded() ? Success : Failure;
    }
    if (delivery.status == 0) {
        err(QStringLiteral("send: %1: %2").arg(delivery.url, delivery.error));
        return UsageError;
    }
    QByteArray text = "HTTP/1.1 " + QByteArray::number(delivery.status);
    if (!delivery.reason.isEmpty())
        text += ' ' + delivery.reason;
    text += '\n' + delivery.responseBody;
    if (!delivery.responseBody.isEmpty() && !delivery.responseBody.endsWith('\n'))
        text += '\n';
    out(QByteArrayView(text));
    if (!delivery.error.isEmpty()) {
        err(QStringLiteral("send: %1: %2").arg(delivery.url, delivery.error));
        return Failure;
    }
    return delivery.succeeded() ? Success : Failure;
}

} // namespace cli
