#include "relay/smeechannel.h"

#include "ssetestserver.h"

#include "catalog/signature.h"
#include "workspace/workspace.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using relay::SmeeChannel;

namespace {

QByteArray delivery(const QByteArray &headers, const QByteArray &body)
{
    return "{" + headers + (headers.isEmpty() ? "" : ",") + "\"body\":" + body + ",\"query\":{},\"timestamp\":1764800000000}";
}

SmeeChannel::Timings quick()
{
    SmeeChannel::Timings timings;
    timings.firstBackoffMs = 50;
    timings.maxBackoffMs = 200;
    return timings;
}

// A channel subscribed to the in-test server, with spies on what it reports.
struct Subscription
{
    explicit Subscription(const SmeeChannel::Timings &timings = quick())
    {
        channel.setTimings(timings);
    }
    bool start()
    {
        QString error;
        if (!channel.start(server.channel(), &error)) {
            qWarning() << error;
            return false;
        }
        return true;
    }

    SseTestServer server;
    QNetworkAccessManager network;
    SmeeChannel channel{&network};
    QSignalSpy hooks{&channel, &SmeeChannel::delivered};
    QSignalSpy rejected{&channel, &SmeeChannel::eventRejected};
    QSignalSpy messages{&channel, &SmeeChannel::message};
};

} // namespace

using namespace Qt::Literals::StringLiterals;

class TestSmeeChannel : public QObject
{
    Q_OBJECT

private slots:
    void shouldCaptureDeliveriesAndSkipTheRest()
    {
        Subscription s;
        auto &[server, network, channel, hooks, rejected, messages] = s;
        QVERIFY(s.start());
        QTRY_COMPARE(channel.state(), SmeeChannel::State::Connected);
        QCOMPARE(server.lastAccept(), QByteArray("text/event-stream"));

        server.send("id: 1\nevent: ping\ndata: {}\n\n");
        server.deliver(delivery("\"x-webhook-event\":\"user\"", "{\"action\":\"rank_upgraded\"}"));
        server.deliver("this is not JSON");
        server.send("event: something-else\ndata: {\"body\":{}}\n\n");
        server.deliver(delivery("\"x-github-event\":\"ping\"", "{\"zen\":\"Keep it simple.\"}"));
        QTRY_COMPARE(hooks.size(), 2);
        QCOMPARE(rejected.size(), 1);
        QVERIFY2(rejected.constFirst().constFirst().toString().contains(u"malformed event"),
                 qPrintable(rejected.constFirst().constFirst().toString()));
        const Hook first = hooks.at(0).constFirst().value<Hook>();
        QCOMPARE(first.body, QByteArray("{\"action\":\"rank_upgraded\"}"));
        QCOMPARE(first.headers, (http::HeaderList{{"x-webhook-event", "user"}}));
        QCOMPARE(first.target, QByteArray("/chan"));
        QCOMPARE(hooks.at(1).constFirst().value<Hook>().body, QByteArray("{\"zen\":\"Keep it simple.\"}"));
        QCOMPARE(channel.state(), SmeeChannel::State::Connected);
    }

    void shouldReconnectWhenTheStreamEnds()
    {
        Subscription s;
        auto &[server, network, channel, hooks, rejected, messages] = s;
        QVERIFY(s.start());
        QTRY_COMPARE(channel.state(), SmeeChannel::State::Connected);
        server.closeStreams();
        QTRY_COMPARE(server.streamsOpened(), 2);
        QTRY_COMPARE(channel.state(), SmeeChannel::State::Connected);
        QCOMPARE(channel.reconnections(), 1);
        server.deliver(delivery("\"x-webhook-event\":\"user\"", "{\"after\":\"reconnect\"}"));
        QTRY_COMPARE(hooks.size(), 1);
        QStringList log;
        for (const QList<QVariant> &args : messages)
            log.append(args.constFirst().toString());
        QVERIFY2(log.join(u'\n').contains(u"deliveries made until it is back are lost"), qPrintable(log.join(u'\n')));
    }

    void shouldReconnectWhenTheStreamStalls()
    {
        SmeeChannel::Timings timings = quick();
        timings.stallMs = 300;   // the server never pings
        Subscription s(timings);
        auto &[server, network, channel, hooks, rejected, messages] = s;
        QVERIFY(s.start());
        QTRY_VERIFY_WITH_TIMEOUT(server.streamsOpened() >= 2, 10000);
        QTRY_COMPARE(channel.state(), SmeeChannel::State::Connected);
        // The stalled stream was let go of, not kept beside the new one.
        QTRY_COMPARE(server.openStreams(), 1);
    }

    void shouldSkipOversizedEvents()
    {
        SmeeChannel::Timings timings = quick();
        timings.maxEventBytes = 1024;
        Subscription s(timings);
        auto &[server, network, channel, hooks, rejected, messages] = s;
        QVERIFY(s.start());
        QTRY_COMPARE(channel.state(), SmeeChannel::State::Connected);
        server.deliver(delivery({}, "\"" + QByteArray(64 * 1024, 'x') + "\""));
        server.deliver(delivery({}, "{\"small\":true}"));
        QTRY_COMPARE(hooks.size(), 1);
        QCOMPARE(rejected.size(), 1);
        QVERIFY2(rejected.constFirst().constFirst().toString().contains(u"more than 1024 bytes"),
                 qPrintable(rejected.constFirst().constFirst().toString()));
        QCOMPARE(hooks.constFirst().constFirst().value<Hook>().body, QByteArray("{\"small\":true}"));
    }

