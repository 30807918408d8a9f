#include "catalog/catalog.h"
#include "catalog/orderedjson.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTest>

using namespace catalog;

namespace {

QByteArray specSample(const char *name)
{
    QFile file(QFINDTESTDATA(QStringLiteral("data/") + QString::fromLatin1(name)));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read test data %s", name);
    return file.readAll();
}

http::HeaderList codewarsHeaders(const QByteArray &event)
{
    return {{"User-Agent", "Codewars Hookbot"}, {"Content-Type", "application/json"}, {"X-Webhook-Event", event}};
}

const QByteArray CodeChallengeCreated = QByteArrayLiteral(
    R"({"action":"created","code_challenge":{"id":"50654ddff44f800200000001","created_by_id":"508f2708b3be0c0200000002"}})");

} // namespace

class tst_Inspection : public QObject
{
    Q_OBJECT

private slots:
    void shouldInspectSpecSamplesClean_data();
    void shouldInspectSpecSamplesClean();
    void shouldReportProblems_data();
    void shouldReportProblems();
    void shouldAcceptAliasesWithoutProblems_data();
    void shouldAcceptAliasesWithoutProblems();
    void shouldGiveSecretVerdicts_data();
    void shouldGiveSecretVerdicts();
    void shouldGiveSignatureVerdicts_data();
    void shouldGiveSignatureVerdicts();
    void shouldCheckBothGithubSignatures_data();
    void shouldCheckBothGithubSignatures();
    void shouldFindHeadersWhateverTheirCase();
    void shouldInspectGithubHooks();
    void shouldCapTheNumberOfProblems();
    void shouldBeFastEnoughForTheCapturePath();
};

void tst_Inspection::shouldInspectSpecSamplesClean_data()
{
    QTest::addColumn<QByteArray>("event");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("action");

    const QByteArray codeChallenge = specSample("spec-code-challenge.json");
    const QByteArray placeholder = QByteArrayLiteral("<action - i.e. 'created'>");
    QVERIFY(codeChallenge.contains(placeholder));

    QTest::newRow("structure sample: kata created") << QByteArray("code_challenge") << specSample("spec-structure-created.json")
                                                    << "created";
    QTest::newRow("webhook ping") << QByteArray("webhook") << specSample("spec-webhook-updated.json") << "updated";
    for (const char *action : {"created", "approve_successful", "voted"}) {
        QTest::addRow("kata sample, %s", action) << QByteArray("code_challenge")
                                                 << QByteArray(codeChallenge).replace(placeholder, action) << action;
    }
    // "The solution_finalized also includes the following json": the sample plus the solution member.
    QByteArray finalized = QByteArray(codeChallenge).replace(placeholder, "solution_finalized");
    const QByteArray addition = specSample("spec-solution-finalized-addition.json").trimmed();
    finalized = finalized.trimmed().chopped(1).trimmed() + ",\n  " + addition.sliced(1, addition.size() - 2).trimmed() + "\n}";
    QTest::newRow("kata sample, solution_finalized") << QByteArray("code_challenge") << finalized << "solution_finalized";
    QTest::newRow("user rank upgraded") << QByteArray("user") << specSample("spec-user-rank-upgraded.json") << "rank_upgraded";
    QTest::newRow("user honor upgraded") << QByteArray("user") << specSample("spec-user-honor-changed.json") << "honor_changed";
}

void tst_Inspection::shouldInspectSpecSamplesClean()
{
    QFETCH(QByteArray, event);
    QFETCH(QByteArray, body);
    QFETCH(QString, action);
    const Inspection inspection = Catalog::builtin().inspect(codewarsHeaders(event), body, {});
    QVERIFY2(inspection.problems.isEmpty(), qPrintable(inspection.problems.join(u'\n')));
    QCOMPARE(inspection.provider, QStringLiteral("codewars"));
    QCOMPARE(inspection.event, QString::fromLatin1(event));
    QCOMPARE(inspection.action, action);
    QCOMPARE(inspection.secret, Verdict::NotConfigured);
    // Codewars sends its secret in clear and signs nothing.
    QCOMPARE(inspection.signature, Verdict::NotUsed);
}

