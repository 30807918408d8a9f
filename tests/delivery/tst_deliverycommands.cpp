// End-to-end tests of `hookscope send`, `replay`, `events` and `listen --forward-to`,
// running the real binary against a real Listener or a raw loopback receiver.

#include "capture/hookstore.h"
#include "capture/listener.h"
#include "catalog/signature.h"
#include "cli/clitesthelpers.h"
#include "delivery/sender.h"
#include "rawreceiver.h"
#include "tlsreceiver.h"
#include "workspace/workspace.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

class tst_DeliveryCommands : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void shouldSendEveryCodewarsEvent_data();
    void shouldSendEveryCodewarsEvent();
    void shouldSendWithoutSecret();
    void shouldSendSignedGitHubPing();
    void shouldSignTheEditedGitHubBody();
    void shouldEditTheBodyWithSet();
    void shouldReplaceTheBodyWithData();
    void shouldReadTheBodyFromStdin();
    void shouldAddAndReplaceHeaders();
    void shouldRefuseBadInput_data();
    void shouldRefuseBadInput();
    void shouldExitOneOnNon2xx();
    void shouldExitTwoWhenNothingAnswers();
    void shouldSendToTheRunningListenerOfTheStore();
    void shouldReplayStoredHooks();
    void shouldRetryAReplayAsTheSenderWould();
    void shouldRefuseUnknownIdsBeforeSendingAnything();
    void shouldReportReplayFailures();
    void shouldReplayInParallelAsJson();
    void shouldKeepOrRefreshTheDeliveryId();
    void shouldSendAsJson();
    void shouldWriteTimingsInTheOrderTheyHappen();
    void shouldListEvents();
    void shouldListEventsAsJson();
    void shouldForwardFromTheListenCommand();
    void shouldRefuseForwardingToItself();

private:
    struct Run
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    // Runs hookscope while this thread's event loop keeps going (raw receivers live here).
    Run run(const QStringList &args, const QByteArray &input = {}, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());
    // Captured hooks, in order, once `count` of them were stored.
    QList<Hook> stored(int count);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Listener> m_listener;
    std::unique_ptr<QSignalSpy> m_storedSpy;
    QString m_storePath;
};

static const QByteArray Secret = "s3cr3t-shared";

// The fields the sender adds to every request: Host first, Content-Length last (see
// delivery/sender.h); without them, exactly what the request carried.
static http::HeaderList withoutTransportFields(const http::HeaderList &headers)
{
    http::HeaderList result = headers;
    if (!result.isEmpty() && result.constFirst().name == "Host")
        result.removeFirst();
    if (!result.isEmpty() && result.constLast().name == "Content-Length")
        result.removeLast();
    return result;
}

void tst_DeliveryCommands::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_storePath = m_dir->filePath(QStringLiteral("hooks.sqlite"));
    m_listener = std::make_unique<Listener>(catalog::Catalog::builtin());
    ListenerConfig config;
    config.secret = Secret;
    QVERIFY2(m_listener->start(config, m_storePath), qPrintable(m_listener->errorString()));
    m_storedSpy = std::make_unique<QSignalSpy>(m_listener.get(), &Listener::hooksStored);
}

void tst_DeliveryCommands::cleanup()
{
    m_storedSpy.reset();
    if (m_listener)
        m_listener->stop();
    m_listener.reset();
    m_dir.reset();
}

tst_DeliveryCommands::Run tst_DeliveryCommands::run(const QStringList &args, const QByteArray &input, const QProcessEnvironment &env)
{
    QProcess process;
    process.setProcessEnvironment(env);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(clitest::binary(), args);
    if (!process.waitForStarted(5000))
        return {};
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!finished.wait(60000)) {
        process.kill();
        process.waitForFinished();
        return {};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
            process.readAllStandardError()};
}

QList<Hook> tst_DeliveryCommands::stored(int count)
{
    QList<Hook> hooks;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 10000) {
        hooks.clear();
        for (const QList<QVariant> &arguments : std::as_const(*m_storedSpy))
            hooks += arguments.at(0).value<QList<Hook>>();
        if (hooks.size() >= count)
            break;
        m_storedSpy->wait(200);
    }
    return hooks;
}

void tst_DeliveryCommands::shouldSendEveryCodewarsEvent_data()
{
    QTest::addColumn<QString>("event");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("canonical");

    QTest::newRow("code_challenge created") << "code_challenge" << "created" << "created";
    QTest::newRow("code_challenge approve_successful") << "code_challenge" << "approve_successful" << "approve_successful";
    QTest::newRow("code_challenge voted") << "code_challenge" << "voted" << "voted";
    QTest::newRow("code_challenge solution_finalized") << "code_challenge" << "solution_finalized" << "solution_finalized";
    QTest::newRow("user rank_upgraded") << "user" << "rank_upgraded" << "rank_upgraded";
    QTest::newRow("user honor_changed") << "user" << "honor_changed" << "honor_changed";
    QTest::newRow("webhook updated (the ping)") << "webhook" << "updated" << "updated";
    QTest::newRow("later spelling approved") << "code_challenge" << "approved" << "approve_successful";
    QTest::newRow("later spelling rank_earned") << "user" << "rank_earned" << "rank_upgraded";
}

