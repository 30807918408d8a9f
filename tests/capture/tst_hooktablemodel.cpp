#include "testhelpers.h"

#include "capture/hookfilterproxy.h"
#include "capture/hookstore.h"
#include "capture/hooktablemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using testhelpers::makeHook;

class tst_HookTableModel : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void shouldAskForHistoryPageByPage();
    void shouldIgnorePagesAskedForBeforeAReset();
    void shouldAppendLiveHooksInOneBatch();
    void shouldHoldLiveHooksBackUntilHistoryIsIn();
    void shouldCountExactlyOnceTheHistoryIsIn();
    void shouldExposeRawValuesForSorting_data();
    void shouldExposeRawValuesForSorting();
    void shouldNameUnrecognisedRequestsInTheEventColumn();
    void shouldSortNumbersAsNumbers();
    void shouldFilterByQueryFieldsAndTextHits();
    void shouldRemoveRowsAndUpdateForwardStatus();
    void shouldTakeRowsCheckedAgain();
    void shouldShowTheDateOfHooksFromOtherDays_data();
    void shouldShowTheDateOfHooksFromOtherDays();
    void shouldGiveTheFullTimeWithItsOffsetAsTooltip();

private:
    QList<Hook> storeHooks(int n);
    // Records what the model asks for; answer() serves the oldest request from the store.
    void serve(HookTableModel &model);
    bool answer(HookTableModel &model);
    // Pages in the whole store, a page per request.
    void loadAll(HookTableModel &model);

    struct Request
    {
        quint64 generation;
        qint64 afterId;
        int limit;
    };
    QList<Request> m_requests;

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

void tst_HookTableModel::serve(HookTableModel &model)
{
    m_requests.clear();
    model.setPageSource([this](quint64 generation, qint64 afterId, int limit) { m_requests.append({generation, afterId, limit}); });
}

bool tst_HookTableModel::answer(HookTableModel &model)
{
    if (m_requests.isEmpty())
        return false;
    const Request request = m_requests.takeFirst();
    HookStore store;
    if (!store.open(m_path, HookStore::Mode::ReadOnly))
        return false;
    HookQuery query;
    query.afterId = request.afterId;
    query.limit = request.limit;
    QList<HookRow> rows;
    store.forEachRow(query, [&rows](const HookRow &row) {
        rows.append(row);
        return true;
    });
    model.addHistoryPage(request.generation, rows);
    return true;
}

void tst_HookTableModel::loadAll(HookTableModel &model)
{
    serve(model);
    HookStore store;
    QVERIFY(store.open(m_path, HookStore::Mode::ReadOnly));
    model.startHistory(store.count());
    while (answer(model)) { }
    QVERIFY(model.isHistoryLoaded());
}

void tst_HookTableModel::shouldAskForHistoryPageByPage()
{
    const QList<Hook> hooks = storeHooks(25);
    HookTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(10);
    serve(model);
    model.startHistory(25);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(m_requests.size(), 1);
    QCOMPARE(m_requests.constFirst().afterId, 0);
    QCOMPARE(m_requests.constFirst().limit, 10);
    QVERIFY(model.canFetchMore({}));
    // Asking again while a page is on its way asks nothing more.
    model.fetchMore({});
    QCOMPARE(m_requests.size(), 1);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QVERIFY(answer(model));
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(inserted.last().at(1).toInt(), 0);
    QCOMPARE(inserted.last().at(2).toInt(), 9);
    // The next page is asked for as soon as one is in.
    QCOMPARE(m_requests.size(), 1);
    QCOMPARE(m_requests.constFirst().afterId, hooks.at(9).id);
    QVERIFY(answer(model));
    QVERIFY(answer(model));
    QCOMPARE(model.rowCount(), 25);
    QVERIFY(!model.canFetchMore({}));
    QVERIFY(m_requests.isEmpty());
    QCOMPARE(model.idAt(24), hooks.last().id);
    QCOMPARE(model.rowOfId(hooks.at(7).id), 7);
}

void tst_HookTableModel::shouldIgnorePagesAskedForBeforeAReset()
{
    storeHooks(5);
    HookTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    serve(model);
    model.startHistory(5);
    const Request stale = m_requests.takeFirst();
    model.startHistory(5);
    model.addHistoryPage(stale.generation, {HookRow{}});
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(answer(model));
    QCOMPARE(model.rowCount(), 5);
}

