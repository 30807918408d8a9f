#include "testhelpers.h"

#include "capture/bodylog.h"
#include "capture/hookstore.h"
#include "capture/storewriter.h"

#include "schemahelpers.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <vector>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using testhelpers::makeHook;

namespace {

// Bytes of every value, so that a body read from the wrong place cannot match by chance.
QByteArray bodyOf(qsizetype size, quint32 seed)
{
    std::vector<quint32> words(size_t(size + 3) / 4);
    QRandomGenerator(seed).fillRange(words.data(), qsizetype(words.size()));
    return QByteArray(reinterpret_cast<const char *>(words.data()), size);
}

qint64 bodyLogBytes(const QString &storePath)
{
    qint64 bytes = 0;
    for (const qint64 segment : BodyLog::segments(storePath))
        bytes += QFileInfo(BodyLog::segmentPath(storePath, segment)).size();
    return bytes;
}

} // namespace

// Large bodies live in the body log beside the store (see bodylog.h): every
// reader gets their exact bytes, damage is told and never served, deletes free
// the space.
class tst_BodyLog : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void shouldGiveExactBytesToEveryReader_data();
    void shouldGiveExactBytesToEveryReader();
    void shouldTakeBodiesBackFromAnIntakeLeftBehind();
    void shouldTellWhatIsLostWhenTheLogIsDamaged_data();
    void shouldTellWhatIsLostWhenTheLogIsDamaged();
    void shouldReclaimSpaceAfterDeleteClearAndPrune();
    void shouldKeepImportedBodiesInTheLog();
    void shouldMoveLargeBodiesOutOfTheirRowsWhenMigrating_data();
    void shouldMoveLargeBodiesOutOfTheirRowsWhenMigrating();
    void shouldLeaveTheStoreWholeWhenAMigrationIsKilled();
    void shouldDeleteSegmentsNoHookRefersToWhenTheWriterOpens();
    void shouldCarryOnInANewSegmentWhenOneIsFull();

private:
    // Accepts the hooks as the listener does and waits until SQLite holds them.
    static bool store(StoreWriter &writer, QList<Hook> *hooks);

    QTemporaryDir m_dir;
    QString m_path;
};

void tst_BodyLog::init()
{
    static int n = 0;
    m_path = m_dir.filePath(QStringLiteral("hooks-%1.sqlite").arg(++n));
}

bool tst_BodyLog::store(StoreWriter &writer, QList<Hook> *hooks)
{
    QSignalSpy committed(&writer, &StoreWriter::committed);
    for (Hook &hook : *hooks)
        hook.id = writer.reserveId();
    QString error;
    if (!writer.accept(*hooks, &error)) {
        qWarning("%s", qPrintable(error));
        return false;
    }
    writer.flush();
    return !committed.isEmpty();
}

void tst_BodyLog::shouldGiveExactBytesToEveryReader_data()
{
    QTest::addColumn<qsizetype>("size");
    QTest::newRow("empty") << qsizetype(0);
    QTest::newRow("1 byte") << qsizetype(1);
    QTest::newRow("one below the threshold") << BodyLog::Threshold - 1;
    QTest::newRow("at the threshold (kept in its row)") << BodyLog::Threshold;
    QTest::newRow("one above the threshold (in the log)") << BodyLog::Threshold + 1;
    QTest::newRow("64 KiB") << qsizetype(64 * 1024);
    QTest::newRow("5 MB") << qsizetype(5'000'000);
}

