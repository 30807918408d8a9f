#include "robustnesshelpers.h"
#include "testhelpers.h"

#include "capture/hookstore.h"
#include "capture/listener.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>
#include <vector>

using robustness::GoodClient;
using testhelpers::postRequest;
using testhelpers::readAnswer;

namespace {

// Many client sockets driven by the main thread's event loop, each recording what
// came back and whether the server closed it.
class Crowd
{
public:
    struct Member
    {
        QTcpSocket socket;
        QByteArray received;
        QByteArray toSend;       // written once connected, or a byte at a time by drip()
        bool slow = false;
        qsizetype dripped = 0;
        bool connected = false;
        bool closed = false;

        int status() const { return received.startsWith("HTTP/1.1 ") ? received.mid(9, 3).toInt() : 0; }
    };

    explicit Crowd(quint16 port)
        : m_port(port)
    {
    }

    enum class Pace { AtOnce, Drip };

    // With Pace::Drip, the first `head` bytes still go at once.
    Member &add(const QByteArray &toSend = {}, Pace pace = Pace::AtOnce, qsizetype head = 0)
    {
        m_members.push_back(std::make_unique<Member>());
        Member *member = m_members.back().get();
        member->toSend = toSend;
        member->slow = pace == Pace::Drip;
        QTcpSocket *socket = &member->socket;
        QObject::connect(socket, &QTcpSocket::connected, socket, [member, head] {
            member->connected = true;
            if (!member->slow && !member->toSend.isEmpty())
                member->socket.write(member->toSend);
            if (member->slow && head > 0) {
                member->socket.write(member->toSend.left(head));
                member->dripped = head;
            }
        });
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [member] { member->received += member->socket.readAll(); });
        QObject::connect(socket, &QTcpSocket::disconnected, socket, [member] { member->closed = true; });
        QObject::connect(socket, &QTcpSocket::errorOccurred, socket, [member](QAbstractSocket::SocketError) {
            member->received += member->socket.readAll();
            if (member->socket.state() == QAbstractSocket::UnconnectedState)
                member->closed = true;
        });
        socket->connectToHost(QHostAddress::LocalHost, m_port);
        return *member;
    }

    // One more byte of its request from every member still connected.
    void drip()
    {
        for (const auto &member : m_members) {
            if (member->slow && member->connected && !member->closed && member->dripped < member->toSend.size())
                member->socket.write(member->toSend.mid(member->dripped++, 1));
        }
    }

    qsizetype size() const { return qsizetype(m_members.size()); }
    const Member &at(qsizetype i) const { return *m_members.at(size_t(i)); }
    int closedCount() const
    {
        return int(std::count_if(m_members.cbegin(), m_members.cend(), [](const auto &m) { return m->closed; }));
    }
    void clear() { m_members.clear(); }

private:
    quint16 m_port;
    std::vector<std::unique_ptr<Member>> m_members;
};

} // namespace

// The listener facing clients that try to exhaust it, each test beside a
// well-behaved client that must keep being answered promptly. Memory stays
// bounded and nothing already stored is lost.
class tst_AbusiveClients : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void shouldCloseSlowlorisConnectionsByTheTimeouts_data();
    void shouldCloseSlowlorisConnectionsByTheTimeouts();
    void shouldRefuseEndlessHeaderLinesAtTheLimit_data();
    void shouldRefuseEndlessHeaderLinesAtTheLimit();
    void shouldRefuseContentLengthOfTwoToThe64();
    void shouldRefuseOversizedBodyBeforeItArrives_data();
    void shouldRefuseOversizedBodyBeforeItArrives();
    void shouldAnswerAnUploadTooLargeForTheLimit();
    void shouldStoreFloodOfOneByteChunks();
    void shouldRefuseConnectionsBeyondTheLimit();
    void shouldCloseRandomGarbageConnections();

private:
    bool startListener(const ListenerConfig &config);
    void startGoodClient();
    void finishGoodClient(qint64 otherHooks = 0);
    QTcpSocket *connectClient();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Listener> m_listener;
    std::unique_ptr<GoodClient> m_good;
    QList<QTcpSocket *> m_sockets;
    QString m_store;
};

