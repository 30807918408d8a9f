#include "clicommon.h"
#include "commands.h"

#include "formats/jsonl.h"
#include "workspace/plural.h"
#include "workspace/signalwatcher.h"

#include <QDir>

namespace cli {

namespace {

// "204 No Content (3 ms)", "error: connection refused (1 ms)".
QString deliveryLine(const Delivery &delivery)
{
    QString line;
    if (delivery.status > 0)
        line += QString::number(delivery.status) + u' ' + QString::fromLatin1(delivery.reason);
    if (!delivery.error.isEmpty())
        line += (delivery.status > 0 ? QStringLiteral(", error: ") : QStringLiteral("error: ")) + delivery.error;
    return line + QStringLiteral(" (%1 ms)").arg(delivery.durationUs / 1000);
}

// Hooks that --fresh-id could not give a new id, and why.
void noteKeptIds(const workspace::ReplayOutcome &outcome)
{
    if (outcome.keptId.isEmpty())
        return;
    QStringList ids;
    for (qint64 id : outcome.keptId)
        ids.append(u'#' + QString::number(id));
    err(QStringLiteral("replay: --fresh-id: %1 went with the request as captured: %2").arg(ids.join(u", "), outcome.keptIdWhy.join(u"; ")));
}

} // namespace

int replayCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Send stored hooks again, as they were received, to a URL.\n"
                                                    "The hook's path and query are appended unless URL has a path of its own."));
    parser.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("The hooks to replay, in this order."), QStringLiteral("ID..."));
    parser.addOptions({
        dbOption(),
        {QStringLiteral("to"), QStringLiteral("The URL to send the hooks to."), QStringLiteral("URL")},
        {QStringLiteral("fresh-id"), QStringLiteral("Give each replay a new delivery id, as a new delivery would have, in the header its"
                                                    " provider's catalog names (GitHub: X-GitHub-Delivery; Codewars hooks carry none).")},
        {QStringLiteral("same-id"), QStringLiteral("Keep the delivery id the hook came with, as a sender's retry does (the default).")},
        {QStringLiteral("retry"), QStringLiteral("Send one hook as its sender would retry it, until an answer is 2xx: standard (Standard"
                                                 " Webhooks: 0, 5s, 5m, 30m, 2h, 5h, 10h, 10h), github (one attempt) or waits like 0,5s,5m."),
         QStringLiteral("SCHEDULE")},
        {QStringLiteral("speed"), QStringLiteral("With --retry: divide every wait by N (1000 runs a day's schedule in under two minutes)."),
         QStringLiteral("N")},
        {QStringLiteral("parallel"), QStringLiteral("Send up to N hooks at once (default 1: one after another, in order; at most 64)."),
         QStringLiteral("N")},
        trustCertOption(),
        {QStringLiteral("json"), QStringLiteral("Print each delivery as one JSON object per line: target, status, answer headers and body, timings, error.")},
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
    RetrySchedule schedule;
    const bool retrying = parser.isSet(QStringLiteral("retry"));
    if (retrying && !RetrySchedule::parse(parser.value(QStringLiteral("retry")), &schedule, &error)) {
        err(QStringLiteral("--retry: ") + error);
        return UsageError;
    }
    if (retrying && ids.size() != 1) {
        err(QStringLiteral("replay: --retry takes one hook, got %1").arg(ids.size()));
        return UsageError;
    }
    double speed = 1;
    if (parser.isSet(QStringLiteral("speed"))) {
        bool ok = false;
        speed = parser.value(QStringLiteral("speed")).toDouble(&ok);
        if (!ok || speed <= 0 || !retrying) {
            err(retrying ? QStringLiteral("--speed: expected a number above 0, got '%1'").arg(parser.value(QStringLiteral("speed")))
                         : QStringLiteral("--speed goes with --retry"));
            return UsageError;
        }
    }

    if (parser.isSet(QStringLiteral("parallel"))) {
        bool ok = false;
        options.parallel = parser.value(QStringLiteral("parallel")).toInt(&ok);
        if (!ok || options.parallel < 1 || options.parallel > 64 || retrying) {
            err(retrying ? QStringLiteral("--parallel does not go with --retry")
                         : QStringLiteral("--parallel: expected a number from 1 to 64, got '%1'").arg(parser.value(QStringLiteral("parallel"))));
            return UsageError;
        }
    }
    const bool json = parser.isSet(QStringLiteral("json"));
    const auto print = [json](const Delivery &delivery) {
        if (json)
            out(QByteArrayView(formats::deliveryToJsonLine(delivery)));
        else if (delivery.attempt > 0)
            out(QStringLiteral("#%1 attempt %2 -> %3\n").arg(delivery.hookId).arg(delivery.attempt).arg(deliveryLine(delivery)));
        else
            out(QStringLiteral("#%1 -> %2\n").arg(delivery.hookId).arg(deliveryLine(delivery)));
    };

    // The catalog names the providers' delivery id headers; nothing else of a replay
    // needs it, and reading it is most of the time a short replay takes.
    workspace::Workspace workspace(options.refreshDeliveryId ? userCatalog() : catalog::Catalog());
    if (!openWorkspace(workspace, parser, true))
        return Failure;
    if (!applyTrustCert(parser, target, [&](const QByteArray &pem) { workspace.trustCertificate(target, pem); }))
        return UsageError;
    if (retrying) {
        // One line per attempt, as it ends: a real schedule takes hours.
        QObject::connect(&workspace, &workspace::Workspace::attemptFinished, &workspace, print);
        SignalWatcher watcher;
        QObject::connect(&watcher, &SignalWatcher::terminationRequested, &workspace, [&workspace] { workspace.cancelRetries(); });
        const workspace::ReplayOutcome outcome = workspace::await(workspace.replayWithRetries(ids.constFirst(), target, schedule, speed, options));
        noteKeptIds(outcome);
        if (!outcome.missing.isEmpty()) {
            err(QStringLiteral("replay: ") + outcome.error);
            return Failure;
        }
        return outcome.succeeded() > 0 ? Success : Failure;
    }
    const workspace::ReplayOutcome outcome = workspace::await(workspace.replay(ids, target, options));
    noteKeptIds(outcome);
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
        print(delivery);
        unanswered = unanswered || delivery.status == 0;
    }
    if (outcome.deliveries.size() > 1 && !json) {
        const int failed = int(outcome.deliveries.size()) - outcome.succeeded();
        out(workspace::plural(QObject::tr("%n delivered", nullptr, outcome.succeeded()), outcome.succeeded()) + QStringLiteral(", ")
            + workspace::plural(QObject::tr("%n failed", nullptr, failed), failed) + u'\n');
    }
    return unanswered ? UsageError : outcome.succeeded() < outcome.deliveries.size() ? Failure : Success;
}

} // namespace cli