void tst_BodyLog::shouldGiveExactBytesToEveryReader()
{
    QFETCH(qsizetype, size);
    const QByteArray marker = "needle-in-the-body";
    QByteArray body = bodyOf(size, quint32(size));
    if (size >= marker.size())
        body.replace(size - marker.size(), marker.size(), marker);   // found by a search only when all is read
    QList<Hook> hooks{makeHook("code_challenge", body), makeHook("code_challenge", "{}")};
    {
        StoreWriter writer(catalog::Catalog::builtin());
        QVERIFY2(writer.open(m_path), qPrintable(writer.errorString()));
        QVERIFY(store(writer, &hooks));
        // A replay that sent the body unchanged refers to the hook's.
        Delivery delivery;
        delivery.hookId = hooks[0].id;
        delivery.kind = Delivery::Kind::Replay;
        delivery.method = "POST";
        delivery.url = QStringLiteral("http://127.0.0.1:1/");
        delivery.requestBody = body;
        QVERIFY2(writer.store().addDelivery(&delivery), qPrintable(writer.store().errorString()));
        writer.close();
    }
    QCOMPARE(BodyLog::segments(m_path).isEmpty() || bodyLogBytes(m_path) == 0, size <= BodyLog::Threshold);

    for (const HookStore::Mode mode : {HookStore::Mode::ReadOnly, HookStore::Mode::ReadWrite}) {
        HookStore reader;
        QVERIFY2(reader.open(m_path, mode), qPrintable(reader.errorString()));
        const std::optional<Hook> one = reader.hook(hooks[0].id);
        QVERIFY2(one, qPrintable(reader.errorString()));
        QCOMPARE(one->body.size(), size);
        QVERIFY(one->body == body);
        QCOMPARE(one->headers, hooks[0].headers);

        const QList<Hook> all = reader.hooks({});
        QCOMPARE(all.size(), 2);
        QVERIFY(all[0].body == body);
        QCOMPARE(all[1].body, QByteArray("{}"));

        HookQuery search;
        search.search = QString::fromLatin1(marker);
        const QList<Hook> found = reader.hooks(search);
        QCOMPARE(found.size(), size >= marker.size() ? 1 : 0);

        qint64 rowSize = -1;
        reader.forEachRow({}, [&](const HookRow &row) {
            if (row.id == hooks[0].id)
                rowSize = row.size;
            return true;
        });
        QCOMPARE(rowSize, size);

        const QList<Delivery> deliveries = reader.deliveries(hooks[0].id);
        QCOMPARE(deliveries.size(), 1);
        QVERIFY(deliveries[0].requestBody == body);
        const std::optional<Delivery> byId = reader.delivery(deliveries[0].id);
        QVERIFY2(byId, qPrintable(reader.errorString()));
        QCOMPARE(byId->requestBody.size(), size);
        QVERIFY(byId->requestBody == body);
        QString report;
        QVERIFY2(reader.integrityCheck(&report), qPrintable(report));
    }
}

