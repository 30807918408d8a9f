#include "clicommon.h"
#include "commands.h"

#include "workspace/plural.h"

#include <QDir>

namespace cli {

int importCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Add the requests of a HAR file (from hookscope, a browser or another HTTP tool) "
                                                    "to the store as imported hooks, with their own times and URLs and new ids."));
    parser.addOption(dbOption());
    parser.addOption(catalogOption());
    parser.addPositionalArgument(QStringLiteral("FILE.har"), QStringLiteral("The HAR file to import."));
    int exitCode = Success;
    if (!parse(parser, args, QStringLiteral("import"), &exitCode))
        return exitCode;
    const QStringList files = parser.positionalArguments();
    if (files.size() != 1) {
        err(files.isEmpty() ? QStringLiteral("import: no HAR file given (see 'hookscope import --help')")
                            : QStringLiteral("import: one HAR file at a time, got %1: %2").arg(files.size()).arg(files.join(u", ")));
        return UsageError;
    }
    catalog::LoadedCatalog catalogs;
    if (!loadCatalogs(parser, &catalogs))
        return UsageError;
    workspace::Workspace workspace(catalogs.catalog);
    if (!openWorkspace(workspace, parser, false))
        return Failure;
    const workspace::Outcome outcome = workspace::await(workspace.importHar(files.first()));
    if (!outcome.ok()) {
        err(QStringLiteral("import: ") + outcome.error);
        return Failure;
    }
    out(workspace::plural(QObject::tr("imported %n hook(s) into %1\n", nullptr, int(outcome.count)), int(outcome.count)).arg(QDir::toNativeSeparators(workspace.storePath())));
    return Success;
}

} // namespace cli
