#include "testhelpers.h"

#include "capture/hookstore.h"
#include "capture/intake.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using testhelpers::makeHook;

class tst_Intake : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void shouldComputeCrc32_data();
    void shouldComputeCrc32();
    void shouldRoundTripHooksExactly_data();
    void shouldRoundTripHooksExactly();
    void shouldStopAtTheFirstDamagedRecord_data();
    void shouldStopAtTheFirstDamagedRecord();
    void shouldUseSegmentsInTurns();
    void shouldHandReadersTheHooksOfAKilledWriter();
    void shouldNotTakeInWhatTheStoreHoldsAlready();

private:
    qint64 segmentSize(int segment) const { return QFileInfo(IntakeJournal::segmentPath(m_path, segment)).size(); }
    static QList<Hook> numbered(int first, int count, const QByteArray &body = "{}");

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void tst_Intake::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("hooks.sqlite"));
}

QList<Hook> tst_Intake::numbered(int first, int count, const QByteArray &body)
{
    QList<Hook> hooks;
    for (int i = 0; i < count; ++i) {
        Hook hook = makeHook("code_challenge", body);
        hook.id = first + i;
        hooks.append(hook);
    }
    return hooks;
}

void tst_Intake::shouldComputeCrc32_data()
{
    // Values as zlib.crc32() gives them.
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<quint32>("crc");
    QTest::newRow("empty") << QByteArray() << 0x00000000u;
    QTest::newRow("one byte") << QByteArray("a") << 0xe8b7be43u;
    QTest::newRow("check value") << QByteArray("123456789") << 0xcbf43926u;
    QTest::newRow("43 bytes: 8-byte steps and a tail") << QByteArray("The quick brown fox jumps over the lazy dog") << 0x414fa339u;
    QByteArray pattern(1000, Qt::Uninitialized);
    for (int i = 0; i < pattern.size(); ++i)
        pattern[i] = char((i * 7 + 3) % 256);
    QTest::newRow("1000 bytes, every byte value") << pattern << 0x17bc2a46u;
}

void tst_Intake::shouldComputeCrc32()
{
    QFETCH(QByteArray, bytes);
    QFETCH(quint32, crc);
    QCOMPARE(IntakeJournal::checksum(bytes), crc);
}

void tst_Intake::shouldRoundTripHooksExactly_data()
{
    testhelpers::addExactHookRows();
}

void tst_Intake::shouldRoundTripHooksExactly()
{
    QFETCH(Hook, hook);
    hook.id = 41;
    Hook expected = hook;
    if (expected.body.isNull())
        expected.body = QByteArray("");   // as SQLite gives it back

    Hook decoded;
    QVERIFY(IntakeJournal::decode(IntakeJournal::encode(hook), &decoded));
    QCOMPARE(decoded, expected);

    // And through the files, beside a second hook.
    {
        IntakeJournal intake;
        QCOMPARE(intake.open(m_path), IntakeJournal::Lock::Taken);
        QVERIFY(intake.read().isEmpty());
        Hook next = makeHook();
        next.id = 42;
        QVERIFY(intake.append({hook, next}));
    }
    IntakeJournal intake;
    QCOMPARE(intake.open(m_path), IntakeJournal::Lock::Taken);
    qint64 dropped = -1;
    const QList<Hook> read = intake.read(&dropped);
    QCOMPARE(dropped, 0);
    QCOMPARE(read.size(), 2);
    QCOMPARE(read.at(0), expected);
    QCOMPARE(read.at(1).id, 42);
}

void tst_Intake::shouldStopAtTheFirstDamagedRecord_data()
{
    // Three records are written; then the file is cut, overwritten or extended.
    // Offsets count from the start of the third record (negative: from the end of the file).
    QTest::addColumn<QString>("damage");      // "cut", "overwrite" or "append"
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("thirdSurvives");
    const QString cut = QStringLiteral("cut"), overwrite = QStringLiteral("overwrite");
    QTest::newRow("cut inside the record header") << cut << qint64(6) << QByteArray() << false;
    QTest::newRow("cut inside the payload") << cut << qint64(40) << QByteArray() << false;
    QTest::newRow("cut before the last byte") << cut << qint64(-1) << QByteArray() << false;
    QTest::newRow("bad magic") << overwrite << qint64(0) << QByteArray("XXXX") << false;
    QTest::newRow("payload byte changed") << overwrite << qint64(30) << QByteArray("\x7f") << false;
    QTest::newRow("size beyond the file") << overwrite << qint64(4) << QByteArray("\xff\xff\x00\x00", 4) << false;
    // A crash can leave a file longer than what was written, filled with zeros.
    QTest::newRow("zeros after the last record") << QStringLiteral("append") << qint64(0) << QByteArray(4096, '\0') << true;
}

