#include "delivery/replay.h"

#include "catalog/catalog.h"
#include "catalog/signature.h"
#include "testhelpers.h"

#include <QDateTime>
#include <QMessageAuthenticationCode>
#include <QTest>
#include <QUuid>

class tst_Replay : public QObject
{
    Q_OBJECT

private slots:
    void shouldJoinPathAndQuery_data();
    void shouldJoinPathAndQuery();
    void shouldDropHopByHopHeadersAndKeepOrder();
    void shouldDropHeadersNamedInConnection();
    void shouldKeepMethodAndBodyBytes_data();
    void shouldKeepMethodAndBodyBytes();
    void shouldRefreshDeliveryIdOnlyWhenAsked();
    void shouldResignGitHubSignatureOverBody();
    void shouldSetCodewarsSecret();
    void shouldResignAStandardWebhookWithTheTimeNow();
    void shouldAddTheProvidersCredentialWhenNoneIsPresent();
    void shouldResignAfterTheBodyWasEdited();
};

void tst_Replay::shouldJoinPathAndQuery_data()
{
    QTest::addColumn<QByteArray>("requestTarget");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("expected");

    QTest::newRow("root target takes the hook's path and query")
        << QByteArray("/hooks/codewars?x=1&y=2") << "http://localhost:3000/" << "http://localhost:3000/hooks/codewars?x=1&y=2";
    QTest::newRow("target without a path")
        << QByteArray("/hooks") << "http://localhost:3000" << "http://localhost:3000/hooks";
    QTest::newRow("target with a path of its own keeps it")
        << QByteArray("/hooks?x=1") << "http://localhost:3000/api/webhook" << "http://localhost:3000/api/webhook";
    QTest::newRow("target path and query of its own are kept")
        << QByteArray("/hooks?x=1") << "http://localhost:3000/in?token=abc" << "http://localhost:3000/in?token=abc";
    QTest::newRow("both queries: the target's first")
        << QByteArray("/hooks?x=1") << "http://localhost:3000/?token=abc" << "http://localhost:3000/hooks?token=abc&x=1";
    QTest::newRow("hook root path")
        << QByteArray("/") << "https://example.com" << "https://example.com/";
    QTest::newRow("empty hook query is kept")
        << QByteArray("/hooks?") << "http://h:1/" << "http://h:1/hooks?";
    QTest::newRow("escapes stay as received")
        << QByteArray("/a%2Fb/c%20d?q=%26%3D&r=a+b") << "http://h:1/" << "http://h:1/a%2Fb/c%20d?q=%26%3D&r=a+b";
    QTest::newRow("raw bytes that need escaping are escaped once")
        << QByteArray("/caf\xc3\xa9?n=\"x\"") << "http://h:1/" << "http://h:1/caf%C3%A9?n=%22x%22";
    QTest::newRow("absolute-form request-target")
        << QByteArray("http://proxy.example/hooks?x=1") << "http://h:1/" << "http://h:1/hooks?x=1";
    QTest::newRow("absolute-form without a path")
        << QByteArray("http://proxy.example?x=1") << "http://h:1/" << "http://h:1/?x=1";
    QTest::newRow("asterisk-form has no path")
        << QByteArray("*") << "http://h:1/" << "http://h:1/";
}

void tst_Replay::shouldJoinPathAndQuery()
{
    QFETCH(QByteArray, requestTarget);
    QFETCH(QString, target);
    QFETCH(QString, expected);

    Hook hook = testhelpers::makeHook();
    hook.target = requestTarget;
    const Draft draft = replayDraft(hook, QUrl(target));
    QCOMPARE(draft.url.toString(QUrl::FullyEncoded), expected);
    QCOMPARE(replayUrl(requestTarget, QUrl(target)).toString(QUrl::FullyEncoded), expected);
}

void tst_Replay::shouldDropHopByHopHeadersAndKeepOrder()
{
    Hook hook = testhelpers::makeHook();
    hook.headers = {{"Host", "example.com"},
                    {"user-agent", "Codewars Hookbot"},
                    {"Connection", "keep-alive"},
                    {"Content-Type", "application/json"},
                    {"Keep-Alive", "timeout=5"},
                    {"X-Dup", "1"},
                    {"Transfer-Encoding", "chunked"},
                    {"TE", "trailers"},
                    {"Trailer", "X-Checksum"},
                    {"Upgrade", "h2c"},
                    {"Proxy-Connection", "keep-alive"},
                    {"content-length", "10"},
                    {"X-Dup", "2"},
                    {"X-Webhook-Event", "user"}};
    const Draft draft = replayDraft(hook, QUrl(QStringLiteral("http://127.0.0.1:1/")));
    const http::HeaderList expected = {{"user-agent", "Codewars Hookbot"},
                                       {"Content-Type", "application/json"},
                                       {"X-Dup", "1"},
                                       {"X-Dup", "2"},
                                       {"X-Webhook-Event", "user"}};
    QCOMPARE(draft.headers, expected);
    QVERIFY(draft.validate(nullptr));
}