void tst_DeliveryCommands::shouldSendEveryCodewarsEvent()
{
    QFETCH(QString, event);
    QFETCH(QString, action);
    QFETCH(QString, canonical);

    const Run result = run({QStringLiteral("send"), event, action, QStringLiteral("--to"), m_listener->url().toString(),
                            QStringLiteral("--secret"), QString::fromLatin1(Secret)});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY2(result.out.startsWith("HTTP/1.1 200 OK\n{\"id\":"), result.out.constData());

    const QList<Hook> hooks = stored(1);
    QCOMPARE(hooks.size(), 1);
    const Hook &hook = hooks.constFirst();
    QCOMPARE(hook.method, QByteArray("POST"));
    QCOMPARE(hook.target, QByteArray("/"));
    const http::HeaderList expected = {{"User-Agent", "Codewars Hookbot"},
                                       {"Content-Type", "application/json"},
                                       {"X-Webhook-Event", event.toLatin1()},
                                       {"X-Webhook-Secret", Secret}};
    // On the wire: Host, the catalog's fields in order, Content-Length; nothing else.
    QCOMPARE(withoutTransportFields(hook.headers), expected);
    QCOMPARE(hook.headers.size(), expected.size() + 2);
    QCOMPARE(hook.headers.constFirst().name, QByteArray("Host"));
    QCOMPARE(hook.headers.constLast(), (http::HeaderField{"Content-Length", QByteArray::number(hook.body.size())}));
    QCOMPARE(hook.inspection.provider, QStringLiteral("codewars"));
    QCOMPARE(hook.inspection.event, event);
    QCOMPARE(hook.inspection.action, canonical);
    QVERIFY2(hook.inspection.problems.isEmpty(), qPrintable(hook.inspection.problems.join(u"; ")));
    QCOMPARE(hook.inspection.secret, catalog::Verdict::Valid);
    QCOMPARE(hook.inspection.authenticity(), catalog::Verdict::Valid);
    const QJsonObject body = QJsonDocument::fromJson(hook.body).object();
    QCOMPARE(body.value(u"action").toString(), action);   // the spelling asked for
    QVERIFY(hook.body.startsWith("{\n  \"action\""));
}

void tst_DeliveryCommands::shouldSendWithoutSecret()
{
    const Run result = run({QStringLiteral("send"), QStringLiteral("user"), QStringLiteral("honor_changed"),
                            QStringLiteral("--to"), m_listener->url().toString()});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QList<Hook> hooks = stored(1);
    QCOMPARE(hooks.size(), 1);
    QVERIFY(!http::contains(hooks.at(0).headers, "X-Webhook-Secret"));
    QCOMPARE(hooks.at(0).inspection.secret, catalog::Verdict::Missing);
}

void tst_DeliveryCommands::shouldSendSignedGitHubPing()
{
    const Run result = run({QStringLiteral("send"), QStringLiteral("ping"), QStringLiteral("--provider"), QStringLiteral("github"),
                            QStringLiteral("--to"), m_listener->url().toString() + u"github", QStringLiteral("--secret"),
                            QString::fromLatin1(Secret)});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QList<Hook> hooks = stored(1);
    QCOMPARE(hooks.size(), 1);
    const Hook &hook = hooks.constFirst();
    QCOMPARE(hook.target, QByteArray("/github"));
    QCOMPARE(hook.inspection.provider, QStringLiteral("github"));
    QCOMPARE(hook.inspection.event, QStringLiteral("ping"));
    QCOMPARE(hook.inspection.signature, catalog::Verdict::Valid);
    QVERIFY2(hook.inspection.problems.isEmpty(), qPrintable(hook.inspection.problems.join(u"; ")));
    QCOMPARE(http::valueOf(hook.headers, "X-Hub-Signature-256"), catalog::signatureFor(hook.body, Secret));
    QCOMPARE(http::valueOf(hook.headers, "X-Hub-Signature"), catalog::sha1SignatureFor(hook.body, Secret));
    QCOMPARE(http::valueOf(hook.headers, "X-GitHub-Event"), QByteArray("ping"));
    QCOMPARE(http::valueOf(hook.headers, "X-GitHub-Delivery").size(), 36);
    // GitHub's fields in its order, between Host and Content-Length, and nothing else.
    QList<QByteArray> names;
    for (const http::HeaderField &field : hook.headers)
        names.append(field.name);
    QCOMPARE(names, (QList<QByteArray>{"Host", "Accept", "Content-Type", "User-Agent", "X-GitHub-Delivery", "X-GitHub-Event",
                                       "X-GitHub-Hook-ID", "X-Hub-Signature", "X-Hub-Signature-256", "Content-Length"}));
}

