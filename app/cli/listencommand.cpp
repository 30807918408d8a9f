#include "clicommon.h"
#include "commands.h"
#include "signalwatcher.h"

#include "capture/listener.h"
#include "delivery/forwarder.h"
#include "formats/jsonl.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QTimer>
#include <QUrl>

namespace cli {

int listenCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Capture webhooks on a local port into the store."));
    parser.addOptions({
        {QStringLiteral("bind"), QStringLiteral("Address to listen on (default 127.0.0.1)."), QStringLiteral("ADDR")},
        {QStringLiteral("port"), QStringLiteral("Port to listen on; 0 takes a free one (default 0)."), QStringLiteral("N")},
        dbOption(),
        {QStringLiteral("secret"), QStringLiteral("The shared secret hooks must carry (X-Webhook-Secret, or the key of X-Hub-Signature-256)."), QStringLiteral("S")},
        {QStringLiteral("require-secret"), QStringLiteral("Answer 401 to hooks without a valid secret or signature (they are still stored).")},
        {QStringLiteral("status"), QStringLiteral("Status of the answer to a stored hook (default 200)."), QStringLiteral("N")},
        {QStringLiteral("body"), QStringLiteral("Body of the answer (default: {\"id\":N})."), QStringLiteral("TEXT")},
        {QStringLiteral("delay"), QStringLiteral("Wait this many milliseconds before answering."), QStringLiteral("MS")},
        {QStringLiteral("forward-to"), QStringLiteral("Forward every captured hook to this URL."), QStringLiteral("URL")},
        {QStringLiteral("max-body"), QStringLiteral("Largest body accepted, in bytes (default 33554432)."), QStringLiteral("BYTES")},
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

    QUrl forwardTo;
    if (parser.isSet(QStringLiteral("forward-to"))) {
        forwardTo = QUrl(parser.value(QStringLiteral("forward-to")), QUrl::StrictMode);
        if (!forwardTo.isValid() || (forwardTo.scheme() != u"http" && forwardTo.scheme() != u"https") || forwardTo.host().isEmpty()) {
            err(QStringLiteral("--forward-to: '%1' is not an http(s) URL").arg(parser.value(QStringLiteral("forward-to"))));
            return UsageError;
        }
    }

    const bool jsonl = parser.isSet(QStringLiteral("jsonl"));
    Listener listener(catalog::Catalog::builtin());
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, &listener, [] { QCoreApplication::exit(Success); });
    QObject::connect(&listener, &Listener::storeFailed, &listener, [](const QString &error, int hooks) {
        err(QObject::tr("%n hook(s) could not be stored and were answered 503: ", nullptr, hooks) + error);
    });
    QObject::connect(&listener, &Listener::storeStalled, &listener, [](const QString &error, int hooks) {
        err(QObject::tr("the store refuses hooks: %1; %n hook(s) already answered are kept in its intake until it takes them,"
                        " new ones are answered 503", nullptr, hooks).arg(error));
    });
    if (jsonl) {
        QObject::connect(&listener, &Listener::hooksStored, &listener, [](const QList<Hook> &hooks) {
            QByteArray lines;
            for (const Hook &hook : hooks)
                lines += formats::hookToJsonLine(hook);
            out(QByteArrayView(lines));
        });
    }

    const QString store = dbPath(parser);
    if (!listener.start(config, store)) {
        err(listener.errorString());
        return Failure;
    }

    Forwarder *forwarder = nullptr;
    if (!forwardTo.isEmpty()) {
        const QHostAddress forwardHost(forwardTo.host());
        const QHostAddress bound = listener.address();
        const bool boundToAll = bound == QHostAddress::Any || bound == QHostAddress::AnyIPv4 || bound == QHostAddress::AnyIPv6;
        const bool loopback = forwardHost.isLoopback() || forwardTo.host() == u"localhost";
        const bool self = forwardTo.port(forwardTo.scheme() == u"https" ? 443 : 80) == listener.port()
            && (forwardHost == bound || (loopback && (bound.isLoopback() || boundToAll)));
        if (self) {
            err(QStringLiteral("--forward-to: %1 is this listener; hooks would be forwarded to themselves forever").arg(forwardTo.toString()));
            return UsageError;
        }
        forwarder = new Forwarder(forwardTo, &listener);
        if (!forwarder->openStore(store)) {
            err(forwarder->errorString());
            return Failure;
        }
        // Queued by the listener already: hooks reach the forwarder on this thread.
        QObject::connect(&listener, &Listener::hooksStored, forwarder, &Forwarder::forward);
        QObject::connect(forwarder, &Forwarder::storeFailed, forwarder, [](const QString &error) {
            err(QStringLiteral("cannot store a forward: ") + error);
        });
        QObject::connect(forwarder, &Forwarder::forwarded, forwarder, [](const Delivery &delivery) {
            if (delivery.error.isEmpty())
                err(QStringLiteral("#%1 forwarded to %2: %3 (%4 ms)")
                        .arg(QString::number(delivery.hookId), delivery.url, QString::number(delivery.status),
                             QString::number(delivery.durationUs / 1000)));
            else
                err(QStringLiteral("#%1 not forwarded to %2: %3").arg(QString::number(delivery.hookId), delivery.url, delivery.error));
        });
    }

    out(QStringLiteral("listening on %1\n").arg(listener.url().toString()));
    if (!jsonl)
        err(QStringLiteral("storing hooks in %1").arg(QFileInfo(store).absoluteFilePath()));

    QCoreApplication::exec();
    listener.stop();
    // Deliver the last batches (committed during the shutdown) to --jsonl and the forwarder.
    QCoreApplication::sendPostedEvents();
    if (forwarder && forwarder->pending() > 0) {
        // Forwards in flight get a few seconds to finish; what is left is not forwarded.
        QEventLoop loop;
        QObject::connect(forwarder, &Forwarder::idle, &loop, &QEventLoop::quit);
        QTimer::singleShot(5000, &loop, &QEventLoop::quit);
        loop.exec();
        forwarder->stop(QObject::tr("hookscope stopped before the answer came"));
    }
    return Success;
}

} // namespace cli
