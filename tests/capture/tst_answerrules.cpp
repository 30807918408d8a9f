#include "capture/answerrules.h"
#include "capture/hookstore.h"
#include "capture/listener.h"
#include "catalog/catalog.h"
#include "../testhelpers.h"

#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using testhelpers::postRequest;
using testhelpers::readAnswer;

class tst_AnswerRules : public QObject
{
    Q_OBJECT

private slots:
    void shouldRefuseMalformedRules_data();
    void shouldRefuseMalformedRules();
    void shouldRoundTripRulesAsJson();
    void shouldMatchEachKind_data();
    void shouldMatchEachKind();
    void shouldAnswerByTheFirstRuleThatApplies();
    void shouldPassOverRulesWhoseTimesAreUsed();
    void shouldRecordTheRuleWithTheStoredHook();
    void shouldKeepRequireSecretBeforeRules();
    void shouldLoadFilesNamingThemInErrors();

private:
    // Starts a listener with these rules over a store in a temporary folder.
    bool startListener(const QByteArray &rulesJson, ListenerConfig config = {});
    testhelpers::Answer post(const QByteArray &request);

    QTemporaryDir m_dir;
    std::unique_ptr<Listener> m_listener;
};

bool tst_AnswerRules::startListener(const QByteArray &rulesJson, ListenerConfig config)
{
    QString error;
    const std::optional<AnswerRules> rules = AnswerRules::parse(rulesJson, &error);
    if (!rules) {
        qWarning() << error;
        return false;
    }
    config.rules = *rules;
    m_listener = std::make_unique<Listener>(catalog::Catalog::builtin());
    if (!m_listener->start(config, m_dir.filePath(QStringLiteral("hooks-%1.sqlite").arg(QLatin1String(QTest::currentTestFunction()))))) {
        qWarning() << m_listener->errorString();
        return false;
    }
    return true;
}

testhelpers::Answer tst_AnswerRules::post(const QByteArray &request)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_listener->port());
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(request);
    QByteArray pending;
    return readAnswer(socket, pending);
}

namespace {

QByteArray codewars(const QByteArray &event, const QByteArray &action, const QByteArray &target = "/hooks",
                    const QByteArray &extraHeaders = {})
{
    const QByteArray body = "{\"action\":\"" + action + "\",\"user\":{\"id\":\"5c5a9b6f1a2b3c4d5e6f7a8b\"}}";
    return postRequest(target, body, "X-Webhook-Event: " + event + "\r\nContent-Type: application/json\r\n" + extraHeaders);
}

} // namespace