    void shouldFailClearlyWhenNotASmeeServer_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("error");
        QTest::newRow("a web page") << int(SseTestServer::Mode::Html) << u"is not a smee channel: the server answered with text/html"_s;
        QTest::newRow("not found") << int(SseTestServer::Mode::NotFound) << u"is not a smee channel: the server answered HTTP 404"_s;
    }
    void shouldFailClearlyWhenNotASmeeServer()
    {
        QFETCH(int, mode);
        QFETCH(QString, error);
        Subscription s;
        auto &[server, network, channel, hooks, rejected, messages] = s;
        server.setMode(SseTestServer::Mode(mode));
        QSignalSpy failed(&channel, &SmeeChannel::failed);
        QVERIFY(s.start());
        QVERIFY(failed.wait(10000));
        QVERIFY2(failed.constFirst().constFirst().toString().contains(error), qPrintable(failed.constFirst().constFirst().toString()));
        QCOMPARE(channel.state(), SmeeChannel::State::Failed);
        QCOMPARE(server.streamsOpened(), 0);
    }

    void shouldRefuseUrlsThatNameNoChannel_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("error");
        QTest::newRow("no channel") << u"https://smee.io/"_s << u"names no channel"_s;
        QTest::newRow("not http") << u"ftp://smee.io/abc"_s << u"is not an http(s) URL"_s;
    }
    void shouldRefuseUrlsThatNameNoChannel()
    {
        QFETCH(QString, url);
        QFETCH(QString, error);
        QNetworkAccessManager network;
        SmeeChannel channel(&network);
        QString why;
        QVERIFY(!channel.start(QUrl(url), &why));
        QVERIFY2(why.contains(error), qPrintable(why));
        QCOMPARE(channel.state(), SmeeChannel::State::Stopped);
    }

    void shouldAskForANewChannel()
    {
        SseTestServer server;
        QNetworkAccessManager network;
        QUrl base = server.channel();
        base.setPath(QString());
        const relay::NewChannel channel = workspace::await(relay::requestNewChannel(&network, base));
        QVERIFY2(channel.error.isEmpty(), qPrintable(channel.error));
        QCOMPARE(channel.url.path(), QStringLiteral("/fresh-channel-42"));
        QCOMPARE(channel.url.port(), int(server.serverPort()));
    }

    void shouldStoreRelayedHooksWithHonestVerdicts()
    {
        QTemporaryDir dir;
        SseTestServer server;
        workspace::Workspace workspace(catalog::Catalog::builtin());
        QVERIFY2(workspace.open(dir.filePath(QStringLiteral("hooks.sqlite"))), qPrintable(workspace.errorString()));
        ListenerConfig config;
        config.secret = "s3cret";
        QVERIFY2(workspace.listen(config), qPrintable(workspace.errorString()));
        workspace.smee()->setTimings(quick());
        QSignalSpy arrived(&workspace, &workspace::Workspace::hooksArrived);
        QSignalSpy publicChanged(&workspace, &workspace::Workspace::publicChanged);
        QString error;
        QVERIFY2(workspace.receiveFromSmee(server.channel(), &error), qPrintable(error));
        QVERIFY(workspace.isPublic());
        QTRY_COMPARE(workspace.smee()->state(), SmeeChannel::State::Connected);

        // GitHub signed its pretty-printed body; the relay passes on the compact form.
        const QByteArray pretty = "{\n  \"zen\": \"Keep it simple.\"\n}";
        const QByteArray compact = "{\"zen\":\"Keep it simple.\"}";
        server.deliver(delivery("\"x-github-event\":\"ping\",\"x-hub-signature-256\":\"" + catalog::signatureFor(pretty, "s3cret") + "\"", compact));
        // Signed compact: the relayed body is the signed one.
        server.deliver(delivery("\"x-github-event\":\"ping\",\"x-hub-signature-256\":\"" + catalog::signatureFor(compact, "s3cret") + "\"", compact));
        // Codewars sends its secret in a header: checked exactly as ever.
        server.deliver(delivery("\"x-webhook-event\":\"user\",\"x-webhook-secret\":\"wrong\"", "{\"action\":\"rank_upgraded\"}"));

        QList<Hook> hooks;
        QTRY_VERIFY((hooks = [&] {
            QList<Hook> all;
            for (const QList<QVariant> &args : arrived)
                all += args.constFirst().value<QList<Hook>>();
            return all;
        }()).size() == 3);
        QCOMPARE(hooks.at(0).origin, Hook::Origin::Relayed);
        QCOMPARE(hooks.at(0).inspection.signature, catalog::Verdict::Unverifiable);
        QCOMPARE(hooks.at(1).inspection.signature, catalog::Verdict::Valid);
        QCOMPARE(hooks.at(2).inspection.secret, catalog::Verdict::Invalid);
        QCOMPARE(hooks.at(2).inspection.event, QStringLiteral("user"));

        // As stored, and after a check again.
        const workspace::Fetched<std::optional<Hook>> stored = workspace::await(workspace.hook(hooks.at(0).id));
        QVERIFY2(stored.value, qPrintable(stored.error));
        QCOMPARE(stored.value->origin, Hook::Origin::Relayed);
        QCOMPARE(stored.value->body, compact);
        QCOMPARE(stored.value->inspection.signature, catalog::Verdict::Unverifiable);
        QVERIFY(workspace::await(workspace.recheck({hooks.at(0).id}, "s3cret")).ok());
        QCOMPARE(workspace::await(workspace.hook(hooks.at(0).id)).value->inspection.signature, catalog::Verdict::Unverifiable);

        workspace.stopSmee();
        QVERIFY(!workspace.isPublic());
        QCOMPARE(publicChanged.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestSmeeChannel)
#include "tst_smeechannel.moc"
