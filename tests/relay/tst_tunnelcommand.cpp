#include "relay/tunnelcommand.h"

#include <QTest>

using namespace relay;

using namespace Qt::Literals::StringLiterals;

class TestTunnelCommand : public QObject
{
    Q_OBJECT

private slots:
    void shouldExpandPresetsAndCommands_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("program");
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("ssh preset") << u"ssh"_s << u"ssh"_s
                                    << QStringList{u"-o"_s, u"StrictHostKeyChecking=accept-new"_s, u"-o"_s, u"ServerAliveInterval=30"_s, u"-o"_s,
                                                   u"ExitOnForwardFailure=yes"_s, u"-R"_s, u"80:localhost:8790"_s, u"nokey@localhost.run"_s};
        QTest::newRow("cloudflared preset") << u"cloudflared"_s << u"cloudflared"_s
                                            << QStringList{u"tunnel"_s, u"--url"_s, u"http://localhost:8790"_s};
        QTest::newRow("ngrok preset") << u" ngrok "_s << u"ngrok"_s << QStringList{u"http"_s, u"8790"_s, u"--log"_s, u"stdout"_s};
        QTest::newRow("command with both placeholders") << u"my-tunnel --to {url} --port={port}"_s << u"my-tunnel"_s
                                                        << QStringList{u"--to"_s, u"http://127.0.0.1:8790/"_s, u"--port=8790"_s};
        QTest::newRow("quoted words") << u"\"/opt/my tunnel/run\" \"two words\" {port}"_s << u"/opt/my tunnel/run"_s
                                      << QStringList{u"two words"_s, u"8790"_s};
    }
    void shouldExpandPresetsAndCommands()
    {
        QFETCH(QString, command);
        QFETCH(QString, program);
        QFETCH(QStringList, arguments);
        QString error;
        const std::optional<TunnelCommand> expanded = tunnelCommand({command, {}}, QUrl(QStringLiteral("http://127.0.0.1:8790/")), &error);
        QVERIFY2(expanded, qPrintable(error));
        QCOMPARE(expanded->program, program);
        QCOMPARE(expanded->arguments, arguments);
    }

    void shouldRefuseBadCommands_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("error");
        QTest::newRow("empty") << u"  "_s << u""_s << u"no tunnel command given"_s;
        QTest::newRow("unbalanced quote") << u"tunnel \"open"_s << u""_s << u"unbalanced quote"_s;
        QTest::newRow("bad pattern") << u"ssh"_s << u"https://("_s << u"not a valid regular expression"_s;
    }
    void shouldRefuseBadCommands()
    {
        QFETCH(QString, command);
        QFETCH(QString, pattern);
        QFETCH(QString, error);
        QString why;
        QVERIFY(!tunnelCommand({command, pattern}, QUrl(QStringLiteral("http://127.0.0.1:1/")), &why));
        QVERIFY2(why.contains(error), qPrintable(why));
    }

    void shouldFindThePublicUrl_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("url");
        QTest::newRow("localhost.run") << u"ssh"_s << u"abc123.lhr.life tunneled with tls termination, https://abc123.lhr.life"_s
                                       << u"https://abc123.lhr.life"_s;
        QTest::newRow("localhost.run's admin link is not it") << u"ssh"_s
                                                             << u"To set up and manage custom domains go to https://admin.localhost.run/"_s
                                                             << u""_s;
        QTest::newRow("cloudflared box") << u"cloudflared"_s << u"2026-12-03T22:00:00Z INF |  https://quiet-sun-1234.trycloudflare.com  |"_s
                                         << u"https://quiet-sun-1234.trycloudflare.com"_s;
        QTest::newRow("cloudflared's terms are not it") << u"cloudflared"_s
                                                        << u"INF Thank you for trying Cloudflare Tunnel. https://www.cloudflare.com/website-terms/"_s
                                                        << u""_s;
        QTest::newRow("ngrok log line") << u"ngrok"_s
                                        << u"t=2026-12-03 lvl=info msg=\"started tunnel\" obj=tunnels name=command_line addr=http://localhost:8790 url=https://1a2b.ngrok-free.app"_s
                                        << u"https://1a2b.ngrok-free.app"_s;
        QTest::newRow("any command: first https URL") << u""_s << u"ready at https://x.example.test/hooks, also https://y.example.test"_s
                                                      << u"https://x.example.test/hooks"_s;
        QTest::newRow("any command: trailing punctuation dropped") << u""_s << u"(see https://x.example.test)."_s << u"https://x.example.test"_s;
        QTest::newRow("any command: plain http is not public") << u""_s << u"http://x.example.test"_s << u""_s;
    }
    void shouldFindThePublicUrl()
    {
        QFETCH(QString, preset);
        QFETCH(QString, line);
        QFETCH(QString, url);
        QString error;
        const std::optional<TunnelCommand> command
            = tunnelCommand({preset.isEmpty() ? QStringLiteral("any-tunnel {port}") : preset, {}}, QUrl(QStringLiteral("http://127.0.0.1:1/")), &error);
        QVERIFY2(command, qPrintable(error));
        QCOMPARE(findPublicUrl(line, command->urlPattern), QUrl(url));
    }
};

QTEST_GUILESS_MAIN(TestTunnelCommand)
#include "tst_tunnelcommand.moc"
