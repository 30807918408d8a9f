#include "desktop.h"

#include "icons.h"
#include "mainwindow.h"
#include "settings.h"
#include "theme.h"

#include "capture/listener.h"
#include "cli/clicommon.h"
#include "cli/signalwatcher.h"

#include <QApplication>
#include <QCommandLineParser>

namespace ui {

int runDesktop(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Native desktop webhook inspector."));
    parser.addOptions({
        {QStringLiteral("bind"), QStringLiteral("Address to listen on for this run (default: from the settings, 127.0.0.1)."),
         QStringLiteral("ADDR")},
        {QStringLiteral("port"), QStringLiteral("Port to listen on for this run; 0 takes a free one (default: from the settings, 8790)."),
         QStringLiteral("N")},
        cli::dbOption(),
    });
    int exitCode = 0;
    if (!cli::parse(parser, arguments, QString(), &exitCode))
        return exitCode;
    if (!parser.positionalArguments().isEmpty()) {
        cli::err(QStringLiteral("unknown command '%1' (see hookscope --help)").arg(parser.positionalArguments().constFirst()));
        return cli::UsageError;
    }

    StartOptions options;
    options.storePath = cli::dbPath(parser);
    if (parser.isSet(QStringLiteral("bind"))) {
        QHostAddress bind;
        if (!bind.setAddress(parser.value(QStringLiteral("bind")))) {
            cli::err(QStringLiteral("--bind: '%1' is not an IP address").arg(parser.value(QStringLiteral("bind"))));
            return cli::UsageError;
        }
        options.bind = bind;
    }
    if (parser.isSet(QStringLiteral("port"))) {
        qint64 port = 0;
        if (!cli::intOption(parser, QStringLiteral("port"), 0, 65535, &port))
            return cli::UsageError;
        options.port = quint16(port);
    }

    Settings settings;
    Theme theme = settings.theme();
    // HOOKSCOPE_THEME=light|dark|system overrides the setting (screenshots, testing).
    themeFromName(qEnvironmentVariable("HOOKSCOPE_THEME"), &theme);
    applyTheme(theme);
    QApplication::setWindowIcon(appIcon());
    QApplication::setApplicationDisplayName(QStringLiteral("hookscope"));

    MainWindow window(settings, catalog::Catalog::builtin(), options);
    QObject::connect(&window, &MainWindow::listening, &window, [](const QUrl &url) {
        cli::out(QStringLiteral("listening on %1\n").arg(url.toString()));
    });
    if (window.isListening())
        cli::out(QStringLiteral("listening on %1\n").arg(window.listenerUrl().toString()));
    else
        cli::err(window.listener()->errorString());
    // Ctrl+C in the terminal or a session logout: close like the window's close
    // button, so state is saved and the store is flushed.
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, &window, [&window] {
        window.close();
        QApplication::quit();
    });
    window.show();
    return QApplication::exec();
}

} // namespace ui
