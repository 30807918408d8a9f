#include "delivery/replay.h"
#include "delivery/sender.h"

#include "rawreceiver.h"
#include "tlsreceiver.h"
#include "testhelpers.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

class tst_Sender : public QObject
{
    Q_OBJECT

private slots:
    void shouldDeliverBodyByteIdentical_data();
    void shouldDeliverBodyByteIdentical();
    void shouldSendHeadersInOrderWithOnlyTheUnavoidableAdditions();
    void shouldNotAddWhatTheDraftAlreadyHas();
    void shouldRecomputeHostAndContentLengthOnReplay();
    void shouldKeepRepeatedNamesOddCaseAndEmptyValues();
    void shouldReuseAKeptAliveConnection();
    void shouldRecordOrderedTimings();
    void shouldSendBodylessMethodsWithoutContentLength_data();
    void shouldSendBodylessMethodsWithoutContentLength();
    void shouldRecordTheAnswer();
    void shouldTreatNon2xxAsAnAnswer();
    void shouldNotFollowRedirects();
    void shouldTimeOutWhenTheServerNeverAnswers();
    void shouldCapTheResponseBody();
    void shouldReportConnectionRefused();
    void shouldReportAnInvalidDraftFromTheEventLoop();
    void shouldAbortOnRequest();
    void shouldSendConcurrently();
    void shouldNotSendOrStoreCookies();
    void shouldRefuseASelfSignedCertificateByDefault();
    void shouldTrustAPinnedSelfSignedCertificate();
};

static Draft draftTo(const QUrl &url, const QByteArray &body = R"({"action":"honor_changed"})")
{
    Draft draft;
    draft.url = url;
    draft.headers = {{"User-Agent", "Codewars Hookbot"}, {"Content-Type", "application/json"}, {"X-Webhook-Event", "user"}};
    draft.body = body;
    return draft;
}

static QList<QByteArray> names(const http::HeaderList &headers)
{
    QList<QByteArray> result;
    for (const http::HeaderField &field : headers)
        result.append(field.name);
    return result;
}

void tst_Sender::shouldDeliverBodyByteIdentical_data()
{
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("JSON") << QByteArray(R"({"action":"created","code_challenge":{"id":"50654ddff44f800200000001"}})");
    QByteArray binary;
    for (int i = 0; i < 256; ++i)
        binary += char(i);
    QTest::newRow("every byte value, NUL included") << binary;
    QTest::newRow("invalid UTF-8") << QByteArray("\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc\xff\xfe");
    QTest::newRow("CR LF inside the body") << QByteArray("a\r\n\r\nGET / HTTP/1.1\r\n\r\n");
    QTest::newRow("empty") << QByteArray();
    QByteArray big(1024 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char((i * 7919) >> 3);
    QTest::newRow("1 MiB") << big;
}

void tst_Sender::shouldDeliverBodyByteIdentical()
{
    QFETCH(QByteArray, body);
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    Sender sender;

    const Delivery delivery = sender.sendAndWait(draftTo(receiver.url(QStringLiteral("/in")), body));
    QVERIFY2(delivery.error.isEmpty(), qPrintable(delivery.error));
    QCOMPARE(delivery.status, 200);
    QCOMPARE(receiver.requests().size(), 1);
    const RawReceiver::Request &request = receiver.requests().constFirst();
    QCOMPARE(request.requestLine, QByteArray("POST /in HTTP/1.1"));
    QCOMPARE(request.body.size(), body.size());
    QVERIFY(request.body == body);
    QCOMPARE(http::valueOf(request.headers, "Content-Length"), QByteArray::number(body.size()));
    QCOMPARE(http::countOf(request.headers, "Content-Length"), 1);
    QVERIFY(delivery.requestBody == body);
}

void tst_Sender::shouldSendHeadersInOrderWithOnlyTheUnavoidableAdditions()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    Sender sender;
    Draft draft = draftTo(receiver.url());
    draft.headers.append(http::HeaderField{"X-Webhook-Secret", "s3cr3t"});
    draft.headers.append(http::HeaderField{"x-lower-case", "Value  With  Spaces"});

    const Delivery delivery = sender.sendAndWait(draft);
    QCOMPARE(delivery.status, 200);
    QCOMPARE(delivery.requestHeaders, draft.headers);
    const RawReceiver::Request &request = receiver.requests().constFirst();

    // Host first; the draft's fields in order, spelled as given; then Content-Length.
    // Nothing else: no Accept, Expect, Connection or encoding fields of the client's own.
    const QByteArray port = QByteArray::number(receiver.port());
    const QByteArray expected = "POST / HTTP/1.1\r\n"
                                "Host: 127.0.0.1:" + port + "\r\n"
                                "User-Agent: Codewars Hookbot\r\n"
                                "Content-Type: application/json\r\n"
                                "X-Webhook-Event: user\r\n"
                                "X-Webhook-Secret: s3cr3t\r\n"
                                "x-lower-case: Value  With  Spaces\r\n"
                                "Content-Length: 26\r\n"
                                "\r\n" + draft.body;
    QCOMPARE(request.raw, expected);
    // What the delivery says was written is what arrived.
    QCOMPARE(delivery.requestHead + draft.body, request.raw);
}

