#include "testhelpers.h"

#include "capture/hookfilterproxy.h"
#include "capture/hooktablemodel.h"
#include "capture/listener.h"
#include "cli/clitesthelpers.h"
#include "delivery/rawreceiver.h"
#include "formats/har.h"
#include "formats/jsonl.h"
#include "workspace/workspace.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using testhelpers::makeHook;
using workspace::await;

Q_DECLARE_METATYPE(HookQuery)

// The application layer without widgets: each test drives a real Workspace over a
// store in a temporary folder, with real sockets and, for the parity test, the
// real hookscope binary.
class tst_Workspace : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void shouldImportBesideCapturedHooksWithoutForwardingThem();
    void shouldKeepAnImportsTimesAndUrls();
    void shouldDeletePruneAndClearThroughTheWriter();
    void shouldRecheckVerdictsWithTheSecretConfiguredNow();
    void shouldReplayInOrderAndStoreEachDelivery();
    void shouldReplayNothingWhenAnIdIsMissing();
    void shouldFindEitherSpellingOfAnAction();
    void shouldRetryAsTheSenderWouldUntilA2xx();
    void shouldStopARetryScheduleWhenCancelled();
    void shouldWriteBesideAnotherProcesssListener();
    void shouldGiveTheSameIdsLiveStoredAndOnTheCommandLine_data();
    void shouldGiveTheSameIdsLiveStoredAndOnTheCommandLine();

private:
    // Posts a hook to the workspace's listener; its id (0: not answered 2xx).
    qint64 capture(const QByteArray &event, const QByteArray &body, const QByteArray &extraHeaders = {},
                   const QByteArray &target = "/hooks");
    QList<qint64> storedIds(const HookQuery &query = {});

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<workspace::Workspace> m_workspace;
    QString m_store;
};

void tst_Workspace::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = m_dir->filePath(QStringLiteral("hooks.sqlite"));
    m_workspace = std::make_unique<workspace::Workspace>(catalog::Catalog::builtin());
    QVERIFY2(m_workspace->open(m_store), qPrintable(m_workspace->errorString()));
    QVERIFY(m_workspace->isWriter());
    QVERIFY2(m_workspace->listen(ListenerConfig()), qPrintable(m_workspace->errorString()));
}

void tst_Workspace::cleanup()
{
    m_workspace.reset();
    m_dir.reset();
}

qint64 tst_Workspace::capture(const QByteArray &event, const QByteArray &body, const QByteArray &extraHeaders, const QByteArray &target)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, quint16(m_workspace->url().port()));
    if (!socket.waitForConnected(5000))
        return 0;
    socket.write(testhelpers::postRequest(target, body,
                                          "Content-Type: application/json\r\nX-Webhook-Event: " + event + "\r\n" + extraHeaders));
    QByteArray pending;
    const testhelpers::Answer answer = testhelpers::readAnswer(socket, pending);
    return answer.status / 100 == 2 ? testhelpers::answerId(answer.body) : 0;
}

QList<qint64> tst_Workspace::storedIds(const HookQuery &query)
{
    QList<qint64> ids;
    for (const HookRow &row : await(m_workspace->rows(query)).value)
        ids.append(row.id);
    return ids;
}

