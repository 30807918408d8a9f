#include "testhelpers.h"

#include "capture/hookstore.h"
#include "capture/listener.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#include <sys/socket.h>

using testhelpers::postRequest;
using testhelpers::readAnswer;

class tst_Listener : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void shouldAnswerOnlyAfterTheHookIsStored();
    void shouldKeepConnectionAliveForSeveralRequests();
    void shouldAnswerPipelinedRequestsInOrder();
    void shouldDecodeChunkedBodyAndKeepTrailers();
    void shouldSendContinueBeforeTheBody();
    void shouldRefuseWithStatus_data();
    void shouldRefuseWithStatus();
    void shouldBoundRefusedRequestsOnRecord();
    void shouldCapRefusedRequestsOnRecordPerRun();
    void shouldDecideTooLargeBodyBeforeReadingIt();
    void shouldCloseAfterConnectionClose();
    void shouldAnswerClientThatHalfClosed();
    void shouldDropSlowClientWithoutDelayingFastOne();
    void shouldCloseIdleKeepAliveConnection();
    void shouldServeTwoHundredConnectionsAtOnce();
    void shouldRefuseConnectionsBeyondTheLimit();
    void shouldAnswerUnauthorizedButStoreWhenSecretRequired();
    void shouldAnswerWithConfiguredStatusBodyAndDelay();
    void shouldReportTakenPort();
    void shouldStopWithRequestsInFlightAnswered();
    void shouldRefuseASecondListenerOnTheSameStore();

private:
    bool startListener(const ListenerConfig &config = {});
    QTcpSocket *connectClient();
    std::optional<Hook> storedHook(qint64 id);
    // Stored entries: refused requests only (true), hooks only (false), or both.
    qsizetype storedCount(std::optional<bool> refused = std::nullopt);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Listener> m_listener;
    QString m_store;
    QList<QTcpSocket *> m_sockets;
};

void tst_Listener::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = m_dir->filePath(QStringLiteral("hooks.sqlite"));
    m_listener = std::make_unique<Listener>(catalog::Catalog::builtin());
}

void tst_Listener::cleanup()
{
    qDeleteAll(m_sockets);
    m_sockets.clear();
    m_listener.reset();
    m_dir.reset();
}

bool tst_Listener::startListener(const ListenerConfig &config)
{
    if (!m_listener->start(config, m_store)) {
        qWarning() << m_listener->errorString();
        return false;
    }
    return true;
}

QTcpSocket *tst_Listener::connectClient()
{
    return testhelpers::connectClient(m_listener->port(), m_sockets);
}

std::optional<Hook> tst_Listener::storedHook(qint64 id)
{
    HookStore store;
    if (!store.open(m_store, HookStore::Mode::ReadOnly))
        return std::nullopt;
    return store.hook(id);
}

qsizetype tst_Listener::storedCount(std::optional<bool> refused)
{
    HookStore store;
    if (!store.open(m_store, HookStore::Mode::ReadOnly))
        return -1;
    HookQuery query;
    query.refused = refused;
    return store.hooks(query).size();
}

void tst_Listener::shouldAnswerOnlyAfterTheHookIsStored()
{
    QVERIFY(startListener());
    QSignalSpy stored(m_listener.get(), &Listener::hooksStored);
    QTcpSocket *client = connectClient();
    const QByteArray body = R"({"action":"created","code_challenge":{"id":"50654ddff44f800200000001","created_by_id":"508f2708b3be0c0200000002"}})";
    client->write(postRequest("/hooks?x=1", body, "User-Agent: Codewars Hookbot\r\nContent-Type: application/json\r\nX-Webhook-Event: code_challenge\r\n"));
    QByteArray pending;
    const auto answer = readAnswer(*client, pending);
    QCOMPARE(answer.status, 200);
    QVERIFY(answer.head.contains("Content-Type: application/json"));
    QVERIFY(answer.body.startsWith("{\"id\":"));
    const qint64 id = testhelpers::answerId(answer.body);
    QVERIFY(id > 0);

    // The answer went out, so the hook must already be readable from another connection.
    const std::optional<Hook> hook = storedHook(id);
    QVERIFY(hook.has_value());
    QCOMPARE(hook->method, QByteArray("POST"));
    QCOMPARE(hook->target, QByteArray("/hooks?x=1"));
    QCOMPARE(hook->body, body);
    QCOMPARE(hook->headers.at(1), (http::HeaderField{"User-Agent", "Codewars Hookbot"}));
    QCOMPARE(hook->inspection.event, QStringLiteral("code_challenge"));
    QCOMPARE(hook->inspection.action, QStringLiteral("created"));
    QCOMPARE(hook->answer.status, 200);
    QCOMPARE(hook->answer.body, answer.body);
    QCOMPARE(hook->peerAddress, QStringLiteral("127.0.0.1"));
    QCOMPARE(hook->peerPort, client->localPort());

    QTRY_COMPARE(stored.size(), 1);
    QCOMPARE(stored.at(0).at(0).value<QList<Hook>>().constFirst().id, id);
}