void tst_Inspection::shouldReportProblems_data()
{
    QTest::addColumn<http::HeaderList>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("event");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("expected");

    const QByteArray rank = specSample("spec-user-rank-upgraded.json");
    const QByteArray honor = specSample("spec-user-honor-changed.json");
    const QByteArray ping = specSample("spec-webhook-updated.json");
    const QByteArray kata = specSample("spec-code-challenge.json");

    QTest::newRow("no event header") << http::HeaderList{{"Content-Type", "application/json"}} << CodeChallengeCreated
                                     << "" << "" << "no event header";
    QTest::newRow("empty event header") << codewarsHeaders("") << CodeChallengeCreated << "" << ""
                                        << "X-Webhook-Event is empty";
    QTest::newRow("unknown event") << codewarsHeaders("kata") << CodeChallengeCreated << "kata" << ""
                                   << "event \"kata\" is not an event of Codewars";
    QTest::newRow("unknown action") << codewarsHeaders("code_challenge")
                                    << QByteArray(CodeChallengeCreated).replace("created\"", "deleted\"")
                                    << "code_challenge" << ""
                                    << "action \"deleted\" is not an action of event \"code_challenge\"";
    QTest::newRow("spec's action placeholder is no action")
        << codewarsHeaders("code_challenge") << kata << "code_challenge" << ""
        << "action \"<action - i.e. 'created'>\" is not an action of event \"code_challenge\"";
    QTest::newRow("action of another event") << codewarsHeaders("user") << QByteArray(R"({"action":"created","user":{}})")
                                             << "user" << "" << "action \"created\" is not an action of event \"user\"";
    QTest::newRow("action missing") << codewarsHeaders("webhook") << QByteArray(R"({"webhook":{"id":"53aa3f265b97485984000001"}})")
                                    << "webhook" << "" << "/action: missing";
    QTest::newRow("action not a string") << codewarsHeaders("webhook") << QByteArray(R"({"action":1})") << "webhook" << ""
                                         << "/action: expected a string, got 1";
    // The same words as the Body tab and the Composer use for the same text.
    QTest::newRow("body not JSON") << codewarsHeaders("webhook") << QByteArray("action=updated") << "webhook" << ""
                                   << "body is not JSON: unexpected character 'a' at offset 0";
    QTest::newRow("truncated JSON") << codewarsHeaders("webhook") << ping.chopped(3) << "webhook" << ""
                                    << u"body is not JSON: " + catalog::jsonSyntaxError(ping.chopped(3));
    QTest::newRow("trailing text") << codewarsHeaders("webhook") << QByteArray(R"({"action":"updated"} x)") << "webhook" << ""
                                   << "body is not JSON: unexpected text after the JSON value at offset 21";
    QTest::newRow("empty body") << codewarsHeaders("webhook") << QByteArray() << "webhook" << ""
                                << "body is empty, expected JSON";
    QTest::newRow("array body") << codewarsHeaders("webhook") << QByteArray("[1,2]") << "webhook" << ""
                                << "body: expected an object, got [1,2]";
    QTest::newRow("id not an ObjectId") << codewarsHeaders("code_challenge")
                                        << QByteArray(CodeChallengeCreated).replace("50654ddff44f800200000001", "xyz")
                                        << "code_challenge" << "created"
                                        << "/code_challenge/id: expected a 24-hex-digit ObjectId, got \"xyz\"";
    QTest::newRow("id a number") << codewarsHeaders("webhook") << QByteArray(R"({"action":"updated","webhook":{"id":42}})")
                                 << "webhook" << "updated" << "/webhook/id: expected a 24-hex-digit ObjectId, got 42";
    QTest::newRow("created_by_id missing") << codewarsHeaders("code_challenge")
                                           << QByteArray(R"({"action":"voted","code_challenge":{"id":"50654ddff44f800200000001"}})")
                                           << "code_challenge" << "voted" << "/code_challenge/created_by_id: missing";
    QTest::newRow("code_challenge not an object") << codewarsHeaders("code_challenge")
                                                  << QByteArray(R"({"action":"voted","code_challenge":"50654ddff44f800200000001"})")
                                                  << "code_challenge" << "voted"
                                                  << "/code_challenge: expected an object, got \"50654ddff44f800200000001\"";
    QTest::newRow("solution missing") << codewarsHeaders("code_challenge")
                                      << QByteArray(CodeChallengeCreated).replace("created\"", "solution_finalized\"")
                                      << "code_challenge" << "solution_finalized" << "/solution: missing";
    QTest::newRow("rank missing") << codewarsHeaders("user") << QByteArray(rank).replace("\"rank\": -5", "\"x\": 1")
                                  << "user" << "rank_upgraded" << "/user/rank: missing";
    QTest::newRow("rank zero") << codewarsHeaders("user") << QByteArray(rank).replace("-5", "0") << "user" << "rank_upgraded"
                               << "/user/rank: expected an integer in -8..-1 or 1..8, got 0";
    QTest::newRow("rank nine") << codewarsHeaders("user") << QByteArray(rank).replace("-5", "9") << "user" << "rank_upgraded"
                               << "/user/rank: expected an integer in -8..-1 or 1..8, got 9";
    QTest::newRow("rank a string") << codewarsHeaders("user") << QByteArray(rank).replace("-5", "\"-5\"") << "user"
                                   << "rank_upgraded" << "/user/rank: expected an integer in -8..-1 or 1..8, got \"-5\"";
    QTest::newRow("rank a fraction") << codewarsHeaders("user") << QByteArray(rank).replace("-5", "-4.5") << "user"
                                     << "rank_upgraded" << "/user/rank: expected an integer";
    QTest::newRow("language missing") << codewarsHeaders("user") << QByteArray(rank).replace(",\n  \"language\": null", "")
                                      << "user" << "rank_upgraded" << "/language: missing";
    QTest::newRow("language a number") << codewarsHeaders("user") << QByteArray(rank).replace("null", "3") << "user"
                                       << "rank_upgraded" << "/language: expected null or a language id";
    QTest::newRow("language capitalised") << codewarsHeaders("user") << QByteArray(rank).replace("null", "\"Python\"")
                                          << "user" << "rank_upgraded"
                                          << "/language: expected null or a language id (like \"python\"), got \"Python\"";
    QTest::newRow("honor a string") << codewarsHeaders("user") << QByteArray(honor).replace("420", "\"420\"") << "user"
                                    << "honor_changed" << "/user/honor: expected an integer, got \"420\"";
    QTest::newRow("honor_delta missing") << codewarsHeaders("user")
                                         << QByteArray(honor).replace(",\n    \"honor_delta\": 3", "") << "user"
                                         << "honor_changed" << "/user/honor_delta: missing";
    QTest::newRow("github push with a thin repository")
        << http::HeaderList{{"X-GitHub-Event", "push"}}
        << QByteArray(R"({"ref":"refs/heads/main","before":"0000000000000000000000000000000000000000",
                          "after":"1111111111111111111111111111111111111111",
                          "repository":{"id":1,"name":"r","full_name":"o/r"},"pusher":{"name":"octocat"}})")
        << "push" << "" << "/repository/archived: missing";
    QTest::newRow("github push with a commit that is not an object")
        << http::HeaderList{{"X-GitHub-Event", "push"}}
        << QByteArray(R"({"ref":"refs/heads/main","before":"0000000000000000000000000000000000000000",
                          "after":"1111111111111111111111111111111111111111",
                          "repository":{"id":1,"name":"r","full_name":"o/r"},"pusher":{"name":"octocat"},
                          "commits":["abc"]})")
        << "push" << "" << "/commits/0: expected an object, got \"abc\"";
    QTest::newRow("github unknown event") << http::HeaderList{{"X-GitHub-Event", "pull_requests"}} << QByteArray("{}")
                                          << "pull_requests" << "" << "event \"pull_requests\" is not an event of GitHub";
}

