#include "testhelpers.h"

#include "capture/bodylog.h"
#include "capture/hookstore.h"
#include "capture/storewriter.h"

#include "schemahelpers.h"

#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

using testhelpers::makeHook;

class tst_HookStore : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void shouldCreateSchemaInWalMode();
    void shouldRoundTripHooksExactly_data();
    void shouldRoundTripHooksExactly();
    void shouldFindEverythingAfterReopen();
    void shouldRefuseMissingOrForeignFiles_data();
    void shouldRefuseMissingOrForeignFiles();
    void shouldRefuseStoreOfNewerSchema();
    void shouldMigrateSchema5ToKeepRefusedRequests();
    void shouldMigrateSchema6KeepingRefusalsAndMovingLargeBodiesToTheLog();
    void shouldQueryByEventActionAndText();
    void shouldStreamCompactRows();
    void shouldStoreDeliveriesAndForwardStatus();
    void shouldListDeliveriesWithTheSizesOfTheirBodiesOnly();
    void shouldRemoveClearAndPrune();
    void shouldGroupCommitInOneTransaction();
    void shouldKeepRefusedHooksAndRetry();
    void shouldAllowOneWriterOnly();
    void shouldMigrateOlderStores();
    void shouldMigrateDeliveriesToReferenceTheirHooksBody();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void tst_HookStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("hooks.sqlite"));
}

void tst_HookStore::shouldCreateSchemaInWalMode()
{
    HookStore store;
    QVERIFY2(store.open(m_path), qPrintable(store.errorString()));
    QCOMPARE(store.journalMode(), QStringLiteral("wal"));
    QCOMPARE(store.synchronousLevel(), 1);
    QCOMPARE(store.schemaVersion(), HookStore::SchemaVersion);
    QString report;
    QVERIFY(store.integrityCheck(&report));
}

void tst_HookStore::shouldRoundTripHooksExactly_data()
{
    testhelpers::addExactHookRows();
}

void tst_HookStore::shouldRoundTripHooksExactly()
{
    QFETCH(Hook, hook);
    HookStore store;
    QVERIFY(store.open(m_path));
    QVERIFY(store.insertHook(&hook));
    QVERIFY(hook.id > 0);
    const std::optional<Hook> read = store.hook(hook.id);
    QVERIFY(read);
    QCOMPARE(read->headers, hook.headers);
    QCOMPARE(read->body, hook.body.isNull() ? QByteArray("") : hook.body);
    Hook expected = hook;
    if (expected.body.isNull())
        expected.body = QByteArray("");
    QCOMPARE(*read, expected);
}

void tst_HookStore::shouldFindEverythingAfterReopen()
{
    QList<Hook> hooks;
    for (int i = 0; i < 100; ++i)
        hooks.append(makeHook("code_challenge", QByteArray::number(i)));
    {
        HookStore store;
        QVERIFY(store.open(m_path));
        QVERIFY(store.insertHooks(&hooks));
    }
    HookStore reopened;
    QVERIFY(reopened.open(m_path, HookStore::Mode::ReadOnly));
    QCOMPARE(reopened.count(), 100);
    QCOMPARE(reopened.maxId(), hooks.last().id);
    const QList<Hook> read = reopened.hooks({});
    QCOMPARE(read.size(), 100);
    for (int i = 0; i < 100; ++i)
        QCOMPARE(read.at(i), hooks.at(i));
}

void tst_HookStore::shouldRefuseMissingOrForeignFiles_data()
{
    QTest::addColumn<QByteArray>("content");   // null: no file at all
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing file read-only") << QByteArray() << int(HookStore::Mode::ReadOnly) << QStringLiteral("no such file");
    QTest::newRow("text file") << QByteArray("this is not a database, just text\n") << int(HookStore::Mode::ReadWrite)
                               << QStringLiteral("not a hookscope store");
    QTest::newRow("empty sqlite read-only") << QByteArray("") << int(HookStore::Mode::ReadOnly) << QStringLiteral("not a hookscope store");
}

