#include "clicommon.h"
#include "commands.h"

#include "delivery/replay.h"
#include "delivery/sender.h"

#include <QFileInfo>
#include <QHash>

namespace cli {

int replayCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Send stored hooks again, as they were received, to a URL.\n"
                                                    "The hook's path and query are appended unless URL has a path of its own."));
    parser.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("The hooks to replay, in this order."), QStringLiteral("ID..."));
    parser.addOptions({
        dbOption(),
        {QStringLiteral("to"), QStringLiteral("The URL to send the hooks to."), QStringLiteral("URL")},
    });
    int exitCode = Success;
    if (!parse(parser, args, QStringLiteral("replay"), &exitCode))
        return exitCode;
    if (parser.positionalArguments().isEmpty()) {
        err(QStringLiteral("replay: name the hooks to replay by id (see 'hookscope list')"));
        return UsageError;
    }
    QList<qint64> ids;
    if (!parseIds(parser.positionalArguments(), &ids))
        return UsageError;
    if (!parser.isSet(QStringLiteral("to"))) {
        err(QStringLiteral("replay: --to URL is required"));
        return UsageError;
    }
    const QUrl target(parser.value(QStringLiteral("to")), QUrl::StrictMode);
    QString error;
    if (!isSendableUrl(target, &error)) {
        err(QStringLiteral("--to: ") + error);
        return UsageError;
    }

    const QString path = dbPath(parser);
    if (!QFileInfo::exists(path)) {
        err(QStringLiteral("no store at %1 (capture hooks with 'hookscope listen', or name one with --db)").arg(path));
        return Failure;
    }
    HookStore store;
    if (!openForWriting(store, path))
        return Failure;
    // Every id is checked before anything is sent.
    HookQuery query;
    query.ids = ids;
    const QList<Hook> found = store.hooks(query);
    if (found.isEmpty() && !store.errorString().isEmpty()) {
        err(store.errorString());
        return Failure;
    }
    QHash<qint64, Hook> byId;
    for (const Hook &hook : found)
        byId.insert(hook.id, hook);
    QList<Hook> hooks;
    QStringList missing;
    for (const qint64 id : std::as_const(ids)) {
        if (byId.contains(id))
            hooks.append(byId.value(id));
        else
            missing.append(u'#' + QString::number(id));
    }
    if (!missing.isEmpty()) {
        err(QStringLiteral("replay: no hook %1 in %2").arg(missing.join(u", "), path));
        return Failure;
    }

    Sender sender;
    bool unanswered = false, failed = false;
    for (const Hook &hook : std::as_const(hooks)) {
        Delivery delivery = sender.sendAndWait(replayDraft(hook, target), Delivery::Kind::Replay, hook.id);
        if (!store.addDelivery(&delivery))
            err(QStringLiteral("replay: #%1: %2").arg(hook.id).arg(store.errorString()));
        QString line = QStringLiteral("#%1 -> ").arg(hook.id);
        if (delivery.status > 0)
            line += QString::number(delivery.status) + u' ' + QString::fromLatin1(delivery.reason);
        if (!delivery.error.isEmpty())
            line += (delivery.status > 0 ? QStringLiteral(", error: ") : QStringLiteral("error: ")) + delivery.error;
        line += QStringLiteral(" (%1 ms)\n").arg(delivery.durationUs / 1000);
        out(line);
        unanswered = unanswered || delivery.status == 0;
        failed = failed || !delivery.succeeded();
    }
    return unanswered ? UsageError : failed ? Failure : Success;
}

} // namespace cli
