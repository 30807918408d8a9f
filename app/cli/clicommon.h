#pragma once

#include "capture/hookstore.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

// Helpers shared by the command-line commands.
namespace cli {

enum ExitCode : int {
    Success = 0,
    Failure = 1,       // the command ran and failed (unknown id, non-2xx answer, unreadable file)
    UsageError = 2,    // bad flags or arguments, or no connection could be made
};

// The store used when --db is not given: hooks.sqlite in the application-data folder.
QString defaultStorePath();

// Writes to stdout / stderr, unbuffered, so that pipes see each line at once.
void out(QByteArrayView bytes);
void out(const QString &text);
inline void out(const QByteArray &bytes) { out(QByteArrayView(bytes)); }   // else ambiguous between the two above
void err(const QString &text);          // "hookscope: <text>\n" on stderr

// Parses `args` (the command's own arguments, program name first), adds --help,
// and reports unknown flags and missing values on stderr. False: the command ends
// now with *exitCode (after printing its help, or with UsageError).
bool parse(QCommandLineParser &parser, const QStringList &args, const QString &command, int *exitCode);

// The integer value of an option, checked against a range; the error names the flag.
bool intOption(const QCommandLineParser &parser, const QString &name, qint64 min, qint64 max, qint64 *value);

// Opens the store for reading; the error names the file.
bool openForReading(HookStore &store, const QString &path);
bool openForWriting(HookStore &store, const QString &path);

// The --db option every store command takes.
QCommandLineOption dbOption();
QString dbPath(const QCommandLineParser &parser);

// Hook ids from positional arguments; the error names the bad one.
bool parseIds(const QStringList &args, QList<qint64> *ids);

} // namespace cli
