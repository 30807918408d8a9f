#pragma once

#include <QStringList>

namespace cli {

// Whether these arguments ask for the command line rather than the window
// (a command name, --help or --version).
bool isCliInvocation(const QStringList &arguments);

// Runs the command named in `arguments` (the full argv). Needs a QCoreApplication.
int run(const QStringList &arguments);

// The program's usage text, listing every command.
QString usage();

} // namespace cli
