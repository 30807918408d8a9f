#include "testhelpers.h"

#include "capture/hookfilterproxy.h"
#include "capture/hookstore.h"
#include "capture/hooktablemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using testhelpers::makeHook;

class tst_HookTableModel : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void shouldPageHistoryInWithFetchMore();
    void shouldAppendLiveHooksInOneBatch();
    void shouldHoldLiveHooksBackUntilHistoryIsIn();
    void shouldExposeRawValuesForSorting_data();
    void shouldExposeRawValuesForSorting();
    void shouldSortNumbersAsNumbers();
    void shouldFilterByEventActionAndText();
    void shouldRemoveRowsAndUpdateForwardStatus();

private:
    QList<Hook> storeHooks(int n);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void tst_HookTableModel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("hooks.sqlite"));
}

QList<Hook> tst_HookTableModel::storeHooks(int n)
{
    HookStore store;
    if (!store.open(m_path))
        return {};
    QList<Hook> hooks;
    for (int i = 0; i < n; ++i) {
        hooks.append(makeHook(i % 2 ? "user" : "code_challenge", QByteArray(i + 1, 'x')));
        hooks.last().inspection.action = i % 2 ? QStringLiteral("rank_upgraded") : QStringLiteral("created");
        hooks.last().target = "/hooks/" + QByteArray::number(i);
        hooks.last().answer.status = i % 3 ? 200 : 401;
    }
    store.insertHooks(&hooks);
    return hooks;
}

void tst_HookTableModel::shouldPageHistoryInWithFetchMore()
{
    const QList<Hook> hooks = storeHooks(25);
    HookTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(10);
    QVERIFY(model.openStore(m_path));
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.canFetchMore({}));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.fetchMore({});
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(inserted.last().at(1).toInt(), 0);
    QCOMPARE(inserted.last().at(2).toInt(), 9);
    model.fetchMore({});
    model.fetchMore({});
    QCOMPARE(model.rowCount(), 25);
    QVERIFY(!model.canFetchMore({}));
    QCOMPARE(model.idAt(24), hooks.last().id);
    QCOMPARE(model.rowOfId(hooks.at(7).id), 7);
}

void tst_HookTableModel::shouldAppendLiveHooksInOneBatch()
{
    storeHooks(0);
    HookTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.openStore(m_path));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QList<Hook> batch;
    for (int i = 0; i < 5; ++i) {
        batch.append(makeHook());
        batch.last().id = i + 1;
    }
    model.appendHooks(batch.mid(0, 2));
    model.appendHooks(batch.mid(2));
    QCOMPARE(model.rowCount(), 0);   // not before the flush
    QTRY_COMPARE(model.rowCount(), 5);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 4);
}

void tst_HookTableModel::shouldHoldLiveHooksBackUntilHistoryIsIn()
{
    QList<Hook> hooks = storeHooks(15);
    HookTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(10);
    QVERIFY(model.openStore(m_path));
    model.fetchMore({});
    // A hook committed now, while 5 older ones are not paged in yet.
    QList<Hook> live = storeHooks(1);
    model.appendHooks(live);
    QTest::qWait(20);
    QCOMPARE(model.rowCount(), 10);
    model.fetchMore({});
    QTRY_COMPARE(model.rowCount(), 16);
    for (int row = 1; row < model.rowCount(); ++row)
        QVERIFY(model.idAt(row - 1) < model.idAt(row));
}

void tst_HookTableModel::shouldExposeRawValuesForSorting_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<QVariant>("raw");
    QTest::addColumn<QString>("display");
    QTest::newRow("size") << int(HookColumns::Size) << QVariant(qint64(3)) << QStringLiteral("3 bytes");
    QTest::newRow("status") << int(HookColumns::Status) << QVariant(200) << QStringLiteral("200");
    QTest::newRow("event") << int(HookColumns::Event) << QVariant(QStringLiteral("code_challenge")) << QStringLiteral("code_challenge");
    QTest::newRow("path") << int(HookColumns::Path) << QVariant(QStringLiteral("/hooks/2")) << QStringLiteral("/hooks/2");
    QTest::newRow("forward") << int(HookColumns::Forward) << QVariant(-1) << QString();
}

void tst_HookTableModel::shouldExposeRawValuesForSorting()
{
    QFETCH(int, column);
    QFETCH(QVariant, raw);
    QFETCH(QString, display);
    storeHooks(3);
    HookTableModel model;
    QVERIFY(model.openStore(m_path));
    model.fetchMore({});
    const QModelIndex cell = model.index(2, column);
    QCOMPARE(cell.data(HookColumns::RawRole).toString(), raw.toString());
    QCOMPARE(cell.data(Qt::DisplayRole).toString(), display);
}

void tst_HookTableModel::shouldSortNumbersAsNumbers()
{
    storeHooks(12);
    HookTableModel model;
    QVERIFY(model.openStore(m_path));
    model.fetchMore({});
    HookFilterProxy proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setSourceModel(&model);
    proxy.sort(HookColumns::Size, Qt::DescendingOrder);
    // As text "9 bytes" would sort above "12 bytes".
    QCOMPARE(proxy.index(0, HookColumns::Size).data(HookColumns::RawRole).toLongLong(), 12);
    QCOMPARE(proxy.index(11, HookColumns::Size).data(HookColumns::RawRole).toLongLong(), 1);
}

void tst_HookTableModel::shouldFilterByEventActionAndText()
{
    const QList<Hook> hooks = storeHooks(10);
    HookTableModel model;
    QVERIFY(model.openStore(m_path));
    model.fetchMore({});
    HookFilterProxy proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setSourceModel(&model);
    proxy.setEvent(QStringLiteral("user"));
    QCOMPARE(proxy.rowCount(), 5);
    proxy.setAction(QStringLiteral("created"));
    QCOMPARE(proxy.rowCount(), 0);
    proxy.setEvent({});
    QCOMPARE(proxy.rowCount(), 5);
    proxy.setAction({});
    proxy.setText(QStringLiteral("/HOOKS/7"));
    QCOMPARE(proxy.rowCount(), 1);
    proxy.setText(QStringLiteral("only-in-a-body"));
    QCOMPARE(proxy.rowCount(), 0);
    proxy.setTextHits({hooks.at(3).id, hooks.at(4).id});
    QCOMPARE(proxy.rowCount(), 2);
    QVERIFY(proxy.isFiltering());
}

void tst_HookTableModel::shouldRemoveRowsAndUpdateForwardStatus()
{
    const QList<Hook> hooks = storeHooks(8);
    HookTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.openStore(m_path));
    model.fetchMore({});
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.updateForward(hooks.at(2).id, 502);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.index(2, HookColumns::Forward).data().toString(), QStringLiteral("502"));
    model.updateForward(hooks.at(3).id, 0);
    QCOMPARE(model.index(3, HookColumns::Forward).data().toString(), QStringLiteral("failed"));
    model.removeIds({hooks.at(1).id, hooks.at(2).id, hooks.at(6).id});
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.idAt(1), hooks.at(3).id);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(tst_HookTableModel)
#include "tst_hooktablemodel.moc"
