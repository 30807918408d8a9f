#include "testhelpers.h"

#include "capture/hookquery.h"
#include "capture/hookstore.h"

#include <QTemporaryDir>
#include <QTest>

using testhelpers::makeHook;

Q_DECLARE_METATYPE(HookQuery)

// The one matcher: every row is decided for a live hook (HookQuery::matches) and
// for the same hook in a store (the SQL the store builds from the query), and
// both must agree with the row's expectation.
class tst_HookQuery : public QObject
{
    Q_OBJECT

private slots:
    void shouldMatchLiveAndStoredHooksAlike_data();
    void shouldMatchLiveAndStoredHooksAlike();
    void shouldSplitHeaderParts_data();
    void shouldSplitHeaderParts();
    void shouldFindNeedlesInAnyAsciiCase_data();
    void shouldFindNeedlesInAnyAsciiCase();
    void shouldSearchFormFieldsAsTheyReadDecoded_data();
    void shouldSearchFormFieldsAsTheyReadDecoded();
};

namespace {

Hook sample()
{
    Hook hook = makeHook("user", R"({"action":"rank_upgraded","user":{"id":"53aa3f265b97485984000001","rank":-3}})");
    hook.target = "/hooks/Codewars?team=Blue";
    hook.headers.append(http::HeaderField{"X-Webhook-Secret", "Wrong-One"});
    hook.headers.append(http::HeaderField{"X-Empty", ""});
    hook.inspection.provider = QStringLiteral("codewars");
    hook.inspection.event = QStringLiteral("user");
    hook.inspection.action = QStringLiteral("rank_upgraded");
    hook.inspection.secret = catalog::Verdict::Invalid;
    hook.inspection.signature = catalog::Verdict::NotUsed;
    hook.inspection.problems = {QStringLiteral("language: missing")};
    hook.answer.status = 401;
    hook.receivedUs = 1'700'000'000'000'000;
    return hook;
}

} // namespace

