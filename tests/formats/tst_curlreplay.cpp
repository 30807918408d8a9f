#include "testhelpers.h"

#include "capture/listener.h"
#include "formats/curl.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using testhelpers::allBytes;
using testhelpers::makeHook;
using testhelpers::makeRequestHook;

namespace {

// What the listener computes or curl takes from the URL: not compared.
http::HeaderList comparable(http::HeaderList headers)
{
    headers.removeIf([](const http::HeaderField &field) {
        return http::nameEquals(field.name, "Host") || http::nameEquals(field.name, "Content-Length");
    });
    return headers;
}

http::HeaderList withLength(http::HeaderList headers, const QByteArray &body)
{
    headers.append(http::HeaderField{"Content-Length", QByteArray::number(body.size())});
    return headers;
}

} // namespace

// The curl export end to end: the commands run in a real shell with real curl
// against a real listener, which must store the same request again.
class tst_CurlReplay : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void shouldResendSameRequest_data();
    void shouldResendSameRequest();
    void shouldReplayWholeScriptInOrder();

private:
    bool runScript(const QString &shell, const QByteArray &script, QByteArray *error);
    void compareStored(const Hook &stored, const Hook &sent);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Listener> m_listener;
    QString m_base;
    QStringList m_shells;
    QProcessEnvironment m_environment;
};

void tst_CurlReplay::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty())
        QSKIP("curl is not installed: this test runs the exported curl commands for real");
    m_shells.append(QStringLiteral("/bin/sh"));
    const QString bash = QStandardPaths::findExecutable(QStringLiteral("bash"));
    if (!bash.isEmpty())
        m_shells.append(bash);

    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_listener = std::make_unique<Listener>(catalog::Catalog::builtin());
    ListenerConfig config;
    config.port = 0;
    QVERIFY2(m_listener->start(config, m_dir->filePath(QStringLiteral("hooks.sqlite"))), qPrintable(m_listener->errorString()));
    m_base = m_listener->url().toString();

    // No proxy between curl and the listener, no ~/.curlrc adding options.
    m_environment = QProcessEnvironment::systemEnvironment();
    for (const QString &name : {QStringLiteral("http_proxy"), QStringLiteral("HTTP_PROXY"), QStringLiteral("https_proxy"),
                                QStringLiteral("HTTPS_PROXY"), QStringLiteral("all_proxy"), QStringLiteral("ALL_PROXY")})
        m_environment.remove(name);
    m_environment.insert(QStringLiteral("HOME"), m_dir->path());
    m_environment.insert(QStringLiteral("CURL_HOME"), m_dir->path());
}

void tst_CurlReplay::cleanupTestCase()
{
    m_listener.reset();
    m_dir.reset();
}

bool tst_CurlReplay::runScript(const QString &shell, const QByteArray &script, QByteArray *error)
{
    QFile file(m_dir->filePath(QStringLiteral("replay.sh")));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(script) != script.size()) {
        *error = "cannot write the script";
        return false;
    }
    file.close();
    QProcess process;
    process.setProcessEnvironment(m_environment);
    process.start(shell, {file.fileName()});
    process.closeWriteChannel();
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        *error = "timed out";
        return false;
    }
    *error = process.readAllStandardError();
    return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0 && error->isEmpty();
}

void tst_CurlReplay::compareStored(const Hook &stored, const Hook &sent)
{
    QCOMPARE(stored.method, sent.method);
    QCOMPARE(stored.target, sent.target);
    QCOMPARE(stored.version, sent.version);
    QCOMPARE(comparable(stored.headers), comparable(sent.headers));
    QCOMPARE(stored.body.size(), sent.body.size());
    QCOMPARE(stored.body, sent.body);
    QCOMPARE(stored.chunked, sent.chunked);
    const QByteArray host = m_listener->url().authority().toLatin1();
    QCOMPARE(http::valueOf(stored.headers, "Host"), host);
}

