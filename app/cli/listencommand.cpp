#include "clicommon.h"
#include "commands.h"

#include "workspace/plural.h"

#include "formats/jsonl.h"
#include "workspace/signalwatcher.h"
#include "capture/listener.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QTimer>
#include <QUrl>

#include <memory>

namespace cli {

int listenCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Capture webhooks on a local port into the store."));
    parser.addOptions({
        {QStringLiteral("bind"), QStringLiteral("Address to listen on (default 127.0.0.1)."), QStringLiteral("ADDR")},
        {QStringLiteral("port"), QStringLiteral("Port to listen on; 0 takes a free one (default 0)."), QStringLiteral("N")},
        dbOption(),
        catalogOption(),
        {QStringLiteral("secret"), QStringLiteral("The shared secret hooks must carry (X-Webhook-Secret, the key of X-Hub-Signature-256, or a whsec_ key of webhook-signature)."), QStringLiteral("S")},
        {QStringLiteral("require-secret"), QStringLiteral("Answer 401 to hooks without a valid secret or signature (they are still stored).")},
        {QStringLiteral("status"), QStringLiteral("Status of the answer to a stored hook (default 200)."), QStringLiteral("N")},
        {QStringLiteral("body"), QStringLiteral("Body of the answer (default: {\"id\":N})."), QStringLiteral("TEXT")},
        {QStringLiteral("delay"), QStringLiteral("Wait this many milliseconds before answering."), QStringLiteral("MS")},
        {QStringLiteral("rules"), QStringLiteral("Answer by the rules in this JSON file; the first rule that applies to a hook answers it,"
                                                 " else --status, --body and --delay do."), QStringLiteral("FILE")},
        {QStringLiteral("forward-to"), QStringLiteral("Forward every captured hook to this URL."), QStringLiteral("URL")},
        {QStringLiteral("max-body"), QStringLiteral("Largest body accepted, in bytes (default 33554432)."), QStringLiteral("BYTES")},
        {QStringLiteral("tunnel"), QStringLiteral("Make the listener public through a tunnel program: ssh (localhost.run, no account),"
                                                  " cloudflared, ngrok, or a command with {port} and {url} in it."),
         QStringLiteral("PRESET|COMMAND")},
        {QStringLiteral("tunnel-url-pattern"), QStringLiteral("Regular expression that finds the public URL in the tunnel's output"
                                                              " (its first group, if it has one)."), QStringLiteral("REGEX")},
        {QStringLiteral("smee"), QStringLiteral("Also store the deliveries of this smee channel (https://smee.io/CHANNEL, or 'new'"
                                                " for a new one on smee.io)."), QStringLiteral("URL")},
        {QStringLiteral("jsonl"), QStringLiteral("Print each captured hook as one JSON object per line.")},
    });
    int exitCode = Success;
    if (!parse(parser, args, QStringLiteral("listen"), &exitCode))
        return exitCode;
    if (!parser.positionalArguments().isEmpty()) {
        err(QStringLiteral("listen: unexpected argument '%1'").arg(parser.positionalArguments().constFirst()));
        return UsageError;
    }