void tst_HookQuery::shouldMatchLiveAndStoredHooksAlike_data()
{
    QTest::addColumn<HookQuery>("query");
    QTest::addColumn<bool>("matches");
    const auto with = [](auto set) {
        HookQuery query;
        set(query);
        return query;
    };
    QTest::newRow("empty query") << HookQuery() << true;
    QTest::newRow("text in the path, other case") << with([](HookQuery &q) { q.search = QStringLiteral("codewars?TEAM=blue"); }) << true;
    QTest::newRow("text in a body") << with([](HookQuery &q) { q.search = QStringLiteral("\"RANK\":-3"); }) << true;
    QTest::newRow("text as a header line reads") << with([](HookQuery &q) { q.search = QStringLiteral("x-webhook-secret: wrong"); }) << true;
    QTest::newRow("text nowhere") << with([](HookQuery &q) { q.search = QStringLiteral("rank_earned"); }) << false;
    QTest::newRow("header by name") << with([](HookQuery &q) { q.header = QStringLiteral("x-empty"); }) << true;
    QTest::newRow("header by name and value part") << with([](HookQuery &q) { q.header = QStringLiteral("X-Webhook-Secret: wrong"); }) << true;
    QTest::newRow("header value elsewhere") << with([](HookQuery &q) { q.header = QStringLiteral("X-Webhook-Event: wrong"); }) << false;
    QTest::newRow("header that is not there") << with([](HookQuery &q) { q.header = QStringLiteral("X-Hub-Signature-256"); }) << false;
    QTest::newRow("header value across a line end") << with([](HookQuery &q) { q.header = QStringLiteral("X-Empty: X-Webhook"); }) << false;
    QTest::newRow("provider") << with([](HookQuery &q) { q.provider = QStringLiteral("codewars"); }) << true;
    QTest::newRow("other provider") << with([](HookQuery &q) { q.provider = QStringLiteral("github"); }) << false;
    QTest::newRow("event") << with([](HookQuery &q) { q.event = QStringLiteral("user"); }) << true;
    QTest::newRow("one of the actions") << with([](HookQuery &q) { q.actions = {QStringLiteral("x"), QStringLiteral("rank_upgraded")}; }) << true;
    QTest::newRow("none of the actions") << with([](HookQuery &q) { q.actions = {QStringLiteral("rank_earned")}; }) << false;
    QTest::newRow("answer status") << with([](HookQuery &q) { q.status = 401; }) << true;
    QTest::newRow("other status") << with([](HookQuery &q) { q.status = 200; }) << false;
    QTest::newRow("problems only") << with([](HookQuery &q) { q.problemsOnly = true; }) << true;
    QTest::newRow("no refused requests") << with([](HookQuery &q) { q.refused = false; }) << true;
    QTest::newRow("refused requests only") << with([](HookQuery &q) { q.refused = true; }) << false;
    QTest::newRow("invalid secret") << with([](HookQuery &q) { q.verdict = catalog::Verdict::Invalid; }) << true;
    QTest::newRow("not-used signature") << with([](HookQuery &q) { q.verdict = catalog::Verdict::NotUsed; }) << true;
    QTest::newRow("missing credential") << with([](HookQuery &q) { q.verdict = catalog::Verdict::Missing; }) << false;
    QTest::newRow("since, inclusive") << with([](HookQuery &q) { q.sinceUs = 1'700'000'000'000'000; }) << true;
    QTest::newRow("until, exclusive") << with([](HookQuery &q) { q.untilUs = 1'700'000'000'000'000; }) << false;
    QTest::newRow("every part holds") << with([](HookQuery &q) {
        q.event = QStringLiteral("user");
        q.status = 401;
        q.search = QStringLiteral("blue");
        q.header = QStringLiteral("X-Webhook-Secret");
    }) << true;
    QTest::newRow("one part fails") << with([](HookQuery &q) {
        q.event = QStringLiteral("user");
        q.status = 401;
        q.search = QStringLiteral("red");
    }) << false;
}

void tst_HookQuery::shouldMatchLiveAndStoredHooksAlike()
{
    QFETCH(HookQuery, query);
    QFETCH(bool, matches);
    const Hook hook = sample();
    QCOMPARE(query.matches(hook), matches);

    QTemporaryDir dir;
    HookStore store;
    QVERIFY(store.open(dir.filePath(QStringLiteral("hooks.sqlite"))));
    QList<Hook> hooks{hook, makeHook("webhook", "{}")};
    QVERIFY(store.insertHooks(&hooks));
    HookQuery stored = query;
    stored.ids = {hooks.at(0).id};
    QCOMPARE(store.hooks(stored).size(), matches ? 1 : 0);
    qsizetype rows = 0;
    QVERIFY(store.forEachRow(stored, [&rows](const HookRow &) { return ++rows, true; }));
    QCOMPARE(rows, matches ? 1 : 0);
}

void tst_HookQuery::shouldSearchFormFieldsAsTheyReadDecoded_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QString>("search");
    QTest::addColumn<bool>("matches");
    const QByteArray form = "application/x-www-form-urlencoded";
    QTest::newRow("decoded value") << form << QStringLiteral("ada lovelace") << true;
    QTest::newRow("decoded name and value") << form << QStringLiteral("user[name]=Ada") << true;
    QTest::newRow("escaped text as received") << form << QStringLiteral("Ada+Lovelace") << true;
    QTest::newRow("across two fields") << form << QStringLiteral("Lovelace&city") << true;
    QTest::newRow("not in any field") << form << QStringLiteral("Babbage") << false;
    QTest::newRow("not a form: as received only") << QByteArray("text/plain") << QStringLiteral("ada lovelace") << false;
}

void tst_HookQuery::shouldSearchFormFieldsAsTheyReadDecoded()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QString, search);
    QFETCH(bool, matches);
    Hook hook = makeHook("user", "user%5Bname%5D=Ada+Lovelace&city=Z%C3%BCrich");
    hook.headers.append(http::HeaderField{"Content-Type", contentType});
    HookQuery query;
    query.search = search;
    QCOMPARE(query.matches(hook), matches);

    QTemporaryDir dir;
    HookStore store;
    QVERIFY(store.open(dir.filePath(QStringLiteral("hooks.sqlite"))));
    QList<Hook> hooks{hook};
    QVERIFY(store.insertHooks(&hooks));
    QCOMPARE(store.hooks(query).size(), matches ? 1 : 0);
}

void tst_HookQuery::shouldSplitHeaderParts_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("name alone") << QStringLiteral("X-Webhook-Event") << true << QByteArray("X-Webhook-Event") << QByteArray();
    QTest::newRow("name and value") << QStringLiteral("X-Webhook-Event: user") << true << QByteArray("X-Webhook-Event") << QByteArray("user");
    QTest::newRow("spaces around") << QStringLiteral("  Host :  a:b ") << true << QByteArray("Host") << QByteArray("a:b");
    QTest::newRow("not a token") << QStringLiteral("Bad Name: x") << false << QByteArray("Bad Name") << QByteArray("x");
    QTest::newRow("no name") << QStringLiteral(": x") << false << QByteArray() << QByteArray("x");
}

void tst_HookQuery::shouldSplitHeaderParts()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    QByteArray gotName, gotValue;
    QCOMPARE(HookQuery::splitHeader(text, &gotName, &gotValue), valid);
    QCOMPARE(gotName, name);
    QCOMPARE(gotValue, value);
}

void tst_HookQuery::shouldFindNeedlesInAnyAsciiCase_data()
{
    QTest::addColumn<QByteArray>("haystack");
    QTest::addColumn<QByteArray>("needle");
    QTest::addColumn<bool>("found");
    QTest::newRow("same case") << QByteArray("abcdef") << QByteArray("cde") << true;
    QTest::newRow("other case") << QByteArray("ABCDEF") << QByteArray("cde") << true;
    QTest::newRow("at the end") << QByteArray("xyZ") << QByteArray("yz") << true;
    QTest::newRow("longer than the haystack") << QByteArray("ab") << QByteArray("abc") << false;
    QTest::newRow("empty needle") << QByteArray("ab") << QByteArray() << true;
    QTest::newRow("non-ASCII bytes exactly") << QByteArray("caf\xc3\xa9") << QByteArray("\xc3\xa9") << true;
    QTest::newRow("non-ASCII not folded") << QByteArray("CAF\xc3\x89") << QByteArray("caf\xc3\xa9") << false;
    QTest::newRow("near miss") << QByteArray("abcabd") << QByteArray("abe") << false;
}

void tst_HookQuery::shouldFindNeedlesInAnyAsciiCase()
{
    QFETCH(QByteArray, haystack);
    QFETCH(QByteArray, needle);
    QFETCH(bool, found);
    QCOMPARE(containsFolded(haystack, needle), found);
}

QTEST_GUILESS_MAIN(tst_HookQuery)
#include "tst_hookquery.moc"