void tst_AbusiveClients::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = m_dir->filePath(QStringLiteral("hooks.sqlite"));
    m_listener = std::make_unique<Listener>(catalog::Catalog::builtin());
    robustness::resetPeakRss();
}

void tst_AbusiveClients::cleanup()
{
    m_good.reset();
    qDeleteAll(m_sockets);
    m_sockets.clear();
    m_listener.reset();
    m_dir.reset();
    const qint64 peak = robustness::peakRssKiB();
    qInfo("peak RSS during %s: %.1f MiB", QTest::currentTestFunction(), peak / 1024.0);
    QVERIFY2(peak < robustness::peakRssBoundKiB(),
             qPrintable(QStringLiteral("peak RSS %1 KiB over the bound of %2 KiB").arg(peak).arg(robustness::peakRssBoundKiB())));
}

bool tst_AbusiveClients::startListener(const ListenerConfig &config)
{
    if (!m_listener->start(config, m_store)) {
        qWarning() << m_listener->errorString();
        return false;
    }
    return true;
}

void tst_AbusiveClients::startGoodClient()
{
    m_good = std::make_unique<GoodClient>(m_listener->port());
    m_good->start();
    QVERIFY2(m_good->waitForAnswers(3), "the good client was not served before the abuse began");
}

// The good client got every answer, none slower than 2 s, and every hook answered
// 200 (its own and otherHooks more) is in the store, beside the refused requests kept on record.
void tst_AbusiveClients::finishGoodClient(qint64 otherHooks)
{
    QVERIFY2(m_good->waitForAnswers(m_good->answered() + 3), "the good client was not served after the abuse");
    const GoodClient::Result result = m_good->stop();
    m_good.reset();
    qInfo("good client: %d answers, slowest %lld ms", result.answered, result.slowestMs);
    QVERIFY2(result.failures == 0, result.firstFailure.constData());
    QVERIFY2(result.slowestMs < 2000, qPrintable(QStringLiteral("an answer took %1 ms").arg(result.slowestMs)));

    m_listener->stop();
    HookStore store;
    QVERIFY2(store.open(m_store, HookStore::Mode::ReadOnly), qPrintable(store.errorString()));
    qint64 hooks = 0;
    qint64 refused = 0;
    QVERIFY(store.forEachRow({}, [&](const HookRow &row) {
        ++(row.refused ? refused : hooks);
        return true;
    }));
    QCOMPARE(hooks, result.answered + otherHooks);
    // What the abuse had refused is on record only within the bounds; the rest is counted.
    qInfo("refused requests: %lld on record, %lld not recorded", refused, m_listener->refusalsNotRecorded());
    QCOMPARE(refused, m_listener->refusalsRecorded());
    QVERIFY(refused <= ListenerConfig().maxRefusalRecords);
    for (const qint64 id : result.ids)
        QVERIFY2(store.hook(id).has_value(), qPrintable(QStringLiteral("answered hook %1 is not stored").arg(id)));
}

QTcpSocket *tst_AbusiveClients::connectClient()
{
    return testhelpers::connectClient(m_listener->port(), m_sockets);
}

void tst_AbusiveClients::shouldCloseSlowlorisConnectionsByTheTimeouts_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("head");   // bytes sent at once, before a byte every 300 ms

    QTest::newRow("headers a byte at a time")
        << QByteArray("POST /slow HTTP/1.1\r\nHost: x\r\nX-Slow: " + QByteArray(1000, 's')) << 0;
    // Never a pause as long as the body timeout, but far below 500 bytes a second.
    const QByteArray head = "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n";
    QTest::newRow("body a byte at a time") << QByteArray(head + QByteArray(1000, 'b')) << int(head.size());
}

