#pragma once

#include <QHostAddress>
#include <QStringList>

#include <optional>

namespace cli {

// Whether these arguments ask for the command line rather than the window
// (a command name, --help or --version).
bool isCliInvocation(const QStringList &arguments);

// Runs the command named in `arguments` (the full argv). Needs a QCoreApplication.
int run(const QStringList &arguments);

// The program's usage text, listing every command.
QString usage();

// Reads the desktop app's own flags: `hookscope [--bind ADDR] [--port N] [--db FILE] [--catalog FILE]...`.
// False: the program ends now with *exitCode (after its help, or a usage error).
bool parseDesktopOptions(const QStringList &arguments, QString *storePath, std::optional<QHostAddress> *bind,
                         std::optional<quint16> *port, QStringList *catalogFiles, int *exitCode);

} // namespace cli
