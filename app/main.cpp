#include "cli/cli.h"
#include "ui/desktop.h"

#include <QApplication>
#include <QCoreApplication>

#include <memory>

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
    QApplication app(argc, argv);
    return ui::runDesktop(arguments);
}
