#include "delivery/forwarder.h"
#include "delivery/replay.h"
#include "delivery/sender.h"

#include "capture/listener.h"
#include "rawreceiver.h"
#include "workspace/workspace.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

class tst_Forwarder : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void shouldStoreAFailedForwardAndForwardAgainOnceTheTargetIsBack();
    void shouldForwardEveryHookOfABurst();
    void shouldNeverDelayTheListenersAnswers();
    void shouldBoundRequestsInFlight();
    void shouldWaitForTheStoreBeforeSendingMore();
    void shouldCountHooksLeftOutOfAFullQueue();
    void shouldForwardABurstToASlowTargetEachOnce();
    void shouldCountWhatASlowTargetCouldNotTake();
    void shouldRecordAnswersThatAreNot2xx();

private:
    // Sends one hook to the listener; its id, or 0 when it was not answered 2xx.
    qint64 capture(const QByteArray &body, const QByteArray &target = "/hooks?n=1");
    int forwardStatus(qint64 hookId);
    // Sends n hooks with distinct bodies to the listener at once; their bodies, once all are answered.
    void burst(int n, QSet<QByteArray> *bodies = nullptr);
    // Hooks in the store whose forward was answered with status, and the ids of those forwarded at all.
    int forwardedHooks(int status);
    QList<qint64> forwardedIds();
    // A receiver that answers only when told (RawReceiver::answerHeld()), as the workspace's forward target.
    Forwarder *forwardToSlowReceiver(RawReceiver &receiver);
    static QSet<QByteArray> bodiesOf(const RawReceiver &receiver);
    // Forwards what the workspace captures, and stores the results through it, as its own forwarder does.
    void attach(Forwarder &forwarder);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<workspace::Workspace> m_workspace;
    std::unique_ptr<Sender> m_client;
    QString m_storePath;
};

void tst_Forwarder::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_storePath = m_dir->filePath(QStringLiteral("hooks.sqlite"));
    m_workspace = std::make_unique<workspace::Workspace>(catalog::Catalog::builtin());
    QVERIFY2(m_workspace->open(m_storePath), qPrintable(m_workspace->errorString()));
    QVERIFY2(m_workspace->listen(ListenerConfig()), qPrintable(m_workspace->errorString()));
    m_client = std::make_unique<Sender>();
}

void tst_Forwarder::cleanup()
{
    m_client.reset();
    m_workspace.reset();
    m_dir.reset();
}

qint64 tst_Forwarder::capture(const QByteArray &body, const QByteArray &target)
{
    Draft draft;
    draft.url = m_workspace->url().resolved(QUrl(QString::fromLatin1(target)));
    draft.headers = {{"User-Agent", "Codewars Hookbot"}, {"Content-Type", "application/json"}, {"X-Webhook-Event", "user"}};
    draft.body = body;
    const Delivery answer = m_client->sendAndWait(draft);
    if (!answer.succeeded())
        return 0;
    // The listener answers {"id":N}.
    const QByteArray id = answer.responseBody.mid(answer.responseBody.indexOf(':') + 1);
    return id.left(id.indexOf('}')).trimmed().toLongLong();
}

void tst_Forwarder::attach(Forwarder &forwarder)
{
    connect(m_workspace->listener(), &Listener::hooksStored, &forwarder, &Forwarder::forward);
    connect(&forwarder, &Forwarder::forwarded, m_workspace.get(), [this](const QList<Delivery> &deliveries) {
        for (const Delivery &delivery : deliveries)
            m_workspace->storeDelivery(delivery);
    });
}

int tst_Forwarder::forwardStatus(qint64 hookId)
{
    HookStore store;
    if (!store.open(m_storePath, HookStore::Mode::ReadOnly))
        return -2;
    HookQuery query;
    query.ids = {hookId};
    int status = -3;
    store.forEachRow(query, [&](const HookRow &row) {
        status = row.forwardStatus;
        return false;
    });
    return status;
}

void tst_Forwarder::burst(int n, QSet<QByteArray> *bodies)
{
    QSignalSpy sent(m_client.get(), &Sender::finished);
    for (int i = 0; i < n; ++i) {
        Draft draft;
        draft.url = m_workspace->url().resolved(QUrl(QStringLiteral("/burst")));
        draft.headers = {{"Content-Type", "application/json"}};
        draft.body = R"({"n":)" + QByteArray::number(i) + '}';
        if (bodies)
            bodies->insert(draft.body);
        m_client->send(draft);
    }
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), n, 15000);
    for (const QList<QVariant> &answer : std::as_const(sent))
        QCOMPARE(answer.at(1).value<Delivery>().status, 200);
}