void tst_DeliveryCommands::shouldSignTheEditedGitHubBody()
{
    const Run result = run({QStringLiteral("send"), QStringLiteral("ping"), QStringLiteral("--provider"), QStringLiteral("github"),
                            QStringLiteral("--to"), m_listener->url().toString(), QStringLiteral("--secret"), QString::fromLatin1(Secret),
                            QStringLiteral("--set"), QStringLiteral("zen=Edited before signing.")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QList<Hook> hooks = stored(1);
    QCOMPARE(hooks.size(), 1);
    QCOMPARE(QJsonDocument::fromJson(hooks.at(0).body).object().value(u"zen").toString(), QStringLiteral("Edited before signing."));
    QCOMPARE(hooks.at(0).inspection.signature, catalog::Verdict::Valid);
}

void tst_DeliveryCommands::shouldEditTheBodyWithSet()
{
    const Run result = run({QStringLiteral("send"), QStringLiteral("user"), QStringLiteral("rank_upgraded"), QStringLiteral("--to"),
                            m_listener->url().toString(), QStringLiteral("--set"), QStringLiteral("user.rank=-3"),
                            QStringLiteral("--set"), QStringLiteral("language=python")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QList<Hook> hooks = stored(1);
    QCOMPARE(hooks.size(), 1);
    const QJsonObject body = QJsonDocument::fromJson(hooks.at(0).body).object();
    QCOMPARE(body.value(u"user").toObject().value(u"rank").toInt(), -3);
    QCOMPARE(body.value(u"language").toString(), QStringLiteral("python"));
    QVERIFY2(hooks.at(0).inspection.problems.isEmpty(), qPrintable(hooks.at(0).inspection.problems.join(u"; ")));
}

void tst_DeliveryCommands::shouldReplaceTheBodyWithData()
{
    const QString file = m_dir->filePath(QStringLiteral("body.bin"));
    const QByteArray bytes("\x00\xff not json \xc3(", 14);
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }
    const Run result = run({QStringLiteral("send"), QStringLiteral("user"), QStringLiteral("honor_changed"), QStringLiteral("--to"),
                            m_listener->url().toString(), QStringLiteral("--data"), file, QStringLiteral("--secret"), QStringLiteral("x")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QList<Hook> hooks = stored(1);
    QCOMPARE(hooks.size(), 1);
    QCOMPARE(hooks.at(0).body, bytes);
    QCOMPARE(http::valueOf(hooks.at(0).headers, "X-Webhook-Event"), QByteArray("user"));
    QCOMPARE(http::valueOf(hooks.at(0).headers, "X-Webhook-Secret"), QByteArray("x"));
    QVERIFY(!hooks.at(0).inspection.problems.isEmpty());   // not JSON: the catalog says so
}

void tst_DeliveryCommands::shouldReadTheBodyFromStdin()
{
    const QByteArray body = R"({"action":"voted","code_challenge":{"id":"50654ddff44f800200000001","created_by_id":"508f2708b3be0c0200000002"}})";
    const Run result = run({QStringLiteral("send"), QStringLiteral("code_challenge"), QStringLiteral("voted"), QStringLiteral("--to"),
                            m_listener->url().toString(), QStringLiteral("--data"), QStringLiteral("-")}, body);
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QList<Hook> hooks = stored(1);
    QCOMPARE(hooks.size(), 1);
    QCOMPARE(hooks.at(0).body, body);
    QCOMPARE(hooks.at(0).inspection.action, QStringLiteral("voted"));
}

void tst_DeliveryCommands::shouldAddAndReplaceHeaders()
{
    const Run result = run({QStringLiteral("send"), QStringLiteral("webhook"), QStringLiteral("updated"), QStringLiteral("--to"),
                            m_listener->url().toString(), QStringLiteral("-H"), QStringLiteral("X-Extra:  one two "),
                            QStringLiteral("-H"), QStringLiteral("user-agent: Custom/1.0"), QStringLiteral("--header"),
                            QStringLiteral("X-Empty:")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QList<Hook> hooks = stored(1);
    QCOMPARE(hooks.size(), 1);
    const http::HeaderList expected = {{"User-Agent", "Custom/1.0"},
                                       {"Content-Type", "application/json"},
                                       {"X-Webhook-Event", "webhook"},
                                       {"X-Extra", "one two"},
                                       {"X-Empty", ""}};
    QCOMPARE(withoutTransportFields(hooks.at(0).headers), expected);
}

void tst_DeliveryCommands::shouldRefuseBadInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("stderrMentions");

    const QString to = QStringLiteral("--to=http://127.0.0.1:1/");
    QTest::newRow("no event") << QStringList{QStringLiteral("send"), to} << "name the event";
    QTest::newRow("unknown event lists the known ones")
        << QStringList{QStringLiteral("send"), QStringLiteral("kata"), QStringLiteral("created"), to} << "unknown codewars event 'kata' (known: code_challenge, user, webhook)";
    QTest::newRow("unknown action lists the known ones")
        << QStringList{QStringLiteral("send"), QStringLiteral("user"), QStringLiteral("promoted"), to} << "unknown action 'promoted' of event 'user' (known: rank_upgraded (or rank_earned), honor_changed)";
    QTest::newRow("missing action lists them")
        << QStringList{QStringLiteral("send"), QStringLiteral("code_challenge"), to} << "needs an action: created, approve_successful (or approved), voted, solution_finalized";
    QTest::newRow("action for an event without actions")
        << QStringList{QStringLiteral("send"), QStringLiteral("ping"), QStringLiteral("now"), QStringLiteral("--provider"), QStringLiteral("github"), to} << "takes no action";
    QTest::newRow("unknown provider")
        << QStringList{QStringLiteral("send"), QStringLiteral("ping"), QStringLiteral("--provider"), QStringLiteral("gitlab"), to} << "unknown provider 'gitlab' (known: codewars, github, standard-webhooks)";
    QTest::newRow("unreadable data file")
        << QStringList{QStringLiteral("send"), QStringLiteral("user"), QStringLiteral("honor_changed"), to, QStringLiteral("--data"), QStringLiteral("/nonexistent/body.json")}
        << "cannot read --data file '/nonexistent/body.json'";
    QTest::newRow("CR LF in a header value")
        << QStringList{QStringLiteral("send"), QStringLiteral("user"), QStringLiteral("honor_changed"), to, QStringLiteral("-H"), QStringLiteral("X-Evil: a\r\nInjected: 1")}
        << "header 'X-Evil' has a value containing a carriage return";
    QTest::newRow("header without a colon")
        << QStringList{QStringLiteral("send"), QStringLiteral("user"), QStringLiteral("honor_changed"), to, QStringLiteral("-H"), QStringLiteral("X-NoColon")}
        << "-H 'X-NoColon'";
    QTest::newRow("header name with a space")
        << QStringList{QStringLiteral("send"), QStringLiteral("user"), QStringLiteral("honor_changed"), to, QStringLiteral("-H"), QStringLiteral("Bad Name: v")}
        << "-H 'Bad Name: v'";
    QTest::newRow("bad --set path")
        << QStringList{QStringLiteral("send"), QStringLiteral("user"), QStringLiteral("honor_changed"), to, QStringLiteral("--set"), QStringLiteral("noequals")}
        << "--set noequals";
    QTest::newRow("relative --to")
        << QStringList{QStringLiteral("send"), QStringLiteral("user"), QStringLiteral("honor_changed"), QStringLiteral("--to"), QStringLiteral("/hooks")}
        << "--to: URL '/hooks' is relative";
    QTest::newRow("ftp --to")
        << QStringList{QStringLiteral("send"), QStringLiteral("user"), QStringLiteral("honor_changed"), QStringLiteral("--to"), QStringLiteral("ftp://h/x")}
        << "'ftp://h/x' is not an http or https URL";
    QTest::newRow("replay without --to")
        << QStringList{QStringLiteral("replay"), QStringLiteral("1")} << "--to URL is required";
    QTest::newRow("replay without ids")
        << QStringList{QStringLiteral("replay"), to} << "name the hooks";
    QTest::newRow("replay with a bad id")
        << QStringList{QStringLiteral("replay"), QStringLiteral("abc"), to} << "'abc' is not a hook id";
    QTest::newRow("events with an argument")
        << QStringList{QStringLiteral("events"), QStringLiteral("codewars")} << "unexpected argument 'codewars'";
}

void tst_DeliveryCommands::shouldRefuseBadInput()
{
    QFETCH(QStringList, args);
    QFETCH(QString, stderrMentions);

    const Run result = run(args);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(QString::fromUtf8(result.err).contains(stderrMentions), result.err.constData());
    QVERIFY(result.out.isEmpty());
    QCOMPARE(m_storedSpy->size(), 0);
}

void tst_DeliveryCommands::shouldExitOneOnNon2xx()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setAnswer(422, "Unprocessable Entity", {{"Content-Type", "text/plain"}}, "bad rank");
    const Run result = run({QStringLiteral("send"), QStringLiteral("user"), QStringLiteral("rank_upgraded"), QStringLiteral("--to"),
                            receiver.url(QStringLiteral("/in")).toString()});
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.out, QByteArray("HTTP/1.1 422 Unprocessable Entity\nbad rank\n"));
    QCOMPARE(receiver.requests().size(), 1);
    QCOMPARE(receiver.requests().at(0).requestLine, QByteArray("POST /in HTTP/1.1"));

    receiver.setAnswer(302, "Found", {{"Location", "http://127.0.0.1:1/"}});
    QCOMPARE(run({QStringLiteral("send"), QStringLiteral("user"), QStringLiteral("rank_upgraded"), QStringLiteral("--to"),
                  receiver.url().toString()}).exitCode, 1);
}

void tst_DeliveryCommands::shouldExitTwoWhenNothingAnswers()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        port = probe.serverPort();
    }
    const QString url = QStringLiteral("http://127.0.0.1:%1/").arg(port);
    const Run result = run({QStringLiteral("send"), QStringLiteral("webhook"), QStringLiteral("updated"), QStringLiteral("--to"), url});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("connection refused"), result.err.constData());
    QVERIFY2(result.err.contains(url.toLatin1()), result.err.constData());
    QVERIFY(result.out.isEmpty());
}

void tst_DeliveryCommands::shouldSendToTheRunningListenerOfTheStore()
{
    // The listener this test started writes no record; a workspace's does, while it listens.
    QTemporaryDir dir;
    const QString store = dir.filePath(QStringLiteral("own.sqlite"));
    const auto send = [&store, this] {
        return run({QStringLiteral("send"), QStringLiteral("webhook"), QStringLiteral("updated"), QStringLiteral("--db"), store});
    };
    Run result = send();
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(QByteArray("no hookscope is listening for " + store.toUtf8())), result.err.constData());
    QVERIFY2(result.err.contains("--to"), result.err.constData());
    {
        workspace::Workspace workspace(catalog::Catalog::builtin());
        QVERIFY(workspace.open(store));
        QVERIFY2(workspace.listen(ListenerConfig()), qPrintable(workspace.errorString()));
        QSignalSpy arrived(&workspace, &workspace::Workspace::hooksArrived);
        // The child process is waited for with the event loop running, as the listener needs.
        QProcess child;
        child.start(QStringLiteral(HOOKSCOPE_BINARY),
                    {QStringLiteral("send"), QStringLiteral("webhook"), QStringLiteral("updated"), QStringLiteral("--db"), store});
        QTRY_COMPARE_WITH_TIMEOUT(child.state(), QProcess::NotRunning, 20000);
        QVERIFY2(child.exitCode() == 0, child.readAllStandardError().constData());
        QTRY_COMPARE(arrived.size(), 1);
        QCOMPARE(arrived.at(0).at(0).value<QList<Hook>>().constFirst().inspection.event, QStringLiteral("webhook"));
        // --to and --db name two targets.
        result = run({QStringLiteral("send"), QStringLiteral("webhook"), QStringLiteral("updated"), QStringLiteral("--db"), store,
                      QStringLiteral("--to"), workspace.url().toString()});
        QCOMPARE(result.exitCode, 2);
    }
    // Stopped, it says so again.
    result = send();
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("no hookscope is listening"), result.err.constData());

    // A record left by a listener that was killed is recognised: nobody holds the store.
    QFile stale(store + QStringLiteral("-listener"));
    QVERIFY(stale.open(QIODevice::WriteOnly));
    stale.write(R"({"url":"http://127.0.0.1:9/","pid":1})");
    stale.close();
    result = send();
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("has ended without saying so"), result.err.constData());
}