void tst_HookStore::shouldRefuseMissingOrForeignFiles()
{
    QFETCH(QByteArray, content);
    QFETCH(int, mode);
    QFETCH(QString, message);
    if (!content.isNull()) {
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }
    HookStore store;
    QVERIFY(!store.open(m_path, HookStore::Mode(mode)));
    QVERIFY2(store.errorString().contains(m_path), qPrintable(store.errorString()));
    QVERIFY2(store.errorString().contains(message), qPrintable(store.errorString()));
}

void tst_HookStore::shouldRefuseStoreOfNewerSchema()
{
    {
        HookStore store;
        QVERIFY(store.open(m_path));
    }
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        db.setDatabaseName(m_path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version=99")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    HookStore store;
    QVERIFY(!store.open(m_path));
    QVERIFY2(store.errorString().contains(QStringLiteral("newer")), qPrintable(store.errorString()));
}

void tst_HookStore::shouldQueryByEventActionAndText()
{
    HookStore store;
    QVERIFY(store.open(m_path));
    QList<Hook> hooks{makeHook("code_challenge"), makeHook("user"), makeHook("user"), makeHook("webhook")};
    hooks[1].inspection.action = QStringLiteral("rank_upgraded");
    hooks[2].inspection.action = QStringLiteral("honor_changed");
    hooks[2].body = "{\"needle-in-body\":1}";
    hooks[3].headers.append(http::HeaderField{"X-Needle", "in-header"});
    QVERIFY(store.insertHooks(&hooks));

    HookQuery byEvent;
    byEvent.event = QStringLiteral("user");
    QCOMPARE(store.hooks(byEvent).size(), 2);
    byEvent.actions = {QStringLiteral("honor_changed")};
    QCOMPARE(store.hooks(byEvent).constFirst().id, hooks[2].id);

    HookQuery text;
    text.search = QStringLiteral("needle-in-body");
    QCOMPARE(store.hooks(text).constFirst().id, hooks[2].id);
    text.search = QStringLiteral("in-header");
    QCOMPARE(store.hooks(text).constFirst().id, hooks[3].id);

    HookQuery ids;
    ids.ids = {hooks[3].id, hooks[0].id};
    QCOMPARE(store.hooks(ids).size(), 2);

    HookQuery newest;
    newest.limit = 1;
    newest.newestFirst = true;
    QCOMPARE(store.hooks(newest).constFirst().id, hooks[3].id);
    QCOMPARE(store.distinctEvents(), (QStringList{QStringLiteral("code_challenge"), QStringLiteral("user"), QStringLiteral("webhook")}));
}

void tst_HookStore::shouldStreamCompactRows()
{
    HookStore store;
    QVERIFY(store.open(m_path));
    QList<Hook> hooks{makeHook(), makeHook(), makeHook()};
    hooks[1].inspection.provider = QStringLiteral("github");
    hooks[1].inspection.signature = catalog::Verdict::Valid;
    QVERIFY(store.insertHooks(&hooks));
    QList<HookRow> rows;
    HookQuery after;
    after.afterId = hooks[0].id;
    QVERIFY(store.forEachRow(after, [&](const HookRow &row) {
        rows.append(row);
        return true;
    }));
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.at(0).id, hooks[1].id);
    QCOMPARE(rows.at(0).authenticity, catalog::Verdict::Valid);
    QCOMPARE(rows.at(0).size, hooks[1].body.size());
    QCOMPARE(rows.at(0).target, hooks[1].target);
    QCOMPARE(rows.at(0).forwardStatus, -1);
}