void tst_Replay::shouldDropHeadersNamedInConnection()
{
    Hook hook = testhelpers::makeHook();
    hook.headers = {{"Connection", "close, X-Hop"}, {"x-hop", "1"}, {"X-Keep", "2"}, {"Connection", "x-other"}, {"X-Other", "3"}};
    const Draft draft = replayDraft(hook, QUrl(QStringLiteral("http://127.0.0.1:1/")));
    const http::HeaderList expected = {{"X-Keep", "2"}};
    QCOMPARE(draft.headers, expected);
    QVERIFY(isHopByHop("X-HOP", hook.headers));
    QVERIFY(!isHopByHop("X-Keep", hook.headers));
}

void tst_Replay::shouldKeepMethodAndBodyBytes_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("JSON") << QByteArray("POST") << QByteArray(R"({"action":"created"})");
    QTest::newRow("binary with NUL and invalid UTF-8") << QByteArray("PUT") << QByteArray("\x00\xff\xfe{\xc3(\x00\r\n\x80", 11);
    QTest::newRow("empty body") << QByteArray("DELETE") << QByteArray();
    QTest::newRow("extension method") << QByteArray("PURGE") << QByteArray("x");
}

void tst_Replay::shouldKeepMethodAndBodyBytes()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, body);

    Hook hook = testhelpers::makeHook("code_challenge", body);
    hook.method = method;
    const Draft draft = replayDraft(hook, QUrl(QStringLiteral("http://127.0.0.1:1/")));
    QCOMPARE(draft.method, method);
    QCOMPARE(draft.body, body);
    QCOMPARE(draft.body.size(), body.size());
}

void tst_Replay::shouldRefreshDeliveryIdOnlyWhenAsked()
{
    Hook hook = testhelpers::makeHook();
    const QByteArray original = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
    hook.headers = {{"X-GitHub-Event", "ping"}, {"X-GitHub-Delivery", original}, {"X-Last", "1"}};
    const QUrl target(QStringLiteral("http://127.0.0.1:1/"));

    QCOMPARE(http::valueOf(replayDraft(hook, target).headers, "X-GitHub-Delivery"), original);

    ReplayOptions options;
    options.refreshDeliveryId = true;
    QCOMPARE(http::valueOf(replayDraft(hook, target, options).headers, "X-GitHub-Delivery"), original);   // no header named
    options.deliveryIdHeader = "X-GitHub-Delivery";
    const Draft draft = replayDraft(hook, target, options);
    const QByteArray fresh = http::valueOf(draft.headers, "X-GitHub-Delivery");
    QVERIFY(fresh != original);
    QVERIFY(!QUuid::fromString(QLatin1StringView(fresh)).isNull());
    QCOMPARE(fresh.size(), 36);
    QCOMPARE(draft.headers.at(1).name, QByteArray("X-GitHub-Delivery"));   // same place
    QCOMPARE(draft.headers.size(), 3);

    // A hook without the header does not get one.
    Hook codewars = testhelpers::makeHook();
    QVERIFY(!http::contains(replayDraft(codewars, target, options).headers, "X-GitHub-Delivery"));

    // Another provider's header, spelled as the hook had it.
    Hook acme = testhelpers::makeHook();
    acme.headers = {{"x-acme-delivery", "1"}, {"X-Acme-Event", "order"}};
    options.deliveryIdHeader = "X-Acme-Delivery";
    const Draft acmeDraft = replayDraft(acme, target, options);
    QCOMPARE(acmeDraft.headers.at(0).name, QByteArray("x-acme-delivery"));
    QVERIFY(!QUuid::fromString(QLatin1StringView(acmeDraft.headers.at(0).value)).isNull());
}

void tst_Replay::shouldResignGitHubSignatureOverBody()
{
    Hook hook = testhelpers::makeHook("ping", R"({"zen":"Keep it logically awesome."})");
    hook.headers = {{"X-GitHub-Event", "ping"}, {"X-Hub-Signature", "sha1=00"}, {"X-Hub-Signature-256", "sha256=00"}, {"X-Last", "1"}};
    ReplayOptions options;
    options.resignSecret = "It's a Secret to Everybody";
    const Draft draft = replayDraft(hook, QUrl(QStringLiteral("http://127.0.0.1:1/")), options);

    const QByteArray expected256 = "sha256=" + QMessageAuthenticationCode::hash(hook.body, options.resignSecret, QCryptographicHash::Sha256).toHex();
    const QByteArray expected1 = "sha1=" + QMessageAuthenticationCode::hash(hook.body, options.resignSecret, QCryptographicHash::Sha1).toHex();
    const http::HeaderList expected = {{"X-GitHub-Event", "ping"}, {"X-Hub-Signature", expected1}, {"X-Hub-Signature-256", expected256}, {"X-Last", "1"}};
    QCOMPARE(draft.headers, expected);
    QCOMPARE(catalog::signatureVerdict(draft.headers, draft.body, options.resignSecret), catalog::Verdict::Valid);
}

