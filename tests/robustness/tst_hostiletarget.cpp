#include "robustnesshelpers.h"

#include "delivery/sender.h"
#include "delivery/tlsreceiver.h"
#include "workspace/workspace.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

namespace {

// A server that misbehaves on purpose, one way per test.
class HostileServer
{
public:
    enum class Mode {
        Silent,           // reads the request, never answers
        CloseAtOnce,      // closes each connection as it comes, before reading anything
        Close,            // reads the request, closes without a byte
        BadChunk,         // a chunked 200 whose second chunk size is not hexadecimal
        SlowHeaders,      // a status line, then a header byte now and then, never the end of the headers
        Garbage,          // answers random bytes and closes
        EndlessGarbage,   // answers random bytes, forever
        HugeBody,         // a 200 whose body never ends soon (Content-Length, chunked or until close)
        RedirectLoop,     // 302 to itself
        PlainText,        // a plain HTTP 400 to whatever comes, as an HTTP server does to TLS
        CloseOnNext,      // answers the first request and keeps the connection; closes on the next one unanswered
        AnswerThenClose,  // answers (not saying it closes), then closes the connection at once
    };
    enum class Framing { ContentLength, Chunked, Close };

    explicit HostileServer(Mode mode, Framing framing = Framing::ContentLength)
        : m_mode(mode)
        , m_framing(framing)
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] { accept(); });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QUrl url(const QString &scheme = QStringLiteral("http")) const
    {
        return QUrl(QStringLiteral("%1://127.0.0.1:%2/hook").arg(scheme).arg(m_server.serverPort()));
    }
    int requests() const { return m_requests; }
    int connections() const { return m_connections; }
    qint64 bodyBytesWritten() const { return m_written; }
    void setHugeSize(qint64 bytes) { m_hugeSize = bytes; }

private:
    void accept()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            ++m_connections;
            QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            if (m_mode == Mode::CloseAtOnce) {
                socket->abort();
                socket->deleteLater();
                continue;
            }
            auto buffer = std::make_shared<QByteArray>();
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
                *buffer += socket->readAll();
                if (m_mode == Mode::PlainText) {
                    socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 11\r\nConnection: close\r\n\r\nBad Request");
                    socket->disconnectFromHost();
                    return;
                }
                const qsizetype end = buffer->indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                buffer->clear();
                ++m_requests;
                respond(socket);
            });
        }
    }

    void respond(QTcpSocket *socket)
    {
        switch (m_mode) {
        case Mode::Silent:
        case Mode::PlainText:
        case Mode::CloseAtOnce:
            return;
        case Mode::BadChunk:
            socket->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\nworld\r\n0\r\n\r\n");
            return;
        case Mode::SlowHeaders: {
            socket->write("HTTP/1.1 200 OK\r\nX-Slow: ");
            auto *drip = new QTimer(socket);
            QObject::connect(drip, &QTimer::timeout, socket, [socket] { socket->write("x"); });
            drip->start(100);
            return;
        }
        case Mode::Close:
            socket->disconnectFromHost();
            return;
        case Mode::CloseOnNext:
            if (m_requests == 1)
                socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            else
                socket->disconnectFromHost();
            return;
        case Mode::AnswerThenClose:
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            socket->disconnectFromHost();
            return;
        case Mode::Garbage:
            socket->write(garbage(4096));
            socket->disconnectFromHost();
            return;
        case Mode::EndlessGarbage:
            streamWhileRead(socket, [this] { return garbage(16 * 1024); });
            return;
        case Mode::RedirectLoop:
            socket->write("HTTP/1.1 302 Found\r\nLocation: " + url().toEncoded() + "\r\nContent-Length: 0\r\n\r\n");
            return;
        case Mode::HugeBody:
            break;
        }
        QByteArray head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n";
        if (m_framing == Framing::ContentLength)
            head += "Content-Length: " + QByteArray::number(m_hugeSize) + "\r\n";
        else if (m_framing == Framing::Chunked)
            head += "Transfer-Encoding: chunked\r\n";
        else
            head += "Connection: close\r\n";
        socket->write(head + "\r\n");
        const QByteArray block(64 * 1024, 'x');
        const QByteArray chunk = QByteArray::number(block.size(), 16) + "\r\n" + block + "\r\n";
        streamWhileRead(socket, [this, block, chunk] {
            if (m_written >= m_hugeSize)
                return QByteArray();
            m_written += block.size();
            return m_framing == Framing::Chunked ? chunk : block;
        });
    }

    // Writes the next piece whenever the peer has taken the last one, so neither
    // side ever holds the whole stream.
    template <typename Next>
    void streamWhileRead(QTcpSocket *socket, Next next)
    {
        const auto more = [socket, next] {
            if (socket->bytesToWrite() > 0)
                return;
            const QByteArray piece = next();
            if (piece.isEmpty())
                socket->disconnectFromHost();
            else
                socket->write(piece);
        };
        QObject::connect(socket, &QTcpSocket::bytesWritten, socket, more);
        more();
    }

    QByteArray garbage(int size)
    {
        QByteArray bytes(size, Qt::Uninitialized);
        for (char &byte : bytes)
            byte = char(m_random.bounded(256));
        return bytes;
    }

    QTcpServer m_server;
    Mode m_mode;
    Framing m_framing;
    QRandomGenerator m_random{4242};
    int m_requests = 0;
    int m_connections = 0;
    qint64 m_hugeSize = 200ll * 1024 * 1024;
    qint64 m_written = 0;
};