void tst_BodyLog::shouldTakeBodiesBackFromAnIntakeLeftBehind()
{
    // A writer that was killed: its hooks are in the intake and the body log, not in SQLite.
    const QByteArray body = bodyOf(100'000, 7);
    QList<Hook> hooks{makeHook("code_challenge", body), makeHook()};
    hooks[0].id = 1;
    hooks[0].inspection = {};   // recognised by whoever takes it in, from the body
    // A refused request keeps the first bytes that arrived, in the log as well when they are many.
    const QByteArray raw = "POST / HTTP/1.1\r\nContent-Length: 70000\r\n\r\n" + bodyOf(60'000, 8);
    hooks[1].id = 2;
    hooks[1].body = raw;
    hooks[1].setRefused(413, "body larger than 65536 bytes");
    {
        BodyLog bodies;
        QVERIFY(bodies.open(m_path));
        IntakeJournal intake;
        QCOMPARE(intake.open(m_path), IntakeJournal::Lock::Taken);
        QVERIFY(bodies.append(&hooks));
        QVERIFY(hooks[0].bodyRef.isExternal());
        QVERIFY(hooks[1].bodyRef.isExternal());
        QVERIFY(intake.append(hooks));
    }
    // Whoever opens the store next takes it in.
    HookStore reader;
    QVERIFY2(reader.open(m_path), qPrintable(reader.errorString()));
    const std::optional<Hook> taken = reader.hook(1);
    QVERIFY2(taken, qPrintable(reader.errorString()));
    QVERIFY(taken->body == body);
    QCOMPARE(taken->inspection.event, QStringLiteral("code_challenge"));
    const std::optional<Hook> refused = reader.hook(2);
    QVERIFY2(refused, qPrintable(reader.errorString()));
    QVERIFY(refused->body == raw);
    QCOMPARE(refused->refusal, QStringLiteral("body larger than 65536 bytes"));
    QCOMPARE(refused->answer.status, 413);
}

void tst_BodyLog::shouldTellWhatIsLostWhenTheLogIsDamaged_data()
{
    QTest::addColumn<QString>("damage");
    QTest::addColumn<QString>("said");
    QTest::newRow("segment cut short") << QStringLiteral("truncate") << QStringLiteral("ends at byte");
    QTest::newRow("segment missing") << QStringLiteral("remove") << QStringLiteral("No such file");
    QTest::newRow("one byte changed") << QStringLiteral("flip") << QStringLiteral("do not match their checksum");
}

void tst_BodyLog::shouldTellWhatIsLostWhenTheLogIsDamaged()
{
    QFETCH(QString, damage);
    QFETCH(QString, said);
    QList<Hook> hooks{makeHook("code_challenge", bodyOf(10'000, 1)), makeHook("code_challenge", bodyOf(20'000, 2)),
                      makeHook("code_challenge", "{}")};
    {
        StoreWriter writer(catalog::Catalog::builtin());
        QVERIFY(writer.open(m_path));
        QVERIFY(store(writer, &hooks));
    }
    const QList<qint64> segments = BodyLog::segments(m_path);
    QCOMPARE(segments.size(), 1);
    const QString segment = BodyLog::segmentPath(m_path, segments.constFirst());
    QFile file(segment);
    if (damage == u"truncate") {
        QVERIFY(file.resize(10'000 + 5'000));   // the first body whole, the second cut
    } else if (damage == u"remove") {
        QVERIFY(file.remove());
    } else {
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.seek(10'000 + 12'345));
        char byte = 0;
        QVERIFY(file.getChar(&byte));
        QVERIFY(file.seek(10'000 + 12'345));
        QVERIFY(file.putChar(char(byte ^ 0x20)));
        file.close();
    }

    // Opening tells what is cut short or missing, by hook.
    StoreWriter writer(catalog::Catalog::builtin());
    QVERIFY2(writer.open(m_path), qPrintable(writer.errorString()));
    if (damage != u"flip") {
        QVERIFY2(writer.bodyLogDamage().contains(segment), qPrintable(writer.bodyLogDamage()));
        QVERIFY2(writer.bodyLogDamage().contains(QStringLiteral("(ids %1)").arg(damage == u"truncate" ? QString::number(hooks[1].id)
                                                                                                    : QStringLiteral("%1, %2").arg(hooks[0].id).arg(hooks[1].id))),
                 qPrintable(writer.bodyLogDamage()));
    } else {
        QCOMPARE(writer.bodyLogDamage(), QString());
    }
    writer.close();

    HookStore reader;
    QVERIFY(reader.open(m_path, HookStore::Mode::ReadOnly));
    // The damaged body is never served: reading it says what is lost.
    QVERIFY(!reader.hook(hooks[1].id));
    QVERIFY2(reader.errorString().contains(QStringLiteral("the body of hook %1 is lost").arg(hooks[1].id))
                 && reader.errorString().contains(said),
             qPrintable(reader.errorString()));
    QVERIFY(reader.hooks({}).isEmpty());
    QVERIFY(reader.errorString().contains(QStringLiteral("is lost")));
    // What is whole reads as ever.
    const std::optional<Hook> small = reader.hook(hooks[2].id);
    QVERIFY(small);
    QCOMPARE(small->body, QByteArray("{}"));
    if (damage == u"truncate") {
        const std::optional<Hook> first = reader.hook(hooks[0].id);
        QVERIFY2(first, qPrintable(reader.errorString()));
        QVERIFY(first->body == hooks[0].body);
    }
    QString report;
    QVERIFY(!reader.integrityCheck(&report));
    QVERIFY2(report.contains(QString::number(hooks[1].id)), qPrintable(report));
}

void tst_BodyLog::shouldReclaimSpaceAfterDeleteClearAndPrune()
{
    const qint64 bodyBytes = 3 * 1024 * 1024;
    // Three rounds of hooks, each round in a segment of its own (a writer each).
    QList<QList<Hook>> rounds;
    for (int round = 0; round < 3; ++round) {
        StoreWriter writer(catalog::Catalog::builtin());
        QVERIFY(writer.open(m_path));
        QList<Hook> hooks;
        for (int i = 0; i < 4; ++i) {
            hooks.append(makeHook("code_challenge", bodyOf(bodyBytes, quint32(round * 10 + i))));
            hooks.last().receivedUs = 1'000'000 * (round + 1);
        }
        QVERIFY(store(writer, &hooks));
        rounds.append(hooks);
    }
    StoreWriter writer(catalog::Catalog::builtin());
    QVERIFY(writer.open(m_path));
    QCOMPARE(BodyLog::segments(m_path).size(), 3);   // the last writer makes its segment with its first body
    QCOMPARE(bodyLogBytes(m_path), 12 * bodyBytes);

    // Deleting part of a segment frees nothing; deleting all of it frees it.
    HookStore &store = writer.store();
    QVERIFY(store.removeHooks({rounds[0][0].id, rounds[0][1].id}));
    QCOMPARE(bodyLogBytes(m_path), 12 * bodyBytes);
    QVERIFY(store.removeHooks({rounds[0][2].id, rounds[0][3].id}));
    QCOMPARE(bodyLogBytes(m_path), 8 * bodyBytes);

    // Retention by age.
    QVERIFY(store.prune(0, 2'500'000));
    QCOMPARE(store.count(), 4);
    QCOMPARE(bodyLogBytes(m_path), 4 * bodyBytes);

    // New hooks go into the segment being written; clearing frees it too.
    QList<Hook> more{makeHook("code_challenge", bodyOf(bodyBytes, 99))};
    QVERIFY(this->store(writer, &more));
    QCOMPARE(bodyLogBytes(m_path), 5 * bodyBytes);
    QVERIFY(store.clear());
    QCOMPARE(bodyLogBytes(m_path), 0);
    QCOMPARE(BodyLog::segments(m_path), QList<qint64>());

    // And writing goes on.
    QList<Hook> after{makeHook("code_challenge", bodyOf(bodyBytes, 100))};
    QVERIFY(this->store(writer, &after));
    const std::optional<Hook> read = store.hook(after[0].id);
    QVERIFY(read);
    QVERIFY(read->body == after[0].body);
}

void tst_BodyLog::shouldKeepImportedBodiesInTheLog()
{
    StoreWriter writer(catalog::Catalog::builtin());
    QVERIFY(writer.open(m_path));
    writer.flush();
    Hook imported = makeHook("code_challenge", bodyOf(50'000, 5));
    imported.origin = Hook::Origin::Imported;
    imported.bodyRef = {42, 0, 50'000, 0};   // a place in some other store: not taken for this one
    QVERIFY2(writer.store().insertHook(&imported), qPrintable(writer.store().errorString()));
    QCOMPARE(bodyLogBytes(m_path), 50'000);
    const std::optional<Hook> read = writer.store().hook(imported.id);
    QVERIFY2(read, qPrintable(writer.store().errorString()));
    QVERIFY(read->body == imported.body);
}

void tst_BodyLog::shouldMoveLargeBodiesOutOfTheirRowsWhenMigrating_data()
{
    QTest::addColumn<int>("schema");
    QTest::newRow("schema 6 (no body log)") << 6;
    QTest::newRow("schema 7 (bodies stored before it in their rows)") << 7;
}

void tst_BodyLog::shouldMoveLargeBodiesOutOfTheirRowsWhenMigrating()
{
    QFETCH(int, schema);
    // Every body in its row, as an older hookscope kept them.
    const QList<qsizetype> sizes{0, 100, BodyLog::Threshold - 1, BodyLog::Threshold, BodyLog::Threshold + 1, 64 * 1024, 5'000'000, 300'000};
    QList<Hook> hooks;
    qint64 logged = 0;
    for (qsizetype i = 0; i < sizes.size(); ++i) {
        hooks.append(makeHook("code_challenge", bodyOf(sizes[i], quint32(30 + i))));
        if (sizes[i] > BodyLog::Threshold)
            logged += sizes[i];
    }
    const Hook &big = hooks[6];
    const Hook &small = hooks[1];
    QList<Delivery> deliveries(3);
    {
        HookStore store;   // no body log of its own
        QVERIFY(store.open(m_path));
        QVERIFY(store.insertHooks(&hooks));
        // Replays: the big body unchanged, the same edited, the small body unchanged.
        for (Delivery &delivery : deliveries) {
            delivery.hookId = big.id;
            delivery.kind = Delivery::Kind::Replay;
            delivery.method = "POST";
            delivery.url = QStringLiteral("http://127.0.0.1:1/");
            delivery.requestBody = big.body;
        }
        deliveries[1].requestBody.replace(0, 6, "edited");
        deliveries[2].hookId = small.id;
        deliveries[2].requestBody = small.body;
        QVERIFY(store.addDeliveries(&deliveries));
        QVERIFY(store.checkpoint(HookStore::Checkpoint::Truncate) >= 0);
    }
    QCOMPARE(rawRows(m_path, QStringLiteral("SELECT count(*) FROM hooks WHERE body_segment = 0 AND length(body) > %1").arg(BodyLog::Threshold)),
             (QList<QList<qint64>>{{4}}));
    QCOMPARE(rawRows(m_path, QStringLiteral("SELECT sum(body_from_hook) FROM deliveries")), (QList<QList<qint64>>{{2}}));
    if (schema == 6)
        rewindSchema(m_path, 6, dropSchema7Columns);
    else
        rewindSchema(m_path, 7, [](QSqlQuery &) {});
    const qint64 before = QFileInfo(m_path).size();
    QVERIFY(before > logged);
    QVERIFY(BodyLog::segments(m_path).isEmpty());

    const auto places = [this] {
        return rawRows(m_path, QStringLiteral("SELECT id, body_segment > 0, length(body), body_size FROM hooks ORDER BY id"));
    };
    QList<QList<qint64>> expected;
    for (const Hook &hook : std::as_const(hooks)) {
        const qint64 size = hook.body.size();
        expected.append({hook.id, size > BodyLog::Threshold ? 1 : 0, size > BodyLog::Threshold ? 0 : size, size});
    }
    {
        StoreWriter writer(catalog::Catalog::builtin());
        QVERIFY2(writer.open(m_path), qPrintable(writer.errorString()));
        QCOMPARE(writer.store().schemaVersion(), HookStore::SchemaVersion);
        QCOMPARE(writer.bodyLogDamage(), QString());
    }
    QCOMPARE(places(), expected);
    QCOMPARE(bodyLogBytes(m_path), logged);
    // The pages the bodies held are given back, not kept for new rows.
    const qint64 after = QFileInfo(m_path).size();
    QVERIFY2(after < before - logged + 256 * 1024, qPrintable(QStringLiteral("%1 bytes before, %2 after").arg(before).arg(after)));

    const auto checkReads = [&] {
        for (const HookStore::Mode mode : {HookStore::Mode::ReadOnly, HookStore::Mode::ReadWrite}) {
            HookStore reader;
            QVERIFY2(reader.open(m_path, mode), qPrintable(reader.errorString()));
            for (const Hook &hook : std::as_const(hooks)) {
                const std::optional<Hook> one = reader.hook(hook.id);
                QVERIFY2(one, qPrintable(reader.errorString()));
                QCOMPARE(one->body.size(), hook.body.size());
                QVERIFY(one->body == hook.body);
            }
            const QList<Hook> all = reader.hooks({});
            QCOMPARE(all.size(), hooks.size());
            for (qsizetype i = 0; i < all.size(); ++i)
                QVERIFY(all[i].body == hooks[i].body);
            const QList<Delivery> replays = reader.deliveries(big.id);
            QCOMPARE(replays.size(), 2);
            QVERIFY(replays[0].requestBody == big.body);
            QVERIFY(replays[1].requestBody == deliveries[1].requestBody);
            for (const Delivery &delivery : std::as_const(deliveries)) {
                const std::optional<Delivery> byId = reader.delivery(delivery.id);
                QVERIFY2(byId, qPrintable(reader.errorString()));
                QVERIFY(byId->requestBody == delivery.requestBody);
            }
            QCOMPARE(reader.deliveryRows(big.id).value(0).requestBodySize, big.body.size());
            QString report;
            QVERIFY2(reader.integrityCheck(&report), qPrintable(report));
        }
    };
    checkReads();

    // A second open finds nothing left to move.
    const QList<qint64> segments = BodyLog::segments(m_path);
    QCOMPARE(segments.size(), 1);
    {
        StoreWriter writer(catalog::Catalog::builtin());
        QVERIFY2(writer.open(m_path), qPrintable(writer.errorString()));
        QCOMPARE(writer.store().schemaVersion(), HookStore::SchemaVersion);
    }
    QCOMPARE(BodyLog::segments(m_path), segments);
    QCOMPARE(bodyLogBytes(m_path), logged);
    QCOMPARE(places(), expected);
    checkReads();
}

void tst_BodyLog::shouldLeaveTheStoreWholeWhenAMigrationIsKilled()
{
    // Bodies in their rows, more than one batch of them (see moveBodiesToLog()).
    constexpr int Count = 24;
    constexpr qsizetype Size = 4'000'000;
    for (int first = 0; first < Count; first += 4) {
        QList<Hook> hooks;
        for (int i = first; i < first + 4; ++i)
            hooks.append(makeHook("code_challenge", bodyOf(Size, quint32(500 + i))));
        HookStore store;
        QVERIFY(store.open(m_path));
        QVERIFY(store.insertHooks(&hooks));
    }
    rewindSchema(m_path, 7, [](QSqlQuery &) {});

    // A migration killed once it has written bodies to the log, before it commits.
    const pid_t child = ::fork();
    QVERIFY(child >= 0);
    if (child == 0) {
        HookStore store;
        ::_exit(store.open(m_path) ? 0 : 1);
    }
    const QDeadlineTimer deadline(60'000);
    while (bodyLogBytes(m_path) == 0 && !deadline.hasExpired())
        QThread::usleep(200);
    ::kill(child, SIGKILL);
    int status = 0;
    QCOMPARE(::waitpid(child, &status, 0), child);
    QVERIFY2(WIFSIGNALED(status), "the migration ended before it could be killed");
    const QList<qint64> orphans = BodyLog::segments(m_path);
    QVERIFY(!orphans.isEmpty());
    QVERIFY(bodyLogBytes(m_path) > 0);

    // The store is as it was: the old version, every body in its row.
    QCOMPARE(rawRows(m_path, QStringLiteral("PRAGMA user_version")), (QList<QList<qint64>>{{7}}));
    QCOMPARE(rawRows(m_path, QStringLiteral("SELECT count(*), sum(length(body) = %1) FROM hooks WHERE body_segment = 0").arg(Size)),
             (QList<QList<qint64>>{{Count, Count}}));
    {
        // Beside the writer of an older hookscope (it holds the intake), a reader
        // reads them there and leaves the store at 7.
        IntakeJournal older;
        QCOMPARE(older.open(m_path), IntakeJournal::Lock::Taken);
        HookStore reader;
        QVERIFY2(reader.open(m_path, HookStore::Mode::ReadOnly), qPrintable(reader.errorString()));
        QCOMPARE(reader.schemaVersion(), 7);
        for (qint64 id = 1; id <= Count; ++id) {
            const std::optional<Hook> hook = reader.hook(id);
            QVERIFY2(hook, qPrintable(reader.errorString()));
            QVERIFY(hook->body == bodyOf(Size, quint32(500 + id - 1)));
        }
    }

    // The next writer migrates, past the orphans, and deletes them.
    StoreWriter writer(catalog::Catalog::builtin());
    QVERIFY2(writer.open(m_path), qPrintable(writer.errorString()));
    QCOMPARE(writer.store().schemaVersion(), HookStore::SchemaVersion);
    for (const qint64 orphan : orphans)
        QVERIFY(!BodyLog::segments(m_path).contains(orphan));
    QCOMPARE(bodyLogBytes(m_path), Count * Size);
    for (qint64 id = 1; id <= Count; ++id) {
        const std::optional<Hook> hook = writer.store().hook(id);
        QVERIFY2(hook, qPrintable(writer.store().errorString()));
        QVERIFY(hook->body == bodyOf(Size, quint32(500 + id - 1)));
    }
}

void tst_BodyLog::shouldDeleteSegmentsNoHookRefersToWhenTheWriterOpens()
{
    QList<Hook> hooks{makeHook("code_challenge", bodyOf(50'000, 40))};
    {
        StoreWriter writer(catalog::Catalog::builtin());
        QVERIFY(writer.open(m_path));
        QVERIFY(store(writer, &hooks));
    }
    QCOMPARE(BodyLog::segments(m_path), QList<qint64>{1});
    // What a process killed in the middle of writing bodies leaves: segments before
    // and after the one in use, that no row refers to.
    for (const qint64 segment : {qint64(2), qint64(5)}) {
        QFile orphan(BodyLog::segmentPath(m_path, segment));
        QVERIFY(orphan.open(QIODevice::WriteOnly));
        QVERIFY(orphan.write(bodyOf(70'000, quint32(segment))) == 70'000);
    }
    {
        HookStore reader;   // a reader leaves them: it cannot know whether a writer is about to use them
        QVERIFY(reader.open(m_path, HookStore::Mode::ReadOnly));
    }
    QCOMPARE(BodyLog::segments(m_path), (QList<qint64>{1, 2, 5}));
    StoreWriter writer(catalog::Catalog::builtin());
    QVERIFY(writer.open(m_path));
    QCOMPARE(BodyLog::segments(m_path), QList<qint64>{1});
    QList<Hook> more{makeHook("code_challenge", bodyOf(60'000, 41))};
    QVERIFY(store(writer, &more));
    // A number is never given twice.
    QCOMPARE(rawRows(m_path, QStringLiteral("SELECT body_segment FROM hooks WHERE id = %1").arg(more[0].id)), (QList<QList<qint64>>{{6}}));
    const std::optional<Hook> first = writer.store().hook(hooks[0].id);
    QVERIFY(first);
    QVERIFY(first->body == hooks[0].body);
}

void tst_BodyLog::shouldCarryOnInANewSegmentWhenOneIsFull()
{
    // Bodies of 4 MiB, until a round starts past the end of the first segment.
    constexpr qsizetype Size = 4 * 1024 * 1024;
    BodyLog log;
    QVERIFY(log.open(m_path));
    QList<Hook> hooks;
    for (int i = 0; i < int(BodyLog::SegmentBytes / Size) + 2; ++i) {
        QList<Hook> round{makeHook("code_challenge", bodyOf(Size, quint32(100 + i)))};
        QVERIFY2(log.append(&round), qPrintable(log.errorString()));
        hooks.append(round);
        if (i == 3)
            QVERIFY(log.sync());   // the first segment synced in part before it is full
    }
    const qsizetype full = BodyLog::SegmentBytes / Size;   // the rounds the first segment takes
    QCOMPARE(hooks.at(full - 1).bodyRef.segment, 1);
    QCOMPARE(hooks.at(full).bodyRef.segment, 2);
    QCOMPARE(hooks.at(full).bodyRef.offset, 0);
    QCOMPARE(hooks.constLast().bodyRef.segment, 2);
    QVERIFY2(log.sync(), qPrintable(log.errorString()));
    QCOMPARE(BodyLog::segments(m_path), (QList<qint64>{1, 2}));
    BodyReader reader;
    reader.setStorePath(m_path);
    for (const Hook &hook : std::as_const(hooks)) {
        QByteArray body;
        QString error;
        QVERIFY2(reader.read(hook.bodyRef, &body, &error), qPrintable(error));
        QVERIFY(body == hook.body);
    }
    log.settled(hooks);
    QCOMPARE(log.pendingBytes(), 0);
}

QTEST_GUILESS_MAIN(tst_BodyLog)
#include "tst_bodylog.moc"