void tst_CurlReplay::shouldResendSameRequest_data()
{
    QTest::addColumn<Hook>("hook");

    const QByteArray json = R"({"action":"created","note":"it's $HOME `id` \"quoted\" \\ 100%"})";
    QTest::newRow("Codewars JSON with quotes, dollar and backticks")
        << makeRequestHook("POST", "/hooks?source=codewars",
                    withLength({{"Host", "hooks.example.test"}, {"User-Agent", "Codewars Hookbot"}, {"Content-Type", "application/json"},
                                {"X-Webhook-Event", "code_challenge"}, {"X-Webhook-Secret", "s3cr'et"}}, json),
                    json);

    const QByteArray binary = allBytes() + allBytes() + allBytes() + allBytes();
    QTest::newRow("binary body, every byte value")
        << makeRequestHook("POST", "/bin", withLength({{"Host", "h"}, {"Content-Type", "application/octet-stream"}, {"X-Kind", "bin"}}, binary),
                    binary);

    QTest::newRow("PUT, body starting with @ and a leading dash")
        << makeRequestHook("PUT", "/at", withLength({{"Host", "h"}, {"Content-Type", "text/plain"}, {"User-Agent", "x"}}, "@/etc/passwd -v"),
                    "@/etc/passwd -v");

    QTest::newRow("GET without Accept or User-Agent; brackets, dots and escapes in the target")
        << makeRequestHook("GET", "/a/../b/./c?x[0]=1&y=%2F%20&z={1,2}", {{"Host", "h"}, {"X-Only", "this"}});

    QTest::newRow("DELETE with duplicate, empty and obs-text headers")
        << makeRequestHook("DELETE", "/r/1", {{"Host", "h"}, {"X-Dup", "1"}, {"x-dup", "2"}, {"X-Empty", ""}, {"X-Obs", "caf\xe9 \xff"},
                                       {"Accept", "application/json"}});

    Hook chunked = makeRequestHook("POST", "/chunked", {{"Host", "h"}, {"Transfer-Encoding", "chunked"}, {"Content-Type", "application/json"}},
                            R"({"chunked":true})");
    chunked.chunked = true;
    QTest::newRow("chunked POST") << chunked;

    QTest::newRow("empty POST with Content-Length: 0 and no Content-Type")
        << makeRequestHook("POST", "/empty", {{"Host", "h"}, {"User-Agent", "Codewars Hookbot"}, {"Content-Length", "0"}});

    QByteArray large;
    for (int i = 0; i < 1024 * 1024 + 7; ++i)
        large.append(char((i * 7919 + (i >> 9)) & 0xff));
    QTest::newRow("1 MiB binary body")
        << makeRequestHook("POST", "/large", withLength({{"Host", "h"}, {"Content-Type", "application/octet-stream"}}, large), large);

    QTest::newRow("PATCH with CRLF text")
        << makeRequestHook("PATCH", "/form", withLength({{"Host", "h"}, {"Content-Type", "text/plain"}}, "a=1\r\nb=2\r\n"), "a=1\r\nb=2\r\n");

    Hook old = makeRequestHook("GET", "/old", {{"Host", "h"}, {"Accept", "*/*"}});
    old.version = "HTTP/1.0";
    QTest::newRow("HTTP/1.0 GET") << old;
}

void tst_CurlReplay::shouldResendSameRequest()
{
    QFETCH(Hook, hook);

    const QByteArray command = formats::curlCommand(hook, formats::curlUrl(hook, m_base));
    for (const QString &shell : std::as_const(m_shells)) {
        QSignalSpy stored(m_listener.get(), &Listener::hooksStored);
        QByteArray error;
        QVERIFY2(runScript(shell, command, &error),
                 qPrintable(shell + u": " + QString::fromLocal8Bit(error) + u"\n" + QString::fromLocal8Bit(command.left(2000))));
        QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 1, 10000);
        const QList<Hook> hooks = stored.first().first().value<QList<Hook>>();
        QCOMPARE(hooks.size(), 1);
        compareStored(hooks.first(), hook);
        if (QTest::currentTestFailed()) {
            qWarning() << "in" << shell << "running" << command.left(2000);
            return;
        }
    }
}

void tst_CurlReplay::shouldReplayWholeScriptInOrder()
{
    QList<Hook> hooks;
    Hook first = makeHook();
    first.id = 1;
    hooks.append(first);
    Hook second = makeRequestHook("POST", "/two", withLength({{"Host", "h"}, {"Content-Type", "application/octet-stream"}}, allBytes()), allBytes());
    second.id = 2;
    hooks.append(second);
    Hook third = makeRequestHook("GET", "/three?q=1", {{"Host", "h"}});
    third.id = 3;
    hooks.append(third);

    const QByteArray script = formats::curlScript(hooks, m_base);
    QSignalSpy stored(m_listener.get(), &Listener::hooksStored);
    QByteArray error;
    QVERIFY2(runScript(QStringLiteral("/bin/sh"), script, &error), error.constData());
    QList<Hook> received;
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
        received.clear();
        for (const QList<QVariant> &signal : std::as_const(stored))
            received += signal.first().value<QList<Hook>>();
        return received.size() >= hooks.size();
    }()), 10000);
    QCOMPARE(received.size(), hooks.size());
    for (qsizetype i = 0; i < hooks.size(); ++i) {
        compareStored(received.at(i), hooks.at(i));
        if (QTest::currentTestFailed())
            return;
    }
}

QTEST_GUILESS_MAIN(tst_CurlReplay)
#include "tst_curlreplay.moc"