void tst_Workspace::shouldImportBesideCapturedHooksWithoutForwardingThem()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    QString error;
    QVERIFY2(m_workspace->setForwardTarget(receiver.url(), &error), qPrintable(error));
    QSignalSpy arrived(m_workspace.get(), &workspace::Workspace::hooksArrived);
    QSignalSpy imported(m_workspace.get(), &workspace::Workspace::hooksImported);

    const qint64 before = capture("user", R"({"action":"honor_changed"})");
    QVERIFY(before > 0);
    QList<Hook> file{makeHook("user", "{\"imported\":1}"), makeHook("user", "{\"imported\":2}")};
    const QString har = m_dir->filePath(QStringLiteral("in.har"));
    QFile out(har);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(formats::hooksToHar(file));
    out.close();

    const workspace::Outcome outcome = await(m_workspace->importHar(har));
    QVERIFY2(outcome.ok(), qPrintable(outcome.error));
    QCOMPARE(outcome.ids, (QList<qint64>{before + 1, before + 2}));
    QCOMPARE(capture("user", R"({"action":"honor_changed"})"), before + 3);

    QTRY_COMPARE(imported.size(), 1);
    QCOMPARE(imported.at(0).at(0).value<QList<Hook>>().size(), 2);
    QTRY_COMPARE(receiver.requests().size(), 2);
    QTest::qWait(100);
    // Captured hooks arrive and are forwarded; imported ones are neither.
    QList<qint64> arrivedIds;
    for (const QList<QVariant> &batch : std::as_const(arrived)) {
        for (const Hook &hook : batch.at(0).value<QList<Hook>>())
            arrivedIds.append(hook.id);
    }
    QCOMPARE(arrivedIds, (QList<qint64>{before, before + 3}));
    QCOMPARE(receiver.requests().size(), 2);
    QCOMPARE(storedIds(), (QList<qint64>{before, before + 1, before + 2, before + 3}));
    const std::optional<Hook> second = await(m_workspace->hook(before + 2)).value;
    QVERIFY(second);
    QCOMPARE(second->body, QByteArray("{\"imported\":2}"));
    QCOMPARE(second->origin, Hook::Origin::Imported);
    QCOMPARE(await(m_workspace->hook(before)).value->origin, Hook::Origin::Captured);

    // A file that is no HAR is refused by name, and nothing is stored.
    QFile broken(m_dir->filePath(QStringLiteral("broken.har")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("not json");
    broken.close();
    const workspace::Outcome refused = await(m_workspace->importHar(broken.fileName()));
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error.contains(u"broken.har"), qPrintable(refused.error));
    QCOMPARE(storedIds().size(), 4);
}

void tst_Workspace::shouldKeepAnImportsTimesAndUrls()
{
    const QString foreign = QFINDTESTDATA("../formats/data/foreign.har");
    QVERIFY(!foreign.isEmpty());
    const workspace::Outcome outcome = await(m_workspace->importHar(foreign));
    QVERIFY2(outcome.ok(), qPrintable(outcome.error));
    const std::optional<Hook> first = await(m_workspace->hook(outcome.ids.constFirst())).value;
    QVERIFY(first);
    QCOMPARE(formats::isoTimestamp(first->receivedUs), QStringLiteral("2024-03-01T12:34:56.789000Z"));
    const workspace::Fetched<QByteArray> har = await(m_workspace->exportData(workspace::ExportFormat::Har, {first->id}));
    QVERIFY2(har.ok(), qPrintable(har.error));
    const QJsonObject entry = QJsonDocument::fromJson(har.value).object()[u"log"].toObject()[u"entries"].toArray().at(0).toObject();
    QCOMPARE(entry[u"request"].toObject()[u"url"].toString(), QStringLiteral("https://hooks.example.test/codewars?team=a%20b&x=1"));
    const workspace::Fetched<QByteArray> curl = await(m_workspace->exportData(workspace::ExportFormat::Curl, {first->id}));
    QVERIFY2(curl.value.contains("https://hooks.example.test/codewars?team=a%20b&x=1"), curl.value.constData());
}