    ListenerConfig config;
    if (parser.isSet(QStringLiteral("bind"))) {
        const QString bind = parser.value(QStringLiteral("bind"));
        if (!config.bind.setAddress(bind)) {
            err(QStringLiteral("--bind: '%1' is not an IP address").arg(bind));
            return UsageError;
        }
    }
    qint64 port = 0, status = 200, delay = 0, maxBody = config.limits.maxBody;
    if (!intOption(parser, QStringLiteral("port"), 0, 65535, &port) || !intOption(parser, QStringLiteral("status"), 200, 599, &status)
        || !intOption(parser, QStringLiteral("delay"), 0, 600'000, &delay)
        || !intOption(parser, QStringLiteral("max-body"), 0, qint64(1) << 40, &maxBody))
        return UsageError;
    config.port = quint16(port);
    config.status = int(status);
    config.delayMs = int(delay);
    config.limits.maxBody = maxBody;
    config.secret = parser.value(QStringLiteral("secret")).toUtf8();
    config.requireSecret = parser.isSet(QStringLiteral("require-secret"));
    if (config.requireSecret && config.secret.isEmpty()) {
        err(QStringLiteral("--require-secret needs --secret"));
        return UsageError;
    }
    if (parser.isSet(QStringLiteral("body")))
        config.body = parser.value(QStringLiteral("body")).toUtf8();
    const QString rulesFile = parser.value(QStringLiteral("rules"));
    if (!rulesFile.isEmpty()) {
        QString error;
        const std::optional<AnswerRules> rules = AnswerRules::load(rulesFile, &error);
        if (!rules) {
            err(QStringLiteral("--rules: ") + error);
            return UsageError;
        }
        config.rules = *rules;
    }

    QUrl forwardTo;
    if (parser.isSet(QStringLiteral("forward-to")))
        forwardTo = QUrl(parser.value(QStringLiteral("forward-to")), QUrl::StrictMode);

    relay::TunnelSpec tunnelSpec;
    tunnelSpec.command = parser.value(QStringLiteral("tunnel"));
    tunnelSpec.urlPattern = parser.value(QStringLiteral("tunnel-url-pattern"));
    const bool tunnel = parser.isSet(QStringLiteral("tunnel"));
    if (!tunnel && parser.isSet(QStringLiteral("tunnel-url-pattern"))) {
        err(QStringLiteral("--tunnel-url-pattern needs --tunnel"));
        return UsageError;
    }
    if (tunnel) {
        // Checked before anything starts, so that a typo costs no listener.
        QString error;
        if (!relay::tunnelCommand(tunnelSpec, QUrl(QStringLiteral("http://127.0.0.1:1/")), &error)) {
            err(QStringLiteral("--tunnel: ") + error);
            return UsageError;
        }
    }
    QUrl smee;
    const bool newSmee = parser.value(QStringLiteral("smee")) == u"new";
    if (parser.isSet(QStringLiteral("smee")) && !newSmee) {
        smee = QUrl(parser.value(QStringLiteral("smee")), QUrl::StrictMode);
        if (!smee.isValid() || (smee.scheme() != u"https" && smee.scheme() != u"http") || smee.host().isEmpty()) {
            err(QStringLiteral("--smee: '%1' is not an http(s) URL of a channel (https://smee.io/CHANNEL)").arg(parser.value(QStringLiteral("smee"))));
            return UsageError;
        }
    }

    const bool jsonl = parser.isSet(QStringLiteral("jsonl"));
    // The public URLs come right after the listening line: hooks wait for them.
    struct Output
    {
        int publicPending = 0;
        QByteArray held;
        void hooks(const QByteArray &lines)
        {
            if (publicPending > 0)
                held += lines;
            else
                out(QByteArrayView(lines));
        }
        void publicUrl(const QUrl &url)
        {
            out(QStringLiteral("public URL %1\n").arg(url.toString()));
            if (--publicPending == 0 && !held.isEmpty())
                out(QByteArrayView(std::exchange(held, {})));
        }
    };
    auto output = std::make_shared<Output>();
    output->publicPending = (tunnel ? 1 : 0) + (parser.isSet(QStringLiteral("smee")) ? 1 : 0);
    catalog::LoadedCatalog catalogs;
    if (!loadCatalogs(parser, &catalogs))
        return UsageError;
    workspace::Workspace workspace(catalogs.catalog);
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, &workspace, [] { QCoreApplication::exit(Success); });
    QObject::connect(&workspace, &workspace::Workspace::storeFailed, &workspace, [](const QString &error, int hooks) {
        err(workspace::plural(QObject::tr("%n hook(s) could not be stored and were answered 503: ", nullptr, hooks), hooks) + error);
    });
    QObject::connect(&workspace, &workspace::Workspace::storeStalled, &workspace, [](const QString &error, int hooks) {
        err(workspace::plural(QObject::tr("the store refuses hooks: %1; %n hook(s) already answered are kept in its intake until it"
                                          " takes them, new ones are answered 503", nullptr, hooks), hooks).arg(error));
    });
    QObject::connect(&workspace, &workspace::Workspace::problem, &workspace, [](const QString &message) { err(message); });
    if (jsonl) {
        QObject::connect(&workspace, &workspace::Workspace::hooksArrived, &workspace, [output](const QList<Hook> &hooks) {
            QByteArray lines;
            for (const Hook &hook : hooks)
                lines += formats::hookToJsonLine(hook);
            output->hooks(lines);
        });
    }
    // Forwards answered (2xx or not) and failed, for the summary at the end.
    struct ForwardCounts
    {
        qint64 answered = 0;
        qint64 succeeded = 0;
        qint64 failed = 0;
    };
    auto forwards = std::make_shared<ForwardCounts>();
    QObject::connect(&workspace, &workspace::Workspace::deliveryStored, &workspace, [forwards](const Delivery &delivery) {
        if (delivery.kind != Delivery::Kind::Forward)
            return;
        if (!delivery.error.isEmpty()) {
            ++forwards->failed;
        } else {
            ++forwards->answered;
            if (delivery.succeeded())
                ++forwards->succeeded;
        }
        if (delivery.error.isEmpty())
            err(QStringLiteral("#%1 forwarded to %2: %3 (%4 ms)")
                    .arg(QString::number(delivery.hookId), delivery.url, QString::number(delivery.status),
                         QString::number(delivery.durationUs / 1000)));
        else
            err(QStringLiteral("#%1 not forwarded to %2: %3").arg(QString::number(delivery.hookId), delivery.url, delivery.error));
    });