void tst_Sender::shouldNotAddWhatTheDraftAlreadyHas()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    Sender sender;
    Draft draft = draftTo(receiver.url());
    draft.headers = {{"Accept-Language", "fr"}, {"Connection", "close"}, {"Accept-Encoding", "identity"}, {"User-Agent", "GitHub-Hookshot/abc1234"}};

    QCOMPARE(sender.sendAndWait(draft).status, 200);
    const RawReceiver::Request &request = receiver.requests().constFirst();
    const QList<QByteArray> expected = {"Host", "Accept-Language", "Connection", "Accept-Encoding", "User-Agent", "Content-Length"};
    QCOMPARE(names(request.headers), expected);
    QCOMPARE(http::valueOf(request.headers, "Accept-Encoding"), QByteArray("identity"));
}

void tst_Sender::shouldRecomputeHostAndContentLengthOnReplay()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    Hook hook = testhelpers::makeHook("user", QByteArray("\x00\x01 not json \xff", 14));
    hook.target = "/hooks/codewars?id=7";
    hook.headers = {{"Host", "hooks.example.com"},
                    {"User-Agent", "Codewars Hookbot"},
                    {"Transfer-Encoding", "chunked"},
                    {"Content-Type", "application/json"},
                    {"X-Webhook-Event", "user"},
                    {"Connection", "keep-alive, X-Hop"},
                    {"X-Hop", "dropped"},
                    {"Content-Length", "999"}};
    hook.chunked = true;
    Sender sender;

    const Delivery delivery = sender.sendAndWait(replayDraft(hook, receiver.url()), Delivery::Kind::Replay, 42);
    QCOMPARE(delivery.status, 200);
    QCOMPARE(delivery.kind, Delivery::Kind::Replay);
    QCOMPARE(delivery.hookId, 42);
    QCOMPARE(delivery.url, receiver.url(QStringLiteral("/hooks/codewars?id=7")).toString());
    const RawReceiver::Request &request = receiver.requests().constFirst();
    QCOMPARE(request.requestLine, QByteArray("POST /hooks/codewars?id=7 HTTP/1.1"));
    QCOMPARE(http::valueOf(request.headers, "Host"), "127.0.0.1:" + QByteArray::number(receiver.port()));
    QCOMPARE(http::countOf(request.headers, "Host"), 1);
    QCOMPARE(http::valueOf(request.headers, "Content-Length"), QByteArray("14"));
    QVERIFY(!http::contains(request.headers, "Transfer-Encoding"));
    QVERIFY(!http::contains(request.headers, "X-Hop"));
    QCOMPARE(request.body, hook.body);
    const QList<QByteArray> expected = {"Host", "User-Agent", "Content-Type", "X-Webhook-Event", "Content-Length"};
    QCOMPARE(names(request.headers), expected);
}

void tst_Sender::shouldKeepRepeatedNamesOddCaseAndEmptyValues()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    Sender sender;
    Draft draft = draftTo(receiver.url(), "x");
    draft.headers = {{"X-Tag", "a"}, {"X-Other", "1"}, {"x-tag", "b"}, {"X-EMPTY", ""}, {"accept", "*/*"}, {"X-Tag", "c"}};

    const Delivery delivery = sender.sendAndWait(draft);
    QCOMPARE(delivery.status, 200);
    const RawReceiver::Request &request = receiver.requests().constFirst();
    const QByteArray expected = "POST / HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(receiver.port())
        + "\r\nX-Tag: a\r\nX-Other: 1\r\nx-tag: b\r\nX-EMPTY:\r\naccept: */*\r\nX-Tag: c\r\nContent-Length: 1\r\n\r\nx";
    QCOMPARE(request.raw, expected);
}

void tst_Sender::shouldReuseAKeptAliveConnection()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    Sender sender;
    for (int i = 0; i < 3; ++i)
        QCOMPARE(sender.sendAndWait(draftTo(receiver.url())).status, 200);
    QCOMPARE(receiver.requests().size(), 3);
    QCOMPARE(receiver.connections(), 1);
}