void tst_Workspace::shouldDeletePruneAndClearThroughTheWriter()
{
    QList<qint64> ids;
    for (int i = 0; i < 6; ++i)
        ids.append(capture("user", R"({"action":"honor_changed"})"));
    QVERIFY(!ids.contains(0));
    QSignalSpy removed(m_workspace.get(), &workspace::Workspace::hooksRemoved);
    QSignalSpy changed(m_workspace.get(), &workspace::Workspace::storeChanged);
    QSignalSpy cleared(m_workspace.get(), &workspace::Workspace::storeCleared);

    // Deliveries of a deleted hook go with it.
    Delivery delivery;
    delivery.hookId = ids.at(1);
    delivery.kind = Delivery::Kind::Replay;
    delivery.url = QStringLiteral("http://127.0.0.1:9/");
    QVERIFY(await(m_workspace->storeDelivery(delivery)).ok());
    QCOMPARE(await(m_workspace->deliveries(ids.at(1))).value.size(), 1);

    workspace::Outcome outcome = await(m_workspace->deleteHooks({ids.at(0), ids.at(1)}));
    QVERIFY2(outcome.ok(), qPrintable(outcome.error));
    QCOMPARE(outcome.count, 2);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(0).value<QList<qint64>>(), (QList<qint64>{ids.at(0), ids.at(1)}));
    QCOMPARE(storedIds(), ids.mid(2));
    QVERIFY(await(m_workspace->deliveries(ids.at(1))).value.isEmpty());

    outcome = await(m_workspace->prune(2, 0));
    QVERIFY2(outcome.ok(), qPrintable(outcome.error));
    QCOMPARE(outcome.count, 2);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(storedIds(), ids.mid(4));
    // Older than a time in the future: everything.
    outcome = await(m_workspace->prune(0, testhelpers::nowUs() + 60'000'000));
    QCOMPARE(outcome.count, 2);
    QVERIFY(storedIds().isEmpty());

    capture("user", R"({"action":"honor_changed"})");
    outcome = await(m_workspace->clear());
    QVERIFY2(outcome.ok(), qPrintable(outcome.error));
    QCOMPARE(outcome.count, 1);
    QCOMPARE(cleared.size(), 1);
    QVERIFY(storedIds().isEmpty());
    // Still capturing, with ids that go on.
    QVERIFY(capture("user", R"({"action":"honor_changed"})") > ids.last());
}

void tst_Workspace::shouldRecheckVerdictsWithTheSecretConfiguredNow()
{
    const QByteArray body = R"({"action":"updated","webhook":{"id":"53aa3f265b97485984000001"}})";
    const qint64 right = capture("webhook", body, "X-Webhook-Secret: s3cret\r\n");
    const qint64 wrong = capture("webhook", body, "X-Webhook-Secret: guess\r\n");
    QVERIFY(right > 0 && wrong > 0);
    // A refused request with the secret: kept on record, never checked.
    QCOMPARE(capture("webhook", body, "X-Webhook-Secret: s3cret\r\nContent-Length: 999\r\n"), 0);
    HookQuery refused;
    refused.refused = true;
    QTRY_COMPARE(storedIds(refused).size(), 1);
    QCOMPARE(await(m_workspace->hook(right)).value->inspection.secret, catalog::Verdict::NotConfigured);
    QSignalSpy changed(m_workspace.get(), &workspace::Workspace::hooksChanged);

    workspace::Outcome outcome = await(m_workspace->recheck({}, "s3cret"));
    QVERIFY2(outcome.ok(), qPrintable(outcome.error));
    QCOMPARE(outcome.count, 2);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).value<QList<qint64>>(), (QList<qint64>{right, wrong}));
    QCOMPARE(await(m_workspace->hook(right)).value->inspection.secret, catalog::Verdict::Valid);
    QCOMPARE(await(m_workspace->hook(wrong)).value->inspection.secret, catalog::Verdict::Invalid);
    HookQuery invalid;
    invalid.verdict = catalog::Verdict::Invalid;
    QCOMPARE(storedIds(invalid), QList<qint64>{wrong});
    const Hook record = *await(m_workspace->hook(storedIds(refused).constFirst())).value;
    QCOMPARE(record.inspection.secret, catalog::Verdict::NotConfigured);
    QVERIFY(record.inspection.problems.isEmpty());

    // A body sent deflated is checked as meant: decoded for its event and schema.
    const QByteArray deflated = qCompress(body).sliced(4);   // a zlib stream: the "deflate" coding
    const qint64 coded = capture("webhook", deflated, "X-Webhook-Secret: s3cret\r\nContent-Encoding: deflate\r\n");
    QVERIFY(coded > 0);
    QCOMPARE(await(m_workspace->recheck({coded}, "s3cret")).count, 1);
    const Hook codedHook = *await(m_workspace->hook(coded)).value;
    QCOMPARE(codedHook.body, deflated);
    QCOMPARE(codedHook.inspection.secret, catalog::Verdict::Valid);
    QCOMPARE(codedHook.inspection.action, QStringLiteral("updated"));
    QVERIFY2(codedHook.inspection.problems.isEmpty(), qPrintable(codedHook.inspection.problems.join(u"; ")));

    // Nothing changes the second time; a single id, and a missing one, by name.
    outcome = await(m_workspace->recheck({right}, "s3cret"));
    QCOMPARE(outcome.count, 0);
    outcome = await(m_workspace->recheck({right, 999}, "s3cret"));
    QVERIFY(!outcome.ok());
    QVERIFY2(outcome.error.contains(u"#999"), qPrintable(outcome.error));
}

