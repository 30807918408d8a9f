#include "clicommon.h"
#include "commands.h"

#include "formats/diff.h"

#include <QJsonDocument>

namespace cli {

int diffCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Compare two stored hooks: request line, headers (added, removed, changed, moved), the body (by JSON path when both\n"
        "are JSON, by lines when both are text, else where the bytes first differ), verdicts and problems.\n"
        "Exit status: 0 when they are the same, 1 when they differ, 2 on a usage error."));
    parser.addOptions({
        dbOption(),
        catalogOption(),
        {QStringLiteral("json"), QStringLiteral("Print the differences as one JSON object.")},
    });
    parser.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("The older hook."));
    parser.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("The newer hook."));
    int exitCode = Success;
    if (!parse(parser, args, QStringLiteral("diff"), &exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 2) {
        err(QStringLiteral("diff: expected two hook ids, got %1").arg(parser.positionalArguments().size()));
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
    std::optional<Hook> hooks[2];
    for (int i = 0; i < 2; ++i) {
        const workspace::Fetched<std::optional<Hook>> found = workspace::await(workspace.hook(ids.at(i)));
        if (!found.value) {
            err(QStringLiteral("diff: ") + found.error);
            return Failure;
        }
        hooks[i] = found.value;
    }
    const formats::HookDiff diff = formats::diffHooks(*hooks[0], *hooks[1]);
    if (parser.isSet(QStringLiteral("json")))
        out(QJsonDocument(formats::diffToJson(diff)).toJson(QJsonDocument::Indented));
    else
        out(formats::diffToText(diff, ids.at(0), ids.at(1)));
    return diff.isEmpty() ? Success : Failure;
}

} // namespace cli
