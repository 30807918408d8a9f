// The desktop window under the two loads the capture list must take, each
// beside a reference run in the same process:
//   history: a store of N hooks (default 1,000,000) opened in the window;
//            reference: a bare SELECT of the same rows.
//   live:    wrk sends small Codewars POSTs to the window's listener for a few
//            seconds while a 1 ms timer on the GUI thread records how late it
//            fires; reference: the same timer with the window idle.
//
// and two loads of big bodies:
//   big hook:  a 25 MB JSON hook selected: time to the Overview and to the first
//              paint of each body view; resident memory before, while, after.
//   big store: the window started on 1,000 stored 1 MB deliveries, beside the
//              same start on an empty store and one on 1,000 stored 1 MB hooks
//              (a store of schema 7 with the bodies in their rows, migrated
//              first, which is timed on its own).
//
//   QT_QPA_PLATFORM=offscreen bench_gui [hooks] [seconds]
//   QT_QPA_PLATFORM=offscreen bench_gui bodies [hook]    (hook: the big hook only)

#include "capture/bodylog.h"
#include "capture/hookfilterproxy.h"
#include "capture/hookstore.h"
#include "capture/hooktablemodel.h"
#include "capture/listener.h"
#include "capture/storewriter.h"
#include "formats/har.h"
#include "ui/bodyview.h"
#include "ui/captureview.h"
#include "ui/composer.h"
#include "ui/detailview.h"
#include "ui/jsontree.h"
#include "ui/lineview.h"
#include "ui/mainwindow.h"
#include "workspace/settings.h"
#include "workspace/workspace.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <QTreeWidget>

#include <algorithm>
#include <cstdio>
#include <malloc.h>

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

Hook bigHook(qint64 n, QByteArray body)
{
    Hook hook;
    hook.receivedUs = 1'700'000'000'000'000LL + n;
    hook.peerAddress = QStringLiteral("127.0.0.1");
    hook.peerPort = 40000;
    hook.method = "POST";
    hook.target = "/github";
    hook.headers = {{"Host", "127.0.0.1"}, {"Content-Type", "application/json"}, {"X-GitHub-Event", "push"}};
    hook.body = std::move(body);
    hook.answer.status = 200;
    return hook;
}

// A push-like payload of about `bytes` bytes: many commits, each an object of strings.
QByteArray bigJsonBody(qsizetype bytes)
{
    QByteArray body = R"({"ref":"refs/heads/main","commits":[)";
    for (int i = 0; body.size() < bytes; ++i) {
        body += (i ? "," : "") + QByteArray(R"({"id":")") + QByteArray::number(i * 7919, 16).rightJustified(40, '0')
            + R"(","message":"Change number )" + QByteArray::number(i) + R"(","author":{"name":"Ada","email":"ada@example.com"},)"
            + R"("added":["src/a.cpp","src/b.cpp"],"removed":[],"modified":["README.md"],"distinct":true})";
    }
    return body + "]}";
}

// Runs the event loop until ready() holds; returns the seconds it took from `clock`.
template<typename Ready>
double until(const QElapsedTimer &clock, Ready ready)
{
    while (!ready() && clock.elapsed() < 60'000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    return clock.nsecsElapsed() / 1e9;
}

// Counts paint events of one widget.
class PaintCounter : public QObject
{
public:
    explicit PaintCounter(QWidget *widget) : QObject(widget) { widget->installEventFilter(this); }
    int count = 0;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            ++count;
        return false;
    }
};

void settle()
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 300)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

