// The desktop window under the two loads the capture list must take, each
// beside a reference run in the same process:
//   history: a store of N hooks (default 1,000,000) opened in the window;
//            reference: a bare SELECT of the same rows.
//   live:    wrk sends small Codewars POSTs to the window's listener for a few
//            seconds while a 1 ms timer on the GUI thread records how late it
//            fires; reference: the same timer with the window idle.
//
//   QT_QPA_PLATFORM=offscreen bench_gui [hooks] [seconds]

#include "capture/hookfilterproxy.h"
#include "capture/hookstore.h"
#include "capture/hooktablemodel.h"
#include "capture/listener.h"
#include "formats/har.h"
#include "ui/captureview.h"
#include "ui/mainwindow.h"
#include "workspace/settings.h"
#include "workspace/workspace.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>

namespace {

double residentMiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

void fillStore(const QString &path, int total)
{
    HookStore store;
    store.open(path);
    static const char *events[] = {"code_challenge", "user", "webhook"};
    static const char *actions[] = {"created", "honor_changed", "updated"};
    for (int done = 0; done < total;) {
        QList<Hook> batch;
        for (int i = 0; i < 8192 && done < total; ++i, ++done) {
            Hook hook;
            hook.receivedUs = 1'700'000'000'000'000LL + done * 1000LL;
            hook.peerAddress = QStringLiteral("127.0.0.1");
            hook.peerPort = 40000;
            hook.method = "POST";
            hook.target = "/codewars/hook";
            hook.headers = {{"Host", "127.0.0.1"}, {"X-Webhook-Event", events[done % 3]}};
            hook.body = R"({"action":")" + QByteArray(actions[done % 3]) + R"(","user":{"id":"53aa3f265b97485984000001"}})";
            hook.inspection.provider = QStringLiteral("codewars");
            hook.inspection.event = QString::fromLatin1(events[done % 3]);
            hook.inspection.action = QString::fromLatin1(actions[done % 3]);
            hook.answer.status = 200;
            batch.append(hook);
        }
        store.insertHooks(&batch);
    }
}

// Lateness of a 1 ms timer on the GUI thread over `ms` milliseconds.
QList<double> timerLateness(int ms)
{
    QList<double> late;
    QElapsedTimer clock;
    clock.start();
    qint64 last = clock.nsecsElapsed();
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    QObject::connect(&tick, &QTimer::timeout, &tick, [&] {
        const qint64 now = clock.nsecsElapsed();
        late.append(std::max(0.0, (now - last) / 1e6 - 1.0));
        last = now;
    });
    tick.start(1);
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
    std::sort(late.begin(), late.end());
    return late;
}

double percentile(const QList<double> &sorted, double p)
{
    return sorted.isEmpty() ? 0 : sorted.at(std::min<qsizetype>(sorted.size() - 1, qsizetype(p * sorted.size())));
}

} // namespace

