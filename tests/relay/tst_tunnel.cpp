#include "relay/tunnel.h"

#include "relaytesthelpers.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using relay::Tunnel;
using relay::TunnelSpec;
using namespace relaytest;

using namespace Qt::Literals::StringLiterals;

class TestTunnel : public QObject
{
    Q_OBJECT

private:
    const QUrl local{QStringLiteral("http://127.0.0.1:8790/")};
    QTemporaryDir dir;

    static Tunnel::Timings quick()
    {
        Tunnel::Timings timings;
        timings.urlTimeoutMs = 800;
        timings.firstBackoffMs = 50;
        timings.maxBackoffMs = 200;
        timings.stopGraceMs = 1000;
        timings.attemptsWithoutUrl = 2;
        return timings;
    }

private slots:
    void shouldReadThePublicUrlAndStayUp_data()
    {
        QTest::addColumn<QString>("arguments");
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("urlTimeoutMs");
        QTest::newRow("on standard output") << u"up https://abc.tunnel.test"_s << u""_s << u"https://abc.tunnel.test"_s << 200;
        QTest::newRow("on standard error") << u"stderr https://err.tunnel.test/path"_s << u""_s << u"https://err.tunnel.test/path"_s << 200;
        QTest::newRow("several: the first one") << u"several https://one.tunnel.test https://two.tunnel.test"_s << u""_s
                                                << u"https://one.tunnel.test"_s << 200;
        QTest::newRow("a pattern picks the second") << u"several https://one.tunnel.test https://two.tunnel.test"_s
                                                    << u"and (https://\\S+)"_s << u"https://two.tunnel.test"_s << 200;
        // Reading 100,000 lines and a 1 MiB line takes its time on a slow or sanitized build: this
        // row is about bounded buffers, not the URL timeout, so the flood gets all the time it needs.
        QTest::newRow("after a flood of output") << u"flood https://calm.tunnel.test"_s << u""_s << u"https://calm.tunnel.test"_s
                                                 << 60000;
    }
    void shouldReadThePublicUrlAndStayUp()
    {
        QFETCH(QString, arguments);
        QFETCH(QString, pattern);
        QFETCH(QString, expected);
        QFETCH(int, urlTimeoutMs);
        Tunnel tunnel;
        Tunnel::Timings timings = quick();
        timings.urlTimeoutMs = urlTimeoutMs;
        tunnel.setTimings(timings);
        QSignalSpy urls(&tunnel, &Tunnel::publicUrlChanged);
        QString error;
        QVERIFY2(tunnel.start({standinCommand(arguments), pattern}, local, &error), qPrintable(error));
        QCOMPARE(tunnel.state(), Tunnel::State::Starting);
        QVERIFY(urls.wait(std::max(10000, urlTimeoutMs)));
        QCOMPARE(urls.constFirst().constFirst().toUrl(), QUrl(expected));
        QCOMPARE(tunnel.publicUrl(), QUrl(expected));
        QCOMPARE(tunnel.state(), Tunnel::State::Public);
        // Output is kept, but only so much of it.
        QVERIFY(!tunnel.output().isEmpty());
        QVERIFY(tunnel.output().size() <= Tunnel::MaxOutputLines);
        for (const QString &line : tunnel.output())
            QVERIFY(line.size() <= Tunnel::MaxLineBytes);
        // Past the URL timeout, it is still the same run.
        QVERIFY(!urls.wait(400));
        QCOMPARE(tunnel.state(), Tunnel::State::Public);
    }

    void shouldFillInThePortAndUrl()
    {
        Tunnel tunnel;
        QSignalSpy urls(&tunnel, &Tunnel::publicUrlChanged);
        QString error;
        // The stand-in prints its second argument: here the listener's port inside a URL.
        QVERIFY2(tunnel.start({standinCommand(QStringLiteral("up https://port-{port}.tunnel.test/?local={url}")), {}}, local, &error),
                 qPrintable(error));
        QVERIFY(urls.wait(10000));
        QCOMPARE(tunnel.publicUrl(), QUrl(QStringLiteral("https://port-8790.tunnel.test/?local=http://127.0.0.1:8790/")));
    }

