// How fast the store takes hooks in and the capture list pages them back out,
// each beside a reference run in the same process:
//   insert: HookStore::insertHooks (group commit)  vs  bare prepared INSERTs of the same rows through sqlite via Qt Sql
//   load:   HookTableModel fetching every row       vs  a bare SELECT of the same columns
//
//   bench_store [hooks]   (default 1,000,000)

#include "capture/hookstore.h"
#include "capture/hooktablemodel.h"
#include "capture/hookfilterproxy.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <cstdio>

namespace {

long residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLong();
    }
    return -1;
}

Hook sampleHook(int i)
{
    static const char *events[] = {"code_challenge", "user", "webhook"};
    static const char *actions[] = {"created", "honor_changed", "updated"};
    Hook hook;
    hook.receivedUs = 1'700'000'000'000'000LL + i;
    hook.peerAddress = QStringLiteral("127.0.0.1");
    hook.peerPort = quint16(40000 + i % 1000);
    hook.method = "POST";
    hook.target = "/codewars/hook";
    hook.headers = {{"Host", "127.0.0.1:8790"}, {"User-Agent", "Codewars Hookbot"}, {"Content-Type", "application/json"},
                    {"X-Webhook-Event", events[i % 3]}, {"Content-Length", "120"}};
    hook.body = R"({"action":")" + QByteArray(actions[i % 3]) + R"(","code_challenge":{"id":"50654ddff44f800200000001","created_by_id":"508f2708b3be0c0200000002"}})";
    hook.inspection.provider = QStringLiteral("codewars");
    hook.inspection.event = QString::fromLatin1(events[i % 3]);
    hook.inspection.action = QString::fromLatin1(actions[i % 3]);
    hook.answer.status = 200;
    hook.answer.headers = {{"Content-Type", "application/json"}, {"Content-Length", "9"}};
    hook.answer.body = "{\"id\":1}\n";
    return hook;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int total = argc > 1 ? QByteArray(argv[1]).toInt() : 1'000'000;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("hooks.sqlite"));
    QElapsedTimer timer;

    // Insert: the store in batches of 4096 (what group commit does under load).
    double storeInsertS = 0;
    {
        HookStore store;
        if (!store.open(path)) {
            fprintf(stderr, "%s\n", qPrintable(store.errorString()));
            return 1;
        }
        timer.start();
        for (int done = 0; done < total;) {
            QList<Hook> batch;
            for (int i = 0; i < 4096 && done < total; ++i, ++done)
                batch.append(sampleHook(done));
            store.insertHooks(&batch);
        }
        storeInsertS = timer.nsecsElapsed() / 1e9;
    }
    // Reference: the same row shape, one prepared INSERT of pre-encoded values.
    double referenceInsertS = 0;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("reference"));
        db.setDatabaseName(dir.filePath(QStringLiteral("reference.sqlite")));
        db.open();
        QSqlQuery q(db);
        q.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
        q.exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
        q.exec(QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, received INTEGER, headers BLOB, body BLOB, event TEXT, action TEXT)"));
        const Hook sample = sampleHook(0);
        const QByteArray headers = HookStore::encodeHeaders(sample.headers);
        timer.start();
        q.prepare(QStringLiteral("INSERT INTO t (received, headers, body, event, action) VALUES (?, ?, ?, ?, ?)"));
        for (int done = 0; done < total;) {
            db.transaction();
            for (int i = 0; i < 4096 && done < total; ++i, ++done) {
                q.bindValue(0, sample.receivedUs + done);
                q.bindValue(1, headers);
                q.bindValue(2, sample.body);
                q.bindValue(3, sample.inspection.event);
                q.bindValue(4, sample.inspection.action);
                q.exec();
            }
            db.commit();
        }
        referenceInsertS = timer.nsecsElapsed() / 1e9;
    }
    QSqlDatabase::removeDatabase(QStringLiteral("reference"));

    // Load: a bare SELECT of the row columns, then the model paging everything in.
    double referenceLoadS = 0;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("select"));
        db.setDatabaseName(path);
        db.open();
        QSqlQuery q(db);
        q.setForwardOnly(true);
        timer.start();
        q.exec(QStringLiteral("SELECT id, received_us, method, target, event, action, provider, secret, signature,"
                              " body_size, answer_status, forward_status, problem_count FROM hooks ORDER BY id"));
        qint64 sum = 0;
        while (q.next()) {
            for (int c = 0; c < 13; ++c)
                sum += q.value(c).toLongLong();
        }
        referenceLoadS = timer.nsecsElapsed() / 1e9;
        if (sum == 42)
            puts("");
    }
    QSqlDatabase::removeDatabase(QStringLiteral("select"));

    const long rssBefore = residentKiB();
    timer.start();
    // The model asks for pages; here they are read on this thread, one after the
    // other, as the workspace's reader thread would answer them.
    HookTableModel model;
    HookStore reader;
    reader.open(path, HookStore::Mode::ReadOnly);
    struct Request { quint64 generation = 0; qint64 afterId = 0; int limit = 0; bool asked = false; } request;
    model.setPageSource([&request](quint64 generation, qint64 afterId, int limit) { request = {generation, afterId, limit, true}; });
    const auto answer = [&] {
        request.asked = false;
        HookQuery query;
        query.afterId = request.afterId;
        query.limit = request.limit;
        QList<HookRow> rows;
        reader.forEachRow(query, [&rows](const HookRow &row) {
            rows.append(row);
            return true;
        });
        model.addHistoryPage(request.generation, rows);
    };
    model.startHistory(reader.count());
    const double openS = timer.nsecsElapsed() / 1e9;
    answer();
    const double firstPageS = timer.nsecsElapsed() / 1e9;
    while (request.asked)
        answer();
    const double modelLoadS = timer.nsecsElapsed() / 1e9;
    const long rssAfter = residentKiB();

    HookFilterProxy proxy;
    proxy.setSourceModel(&model);
    timer.start();
    HookQuery byEvent;
    byEvent.event = QStringLiteral("user");
    proxy.setQuery(byEvent);
    const int filtered = proxy.rowCount();
    const double filterS = timer.nsecsElapsed() / 1e9;

    printf("hooks: %d\n\n", total);
    printf("%-44s %10s %10s %8s\n", "", "hookscope", "reference", "ratio");
    printf("%-44s %9.0f/s %9.0f/s %8.2f\n", "insert (4096 per transaction)", total / storeInsertS, total / referenceInsertS,
           referenceInsertS / storeInsertS);
    printf("%-44s %9.3f s %9.3f s %8.2f\n", "load every row (model vs bare SELECT)", modelLoadS, referenceLoadS, referenceLoadS / modelLoadS);
    printf("\n%-44s %9.3f s\n", "model: open store", openS);
    printf("%-44s %9.3f s\n", "model: first page visible", firstPageS);
    printf("%-44s %9.3f s  (%d rows)\n", "filter by event over all rows", filterS, filtered);
    printf("%-44s %9.1f MiB\n", "model memory (resident growth)", (rssAfter - rssBefore) / 1024.0);
    return 0;
}