void tst_Workspace::shouldReplayInOrderAndStoreEachDelivery()
{
    const qint64 first = capture("user", R"({"action":"honor_changed","n":1})", {}, "/one");
    const qint64 second = capture("user", R"({"action":"honor_changed","n":2})", {}, "/two");
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setAnswer(202, "Accepted");
    QSignalSpy stored(m_workspace.get(), &workspace::Workspace::deliveryStored);

    const workspace::ReplayOutcome outcome = await(m_workspace->replay({second, first}, receiver.url()));
    QVERIFY(outcome.error.isEmpty());
    QCOMPARE(outcome.deliveries.size(), 2);
    QCOMPARE(outcome.succeeded(), 2);
    QCOMPARE(outcome.deliveries.at(0).hookId, second);
    QCOMPARE(receiver.requests().size(), 2);
    QCOMPARE(receiver.requests().at(0).requestLine, QByteArray("POST /two HTTP/1.1"));
    QCOMPARE(receiver.requests().at(1).body, QByteArray(R"({"action":"honor_changed","n":1})"));
    QCOMPARE(stored.size(), 2);
    const QList<Delivery> deliveries = await(m_workspace->deliveries(first)).value;
    QCOMPARE(deliveries.size(), 1);
    QCOMPARE(deliveries.at(0).kind, Delivery::Kind::Replay);
    QCOMPARE(deliveries.at(0).status, 202);
}

void tst_Workspace::shouldReplayNothingWhenAnIdIsMissing()
{
    const qint64 id = capture("user", R"({"action":"honor_changed"})");
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    const workspace::ReplayOutcome outcome = await(m_workspace->replay({id, 4242}, receiver.url()));
    QCOMPARE(outcome.missing, QList<qint64>{4242});
    QVERIFY(outcome.deliveries.isEmpty());
    QTest::qWait(50);
    QCOMPARE(receiver.requests().size(), 0);
}