void tst_Inspection::shouldReportProblems()
{
    QFETCH(http::HeaderList, headers);
    QFETCH(QByteArray, body);
    QFETCH(QString, event);
    QFETCH(QString, action);
    QFETCH(QString, expected);
    const Inspection inspection = Catalog::builtin().inspect(headers, body, {});
    QCOMPARE(inspection.event, event);
    QCOMPARE(inspection.action, action);
    const bool found = std::any_of(inspection.problems.cbegin(), inspection.problems.cend(),
                                   [&](const QString &p) { return p.contains(expected); });
    QVERIFY2(found, qPrintable(u"expected \"" + expected + u"\" among:\n" + inspection.problems.join(u'\n')));
}

void tst_Inspection::shouldAcceptAliasesWithoutProblems_data()
{
    QTest::addColumn<QByteArray>("event");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("action");
    QTest::newRow("approved") << QByteArray("code_challenge")
                              << QByteArray(CodeChallengeCreated).replace("created\"", "approved\"") << "approve_successful";
    QTest::newRow("rank_earned") << QByteArray("user")
                                 << specSample("spec-user-rank-upgraded.json").replace("rank_upgraded", "rank_earned")
                                 << "rank_upgraded";
}

void tst_Inspection::shouldAcceptAliasesWithoutProblems()
{
    QFETCH(QByteArray, event);
    QFETCH(QByteArray, body);
    QFETCH(QString, action);
    const Inspection inspection = Catalog::builtin().inspect(codewarsHeaders(event), body, {});
    QCOMPARE(inspection.action, action);
    QCOMPARE(inspection.problems, QStringList());
}