int tst_Forwarder::forwardedHooks(int status)
{
    HookStore store;
    if (!store.open(m_storePath, HookStore::Mode::ReadOnly))
        return -1;
    int count = 0;
    store.forEachRow(HookQuery(), [&](const HookRow &row) {
        count += row.forwardStatus == status ? 1 : 0;
        return true;
    });
    return count;
}

QList<qint64> tst_Forwarder::forwardedIds()
{
    HookStore store;
    QList<qint64> ids;
    if (!store.open(m_storePath, HookStore::Mode::ReadOnly))
        return ids;
    store.forEachRow(HookQuery(), [&](const HookRow &row) {
        if (row.forwardStatus >= 0)
            ids.append(row.id);
        return true;
    });
    return ids;
}

Forwarder *tst_Forwarder::forwardToSlowReceiver(RawReceiver &receiver)
{
    if (!receiver.listen())
        return nullptr;
    receiver.setMode(RawReceiver::Mode::Held);
    QString error;
    if (!m_workspace->setForwardTarget(receiver.url(), &error))
        qWarning("%s", qPrintable(error));
    return m_workspace->forwarder();
}

QSet<QByteArray> tst_Forwarder::bodiesOf(const RawReceiver &receiver)
{
    QSet<QByteArray> bodies;
    for (const RawReceiver::Request &request : receiver.requests())
        bodies.insert(request.body);
    return bodies;
}

// What Forwarder::forwarded() reported, in order, whatever the batches.
static QList<Delivery> deliveriesOf(const QSignalSpy &spy)
{
    QList<Delivery> deliveries;
    for (const QList<QVariant> &arguments : spy)
        deliveries += arguments.at(0).value<QList<Delivery>>();
    return deliveries;
}

static quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost))
        return 0;
    return probe.serverPort();
}