void tst_Workspace::shouldRetryAsTheSenderWouldUntilA2xx()
{
    const qint64 id = capture("push", R"({"ref":"refs/heads/main"})", "X-GitHub-Delivery: 72d3162e-cc78-11e3-81ab-4c9367dc0958\r\n");
    QVERIFY(id > 0);
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.failNext(2, 503, "Service Unavailable");
    RetrySchedule schedule;
    QString error;
    QVERIFY2(RetrySchedule::parse(QStringLiteral("0,5s,5m,30m"), &schedule, &error), qPrintable(error));
    QSignalSpy attempts(m_workspace.get(), &workspace::Workspace::attemptFinished);

    // 5 min at speed 1000 is 300 ms.
    const workspace::ReplayOutcome outcome = await(m_workspace->replayWithRetries(id, receiver.url(), schedule, 1000));
    QCOMPARE(outcome.deliveries.size(), 3);   // the fourth wait is never reached
    QCOMPARE(attempts.size(), 3);
    QCOMPARE(outcome.succeeded(), 1);
    QCOMPARE(receiver.requests().size(), 3);
    for (const RawReceiver::Request &request : receiver.requests())
        QCOMPARE(http::valueOf(request.headers, "X-GitHub-Delivery"), QByteArray("72d3162e-cc78-11e3-81ab-4c9367dc0958"));
    const QList<Delivery> stored = await(m_workspace->deliveries(id)).value;
    QCOMPARE(stored.size(), 3);
    QList<int> numbers, statuses;
    for (const Delivery &delivery : stored) {
        numbers.append(delivery.attempt);
        statuses.append(delivery.status);
    }
    QCOMPARE(numbers, (QList<int>{1, 2, 3}));
    QCOMPARE(statuses, (QList<int>{503, 503, 200}));
    QVERIFY2(stored.at(2).startedUs - stored.at(1).startedUs >= 290'000, qPrintable(QString::number(stored.at(2).startedUs - stored.at(1).startedUs)));   // waited 5 min / 1000

    // A target that never answers 2xx gets every attempt of the schedule.
    receiver.failNext(10, 500, "Internal Server Error");
    QVERIFY(RetrySchedule::parse(QStringLiteral("0,1s"), &schedule, &error));
    const workspace::ReplayOutcome failing = await(m_workspace->replayWithRetries(id, receiver.url(), schedule, 1000));
    QCOMPARE(failing.deliveries.size(), 2);
    QCOMPARE(failing.succeeded(), 0);
}

void tst_Workspace::shouldStopARetryScheduleWhenCancelled()
{
    const qint64 id = capture("user", R"({"action":"honor_changed"})");
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.failNext(5, 503, "Service Unavailable");
    RetrySchedule schedule;
    QString error;
    QVERIFY(RetrySchedule::parse(QStringLiteral("standard"), &schedule, &error));
    QSignalSpy attempts(m_workspace.get(), &workspace::Workspace::attemptFinished);
    QFuture<workspace::ReplayOutcome> running = m_workspace->replayWithRetries(id, receiver.url(), schedule);
    QTRY_COMPARE(attempts.size(), 1);   // the next one is 5 s away
    m_workspace->cancelRetries();
    const workspace::ReplayOutcome outcome = await(running);
    QCOMPARE(outcome.deliveries.size(), 1);
    QCOMPARE(receiver.requests().size(), 1);
    QCOMPARE(await(m_workspace->deliveries(id)).value.size(), 1);
}

void tst_Workspace::shouldFindEitherSpellingOfAnAction()
{
    // The later revision of the Codewars docs spells approve_successful "approved".
    const qint64 later = capture("code_challenge", R"({"action":"approved","code_challenge":{"id":"50654ddff44f800200000001"}})");
    const qint64 original = capture("code_challenge", R"({"action":"approve_successful","code_challenge":{"id":"50654ddff44f800200000001"}})");
    capture("code_challenge", R"({"action":"created","code_challenge":{"id":"50654ddff44f800200000001"}})");
    QVERIFY(later > 0 && original > 0);
    for (const QString &spelling : {QStringLiteral("approved"), QStringLiteral("approve_successful")}) {
        HookQuery query;
        query.actions = m_workspace->resolveAction(spelling);
        QCOMPARE(storedIds(query), (QList<qint64>{later, original}));
    }
    // Each keeps the spelling it carried; the table shows it, and where it comes from.
    const Hook stored = *await(m_workspace->hook(later)).value;
    QCOMPARE(stored.inspection.action, QStringLiteral("approve_successful"));
    QCOMPARE(stored.inspection.sentAction, QStringLiteral("approved"));
    QCOMPARE(await(m_workspace->hook(original)).value->inspection.sentAction, QString());
    HookTableModel model;
    model.setCatalog(m_workspace->catalog());
    HookQuery both;
    both.ids = {later, original};
    QList<Hook> hooks = await(m_workspace->hooks(both)).value;
    model.appendHooks(hooks);
    QTRY_COMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, HookColumns::Action).data().toString(), QStringLiteral("approved (later)"));
    QVERIFY2(model.index(0, HookColumns::Action).data(Qt::ToolTipRole).toString().startsWith(QLatin1String("approve_successful, sent as approved")),
             qPrintable(model.index(0, HookColumns::Action).data(Qt::ToolTipRole).toString()));
    QCOMPARE(model.index(1, HookColumns::Action).data().toString(), QStringLiteral("approve_successful"));
    QCOMPARE(model.actionAt(0), QStringLiteral("approve_successful"));
    HookFilterProxy proxy;
    proxy.setSourceModel(&model);
    HookQuery byAction;
    byAction.actions = m_workspace->resolveAction(QStringLiteral("approved"));
    proxy.setQuery(byAction);
    QCOMPARE(proxy.rowCount(), 2);

    HookQuery unknown;
    unknown.actions = m_workspace->resolveAction(QStringLiteral("no_such_action"));
    QCOMPARE(unknown.actions, QStringList{QStringLiteral("no_such_action")});
    QVERIFY(storedIds(unknown).isEmpty());
}

