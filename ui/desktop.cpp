#include "desktop.h"

#include "icons.h"
#include "mainwindow.h"
#include "theme.h"

#include "catalog/usercatalogs.h"
#include "workspace/settings.h"
#include "workspace/signalwatcher.h"
#include "workspace/workspace.h"

#include <QApplication>

#include <cstdio>

namespace ui {

namespace {

void say(FILE *stream, const QString &line)
{
    std::fputs(qPrintable(line + u'\n'), stream);
    std::fflush(stream);
}

} // namespace

int runDesktop(const StartOptions &options)
{
    // Every query and write runs on the workspace's threads; one on this thread
    // would stall the window (see HookStore::forbidQueriesOn()).
    HookStore::forbidQueriesOn(QThread::currentThread());

    Settings settings;
    Theme theme = settings.theme();
    // HOOKSCOPE_THEME=light|dark|system overrides the setting (screenshots, testing).
    themeFromName(qEnvironmentVariable("HOOKSCOPE_THEME"), &theme);
    applyTheme(theme);
    QApplication::setWindowIcon(appIcon());
    QApplication::setApplicationDisplayName(QStringLiteral("hookscope"));

    const catalog::LoadedCatalog catalogs = catalog::loadCatalogs(options.catalogFiles);
    for (const QString &problem : catalogs.problems)
        say(stderr, u"hookscope: catalog not loaded: " + problem);
    // A file named on the command line is meant: without it the run is not the one asked for.
    if (!catalogs.refusedFiles.isEmpty()) {
        for (const QString &refused : catalogs.refusedFiles)
            say(stderr, u"hookscope: --catalog: " + refused);
        return 2;
    }
    workspace::Workspace workspace(catalogs.catalog);
    MainWindow window(settings, workspace, options);
    window.reportCatalogProblems(catalogs.problems);
    QObject::connect(&workspace, &workspace::Workspace::listening, &window, [](const QUrl &url) {
        say(stdout, QStringLiteral("listening on %1").arg(url.toString()));
    });
    if (workspace.isListening())
        say(stdout, QStringLiteral("listening on %1").arg(workspace.url().toString()));
    else
        say(stderr, u"hookscope: " + workspace.errorString());
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