int benchBodies()
{
    QTemporaryDir dir;
    ui::Settings settings;
    settings.clear();

    // A 25 MB hook between two small ones.
    const QString path = dir.filePath(QStringLiteral("big.sqlite"));
    const QByteArray body = bigJsonBody(25 * 1024 * 1024);
    {
        HookStore store;
        store.open(path);
        QList<Hook> hooks{bigHook(1, R"({"zen":"small"})"), bigHook(2, body), bigHook(3, R"({"zen":"small too"})")};
        store.insertHooks(&hooks);
    }
    HookStore::forbidQueriesOn(QThread::currentThread());
    workspace::Workspace workspace(catalog::Catalog::builtin());
    ui::MainWindow window(settings, workspace, ui::StartOptions{path, std::nullopt, quint16(0), {}});
    window.resize(1600, 1000);
    window.show();
    QElapsedTimer clock;
    clock.start();
    until(clock, [&] { return window.isHistoryLoaded(); });
    ui::DetailView *detail = window.detailView();
    ui::BodyView *view = detail->bodyView();
    detail->setCurrentIndex(ui::DetailView::BodyTab);
    const auto select = [&](qint64 id) {
        window.captureView()->selectId(id);
        until(clock, [&] { return detail->hook() && detail->hook()->id == id; });
    };
    select(1);
    settle();
    // The baseline without what filling the store left in the heap (the window
    // hands freed memory back only after a big body).
    malloc_trim(0);
    const double rssBefore = residentMiB();

    printf("big hook: %.1f MB of JSON\n", body.size() / 1e6);
    struct ModeRun { const char *name; ui::BodyView::Mode mode; QWidget *painted; std::function<bool()> ready; };
    const QList<ModeRun> runs{
        {"Pretty", ui::BodyView::Mode::Pretty, view->prettyView()->viewport(), [&] { return view->prettyView()->linesPainted() > 0; }},
        {"Tree", ui::BodyView::Mode::Tree, view->tree()->viewport(), [&] { return view->tree()->topLevelItemCount() > 0; }},
        {"Raw", ui::BodyView::Mode::Raw, view->rawView()->viewport(), [&] { return view->rawView()->linesPainted() > 0; }},
        {"Hex", ui::BodyView::Mode::Hex, view->hexView()->viewport(), [&] { return view->hexView()->linesPainted() > 0; }},
    };
    double rssWhile = 0;
    double overviewS = 0;
    double readS = 0;
    for (const ModeRun &run : runs) {
        select(1);
        view->setPreferredMode(run.mode);
        settle();
        auto *paints = new PaintCounter(run.painted);
        clock.start();
        window.captureView()->selectId(2);
        overviewS = until(clock, [&] { return detail->hook() && detail->hook()->id == 2; });
        const double paintS = until(clock, [&] { return paints->count > 0 && run.ready(); });
        printf("  %-40s %8.0f ms  (Overview and headers shown after %.0f ms)\n",
               qPrintable(QStringLiteral("first paint of %1").arg(QLatin1String(run.name))), paintS * 1000, overviewS * 1000);
        readS = until(clock, [&] { return !view->isReading(); });
        rssWhile = std::max(rssWhile, residentMiB());
        delete paints;
    }
    // The GUI thread's worst stall while the pretty view reads the body on.
    select(1);
    view->setPreferredMode(ui::BodyView::Mode::Pretty);
    settle();
    QElapsedTimer stall;
    double worstStallMs = 0;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    stall.start();
    QObject::connect(&tick, &QTimer::timeout, &tick, [&] {
        worstStallMs = std::max(worstStallMs, stall.nsecsElapsed() / 1e6);
        stall.start();
    });
    tick.start(1);
    clock.start();
    window.captureView()->selectId(2);
    until(clock, [&] { return detail->hook() && detail->hook()->id == 2 && !view->isReading(); });
    tick.stop();
    rssWhile = std::max(rssWhile, residentMiB());
    printf("  %-40s %8.0f ms\n", "whole body read on (pretty, checked)", readS * 1000);
    printf("  %-40s %8.0f ms  (a 1 ms timer on the GUI thread, while selecting it)\n", "longest GUI stall", worstStallMs);

    select(3);
    settle();
    const double rssAfter = residentMiB();
    printf("  %-40s %8.1f MiB before, %.1f MiB while shown (+%.1f, %.1f× the body), %.1f MiB after another hook is selected\n",
           "resident memory", rssBefore, rssWhile, rssWhile - rssBefore, (rssWhile - rssBefore) * 1048576.0 / body.size(), rssAfter);
    printf("  %-40s %8d\n", "SQL statements on the GUI thread", HookStore::forbiddenQueries());

    // Edit & Replay of it: the Composer loaded and its check done, then a header
    // changed and the body checked again; the GUI thread's worst stall over each.
    select(2);
    until(clock, [&] { return !view->isReading(); });
    settle();
    ui::Composer *composer = window.composer();
    const auto checked = [&] { return !composer->checkLabel()->text().startsWith(QStringLiteral("Checking")); };
    stall.start();
    worstStallMs = 0;
    tick.start(1);
    clock.start();
    window.action(ui::MainWindow::Action::EditReplay)->trigger();
    const double openS = until(clock, [&] { return composer->replayOf() == 2; });
    const double openCheckS = until(clock, checked);
    const double openStallMs = worstStallMs;
    worstStallMs = 0;
    stall.start();
    clock.start();
    composer->secretEdit()->setText(QStringLiteral("s3cret"));
    QCoreApplication::processEvents();
    until(clock, [&] { return !checked(); });
    const double editCheckS = until(clock, checked);
    tick.stop();
    printf("  %-40s %8.0f ms  (checked after %.0f ms; longest GUI stall %.0f ms)\n", "Edit & Replay: the Composer loaded", openS * 1000,
           openCheckS * 1000, openStallMs);
    printf("  %-40s %8.0f ms  (longest GUI stall %.0f ms)\n", "Edit & Replay: a secret typed, checked again", editCheckS * 1000,
           worstStallMs);
    HookStore::forbidQueriesOn(nullptr);
    return 0;
}

void setSchemaVersion(const QString &path, int version)
{
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("schema"));
        db.setDatabaseName(path);
        if (db.open())
            QSqlQuery(db).exec(QStringLiteral("PRAGMA user_version=%1").arg(version));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("schema"));
}

