#include "clicommon.h"
#include "commands.h"


namespace cli {

int exportCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Export stored hooks (all of them, or the ids given)."));
    parser.addOptions({
        dbOption(),
        {QStringLiteral("format"), QStringLiteral("har, jsonl or curl."), QStringLiteral("FORMAT")},
        {QStringLiteral("out"), QStringLiteral("Write to FILE instead of standard output."), QStringLiteral("FILE")},
    });
    parser.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("Hooks to export (default: all)."), QStringLiteral("[ID...]"));
    int exitCode = Success;
    if (!parse(parser, args, QStringLiteral("export"), &exitCode))
        return exitCode;
    const QString formatName = parser.value(QStringLiteral("format"));
    workspace::ExportFormat format;
    if (!workspace::exportFormatFromName(formatName, &format)) {
        const QString known = QStringLiteral("har, jsonl, curl");
        err(formatName.isEmpty() ? QStringLiteral("export: --format is required (%1)").arg(known)
                                 : QStringLiteral("export: unknown --format '%1' (%2)").arg(formatName, known));
        return UsageError;
    }
    QList<qint64> ids;
    if (!parseIds(parser.positionalArguments(), &ids))
        return UsageError;

    workspace::Workspace workspace(userCatalog());
    if (!openWorkspace(workspace, parser, true))
        return Failure;
    if (parser.isSet(QStringLiteral("out"))) {
        const workspace::Outcome outcome = workspace::await(workspace.exportTo(parser.value(QStringLiteral("out")), format, ids));
        if (!outcome.ok()) {
            err(QStringLiteral("export: ") + outcome.error);
            return Failure;
        }
        return Success;
    }
    const workspace::Fetched<QByteArray> data = workspace::await(workspace.exportData(format, ids));
    if (!data.ok()) {
        err(QStringLiteral("export: ") + data.error);
        return Failure;
    }
    out(QByteArrayView(data.value));
    return Success;
}

} // namespace cli