void tst_HookStore::shouldStoreDeliveriesAndForwardStatus()
{
    HookStore store;
    QVERIFY(store.open(m_path));
    Hook hook = makeHook();
    QVERIFY(store.insertHook(&hook));
    Delivery failed;
    failed.hookId = hook.id;
    failed.kind = Delivery::Kind::Forward;
    failed.method = "POST";
    failed.url = QStringLiteral("http://127.0.0.1:1/");
    failed.requestHeaders = {{"Content-Type", "application/json"}};
    failed.requestBody = hook.body;
    failed.error = QStringLiteral("connection refused");
    QVERIFY(store.addDelivery(&failed));
    QVERIFY(failed.id > 0);
    int forward = 99;
    store.forEachRow({}, [&](const HookRow &row) { forward = row.forwardStatus; return true; });
    QCOMPARE(forward, 0);

    Delivery ok = failed;
    ok.error.clear();
    ok.status = 204;
    ok.responseHeaders = {{"Server", "test"}};
    ok.requestHead = "POST / HTTP/1.1\r\nHost: 127.0.0.1:1\r\nContent-Type: application/json\r\nContent-Length: 3\r\n\r\n";
    ok.timings = {10, 20, -1, 400, 500};
    QVERIFY(store.addDelivery(&ok));
    store.forEachRow({}, [&](const HookRow &row) { forward = row.forwardStatus; return true; });
    QCOMPARE(forward, 204);
    Delivery edited = ok;
    edited.requestBody = hook.body + " edited";
    QVERIFY(store.addDelivery(&edited));
    const QList<Delivery> deliveries = store.deliveries(hook.id);
    QCOMPARE(deliveries.size(), 3);
    QCOMPARE(deliveries.at(0), failed);
    QCOMPARE(deliveries.at(1), ok);
    QCOMPARE(deliveries.at(2), edited);

    // The hook's body is stored once: the deliveries that sent it unchanged refer to it.
    const QList<QList<qint64>> rows = rawRows(m_path, QStringLiteral("SELECT body_from_hook, length(request_body) FROM deliveries ORDER BY id"));
    QCOMPARE(rows, (QList<QList<qint64>>{{1, 0}, {1, 0}, {0, edited.requestBody.size()}}));
}

