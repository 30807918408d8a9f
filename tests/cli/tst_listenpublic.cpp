// `hookscope listen --tunnel` and `--smee` end to end: the real binary, the
// stand-in tunnel program, an in-test smee server.

#include "clitesthelpers.h"

#include "../relay/relaytesthelpers.h"
#include "../relay/ssetestserver.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace relaytest;

namespace {

// The next line of a running process's standard output, or empty after timeoutMs.
// The event loop runs meanwhile: the in-test smee server answers the process.
QByteArray nextLine(QProcess &process, int timeoutMs = 15000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!process.canReadLine() && !deadline.hasExpired() && process.state() == QProcess::Running)
        QTest::qWait(20);
    return process.canReadLine() ? process.readLine() : QByteArray();
}

bool finished(QProcess &process, int timeoutMs = 15000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (process.state() != QProcess::NotRunning && !deadline.hasExpired())
        QTest::qWait(20);
    return process.state() == QProcess::NotRunning;
}

} // namespace

class TestListenPublic : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir;

    QStringList dbArgs(const QString &name) const
    {
        return {QStringLiteral("--db"), dir.filePath(name)};
    }

private slots:
    void shouldPrintThePublicUrlSecondAndLeaveNoOrphanWhenKilled()
    {
        QProcess process;
        const QString pidFile = dir.filePath(QStringLiteral("killed-pid"));
        const QUrl url = clitest::startListener(
            process, dbArgs(QStringLiteral("killed.sqlite")) + QStringList{QStringLiteral("--tunnel"), standinCommand(u"up https://p{port}.tunnel.test " + pidFile)});
        QVERIFY(url.isValid());
        QCOMPARE(nextLine(process), QStringLiteral("public URL https://p%1.tunnel.test\n").arg(url.port()).toUtf8());
        const qint64 child = readPid(pidFile);
        QVERIFY(child > 0);
        QVERIFY(!processGone(child));
        // However hookscope ends, its tunnel ends with it.
        ::kill(pid_t(process.processId()), SIGKILL);
        QVERIFY(process.waitForFinished(5000));
        QTRY_VERIFY_WITH_TIMEOUT(processGone(child), 5000);
    }

    void shouldStopTheTunnelOnSigterm()
    {
        QProcess process;
        const QString pidFile = dir.filePath(QStringLiteral("term-pid"));
        const QUrl url = clitest::startListener(
            process, dbArgs(QStringLiteral("term.sqlite")) + QStringList{QStringLiteral("--tunnel"), standinCommand(u"up https://t.tunnel.test " + pidFile)});
        QVERIFY(url.isValid());
        QCOMPARE(nextLine(process), QByteArray("public URL https://t.tunnel.test\n"));
        const qint64 child = readPid(pidFile);
        QVERIFY(child > 0);
        process.terminate();
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 0);
        QVERIFY(processGone(child));
        const QByteArray err = process.readAllStandardError();
        QVERIFY2(err.contains("tunnel: the tunnel was stopped"), err.constData());
    }

    void shouldSayWhatToInstall()
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PATH"), dir.path());
        process.setProcessEnvironment(env);
        process.start(clitest::binary(), QStringList{QStringLiteral("listen"), QStringLiteral("--port"), QStringLiteral("0"),
                                                    QStringLiteral("--tunnel"), QStringLiteral("ssh")} + dbArgs(QStringLiteral("missing.sqlite")));
        QVERIFY(process.waitForFinished(15000));
        QCOMPARE(process.exitCode(), 1);
        const QByteArray err = process.readAllStandardError();
        QVERIFY2(err.contains("'ssh' is not installed") && err.contains("apt install openssh-client"), err.constData());
    }

    void shouldRefuseABadPattern()
    {
        const clitest::Result result = clitest::run({QStringLiteral("listen"), QStringLiteral("--tunnel"), QStringLiteral("ssh"),
                                                     QStringLiteral("--tunnel-url-pattern"), QStringLiteral("(")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("not a valid regular expression"), result.err.constData());
    }

    void shouldStoreSmeeDeliveriesAsRelayedHooks()
    {
        SseTestServer server;
        QProcess process;
        QStringList args = dbArgs(QStringLiteral("smee.sqlite"));
        args << QStringLiteral("--smee") << server.channel().toString() << QStringLiteral("--jsonl");
        const QUrl url = clitest::startListener(process, args);
        QVERIFY(url.isValid());
        QCOMPARE(nextLine(process), QByteArray("public URL " + server.channel().toEncoded() + "\n"));
        server.deliver("{\"content-type\":\"application/json\",\"x-webhook-event\":\"user\",\"body\":{\"action\":\"rank_upgraded\"},\"query\":{},\"timestamp\":1764800000000}");
        const QByteArray line = nextLine(process);
        const QJsonObject hook = QJsonDocument::fromJson(line).object();
        QCOMPARE(hook.value(QStringLiteral("relayed")).toString(), QStringLiteral("smee"));
        QCOMPARE(hook.value(QStringLiteral("event")).toString(), QStringLiteral("user"));
        QCOMPARE(hook.value(QStringLiteral("target")).toString(), QStringLiteral("/chan"));
        QCOMPARE(QByteArray::fromBase64(hook.value(QStringLiteral("body_b64")).toString().toLatin1()), QByteArray("{\"action\":\"rank_upgraded\"}"));
        process.terminate();
        QVERIFY(finished(process));
        QCOMPARE(process.exitCode(), 0);
    }

    void shouldEndWithAClearErrorForAPageThatIsNoChannel()
    {
        SseTestServer server;
        server.setMode(SseTestServer::Mode::Html);
        QProcess process;
        const QUrl url = clitest::startListener(process, dbArgs(QStringLiteral("html.sqlite")) + QStringList{QStringLiteral("--smee"), server.channel().toString()});
        QVERIFY(url.isValid());
        QVERIFY(finished(process));
        QCOMPARE(process.exitCode(), 1);
        const QByteArray err = process.readAllStandardError();
        QVERIFY2(err.contains("is not a smee channel"), err.constData());
    }
};

QTEST_GUILESS_MAIN(TestListenPublic)
#include "tst_listenpublic.moc"