void tst_Sender::shouldRecordOrderedTimings()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setAnswer(200, "OK", {}, "fine");
    Sender sender;
    const Delivery delivery = sender.sendAndWait(draftTo(receiver.url()));
    QCOMPARE(delivery.status, 200);
    const DeliveryTimings &t = delivery.timings;
    QVERIFY(t.dnsUs >= 0);
    QVERIFY(t.connectUs >= t.dnsUs);
    QCOMPARE(t.tlsUs, -1);   // plain HTTP
    QVERIFY(t.firstByteUs >= t.connectUs);
    QVERIFY(t.totalUs >= t.firstByteUs);
    QCOMPARE(t.totalUs, delivery.durationUs);
}

void tst_Sender::shouldSendBodylessMethodsWithoutContentLength_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentLength");

    QTest::newRow("GET without body") << QByteArray("GET") << QByteArray() << QByteArray();
    QTest::newRow("DELETE without body") << QByteArray("DELETE") << QByteArray() << QByteArray();
    QTest::newRow("HEAD") << QByteArray("HEAD") << QByteArray() << QByteArray();
    QTest::newRow("POST with empty body") << QByteArray("POST") << QByteArray() << QByteArray("0");
    QTest::newRow("GET with a body") << QByteArray("GET") << QByteArray("abc") << QByteArray("3");
    QTest::newRow("extension method with a body") << QByteArray("REPORT") << QByteArray("<x/>") << QByteArray("4");
}

void tst_Sender::shouldSendBodylessMethodsWithoutContentLength()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentLength);

    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setAnswer(200, "OK", {}, "answer");
    Sender sender;
    Draft draft = draftTo(receiver.url(QStringLiteral("/m")), body);
    draft.method = method;

    const Delivery delivery = sender.sendAndWait(draft);
    QVERIFY2(delivery.error.isEmpty(), qPrintable(delivery.error));
    QCOMPARE(delivery.status, 200);
    const RawReceiver::Request &request = receiver.requests().constFirst();
    QCOMPARE(request.requestLine, method + " /m HTTP/1.1");
    QCOMPARE(http::valueOf(request.headers, "Content-Length"), contentLength);
    QCOMPARE(request.body, body);
}

void tst_Sender::shouldRecordTheAnswer()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setAnswer(201, "Created Fine", {{"X-B", "2"}, {"Content-Type", "text/plain"}, {"X-A", "1"}}, QByteArray("done\0\xff", 6));
    Sender sender;
    QSignalSpy spy(&sender, &Sender::finished);

    const quint64 ticket = sender.send(draftTo(receiver.url()), Delivery::Kind::Compose);
    QCOMPARE(sender.pending(), 1);
    QVERIFY(spy.wait(5000));
    QCOMPARE(spy.at(0).at(0).toULongLong(), ticket);
    const Delivery delivery = spy.at(0).at(1).value<Delivery>();
    QCOMPARE(sender.pending(), 0);
    QCOMPARE(delivery.status, 201);
    QCOMPARE(delivery.reason, QByteArray("Created Fine"));
    QCOMPARE(delivery.responseBody, QByteArray("done\0\xff", 6));
    QCOMPARE(names(delivery.responseHeaders), (QList<QByteArray>{"X-B", "Content-Type", "X-A", "Content-Length"}));
    QVERIFY(delivery.error.isEmpty());
    QVERIFY(delivery.succeeded());
    QCOMPARE(delivery.method, QByteArray("POST"));
    QVERIFY(delivery.startedUs > testhelpers::nowUs() - 60'000'000);
    QVERIFY(delivery.durationUs > 0);
}

void tst_Sender::shouldTreatNon2xxAsAnAnswer()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    Sender sender;
    for (const int status : {400, 401, 404, 409, 500, 503}) {
        receiver.setAnswer(status, "Nope", {}, "why " + QByteArray::number(status));
        const Delivery delivery = sender.sendAndWait(draftTo(receiver.url()));
        QCOMPARE(delivery.status, status);
        QVERIFY2(delivery.error.isEmpty(), qPrintable(delivery.error));
        QCOMPARE(delivery.responseBody, "why " + QByteArray::number(status));
        QVERIFY(!delivery.succeeded());
    }
}

