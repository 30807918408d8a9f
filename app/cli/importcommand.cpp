#include "clicommon.h"
#include "commands.h"

#include "catalog/catalog.h"
#include "formats/har.h"

#include <QFile>

namespace cli {

int importCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Add the requests of a HAR file (from hookscope, a browser or another HTTP tool) "
                                                    "to the store as hooks, with new ids."));
    parser.addOption(dbOption());
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

    QFile file(files.first());
    if (!file.open(QIODevice::ReadOnly)) {
        err(QStringLiteral("import: cannot read %1: %2").arg(file.fileName(), file.errorString()));
        return Failure;
    }
    const QByteArray data = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        err(QStringLiteral("import: cannot read %1: %2").arg(file.fileName(), file.errorString()));
        return Failure;
    }
    QList<Hook> hooks;
    QString error;
    if (!formats::hooksFromHar(data, catalog::Catalog::builtin(), &hooks, &error)) {
        err(QStringLiteral("import: %1: %2").arg(file.fileName(), error));
        return Failure;
    }
    HookStore store;
    if (!openForWriting(store, dbPath(parser)))
        return Failure;
    if (!store.importHooks(&hooks)) {   // new ids, after every id the store gave
        err(QStringLiteral("import: %1").arg(store.errorString()));
        return Failure;
    }
    out(QStringLiteral("imported %1 hooks into %2\n").arg(hooks.size()).arg(store.path()));
    return Success;
}

} // namespace cli
