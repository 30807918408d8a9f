#include "cli/cli.h"
#include "cli/clicommon.h"
#include "ui/desktop.h"

#include <QApplication>
#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(QStringLiteral("hookscope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HOOKSCOPE_VERSION));

    QStringList arguments;
    arguments.reserve(argc);
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));

    if (cli::isCliInvocation(arguments)) {
        // Without a GUI there is nothing glib's event loop integration is needed
        // for, and Qt's own is lighter on the listener's hot path.
        qputenv("QT_NO_GLIB", "1");
        QCoreApplication app(argc, argv);
        return cli::run(arguments);
    }
    // The window's own flags are read before there is a window, so that a
    // mistake is told on the terminal and no window opens.
    ui::StartOptions options;
    int exitCode = 0;
    if (!cli::parseDesktopOptions(arguments, &options.storePath, &options.bind, &options.port, &options.catalogFiles, &exitCode))
        return exitCode;
    QApplication app(argc, argv);
    // Lets the desktop (Wayland in particular) match the window to its launcher entry.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.hookscope.Hookscope"));
    return ui::runDesktop(options);
}
