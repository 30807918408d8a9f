#pragma once

#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace relay {

// A tunnel program to run in front of the listener, as the user gave it: the
// name of a preset or a command line with {port} and {url} placeholders, and
// optionally a regular expression that finds the public URL in its output
// (its first capture group, or the whole match without one).
struct TunnelSpec
{
    QString command;
    QString urlPattern;
};

// The tunnel programs hookscope knows by name.
struct TunnelPreset
{
    QString name;          // "ssh", "cloudflared", "ngrok"
    QString command;       // with {port}
    QString urlPattern;    // where the program prints its public URL
    QString description;   // one line for menus and --help
    QString install;       // what to install when the program is missing
};
const QList<TunnelPreset> &tunnelPresets();
const TunnelPreset *findTunnelPreset(QStringView name);

// A tunnel command ready to start.
struct TunnelCommand
{
    QString program;        // as given (looked up on PATH when started)
    QStringList arguments;
    QRegularExpression urlPattern;
    QString install;        // what to install when program is missing
    QString display() const;   // the command line, for logs
};

// Expands a spec for a listener on localUrl: the preset's command or the
// command line (split as a shell would split words, without running a shell),
// placeholders replaced. nullopt, with *error, for an empty command, an
// unbalanced quote, or a pattern that is not a valid regular expression.
std::optional<TunnelCommand> tunnelCommand(const TunnelSpec &spec, const QUrl &localUrl, QString *error);

// The first public https URL in a line of the tunnel's output, or an empty URL.
QUrl findPublicUrl(QStringView line, const QRegularExpression &pattern);

} // namespace relay
