#include "catalog/jsonedit.h"

#include <QTest>

using namespace catalog;

namespace {

const QByteArray RankUpgraded = QByteArrayLiteral(R"({
  "action": "rank_upgraded",
  "user": {
    "id": "53aa3f265b97485984000001",
    "rank": -5
  },
  "language": null
})");

} // namespace

class tst_JsonEdit : public QObject
{
    Q_OBJECT

private slots:
    void shouldApplyAssignments_data();
    void shouldApplyAssignments();
    void shouldKeepMemberOrder();
    void shouldRefuseBadAssignments_data();
    void shouldRefuseBadAssignments();
};

void tst_JsonEdit::shouldApplyAssignments_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("assignment");
    QTest::addColumn<QByteArray>("expected");   // compact form of the result

    QTest::newRow("nested number") << RankUpgraded << "user.rank=3"
                                   << QByteArray(R"({"action":"rank_upgraded","user":{"id":"53aa3f265b97485984000001","rank":3},"language":null})");
    QTest::newRow("quoted string") << RankUpgraded << "language=\"python\""
                                   << QByteArray(R"({"action":"rank_upgraded","user":{"id":"53aa3f265b97485984000001","rank":-5},"language":"python"})");
    QTest::newRow("bare string") << RankUpgraded << "language=python"
                                 << QByteArray(R"({"action":"rank_upgraded","user":{"id":"53aa3f265b97485984000001","rank":-5},"language":"python"})");
    QTest::newRow("null") << QByteArray(R"({"language":"python"})") << "language=null" << QByteArray(R"({"language":null})");
    QTest::newRow("boolean") << QByteArray(R"({"a":1})") << "b=true" << QByteArray(R"({"a":1,"b":true})");
    QTest::newRow("negative number") << QByteArray(R"({"a":1})") << "a=-8" << QByteArray(R"({"a":-8})");
    QTest::newRow("number kept as string when quoted") << QByteArray(R"({"a":1})") << "a=\"3\"" << QByteArray(R"({"a":"3"})");
    QTest::newRow("empty value is an empty string") << QByteArray(R"({"a":1})") << "a=" << QByteArray(R"({"a":""})");
    QTest::newRow("text with spaces and =") << QByteArray(R"({})") << "m=a = b" << QByteArray(R"({"m":"a = b"})");
    QTest::newRow("object value") << QByteArray(R"({})") << "solution={\"id\":\"x\",\"user_id\":\"y\"}"
                                  << QByteArray(R"({"solution":{"id":"x","user_id":"y"}})");
    QTest::newRow("new nested objects") << QByteArray(R"({"action":"x"})") << "solution.id=abc"
                                        << QByteArray(R"({"action":"x","solution":{"id":"abc"}})");
    QTest::newRow("array element by dot") << QByteArray(R"({"c":[{"id":1},{"id":2}]})") << "c.1.id=5"
                                          << QByteArray(R"({"c":[{"id":1},{"id":5}]})");
    QTest::newRow("array element by bracket") << QByteArray(R"({"c":[{"id":1},{"id":2}]})") << "c[0].id=7"
                                              << QByteArray(R"({"c":[{"id":7},{"id":2}]})");
    QTest::newRow("append to array") << QByteArray(R"({"c":[1]})") << "c[1]=2" << QByteArray(R"({"c":[1,2]})");
    QTest::newRow("empty body becomes an object") << QByteArray() << "a=1" << QByteArray(R"({"a":1})");
    QTest::newRow("unicode kept") << QByteArray(R"({"n":"\u00e9"})") << "m=ü" << QByteArray("{\"n\":\"\xc3\xa9\",\"m\":\"\xc3\xbc\"}");
}

void tst_JsonEdit::shouldApplyAssignments()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, assignment);
    QFETCH(QByteArray, expected);
    QString error;
    QVERIFY2(applySet(&body, assignment, &error), qPrintable(error));
    QByteArray compact = body;
    compact.replace("\n", "").replace("  ", "").replace("\": ", "\":");
    QCOMPARE(compact, expected);
}

void tst_JsonEdit::shouldKeepMemberOrder()
{
    QByteArray body = RankUpgraded;
    QVERIFY(applySet(&body, QStringLiteral("user.rank=2"), nullptr));
    QVERIFY(applySet(&body, QStringLiteral("language=ruby"), nullptr));
    QCOMPARE(body, QByteArrayLiteral(R"({
  "action": "rank_upgraded",
  "user": {
    "id": "53aa3f265b97485984000001",
    "rank": 2
  },
  "language": "ruby"
})"));
}

void tst_JsonEdit::shouldRefuseBadAssignments_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("assignment");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no equals sign") << RankUpgraded << "user.rank" << "--set expects PATH=VALUE, got \"user.rank\"";
    QTest::newRow("empty path") << RankUpgraded << "=3" << "is not a member path";
    QTest::newRow("empty segment") << RankUpgraded << "user..rank=3" << "\"user..rank\" is not a member path";
    QTest::newRow("bad index") << QByteArray(R"({"c":[]})") << "c[x]=3" << "\"c[x]\" is not a member path";
    QTest::newRow("through a number") << RankUpgraded << "user.rank.value=3"
                                      << "user.rank.value: user.rank is a number, not an object or array";
    QTest::newRow("through null") << RankUpgraded << "language.id=3" << "language.id: language is null";
    QTest::newRow("index out of range") << QByteArray(R"({"c":[1]})") << "c[3]=3" << "c[3]: index 3 is out of range";
    QTest::newRow("name on an array") << QByteArray(R"({"c":[1]})") << "c.first=3" << "c.first: c is an array";
    QTest::newRow("index on an object") << RankUpgraded << "user[0]=3" << "user[0]: user is an object, not an array";
    QTest::newRow("body not JSON") << QByteArray("{\"a\":") << "a=1" << "cannot set a: the body is not JSON";
}

void tst_JsonEdit::shouldRefuseBadAssignments()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, assignment);
    QFETCH(QString, expected);
    const QByteArray before = body;
    QString error;
    QVERIFY(!applySet(&body, assignment, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QCOMPARE(body, before);
}

QTEST_GUILESS_MAIN(tst_JsonEdit)
#include "tst_jsonedit.moc"