void tst_AnswerRules::shouldRefuseMalformedRules_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");   // the start of the message

    QTest::newRow("not JSON") << QByteArray("[{") << QStringLiteral("not JSON:");
    QTest::newRow("not an array") << QByteArray(R"({"match":{}})") << QStringLiteral("expected an array of rules");
    QTest::newRow("rule not an object") << QByteArray(R"([{}, 3])") << QStringLiteral("/1: expected a rule object, got a number");
    QTest::newRow("unknown rule key") << QByteArray(R"([{"mach":{}}])") << QStringLiteral("/0/mach: unknown key");
    QTest::newRow("unknown match key") << QByteArray(R"([{}, {"match":{"paht":"/x"}}])")
                                       << QStringLiteral("/1/match/paht: unknown match key");
    QTest::newRow("match value not a string") << QByteArray(R"([{"match":{"event":3}}])")
                                              << QStringLiteral("/0/match/event: expected a string, got a number");
    QTest::newRow("times zero") << QByteArray(R"([{"times":0}])") << QStringLiteral("/0/times: expected a whole number of at least 1");
    QTest::newRow("times fraction") << QByteArray(R"([{"times":1.5}])") << QStringLiteral("/0/times: expected a whole number");
    QTest::newRow("status out of range") << QByteArray(R"([{"answer":{"status":99}}])")
                                         << QStringLiteral("/0/answer/status: expected a status from 200 to 599, got 99");
    QTest::newRow("status as text") << QByteArray(R"([{"answer":{"status":"503"}}])")
                                    << QStringLiteral("/0/answer/status: expected a status from 200 to 599, got \"503\"");
    QTest::newRow("negative delay") << QByteArray(R"([{"answer":{"delay_ms":-5}}])") << QStringLiteral("/0/answer/delay_ms: expected milliseconds");
    QTest::newRow("unknown answer key") << QByteArray(R"([{"answer":{"code":503}}])") << QStringLiteral("/0/answer/code: unknown answer key");
    QTest::newRow("header not a pair") << QByteArray(R"([{"answer":{"headers":[["Retry-After"]]}}])")
                                       << QStringLiteral("/0/answer/headers/0: expected a [name, value] pair");
    QTest::newRow("header name with a space") << QByteArray(R"([{"answer":{"headers":[["Retry After","5"]]}}])")
                                              << QStringLiteral("/0/answer/headers/0: \"Retry After\" is not a header name");
    QTest::newRow("framing header") << QByteArray(R"([{"answer":{"headers":[["content-length","5"]]}}])")
                                    << QStringLiteral("/0/answer/headers/0: Content-Length is set by the listener");
    QTest::newRow("line break in a value") << QByteArray(R"([{"answer":{"headers":[["X-A","1\r\nX-B: 2"]]}}])")
                                           << QStringLiteral("/0/answer/headers/0: a header value cannot hold a line break");
    QTest::newRow("match header without a name") << QByteArray(R"([{"match":{"header":": x"}}])")
                                                 << QStringLiteral("/0/match/header: expected \"Name\" or \"Name: value\"");
    QTest::newRow("path without a slash") << QByteArray(R"([{"match":{"path":"slow"}}])")
                                          << QStringLiteral("/0/match/path: expected a path starting with /");
    QTest::newRow("method with a space") << QByteArray(R"([{"match":{"method":"PO ST"}}])")
                                         << QStringLiteral("/0/match/method: \"PO ST\" is not a method");
}

void tst_AnswerRules::shouldRefuseMalformedRules()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QString message;
    QVERIFY(!AnswerRules::parse(json, &message));
    QVERIFY2(message.startsWith(error), qPrintable(message));
}

void tst_AnswerRules::shouldRoundTripRulesAsJson()
{
    const QByteArray json = R"([
        {"name": "honors fail twice", "match": {"event": "user", "action": "honor_changed"},
         "answer": {"status": 503, "body": "busy"}, "times": 2},
        {"match": {"path": "/slow*", "method": "POST"}, "answer": {"status": 200, "delay_ms": 3000}},
        {"match": {"header": "X-Webhook-Secret: wrong"}, "answer": {"status": 401, "headers": [["Retry-After", "5"]],
         "body": {"error": "bad secret"}}},
        {"match": {"header": "X-Trace", "provider": "github"}, "answer": {"status": 202}}
    ])";
    QString error;
    const std::optional<AnswerRules> rules = AnswerRules::parse(json, &error);
    QVERIFY2(rules, qPrintable(error));
    QCOMPARE(rules->rules().size(), 4);
    const AnswerRule &first = rules->rules().at(0);
    QCOMPARE(first.label(0), QStringLiteral("honors fail twice"));
    QCOMPARE(first.times, 2);
    QCOMPARE(first.body, QByteArray("busy"));
    QCOMPARE(rules->rules().at(1).label(1), QStringLiteral("rule 2"));
    QCOMPARE(rules->rules().at(1).delayMs, 3000);
    QCOMPARE(rules->rules().at(2).headerValue, QByteArray("wrong"));
    QCOMPARE(rules->rules().at(2).body, QByteArray(R"({"error":"bad secret"})"));
    QCOMPARE(rules->rules().at(3).headerValue, std::nullopt);
    QCOMPARE(rules->rules().at(0).summary(), QStringLiteral("event user, action honor_changed → 503 busy, 2 times"));

    const std::optional<AnswerRules> again = AnswerRules::parse(rules->toJson(), &error);
    QVERIFY2(again, qPrintable(error));
    QCOMPARE(again->rules(), rules->rules());
}