void tst_Forwarder::shouldStoreAFailedForwardAndForwardAgainOnceTheTargetIsBack()
{
    const quint16 port = freePort();
    QVERIFY(port != 0);
    const QUrl target(QStringLiteral("http://127.0.0.1:%1/").arg(port));
    Forwarder forwarder(target);
    forwarder.setBackoff(100, 400);
    attach(forwarder);
    QSignalSpy spy(&forwarder, &Forwarder::forwarded);

    const QByteArray firstBody = R"({"action":"honor_changed","user":{"id":"53aa3f265b97485984000001","honor":1,"honor_delta":1}})";
    const qint64 first = capture(firstBody);
    QVERIFY(first > 0);
    QTRY_COMPARE_WITH_TIMEOUT(deliveriesOf(spy).size(), 1, 10000);
    const Delivery failed = deliveriesOf(spy).at(0);
    QCOMPARE(failed.hookId, first);
    QCOMPARE(failed.kind, Delivery::Kind::Forward);
    QCOMPARE(failed.status, 0);
    QCOMPARE(failed.error, QStringLiteral("connection refused"));
    QTRY_COMPARE(forwardStatus(first), 0);
    {
        HookStore store;
        QVERIFY(store.open(m_storePath, HookStore::Mode::ReadOnly));
        const QList<Delivery> stored = store.deliveries(first);
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored.at(0).kind, Delivery::Kind::Forward);
        QCOMPARE(stored.at(0).error, QStringLiteral("connection refused"));
        QCOMPARE(stored.at(0).requestBody, firstBody);
        QCOMPARE(stored.at(0).url, QStringLiteral("http://127.0.0.1:%1/hooks?n=1").arg(port));
    }

    RawReceiver receiver;
    QVERIFY(receiver.listen(port));
    receiver.setAnswer(202, "Accepted", {}, "thanks");
    const QByteArray secondBody = R"({"action":"rank_upgraded","user":{"id":"53aa3f265b97485984000001","rank":-5},"language":null})";
    const qint64 second = capture(secondBody, "/other/path?x=%20y");
    QVERIFY(second > first);
    QTRY_COMPARE_WITH_TIMEOUT(deliveriesOf(spy).size(), 2, 10000);
    const Delivery delivered = deliveriesOf(spy).at(1);
    QCOMPARE(delivered.hookId, second);
    QVERIFY2(delivered.error.isEmpty(), qPrintable(delivered.error));
    QCOMPARE(delivered.status, 202);
    QCOMPARE(delivered.responseBody, QByteArray("thanks"));
    QTRY_COMPARE(forwardStatus(second), 202);
    QCOMPARE(receiver.requests().size(), 1);
    QCOMPARE(receiver.requests().at(0).requestLine, QByteArray("POST /other/path?x=%20y HTTP/1.1"));
    QCOMPARE(receiver.requests().at(0).body, secondBody);
    QCOMPARE(http::valueOf(receiver.requests().at(0).headers, "X-Webhook-Event"), QByteArray("user"));
    QCOMPARE(http::countOf(receiver.requests().at(0).headers, "Host"), 1);
    // Byte for byte: the captured fields in order between Host and Content-Length, and what was written is recorded.
    const QByteArray expected = "POST /other/path?x=%20y HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
        + "\r\nUser-Agent: Codewars Hookbot\r\nContent-Type: application/json\r\nX-Webhook-Event: user\r\nContent-Length: "
        + QByteArray::number(secondBody.size()) + "\r\n\r\n" + secondBody;
    QCOMPARE(receiver.requests().at(0).raw, expected);
    QCOMPARE(delivered.requestHead + delivered.requestBody, expected);

    // The failed one, replayed later, arrives and is recorded beside the failure.
    HookStore store;
    QVERIFY(store.open(m_storePath, HookStore::Mode::ReadWrite));
    const std::optional<Hook> hook = store.hook(first);
    QVERIFY(hook);
    Delivery replayed = m_client->sendAndWait(replayDraft(*hook, target), Delivery::Kind::Replay, first);
    QCOMPARE(replayed.status, 202);
    QVERIFY(store.addDelivery(&replayed));
    QCOMPARE(receiver.requests().size(), 2);
    QCOMPARE(receiver.requests().at(1).body, firstBody);
    const QList<Delivery> stored = store.deliveries(first);
    QCOMPARE(stored.size(), 2);
    QCOMPARE(stored.at(1).kind, Delivery::Kind::Replay);
    QCOMPARE(stored.at(1).status, 202);
    QTRY_COMPARE(forwardStatus(first), 0);   // a replay is not a forward
}

void tst_Forwarder::shouldForwardEveryHookOfABurst()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    Forwarder forwarder(receiver.url());
    attach(forwarder);
    QSignalSpy spy(&forwarder, &Forwarder::forwarded);

    QSignalSpy sent(m_client.get(), &Sender::finished);
    for (int i = 0; i < 30; ++i) {
        Draft draft;
        draft.url = m_workspace->url().resolved(QUrl(QStringLiteral("/burst/%1").arg(i)));
        draft.body = QByteArray::number(i);
        m_client->send(draft);
    }
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 30, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(deliveriesOf(spy).size(), 30, 15000);
    QSet<QByteArray> bodies;
    for (const RawReceiver::Request &request : receiver.requests())
        bodies.insert(request.body);
    QCOMPARE(bodies.size(), 30);
    for (const Delivery &delivery : deliveriesOf(spy))
        QTRY_COMPARE(forwardStatus(delivery.hookId), 200);
    QCOMPARE(forwarder.pending(), 0);
}

void tst_Forwarder::shouldNeverDelayTheListenersAnswers()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setMode(RawReceiver::Mode::Silent);
    Forwarder forwarder(receiver.url());
    forwarder.setTimeout(3000);
    attach(forwarder);

    QElapsedTimer timer;
    for (int i = 0; i < 5; ++i) {
        timer.start();
        QVERIFY(capture("{}") > 0);
        QVERIFY2(timer.elapsed() < 1500, QByteArray::number(timer.elapsed()).constData());
    }
    QTRY_COMPARE(receiver.requests().size(), 5);   // all forwarded, none answered yet
    QCOMPARE(forwarder.pending(), 5);
    QSignalSpy spy(&forwarder, &Forwarder::forwarded);
    forwarder.stop(QStringLiteral("stopped by the test"));
    QCOMPARE(deliveriesOf(spy).size(), 5);
    QCOMPARE(deliveriesOf(spy).at(0).error, QStringLiteral("stopped by the test before the answer came"));
    QCOMPARE(forwarder.pending(), 0);
}