void tst_HookStore::shouldListDeliveriesWithTheSizesOfTheirBodiesOnly()
{
    HookStore store;
    QVERIFY(store.open(m_path));
    Hook hook = makeHook();
    QVERIFY(store.insertHook(&hook));
    Delivery replay;
    replay.hookId = hook.id;
    replay.kind = Delivery::Kind::Replay;
    replay.attempt = 2;
    replay.startedUs = 1'700'000'000'000'000LL;
    replay.durationUs = 1500;
    replay.method = "POST";
    replay.url = QStringLiteral("http://127.0.0.1:9/in");
    replay.requestHeaders = {{"Content-Type", "application/json"}};
    replay.requestBody = hook.body;   // stored as the hook's
    replay.status = 502;
    replay.reason = "Bad Gateway";
    replay.responseHeaders = {{"Server", "test"}};
    replay.responseBody = QByteArray(70'000, 'r');
    replay.timings = {10, 20, -1, 400, 1500};
    Delivery composed;
    composed.kind = Delivery::Kind::Compose;
    composed.method = "PUT";
    composed.url = QStringLiteral("http://127.0.0.1:9/composed");
    composed.requestBody = QByteArray(5000, 'c');
    composed.error = QStringLiteral("connection refused");
    QList<Delivery> both{replay, composed};
    QVERIFY(store.addDeliveries(&both));
    replay.id = both.at(0).id;
    composed.id = both.at(1).id;

    const QList<DeliveryRow> rows = store.deliveryRows(hook.id);
    QCOMPARE(rows, QList<DeliveryRow>{DeliveryRow::of(replay)});
    QCOMPARE(rows.constFirst().requestBodySize, hook.body.size());
    QCOMPARE(rows.constFirst().responseBodySize, 70'000);
    const QList<DeliveryRow> recent = store.recentDeliveryRows(Delivery::Kind::Compose, 10);
    QCOMPARE(recent, QList<DeliveryRow>{DeliveryRow::of(composed)});
    QVERIFY(store.recentDeliveryRows(Delivery::Kind::Forward, 10).isEmpty());

    // Shown, one is read whole; one that is not stored is named.
    QCOMPARE(store.delivery(replay.id), std::optional<Delivery>(replay));
    QCOMPARE(store.delivery(composed.id), std::optional<Delivery>(composed));
    QVERIFY(!store.delivery(composed.id + 1));
    QVERIFY2(store.errorString().contains(QStringLiteral("no delivery with id %1").arg(composed.id + 1)), qPrintable(store.errorString()));
    QVERIFY(store.deliveryRows(hook.id + 1).isEmpty());
}

void tst_HookStore::shouldRemoveClearAndPrune()
{
    HookStore store;
    QVERIFY(store.open(m_path));
    QList<Hook> hooks;
    for (int i = 0; i < 10; ++i) {
        hooks.append(makeHook());
        hooks.last().receivedUs = 1'000'000 * (i + 1);
    }
    QVERIFY(store.insertHooks(&hooks));
    QVERIFY(store.removeHooks({hooks[0].id, hooks[1].id}));
    QCOMPARE(store.count(), 8);
    QVERIFY(store.prune(5, 0));
    QCOMPARE(store.count(), 5);
    QCOMPARE(store.hooks({}).constFirst().id, hooks[5].id);
    QVERIFY(store.prune(0, 8'000'000));
    QCOMPARE(store.count(), 3);
    QVERIFY(store.clear());
    QCOMPARE(store.count(), 0);
}

void tst_HookStore::shouldGroupCommitInOneTransaction()
{
    StoreWriter writer(catalog::Catalog::builtin());
    QVERIFY(writer.open(m_path));
    QSignalSpy committed(&writer, &StoreWriter::committed);
    for (int i = 0; i < 500; ++i) {
        Hook hook = makeHook();
        hook.id = writer.reserveId();
        QString error;
        QVERIFY2(writer.accept({hook}, &error), qPrintable(error));
    }
    // All 500 were accepted before the writer's event loop ran: one transaction.
    QTRY_COMPARE(committed.size(), 1);
    QCOMPARE(committed.at(0).at(0).value<QList<Hook>>().size(), 500);
    HookStore store;
    QVERIFY(store.open(m_path, HookStore::Mode::ReadOnly));
    QCOMPARE(store.count(), 500);
    QCOMPARE(store.intakeThrough(), 500);
    // In SQLite, so out of the intake.
    QCOMPARE(QFileInfo(IntakeJournal::segmentPath(m_path, 0)).size() + QFileInfo(IntakeJournal::segmentPath(m_path, 1)).size(), 0);
}

void tst_HookStore::shouldKeepRefusedHooksAndRetry()
{
    StoreWriter writer(catalog::Catalog::builtin());
    QVERIFY(writer.open(m_path));
    QSignalSpy committed(&writer, &StoreWriter::committed);
    QSignalSpy failed(&writer, &StoreWriter::commitFailed);
    QString error;
    Hook first = makeHook();
    first.id = writer.reserveId();
    QVERIFY(writer.accept({first}, &error));
    QTRY_COMPARE(committed.size(), 1);

    // SQLite refuses (as on a full disk) a hook that the intake took: it is kept.
    QVERIFY(writer.setMaxPageCount(1) > 1);
    // (A body kept in its row, as larger ones go to the body log: see bodylog.h.)
    Hook big = makeHook("code_challenge", QByteArray(BodyLog::Threshold, 'b'));
    big.id = writer.reserveId();
    QVERIFY(writer.accept({big}, &error));
    QTRY_COMPARE(failed.size(), 1);
    QVERIFY2(failed.at(0).at(0).toString().contains(u"full"), qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(failed.at(0).at(1).toInt(), 1);
    // While it does, new hooks are refused and the reason given.
    Hook refused = makeHook();
    refused.id = writer.reserveId();
    QVERIFY(!writer.accept({refused}, &error));
    QVERIFY2(error.contains(u"full"), qPrintable(error));
    QVERIFY(QFileInfo(IntakeJournal::segmentPath(m_path, 0)).size() + QFileInfo(IntakeJournal::segmentPath(m_path, 1)).size() > BodyLog::Threshold);
    QTest::qWait(500);   // retries go on quietly
    QCOMPARE(failed.size(), 1);

    // Room again: the kept hook goes in, and new ones are taken.
    QCOMPARE(writer.setMaxPageCount(1'000'000), 1'000'000);
    QTRY_COMPARE(committed.size(), 2);
    QCOMPARE(committed.at(1).at(0).value<QList<Hook>>().constFirst().id, big.id);
    Hook after = makeHook();
    after.id = writer.reserveId();
    QVERIFY2(writer.accept({after}, &error), qPrintable(error));
    QTRY_COMPARE(committed.size(), 3);
    HookStore store;
    QVERIFY(store.open(m_path, HookStore::Mode::ReadOnly));
    QCOMPARE(store.count(), 3);
    QVERIFY(store.hook(big.id));
    QVERIFY(!store.hook(refused.id));
}

void tst_HookStore::shouldAllowOneWriterOnly()
{
    StoreWriter first(catalog::Catalog::builtin());
    QVERIFY(first.open(m_path));
    QVERIFY(first.ownsIntake());
    // A second one opens beside it for the writes that need no ids of their own,
    // but takes no hooks: the ids are the first one's to give.
    StoreWriter second(catalog::Catalog::builtin());
    QVERIFY2(second.open(m_path), qPrintable(second.errorString()));
    QVERIFY(!second.ownsIntake());
    QVERIFY2(second.intakeError().contains(u"in use by another hookscope process"), qPrintable(second.intakeError()));
    QString error;
    QVERIFY(!second.accept({makeHook()}, &error));
    QCOMPARE(error, second.intakeError());
    QVERIFY(second.store().removeHooks({1}));
    // Readers are not writers: they open beside it.
    HookStore reader;
    QVERIFY2(reader.open(m_path, HookStore::Mode::ReadOnly), qPrintable(reader.errorString()));
    first.close();
    second.close();
    QVERIFY2(second.open(m_path), qPrintable(second.errorString()));
    QVERIFY(second.ownsIntake());
}

void tst_HookStore::shouldMigrateOlderStores()
{
    QList<Hook> hooks{makeHook(), makeHook()};
    // As schema 1 and 2 stored them: the credential Codewars does not use said "missing".
    hooks[0].inspection.provider = QStringLiteral("codewars");
    hooks[0].inspection.secret = catalog::Verdict::Valid;
    hooks[0].inspection.signature = catalog::Verdict::Missing;
    {
        HookStore store;
        QVERIFY(store.open(m_path));
        QVERIFY(store.insertHooks(&hooks));
    }
    // Back to what schema 1 was: no store_state, no origin.
    rewindSchema(m_path, 1, [](QSqlQuery &q) {
        QVERIFY(q.exec(QStringLiteral("DROP TABLE store_state")));
        QVERIFY2(q.exec(QStringLiteral("ALTER TABLE hooks DROP COLUMN origin")), qPrintable(q.lastError().text()));
        QVERIFY2(q.exec(QStringLiteral("ALTER TABLE hooks DROP COLUMN action_sent")), qPrintable(q.lastError().text()));
        QVERIFY2(q.exec(QStringLiteral("ALTER TABLE deliveries DROP COLUMN attempt")), qPrintable(q.lastError().text()));
        QVERIFY2(q.exec(QStringLiteral("ALTER TABLE hooks DROP COLUMN rule")), qPrintable(q.lastError().text()));
        QVERIFY2(q.exec(QStringLiteral("ALTER TABLE hooks DROP COLUMN refusal")), qPrintable(q.lastError().text()));
        dropSchema5Columns(q);
        dropSchema7Columns(q);
    });
    {
        // A reader sees the current schema: the store is brought up to date first.
        HookStore readOnly;
        QVERIFY2(readOnly.open(m_path, HookStore::Mode::ReadOnly), qPrintable(readOnly.errorString()));
        QCOMPARE(readOnly.schemaVersion(), HookStore::SchemaVersion);
        QCOMPARE(readOnly.intakeThrough(), 0);
        QCOMPARE(readOnly.count(), 2);
        const std::optional<Hook> migrated = readOnly.hook(hooks[0].id);
        QVERIFY(migrated);
        QCOMPARE(migrated->origin, Hook::Origin::Captured);
        QCOMPARE(migrated->inspection.secret, catalog::Verdict::Valid);
        QCOMPARE(migrated->inspection.signature, catalog::Verdict::NotUsed);
        QCOMPARE(migrated->answerRule, QString());
        QVERIFY(!migrated->refused());
    }
    StoreWriter writer(catalog::Catalog::builtin());
    QVERIFY2(writer.open(m_path), qPrintable(writer.errorString()));
    QSignalSpy committed(&writer, &StoreWriter::committed);
    Hook next = makeHook();
    next.id = writer.reserveId();
    QCOMPARE(next.id, hooks.constLast().id + 1);
    QString error;
    QVERIFY(writer.accept({next}, &error));
    QTRY_COMPARE(committed.size(), 1);
    HookStore store;
    QVERIFY(store.open(m_path, HookStore::Mode::ReadOnly));
    QCOMPARE(store.schemaVersion(), HookStore::SchemaVersion);
    QCOMPARE(store.intakeThrough(), next.id);
    QCOMPARE(store.count(), 3);
}

void tst_HookStore::shouldMigrateDeliveriesToReferenceTheirHooksBody()
{
    Hook hook = makeHook("user", QByteArray(64 * 1024, 'h'));
    Delivery same;
    same.hookId = 1;
    same.kind = Delivery::Kind::Replay;
    same.method = "POST";
    same.url = QStringLiteral("http://127.0.0.1:9/");
    same.requestBody = hook.body;
    same.status = 200;
    same.durationUs = 1234;
    Delivery edited = same;
    edited.requestBody = "edited";
    {
        HookStore store;
        QVERIFY(store.open(m_path));
        QVERIFY(store.insertHook(&hook));
        same.hookId = edited.hookId = hook.id;
        QVERIFY(store.addDelivery(&same));
        QVERIFY(store.addDelivery(&edited));
    }
    // Back to schema 4: every delivery with a copy of the body it sent, no timings.
    rewindSchema(m_path, 4, [&](QSqlQuery &q) {
        dropSchema5Columns(q);
        QVERIFY2(q.exec(QStringLiteral("ALTER TABLE hooks DROP COLUMN refusal")), qPrintable(q.lastError().text()));
        dropSchema7Columns(q);
        q.prepare(QStringLiteral("UPDATE deliveries SET request_body = ? WHERE id = ?"));
        q.addBindValue(hook.body);
        q.addBindValue(same.id);
        QVERIFY(q.exec());
    });

    HookStore store;
    QVERIFY2(store.open(m_path), qPrintable(store.errorString()));
    QCOMPARE(store.schemaVersion(), HookStore::SchemaVersion);
    const QList<Delivery> deliveries = store.deliveries(hook.id);
    QCOMPARE(deliveries.size(), 2);
    QCOMPARE(deliveries.at(0).requestBody, hook.body);
    QCOMPARE(deliveries.at(1).requestBody, QByteArray("edited"));
    QCOMPARE(deliveries.at(0).timings.totalUs, 1234);   // the duration it had
    QCOMPARE(deliveries.at(0).timings.dnsUs, -1);
    const QList<QList<qint64>> rows = rawRows(m_path, QStringLiteral("SELECT sum(length(request_body)), sum(body_from_hook) FROM deliveries"));
    QCOMPARE(rows.value(0).value(0), qint64(6));   // only the edited body is stored
    QCOMPARE(rows.value(0).value(1), qint64(1));
}

void tst_HookStore::shouldMigrateSchema5ToKeepRefusedRequests()
{
    QList<Hook> hooks{makeHook(), makeHook()};
    {
        HookStore store;
        QVERIFY(store.open(m_path));
        QVERIFY(store.insertHooks(&hooks));
    }
    // Back to schema 5: no refused requests on record, every body in its row.
    rewindSchema(m_path, 5, [](QSqlQuery &q) {
        QVERIFY2(q.exec(QStringLiteral("ALTER TABLE hooks DROP COLUMN refusal")), qPrintable(q.lastError().text()));
        dropSchema7Columns(q);
    });

    HookStore store;
    QVERIFY2(store.open(m_path), qPrintable(store.errorString()));
    QCOMPARE(store.schemaVersion(), HookStore::SchemaVersion);
    QCOMPARE(store.count(), 2);
    QVERIFY(!store.hook(hooks[0].id)->refused());

    Hook refused = makeHook();
    refused.body = "POST /x HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n";
    refused.setRefused(400, "bad Content-Length");
    QVERIFY(store.insertHook(&refused));
    const std::optional<Hook> back = store.hook(refused.id);
    QVERIFY(back);
    QCOMPARE(back->refusal, QStringLiteral("bad Content-Length"));
    QCOMPARE(back->answer.status, 400);
    QCOMPARE(back->body, refused.body);

    HookQuery only;
    only.refused = true;
    QCOMPARE(store.hooks(only).size(), 1);
    HookQuery none;
    none.refused = false;
    QCOMPARE(store.hooks(none).size(), 2);
    QList<bool> marks;
    QVERIFY(store.forEachRow({}, [&](const HookRow &row) {
        marks.append(row.refused);
        return true;
    }));
    QCOMPARE(marks, (QList<bool>{false, false, true}));
}

void tst_HookStore::shouldMigrateSchema6KeepingRefusalsAndMovingLargeBodiesToTheLog()
{
    // Schema 6 keeps refused requests, and every body in its row, large or not:
    // those above the threshold go to the body log with the migration.
    Hook taken = makeHook("code_challenge", QByteArray(4 * BodyLog::Threshold, 't'));
    Hook refused = makeHook();
    refused.body = "POST / HTTP/1.1\r\nContent-Length: 70000\r\n\r\n" + QByteArray(2 * BodyLog::Threshold, 'r');
    refused.setRefused(413, "body larger than 65536 bytes");
    {
        HookStore store;
        QVERIFY(store.open(m_path));
        QVERIFY(store.insertHook(&taken));
        QVERIFY(store.insertHook(&refused));
    }
    rewindSchema(m_path, 6, dropSchema7Columns);

    StoreWriter writer(catalog::Catalog::builtin());
    QVERIFY2(writer.open(m_path), qPrintable(writer.errorString()));
    QCOMPARE(writer.store().schemaVersion(), HookStore::SchemaVersion);
    // A refusal after the migration, its large body in the body log.
    QSignalSpy committed(&writer, &StoreWriter::committed);
    Hook later = refused;
    later.id = writer.reserveId();
    later.setRefused(431, "header block larger than 32768 bytes");
    QString error;
    QVERIFY2(writer.accept({later}, &error), qPrintable(error));
    writer.flush();
    QVERIFY(!committed.isEmpty());
    writer.close();

    HookStore store;
    QVERIFY2(store.open(m_path, HookStore::Mode::ReadOnly), qPrintable(store.errorString()));
    const QList<QList<qint64>> places = rawRows(m_path, QStringLiteral("SELECT id, body_segment > 0 FROM hooks ORDER BY id"));
    QCOMPARE(places, (QList<QList<qint64>>{{taken.id, 1}, {refused.id, 1}, {later.id, 1}}));
    HookQuery only;
    only.refused = true;
    const QList<Hook> back = store.hooks(only);
    QCOMPARE(back.size(), 2);
    QCOMPARE(back[0].refusal, QStringLiteral("body larger than 65536 bytes"));
    QCOMPARE(back[0].answer.status, 413);
    QVERIFY(back[0].body == refused.body);
    QCOMPARE(back[1].refusal, QStringLiteral("header block larger than 32768 bytes"));
    QCOMPARE(back[1].answer.status, 431);
    QVERIFY(back[1].body == refused.body);
    const std::optional<Hook> first = store.hook(taken.id);
    QVERIFY(first);
    QVERIFY(!first->refused());
    QVERIFY(first->body == taken.body);
    QString report;
    QVERIFY2(store.integrityCheck(&report), qPrintable(report));
}

QTEST_GUILESS_MAIN(tst_HookStore)
#include "tst_hookstore.moc"