void tst_Inspection::shouldGiveSecretVerdicts_data()
{
    QTest::addColumn<QByteArray>("configured");
    QTest::addColumn<QByteArray>("sent");   // null: no X-Webhook-Secret header
    QTest::addColumn<Verdict>("verdict");
    QTest::newRow("no secret configured, none sent") << QByteArray() << QByteArray() << Verdict::NotConfigured;
    QTest::newRow("no secret configured, one sent") << QByteArray() << QByteArray("abc") << Verdict::NotConfigured;
    QTest::newRow("configured, header absent") << QByteArray("some-shared-secret") << QByteArray() << Verdict::Missing;
    QTest::newRow("configured, right secret") << QByteArray("some-shared-secret") << QByteArray("some-shared-secret")
                                              << Verdict::Valid;
    QTest::newRow("configured, wrong secret") << QByteArray("some-shared-secret") << QByteArray("some-shared-secreT")
                                              << Verdict::Invalid;
    QTest::newRow("configured, prefix of the secret") << QByteArray("some-shared-secret") << QByteArray("some-shared")
                                                      << Verdict::Invalid;
    QTest::newRow("configured, longer than the secret") << QByteArray("some-shared-secret")
                                                        << QByteArray("some-shared-secret2") << Verdict::Invalid;
    QTest::newRow("configured, empty header") << QByteArray("some-shared-secret") << QByteArray("") << Verdict::Invalid;
}

void tst_Inspection::shouldGiveSecretVerdicts()
{
    QFETCH(QByteArray, configured);
    QFETCH(QByteArray, sent);
    QFETCH(Verdict, verdict);
    http::HeaderList headers = codewarsHeaders("code_challenge");
    if (!sent.isNull())
        headers.append(http::HeaderField{"X-Webhook-Secret", sent});
    const Inspection inspection = Catalog::builtin().inspect(headers, CodeChallengeCreated, configured);
    QCOMPARE(inspection.secret, verdict);
    QCOMPARE(inspection.authenticity(), verdict);
    QCOMPARE(secretVerdict(headers, configured), verdict);
    // Codewars signs nothing: its hooks' signature is "not used", whatever is configured.
    QCOMPARE(inspection.signature, Verdict::NotUsed);
    QCOMPARE(signatureVerdict(headers, CodeChallengeCreated, configured), configured.isEmpty() ? Verdict::NotConfigured : Verdict::Missing);
    QVERIFY(inspection.problems.isEmpty());
}