// What capping a huge answer may add to the peak: the 8 MiB kept, the reads in flight and
// the server's own buffers (measured: about 25 MiB; with AddressSanitizer, whose quarantine
// keeps what was freed on the way, about twice that). Reading on past the cap added
// hundreds of MiB.
qint64 capGrowthBoundKiB()
{
    const bool sanitized = robustness::peakRssBoundKiB() > 256 * 1024;
    return (sanitized ? 192 : 48) * 1024;
}

Draft draftTo(const QUrl &url)
{
    Draft draft;
    draft.url = url;
    draft.headers = {{"Content-Type", "application/json"}, {"X-Webhook-Event", "user"}};
    draft.body = R"({"action":"honor_changed"})";
    return draft;
}

} // namespace

// The replay and forward Sender facing targets that misbehave: every case ends,
// in bounded time and memory, with a clear error or the answer as it was.
class tst_HostileTarget : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void shouldTimeOutWhenTheTargetNeverAnswers();
    void shouldFailOnceWithAClearReason_data();
    void shouldFailOnceWithAClearReason();
    void shouldCapAHugeResponseBody_data();
    void shouldCapAHugeResponseBody();
    void shouldNotFollowARedirectLoop();
    void shouldNeverResendOnAKeptAliveConnection_data();
    void shouldNeverResendOnAKeptAliveConnection();
    void shouldReportTlsFailure_data();
    void shouldReportTlsFailure();
};

void tst_HostileTarget::init()
{
    robustness::resetPeakRss();
}

void tst_HostileTarget::cleanup()
{
    const qint64 peak = robustness::peakRssKiB();
    qInfo("peak RSS: %.1f MiB", peak / 1024.0);
    QVERIFY2(peak < robustness::peakRssBoundKiB(),
             qPrintable(QStringLiteral("peak RSS %1 KiB over the bound of %2 KiB").arg(peak).arg(robustness::peakRssBoundKiB())));
}

void tst_HostileTarget::shouldTimeOutWhenTheTargetNeverAnswers()
{
    HostileServer server(HostileServer::Mode::Silent);
    QVERIFY(server.listen());
    Sender sender;
    sender.setTimeout(500);
    QElapsedTimer timer;
    timer.start();
    const Delivery delivery = sender.sendAndWait(draftTo(server.url()));
    qInfo("error after %lld ms: %s", timer.elapsed(), qPrintable(delivery.error));
    QCOMPARE(delivery.status, 0);
    QCOMPARE(delivery.error, QStringLiteral("timed out after 0.5 s waiting for the answer"));
    QCOMPARE(server.requests(), 1);
    QVERIFY2(timer.elapsed() < 5000, "the timeout was not applied");
    QCOMPARE(sender.pending(), 0);
}