void tst_AbusiveClients::shouldCloseSlowlorisConnectionsByTheTimeouts()
{
    QFETCH(QByteArray, request);
    QFETCH(int, head);
    ListenerConfig config;
    config.headerTimeoutMs = 1000;
    // Also how long a refused client may go on sending before its connection is
    // reset: 200 of them share this test's one thread, which must get to read
    // each 408 within that time even on a busy machine.
    config.bodyTimeoutMs = 2000;
    QVERIFY(startListener(config));
    startGoodClient();

    constexpr int Slow = 200;
    Crowd crowd(m_listener->port());
    for (int i = 0; i < Slow; ++i)
        crowd.add(request, Crowd::Pace::Drip, head);
    QTimer drip;
    connect(&drip, &QTimer::timeout, &drip, [&crowd] { crowd.drip(); });
    drip.start(300);

    QElapsedTimer timer;
    timer.start();
    QTRY_VERIFY_WITH_TIMEOUT(crowd.closedCount() == Slow, 15000);
    qInfo("%d slowloris connections closed after %lld ms", Slow, timer.elapsed());
    for (qsizetype i = 0; i < crowd.size(); ++i) {
        // It trickled (at least one byte after its head), rather than stalling outright;
        // how many got through before the deadline depends on the machine's load.
        QVERIFY2(crowd.at(i).dripped > head, "a slow client did not get to send anything");
        QCOMPARE(crowd.at(i).status(), 408);
    }
    finishGoodClient();
}

void tst_AbusiveClients::shouldRefuseEndlessHeaderLinesAtTheLimit_data()
{
    QTest::addColumn<qsizetype>("maxFields");
    QTest::addColumn<int>("linesAtLimit");   // the field line that crosses a limit

    // "X-Line-NNNNN: value\r\n" is 21 bytes: 32 KiB holds 1560 of them beside Host.
    QTest::newRow("field count over 100") << qsizetype(100) << 100;
    QTest::newRow("header bytes over 32 KiB") << qsizetype(100000) << 1561;
}

void tst_AbusiveClients::shouldRefuseEndlessHeaderLinesAtTheLimit()
{
    QFETCH(qsizetype, maxFields);
    QFETCH(int, linesAtLimit);
    ListenerConfig config;
    config.limits.maxHeaderFields = maxFields;
    QVERIFY(startListener(config));
    startGoodClient();

    constexpr int Lines = 10000;
    constexpr int Batch = 50;
    QTcpSocket *client = connectClient();
    client->write("GET /many HTTP/1.1\r\nHost: x\r\n");
    QByteArray received;
    int sent = 0;
    while (sent < Lines && received.isEmpty() && client->state() == QAbstractSocket::ConnectedState) {
        QByteArray batch;
        for (int i = 0; i < Batch; ++i)
            batch += "X-Line-" + QByteArray::number(10000 + sent + i) + ": value\r\n";
        client->write(batch);
        sent += Batch;
        // Past the limit the answer must come without more lines; before it, a short look suffices.
        client->waitForReadyRead(sent > linesAtLimit ? 2000 : 50);
        received += client->readAll();
    }
    qInfo("answer after %d of %d header lines", sent, Lines);
    QVERIFY2(received.startsWith("HTTP/1.1 431 "), received.left(200).constData());
    QVERIFY2(sent <= linesAtLimit + Batch, "the refusal waited for lines past the limit");
    QTRY_COMPARE(client->state(), QAbstractSocket::UnconnectedState);
    finishGoodClient();
}

void tst_AbusiveClients::shouldRefuseContentLengthOfTwoToThe64()
{
    QVERIFY(startListener({}));
    startGoodClient();
    QTcpSocket *client = connectClient();
    client->write("POST /huge HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551616\r\n\r\n" + QByteArray(4096, 'b'));
    QByteArray pending;
    const testhelpers::Answer answer = readAnswer(*client, pending);
    QCOMPARE(answer.status, 400);
    QVERIFY2(answer.body.contains("Content-Length"), answer.body.constData());
    QTRY_COMPARE(client->state(), QAbstractSocket::UnconnectedState);
    finishGoodClient();
}