void tst_Inspection::shouldGiveSignatureVerdicts_data()
{
    QTest::addColumn<QByteArray>("configured");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("sent");
    QTest::addColumn<Verdict>("verdict");
    const QByteArray secret = QByteArrayLiteral("It's a Secret to Everybody");
    const QByteArray payload = QByteArrayLiteral("Hello, World!");
    const QByteArray published =
        QByteArrayLiteral("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    QTest::newRow("GitHub's published test vector") << secret << payload << published << Verdict::Valid;
    QTest::newRow("hex in upper case") << secret << payload << (QByteArray("sha256=") + published.sliced(7).toUpper())
                                       << Verdict::Valid;
    QTest::newRow("tampered body") << secret << QByteArray("Hello, World?") << published << Verdict::Invalid;
    QTest::newRow("other secret") << QByteArray("It's a secret to everybody") << payload << published << Verdict::Invalid;
    QTest::newRow("truncated signature") << secret << payload << published.chopped(2) << Verdict::Invalid;
    QTest::newRow("sha1 prefix") << secret << payload << (QByteArray("sha1=") + published.sliced(7)) << Verdict::Invalid;
    QTest::newRow("no signature header") << secret << payload << QByteArray() << Verdict::Missing;
    QTest::newRow("no secret configured") << QByteArray() << payload << published << Verdict::NotConfigured;
}

void tst_Inspection::shouldGiveSignatureVerdicts()
{
    QFETCH(QByteArray, configured);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, sent);
    QFETCH(Verdict, verdict);
    http::HeaderList headers{{"X-GitHub-Event", "ping"}, {"Content-Type", "application/json"}};
    if (!sent.isNull())
        headers.append(http::HeaderField{"X-Hub-Signature-256", sent});
    const Inspection inspection = Catalog::builtin().inspect(headers, body, configured);
    QCOMPARE(inspection.provider, QStringLiteral("github"));
    QCOMPARE(inspection.signature, verdict);
    QCOMPARE(inspection.authenticity(), verdict);
    QCOMPARE(signatureVerdict(headers, body, configured), verdict);
}