void tst_HostileTarget::shouldFailOnceWithAClearReason_data()
{
    QTest::addColumn<QString>("target");   // "hostile", "refused" or "tls"
    QTest::addColumn<HostileServer::Mode>("mode");
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("reason");   // a pattern the error matches in full
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("requests");     // requests the target read whole

    using M = HostileServer::Mode;
    const QString http = QStringLiteral("http");
    const QString https = QStringLiteral("https");
    QTest::newRow("refused") << QStringLiteral("refused") << M::Silent << http << QStringLiteral("connection refused") << 0 << 0;
    QTest::newRow("closes at once") << QStringLiteral("hostile") << M::CloseAtOnce << http
                                    << QStringLiteral("the connection (closed|was reset) (without an answer|before the request was sent)") << 0 << 0;
    QTest::newRow("closes after the request") << QStringLiteral("hostile") << M::Close << http
                                              << QStringLiteral("the connection closed without an answer") << 0 << 1;
    QTest::newRow("answers garbage") << QStringLiteral("hostile") << M::Garbage << http
                                     << QStringLiteral("the answer is not HTTP: it does not start with a status line") << 0 << 1;
    QTest::newRow("answers garbage without end") << QStringLiteral("hostile") << M::EndlessGarbage << http
                                                 << QStringLiteral("the answer is not HTTP: it does not start with a status line") << 0 << 1;
    QTest::newRow("invalid chunk size") << QStringLiteral("hostile") << M::BadChunk << http
                                        << QStringLiteral("bad chunked framing in the answer: .+") << 200 << 1;
    QTest::newRow("endless body") << QStringLiteral("hostile") << M::HugeBody << http
                                  << QStringLiteral("response body larger than 8 MiB; the rest was discarded") << 200 << 1;
    QTest::newRow("slow headers") << QStringLiteral("hostile") << M::SlowHeaders << http
                                  << QStringLiteral("timed out after 1 s reading the answer's headers") << 200 << 1;
    QTest::newRow("redirect loop") << QStringLiteral("hostile") << M::RedirectLoop << http << QString() << 302 << 1;
    QTest::newRow("TLS to plain TCP") << QStringLiteral("hostile") << M::PlainText << https
                                      << QStringLiteral("TLS handshake failed: the target does not speak TLS on this port \\(is it http://\\?\\)") << 0 << 0;
    QTest::newRow("plain to TLS") << QStringLiteral("tls") << M::Silent << http
                                  << QStringLiteral("the connection closed without an answer|the answer is not HTTP: .+") << 0 << 0;
}

