#include "tunnelcommand.h"

#include <QCoreApplication>
#include <QProcess>

namespace relay {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("relay::Tunnel", text);
}

// Any https URL: the default for a command without a pattern of its own.
const QString AnyHttpsUrl = QStringLiteral(R"(https://[A-Za-z0-9][A-Za-z0-9.-]*(?::\d+)?(?:/[^\s"'<>|\\]*)?)");

} // namespace

const QList<TunnelPreset> &tunnelPresets()
{
    static const QList<TunnelPreset> presets = {
        {QStringLiteral("ssh"),
         // No account needed. Host keys are accepted on first use and the connection is kept
         // alive, so that nothing waits on a terminal that is not there.
         QStringLiteral("ssh -o StrictHostKeyChecking=accept-new -o ServerAliveInterval=30 -o ExitOnForwardFailure=yes"
                        " -R 80:localhost:{port} nokey@localhost.run"),
         QStringLiteral(R"(tunneled with tls termination, (https://[A-Za-z0-9.-]+))"),
         tr("an OpenSSH reverse tunnel to localhost.run (no account needed)"),
         tr("the OpenSSH client (apt install openssh-client)")},
        {QStringLiteral("cloudflared"),
         QStringLiteral("cloudflared tunnel --url http://localhost:{port}"),
         QStringLiteral(R"(https://[A-Za-z0-9-]+\.trycloudflare\.com)"),
         tr("a Cloudflare quick tunnel (no account needed)"),
         tr("cloudflared (https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/downloads/)")},
        {QStringLiteral("ngrok"),
         QStringLiteral("ngrok http {port} --log stdout"),
         QStringLiteral(R"(url=(https://\S+))"),
         tr("an ngrok tunnel (needs a free ngrok account and its authtoken)"),
         tr("ngrok (https://ngrok.com/download), then add your authtoken: ngrok config add-authtoken TOKEN")},
    };
    return presets;
}

const TunnelPreset *findTunnelPreset(QStringView name)
{
    for (const TunnelPreset &preset : tunnelPresets()) {
        if (preset.name == name)
            return &preset;
    }
    return nullptr;
}

QString TunnelCommand::display() const
{
    QStringList words{program};
    for (const QString &argument : arguments)
        words.append(argument.contains(u' ') || argument.isEmpty() ? QString(u'\'' + argument + u'\'') : argument);
    return words.join(u' ');
}

std::optional<TunnelCommand> tunnelCommand(const TunnelSpec &spec, const QUrl &localUrl, QString *error)
{
    const QString given = spec.command.trimmed();
    if (given.isEmpty()) {
        *error = tr("no tunnel command given: name a preset (ssh, cloudflared, ngrok) or a command with {port}");
        return std::nullopt;
    }
    const TunnelPreset *preset = findTunnelPreset(given);
    const QString line = preset ? preset->command : given;
    if (line.count(u'"') % 2 != 0) {
        *error = tr("the tunnel command has an unbalanced quote: %1").arg(line);
        return std::nullopt;
    }
    QStringList words = QProcess::splitCommand(line);
    if (words.isEmpty()) {
        *error = tr("no tunnel command given: name a preset (ssh, cloudflared, ngrok) or a command with {port}");
        return std::nullopt;
    }
    const QString port = QString::number(localUrl.port());
    const QString url = localUrl.toString();
    for (QString &word : words)
        word.replace(QStringLiteral("{port}"), port).replace(QStringLiteral("{url}"), url);

    TunnelCommand command;
    command.program = words.takeFirst();
    command.arguments = words;
    const QString pattern = !spec.urlPattern.isEmpty() ? spec.urlPattern : preset ? preset->urlPattern : AnyHttpsUrl;
    command.urlPattern = QRegularExpression(pattern);
    if (!command.urlPattern.isValid()) {
        *error = tr("--tunnel-url-pattern: '%1' is not a valid regular expression: %2 (at offset %3)")
                     .arg(pattern, command.urlPattern.errorString())
                     .arg(command.urlPattern.patternErrorOffset());
        return std::nullopt;
    }
    if (preset) {
        command.install = preset->install;
    } else if (const TunnelPreset *known = findTunnelPreset(command.program)) {
        command.install = known->install;
    }
    return command;
}

QUrl findPublicUrl(QStringView line, const QRegularExpression &pattern)
{
    QRegularExpressionMatchIterator matches = pattern.globalMatch(line.toString());
    while (matches.hasNext()) {
        const QRegularExpressionMatch match = matches.next();
        QString text = match.lastCapturedIndex() >= 1 ? match.captured(1) : match.captured(0);
        // A URL at the end of a sentence or inside brackets keeps none of them.
        while (!text.isEmpty() && QStringView(u".,;:)]}'\"").contains(text.back()))
            text.chop(1);
        const QUrl url(text, QUrl::StrictMode);
        if (url.isValid() && url.scheme() == u"https" && !url.host().isEmpty())
            return url;
    }
    return {};
}

} // namespace relay