void tst_Sender::shouldNotFollowRedirects()
{
    RawReceiver elsewhere;
    QVERIFY(elsewhere.listen());
    RawReceiver redirecting;
    QVERIFY(redirecting.listen());
    redirecting.setAnswer(302, "Found", {{"Location", elsewhere.url(QStringLiteral("/moved")).toEncoded()}}, "see there");
    Sender sender;

    const Delivery delivery = sender.sendAndWait(draftTo(redirecting.url()));
    QCOMPARE(delivery.status, 302);
    QCOMPARE(delivery.reason, QByteArray("Found"));
    QCOMPARE(http::valueOf(delivery.responseHeaders, "Location"), elsewhere.url(QStringLiteral("/moved")).toEncoded());
    QCOMPARE(delivery.responseBody, QByteArray("see there"));
    QVERIFY(delivery.error.isEmpty());
    QVERIFY(!delivery.succeeded());
    QTest::qWait(300);
    QCOMPARE(elsewhere.connections(), 0);
    QCOMPARE(elsewhere.requests().size(), 0);

    redirecting.setAnswer(307, "Temporary Redirect", {{"Location", elsewhere.url().toEncoded()}});
    QCOMPARE(sender.sendAndWait(draftTo(redirecting.url())).status, 307);
    QTest::qWait(200);
    QCOMPARE(elsewhere.connections(), 0);
}

void tst_Sender::shouldTimeOutWhenTheServerNeverAnswers()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setMode(RawReceiver::Mode::Silent);
    Sender sender;
    sender.setTimeout(400);
    QElapsedTimer timer;
    timer.start();

    const Delivery delivery = sender.sendAndWait(draftTo(receiver.url()));
    QCOMPARE(delivery.status, 0);
    QCOMPARE(delivery.error, QStringLiteral("timed out after 0.4 s waiting for the answer"));
    QCOMPARE(receiver.requests().size(), 1);   // it was sent, no answer came
    QVERIFY2(timer.elapsed() >= 350 && timer.elapsed() < 5000, QByteArray::number(timer.elapsed()).constData());
    QVERIFY(delivery.durationUs >= 350'000);
    QVERIFY(!delivery.succeeded());
    QCOMPARE(Sender().timeout(), 10'000);
}

void tst_Sender::shouldCapTheResponseBody()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setMode(RawReceiver::Mode::HugeBody);
    const qint64 huge = qint64(256) * 1024 * 1024;
    receiver.setHugeBodySize(huge);
    Sender sender;
    sender.setMaxResponseBody(1024 * 1024);

    const Delivery delivery = sender.sendAndWait(draftTo(receiver.url()));
    QCOMPARE(delivery.status, 200);
    QCOMPARE(delivery.responseBody.size(), 1024 * 1024);
    QVERIFY(delivery.responseBody == QByteArray(1024 * 1024, 'x'));
    QCOMPARE(delivery.error, QStringLiteral("response body larger than 1 MiB; the rest was discarded"));
    QVERIFY(!delivery.succeeded());
    // The transfer stopped soon after the cap instead of reading the rest.
    QTest::qWait(100);
    QVERIFY2(receiver.hugeBytesWritten() < 32 * 1024 * 1024, QByteArray::number(receiver.hugeBytesWritten()).constData());
    QCOMPARE(Sender::DefaultMaxResponseBody, 8 * 1024 * 1024);
}

void tst_Sender::shouldReportConnectionRefused()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        port = probe.serverPort();
    }
    Sender sender;
    const Delivery delivery = sender.sendAndWait(draftTo(QUrl(QStringLiteral("http://127.0.0.1:%1/x").arg(port))));
    QCOMPARE(delivery.status, 0);
    QCOMPARE(delivery.error, QStringLiteral("connection refused"));
    QVERIFY(delivery.responseHeaders.isEmpty());
    QVERIFY(!delivery.succeeded());
}

void tst_Sender::shouldReportAnInvalidDraftFromTheEventLoop()
{
    Sender sender;
    QSignalSpy spy(&sender, &Sender::finished);
    Draft draft = draftTo(QUrl(QStringLiteral("http://127.0.0.1:1/")));
    draft.headers.append(http::HeaderField{"X-Evil", "a\r\nInjected: 1"});

    const quint64 ticket = sender.send(draft, Delivery::Kind::Replay, 9);
    QCOMPARE(spy.size(), 0);   // not from inside send()
    QVERIFY(spy.wait(2000));
    QCOMPARE(spy.at(0).at(0).toULongLong(), ticket);
    const Delivery delivery = spy.at(0).at(1).value<Delivery>();
    QCOMPARE(delivery.status, 0);
    QVERIFY2(delivery.error.contains(u"X-Evil"), qPrintable(delivery.error));
    QCOMPARE(delivery.hookId, 9);
    QCOMPARE(delivery.kind, Delivery::Kind::Replay);
}

