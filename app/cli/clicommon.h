#pragma once

#include "catalog/usercatalogs.h"
#include "workspace/querytext.h"
#include "workspace/workspace.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>

// Helpers shared by the command-line commands.
namespace cli {

enum ExitCode : int {
    Success = 0,
    Failure = 1,       // the command ran and failed (unknown id, non-2xx answer, unreadable file)
    UsageError = 2,    // bad flags or arguments, or no connection could be made
};

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

// Opens the workspace on the store of --db (or the default one); the error names
// the file. mustExist: a store that is not there is an error rather than created.
bool openWorkspace(workspace::Workspace &workspace, const QCommandLineParser &parser, bool mustExist);

// The built-in catalog and the user's own (catalog::loadCatalogs()); a file refused is
// reported on stderr, naming it, the place and the reason, and the others are used.
catalog::LoadedCatalog loadCatalogs();
inline catalog::Catalog userCatalog() { return loadCatalogs().catalog; }
// --catalog FILE (repeatable): a catalog file to load beside the built-in and the user's.
QCommandLineOption catalogOption();
// As loadCatalogs(), with every --catalog FILE of parser after them. A file given that
// cannot be loaded is an error: false, with the file, the place and the reason on stderr.
bool loadCatalogs(const QCommandLineParser &parser, catalog::LoadedCatalog *loaded);

using workspace::parseDuration;
using workspace::parseTime;

// The --db option every store command takes.
QCommandLineOption dbOption();
// --trust-cert SHA256: trust the self-signed certificate of an HTTPS target with that fingerprint.
QCommandLineOption trustCertOption();
// With --trust-cert: reads target's certificate and, when its fingerprint is the one
// given, hands it to trust(); false, with the reason on stderr, when it is not.
bool applyTrustCert(const QCommandLineParser &parser, const QUrl &target, const std::function<void(const QByteArray &pem)> &trust);
QString dbPath(const QCommandLineParser &parser);

// Hook ids from positional arguments; the error names the bad one.
bool parseIds(const QStringList &args, QList<qint64> *ids);

} // namespace cli
