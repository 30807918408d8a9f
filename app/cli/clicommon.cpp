#include "clicommon.h"

#include "delivery/certificateprobe.h"

#include <QDir>
#include <QFileInfo>

#include <unistd.h>

namespace cli {

static void writeAll(int fd, QByteArrayView bytes)
{
    const char *data = bytes.data();
    qsizetype left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, data, size_t(left));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return;   // a closed pipe: nothing more to say
        }
        data += n;
        left -= n;
    }
}

void out(QByteArrayView bytes)
{
    writeAll(STDOUT_FILENO, bytes);
}

void out(const QString &text)
{
    writeAll(STDOUT_FILENO, text.toUtf8());
}

void err(const QString &text)
{
    writeAll(STDERR_FILENO, QByteArray("hookscope: " + text.toUtf8() + '\n'));
}

bool parse(QCommandLineParser &parser, const QStringList &args, const QString &command, int *exitCode)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(args)) {
        const QString where = command.isEmpty() ? QString() : command + u": ";
        const QString seeHelp = command.isEmpty() ? QStringLiteral("hookscope --help") : u"hookscope " + command + u" --help";
        err(where + parser.errorText() + u" (see '" + seeHelp + u"')");
        *exitCode = UsageError;
        return false;
    }
    if (parser.isSet(help)) {
        // Qt names the program by its path on the first line only; say how it is called instead.
        QString text = parser.helpText();
        const qsizetype firstLineEnd = text.indexOf(u'\n');
        text.replace(0, firstLineEnd, text.left(firstLineEnd).replace(args.value(0), u"hookscope " + command));
        out(text);
        *exitCode = Success;
        return false;
    }
    return true;
}

bool intOption(const QCommandLineParser &parser, const QString &name, qint64 min, qint64 max, qint64 *value)
{
    if (!parser.isSet(name))
        return true;
    bool ok = false;
    const QString text = parser.value(name);
    const qint64 v = text.toLongLong(&ok);
    if (!ok || v < min || v > max) {
        err(QStringLiteral("--%1: expected a whole number from %2 to %3, got '%4'").arg(name).arg(min).arg(max).arg(text));
        return false;
    }
    *value = v;
    return true;
}

bool openWorkspace(workspace::Workspace &workspace, const QCommandLineParser &parser, bool mustExist)
{
    const QString path = dbPath(parser);
    if (mustExist && !QFileInfo::exists(path)) {
        err(QStringLiteral("no store at %1 (capture hooks with 'hookscope listen', or name one with --db)").arg(path));
        return false;
    }
    if (!workspace.open(path)) {
        err(workspace.errorString());
        return false;
    }
    return true;
}

QCommandLineOption dbOption()
{
    return QCommandLineOption(QStringLiteral("db"), QStringLiteral("The store file (default: %1).").arg(workspace::Workspace::defaultStorePath()),
                              QStringLiteral("FILE"));
}

QCommandLineOption trustCertOption()
{
    return QCommandLineOption(QStringLiteral("trust-cert"),
                              QStringLiteral("Trust the self-signed certificate of the HTTPS target whose SHA-256 fingerprint is this."),
                              QStringLiteral("SHA256"));
}

bool applyTrustCert(const QCommandLineParser &parser, const QUrl &target, const std::function<void(const QByteArray &pem)> &trust)
{
    if (!parser.isSet(QStringLiteral("trust-cert")))
        return true;
    const QString given = parser.value(QStringLiteral("trust-cert"));
    if (target.scheme() != u"https") {
        err(QStringLiteral("--trust-cert: %1 is not an https URL").arg(target.toString()));
        return false;
    }
    const PeerCertificate certificate = probeCertificateAndWait(target);
    if (!certificate.ok()) {
        err(QStringLiteral("--trust-cert: %1:%2: %3").arg(target.host()).arg(target.port(443)).arg(certificate.error));
        return false;
    }
    if (!fingerprintMatches(given, certificate.fingerprint)) {
        err(QStringLiteral("--trust-cert: the certificate of %1:%2 (%3) has the SHA-256 fingerprint %4, not %5")
                .arg(target.host()).arg(target.port(443)).arg(certificate.subject, certificate.fingerprint, given));
        return false;
    }
    trust(certificate.pem);
    return true;
}

QString dbPath(const QCommandLineParser &parser)
{
    return parser.isSet(QStringLiteral("db")) ? parser.value(QStringLiteral("db")) : workspace::Workspace::defaultStorePath();
}

bool parseIds(const QStringList &args, QList<qint64> *ids)
{
    for (const QString &arg : args) {
        bool ok = false;
        const qint64 id = arg.toLongLong(&ok);
        if (!ok || id <= 0) {
            err(QStringLiteral("'%1' is not a hook id (expected a positive whole number)").arg(arg));
            return false;
        }
        ids->append(id);
    }
    return true;
}

catalog::LoadedCatalog loadCatalogs()
{
    catalog::LoadedCatalog loaded = catalog::loadCatalogs();
    for (const QString &problem : std::as_const(loaded.problems))
        err(u"catalog not loaded: " + problem);
    return loaded;
}

QCommandLineOption catalogOption()
{
    return {QStringLiteral("catalog"),
            QStringLiteral("Load this catalog file beside the built-in catalog and the user's (repeatable); one that cannot be"
                           " loaded is an error."),
            QStringLiteral("FILE")};
}

bool loadCatalogs(const QCommandLineParser &parser, catalog::LoadedCatalog *loaded)
{
    *loaded = catalog::loadCatalogs(parser.values(QStringLiteral("catalog")));
    for (const QString &problem : std::as_const(loaded->problems))
        err(u"catalog not loaded: " + problem);
    for (const QString &refused : std::as_const(loaded->refusedFiles))
        err(u"--catalog: " + refused);
    return loaded->refusedFiles.isEmpty();
}

} // namespace cli