void tst_DeliveryCommands::shouldRetryAReplayAsTheSenderWould()
{
    Sender client;
    Draft draft;
    draft.url = m_listener->url().resolved(QUrl(QStringLiteral("/hooks")));
    draft.headers = {{"Content-Type", "application/json"}, {"X-Webhook-Event", "user"}};
    draft.body = R"({"action":"honor_changed"})";
    QVERIFY(client.sendAndWait(draft).succeeded());
    const QList<Hook> hooks = stored(1);
    QCOMPARE(hooks.size(), 1);
    const QString id = QString::number(hooks.at(0).id);

    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.failNext(2, 503, "Service Unavailable");
    Run result = run({QStringLiteral("replay"), QStringLiteral("--db"), m_storePath, id, QStringLiteral("--to"), receiver.url().toString(),
                      QStringLiteral("--retry"), QStringLiteral("0,5s,5m"), QStringLiteral("--speed"), QStringLiteral("1000")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QList<QByteArray> lines = result.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY2(lines.at(0).startsWith(QByteArray("#" + id.toUtf8() + " attempt 1 -> 503 Service Unavailable (")), lines.at(0).constData());
    QVERIFY2(lines.at(2).startsWith(QByteArray("#" + id.toUtf8() + " attempt 3 -> 200 OK (")), lines.at(2).constData());
    QCOMPARE(receiver.requests().size(), 3);

    // Every attempt failing: exit 1 after the whole schedule.
    receiver.failNext(5, 500, "Internal Server Error");
    result = run({QStringLiteral("replay"), QStringLiteral("--db"), m_storePath, id, QStringLiteral("--to"), receiver.url().toString(),
                  QStringLiteral("--retry"), QStringLiteral("0,1s"), QStringLiteral("--speed"), QStringLiteral("1000")});
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.out.trimmed().split('\n').size(), 2);

    result = run({QStringLiteral("replay"), QStringLiteral("--db"), m_storePath, id, QStringLiteral("--to"), receiver.url().toString(),
                  QStringLiteral("--retry"), QStringLiteral("soon")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("--retry: 'soon'"), result.err.constData());
    result = run({QStringLiteral("replay"), QStringLiteral("--db"), m_storePath, id, QStringLiteral("--to"), receiver.url().toString(),
                  QStringLiteral("--speed"), QStringLiteral("10")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("--speed goes with --retry"), result.err.constData());
}

void tst_DeliveryCommands::shouldReplayStoredHooks()
{
    Sender client;
    Draft draft;
    draft.url = m_listener->url().resolved(QUrl(QStringLiteral("/hooks/one?x=1")));
    draft.headers = {{"User-Agent", "Codewars Hookbot"}, {"Content-Type", "application/json"}, {"X-Webhook-Event", "user"}};
    draft.body = QByteArray("{\"bin\":\"\x00\xff\"}", 14);
    QVERIFY(client.sendAndWait(draft).succeeded());
    draft.url = m_listener->url().resolved(QUrl(QStringLiteral("/hooks/two")));
    draft.body = "second";
    QVERIFY(client.sendAndWait(draft).succeeded());
    const QList<Hook> hooks = stored(2);
    QCOMPARE(hooks.size(), 2);

    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setAnswer(204, "No Content");
    const Run result = run({QStringLiteral("replay"), QStringLiteral("--db"), m_storePath, QString::number(hooks.at(1).id),
                            QString::number(hooks.at(0).id), QStringLiteral("--to"), receiver.url().toString()});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QList<QByteArray> lines = result.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(2), QByteArray("2 delivered, 0 failed"));
    QVERIFY2(lines.at(0).startsWith(QByteArray("#" + QByteArray::number(hooks.at(1).id) + " -> 204 No Content (")), lines.at(0).constData());
    QVERIFY2(lines.at(1).startsWith(QByteArray("#" + QByteArray::number(hooks.at(0).id) + " -> 204 No Content (")), lines.at(1).constData());
    QVERIFY(lines.at(0).endsWith(" ms)"));

    QCOMPARE(receiver.requests().size(), 2);
    QCOMPARE(receiver.requests().at(0).requestLine, QByteArray("POST /hooks/two HTTP/1.1"));
    QCOMPARE(receiver.requests().at(0).body, QByteArray("second"));
    QCOMPARE(receiver.requests().at(1).requestLine, QByteArray("POST /hooks/one?x=1 HTTP/1.1"));
    QCOMPARE(receiver.requests().at(1).body, hooks.at(0).body);
    QCOMPARE(withoutTransportFields(receiver.requests().at(1).headers), withoutTransportFields(hooks.at(0).headers));

    HookStore store;
    QVERIFY(store.open(m_storePath, HookStore::Mode::ReadOnly));
    const QList<Delivery> deliveries = store.deliveries(hooks.at(0).id);
    QCOMPARE(deliveries.size(), 1);
    QCOMPARE(deliveries.at(0).kind, Delivery::Kind::Replay);
    QCOMPARE(deliveries.at(0).status, 204);
    QCOMPARE(deliveries.at(0).requestBody, hooks.at(0).body);

    // `show` lists the replay under the hook.
    const Run show = run({QStringLiteral("show"), QStringLiteral("--db"), m_storePath, QString::number(hooks.at(0).id)});
    QCOMPARE(show.exitCode, 0);
    QVERIFY2(show.out.contains(QByteArray("replay " + receiver.url(QStringLiteral("/hooks/one?x=1")).toEncoded() + " -> 204")), show.out.constData());
}

void tst_DeliveryCommands::shouldRefuseUnknownIdsBeforeSendingAnything()
{
    Sender client;
    Draft draft;
    draft.url = m_listener->url();
    draft.body = "x";
    QVERIFY(client.sendAndWait(draft).succeeded());
    const QList<Hook> hooks = stored(1);
    QCOMPARE(hooks.size(), 1);

    RawReceiver receiver;
    QVERIFY(receiver.listen());
    const Run result = run({QStringLiteral("replay"), QStringLiteral("--db"), m_storePath, QString::number(hooks.at(0).id),
                            QStringLiteral("99999"), QStringLiteral("--to"), receiver.url().toString()});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("no hook #99999"), result.err.constData());
    QVERIFY(result.out.isEmpty());
    QCOMPARE(receiver.connections(), 0);

    const Run missing = run({QStringLiteral("replay"), QStringLiteral("--db"), m_dir->filePath(QStringLiteral("none.sqlite")),
                             QStringLiteral("1"), QStringLiteral("--to"), receiver.url().toString()});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("none.sqlite"), missing.err.constData());
    QVERIFY(!QFile::exists(m_dir->filePath(QStringLiteral("none.sqlite"))));
}