// Start time and memory of the window on a store, until its history is in the table.
void startOn(const QString &label, const QString &path)
{
    ui::Settings settings;
    settings.clear();
    const double rssBefore = residentMiB();
    QElapsedTimer clock;
    clock.start();
    {
        workspace::Workspace workspace(catalog::Catalog::builtin());
        ui::MainWindow window(settings, workspace, ui::StartOptions{path, std::nullopt, quint16(0), {}});
        window.resize(1600, 1000);
        window.show();
        const double loadedS = until(clock, [&] { return window.isHistoryLoaded(); });
        settle();
        window.captureView()->selectId(1);
        settle();
        printf("  %-40s %8.3f s   %+8.1f MiB resident (history in the table; hook #1 and its deliveries shown)\n", qPrintable(label), loadedS,
               residentMiB() - rssBefore);
    }
    settle();
}

int benchBigStore()
{
    QTemporaryDir dir;
    const QString empty = dir.filePath(QStringLiteral("empty.sqlite"));
    const QString full = dir.filePath(QStringLiteral("full.sqlite"));
    {
        HookStore store;
        store.open(empty);
        QList<Hook> hooks{bigHook(1, R"({"zen":"small"})")};
        store.insertHooks(&hooks);
    }
    QFile::copy(empty, full);
    {
        HookStore store;
        store.open(full);
        QByteArray mb(1024 * 1024, 'x');
        for (int batch = 0; batch < 20; ++batch) {
            QList<Delivery> deliveries;
            for (int i = 0; i < 50; ++i) {
                Delivery d;
                // Half sent from hook #1 (forwards and replays), half from the Composer.
                d.kind = i % 2 ? Delivery::Kind::Compose : Delivery::Kind::Forward;
                d.hookId = i % 2 ? 0 : 1;
                d.startedUs = 1'700'000'000'000'000LL + batch * 50 + i;
                d.method = "POST";
                d.url = QStringLiteral("http://localhost:3000/hooks");
                d.requestHeaders = {{"Content-Type", "application/json"}};
                mb[0] = char('a' + (batch * 50 + i) % 26);
                d.requestBody = mb;
                d.status = 200;
                deliveries.append(d);
            }
            store.addDeliveries(&deliveries);
        }
        store.checkpoint(HookStore::Checkpoint::Truncate);
    }
    // And the same number of bytes in hooks: 1,000 hooks of 1 MB.
    const QString bigHooks = dir.filePath(QStringLiteral("hooks.sqlite"));
    {
        HookStore store;
        store.open(bigHooks);
        QByteArray mb = bigJsonBody(1024 * 1024);
        for (int batch = 0; batch < 20; ++batch) {
            QList<Hook> hooks;
            for (int i = 0; i < 50; ++i) {
                mb[mb.size() - 3] = char('a' + (batch * 50 + i) % 26);
                hooks.append(bigHook(batch * 50 + i, mb));
            }
            store.insertHooks(&hooks);
        }
        store.checkpoint(HookStore::Checkpoint::Truncate);
    }
    // Filled without a body log, every body in its row: what a store of schema 7
    // holds from before it, which the first start of this build moves to the log.
    setSchemaVersion(bigHooks, 7);
    const double inlineMB = QFileInfo(bigHooks).size() / 1e6;
    printf("\nbig store: the window started on 1,000 stored 1 MB deliveries (%.0f MB file), on the same store without them,\n"
           "and on 1,000 stored hooks of 1 MB (%.0f MB file of schema 7, their bodies in their rows, migrated first)\n",
           QFileInfo(full).size() / 1e6, inlineMB);
    startOn(QStringLiteral("start, store without deliveries"), empty);
    startOn(QStringLiteral("start, 1,000 deliveries of 1 MB"), full);
    {
        // As the app opens it: its writer migrates the store before anything else.
        QElapsedTimer clock;
        clock.start();
        StoreWriter writer(catalog::Catalog::builtin());
        const bool migrated = writer.open(bigHooks);
        const double migrationS = clock.elapsed() / 1000.0;
        writer.close();
        qint64 logBytes = 0;
        for (const qint64 segment : BodyLog::segments(bigHooks))
            logBytes += QFileInfo(BodyLog::segmentPath(bigHooks, segment)).size();
        printf("  %-40s %8.3f s   (%s; %.0f MB file before, %.1f MB after, %.0f MB body log)\n", "migrating it (one time)", migrationS,
               migrated ? "schema 8" : qPrintable(writer.errorString()), inlineMB, QFileInfo(bigHooks).size() / 1e6, logBytes / 1e6);
    }
    startOn(QStringLiteral("start, 1,000 hooks of 1 MB"), bigHooks);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    if (argc > 1 && QByteArray(argv[1]) == "bodies") {
        benchBodies();
        return argc > 2 && QByteArray(argv[2]) == "hook" ? 0 : benchBigStore();
    }
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
