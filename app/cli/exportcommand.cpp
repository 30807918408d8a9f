#include "clicommon.h"
#include "commands.h"

#include "formats/curl.h"
#include "formats/har.h"
#include "formats/jsonl.h"

#include <QSaveFile>

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
    const QString format = parser.value(QStringLiteral("format"));
    const QStringList formats{QStringLiteral("har"), QStringLiteral("jsonl"), QStringLiteral("curl")};
    if (!formats.contains(format)) {
        err(format.isEmpty() ? QStringLiteral("export: --format is required (%1)").arg(formats.join(u", "))
                             : QStringLiteral("export: unknown --format '%1' (%2)").arg(format, formats.join(u", ")));
        return UsageError;
    }
    HookQuery query;
    if (!parseIds(parser.positionalArguments(), &query.ids))
        return UsageError;

    HookStore store;
    if (!openForReading(store, dbPath(parser)))
        return Failure;
    const QList<Hook> hooks = store.hooks(query);
    if (!store.errorString().isEmpty()) {
        err(store.errorString());
        return Failure;
    }
    for (qint64 id : std::as_const(query.ids)) {
        if (std::none_of(hooks.cbegin(), hooks.cend(), [id](const Hook &h) { return h.id == id; })) {
            err(QStringLiteral("export: no hook with id %1 in %2").arg(id).arg(store.path()));
            return Failure;
        }
    }

    QByteArray data;
    if (format == u"har") {
        data = formats::hooksToHar(hooks);
    } else if (format == u"curl") {
        data = formats::curlScript(hooks);   // each command goes to the hook's own Host
    } else {
        for (const Hook &hook : hooks)
            data += formats::hookToJsonLine(hook);
    }

    if (!parser.isSet(QStringLiteral("out"))) {
        out(QByteArrayView(data));
        return Success;
    }
    QSaveFile file(parser.value(QStringLiteral("out")));
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        err(QStringLiteral("export: cannot write %1: %2").arg(file.fileName(), file.errorString()));
        return Failure;
    }
    return Success;
}

} // namespace cli