void tst_DeliveryCommands::shouldReportReplayFailures()
{
    Sender client;
    Draft draft;
    draft.url = m_listener->url();
    draft.body = "x";
    QVERIFY(client.sendAndWait(draft).succeeded());
    const QList<Hook> hooks = stored(1);
    QCOMPARE(hooks.size(), 1);
    const QString id = QString::number(hooks.at(0).id);

    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setAnswer(500, "Internal Server Error");
    const Run failed = run({QStringLiteral("replay"), QStringLiteral("--db"), m_storePath, id, QStringLiteral("--to"), receiver.url().toString()});
    QCOMPARE(failed.exitCode, 1);
    QVERIFY2(failed.out.startsWith(QByteArray("#" + id.toLatin1() + " -> 500 Internal Server Error (")), failed.out.constData());

    receiver.close();
    const Run refused = run({QStringLiteral("replay"), QStringLiteral("--db"), m_storePath, id, QStringLiteral("--to"), receiver.url().toString()});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.out.startsWith(QByteArray("#" + id.toLatin1() + " -> error: connection refused (")), refused.out.constData());

    HookStore store;
    QVERIFY(store.open(m_storePath, HookStore::Mode::ReadOnly));
    const QList<Delivery> deliveries = store.deliveries(hooks.at(0).id);
    QCOMPARE(deliveries.size(), 2);
    QCOMPARE(deliveries.at(0).status, 500);
    QCOMPARE(deliveries.at(1).error, QStringLiteral("connection refused"));
}