void tst_Listener::shouldKeepConnectionAliveForSeveralRequests()
{
    QVERIFY(startListener());
    QTcpSocket *client = connectClient();
    QByteArray pending;
    for (int i = 0; i < 3; ++i) {
        client->write(postRequest("/keep", QByteArray::number(i)));
        QCOMPARE(readAnswer(*client, pending).status, 200);
        QCOMPARE(client->state(), QAbstractSocket::ConnectedState);
    }
}

void tst_Listener::shouldAnswerPipelinedRequestsInOrder()
{
    QVERIFY(startListener());
    QTcpSocket *client = connectClient();
    client->write(postRequest("/one", "1") + postRequest("/two", "22") + postRequest("/three", "333"));
    QByteArray pending;
    QList<qint64> ids;
    for (int i = 0; i < 3; ++i) {
        const auto answer = readAnswer(*client, pending);
        QCOMPARE(answer.status, 200);
        ids.append(testhelpers::answerId(answer.body));
    }
    QVERIFY(ids.at(0) < ids.at(1) && ids.at(1) < ids.at(2));
    QCOMPARE(storedHook(ids.at(0))->target, QByteArray("/one"));
    QCOMPARE(storedHook(ids.at(1))->body, QByteArray("22"));
    QCOMPARE(storedHook(ids.at(2))->target, QByteArray("/three"));
}