void tst_Forwarder::shouldBoundRequestsInFlight()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setMode(RawReceiver::Mode::Silent);
    Forwarder forwarder(receiver.url());
    forwarder.setMaxInFlight(3);
    attach(forwarder);

    for (int i = 0; i < 7; ++i)
        QVERIFY(capture("{}") > 0);
    QTRY_COMPARE(forwarder.pending(), 7);
    QTRY_COMPARE(receiver.requests().size(), 3);
    QTest::qWait(300);
    QCOMPARE(receiver.requests().size(), 3);

    QSignalSpy spy(&forwarder, &Forwarder::forwarded);
    QSignalSpy idle(&forwarder, &Forwarder::idle);
    forwarder.stop(QStringLiteral("stopped"));
    QCOMPARE(deliveriesOf(spy).size(), 3);   // those in flight; the 4 waiting are dropped unsent
    QVERIFY(idle.size() >= 1);
    QCOMPARE(forwarder.pending(), 0);
}

void tst_Forwarder::shouldWaitForTheStoreBeforeSendingMore()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    Forwarder forwarder(receiver.url());
    forwarder.setMaxUnstored(2, 1 << 20);
    // Results are taken and never confirmed stored, as by a store that fell behind.
    connect(m_workspace->listener(), &Listener::hooksStored, &forwarder, &Forwarder::forward);
    QSignalSpy results(&forwarder, &Forwarder::forwarded);

    for (int i = 0; i < 5; ++i)
        QVERIFY(capture(R"({"n":)" + QByteArray::number(i) + '}') > 0);
    QTRY_COMPARE(deliveriesOf(results).size(), 2);
    QTest::qWait(300);
    QCOMPARE(receiver.requests().size(), 2);
    QCOMPARE(forwarder.pending(), 3);   // they wait in the bounded queue

    forwarder.stored(1);
    QTRY_COMPARE(deliveriesOf(results).size(), 3);
    QTest::qWait(300);
    QCOMPARE(receiver.requests().size(), 3);

    // The bytes of the results waiting count as well.
    forwarder.setMaxUnstored(100, 1);
    forwarder.stored(0);
    QTest::qWait(300);
    QCOMPARE(receiver.requests().size(), 3);
    forwarder.stored(2);
    QTRY_COMPARE(receiver.requests().size(), 5);
    QCOMPARE(bodiesOf(receiver).size(), 5);
    QTRY_COMPARE(forwarder.pending(), 0);
}

void tst_Forwarder::shouldCountHooksLeftOutOfAFullQueue()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setMode(RawReceiver::Mode::Silent);
    Forwarder forwarder(receiver.url());
    forwarder.setMaxInFlight(1);
    forwarder.setQueueLimits(2, 1 << 20);
    attach(forwarder);
    QSignalSpy forwarded(&forwarder, &Forwarder::forwarded);
    QSignalSpy dropped(&forwarder, &Forwarder::dropped);
    const auto droppedSoFar = [&dropped] {
        qint64 total = 0;
        for (const QList<QVariant> &report : std::as_const(dropped))
            total += report.at(0).toLongLong();
        return total;
    };

    QList<qint64> ids;
    for (int i = 0; i < 5; ++i)
        ids.append(capture("{}"));
    QTRY_COMPARE(droppedSoFar(), 2);
    QCOMPARE(forwarder.droppedTotal(), 2);
    QCOMPARE(forwarder.pending(), 3);   // one in flight, two waiting
    const QString reason = dropped.constLast().at(1).toString();
    QVERIFY2(reason.startsWith(receiver.url().toString() + u" did not keep up"), qPrintable(reason));
    // Nothing is stored for them: no delivery was made, and they stay "not forwarded".
    QCOMPARE(deliveriesOf(forwarded).size(), 0);
    for (int i : {1, 2})
        QCOMPARE(forwardStatus(ids.at(i)), -1);
    QCOMPARE(receiver.requests().size(), 1);

    // Stopping ends the one in flight as failed, and counts the waiting ones.
    forwarder.stop(QStringLiteral("stopped by the test"));
    QCOMPARE(deliveriesOf(forwarded).size(), 1);
    QCOMPARE(deliveriesOf(forwarded).at(0).hookId, ids.at(0));
    QCOMPARE(droppedSoFar(), 4);
    QCOMPARE(dropped.constLast().at(1).toString(), QStringLiteral("stopped by the test before it was sent"));
    QCOMPARE(forwarder.pending(), 0);
}