void tst_Workspace::shouldWriteBesideAnotherProcesssListener()
{
    m_workspace.reset();
    // Another hookscope holds the store's intake (here a listener of its own).
    Listener other(catalog::Catalog::builtin());
    QVERIFY(other.start({}, m_store));
    workspace::Workspace beside(catalog::Catalog::builtin());
    QVERIFY2(beside.open(m_store), qPrintable(beside.errorString()));
    QVERIFY(!beside.isWriter());
    QVERIFY(!beside.listen(ListenerConfig()));
    QCOMPARE(beside.listenFailure(), workspace::Workspace::ListenFailure::Store);
    QVERIFY2(beside.errorString().contains(u"in use by another hookscope process"), qPrintable(beside.errorString()));
    // Imports need ids, which are the other one's to give.
    QFile har(m_dir->filePath(QStringLiteral("one.har")));
    QVERIFY(har.open(QIODevice::WriteOnly));
    har.write(formats::hooksToHar({makeHook()}));
    har.close();
    const workspace::Outcome refused = await(beside.importHar(har.fileName()));
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error.contains(u"import there, or stop it first"), qPrintable(refused.error));
    // Everything else goes on beside it.
    Delivery delivery;
    delivery.url = QStringLiteral("http://127.0.0.1:9/");
    const workspace::Fetched<Delivery> stored = await(beside.storeDelivery(delivery));
    QVERIFY2(stored.ok(), qPrintable(stored.error));
    QVERIFY(stored.value.id > 0);
    QVERIFY(await(beside.clear()).ok());
}