void tst_Inspection::shouldCheckBothGithubSignatures_data()
{
    QTest::addColumn<QByteArray>("sha1");     // X-Hub-Signature, null: absent
    QTest::addColumn<QByteArray>("sha256");   // X-Hub-Signature-256, null: absent
    QTest::addColumn<Verdict>("verdict");
    QTest::addColumn<QString>("problem");
    // Both from GitHub's published example (secret and payload), the SHA-1 one computed apart.
    const QByteArray sha1 = QByteArrayLiteral("sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59");
    const QByteArray sha256 = QByteArrayLiteral("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    const QByteArray wrong1 = QByteArrayLiteral("sha1=0000000000000000000000000000000000000000");
    const QByteArray wrong256 = QByteArrayLiteral("sha256=00");
    QTest::newRow("both right") << sha1 << sha256 << Verdict::Valid << QString();
    QTest::newRow("only SHA-1, right") << sha1 << QByteArray() << Verdict::Valid << QString();
    QTest::newRow("only SHA-1, wrong") << wrong1 << QByteArray() << Verdict::Invalid << QString();
    QTest::newRow("SHA-1 wrong beside a right SHA-256")
        << wrong1 << sha256 << Verdict::Invalid << QStringLiteral("X-Hub-Signature does not match the body while X-Hub-Signature-256 does");
    QTest::newRow("SHA-256 wrong beside a right SHA-1")
        << sha1 << wrong256 << Verdict::Invalid << QStringLiteral("X-Hub-Signature-256 does not match the body while X-Hub-Signature does");
    QTest::newRow("both wrong") << wrong1 << wrong256 << Verdict::Invalid << QString();
}

void tst_Inspection::shouldCheckBothGithubSignatures()
{
    QFETCH(QByteArray, sha1);
    QFETCH(QByteArray, sha256);
    QFETCH(Verdict, verdict);
    QFETCH(QString, problem);
    http::HeaderList headers{{"X-GitHub-Event", "ping"}};
    if (!sha1.isNull())
        headers.append(http::HeaderField{"X-Hub-Signature", sha1});
    if (!sha256.isNull())
        headers.append(http::HeaderField{"X-Hub-Signature-256", sha256});
    const QByteArray secret = QByteArrayLiteral("It's a Secret to Everybody");
    const Inspection inspection = Catalog::builtin().inspect(headers, "Hello, World!", secret);
    QCOMPARE(inspection.signature, verdict);
    QCOMPARE(inspection.problems.contains(problem), !problem.isEmpty());
}

void tst_Inspection::shouldFindHeadersWhateverTheirCase()
{
    const http::HeaderList headers{{"x-webhook-event", "code_challenge"}, {"X-WEBHOOK-SECRET", "k"}};
    const Inspection inspection = Catalog::builtin().inspect(headers, CodeChallengeCreated, QByteArrayLiteral("k"));
    QCOMPARE(inspection.provider, QStringLiteral("codewars"));
    QCOMPARE(inspection.action, QStringLiteral("created"));
    QCOMPARE(inspection.secret, Verdict::Valid);
    QVERIFY(inspection.problems.isEmpty());
}

void tst_Inspection::shouldInspectGithubHooks()
{
    const Catalog catalog = Catalog::builtin();
    const QByteArray secret = QByteArrayLiteral("k");
    const Composed composed = *catalog.compose(QStringLiteral("github"), QStringLiteral("issues"),
                                               QStringLiteral("closed"), secret, nullptr);
    Inspection inspection = catalog.inspect(composed.headers, composed.body, secret);
    QCOMPARE(inspection.provider, QStringLiteral("github"));
    QCOMPARE(inspection.event, QStringLiteral("issues"));
    QCOMPARE(inspection.action, QStringLiteral("closed"));
    QCOMPARE(inspection.signature, Verdict::Valid);
    // GitHub sends no secret of its own: "not used", not "missing".
    QCOMPARE(inspection.secret, Verdict::NotUsed);
    QCOMPARE(inspection.authenticity(), Verdict::Valid);
    QVERIFY(inspection.problems.isEmpty());

    // An opened issue must be open.
    QByteArray body = composed.body;
    body.replace("\"action\": \"closed\"", "\"action\": \"opened\"");
    inspection = catalog.inspect(composed.headers, body, secret);
    QCOMPARE(inspection.action, QStringLiteral("opened"));
    QCOMPARE(inspection.signature, Verdict::Invalid);
    QVERIFY2(inspection.problems.contains(QStringLiteral("/issue/state: expected one of \"open\", got \"closed\"")),
             qPrintable(inspection.problems.join(u'\n')));
}

void tst_Inspection::shouldCapTheNumberOfProblems()
{
    QByteArray commits;
    for (int i = 0; i < 1000; ++i)
        commits += QByteArray(i ? "," : "") + "{}";
    const QByteArray body = R"({"ref":"r","before":"0000000000000000000000000000000000000000",
                                "after":"1111111111111111111111111111111111111111",
                                "repository":{"id":1,"name":"r","full_name":"o/r"},"pusher":{"name":"o"},"commits":[)"
        + commits + "]}";
    const Inspection inspection = Catalog::builtin().inspect({{"X-GitHub-Event", "push"}}, body, {});
    QVERIFY(inspection.problems.size() <= 21);
    QVERIFY(inspection.problems.size() >= 20);
    QVERIFY2(inspection.problems.contains(QStringLiteral("/commits/0/author: missing")), qPrintable(inspection.problems.join(u'\n')));
    QVERIFY(inspection.problems.back().contains(u"further problems"));
}

void tst_Inspection::shouldBeFastEnoughForTheCapturePath()
{
    const Catalog catalog = Catalog::builtin();
    http::HeaderList headers = codewarsHeaders("user");
    headers.append(http::HeaderField{"X-Webhook-Secret", "some-shared-secret"});
    const QByteArray body = specSample("spec-user-rank-upgraded.json");
    constexpr int hooks = 20000;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < hooks; ++i) {
        const Inspection inspection = catalog.inspect(headers, body, QByteArrayLiteral("some-shared-secret"));
        if (inspection.secret != Verdict::Valid || !inspection.problems.isEmpty())
            QFAIL("unexpected inspection");
    }
    const qint64 elapsed = timer.elapsed();
    qInfo("%d inspections in %lld ms", hooks, elapsed);
    // Tens of thousands per second even in a debug build under sanitizers, with room to spare.
    QVERIFY2(elapsed < 4000, qPrintable(QString::number(elapsed)));
}

QTEST_GUILESS_MAIN(tst_Inspection)
#include "tst_inspection.moc"
