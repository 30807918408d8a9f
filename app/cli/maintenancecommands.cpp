#include "clicommon.h"
#include "commands.h"

#include "workspace/plural.h"

#include <QDir>

// The commands that change what the store holds, beside capturing: the same
// operations the window's Delete, Clear All, retention and Re-check run.
namespace cli {

namespace {

QString storeName(const workspace::Workspace &workspace)
{
    return QDir::toNativeSeparators(workspace.storePath());
}

int finish(const QString &command, const workspace::Outcome &outcome, const QString &done)
{
    if (!outcome.ok()) {
        err(command + u": " + outcome.error);
        return Failure;
    }
    out(done);
    return Success;
}

} // namespace

int deleteCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Delete stored hooks and their deliveries."));
    parser.addOption(dbOption());
    parser.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("The hooks to delete."), QStringLiteral("ID..."));
    int exitCode = Success;
    if (!parse(parser, args, QStringLiteral("delete"), &exitCode))
        return exitCode;
    QList<qint64> ids;
    if (parser.positionalArguments().isEmpty()) {
        err(QStringLiteral("delete: name the hooks to delete by id (see 'hookscope list')"));
        return UsageError;
    }
    if (!parseIds(parser.positionalArguments(), &ids))
        return UsageError;
    workspace::Workspace workspace(userCatalog());
    if (!openWorkspace(workspace, parser, true))
        return Failure;
    // Every id is checked first: nothing is deleted when one is not there.
    HookQuery query;
    query.ids = ids;
    const workspace::Fetched<QList<HookRow>> found = workspace::await(workspace.rows(query));
    if (!found.ok()) {
        err(QStringLiteral("delete: ") + found.error);
        return Failure;
    }
    QStringList missing;
    for (qint64 id : std::as_const(ids)) {
        if (std::none_of(found.value.cbegin(), found.value.cend(), [id](const HookRow &row) { return row.id == id; }))
            missing.append(u'#' + QString::number(id));
    }
    if (!missing.isEmpty()) {
        err(QStringLiteral("delete: no hook %1 in %2").arg(missing.join(u", "), storeName(workspace)));
        return Failure;
    }
    const workspace::Outcome outcome = workspace::await(workspace.deleteHooks(ids));
    return finish(QStringLiteral("delete"), outcome,
                  workspace::plural(QObject::tr("deleted %n hook(s) from %1\n", nullptr, int(outcome.count)), int(outcome.count)).arg(storeName(workspace)));
}

int clearCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Delete every hook and delivery from the store."));
    parser.addOptions({
        dbOption(),
        {QStringLiteral("yes"), QStringLiteral("Really delete everything (required).")},
    });
    int exitCode = Success;
    if (!parse(parser, args, QStringLiteral("clear"), &exitCode))
        return exitCode;
    if (!parser.positionalArguments().isEmpty()) {
        err(QStringLiteral("clear: unexpected argument '%1'").arg(parser.positionalArguments().constFirst()));
        return UsageError;
    }
    if (!parser.isSet(QStringLiteral("yes"))) {
        err(QStringLiteral("clear: this deletes every hook of %1; say --yes to go ahead").arg(QDir::toNativeSeparators(dbPath(parser))));
        return UsageError;
    }
    workspace::Workspace workspace(userCatalog());
    if (!openWorkspace(workspace, parser, true))
        return Failure;
    const workspace::Outcome outcome = workspace::await(workspace.clear());
    return finish(QStringLiteral("clear"), outcome,
                  workspace::plural(QObject::tr("deleted %n hook(s) from %1\n", nullptr, int(outcome.count)), int(outcome.count)).arg(storeName(workspace)));
}

int pruneCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Delete old hooks: those received longer ago than a duration, or all but the newest N."));
    parser.addOptions({
        dbOption(),
        {QStringLiteral("older-than"), QStringLiteral("Delete hooks received longer ago than this (30m, 12h, 7d, 2w)."),
         QStringLiteral("DURATION")},
        {QStringLiteral("keep"), QStringLiteral("Keep the newest N hooks, delete the others."), QStringLiteral("N")},
    });
    int exitCode = Success;
    if (!parse(parser, args, QStringLiteral("prune"), &exitCode))
        return exitCode;
    if (!parser.positionalArguments().isEmpty()) {
        err(QStringLiteral("prune: unexpected argument '%1'").arg(parser.positionalArguments().constFirst()));
        return UsageError;
    }
    const bool byAge = parser.isSet(QStringLiteral("older-than"));
    const bool byCount = parser.isSet(QStringLiteral("keep"));
    if (byAge == byCount) {
        err(QStringLiteral("prune: give either --older-than DURATION or --keep N"));
        return UsageError;
    }
    qint64 keep = 0, olderThanUs = 0;
    if (byAge) {
        qint64 age = 0;
        if (!parseDuration(parser.value(QStringLiteral("older-than")), &age)) {
            err(QStringLiteral("--older-than: '%1' is not a duration like 30m, 12h, 7d or 2w").arg(parser.value(QStringLiteral("older-than"))));
            return UsageError;
        }
        olderThanUs = QDateTime::currentMSecsSinceEpoch() * 1000 - age;
    }
    if (byCount && !intOption(parser, QStringLiteral("keep"), 1, std::numeric_limits<qint64>::max(), &keep))
        return UsageError;
    workspace::Workspace workspace(userCatalog());
    if (!openWorkspace(workspace, parser, true))
        return Failure;
    const workspace::Outcome outcome = workspace::await(workspace.prune(keep, olderThanUs));
    return finish(QStringLiteral("prune"), outcome,
                  workspace::plural(QObject::tr("deleted %n hook(s) from %1\n", nullptr, int(outcome.count)), int(outcome.count)).arg(storeName(workspace)));
}

int recheckCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Inspect stored hooks again with the catalog and a secret, and store the new"
                                                    " event, action, verdicts and problems."));
    parser.addOptions({
        dbOption(),
        catalogOption(),
        {QStringLiteral("secret"), QStringLiteral("The shared secret to check the hooks' credentials against (none: not configured)."),
         QStringLiteral("S")},
        {QStringLiteral("all"), QStringLiteral("Every hook of the store.")},
    });
    parser.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("The hooks to check again."), QStringLiteral("ID... | --all"));
    int exitCode = Success;
    if (!parse(parser, args, QStringLiteral("recheck"), &exitCode))
        return exitCode;
    const bool all = parser.isSet(QStringLiteral("all"));
    if (all == !parser.positionalArguments().isEmpty()) {
        err(QStringLiteral("recheck: name the hooks by id, or say --all"));
        return UsageError;
    }
    QList<qint64> ids;
    if (!parseIds(parser.positionalArguments(), &ids))
        return UsageError;
    catalog::LoadedCatalog catalogs;
    if (!loadCatalogs(parser, &catalogs))
        return UsageError;
    workspace::Workspace workspace(catalogs.catalog);
    if (!openWorkspace(workspace, parser, true))
        return Failure;
    const workspace::Outcome outcome = workspace::await(workspace.recheck(ids, parser.value(QStringLiteral("secret")).toUtf8()));
    return finish(QStringLiteral("recheck"), outcome,
                  workspace::plural(QObject::tr("verdicts or problems changed for %n hook(s)\n", nullptr, int(outcome.count)), int(outcome.count)));
}

} // namespace cli
