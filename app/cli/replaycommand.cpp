#include "clicommon.h"
#include "commands.h"

#include "workspace/plural.h"

#include <QDir>

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
        {QStringLiteral("fresh-id"), QStringLiteral("Give each replay a new delivery id (X-GitHub-Delivery), as a new delivery would have.")},
        {QStringLiteral("same-id"), QStringLiteral("Keep the delivery id the hook came with, as a sender's retry does (the default).")},
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
    if (parser.isSet(QStringLiteral("fresh-id")) && parser.isSet(QStringLiteral("same-id"))) {
        err(QStringLiteral("replay: --fresh-id and --same-id exclude each other"));
        return UsageError;
    }
    const QUrl target(parser.value(QStringLiteral("to")), QUrl::StrictMode);
    QString error;
    if (!isSendableUrl(target, &error)) {
        err(QStringLiteral("--to: ") + error);
        return UsageError;
    }
    ReplayOptions options;
    options.refreshDeliveryId = parser.isSet(QStringLiteral("fresh-id"));

    workspace::Workspace workspace(catalog::Catalog::builtin());
    if (!openWorkspace(workspace, parser, true))
        return Failure;
    const workspace::ReplayOutcome outcome = workspace::await(workspace.replay(ids, target, options));
    if (!outcome.error.isEmpty()) {
        err(QStringLiteral("replay: ") + outcome.error);
        return Failure;
    }
    if (!outcome.missing.isEmpty()) {
        QStringList missing;
        for (qint64 id : outcome.missing)
            missing.append(u'#' + QString::number(id));
        err(QStringLiteral("replay: no hook %1 in %2").arg(missing.join(u", "), QDir::toNativeSeparators(workspace.storePath())));
        return Failure;
    }
    bool unanswered = false;
    for (const Delivery &delivery : outcome.deliveries) {
        QString line = QStringLiteral("#%1 -> ").arg(delivery.hookId);
        if (delivery.status > 0)
            line += QString::number(delivery.status) + u' ' + QString::fromLatin1(delivery.reason);
        if (!delivery.error.isEmpty())
            line += (delivery.status > 0 ? QStringLiteral(", error: ") : QStringLiteral("error: ")) + delivery.error;
        line += QStringLiteral(" (%1 ms)\n").arg(delivery.durationUs / 1000);
        out(line);
        unanswered = unanswered || delivery.status == 0;
    }
    if (outcome.deliveries.size() > 1) {
        const int failed = int(outcome.deliveries.size()) - outcome.succeeded();
        out(workspace::plural(QObject::tr("%n delivered", nullptr, outcome.succeeded()), outcome.succeeded()) + QStringLiteral(", ")
            + workspace::plural(QObject::tr("%n failed", nullptr, failed), failed) + u'\n');
    }
    return unanswered ? UsageError : outcome.succeeded() < outcome.deliveries.size() ? Failure : Success;
}

} // namespace cli
