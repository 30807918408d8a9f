#include "cli.h"

#include "clicommon.h"
#include "commands.h"

#include <QCoreApplication>

namespace cli {

namespace {

struct CommandEntry
{
    const char *name;
    const char *synopsis;
    int (*run)(const QStringList &args);
};

constexpr CommandEntry Commands[] = {
    {"listen", "listen [--bind ADDR] [--port N] [--db FILE] [--secret S] [--require-secret] [--status N] [--body TEXT]\n"
               "         [--delay MS] [--rules FILE] [--forward-to URL] [--max-body BYTES] [--tunnel PRESET|COMMAND [--tunnel-url-pattern REGEX]]\n"
               "         [--smee URL|new] [--catalog FILE]... [--jsonl]", listenCommand},
    {"list", "list [--db FILE] [--provider P] [--event E] [--action A] [--search TEXT] [--header 'Name: value']\n"
             "         [--status N] [--problems] [--verdict V] [--since TIME] [--until TIME] [--limit N] [--catalog FILE]... [--json]",
     listCommand},
    {"show", "show [--db FILE] ID [--raw | --json] [--catalog FILE]...", showCommand},
    {"send", "send EVENT [ACTION] [--provider P] [--to URL | --db FILE] [--secret S] [--data FILE|-]\n"
             "         [--set PATH=VALUE]... [-H 'Name: value']... [--catalog FILE]...", sendCommand},
    {"replay", "replay [--db FILE] ID... --to URL [--fresh-id | --same-id] [--retry SCHEDULE [--speed N]]", replayCommand},
    {"diff", "diff [--db FILE] ID ID [--json] [--catalog FILE]...", diffCommand},
    {"delete", "delete [--db FILE] ID...", deleteCommand},
    {"clear", "clear [--db FILE] --yes", clearCommand},
    {"prune", "prune [--db FILE] (--older-than DURATION | --keep N)", pruneCommand},
    {"recheck", "recheck [--db FILE] [--secret S] [--catalog FILE]... (ID... | --all)", recheckCommand},
    {"export", "export [--db FILE] --format har|jsonl|curl [--out FILE] [ID...]", exportCommand},
    {"import", "import [--db FILE] [--catalog FILE]... FILE.har", importCommand},
    {"events", "events [--json] [--catalog FILE]...", eventsCommand},
};

const CommandEntry *findCommand(const QString &name)
{
    for (const CommandEntry &entry : Commands) {
        if (name == QLatin1StringView(entry.name))
            return &entry;
    }
    return nullptr;
}

} // namespace

bool isCliInvocation(const QStringList &arguments)
{
    if (arguments.size() < 2)
        return false;
    const QString &first = arguments.at(1);
    return findCommand(first) || first == u"--help" || first == u"-h" || first == u"--version" || first == u"-v"
        || first == u"help" || !first.startsWith(u'-');
}

bool parseDesktopOptions(const QStringList &arguments, QString *storePath, std::optional<QHostAddress> *bind,
                         std::optional<quint16> *port, QStringList *catalogFiles, int *exitCode)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Native desktop webhook inspector."));
    parser.addOptions({
        {QStringLiteral("bind"), QStringLiteral("Address to listen on for this run (default: from the settings, 127.0.0.1)."),
         QStringLiteral("ADDR")},
        {QStringLiteral("port"), QStringLiteral("Port to listen on for this run; 0 takes a free one (default: from the settings, 8790)."),
         QStringLiteral("N")},
        dbOption(),
        catalogOption(),
    });
    if (!parse(parser, arguments, QString(), exitCode))
        return false;
    *exitCode = UsageError;
    if (!parser.positionalArguments().isEmpty()) {
        err(QStringLiteral("unknown command '%1' (see hookscope --help)").arg(parser.positionalArguments().constFirst()));
        return false;
    }
    *storePath = dbPath(parser);
    *catalogFiles = parser.values(QStringLiteral("catalog"));
    if (parser.isSet(QStringLiteral("bind"))) {
        QHostAddress address;
        if (!address.setAddress(parser.value(QStringLiteral("bind")))) {
            err(QStringLiteral("--bind: '%1' is not an IP address").arg(parser.value(QStringLiteral("bind"))));
            return false;
        }
        *bind = address;
    }
    if (parser.isSet(QStringLiteral("port"))) {
        qint64 value = 0;
        if (!intOption(parser, QStringLiteral("port"), 0, 65535, &value))
            return false;
        *port = quint16(value);
    }
    *exitCode = Success;
    return true;
}

QString usage()
{
    QString text = QStringLiteral("Usage:\n  hookscope [--bind ADDR] [--port N] [--db FILE] [--catalog FILE]...   open the desktop app\n");
    for (const CommandEntry &entry : Commands)
        text += u"  hookscope " + QString::fromLatin1(entry.synopsis) + u'\n';
    text += QStringLiteral("  hookscope --version | --help\n\n"
                           "'hookscope COMMAND --help' describes a command's options.\n");
    return text;
}

int run(const QStringList &arguments)
{
    const QString first = arguments.value(1);
    if (first == u"--version" || first == u"-v") {
        out(QStringLiteral("hookscope %1\n").arg(QCoreApplication::applicationVersion()));
        return Success;
    }
    if (first == u"--help" || first == u"-h" || first == u"help") {
        out(usage());
        return Success;
    }
    const CommandEntry *command = findCommand(first);
    if (!command) {
        err(QStringLiteral("unknown command '%1'\n").arg(first) + usage());
        return UsageError;
    }
    QStringList args = arguments.mid(1);
    args[0] = arguments.at(0);
    return command->run(args);
}

} // namespace cli