void tst_Replay::shouldResignAStandardWebhookWithTheTimeNow()
{
    // The specification's test vector, long outside the tolerance.
    Hook hook = testhelpers::makeHook("", R"({"test": 2432232314})");
    hook.headers = {{"webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"}, {"webhook-timestamp", "1614265330"},
                    {"webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}};
    const QByteArray secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const QUrl target(QStringLiteral("http://127.0.0.1:1/"));
    QCOMPARE(catalog::signatureVerdict(hook.headers, hook.body, secret), catalog::Verdict::OutsideTolerance);

    // Without a secret a replay keeps every header, webhook-id too: it is signed.
    ReplayOptions options;
    options.refreshDeliveryId = true;
    QCOMPARE(replayDraft(hook, target, options).headers, hook.headers);

    options.resignSecret = secret;
    const Draft draft = replayDraft(hook, target, options);
    QCOMPARE(catalog::signatureVerdict(draft.headers, draft.body, secret), catalog::Verdict::Valid);
    QVERIFY(http::valueOf(draft.headers, "webhook-id") != "msg_p5jXN8AQM9LWM0D4loKWxJek");
    QVERIFY(http::valueOf(draft.headers, "webhook-id").startsWith("msg_"));
    QVERIFY(qAbs(http::valueOf(draft.headers, "webhook-timestamp").toLongLong() - QDateTime::currentSecsSinceEpoch()) < 60);

    options.refreshDeliveryId = false;
    const Draft same = replayDraft(hook, target, options);
    QCOMPARE(http::valueOf(same.headers, "webhook-id"), QByteArray("msg_p5jXN8AQM9LWM0D4loKWxJek"));
    QCOMPARE(catalog::signatureVerdict(same.headers, same.body, secret), catalog::Verdict::Valid);
}

void tst_Replay::shouldSetCodewarsSecret()
{
    Hook hook = testhelpers::makeHook();
    hook.headers = {{"User-Agent", "Codewars Hookbot"}, {"X-Webhook-Event", "user"}, {"X-Webhook-Secret", "old"}, {"X-Last", "1"}};
    ReplayOptions options;
    options.resignSecret = "new-secret";
    const Draft draft = replayDraft(hook, QUrl(QStringLiteral("http://127.0.0.1:1/")), options);
    const http::HeaderList expected = {{"User-Agent", "Codewars Hookbot"}, {"X-Webhook-Event", "user"}, {"X-Webhook-Secret", "new-secret"}, {"X-Last", "1"}};
    QCOMPARE(draft.headers, expected);
    QCOMPARE(catalog::secretVerdict(draft.headers, options.resignSecret), catalog::Verdict::Valid);
}

void tst_Replay::shouldAddTheProvidersCredentialWhenNoneIsPresent()
{
    const QUrl target(QStringLiteral("http://127.0.0.1:1/"));
    ReplayOptions options;
    options.resignSecret = "s3";

    Hook codewars = testhelpers::makeHook();   // no X-Webhook-Secret
    const Draft cw = replayDraft(codewars, target, options);
    QCOMPARE(cw.headers.constLast(), (http::HeaderField{"X-Webhook-Secret", "s3"}));
    QVERIFY(!http::contains(cw.headers, "X-Hub-Signature-256"));

    Hook github = testhelpers::makeHook();
    github.headers = {{"X-GitHub-Event", "ping"}};
    const Draft gh = replayDraft(github, target, options);
    QCOMPARE(gh.headers.constLast(), (http::HeaderField{"X-Hub-Signature-256", catalog::signatureFor(github.body, "s3")}));
    QVERIFY(!http::contains(gh.headers, "X-Webhook-Secret"));
}

void tst_Replay::shouldResignAfterTheBodyWasEdited()
{
    Hook hook = testhelpers::makeHook();
    hook.headers = {{"X-GitHub-Event", "push"}, {"X-Hub-Signature-256", "sha256=stale"}};
    Draft draft = replayDraft(hook, QUrl(QStringLiteral("http://127.0.0.1:1/")));
    QCOMPARE(http::valueOf(draft.headers, "X-Hub-Signature-256"), QByteArray("sha256=stale"));   // untouched without a secret
    draft.body = R"({"edited":true})";
    resignDraft(&draft, "key");
    QCOMPARE(http::valueOf(draft.headers, "X-Hub-Signature-256"), catalog::signatureFor(draft.body, "key"));
    QCOMPARE(draft.headers.size(), 2);
}

QTEST_GUILESS_MAIN(tst_Replay)
#include "tst_replay.moc"