void tst_Forwarder::shouldForwardABurstToASlowTargetEachOnce()
{
    RawReceiver receiver;
    Forwarder *forwarder = forwardToSlowReceiver(receiver);
    QVERIFY(forwarder);
    QVERIFY(forwarder->thread() != thread());   // not on the thread the workspace (the window) runs on

    constexpr int Hooks = 120;
    QSet<QByteArray> bodies;
    burst(Hooks, &bodies);
    if (QTest::currentTestFailed())
        return;
    // The target answers only what is in flight at a time: never more than the bound.
    while (receiver.requests().size() < Hooks) {
        QTRY_VERIFY(receiver.held() > 0);
        QVERIFY(receiver.held() <= forwarder->maxInFlight());
        receiver.answerHeld();
    }
    QCOMPARE(receiver.requests().size(), Hooks);
    QCOMPARE(bodiesOf(receiver), bodies);   // each once: as many requests as distinct bodies
    QTRY_COMPARE(forwardedHooks(200), Hooks);
    QCOMPARE(m_workspace->hooksNotForwardedTotal(), 0);
    QTest::qWait(100);
    QCOMPARE(receiver.requests().size(), Hooks);
}

void tst_Forwarder::shouldCountWhatASlowTargetCouldNotTake()
{
    RawReceiver receiver;
    Forwarder *forwarder = forwardToSlowReceiver(receiver);
    QVERIFY(forwarder);
    QVERIFY(QMetaObject::invokeMethod(forwarder, [forwarder] {
        forwarder->setMaxInFlight(2);
        forwarder->setQueueLimits(5, 1 << 20);
    }, Qt::BlockingQueuedConnection));
    QSignalSpy notForwarded(m_workspace.get(), &workspace::Workspace::hooksNotForwarded);

    constexpr int Hooks = 40;
    burst(Hooks);
    if (QTest::currentTestFailed())
        return;
    // Two in flight, the newest five waiting: the queue holds no more whatever comes.
    QTRY_COMPARE(m_workspace->hooksNotForwardedTotal(), Hooks - 7);
    QCOMPARE(forwarder->pending(), 7);
    QVERIFY(!notForwarded.isEmpty());
    QCOMPARE(notForwarded.constLast().at(0).toLongLong(), Hooks - 7);
    QVERIFY2(notForwarded.constLast().at(1).toString().contains(u"did not keep up"),
             qPrintable(notForwarded.constLast().at(1).toString()));

    while (receiver.requests().size() < 7) {
        QTRY_VERIFY(receiver.held() > 0);
        receiver.answerHeld();
    }
    QTRY_COMPARE(forwardedHooks(200), 7);
    QTest::qWait(100);
    QCOMPARE(receiver.requests().size(), 7);
    QCOMPARE(bodiesOf(receiver).size(), 7);
    // The first two went at once; of those that waited, the newest were kept.
    QList<qint64> ids = forwardedIds();
    std::sort(ids.begin(), ids.end());
    const qint64 first = ids.constFirst();
    QCOMPARE(ids, (QList<qint64>{first, first + 1, first + 35, first + 36, first + 37, first + 38, first + 39}));
    QCOMPARE(m_workspace->hooksNotForwardedTotal(), Hooks - 7);
}

void tst_Forwarder::shouldRecordAnswersThatAreNot2xx()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setAnswer(500, "Internal Server Error", {}, "boom");
    Forwarder forwarder(receiver.url());
    attach(forwarder);
    QSignalSpy spy(&forwarder, &Forwarder::forwarded);

    const qint64 id = capture("{}");
    QTRY_COMPARE(deliveriesOf(spy).size(), 1);
    QCOMPARE(deliveriesOf(spy).at(0).status, 500);
    QTRY_COMPARE(forwardStatus(id), 500);
    // An answer, even a 500, is not an outage: the next hook goes at once.
    const qint64 next = capture("{}");
    QTRY_COMPARE_WITH_TIMEOUT(deliveriesOf(spy).size(), 2, 1000);
    QTRY_COMPARE(forwardStatus(next), 500);
}

QTEST_GUILESS_MAIN(tst_Forwarder)
#include "tst_forwarder.moc"