    void shouldRestartWithANewUrlWhenItDies()
    {
        Tunnel tunnel;
        tunnel.setTimings(quick());
        QSignalSpy urls(&tunnel, &Tunnel::publicUrlChanged);
        QSignalSpy messages(&tunnel, &Tunnel::message);
        QString error;
        const QString state = dir.filePath(QStringLiteral("restart-state"));
        QVERIFY2(tunnel.start({standinCommand(u"restart " + state), {}}, local, &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(tunnel.publicUrl(), QUrl(QStringLiteral("https://run-1.tunnel.test")), 10000);
        QCOMPARE(tunnel.state(), Tunnel::State::Public);
        QList<QUrl> seen;
        for (const QList<QVariant> &args : urls)
            seen.append(args.constFirst().toUrl());
        // Up, gone (empty) while it restarts, up again with the new URL.
        QCOMPARE(seen, (QList<QUrl>{QUrl(QStringLiteral("https://run-0.tunnel.test")), QUrl(),
                                    QUrl(QStringLiteral("https://run-1.tunnel.test"))}));
        QStringList log;
        for (const QList<QVariant> &args : messages)
            log.append(args.constFirst().toString());
        const QString all = log.join(u'\n');
        QVERIFY2(all.contains(u"exit code 3"), qPrintable(all));
        QVERIFY2(all.contains(u"connection lost"), qPrintable(all));   // its last lines
        QVERIFY2(all.contains(u"restarting the tunnel in"), qPrintable(all));
        QVERIFY2(all.contains(u"new public URL https://run-1.tunnel.test"), qPrintable(all));
    }

    void shouldGiveUpWhenItDiesAtOnce()
    {
        Tunnel tunnel;
        tunnel.setTimings(quick());
        QSignalSpy failed(&tunnel, &Tunnel::failed);
        QString error;
        QVERIFY2(tunnel.start({standinCommand(QStringLiteral("die 255")), {}}, local, &error), qPrintable(error));
        QVERIFY(failed.wait(10000));
        const QString why = failed.constFirst().constFirst().toString();
        QVERIFY2(why.contains(u"exit code 255"), qPrintable(why));
        QVERIFY2(why.contains(u"the relay refused the connection"), qPrintable(why));
        QCOMPARE(tunnel.state(), Tunnel::State::Failed);
        QVERIFY(!tunnel.isActive());
        QVERIFY(tunnel.publicUrl().isEmpty());
    }

    void shouldTimeOutWithItsLastLinesWhenNoUrlComes()
    {
        Tunnel tunnel;
        tunnel.setTimings(quick());
        QSignalSpy failed(&tunnel, &Tunnel::failed);
        QString error;
        const QString pidFile = dir.filePath(QStringLiteral("silent-pid"));
        QVERIFY2(tunnel.start({standinCommand(u"silent " + pidFile), {}}, local, &error), qPrintable(error));
        QVERIFY(failed.wait(15000));
        const QString why = failed.constFirst().constFirst().toString();
        QVERIFY2(why.contains(u"printed no public URL in 0.8 s"), qPrintable(why));
        QVERIFY2(why.contains(u"still starting"), qPrintable(why));
        const qint64 pid = readPid(pidFile);
        QVERIFY(pid > 0);
        QTRY_VERIFY_WITH_TIMEOUT(processGone(pid), 5000);
    }

    void shouldStopItsProcessAndItsGroup()
    {
        Tunnel tunnel;
        QSignalSpy urls(&tunnel, &Tunnel::publicUrlChanged);
        QString error;
        const QString pidFile = dir.filePath(QStringLiteral("group-pid"));
        QVERIFY2(tunnel.start({standinCommand(u"group " + pidFile), {}}, local, &error), qPrintable(error));
        QVERIFY(urls.wait(10000));
        const qint64 pid = tunnel.processId();
        const qint64 grandchild = readPid(pidFile);
        QVERIFY(pid > 0);
        QVERIFY(grandchild > 0);
        QVERIFY(!processGone(pid));
        QVERIFY(!processGone(grandchild));
        tunnel.stop();
        QCOMPARE(tunnel.state(), Tunnel::State::Stopped);
        QVERIFY(tunnel.publicUrl().isEmpty());
        QCOMPARE(urls.constLast().constFirst().toUrl(), QUrl());
        QVERIFY(processGone(pid));
        QTRY_VERIFY_WITH_TIMEOUT(processGone(grandchild), 5000);
    }

    void shouldEndItsProcessWhenDestroyed()
    {
        qint64 pid = 0;
        {
            Tunnel tunnel;
            QSignalSpy urls(&tunnel, &Tunnel::publicUrlChanged);
            QString error;
            QVERIFY2(tunnel.start({standinCommand(QStringLiteral("up https://gone.tunnel.test")), {}}, local, &error), qPrintable(error));
            QVERIFY(urls.wait(10000));
            pid = tunnel.processId();
        }
        QVERIFY(processGone(pid));
    }

    void shouldSayWhatToInstall_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("urlTimeoutMs");
        QTest::newRow("a preset's program") << u"cloudflared"_s << u"install cloudflared (https://developers.cloudflare.com"_s;
        QTest::newRow("another program") << u"no-such-tunnel-program {port}"_s << u"'no-such-tunnel-program' is not installed"_s;
        QTest::newRow("a path that is not there") << u"/nonexistent/tunnel {port}"_s << u"'/nonexistent/tunnel' is not installed"_s;
    }
    void shouldSayWhatToInstall()
    {
        QFETCH(QString, command);
        QFETCH(QString, expected);
        const QByteArray path = qgetenv("PATH");
        // An empty PATH: whatever this machine has installed, the program is missing.
        qputenv("PATH", dir.path().toUtf8());
        Tunnel tunnel;
        QString error;
        const bool started = tunnel.start({command, {}}, local, &error);
        qputenv("PATH", path);
        QVERIFY(!started);
        QVERIFY2(error.contains(expected), qPrintable(error));
        QCOMPARE(tunnel.state(), Tunnel::State::Stopped);
    }
};

QTEST_GUILESS_MAIN(TestTunnel)
#include "tst_tunnel.moc"