    QObject::connect(&workspace, &workspace::Workspace::hooksNotForwarded, &workspace, [](qint64 total, const QString &reason) {
        err(workspace::plural(QObject::tr("%n hook(s) not forwarded so far: %1", nullptr, total), total).arg(reason));
    });

    if (!openWorkspace(workspace, parser, false))
        return Failure;
    if (!workspace.listen(config)) {
        err(workspace.errorString());
        return Failure;
    }
    QString error;
    if (!forwardTo.isEmpty() && !workspace.setForwardTarget(forwardTo, &error)) {
        err(QStringLiteral("--forward-to: ") + error);
        return UsageError;
    }

    out(QStringLiteral("listening on %1\n").arg(workspace.url().toString()));
    if (!jsonl)
        err(QStringLiteral("storing hooks in %1").arg(QFileInfo(workspace.storePath()).absoluteFilePath()));
    if (!config.rules.isEmpty())
        err(workspace::plural(QObject::tr("answering by %n rule(s) from %1", nullptr, int(config.rules.rules().size())),
                              int(config.rules.rules().size()))
                .arg(rulesFile));

    if (tunnel) {
        relay::Tunnel *t = workspace.tunnel();
        auto announced = std::make_shared<bool>(false);
        QObject::connect(t, &relay::Tunnel::message, &workspace, [](const QString &text) { err(QStringLiteral("tunnel: ") + text); });
        QObject::connect(t, &relay::Tunnel::publicUrlChanged, &workspace, [output, announced](const QUrl &url) {
            if (!url.isEmpty() && !std::exchange(*announced, true))
                output->publicUrl(url);
        });
        QObject::connect(t, &relay::Tunnel::failed, &workspace, [](const QString &why) {
            err(QStringLiteral("tunnel: ") + why);
            QCoreApplication::exit(Failure);
        });
        if (!workspace.startTunnel(tunnelSpec, &error)) {
            err(QStringLiteral("--tunnel: ") + error);
            workspace.stopListening();
            return Failure;
        }
    }
    if (newSmee) {
        const relay::NewChannel channel = workspace::await(workspace.newSmeeChannel());
        if (!channel.error.isEmpty()) {
            err(QStringLiteral("--smee new: ") + channel.error);
            workspace.stopListening();
            return Failure;
        }
        smee = channel.url;
    }
    if (!smee.isEmpty()) {
        relay::SmeeChannel *channel = workspace.smee();
        auto announced = std::make_shared<bool>(false);
        QObject::connect(channel, &relay::SmeeChannel::message, &workspace, [](const QString &text) { err(QStringLiteral("smee: ") + text); });
        QObject::connect(channel, &relay::SmeeChannel::stateChanged, &workspace,
                         [output, announced, channel](relay::SmeeChannel::State state) {
                             if (state == relay::SmeeChannel::State::Connected && !std::exchange(*announced, true))
                                 output->publicUrl(channel->channel());
                         });
        QObject::connect(channel, &relay::SmeeChannel::failed, &workspace, [](const QString &why) {
            err(QStringLiteral("smee: ") + why);
            QCoreApplication::exit(Failure);
        });
        if (!workspace.receiveFromSmee(smee, &error)) {
            err(QStringLiteral("--smee: ") + error);
            workspace.stopListening();
            return Failure;
        }
    }

    exitCode = QCoreApplication::exec();
    workspace.stopListening();
    if (const Listener *listener = workspace.listener();
        listener->refusalsRecorded() > 0 || listener->refusalsNotRecorded() > 0) {
        err(QStringLiteral("refused requests: %1 kept on record, %2 not recorded (over the bounds of %3 a peer at once,"
                           " one more a second, %4 a run)")
                .arg(listener->refusalsRecorded())
                .arg(listener->refusalsNotRecorded())
                .arg(config.refusalBurst)
                .arg(config.maxRefusalRecords));
    }
    // Deliver the last batches (committed during the shutdown) to --jsonl and the forwarder.
    output->publicPending = 0;
    QCoreApplication::sendPostedEvents();
    out(QByteArrayView(std::exchange(output->held, {})));
    // Forwards in flight get a few seconds to finish; what is left is not forwarded.
    workspace.finishForwarding(5000, QObject::tr("hookscope stopped"));
    if (!forwardTo.isEmpty()) {
        err(QStringLiteral("forwarded to %1: %2 answered (%3 with 2xx), %4 failed, %5 not forwarded")
                .arg(forwardTo.toString())
                .arg(forwards->answered)
                .arg(forwards->succeeded)
                .arg(forwards->failed)
                .arg(workspace.hooksNotForwardedTotal()));
    }
    return exitCode;
}

} // namespace cli