// --same-id (the default) sends the id the hook came with; --fresh-id a new one in
// the header the provider's catalog names, where it has one, and says which hooks
// kept theirs because their provider has none.
void tst_DeliveryCommands::shouldKeepOrRefreshTheDeliveryId()
{
    Sender client;
    Draft github;
    github.url = m_listener->url();
    const QByteArray original = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
    github.headers = {{"X-GitHub-Event", "ping"}, {"X-GitHub-Delivery", original}, {"Content-Type", "application/json"}};
    github.body = R"({"zen":"Keep it logically awesome.","hook_id":1})";
    QVERIFY(client.sendAndWait(github).succeeded());
    Draft codewars;
    codewars.url = m_listener->url();
    codewars.headers = {{"X-Webhook-Event", "user"}, {"Content-Type", "application/json"}};
    codewars.body = R"({"action":"honor_changed"})";
    QVERIFY(client.sendAndWait(codewars).succeeded());
    const QList<Hook> hooks = stored(2);
    QCOMPARE(hooks.size(), 2);
    const QString githubId = QString::number(hooks.at(0).id);
    const QString codewarsId = QString::number(hooks.at(1).id);

    RawReceiver receiver;
    QVERIFY(receiver.listen());
    const QStringList replay = {QStringLiteral("replay"), QStringLiteral("--db"), m_storePath, QStringLiteral("--to"), receiver.url().toString()};
    Run result = run(replay + QStringList{githubId, QStringLiteral("--same-id")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    result = run(replay + QStringList{githubId});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    result = run(replay + QStringList{githubId, codewarsId, QStringLiteral("--fresh-id")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QCOMPARE(result.err, QByteArray("hookscope: replay: --fresh-id: #" + codewarsId.toLatin1()
                                    + " went with the request as captured: Codewars hooks carry no delivery id\n"));

    QCOMPARE(receiver.requests().size(), 4);
    QCOMPARE(http::valueOf(receiver.requests().at(0).headers, "X-GitHub-Delivery"), original);
    QCOMPARE(http::valueOf(receiver.requests().at(1).headers, "X-GitHub-Delivery"), original);
    const QByteArray fresh = http::valueOf(receiver.requests().at(2).headers, "X-GitHub-Delivery");
    QVERIFY(fresh != original);
    QVERIFY(!QUuid::fromString(QLatin1StringView(fresh)).isNull());
    // In the same place, and the rest as captured.
    QCOMPARE(receiver.requests().at(2).headers.at(2).name, QByteArray("X-GitHub-Delivery"));
    QCOMPARE(receiver.requests().at(2).body, github.body);
    QCOMPARE(withoutTransportFields(receiver.requests().at(3).headers), withoutTransportFields(hooks.at(1).headers));

    const Run both = run(replay + QStringList{githubId, QStringLiteral("--fresh-id"), QStringLiteral("--same-id")});
    QCOMPARE(both.exitCode, 2);
    QCOMPARE(both.err, QByteArray("hookscope: replay: --fresh-id and --same-id exclude each other\n"));
}

void tst_DeliveryCommands::shouldReplayInParallelAsJson()
{
    Sender client;
    Draft draft;
    draft.url = m_listener->url();
    draft.headers = {{"X-Tag", "a"}, {"x-tag", "b"}, {"X-Empty", ""}};
    for (int i = 0; i < 4; ++i) {
        draft.body = "hook " + QByteArray::number(i);
        QVERIFY(client.sendAndWait(draft).succeeded());
    }
    const QList<Hook> hooks = stored(4);
    QCOMPARE(hooks.size(), 4);

    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setAnswer(202, "Accepted", {{"X-Answer", "1"}}, QByteArray("\xff\x00", 2));
    QStringList args = {QStringLiteral("replay"), QStringLiteral("--db"), m_storePath, QStringLiteral("--to"), receiver.url().toString(),
                        QStringLiteral("--parallel"), QStringLiteral("3"), QStringLiteral("--json")};
    for (const Hook &hook : hooks)
        args.append(QString::number(hook.id));
    const Run result = run(args);
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QList<QByteArray> lines = result.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 4);
    for (int i = 0; i < 4; ++i) {
        QJsonParseError error;
        const QJsonObject object = QJsonDocument::fromJson(lines.at(i), &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, lines.at(i).constData());
        QCOMPARE(object.value(u"hook").toInteger(), hooks.at(i).id);   // in the order asked for
        QCOMPARE(object.value(u"status").toInt(), 202);
        QCOMPARE(object.value(u"reason").toString(), QStringLiteral("Accepted"));
        QCOMPARE(object.value(u"target").toString(), receiver.url().toString());
        QCOMPARE(object.value(u"headers").toArray().at(0), QJsonValue(QJsonArray{QStringLiteral("X-Answer"), QStringLiteral("1")}));
        QCOMPARE(object.value(u"body_b64").toString(), QStringLiteral("/wA="));
        QVERIFY(!object.contains(u"body"));
        QVERIFY(object.value(u"error").isNull());
        // A delivery on a kept-alive connection has no DNS and connect phases of its own.
        const QJsonObject timings = object.value(u"timings").toObject();
        qint64 previous = 0;
        for (const char *phase : {"dns_us", "connect_us", "first_byte_us", "total_us"}) {
            const QJsonValue at = timings.value(QLatin1StringView(phase));
            if (at.isNull() && (qstrcmp(phase, "dns_us") == 0 || qstrcmp(phase, "connect_us") == 0))
                continue;
            QVERIFY2(at.toInteger(-1) >= previous, phase);
            previous = at.toInteger();
        }
        QVERIFY(timings.value(u"tls_us").isNull());
    }
    // Each request arrived once, with its repeated and empty fields as captured, on
    // at most as many connections as went at once.
    QCOMPARE(receiver.requests().size(), 4);
    QVERIFY2(receiver.connections() >= 1 && receiver.connections() <= 3, QByteArray::number(receiver.connections()).constData());
    for (const RawReceiver::Request &request : receiver.requests())
        QCOMPARE(withoutTransportFields(request.headers), (http::HeaderList{{"X-Tag", "a"}, {"x-tag", "b"}, {"X-Empty", ""}}));
}

// Over HTTPS every phase happens: the members come in the order the phases
// do, and so do their times.
void tst_DeliveryCommands::shouldWriteTimingsInTheOrderTheyHappen()
{
    TlsReceiver tls;
    QString error;
    QVERIFY2(tls.setUp(&error), qPrintable(error));
    const QString fingerprint = QString::fromLatin1(tls.certificate().digest(QCryptographicHash::Sha256).toHex());
    const Run result = run({QStringLiteral("send"), QStringLiteral("user"), QStringLiteral("honor_changed"), QStringLiteral("--to"),
                            tls.url(QStringLiteral("https"), QStringLiteral("localhost")).toString(), QStringLiteral("--trust-cert"),
                            fingerprint, QStringLiteral("--json")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QByteArray line = result.out.trimmed();
    const qsizetype at = line.indexOf("\"timings\":{");
    QVERIFY2(at >= 0, line.constData());
    const QByteArray timings = line.mid(at + 10, line.indexOf('}', at) - at - 9);
    const QRegularExpression shape(QStringLiteral(R"(^\{"dns_us":(\d+),"connect_us":(\d+),"tls_us":(\d+),"first_byte_us":(\d+),"total_us":(\d+)\}$)"));
    const QRegularExpressionMatch match = shape.match(QString::fromLatin1(timings));
    QVERIFY2(match.hasMatch(), timings.constData());
    for (int phase = 2; phase <= 5; ++phase)
        QVERIFY2(match.captured(phase).toLongLong() >= match.captured(phase - 1).toLongLong(), timings.constData());
    QCOMPARE(tls.requests().size(), 1);
}

void tst_DeliveryCommands::shouldSendAsJson()
{
    const Run result = run({QStringLiteral("send"), QStringLiteral("user"), QStringLiteral("honor_changed"), QStringLiteral("--to"),
                            m_listener->url().toString(), QStringLiteral("--json")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QJsonObject object = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(object.value(u"status").toInt(), 200);
    QVERIFY(object.value(u"body").toString().startsWith(u"{\"id\":"));
    QVERIFY(object.value(u"timings").toObject().value(u"total_us").toInteger() > 0);

    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        port = probe.serverPort();
    }
    const Run refused = run({QStringLiteral("send"), QStringLiteral("user"), QStringLiteral("honor_changed"), QStringLiteral("--to"),
                             QStringLiteral("http://127.0.0.1:%1/").arg(port), QStringLiteral("--json")});
    QCOMPARE(refused.exitCode, 2);
    const QJsonObject failed = QJsonDocument::fromJson(refused.out).object();
    QVERIFY(failed.value(u"status").isNull());
    QCOMPARE(failed.value(u"error").toString(), QStringLiteral("connection refused"));
}

void tst_DeliveryCommands::shouldListEvents()
{
    const Run result = run({QStringLiteral("events")});
    QCOMPARE(result.exitCode, 0);
    const QString text = QString::fromUtf8(result.out);
    for (const char *expected : {"codewars (Codewars)", "github (GitHub)", "code_challenge", "solution_finalized", "honor_changed",
                                 "webhook", "ping", "approved", "alias of approve_successful [later]", "rank_earned",
                                 "Someone submitted a solution to the code challenge"})
        QVERIFY2(text.contains(QLatin1StringView(expected)), expected);
}

void tst_DeliveryCommands::shouldListEventsAsJson()
{
    const Run result = run({QStringLiteral("events"), QStringLiteral("--json")});
    QCOMPARE(result.exitCode, 0);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(result.out, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    const QJsonArray providers = document.object().value(u"providers").toArray();
    QStringList ids;
    QJsonObject codewars;
    for (const QJsonValue &provider : providers) {
        ids.append(provider.toObject().value(u"id").toString());
        if (ids.constLast() == u"codewars")
            codewars = provider.toObject();
    }
    QCOMPARE(ids, (QStringList{QStringLiteral("codewars"), QStringLiteral("github"), QStringLiteral("standard-webhooks")}));
    QCOMPARE(codewars.value(u"event_header").toString(), QStringLiteral("X-Webhook-Event"));
    int actions = 0;
    bool foundAlias = false;
    for (const QJsonValue &event : codewars.value(u"events").toArray()) {
        for (const QJsonValue &action : event.toObject().value(u"actions").toArray()) {
            ++actions;
            QVERIFY(!action.toObject().value(u"description").toString().isEmpty());
            for (const QJsonValue &alias : action.toObject().value(u"aliases").toArray()) {
                if (alias.toObject().value(u"name").toString() == u"rank_earned") {
                    foundAlias = true;
                    QCOMPARE(action.toObject().value(u"name").toString(), QStringLiteral("rank_upgraded"));
                    QCOMPARE(alias.toObject().value(u"revision").toString(), QStringLiteral("later"));
                }
            }
        }
    }
    QCOMPARE(actions, 7);
    QVERIFY(foundAlias);
}

void tst_DeliveryCommands::shouldForwardFromTheListenCommand()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setAnswer(200, "OK", {}, "forwarded fine");
    const QString store = m_dir->filePath(QStringLiteral("forward.sqlite"));
    QProcess listen;
    const QUrl url = clitest::startListener(listen, {QStringLiteral("--db"), store, QStringLiteral("--forward-to"),
                                                     receiver.url(QStringLiteral("/app/hooks")).toString()});
    QVERIFY2(url.isValid() && !url.isEmpty(), listen.readAllStandardError().constData());

    Sender client;
    Draft draft;
    draft.url = url.resolved(QUrl(QStringLiteral("/incoming")));
    draft.headers = {{"User-Agent", "Codewars Hookbot"}, {"X-Webhook-Event", "user"}};
    draft.body = "forward me";
    const Delivery answer = client.sendAndWait(draft);
    QCOMPARE(answer.status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(receiver.requests().size(), 1, 10000);
    QCOMPARE(receiver.requests().at(0).requestLine, QByteArray("POST /app/hooks HTTP/1.1"));
    QCOMPARE(receiver.requests().at(0).body, QByteArray("forward me"));
    QCOMPARE(http::valueOf(receiver.requests().at(0).headers, "X-Webhook-Event"), QByteArray("user"));

    // The result lands in the store: forward status and a delivery under the hook.
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
        HookStore reader;
        if (!reader.open(store, HookStore::Mode::ReadOnly))
            return false;
        int status = -1;
        reader.forEachRow({}, [&](const HookRow &row) {
            status = row.forwardStatus;
            return false;
        });
        return status == 200;
    }()), 10000);

    listen.terminate();
    QVERIFY(listen.waitForFinished(15000));
    QCOMPARE(listen.exitCode(), 0);
    const QByteArray err = listen.readAllStandardError();
    QVERIFY2(err.contains(QByteArray("forwarded to " + receiver.url(QStringLiteral("/app/hooks")).toEncoded() + ": 200")), err.constData());
    // The last line sums the forwards up.
    QVERIFY2(err.trimmed().endsWith(QByteArray("forwarded to " + receiver.url(QStringLiteral("/app/hooks")).toEncoded()
                                               + ": 1 answered (1 with 2xx), 0 failed, 0 not forwarded")),
             err.constData());

    HookStore reader;
    QVERIFY(reader.open(store, HookStore::Mode::ReadOnly));
    const QList<Delivery> deliveries = reader.deliveries(1);
    QCOMPARE(deliveries.size(), 1);
    QCOMPARE(deliveries.at(0).kind, Delivery::Kind::Forward);
    QCOMPARE(deliveries.at(0).responseBody, QByteArray("forwarded fine"));
}

void tst_DeliveryCommands::shouldRefuseForwardingToItself()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        port = probe.serverPort();
    }
    const Run result = run({QStringLiteral("listen"), QStringLiteral("--port"), QString::number(port), QStringLiteral("--db"),
                            m_dir->filePath(QStringLiteral("self.sqlite")), QStringLiteral("--forward-to"),
                            QStringLiteral("http://localhost:%1/x").arg(port)});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("is this listener"), result.err.constData());
}

QTEST_GUILESS_MAIN(tst_DeliveryCommands)
#include "tst_deliverycommands.moc"