void tst_Sender::shouldAbortOnRequest()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setMode(RawReceiver::Mode::Silent);
    Sender sender;
    QSignalSpy spy(&sender, &Sender::finished);
    sender.send(draftTo(receiver.url()));
    sender.send(draftTo(receiver.url()));
    QTRY_COMPARE(receiver.requests().size(), 2);
    sender.abortAll(QStringLiteral("stopped by the test"));
    QTRY_COMPARE(spy.size(), 2);
    for (const QList<QVariant> &arguments : std::as_const(spy))
        QCOMPARE(arguments.at(1).value<Delivery>().error, QStringLiteral("stopped by the test"));
    QCOMPARE(sender.pending(), 0);
}

void tst_Sender::shouldSendConcurrently()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    Sender sender;
    QSignalSpy spy(&sender, &Sender::finished);
    QSet<quint64> tickets;
    for (int i = 0; i < 20; ++i)
        tickets.insert(sender.send(draftTo(receiver.url(QStringLiteral("/%1").arg(i)))));
    QCOMPARE(tickets.size(), 20);
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 20, 10000);
    QSet<quint64> finished;
    for (const QList<QVariant> &arguments : std::as_const(spy)) {
        finished.insert(arguments.at(0).toULongLong());
        QCOMPARE(arguments.at(1).value<Delivery>().status, 200);
    }
    QCOMPARE(finished, tickets);
    QCOMPARE(receiver.requests().size(), 20);
}

void tst_Sender::shouldNotSendOrStoreCookies()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setAnswer(200, "OK", {{"Set-Cookie", "session=abc; Path=/"}});
    Sender sender;
    QCOMPARE(sender.sendAndWait(draftTo(receiver.url())).status, 200);
    QCOMPARE(sender.sendAndWait(draftTo(receiver.url())).status, 200);
    QCOMPARE(receiver.requests().size(), 2);
    QVERIFY(!http::contains(receiver.requests().at(1).headers, "Cookie"));
}

void tst_Sender::shouldRefuseASelfSignedCertificateByDefault()
{
    TlsReceiver receiver;
    QString error;
    QVERIFY2(receiver.setUp(&error), qPrintable(error));
    Sender sender;
    const Delivery delivery = sender.sendAndWait(draftTo(receiver.url()));
    QCOMPARE(delivery.status, 0);
    QCOMPARE(delivery.error, QStringLiteral("TLS certificate problem: self-signed certificate"));
    QVERIFY(delivery.requestHead.isEmpty());   // nothing was written to a server not trusted
    QCOMPARE(receiver.requests().size(), 0);
}

void tst_Sender::shouldTrustAPinnedSelfSignedCertificate()
{
    TlsReceiver receiver;
    QString error;
    QVERIFY2(receiver.setUp(&error), qPrintable(error));
    TlsReceiver other;
    QVERIFY2(other.setUp(&error), qPrintable(error));
    Sender sender;

    // Trusted for another target only: still refused.
    sender.setTrustedCertificate(QStringLiteral("127.0.0.1"), other.serverPort(), receiver.certificatePem());
    QCOMPARE(sender.sendAndWait(draftTo(receiver.url())).status, 0);
    // Another certificate trusted for this target: refused.
    sender.setTrustedCertificate(QStringLiteral("127.0.0.1"), receiver.serverPort(), other.certificatePem());
    const Delivery wrong = sender.sendAndWait(draftTo(receiver.url()));
    QCOMPARE(wrong.status, 0);
    QVERIFY2(wrong.error.startsWith(QStringLiteral("TLS certificate problem: ")), qPrintable(wrong.error));
    QCOMPARE(receiver.requests().size(), 0);

    sender.setTrustedCertificate(QStringLiteral("127.0.0.1"), receiver.serverPort(), receiver.certificatePem());
    const Delivery delivery = sender.sendAndWait(draftTo(receiver.url()));
    QVERIFY2(delivery.error.isEmpty(), qPrintable(delivery.error));
    QCOMPARE(delivery.status, 200);
    QCOMPARE(delivery.responseBody, QByteArray("secure"));
    QCOMPARE(receiver.requests().size(), 1);
    QCOMPARE(receiver.requests().constFirst(), delivery.requestHead + delivery.requestBody);
    const DeliveryTimings &t = delivery.timings;
    QVERIFY(t.dnsUs >= 0);
    QVERIFY(t.connectUs >= t.dnsUs);
    QVERIFY(t.tlsUs > t.connectUs);
    QVERIFY(t.firstByteUs >= t.tlsUs);
    QVERIFY(t.totalUs >= t.firstByteUs);
}

QTEST_GUILESS_MAIN(tst_Sender)
#include "tst_sender.moc"
