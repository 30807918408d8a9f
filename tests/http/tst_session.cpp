// http::Session without sockets: what it hands out, what it answers, and when
// it closes, driven by bytes and a clock the test controls.

#include "http/response.h"
#include "http/session.h"

#include <QTest>

using http::Session;

Q_DECLARE_METATYPE(http::Session::Phase)

namespace {

constexpr QByteArrayView Post = "POST /hook HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}";

http::Timeouts shortTimeouts()
{
    http::Timeouts timeouts;
    timeouts.headerMs = 1000;
    timeouts.bodyMs = 1000;
    timeouts.idleMs = 5000;
    timeouts.minBodyBytesPerSecond = 100;
    return timeouts;
}

QByteArray posts(int n)
{
    return Post.toByteArray().repeated(n);
}

QByteArray answerFor(int n)
{
    return http::serializeResponse(200, {}, QByteArray::number(n), false);
}

// The status of the first response in `output`, or 0.
int statusOf(const QByteArray &output)
{
    if (!output.startsWith("HTTP/1.1 "))
        return 0;
    return output.mid(9, 3).toInt();
}

} // namespace

class tst_Session : public QObject
{
    Q_OBJECT

private slots:
    void pipelinedRequestsAreAnsweredInOrder();
    void continueIsSentOncePerRequest();
    void refusals_data();
    void refusals();
    void closingRequestDropsWhatFollows();
    void halfCloseStillGetsTheAnswer();
    void halfCloseMidRequestCloses();
    void refusalKeepsWhatEarlierReadsBrought();
    void refusalKeepsTheFirstBytesOnly();
    void completeRequestsLeaveNoRefusal();
    void timeouts_data();
    void timeouts();
    void trickledBodyIsRefused();
    void steadyBodyIsNotRefused();
    void pipelinedInputIsHeldBack();
    void drainClosesAfterTheCurrentRequest();
    void storeFailureRefusesTheWaitingRequest();
};

void tst_Session::pipelinedRequestsAreAnsweredInOrder()
{
    Session session({}, {}, 0);
    session.receive(posts(3), 0);
    QByteArray output;
    for (int i = 1; i <= 3; ++i) {
        const std::optional<http::Request> request = session.takeRequest();
        QVERIFY2(request, qPrintable(QStringLiteral("request %1").arg(i)));
        QCOMPARE(request->body, QByteArray("{}"));
        QVERIFY(!session.takeRequest());   // handed out once
        QCOMPARE(session.phase(), Session::Phase::Waiting);
        QVERIFY(session.isBusy());
        session.answer(answerFor(i), 0);
        output += session.takeOutput();
    }
    QCOMPARE(output, answerFor(1) + answerFor(2) + answerFor(3));
    QCOMPARE(session.phase(), Session::Phase::Idle);
    QVERIFY(!session.isBusy());
    QVERIFY(session.wantsInput());
}