// Each hostile target through the workspace: one connection, the request sent once,
// a one-line reason, and the delivery stored as failed.
void tst_HostileTarget::shouldFailOnceWithAClearReason()
{
    QFETCH(QString, target);
    QFETCH(HostileServer::Mode, mode);
    QFETCH(QString, scheme);
    QFETCH(QString, reason);
    QFETCH(int, status);
    QFETCH(int, requests);

    HostileServer hostile(mode);
    TlsReceiver tls;
    QUrl url;
    if (target == u"hostile") {
        QVERIFY(hostile.listen());
        url = hostile.url(scheme);
    } else if (target == u"tls") {
        QString error;
        QVERIFY2(tls.setUp(&error), qPrintable(error));
        url = tls.url(scheme);
    } else {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        url = QUrl(QStringLiteral("http://127.0.0.1:%1/hook").arg(probe.serverPort()));
    }

    QTemporaryDir dir;
    workspace::Workspace workspace(catalog::Catalog::builtin());
    QVERIFY2(workspace.open(dir.filePath(QStringLiteral("hooks.sqlite"))), qPrintable(workspace.errorString()));
    workspace.sender()->setTimeout(1000);
    QElapsedTimer timer;
    timer.start();
    const Delivery delivery = workspace::await(workspace.send(draftTo(url), Delivery::Kind::Replay));
    qInfo("status %d after %lld ms: %s", delivery.status, timer.elapsed(), qPrintable(delivery.error));
    QVERIFY2(timer.elapsed() < 15000, "the delivery did not end in bounded time");

    QVERIFY(!delivery.succeeded());
    QCOMPARE(delivery.status, status);
    if (reason.isEmpty()) {
        QVERIFY2(delivery.error.isEmpty(), qPrintable(delivery.error));
    } else {
        const QRegularExpression pattern(QRegularExpression::anchoredPattern(reason));
        QVERIFY2(pattern.match(delivery.error).hasMatch(), qPrintable(delivery.error));
        QVERIFY(!delivery.error.contains(u'\n'));
    }
    QTest::qWait(200);   // time for a second attempt, were there one
    if (target == u"hostile") {
        QCOMPARE(hostile.connections(), 1);
        QCOMPARE(hostile.requests(), requests);
    } else if (target == u"tls") {
        QCOMPARE(tls.connections(), 1);
        QCOMPARE(tls.requests().size(), 0);
    }

    const auto stored = workspace::await(workspace.recentDeliveries(Delivery::Kind::Replay, 10));
    QVERIFY2(stored.ok(), qPrintable(stored.error));
    QCOMPARE(stored.value.size(), 1);
    QCOMPARE(stored.value.constFirst().error, delivery.error);
    QCOMPARE(stored.value.constFirst().status, status);
    QVERIFY(!stored.value.constFirst().succeeded());
}

void tst_HostileTarget::shouldCapAHugeResponseBody_data()
{
    QTest::addColumn<HostileServer::Framing>("framing");
    QTest::newRow("200 MiB with Content-Length") << HostileServer::Framing::ContentLength;
    QTest::newRow("200 MiB chunked") << HostileServer::Framing::Chunked;
    QTest::newRow("200 MiB until close") << HostileServer::Framing::Close;
}

void tst_HostileTarget::shouldCapAHugeResponseBody()
{
    QFETCH(HostileServer::Framing, framing);
    HostileServer server(HostileServer::Mode::HugeBody, framing);
    QVERIFY(server.listen());
    Sender sender;
    const qint64 peakBefore = robustness::peakRssKiB();
    QElapsedTimer timer;
    timer.start();
    const Delivery delivery = sender.sendAndWait(draftTo(server.url()), Delivery::Kind::Forward, 0, 60000);
    const qint64 growth = robustness::peakRssKiB() - peakBefore;
    qInfo("kept %lld bytes of %lld sent in %lld ms, peak RSS up %.1f MiB: %s", qint64(delivery.responseBody.size()),
          server.bodyBytesWritten(), timer.elapsed(), growth / 1024.0, qPrintable(delivery.error));
    QCOMPARE(delivery.status, 200);
    QCOMPARE(qint64(delivery.responseBody.size()), sender.maxResponseBody());
    QCOMPARE(delivery.error, QStringLiteral("response body larger than 8 MiB; the rest was discarded"));
    QVERIFY2(server.bodyBytesWritten() < 100ll * 1024 * 1024, "the sender kept reading past its cap");
    QVERIFY2(growth < capGrowthBoundKiB(),
             qPrintable(QStringLiteral("peak RSS grew %1 KiB while capping, bound %2 KiB").arg(growth).arg(capGrowthBoundKiB())));
}