void tst_HookTableModel::shouldAppendLiveHooksInOneBatch()
{
    storeHooks(0);
    HookTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    loadAll(model);
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

void tst_HookTableModel::shouldCountExactlyOnceTheHistoryIsIn()
{
    // The window starts the history before it knows the store's count: a hook
    // arriving meanwhile waits for the history and is counted once.
    storeHooks(3);
    HookTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    serve(model);
    model.startHistory();
    Hook live = makeHook();
    live.id = 4;
    model.appendHooks({live});
    QTest::qWait(20);
    QCOMPARE(model.rowCount(), 0);           // not before the history
    model.setHistoryCount(4);                // read after the live hook was stored
    QCOMPARE(model.totalInStore(), 4);
    QVERIFY(answer(model));
    QVERIFY(model.isHistoryLoaded());
    QTRY_COMPARE(model.rowCount(), 4);
    QCOMPARE(model.totalInStore(), 4);
    model.setHistoryCount(9);                // a late count changes nothing once the rows are in
    QCOMPARE(model.totalInStore(), 4);
}

void tst_HookTableModel::shouldHoldLiveHooksBackUntilHistoryIsIn()
{
    QList<Hook> hooks = storeHooks(15);
    HookTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(10);
    serve(model);
    model.startHistory(15);
    QVERIFY(answer(model));
    // The last page is read from the store now, and reaches the model later:
    // a hook committed in between is in no page, and must not be lost.
    QCOMPARE(m_requests.size(), 1);
    const Request request = m_requests.takeFirst();
    QList<HookRow> lastPage;
    {
        HookStore store;
        QVERIFY(store.open(m_path, HookStore::Mode::ReadOnly));
        HookQuery query;
        query.afterId = request.afterId;
        query.limit = request.limit;
        store.forEachRow(query, [&lastPage](const HookRow &row) { return lastPage.append(row), true; });
    }
    QCOMPARE(lastPage.size(), 5);
    QList<Hook> live = storeHooks(1);
    model.appendHooks(live);
    QTest::qWait(20);
    QCOMPARE(model.rowCount(), 10);
    model.addHistoryPage(request.generation, lastPage);
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

void tst_HookTableModel::shouldNameUnrecognisedRequestsInTheEventColumn()
{
    HookStore store;
    QVERIFY(store.open(m_path));
    QList<Hook> hooks;
    Hook slack;   // a form post no provider claims
    slack.method = "POST";
    slack.target = "/slack";
    slack.version = "HTTP/1.1";
    slack.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    slack.body = "token=x&text=hi";
    slack.receivedUs = 1;
    slack.inspection = catalog::Catalog::builtin().inspect(slack.headers, slack.body, {});
    Hook refused = slack;
    refused.receivedUs = 2;
    refused.setRefused(400, "bad request line");
    Hook noEvent = slack;   // a provider's hook without its event
    noEvent.receivedUs = 3;
    noEvent.inspection.provider = QStringLiteral("github");
    hooks << slack << refused << noEvent;
    QVERIFY(store.insertHooks(&hooks));
    store.close();
    HookTableModel model;
    loadAll(model);
    QCOMPARE(model.rowCount(), 3);
    const QModelIndex unrecognised = model.index(0, HookColumns::Event);
    QCOMPARE(unrecognised.data(HookColumns::RawRole).toString(), QString());
    QCOMPARE(unrecognised.data(Qt::DisplayRole).toString(), QStringLiteral("unrecognised"));
    QVERIFY(unrecognised.data(Qt::ToolTipRole).toString().contains(u"No provider"));
    // A refused request says so in its Status; its Event stays empty.
    QCOMPARE(model.index(1, HookColumns::Event).data(Qt::DisplayRole).toString(), QString());
    // A hook its provider recognises names its missing event in its problems, not here.
    QCOMPARE(model.index(2, HookColumns::Event).data(Qt::DisplayRole).toString(), QString());
    QVERIFY(unrecognised.data(HookColumns::ProblemsRole).toInt() > 0);
}

void tst_HookTableModel::shouldExposeRawValuesForSorting()
{
    QFETCH(int, column);
    QFETCH(QVariant, raw);
    QFETCH(QString, display);
    storeHooks(3);
    HookTableModel model;
    loadAll(model);
    const QModelIndex cell = model.index(2, column);
    QCOMPARE(cell.data(HookColumns::RawRole).toString(), raw.toString());
    QCOMPARE(cell.data(Qt::DisplayRole).toString(), display);
}

void tst_HookTableModel::shouldSortNumbersAsNumbers()
{
    storeHooks(12);
    HookTableModel model;
    loadAll(model);
    HookFilterProxy proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setSourceModel(&model);
    proxy.sort(HookColumns::Size, Qt::DescendingOrder);
    // As text "9 bytes" would sort above "12 bytes".
    QCOMPARE(proxy.index(0, HookColumns::Size).data(HookColumns::RawRole).toLongLong(), 12);
    QCOMPARE(proxy.index(11, HookColumns::Size).data(HookColumns::RawRole).toLongLong(), 1);
}

void tst_HookTableModel::shouldFilterByQueryFieldsAndTextHits()
{
    const QList<Hook> hooks = storeHooks(10);
    HookTableModel model;
    loadAll(model);
    HookFilterProxy proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setSourceModel(&model);
    QVERIFY(!proxy.isFiltering());
    HookQuery query;
    query.event = QStringLiteral("user");
    proxy.setQuery(query);
    QCOMPARE(proxy.rowCount(), 5);
    query.actions = {QStringLiteral("created")};
    proxy.setQuery(query);
    QCOMPARE(proxy.rowCount(), 0);
    query.event.clear();
    proxy.setQuery(query);
    QCOMPARE(proxy.rowCount(), 5);
    query.actions.clear();
    query.status = 401;   // every third hook
    proxy.setQuery(query);
    QCOMPARE(proxy.rowCount(), 4);
    query.status = 0;
    // Text parts wait for their hits.
    query.search = QStringLiteral("only-in-a-body");
    proxy.setQuery(query);
    QCOMPARE(proxy.rowCount(), 0);
    proxy.setTextHits({hooks.at(3).id, hooks.at(4).id});
    QCOMPARE(proxy.rowCount(), 2);
    QVERIFY(proxy.isFiltering());
    // Field parts still hold beside the hits.
    query.event = QStringLiteral("user");
    proxy.setQuery(query);
    QCOMPARE(proxy.rowCount(), 1);
}

void tst_HookTableModel::shouldRemoveRowsAndUpdateForwardStatus()
{
    const QList<Hook> hooks = storeHooks(8);
    HookTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    loadAll(model);
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

void tst_HookTableModel::shouldTakeRowsCheckedAgain()
{
    const QList<Hook> hooks = storeHooks(3);
    HookTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    loadAll(model);
    QCOMPARE(model.index(1, HookColumns::Verdict).data().toString(), QString());
    HookRow row;
    row.id = hooks.at(1).id;
    row.provider = QStringLiteral("codewars");
    row.event = QStringLiteral("user");
    row.action = QStringLiteral("rank_upgraded");
    row.secret = catalog::Verdict::Invalid;
    row.signature = catalog::Verdict::NotUsed;
    row.problems = 2;
    HookRow notLoaded = row;
    notLoaded.id = 999;
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.updateRows({row, notLoaded});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
    QCOMPARE(model.index(1, HookColumns::Verdict).data().toString(), QStringLiteral("invalid"));
    QCOMPARE(model.index(1, 0).data(HookColumns::ProblemsRole).toInt(), 2);
    QCOMPARE(model.fieldsAt(1).secret, catalog::Verdict::Invalid);
    QCOMPARE(model.rowCount(), 3);
}

QTEST_GUILESS_MAIN(tst_HookTableModel)

void tst_HookTableModel::shouldShowTheDateOfHooksFromOtherDays_data()
{
    QTest::addColumn<QDateTime>("time");
    QTest::addColumn<QString>("text");
    const QDate today(2026, 12, 4);
    QTest::newRow("today") << QDateTime(today, QTime(3, 4, 5, 6)) << "03:04:05.006";
    QTest::newRow("today, first millisecond") << QDateTime(today, QTime(0, 0)) << "00:00:00.000";
    QTest::newRow("yesterday") << QDateTime(today.addDays(-1), QTime(23, 59, 59, 999)) << "12-03 23:59:59";
    QTest::newRow("this January") << QDateTime(QDate(2026, 1, 1), QTime(0, 0, 1)) << "01-01 00:00:01";
    QTest::newRow("tomorrow (a clock set back)") << QDateTime(today.addDays(1), QTime(1, 2, 3)) << "12-05 01:02:03";
    QTest::newRow("last year, same day") << QDateTime(QDate(2025, 12, 4), QTime(3, 4, 5)) << "2025-12-04 03:04";
    QTest::newRow("long ago") << QDateTime(QDate(1999, 7, 8), QTime(9, 10, 11)) << "1999-07-08 09:10";
}

void tst_HookTableModel::shouldShowTheDateOfHooksFromOtherDays()
{
    QFETCH(QDateTime, time);
    QFETCH(QString, text);
    const QDateTime now(QDate(2026, 12, 4), QTime(15, 30));
    QCOMPARE(HookTableModel::timeText(time, now), text);
}

void tst_HookTableModel::shouldGiveTheFullTimeWithItsOffsetAsTooltip()
{
    const QDateTime time(QDate(2024, 5, 3), QTime(3, 4, 5, 6), QTimeZone(2 * 3600));
    QCOMPARE(HookTableModel::timeTooltip(time), QStringLiteral("2024-05-03T03:04:05.006+02:00"));
    const QDateTime west(QDate(2024, 5, 3), QTime(3, 4, 5, 6), QTimeZone(-(9 * 3600 + 30 * 60)));
    QCOMPARE(HookTableModel::timeTooltip(west), QStringLiteral("2024-05-03T03:04:05.006-09:30"));
}

#include "tst_hooktablemodel.moc"