void tst_AbusiveClients::shouldRefuseOversizedBodyBeforeItArrives_data()
{
    QTest::addColumn<qint64>("blindBytes");   // sent before the client first looks for an answer

    QTest::newRow("client reading while it sends") << qint64(0);
    QTest::newRow("client sending 8 MiB before it reads") << qint64(8 * 1024 * 1024);
}

void tst_AbusiveClients::shouldRefuseOversizedBodyBeforeItArrives()
{
    QFETCH(qint64, blindBytes);
    QVERIFY(startListener({}));   // the default limit: 32 MiB
    startGoodClient();

    const qint64 size = 33ll * 1024 * 1024;
    QTcpSocket *client = connectClient();
    client->write("POST /big HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                  + QByteArray::number(size) + "\r\n\r\n");
    const QByteArray chunk(64 * 1024, 'b');
    qint64 sent = 0;
    while (sent < blindBytes && client->state() == QAbstractSocket::ConnectedState) {
        client->write(chunk);
        sent += chunk.size();
        client->waitForBytesWritten(100);
    }
    QByteArray received;
    QElapsedTimer timer;
    timer.start();
    // The client keeps sending, as a real one would, until the answer stops it.
    while (sent < size && !received.contains("\r\n\r\n") && client->state() == QAbstractSocket::ConnectedState
           && timer.elapsed() < 20000) {
        if (client->bytesToWrite() < 4 * chunk.size()) {
            client->write(chunk);
            sent += chunk.size();
        }
        client->waitForBytesWritten(10);
        if (client->waitForReadyRead(1) || client->bytesAvailable() > 0)
            received += client->readAll();
    }
    if (!received.contains("\r\n\r\n"))
        client->waitForReadyRead(2000);
    received += client->readAll();
    qInfo("answer after %lld of %lld body bytes sent: %s", sent, size, received.left(12).constData());
    QVERIFY2(received.startsWith("HTTP/1.1 413 "), received.left(200).constData());
    QVERIFY2(sent < size, "the answer came only after the whole body");
    QTRY_COMPARE(client->state(), QAbstractSocket::UnconnectedState);
    finishGoodClient();
}

// What a Qt client (hookscope's own sender among them) gets when it uploads more
// than the listener takes: the 413, not a reset connection.
void tst_AbusiveClients::shouldAnswerAnUploadTooLargeForTheLimit()
{
    QVERIFY(startListener({}));
    startGoodClient();

    QNetworkAccessManager network;
    QNetworkRequest request(m_listener->url());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/octet-stream"));
    request.setTransferTimeout(10000);
    std::unique_ptr<QNetworkReply> reply(network.post(request, QByteArray(33 * 1024 * 1024, 'u')));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    QVERIFY(finished.wait(15000));
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    qInfo("upload answered %d, error: %s", status, qPrintable(reply->errorString()));
    QCOMPARE(status, 413);
    finishGoodClient();
}

void tst_AbusiveClients::shouldStoreFloodOfOneByteChunks()
{
    QVERIFY(startListener({}));
    startGoodClient();

    const int chunks = 2 * 1024 * 1024 / 6;   // 2 MiB of "1\r\nx\r\n"
    QByteArray stream = "POST /flood HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    stream += QByteArray("1\r\nx\r\n").repeated(chunks);
    stream += "0\r\n\r\n";
    QTcpSocket *client = connectClient();
    client->write(stream);
    stream.clear();
    QByteArray pending;
    const testhelpers::Answer answer = readAnswer(*client, pending, 20000);
    QCOMPARE(answer.status, 200);

    HookStore store;
    QVERIFY(store.open(m_store, HookStore::Mode::ReadOnly));
    const std::optional<Hook> hook = store.hook(testhelpers::answerId(answer.body));
    QVERIFY(hook.has_value());
    QVERIFY(hook->chunked);
    QCOMPARE(hook->body.size(), chunks);
    QVERIFY(hook->body == QByteArray(chunks, 'x'));
    store.close();
    finishGoodClient(1);
}

void tst_AbusiveClients::shouldRefuseConnectionsBeyondTheLimit()
{
    ListenerConfig config;
    config.maxConnections = 50;
    QVERIFY(startListener(config));
    startGoodClient();   // holds one of the 50

    QList<QTcpSocket *> holders;
    for (int i = 0; i < config.maxConnections - 1; ++i) {
        QTcpSocket *holder = connectClient();
        holder->write(postRequest("/hold", QByteArray::number(i)));
        QByteArray pending;
        QCOMPARE(readAnswer(*holder, pending).status, 200);
        holders.append(holder);
    }

    constexpr int Attempts = 2000;
    constexpr int Wave = 40;   // within the listen backlog, so no SYN waits to be retried
    int refused = 0;
    QElapsedTimer timer;
    timer.start();
    for (int wave = 0; wave < Attempts / Wave; ++wave) {
        Crowd crowd(m_listener->port());
        for (int i = 0; i < Wave; ++i)
            crowd.add();
        QTRY_VERIFY_WITH_TIMEOUT(crowd.closedCount() == Wave, 10000);
        for (qsizetype i = 0; i < crowd.size(); ++i) {
            QVERIFY2(crowd.at(i).status() == 503, crowd.at(i).received.left(100).constData());
            ++refused;
        }
    }
    qInfo("%d connections beyond the limit refused with 503 in %lld ms", refused, timer.elapsed());

    // The slots come back once their holders leave.
    for (QTcpSocket *holder : std::as_const(holders))
        holder->disconnectFromHost();
    QTest::qWait(200);
    QTcpSocket *later = connectClient();
    later->write(postRequest("/later", "x"));
    QByteArray pending;
    QCOMPARE(readAnswer(*later, pending).status, 200);
    finishGoodClient(config.maxConnections);   // the holders' hooks and the later one
}

void tst_AbusiveClients::shouldCloseRandomGarbageConnections()
{
    ListenerConfig config;
    config.headerTimeoutMs = 1000;   // garbage without a line end waits for this
    config.bodyTimeoutMs = 1000;
    QVERIFY(startListener(config));
    startGoodClient();

    QRandomGenerator random(20251128);
    const auto garbage = [&random] {
        // Some start like a request or a chunked body, so that the garbage reaches
        // the header, chunk-size and chunk-data states too.
        QByteArray bytes;
        switch (random.bounded(3)) {
        case 0:
            break;
        case 1:
            bytes = "POST /garbage HTTP/1.1\r\n";
            break;
        case 2:
            bytes = "POST /garbage HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + QByteArray::number(random.bounded(1 << 20), 16) + "\r\n";
            break;
        }
        const int size = 1 + random.bounded(4096);
        for (int i = 0; i < size; ++i) {
            const quint32 pick = random.bounded(16);
            if (pick == 0)
                bytes += "\r\n";
            else if (pick == 1)
                bytes += ": ";
            else
                bytes += char(random.bounded(256));
        }
        return bytes;
    };

    constexpr int Connections = 300;
    constexpr int Wave = 50;
    QMap<int, int> statuses;
    for (int wave = 0; wave < Connections / Wave; ++wave) {
        Crowd crowd(m_listener->port());
        for (int i = 0; i < Wave; ++i)
            crowd.add(garbage());
        QTRY_VERIFY_WITH_TIMEOUT(crowd.closedCount() == Wave, 10000);
        for (qsizetype i = 0; i < crowd.size(); ++i) {
            const int status = crowd.at(i).status();
            QVERIFY2(status >= 400 && status < 600, crowd.at(i).received.left(100).constData());
            ++statuses[status];
        }
    }
    QStringList summary;
    for (auto it = statuses.cbegin(); it != statuses.cend(); ++it)
        summary.append(QStringLiteral("%1 x%2").arg(it.key()).arg(it.value()));
    qInfo("%d garbage connections answered: %s", Connections, qPrintable(summary.join(QStringLiteral(", "))));
    finishGoodClient();   // and none of the garbage was stored
}

QTEST_GUILESS_MAIN(tst_AbusiveClients)
#include "tst_abusiveclients.moc"
