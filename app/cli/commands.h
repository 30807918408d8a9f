#pragma once

#include <QStringList>

// Each command takes its own arguments (argv[0] first, then what follows the
// command name) and returns the process exit code.
namespace cli {

int listenCommand(const QStringList &args);
int listCommand(const QStringList &args);
int showCommand(const QStringList &args);
int exportCommand(const QStringList &args);
int importCommand(const QStringList &args);
int sendCommand(const QStringList &args);
int replayCommand(const QStringList &args);
int eventsCommand(const QStringList &args);
int deleteCommand(const QStringList &args);
int clearCommand(const QStringList &args);
int pruneCommand(const QStringList &args);
int recheckCommand(const QStringList &args);
int diffCommand(const QStringList &args);

} // namespace cli