void tst_HostileTarget::shouldNotFollowARedirectLoop()
{
    HostileServer server(HostileServer::Mode::RedirectLoop);
    QVERIFY(server.listen());
    Sender sender;
    const Delivery delivery = sender.sendAndWait(draftTo(server.url()), Delivery::Kind::Replay, 0, 15000);
    QVERIFY2(delivery.error.isEmpty(), qPrintable(delivery.error));
    QCOMPARE(delivery.status, 302);
    QCOMPARE(http::valueOf(delivery.responseHeaders, "Location"), server.url().toEncoded());
    QTest::qWait(100);
    QCOMPARE(server.requests(), 1);
}

void tst_HostileTarget::shouldNeverResendOnAKeptAliveConnection_data()
{
    QTest::addColumn<HostileServer::Mode>("mode");
    QTest::newRow("closes the kept-alive connection on the next request") << HostileServer::Mode::CloseOnNext;
    QTest::newRow("closes right after each answer") << HostileServer::Mode::AnswerThenClose;
}

// libcurl sends a request again on a new connection when a reused one closes
// before the answer: the sender refuses that, so every request the target reads
// is a delivery of its own.
void tst_HostileTarget::shouldNeverResendOnAKeptAliveConnection()
{
    QFETCH(HostileServer::Mode, mode);
    HostileServer server(mode);
    QVERIFY(server.listen());
    Sender sender;
    sender.setTimeout(1000);
    const Delivery first = sender.sendAndWait(draftTo(server.url()), Delivery::Kind::Replay, 0, 15000);
    QCOMPARE(first.status, 200);
    const Delivery second = sender.sendAndWait(draftTo(server.url()), Delivery::Kind::Replay, 0, 15000);
    qInfo("second: status %d, %s", second.status, qPrintable(second.error));
    QTest::qWait(200);   // time for a second attempt, were there one
    const QString refused = QStringLiteral("the connection kept alive from an earlier delivery closed without an answer; not sent again");
    if (mode == HostileServer::Mode::CloseOnNext) {
        QCOMPARE(second.status, 0);
        QCOMPARE(second.error, refused);
        // libcurl did open a new connection to send it again; nothing went on it.
        QCOMPARE(server.connections(), 2);
        QCOMPARE(server.requests(), 2);
    } else {
        // The close usually arrives before the next delivery, which then takes a new
        // connection; when it does not, the request is refused a second sending.
        QVERIFY2(second.succeeded() || second.error == refused, qPrintable(second.error));
        QCOMPARE(server.requests(), 1 + (second.succeeded() ? 1 : 0));
    }
}

void tst_HostileTarget::shouldReportTlsFailure_data()
{
    QTest::addColumn<HostileServer::Mode>("mode");
    QTest::newRow("plain HTTP answer to the handshake") << HostileServer::Mode::PlainText;
    QTest::newRow("no answer to the handshake") << HostileServer::Mode::Silent;
}

void tst_HostileTarget::shouldReportTlsFailure()
{
    QFETCH(HostileServer::Mode, mode);
    HostileServer server(mode);
    QVERIFY(server.listen());
    Sender sender;
    sender.setTimeout(1000);
    QElapsedTimer timer;
    timer.start();
    const Delivery delivery = sender.sendAndWait(draftTo(server.url(QStringLiteral("https"))), Delivery::Kind::Replay, 0, 15000);
    qInfo("error after %lld ms: %s", timer.elapsed(), qPrintable(delivery.error));
    QCOMPARE(delivery.status, 0);
    QVERIFY2(!delivery.error.isEmpty(), "no error for a failed TLS handshake");
    if (mode == HostileServer::Mode::PlainText)
        QVERIFY2(delivery.error.contains(QStringLiteral("TLS"), Qt::CaseInsensitive)
                     || delivery.error.contains(QStringLiteral("SSL"), Qt::CaseInsensitive),
                 qPrintable(delivery.error));
    else
        QCOMPARE(delivery.error, QStringLiteral("timed out after 1 s in the TLS handshake"));
    QCOMPARE(server.requests(), 0);
}

QTEST_GUILESS_MAIN(tst_HostileTarget)
#include "tst_hostiletarget.moc"