void tst_AnswerRules::shouldMatchEachKind_data()
{
    QTest::addColumn<QByteArray>("match");
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<bool>("matches");

    const QByteArray honor = codewars("user", "honor_changed");
    QTest::newRow("no parts: every hook") << QByteArray("{}") << honor << true;
    QTest::newRow("event") << QByteArray(R"({"event":"user"})") << honor << true;
    QTest::newRow("other event") << QByteArray(R"({"event":"code_challenge"})") << honor << false;
    QTest::newRow("action") << QByteArray(R"({"action":"honor_changed"})") << honor << true;
    QTest::newRow("provider") << QByteArray(R"({"provider":"codewars"})") << honor << true;
    QTest::newRow("other provider") << QByteArray(R"({"provider":"github"})") << honor << false;
    // Codewars' later docs say "approved" for what the first said "approve_successful".
    QTest::newRow("action by its alias, hook canonical")
        << QByteArray(R"({"action":"approved"})") << codewars("code_challenge", "approve_successful") << true;
    QTest::newRow("action canonical, hook by its alias")
        << QByteArray(R"({"action":"approve_successful"})") << codewars("code_challenge", "approved") << true;
    QTest::newRow("all parts must hold") << QByteArray(R"({"event":"user","action":"rank_earned"})") << honor << false;
    QTest::newRow("method") << QByteArray(R"({"method":"POST"})") << honor << true;
    QTest::newRow("other method") << QByteArray(R"({"method":"PUT"})") << honor << false;
    QTest::newRow("path exact") << QByteArray(R"({"path":"/hooks"})") << honor << true;
    QTest::newRow("path exact, query left aside") << QByteArray(R"({"path":"/hooks"})") << codewars("user", "x", "/hooks?a=1") << true;
    QTest::newRow("path not a prefix") << QByteArray(R"({"path":"/hook"})") << honor << false;
    QTest::newRow("path wildcard") << QByteArray(R"({"path":"/h*s"})") << honor << true;
    QTest::newRow("path wildcard across slashes") << QByteArray(R"({"path":"/api/*/slow"})") << codewars("user", "x", "/api/v1/x/slow") << true;
    QTest::newRow("path wildcard with query") << QByteArray(R"({"path":"/hooks?*fail*"})") << codewars("user", "x", "/hooks?mode=fail") << true;
    QTest::newRow("header present, any case") << QByteArray(R"({"header":"x-webhook-event"})") << honor << true;
    QTest::newRow("header absent") << QByteArray(R"({"header":"X-Webhook-Secret"})") << honor << false;
    QTest::newRow("header with value")
        << QByteArray(R"({"header":"X-Webhook-Secret: wrong"})") << codewars("user", "x", "/hooks", "X-Webhook-Secret: wrong\r\n") << true;
    QTest::newRow("header with other value")
        << QByteArray(R"({"header":"X-Webhook-Secret: wrong"})") << codewars("user", "x", "/hooks", "X-Webhook-Secret: right\r\n") << false;
}

void tst_AnswerRules::shouldMatchEachKind()
{
    QFETCH(QByteArray, match);
    QFETCH(QByteArray, request);
    QFETCH(bool, matches);
    QVERIFY(startListener(R"([{"name": "the rule", "match": )" + match + R"(, "answer": {"status": 299, "body": "ruled"}}])"));
    const testhelpers::Answer answer = post(request);
    QCOMPARE(answer.status, matches ? 299 : 200);
    QCOMPARE(answer.body == "ruled", matches);
}

void tst_AnswerRules::shouldAnswerByTheFirstRuleThatApplies()
{
    QVERIFY(startListener(R"([
        {"match": {"path": "/slow"}, "answer": {"status": 200, "delay_ms": 10}},
        {"match": {"event": "user"}, "answer": {"status": 503, "body": "busy", "headers": [["Retry-After", "5"], ["Content-Type", "text/x-busy"]]}},
        {"match": {"event": "user", "action": "honor_changed"}, "answer": {"status": 500}}
    ])"));
    const testhelpers::Answer busy = post(codewars("user", "honor_changed"));
    QCOMPARE(busy.status, 503);
    QCOMPARE(busy.body, QByteArray("busy"));
    QVERIFY2(busy.head.contains("\r\nRetry-After: 5\r\n"), busy.head.constData());
    // The rule's Content-Type replaces the listener's; the framing stays the listener's.
    QVERIFY2(busy.head.contains("\r\nContent-Type: text/x-busy\r\n"), busy.head.constData());
    QCOMPARE(busy.head.count("Content-Type"), 1);
    QVERIFY2(busy.head.contains("\r\nContent-Length: 4"), busy.head.constData());

    const testhelpers::Answer slow = post(codewars("user", "honor_changed", "/slow"));
    QCOMPARE(slow.status, 200);
    QVERIFY(testhelpers::answerId(slow.body) > 0);   // the listener's own body
    const testhelpers::Answer other = post(codewars("code_challenge", "created"));
    QCOMPARE(other.status, 200);
}

void tst_AnswerRules::shouldPassOverRulesWhoseTimesAreUsed()
{
    // As the issue's example: the first two honor changes fail, the third gets through.
    QVERIFY(startListener(R"([
        {"match": {"event": "user", "action": "honor_changed"}, "answer": {"status": 503, "body": "busy"}, "times": 2},
        {"match": {"event": "user"}, "answer": {"status": 202}, "times": 1}
    ])"));
    QCOMPARE(post(codewars("code_challenge", "created")).status, 200);   // matches neither, counts nothing
    QCOMPARE(post(codewars("user", "honor_changed")).status, 503);
    QCOMPARE(post(codewars("user", "honor_changed")).status, 503);
    QCOMPARE(post(codewars("user", "honor_changed")).status, 202);
    QCOMPARE(post(codewars("user", "honor_changed")).status, 200);

    // New rules start counting again.
    QString error;
    const std::optional<AnswerRules> rules = AnswerRules::parse(R"([{"answer": {"status": 500}, "times": 1}])", &error);
    QVERIFY(rules);
    m_listener->setRules(*rules);
    QCOMPARE(post(codewars("user", "honor_changed")).status, 500);
    QCOMPARE(post(codewars("user", "honor_changed")).status, 200);
}

void tst_AnswerRules::shouldRecordTheRuleWithTheStoredHook()
{
    QVERIFY(startListener(R"([{"name": "fail honors", "match": {"action": "honor_changed"}, "answer": {"status": 503}},
                              {"match": {"path": "/second"}, "answer": {"status": 201}}])"));
    const qint64 ruled = testhelpers::answerId(post(codewars("user", "honor_changed")).body);
    const qint64 second = testhelpers::answerId(post(codewars("user", "rank_earned", "/second")).body);
    const qint64 plain = testhelpers::answerId(post(codewars("user", "rank_earned")).body);
    QVERIFY(ruled > 0 && second > 0 && plain > 0);
    const QString path = m_listener->storePath();
    m_listener->stop();

    HookStore store;
    QVERIFY2(store.open(path, HookStore::Mode::ReadOnly), qPrintable(store.errorString()));
    QCOMPARE(store.hook(ruled)->answerRule, QStringLiteral("fail honors"));
    QCOMPARE(store.hook(ruled)->answer.status, 503);
    QCOMPARE(store.hook(second)->answerRule, QStringLiteral("rule 2"));
    QCOMPARE(store.hook(plain)->answerRule, QString());
    QStringList rows;
    QVERIFY(store.forEachRow({}, [&rows](const HookRow &row) {
        rows.append(row.answerRule);
        return true;
    }));
    QCOMPARE(rows, (QStringList{QStringLiteral("fail honors"), QStringLiteral("rule 2"), QString()}));
}

void tst_AnswerRules::shouldKeepRequireSecretBeforeRules()
{
    ListenerConfig config;
    config.secret = "s3cret";
    config.requireSecret = true;
    QVERIFY(startListener(R"([{"answer": {"status": 202}}])", config));
    QCOMPARE(post(codewars("user", "x")).status, 401);
    QCOMPARE(post(codewars("user", "x", "/hooks", "X-Webhook-Secret: s3cret\r\n")).status, 202);
}

void tst_AnswerRules::shouldLoadFilesNamingThemInErrors()
{
    const QString path = m_dir.filePath(QStringLiteral("rules.json"));
    QString error;
    QVERIFY(!AnswerRules::load(path, &error));
    QVERIFY2(error.startsWith(path + QStringLiteral(": ")), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"([{"match": {"event": "user"}}, {"times": 0}])");
    file.close();
    QVERIFY(!AnswerRules::load(path, &error));
    QVERIFY2(error.startsWith(path + QStringLiteral(": /1/times: ")), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_AnswerRules)
#include "tst_answerrules.moc"
