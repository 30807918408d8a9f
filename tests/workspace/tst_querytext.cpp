#include "capture/hookquery.h"
#include "workspace/querytext.h"
#include "workspace/workspace.h"

#include <QDateTime>
#include <QTest>

Q_DECLARE_METATYPE(HookQuery)

// The filter field's words, as the window turns them into a query.
class tst_QueryText : public QObject
{
    Q_OBJECT

private slots:
    void shouldReadWordsIntoQueryParts_data();
    void shouldReadWordsIntoQueryParts();
    void shouldNameAWordItCannotTake_data();
    void shouldNameAWordItCannotTake();
    void shouldReadDurationsAndTimes_data();
    void shouldReadDurationsAndTimes();
};

void tst_QueryText::shouldReadWordsIntoQueryParts_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<HookQuery>("expected");
    const auto with = [](auto set) {
        HookQuery query;
        set(query);
        return query;
    };
    QTest::newRow("nothing") << QString() << HookQuery();
    QTest::newRow("free text only") << QStringLiteral("rank  upgraded ") << with([](HookQuery &q) { q.search = QStringLiteral("rank upgraded"); });
    QTest::newRow("a header line stays text") << QStringLiteral("X-Webhook-Secret: wrong")
                                              << with([](HookQuery &q) { q.search = QStringLiteral("X-Webhook-Secret: wrong"); });
    QTest::newRow("an unknown key stays text") << QStringLiteral("team:blue") << with([](HookQuery &q) { q.search = QStringLiteral("team:blue"); });
    QTest::newRow("provider, event, status") << QStringLiteral("provider:github event:issues status:401")
                                             << with([](HookQuery &q) {
                                                    q.provider = QStringLiteral("github");
                                                    q.event = QStringLiteral("issues");
                                                    q.status = 401;
                                                });
    QTest::newRow("either spelling of an action") << QStringLiteral("action:approved")
                                                  << with([](HookQuery &q) { q.actions = {QStringLiteral("approve_successful"), QStringLiteral("approved")}; });
    QTest::newRow("verdict and problems beside text") << QStringLiteral("verdict:not-used has:problems body words")
                                                      << with([](HookQuery &q) {
                                                             q.verdict = catalog::Verdict::NotUsed;
                                                             q.problemsOnly = true;
                                                             q.search = QStringLiteral("body words");
                                                         });
    QTest::newRow("only refused requests") << QStringLiteral("has:refused") << with([](HookQuery &q) { q.refused = true; });
    QTest::newRow("no refused requests") << QStringLiteral("refused:no status:400") << with([](HookQuery &q) {
        q.refused = false;
        q.status = 400;
    });
    QTest::newRow("since and until as dates") << QStringLiteral("since:2026-12-01 until:2026-12-02")
                                              << with([](HookQuery &q) {
                                                     q.sinceUs = 1796083200000000;
                                                     q.untilUs = 1796169600000000;
                                                 });
}

void tst_QueryText::shouldReadWordsIntoQueryParts()
{
    QFETCH(QString, text);
    QFETCH(HookQuery, expected);
    const workspace::Workspace workspace(catalog::Catalog::builtin());
    HookQuery query;
    QString error;
    QVERIFY2(workspace::parseQueryText(text, workspace, &query, &error), qPrintable(error));
    QCOMPARE(query.search, expected.search);
    QCOMPARE(query.provider, expected.provider);
    QCOMPARE(query.event, expected.event);
    QCOMPARE(query.actions, expected.actions);
    QCOMPARE(query.status, expected.status);
    QCOMPARE(query.verdict, expected.verdict);
    QCOMPARE(query.problemsOnly, expected.problemsOnly);
    QCOMPARE(query.refused, expected.refused);
    QCOMPARE(query.sinceUs, expected.sinceUs);
    QCOMPARE(query.untilUs, expected.untilUs);
}

void tst_QueryText::shouldNameAWordItCannotTake_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("status out of range") << QStringLiteral("status:42") << QStringLiteral("status:42: expected a status from 100 to 599");
    QTest::newRow("status not a number") << QStringLiteral("x status:ok") << QStringLiteral("status:ok: expected a status from 100 to 599");
    QTest::newRow("unknown verdict") << QStringLiteral("verdict:bad")
                                     << QStringLiteral("verdict:bad: expected valid, invalid, missing, not-configured, not-used, unverifiable or outside-tolerance");
    QTest::newRow("has something else") << QStringLiteral("has:body") << QStringLiteral("has:body: expected has:problems or has:refused");
    QTest::newRow("refused neither yes nor no") << QStringLiteral("refused:maybe") << QStringLiteral("refused:maybe: expected refused:yes or refused:no");
    QTest::newRow("since nonsense") << QStringLiteral("since:yesterday")
                                    << QStringLiteral("since:yesterday: expected an ISO 8601 time or a duration like 30m, 2h, 7d");
}

void tst_QueryText::shouldNameAWordItCannotTake()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    const workspace::Workspace workspace(catalog::Catalog::builtin());
    HookQuery query;
    QString got;
    QVERIFY(!workspace::parseQueryText(text, workspace, &query, &got));
    QCOMPARE(got, error);
}

void tst_QueryText::shouldReadDurationsAndTimes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("us");   // a duration; for times, microseconds since the epoch; -1: a time ago
    QTest::newRow("seconds") << QStringLiteral("30s") << true << qint64(30'000'000);
    QTest::newRow("weeks") << QStringLiteral("2w") << true << qint64(1'209'600'000'000);
    QTest::newRow("no unit") << QStringLiteral("30") << false << qint64(0);
    QTest::newRow("unknown unit") << QStringLiteral("3y") << false << qint64(0);
    QTest::newRow("negative") << QStringLiteral("-5m") << false << qint64(0);
    QTest::newRow("overflowing") << QStringLiteral("9223372036854775807w") << false << qint64(0);
}

void tst_QueryText::shouldReadDurationsAndTimes()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(qint64, us);
    qint64 got = 0;
    QCOMPARE(workspace::parseDuration(text, &got), valid);
    if (valid) {
        QCOMPARE(got, us);
        qint64 time = 0;
        const qint64 now = QDateTime::currentMSecsSinceEpoch() * 1000;
        QVERIFY(workspace::parseTime(text, &time));
        QVERIFY(qAbs(now - us - time) < 5'000'000);
    }
    qint64 time = 0;
    QVERIFY(workspace::parseTime(u"2026-12-03T10:00:00Z", &time));
    QCOMPARE(time, qint64(1796292000000000));
}

QTEST_GUILESS_MAIN(tst_QueryText)
#include "tst_querytext.moc"