void tst_Listener::shouldDecodeChunkedBodyAndKeepTrailers()
{
    QVERIFY(startListener());
    QTcpSocket *client = connectClient();
    client->write("POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "5;ext=1\r\nhello\r\n");
    client->flush();
    QTest::qWait(50);
    client->write("6\r\n world\r\n0\r\nX-Trailer: yes\r\n\r\n");
    QByteArray pending;
    const auto answer = readAnswer(*client, pending);
    QCOMPARE(answer.status, 200);
    const auto hook = storedHook(testhelpers::answerId(answer.body));
    QVERIFY(hook);
    QCOMPARE(hook->body, QByteArray("hello world"));
    QVERIFY(hook->chunked);
    QCOMPARE(hook->trailers, (http::HeaderList{{"X-Trailer", "yes"}}));
}

void tst_Listener::shouldSendContinueBeforeTheBody()
{
    QVERIFY(startListener());
    QTcpSocket *client = connectClient();
    client->write("POST /big HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
    QByteArray pending;
    const auto interim = readAnswer(*client, pending);
    QCOMPARE(interim.status, 100);
    client->write("body");
    QCOMPARE(readAnswer(*client, pending).status, 200);
}

void tst_Listener::shouldRefuseWithStatus_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("method");     // as far as it was read
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("headers");           // fields parsed before the refusal
    QTest::newRow("request line over 8 KiB") << QByteArray("GET /" + QByteArray(9000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n") << 414
                                             << QByteArray("GET") << QByteArray("/" + QByteArray(8187, 'a')) << 0;
    QTest::newRow("header block over 32 KiB")
        << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(33 * 1024, 'b') + "\r\n\r\n") << 431
        << QByteArray("GET") << QByteArray("/") << 1;
    QByteArray many = "GET / HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 120; ++i)
        many += "X-" + QByteArray::number(i) + ": v\r\n";
    QTest::newRow("more than 100 header fields") << QByteArray(many + "\r\n") << 431 << QByteArray("GET") << QByteArray("/") << 100;
    QTest::newRow("content-length and transfer-encoding")
        << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") << 400
        << QByteArray("POST") << QByteArray("/") << 3;
    QTest::newRow("chunked not the final coding") << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n")
                                                  << 400 << QByteArray("POST") << QByteArray("/") << 2;
    // Decided at the first byte no request could hold, with the rest of the line still to come.
    // Refused within the request line: its method and target as far as they read.
    QTest::newRow("unsupported version, no line end") << QByteArray("GET / HTTP/5.6") << 505 << QByteArray("GET") << QByteArray("/") << 0;
    QTest::newRow("bad line ending in the headers") << QByteArray("PUT /url HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\rabc") << 400
                                                    << QByteArray("PUT") << QByteArray("/url") << 2;
    QTest::newRow("raw utf-8 in the target") << QByteArray("GET /\xce\xb4\xc2\xb6 HTTP/1.1\r\n") << 400 << QByteArray("GET")
                                             << QByteArray("/\xce\xb4\xc2\xb6") << 0;
    // Refused within the Content-Length line, at its first digit too many: the fields before it are on record.
    QTest::newRow("Content-Length overflowing, headers not ended")
        << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\nX-More: 1\r\n") << 400
        << QByteArray("POST") << QByteArray("/") << 1;
    QTest::newRow("unsupported version") << QByteArray("GET / HTTP/2.0\r\nHost: x\r\n\r\n") << 505 << QByteArray("GET") << QByteArray("/") << 0;
    QTest::newRow("missing host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400 << QByteArray("GET") << QByteArray("/") << 0;
    QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : x\r\n\r\n") << 400 << QByteArray("GET") << QByteArray("/") << 0;
    QTest::newRow("content-length of 2^64") << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551616\r\n\r\n")
                                            << 400 << QByteArray("POST") << QByteArray("/") << 1;
    QTest::newRow("garbage") << QByteArray("\x01\x02\x03 garbage\r\n\r\n") << 400 << QByteArray() << QByteArray() << 0;
    QTest::newRow("unmet expectation") << QByteArray("POST /e HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\nContent-Length: 1\r\n\r\nx") << 417
                                       << QByteArray("POST") << QByteArray("/e") << 3;
    QTest::newRow("body over the limit") << postRequest("/big", QByteArray(2048, 'z')) << 413 << QByteArray("POST") << QByteArray("/big") << 2;
    QTest::newRow("headers too slow") << QByteArray("POST /slow HTTP/1.1\r\nHost: x\r\n") << 408 << QByteArray("POST") << QByteArray("/slow") << 1;
    QTest::newRow("body stalled") << QByteArray("POST /stall HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc") << 408
                                  << QByteArray("POST") << QByteArray("/stall") << 2;
}

void tst_Listener::shouldRefuseWithStatus()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(int, headers);
    ListenerConfig config;
    config.limits.maxBody = 1024;
    config.headerTimeoutMs = 300;
    config.bodyTimeoutMs = 300;
    QVERIFY(startListener(config));
    QSignalSpy stored(m_listener.get(), &Listener::hooksStored);
    QTcpSocket *client = connectClient();
    client->write(request);
    QByteArray pending;
    const auto answer = readAnswer(*client, pending);
    QCOMPARE(answer.status, status);
    QVERIFY(answer.head.contains("Connection: close"));
    QTRY_COMPARE(client->state(), QAbstractSocket::UnconnectedState);

    // On record as far as it was read: one entry, marked refused, with what arrived.
    QTRY_COMPARE(stored.size(), 1);
    const QList<Hook> hooks = stored.at(0).at(0).value<QList<Hook>>();
    QCOMPARE(hooks.size(), 1);
    const std::optional<Hook> record = storedHook(hooks.at(0).id);
    QVERIFY(record);
    QVERIFY(record->refused());
    QCOMPARE(record->answer.status, status);
    QCOMPARE(record->answer.body, record->refusal.toUtf8() + '\n');   // the reason, as it was sent
    QCOMPARE(answer.body, record->answer.body);
    QCOMPARE(record->method, method);
    QCOMPARE(record->target, target);
    QCOMPARE(record->headers.size(), headers);
    QCOMPARE(record->peerAddress, QStringLiteral("127.0.0.1"));
    // The bytes that arrived, from the first: all of a small request, the first 64 KiB at most.
    QVERIFY(!record->body.isEmpty());
    QVERIFY(record->body.size() <= 64 * 1024);
    QVERIFY(request.startsWith(record->body));
    if (request.size() <= 4096)
        QCOMPARE(record->body, request);
    QCOMPARE(storedCount(), 1);
}

void tst_Listener::shouldBoundRefusedRequestsOnRecord()
{
    ListenerConfig config;
    config.refusalBurst = 5;
    config.refusalIntervalMs = 3'600'000;   // no refill within the test
    config.maxRefusalRecords = 8;
    QVERIFY(startListener(config));
    QSignalSpy notRecorded(m_listener.get(), &Listener::refusalsNotRecordedChanged);

    // A flood of bad requests from one peer: the first burst is kept, the rest counted.
    constexpr int Flood = 40;
    QList<QTcpSocket *> bad;
    for (int i = 0; i < Flood; ++i) {
        bad.append(connectClient());
        bad.last()->write("GET / HTTP/9.9\r\n\r\n");
    }
    // Good hooks beside it are answered as ever.
    QTcpSocket *good = connectClient();
    for (int i = 0; i < 5; ++i) {
        good->write(postRequest("/good", "{}"));
        QByteArray pending;
        QCOMPARE(readAnswer(*good, pending).status, 200);
    }
    for (QTcpSocket *client : std::as_const(bad)) {
        QByteArray pending;
        QCOMPARE(readAnswer(*client, pending).status, 505);
    }
    QTRY_VERIFY(!notRecorded.isEmpty() && notRecorded.constLast().at(0).toLongLong() == Flood - 5);
    m_listener->stop();
    QCOMPARE(m_listener->refusalsRecorded(), 5);
    QCOMPARE(m_listener->refusalsNotRecorded(), Flood - 5);
    QCOMPARE(storedCount(true), 5);
    QCOMPARE(storedCount(false), 5);
}

void tst_Listener::shouldCapRefusedRequestsOnRecordPerRun()
{
    ListenerConfig config;
    config.refusalBurst = 100;
    config.maxRefusalRecords = 3;
    QVERIFY(startListener(config));
    for (int i = 0; i < 10; ++i) {
        QTcpSocket *client = connectClient();
        client->write("BAD LINE\r\n\r\n");
        QByteArray pending;
        QCOMPARE(readAnswer(*client, pending).status, 400);
    }
    m_listener->stop();
    QCOMPARE(m_listener->refusalsRecorded(), 3);
    QCOMPARE(m_listener->refusalsNotRecorded(), 7);
    QCOMPARE(storedCount(), 3);
}

void tst_Listener::shouldDecideTooLargeBodyBeforeReadingIt()
{
    ListenerConfig config;
    config.limits.maxBody = 1024;
    QVERIFY(startListener(config));
    QTcpSocket *client = connectClient();
    // Only the head is sent: the 413 must not wait for the body.
    client->write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1025\r\n\r\n");
    QByteArray pending;
    QCOMPARE(readAnswer(*client, pending).status, 413);
}

void tst_Listener::shouldCloseAfterConnectionClose()
{
    QVERIFY(startListener());
    QTcpSocket *client = connectClient();
    client->write(postRequest("/last", "x", "Connection: close\r\n") + postRequest("/ignored", "y"));
    QByteArray pending;
    const auto answer = readAnswer(*client, pending);
    QCOMPARE(answer.status, 200);
    QVERIFY(answer.head.contains("Connection: close"));
    QTRY_COMPARE(client->state(), QAbstractSocket::UnconnectedState);
    HookStore store;
    QVERIFY(store.open(m_store, HookStore::Mode::ReadOnly));
    QCOMPARE(store.count(), 1);
}

void tst_Listener::shouldAnswerClientThatHalfClosed()
{
    // Two pipelined requests, then the client shuts down its sending side (as
    // `curl --data ... ` through some proxies and `nc -N` do): both are answered,
    // then the listener closes too.
    QVERIFY(startListener());
    QTcpSocket *client = connectClient();
    client->write(postRequest("/one", "1") + postRequest("/two", "2"));
    QVERIFY(client->waitForBytesWritten(5000));
    QCOMPARE(::shutdown(int(client->socketDescriptor()), SHUT_WR), 0);
    QByteArray pending;
    const auto first = readAnswer(*client, pending);
    const auto second = readAnswer(*client, pending);
    QCOMPARE(first.status, 200);
    QCOMPARE(second.status, 200);
    QTRY_COMPARE(client->state(), QAbstractSocket::UnconnectedState);
    HookStore store;
    QVERIFY(store.open(m_store, HookStore::Mode::ReadOnly));
    QCOMPARE(store.count(), 2);
}

void tst_Listener::shouldDropSlowClientWithoutDelayingFastOne()
{
    ListenerConfig config;
    config.headerTimeoutMs = 400;
    QVERIFY(startListener(config));
    QTcpSocket *slow = connectClient();
    slow->write("POST /slow HTTP/1.1\r\nHo");
    QTcpSocket *fast = connectClient();
    QByteArray pending;
    for (int i = 0; i < 20; ++i) {
        fast->write(postRequest("/fast", "f"));
        QCOMPARE(readAnswer(*fast, pending, 1000).status, 200);
    }
    QByteArray slowPending;
    const auto timedOut = readAnswer(*slow, slowPending, 3000);
    QCOMPARE(timedOut.status, 408);
    QTRY_COMPARE(slow->state(), QAbstractSocket::UnconnectedState);
}

void tst_Listener::shouldCloseIdleKeepAliveConnection()
{
    ListenerConfig config;
    config.idleTimeoutMs = 300;
    QVERIFY(startListener(config));
    QTcpSocket *client = connectClient();
    client->write(postRequest("/", "x"));
    QByteArray pending;
    QCOMPARE(readAnswer(*client, pending).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), QAbstractSocket::UnconnectedState, 3000);
}

void tst_Listener::shouldServeTwoHundredConnectionsAtOnce()
{
    QVERIFY(startListener());
    QList<QTcpSocket *> clients;
    for (int i = 0; i < 200; ++i)
        clients.append(connectClient());
    for (int i = 0; i < 200; ++i)
        clients.at(i)->write(postRequest("/many", QByteArray::number(i)));
    QSet<qint64> ids;
    for (QTcpSocket *client : std::as_const(clients)) {
        QByteArray pending;
        const auto answer = readAnswer(*client, pending);
        QCOMPARE(answer.status, 200);
        ids.insert(testhelpers::answerId(answer.body));
    }
    QCOMPARE(ids.size(), 200);
    HookStore store;
    QVERIFY(store.open(m_store, HookStore::Mode::ReadOnly));
    QCOMPARE(store.count(), 200);
}

void tst_Listener::shouldRefuseConnectionsBeyondTheLimit()
{
    ListenerConfig config;
    config.maxConnections = 5;
    QVERIFY(startListener(config));
    QList<QTcpSocket *> held;
    for (int i = 0; i < 5; ++i) {
        held.append(connectClient());
        held.last()->write(postRequest("/held", "x"));
        QByteArray pending;
        QCOMPARE(readAnswer(*held.last(), pending).status, 200);
    }
    QSignalSpy stored(m_listener.get(), &Listener::hooksStored);
    QTcpSocket *extra = connectClient();
    const quint16 extraPort = extra->localPort();
    QByteArray pending;
    const auto refused = readAnswer(*extra, pending);
    QCOMPARE(refused.status, 503);
    QCOMPARE(refused.body, QByteArray("too many connections (5 open)\n"));
    // On record, with no request: who was turned away, and why, as it was told.
    const auto refusedId = [&stored] {
        for (const QList<QVariant> &signal : std::as_const(stored)) {
            for (const Hook &hook : signal.at(0).value<QList<Hook>>()) {
                if (hook.refused())
                    return hook.id;
            }
        }
        return qint64(0);
    };
    QTRY_VERIFY(refusedId() > 0);
    const std::optional<Hook> record = storedHook(refusedId());
    QVERIFY(record);
    QVERIFY(record->refused());
    QCOMPARE(record->answer.status, 503);
    QCOMPARE(record->answer.body, refused.body);
    QCOMPARE(record->peerAddress, QStringLiteral("127.0.0.1"));
    QCOMPARE(record->peerPort, extraPort);
    QVERIFY(record->method.isEmpty());
    QVERIFY(record->body.isEmpty());
    // A slot that frees up is usable again.
    held.first()->disconnectFromHost();
    QTest::qWait(100);
    QTcpSocket *later = connectClient();
    later->write(postRequest("/later", "y"));
    QByteArray laterPending;
    QCOMPARE(readAnswer(*later, laterPending).status, 200);
}

void tst_Listener::shouldAnswerUnauthorizedButStoreWhenSecretRequired()
{
    ListenerConfig config;
    config.secret = "s3cret";
    config.requireSecret = true;
    QVERIFY(startListener(config));
    QTcpSocket *client = connectClient();
    QByteArray pending;
    const QByteArray body = R"({"action":"updated","webhook":{"id":"53aa3f265b97485984000001"}})";
    client->write(postRequest("/", body, "X-Webhook-Event: webhook\r\nX-Webhook-Secret: wrong\r\n"));
    const auto refused = readAnswer(*client, pending);
    QCOMPARE(refused.status, 401);
    const auto hook = storedHook(testhelpers::answerId(refused.body));
    QVERIFY(hook);
    QCOMPARE(hook->inspection.secret, catalog::Verdict::Invalid);
    QCOMPARE(hook->answer.status, 401);

    client->write(postRequest("/", body, "X-Webhook-Event: webhook\r\nX-Webhook-Secret: s3cret\r\n"));
    const auto accepted = readAnswer(*client, pending);
    QCOMPARE(accepted.status, 200);
    QCOMPARE(storedHook(testhelpers::answerId(accepted.body))->inspection.secret, catalog::Verdict::Valid);
}

void tst_Listener::shouldAnswerWithConfiguredStatusBodyAndDelay()
{
    ListenerConfig config;
    config.status = 202;
    config.body = "queued";
    config.delayMs = 300;
    QVERIFY(startListener(config));
    QTcpSocket *client = connectClient();
    QElapsedTimer timer;
    timer.start();
    client->write(postRequest("/", "x"));
    QByteArray pending;
    const auto answer = readAnswer(*client, pending);
    QCOMPARE(answer.status, 202);
    QCOMPARE(answer.body, QByteArray("queued"));
    QVERIFY(answer.head.contains("Content-Type: text/plain"));
    QVERIFY2(timer.elapsed() >= 290, "the configured delay was not applied");
}

void tst_Listener::shouldReportTakenPort()
{
    QVERIFY(startListener());
    Listener second(catalog::Catalog::builtin());
    ListenerConfig config;
    config.port = m_listener->port();
    QVERIFY(!second.start(config, m_dir->filePath(QStringLiteral("other.sqlite"))));
    QVERIFY2(second.errorString().contains(QString::number(config.port)), qPrintable(second.errorString()));
    QVERIFY(!second.isListening());
}

void tst_Listener::shouldStopWithRequestsInFlightAnswered()
{
    ListenerConfig config;
    config.delayMs = 200;
    QVERIFY(startListener(config));
    QTcpSocket *client = connectClient();
    client->write(postRequest("/inflight", "x"));
    QTest::qWait(50);
    m_listener->stop();
    QByteArray pending;
    QCOMPARE(readAnswer(*client, pending).status, 200);
    HookStore store;
    QVERIFY(store.open(m_store, HookStore::Mode::ReadOnly));
    QCOMPARE(store.count(), 1);
}

void tst_Listener::shouldRefuseASecondListenerOnTheSameStore()
{
    QVERIFY(startListener());
    Listener second(catalog::Catalog::builtin());
    QVERIFY(!second.start({}, m_store));
    QVERIFY2(second.errorString().contains(u"in use by another hookscope process"), qPrintable(second.errorString()));
    QVERIFY(!second.isListening());
    // The first one goes on.
    QTcpSocket *client = connectClient();
    QByteArray pending;
    client->write(postRequest("/still", "{}"));
    QCOMPARE(readAnswer(*client, pending).status, 200);
}

QTEST_GUILESS_MAIN(tst_Listener)
#include "tst_listener.moc"