int main(int argc, char **argv)
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    const int total = argc > 1 ? QByteArray(argv[1]).toInt() : 1'000'000;
    const int seconds = argc > 2 ? QByteArray(argv[2]).toInt() : 8;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("hooks.sqlite"));
    fprintf(stderr, "filling a store with %d hooks...\n", total);
    fillStore(path, total);

    QElapsedTimer timer;
    timer.start();
    qint64 referenceRows = 0;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("reference"));
        db.setDatabaseName(path);
        db.open();
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.exec(QStringLiteral("SELECT id, received_us, method, target, event, action, body_size, answer_status FROM hooks"));
        while (q.next())
            referenceRows += q.value(0).toLongLong() > 0;
    }
    QSqlDatabase::removeDatabase(QStringLiteral("reference"));
    const double referenceS = timer.nsecsElapsed() / 1e9;

    const double rssBefore = residentMiB();
    // The window must not run SQL on its thread; what it would, is counted.
    HookStore::forbidQueriesOn(QThread::currentThread());
    ui::Settings settings;
    settings.clear();
    timer.start();
    workspace::Workspace workspace(catalog::Catalog::builtin());
    ui::MainWindow window(settings, workspace, ui::StartOptions{path, std::nullopt, quint16(0), {}});
    window.resize(1300, 850);
    window.show();
    QCoreApplication::processEvents();
    const double usableS = timer.nsecsElapsed() / 1e9;
    while (!window.isHistoryLoaded())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    const double loadedS = timer.nsecsElapsed() / 1e9;

    QTableView *view = window.captureView();
    timer.start();
    view->scrollToBottom();
    QCoreApplication::processEvents();
    const double jumpS = timer.nsecsElapsed() / 1e9;

    timer.start();
    HookQuery byEvent;
    byEvent.event = QStringLiteral("user");
    window.proxy()->setQuery(byEvent);
    const int userRows = window.proxy()->rowCount();
    QCoreApplication::processEvents();
    const double filterS = timer.nsecsElapsed() / 1e9;
    window.proxy()->setQuery({});
    QCoreApplication::processEvents();
    const double rssLoaded = residentMiB();

    printf("history: %d hooks\n", total);
    printf("  %-40s %8.3f s\n", "window shown and usable", usableS);
    printf("  %-40s %8.3f s   (bare SELECT of %lld rows: %.3f s, ratio %.2f)\n", "all rows in the table", loadedS, referenceRows, referenceS,
           referenceS / loadedS);
    printf("  %-40s %8.1f ms\n", "jump to the end", jumpS * 1000);
    printf("  %-40s %8.1f ms  (%d rows)\n", "filter by event", filterS * 1000, userRows);
    printf("  %-40s %8.1f MiB (before the window: %.1f MiB)\n", "resident memory", rssLoaded, rssBefore);

    // Live load: follow the newest rows while wrk posts to the window's listener.
    view->scrollToBottom();
    const QList<double> idle = timerLateness(2000);
    const QString url = window.listenerUrl().toString() + QStringLiteral("codewars/hook");
    const qint64 before = window.model()->totalInStore();
    QProcess wrk;
    wrk.start(QStringLiteral("wrk"), {QStringLiteral("-t2"), QStringLiteral("-c16"), QStringLiteral("-d%1s").arg(seconds), QStringLiteral("-s"),
                                      QStringLiteral(HOOKSCOPE_BENCH_DIR "/codewars-post.lua"), url});
    if (!wrk.waitForStarted()) {
        printf("wrk is not installed: live load skipped\n");
        return 0;
    }
    const QList<double> loaded = timerLateness(seconds * 1000);
    wrk.waitForFinished(30000);
    const QByteArray report = wrk.readAllStandardOutput();
    QCoreApplication::processEvents(QEventLoop::AllEvents, 500);
    qint64 answered = 0;
    for (const QByteArray &line : report.split('\n')) {
        if (line.contains("requests in"))
            answered = line.trimmed().split(' ').value(0).toLongLong();
    }
    QElapsedTimer settle;
    settle.start();
    while (window.model()->totalInStore() - before < answered && settle.elapsed() < 5000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    // Every answered hook reached the window (and so the store) before this.
    const qint64 storedDuringLoad = window.model()->totalInStore() - before;

    // Operations while hooks arrive: what a user does in a busy window.
    const qint64 beforeOps = window.model()->totalInStore();
    QList<qint64> oldest;
    for (int row = 0; row < std::min(10'000, window.model()->rowCount()); ++row)
        oldest.append(window.model()->idAt(row));
    QTemporaryDir opsDir;
    const QString har = opsDir.filePath(QStringLiteral("import.har"));
    {
        QList<Hook> imported;
        for (int i = 0; i < 1000; ++i) {
            Hook hook;
            hook.receivedUs = 1'600'000'000'000'000LL + i;
            hook.method = "POST";
            hook.target = "/imported";
            hook.headers = {{"Host", "example.test"}, {"X-Webhook-Event", "user"}};
            hook.body = R"({"action":"honor_changed"})";
            imported.append(hook);
        }
        QFile file(har);
        file.open(QIODevice::WriteOnly);
        file.write(formats::hooksToHar(imported));
    }
    int opsDone = 0;
    QObject::connect(&window, &ui::MainWindow::importFinished, &window, [&opsDone] { ++opsDone; });
    QObject::connect(&window, &ui::MainWindow::replayFinished, &window, [&opsDone] { ++opsDone; });
    QObject::connect(&window.workspace(), &workspace::Workspace::hooksRemoved, &window, [&opsDone] { ++opsDone; });
    QObject::connect(&window.workspace(), &workspace::Workspace::storeChanged, &window, [&opsDone] { ++opsDone; });
    QProcess wrkOps;
    wrkOps.start(QStringLiteral("wrk"), {QStringLiteral("-t2"), QStringLiteral("-c16"), QStringLiteral("-d%1s").arg(seconds), QStringLiteral("-s"),
                                         QStringLiteral(HOOKSCOPE_BENCH_DIR "/codewars-post.lua"), url});
    wrkOps.waitForStarted();
    QTimer::singleShot(seconds * 100, &window, [&] { window.deleteHooks(oldest); });
    QTimer::singleShot(seconds * 300, &window, [&] { window.importFrom(har); });
    QTimer::singleShot(seconds * 500, &window, [&] { window.replay(oldest.isEmpty() ? QList<qint64>() : QList<qint64>{window.model()->idAt(0)}, window.listenerUrl()); });
    QTimer::singleShot(seconds * 700, &window, [&] {
        settings.setKeepHooks(int(std::max<qint64>(1, (beforeOps + 1000) / 2)));
        window.applySettings();
    });
    const QList<double> busy = timerLateness(seconds * 1000);
    wrkOps.waitForFinished(30000);
    QElapsedTimer settleOps;
    settleOps.start();
    while ((opsDone < 4 || !window.isHistoryLoaded()) && settleOps.elapsed() < 30000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    const int guiQueries = HookStore::forbiddenQueries();
    HookStore::forbidQueriesOn(nullptr);

    HookStore check;
    check.open(path, HookStore::Mode::ReadOnly);
    const qint64 storedNow = check.count();

    printf("\nlive: wrk -t2 -c16 for %d s against the window's listener, table following\n", seconds);
    printf("  %-40s %8.1f ms  (idle window: %.1f ms)\n", "GUI timer lateness, 99th percentile", percentile(loaded, 0.99), percentile(idle, 0.99));
    printf("  %-40s %8.1f ms  (idle window: %.1f ms)\n", "GUI timer lateness, worst", loaded.isEmpty() ? 0 : loaded.last(), idle.isEmpty() ? 0 : idle.last());
    printf("  %-40s %8lld     (wrk counted %lld answers, %.0f/s)\n", "hooks stored during the load", storedDuringLoad, answered, double(answered) / seconds);
    printf("  %-40s %8lld\n", "rows in the table after it", beforeOps - total);
    printf("\noperations during another %d s of the same load: delete %lld hooks, import 1,000, replay one, retention\n",
           seconds, qint64(oldest.size()));
    printf("  %-40s %8.1f ms\n", "GUI timer lateness, 99th percentile", percentile(busy, 0.99));
    printf("  %-40s %8.1f ms\n", "GUI timer lateness, worst", busy.isEmpty() ? 0 : busy.last());
    printf("  %-40s %8d of 4\n", "operations finished", std::min(opsDone, 4));
    printf("  %-40s %8d\n", "SQL statements on the GUI thread", guiQueries);
    printf("  %-40s %8lld     (rows in the table: %d)\n", "hooks in the store at the end", storedNow, window.model()->rowCount());
    return 0;
}