void tst_Intake::shouldStopAtTheFirstDamagedRecord()
{
    QFETCH(QString, damage);
    QFETCH(qint64, offset);
    QFETCH(QByteArray, bytes);
    QFETCH(bool, thirdSurvives);

    qint64 third = 0;
    {
        IntakeJournal intake;
        QCOMPARE(intake.open(m_path), IntakeJournal::Lock::Taken);
        QVERIFY(intake.append(numbered(1, 2)));
        third = intake.pendingBytes();
        QVERIFY(intake.append(numbered(3, 1)));
    }
    QFile file(IntakeJournal::segmentPath(m_path, 0));
    const qint64 whole = file.size();
    if (damage == u"cut") {
        QVERIFY(file.resize(offset < 0 ? whole + offset : third + offset));
    } else {
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.seek(damage == u"append" ? whole : third + offset));
        QCOMPARE(file.write(bytes), bytes.size());
    }
    file.close();

    IntakeJournal intake;
    QCOMPARE(intake.open(m_path), IntakeJournal::Lock::Taken);
    qint64 dropped = 0;
    const QList<Hook> read = intake.read(&dropped);
    QCOMPARE(read.size(), thirdSurvives ? 3 : 2);
    QCOMPARE(read.at(1).id, 2);
    QVERIFY(dropped > 0);
    // Cut back to the last good record, so that new ones follow it.
    QCOMPARE(segmentSize(0), thirdSurvives ? whole : third);
    QVERIFY(intake.append(numbered(4, 1)));
    intake.close();
    IntakeJournal again;
    QCOMPARE(again.open(m_path), IntakeJournal::Lock::Taken);
    const QList<Hook> after = again.read(&dropped);
    QCOMPARE(dropped, 0);
    QCOMPARE(after.constLast().id, 4);
}

void tst_Intake::shouldUseSegmentsInTurns()
{
    IntakeJournal intake;
    QCOMPARE(intake.open(m_path), IntakeJournal::Lock::Taken);
    intake.read();
    const QByteArray mebibyte(1024 * 1024, 'm');
    int id = 0;
    while (segmentSize(0) < IntakeJournal::SegmentBytes)
        QVERIFY(intake.append(numbered(++id, 1, mebibyte)));
    QCOMPARE(id, 8);
    QCOMPARE(segmentSize(1), 0);

    // The first segment is full and the second empty: new records go there.
    QVERIFY(intake.append(numbered(9, 1)));
    QVERIFY(segmentSize(1) > 0);
    // Only what SQLite does not hold yet keeps a segment.
    intake.foldedThrough(7);
    QVERIFY(segmentSize(0) > 0);
    intake.foldedThrough(8);
    QCOMPARE(segmentSize(0), 0);
    QVERIFY(intake.append(numbered(10, 1)));
    QCOMPARE(segmentSize(0), 0);
    QCOMPARE(intake.pendingBytes(), segmentSize(1));
    intake.foldedThrough(10);
    QCOMPARE(segmentSize(1), 0);
    QCOMPARE(intake.pendingBytes(), 0);
}

void tst_Intake::shouldHandReadersTheHooksOfAKilledWriter()
{
    {
        HookStore store;
        QVERIFY(store.open(m_path));
    }
    // A writer that appended and never folded in: what a kill -9 leaves.
    const QList<Hook> answered = numbered(1, 3);
    {
        IntakeJournal intake;
        QCOMPARE(intake.open(m_path), IntakeJournal::Lock::Taken);
        QVERIFY(intake.append(answered));
    }
    {
        // A writer still holding the intake takes it in itself: readers leave it be.
        IntakeJournal writer;
        QCOMPARE(writer.open(m_path), IntakeJournal::Lock::Taken);
        HookStore reader;
        QVERIFY(reader.open(m_path, HookStore::Mode::ReadOnly));
        QCOMPARE(reader.count(), 0);
        QVERIFY(segmentSize(0) > 0);
    }
    HookStore reader;
    QVERIFY2(reader.open(m_path, HookStore::Mode::ReadOnly), qPrintable(reader.errorString()));
    QCOMPARE(reader.count(), 3);
    QCOMPARE(reader.hooks({}), answered);   // recognised already: kept as they were
    QCOMPARE(reader.intakeThrough(), 3);
    QCOMPARE(segmentSize(0), 0);
}

void tst_Intake::shouldNotTakeInWhatTheStoreHoldsAlready()
{
    QList<Hook> folded = numbered(1, 3);
    {
        HookStore store;
        QVERIFY(store.open(m_path));
        QVERIFY(store.insertHooks(&folded, 3));
        QVERIFY(store.removeHooks({2}));
    }
    // The writer died after its commit and before the intake was emptied.
    {
        IntakeJournal intake;
        QCOMPARE(intake.open(m_path), IntakeJournal::Lock::Taken);
        QVERIFY(intake.append(numbered(1, 4)));
    }
    HookStore reader;
    QVERIFY(reader.open(m_path, HookStore::Mode::ReadOnly));
    QList<qint64> ids;
    for (const Hook &hook : reader.hooks({}))
        ids.append(hook.id);
    QCOMPARE(ids, (QList<qint64>{1, 3, 4}));   // 2 stays deleted
}

QTEST_GUILESS_MAIN(tst_Intake)
#include "tst_intake.moc"