void tst_Session::continueIsSentOncePerRequest()
{
    Session session({}, {}, 0);
    const QByteArray head = "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n";
    for (int round = 0; round < 2; ++round) {
        session.receive(head, 0);
        QCOMPARE(session.takeOutput(), QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
        session.receive("ab", 0);
        QVERIFY(!session.hasOutput());
        session.receive("cd", 0);
        QVERIFY(!session.hasOutput());
        const std::optional<http::Request> request = session.takeRequest();
        QVERIFY(request);
        QCOMPARE(request->body, QByteArray("abcd"));
        session.answer(answerFor(round), 0);
        QCOMPARE(session.takeOutput(), answerFor(round));
    }
}

void tst_Session::refusals_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("status");

    QTest::newRow("garbage") << QByteArray("\x16\x03\x01\x02\x05\x01\r\n\r\n") << 400;
    QTest::newRow("no host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("bad version") << QByteArray("GET / HTTP/2.0\r\nHost: h\r\n\r\n") << 505;
    QTest::newRow("chunked not last") << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n") << 400;
    QTest::newRow("body too large") << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999\r\n\r\n") << 413;
    QTest::newRow("second request broken")
        << QByteArray(Post.toByteArray() + "GET / HTTP/1.1\r\nHost : h\r\n\r\n") << 400;
}

void tst_Session::refusals()
{
    QFETCH(QByteArray, input);
    QFETCH(int, status);

    Session session({}, {}, 0);
    session.receive(input, 0);
    if (session.takeRequest())
        session.answer(answerFor(1), 0);   // a good request before the broken one
    QByteArray output = session.takeOutput();
    if (output.startsWith(answerFor(1)))
        output.remove(0, answerFor(1).size());
    QCOMPARE(statusOf(output), status);
    QVERIFY(session.isClosing());
    QVERIFY(!session.takeRequest());
    // The refused request is handed out once for the record, with its own bytes only.
    const std::optional<http::Refusal> refusal = session.takeRefusal();
    QVERIFY(refusal);
    QCOMPARE(refusal->status, status);
    QVERIFY(output.contains(refusal->reason));
    QVERIFY(!refusal->received.isEmpty());
    QVERIFY(input.endsWith(refusal->received));
    QVERIFY(!session.takeRefusal());
    // Whatever the client still sends is read and dropped.
    QVERIFY(session.wantsInput());
    session.receive(Post, 0);
    QVERIFY(!session.takeRequest());
    QVERIFY(!session.hasOutput());
    session.receiveEnd(0);
    QVERIFY(session.isClosed());
    QVERIFY(!session.isAborted());
}

void tst_Session::closingRequestDropsWhatFollows()
{
    Session session({}, {}, 0);
    session.receive(QByteArray("GET /a HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n" + posts(1)), 0);
    QVERIFY(session.takeRequest());
    QVERIFY(session.closesAfterAnswer());
    session.receive(Post, 0);
    session.answer(answerFor(1), 0);
    QCOMPARE(session.takeOutput(), answerFor(1));
    QVERIFY(session.isClosing());
    QVERIFY(!session.takeRequest());
}

void tst_Session::halfCloseStillGetsTheAnswer()
{
    Session session({}, {}, 0);
    session.receive(posts(2), 0);
    session.receiveEnd(0);
    QVERIFY(!session.wantsInput());
    QVERIFY(session.takeRequest());
    QCOMPARE(session.phase(), Session::Phase::Waiting);
    session.answer(answerFor(1), 0);
    // The pipelined request that arrived before the end is still served.
    QVERIFY(session.takeRequest());
    session.answer(answerFor(2), 0);
    QCOMPARE(session.takeOutput(), answerFor(1) + answerFor(2));
    QVERIFY(session.isClosed());
}

void tst_Session::halfCloseMidRequestCloses()
{
    Session session({}, {}, 0);
    session.receive(Post.first(20), 0);
    QCOMPARE(session.phase(), Session::Phase::Headers);
    session.receiveEnd(0);
    QVERIFY(session.isClosed());
    QVERIFY(!session.hasOutput());
    QVERIFY(!session.takeRequest());
}

void tst_Session::timeouts_data()
{
    QTest::addColumn<QByteArray>("input");   // arrives at 0 ms
    QTest::addColumn<qint64>("quietUntil");  // nothing happens up to here
    QTest::addColumn<int>("status");         // then this is sent (0: nothing)
    QTest::addColumn<Session::Phase>("after");

    QTest::newRow("idle connection") << QByteArray() << qint64(5000) << 0 << Session::Phase::Closing;
    QTest::newRow("headers too slow") << QByteArray("POST / HTTP/1.1\r\nHo") << qint64(1000) << 408
                                      << Session::Phase::Closing;
    QTest::newRow("body stalled") << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n\r\nab") << qint64(1000)
                                  << 408 << Session::Phase::Closing;
    QTest::newRow("waiting for the store") << Post.toByteArray() << qint64(1'000'000) << 0 << Session::Phase::Waiting;
}

void tst_Session::timeouts()
{
    QFETCH(QByteArray, input);
    QFETCH(qint64, quietUntil);
    QFETCH(int, status);
    QFETCH(Session::Phase, after);

    Session session({}, shortTimeouts(), 0);
    session.receive(input, 0);
    const Session::Phase before = session.phase();
    session.checkTimeouts(quietUntil);
    QCOMPARE(session.phase(), before);
    QVERIFY(!session.hasOutput());
    session.checkTimeouts(quietUntil + 1);
    QCOMPARE(statusOf(session.takeOutput()), status);
    QCOMPARE(session.phase(), after);

    if (after == Session::Phase::Closing) {
        // A client that never closes its side is cut off after the body timeout.
        session.checkTimeouts(quietUntil + 1 + 1000);
        QVERIFY(!session.isAborted());
        session.checkTimeouts(quietUntil + 1 + 1001);
        QVERIFY(session.isAborted());
        QVERIFY(session.isClosed());
    }
}

void tst_Session::trickledBodyIsRefused()
{
    // One byte every 900 ms never stalls for a whole body timeout, but stays far
    // below 100 bytes a second: refused once the allowance (1 s + 10 ms a byte) is spent.
    Session session({}, shortTimeouts(), 0);
    session.receive("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n", 0);
    qint64 now = 0;
    int sent = 0;
    while (!session.hasOutput() && sent < 100) {
        now += 900;
        session.checkTimeouts(now);
        if (session.hasOutput())
            break;
        session.receive("x", now);
        ++sent;
    }
    QCOMPARE(statusOf(session.takeOutput()), 408);
    QCOMPARE(sent, 1);   // 1800 ms > 1000 ms + 1 byte * 10 ms
    QVERIFY(session.isClosing());
}

void tst_Session::steadyBodyIsNotRefused()
{
    // 200 bytes a second for 10 s: twice the minimum rate, never refused.
    Session session({}, shortTimeouts(), 0);
    session.receive("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2000\r\n\r\n", 0);
    for (qint64 now = 100; now <= 10'000; now += 100) {
        session.checkTimeouts(now);
        QVERIFY2(!session.hasOutput(), qPrintable(QStringLiteral("refused at %1 ms").arg(now)));
        session.receive(QByteArray(20, 'x'), now);
    }
    QVERIFY(session.takeRequest());
}

void tst_Session::pipelinedInputIsHeldBack()
{
    constexpr qsizetype MaxUnparsed = 64;
    Session session({}, {}, 0, MaxUnparsed);
    session.receive(Post, 0);
    QVERIFY(session.takeRequest());
    while (session.wantsInput())
        session.receive(Post, 0);   // the owner stops reading here
    QVERIFY(!session.wantsInput());
    session.answer(answerFor(0), 0);
    // Working the held input off hands out the next request and reading resumes
    // once what waits fits again.
    int served = 0;
    while (std::optional<http::Request> request = session.takeRequest()) {
        ++served;
        session.answer(answerFor(served), 0);
    }
    QVERIFY(served >= 2);
    QVERIFY(session.wantsInput());
    QCOMPARE(session.phase(), Session::Phase::Idle);
}

void tst_Session::drainClosesAfterTheCurrentRequest()
{
    Session idle({}, {}, 0);
    idle.drain(0);
    QVERIFY(idle.isClosing());

    Session busy({}, {}, 0);
    busy.receive(Post, 0);
    QVERIFY(busy.takeRequest());
    busy.drain(0);
    busy.answer(answerFor(1), 0);
    QCOMPARE(busy.takeOutput(), answerFor(1));
    QVERIFY(busy.isClosing());
}

void tst_Session::storeFailureRefusesTheWaitingRequest()
{
    Session session({}, {}, 0);
    session.receive(posts(2), 0);
    QVERIFY(session.takeRequest());
    session.refuse(503, "hook could not be stored: disk full", 0);
    const QByteArray output = session.takeOutput();
    QCOMPARE(statusOf(output), 503);
    QVERIFY(output.endsWith("disk full\n"));
    QVERIFY(session.isClosing());
    QVERIFY(!session.takeRequest());   // the pipelined one is not served after a refusal
}

void tst_Session::refusalKeepsWhatEarlierReadsBrought()
{
    Session session({}, shortTimeouts(), 0);
    const QByteArray head = "POST /split HTTP/1.1\r\nHost: h\r\n";
    session.receive(head, 0);
    session.receive("X-A: 1\r\n", 1);
    session.receive("Content-Length: 1\r\nContent-Length: 2\r\n\r\n", 2);
    QCOMPARE(statusOf(session.takeOutput()), 400);
    const std::optional<http::Refusal> refusal = session.takeRefusal();
    QVERIFY(refusal);
    QCOMPARE(refusal->received, head + "X-A: 1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
    QCOMPARE(refusal->request.method, QByteArray("POST"));
    QCOMPARE(refusal->request.target, QByteArray("/split"));
    QVERIFY(refusal->request.headers.size() >= 2);

    // A timeout: what arrived until then.
    Session slow({}, shortTimeouts(), 0);
    slow.receive("PUT /slow HTTP/1.1\r\n", 0);
    slow.checkTimeouts(5000);
    QCOMPARE(statusOf(slow.takeOutput()), 408);
    const std::optional<http::Refusal> timedOut = slow.takeRefusal();
    QVERIFY(timedOut);
    QCOMPARE(timedOut->status, 408);
    QCOMPARE(timedOut->received, QByteArray("PUT /slow HTTP/1.1\r\n"));
    QCOMPARE(timedOut->request.method, QByteArray("PUT"));

    // A Content-Length body that stalls: its head and the body bytes that came, in order.
    Session stalled({}, shortTimeouts(), 0);
    stalled.receive("POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nfirst ", 0);
    stalled.receive("second ", 10);
    stalled.receive("third", 20);
    stalled.checkTimeouts(5000);
    QCOMPARE(statusOf(stalled.takeOutput()), 408);
    const std::optional<http::Refusal> body = stalled.takeRefusal();
    QVERIFY(body);
    QCOMPARE(body->received, QByteArray("POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nfirst second third"));
    QVERIFY(body->request.body.isEmpty());
}

void tst_Session::refusalKeepsTheFirstBytesOnly()
{
    http::Limits limits;
    limits.maxHeaderBytes = 1024 * 1024;
    Session session(limits, shortTimeouts(), 0);
    QByteArray sent = "POST / HTTP/1.1\r\nHost: h\r\n";
    session.receive(sent, 0);
    for (int i = 0; i < 20; ++i) {
        const QByteArray field = "X-" + QByteArray::number(i) + ": " + QByteArray(8000, 'v') + "\r\n";
        session.receive(field, 0);
        sent += field;
    }
    session.receive("bad line\r\n", 0);
    QCOMPARE(statusOf(session.takeOutput()), 400);
    const std::optional<http::Refusal> refusal = session.takeRefusal();
    QVERIFY(refusal);
    QCOMPARE(refusal->received.size(), Session::MaxReceivedKept);
    QCOMPARE(refusal->received, sent.first(Session::MaxReceivedKept));
}

void tst_Session::completeRequestsLeaveNoRefusal()
{
    Session session({}, shortTimeouts(), 0);
    const QByteArray post = Post.toByteArray();
    session.receive(post.first(10), 0);
    session.receive(post.sliced(10), 0);
    QVERIFY(session.takeRequest());
    session.answer(answerFor(1), 0);
    // Another one in a single read, then a client that goes quiet between requests.
    session.receive(post, 0);
    QVERIFY(session.takeRequest());
    session.answer(answerFor(2), 0);
    session.checkTimeouts(3000);
    QVERIFY(!session.takeRefusal());
    // A refusal after them keeps only its own bytes.
    session.receive("GET / HTTP/1.1\r\nHost: h\r\n\x7f", 3000);
    const std::optional<http::Refusal> refusal = session.takeRefusal();
    QVERIFY(refusal);
    QCOMPARE(refusal->received, QByteArray("GET / HTTP/1.1\r\nHost: h\r\n\x7f"));
}

QTEST_APPLESS_MAIN(tst_Session)
#include "tst_session.moc"