void tst_Workspace::shouldGiveTheSameIdsLiveStoredAndOnTheCommandLine_data()
{
    QTest::addColumn<HookQuery>("query");
    QTest::addColumn<QStringList>("flags");
    const auto with = [](auto set) {
        HookQuery query;
        set(query);
        return query;
    };
    QTest::newRow("event") << with([](HookQuery &q) { q.event = QStringLiteral("user"); }) << QStringList{QStringLiteral("--event"), QStringLiteral("user")};
    QTest::newRow("header line as free text") << with([](HookQuery &q) { q.search = QStringLiteral("X-Webhook-Secret: wrong"); })
                                              << QStringList{QStringLiteral("--search"), QStringLiteral("X-Webhook-Secret: wrong")};
    QTest::newRow("body text in another case") << with([](HookQuery &q) { q.search = QStringLiteral("HONOR_CHANGED"); })
                                               << QStringList{QStringLiteral("--search"), QStringLiteral("HONOR_CHANGED")};
    QTest::newRow("header part") << with([](HookQuery &q) { q.header = QStringLiteral("x-webhook-secret"); })
                                 << QStringList{QStringLiteral("--header"), QStringLiteral("x-webhook-secret")};
    QTest::newRow("status") << with([](HookQuery &q) { q.status = 401; }) << QStringList{QStringLiteral("--status"), QStringLiteral("401")};
    QTest::newRow("problems") << with([](HookQuery &q) { q.problemsOnly = true; }) << QStringList{QStringLiteral("--problems")};
    QTest::newRow("invalid verdict") << with([](HookQuery &q) { q.verdict = catalog::Verdict::Invalid; })
                                     << QStringList{QStringLiteral("--verdict"), QStringLiteral("invalid")};
    QTest::newRow("provider and action") << with([](HookQuery &q) {
        q.provider = QStringLiteral("codewars");
        q.actions = {QStringLiteral("approve_successful")};
    }) << QStringList{QStringLiteral("--provider"), QStringLiteral("codewars"), QStringLiteral("--action"), QStringLiteral("approved")};
}

void tst_Workspace::shouldGiveTheSameIdsLiveStoredAndOnTheCommandLine()
{
    QFETCH(HookQuery, query);
    QFETCH(QStringList, flags);
    ListenerConfig config;
    config.secret = "s3cret";
    config.requireSecret = true;
    m_workspace->setListenerConfig(config);

    // The live table: the model fed by what arrives, filtered by the proxy with
    // text hits from the same matcher, as the window does.
    HookTableModel model;
    HookFilterProxy proxy;
    proxy.setSourceModel(&model);
    proxy.setQuery(query);
    QSet<qint64> hits;
    connect(m_workspace.get(), &workspace::Workspace::hooksArrived, &model, [&](const QList<Hook> &hooks) {
        for (const Hook &hook : hooks) {
            if (query.matchesText(hook.target, HookStore::encodeHeaders(hook.headers), hook.body))
                hits.insert(hook.id);
        }
        proxy.setTextHits(hits);
        model.appendHooks(hooks);
    });
    const QByteArray challenge = R"({"action":"approved","code_challenge":{"id":"50654ddff44f800200000001"}})";
    QVERIFY(capture("user", R"({"action":"honor_changed","user":{"id":"53aa3f265b97485984000001","honor":1,"honor_delta":1}})",
                    "X-Webhook-Secret: s3cret\r\n") > 0);
    capture("user", R"({"action":"honor_changed"})", "X-Webhook-Secret: wrong\r\n");   // answered 401, stored
    QVERIFY(capture("code_challenge", challenge, "X-Webhook-Secret: s3cret\r\n") > 0);
    capture("webhook", R"({"action":"updated"})");                                      // no secret: 401
    QTRY_COMPARE(model.rowCount(), 4);

    QList<qint64> live;
    for (int row = 0; row < proxy.rowCount(); ++row)
        live.append(proxy.index(row, 0).data(HookColumns::IdRole).toLongLong());
    const QList<qint64> stored = storedIds(query);
    QVERIFY2(!stored.isEmpty(), "every row of this table selects at least one hook");
    QCOMPARE(live, stored);

    const clitest::Result listed = clitest::run(QStringList{QStringLiteral("list"), QStringLiteral("--db"), m_store, QStringLiteral("--json")} + flags);
    QVERIFY2(listed.exitCode == 0, listed.err.constData());
    QList<qint64> cli;
    for (const QByteArray &line : listed.out.split('\n')) {
        if (!line.isEmpty())
            cli.append(QJsonDocument::fromJson(line).object().value(u"id").toInteger());
    }
    QCOMPARE(cli, stored);
}

QTEST_GUILESS_MAIN(tst_Workspace)
#include "tst_workspace.moc"
