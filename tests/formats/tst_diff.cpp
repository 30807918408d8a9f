#include "testhelpers.h"

#include "formats/diff.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using formats::DiffEntry;
using Op = formats::DiffEntry::Op;

namespace {

QJsonValue json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray("[") + text + "]").array().at(0);
}

DiffEntry entry(const char *path, Op op, const QJsonValue &from, const QJsonValue &to)
{
    return {QString::fromUtf8(path), op, from, to};
}

constexpr QJsonValue::Type none = QJsonValue::Undefined;

} // namespace

Q_DECLARE_METATYPE(QList<formats::DiffEntry>)

class tst_Diff : public QObject
{
    Q_OBJECT

private slots:
    void shouldDiffJsonByPath_data();
    void shouldDiffJsonByPath();
    void shouldDiffHeadersByNameAndPlace_data();
    void shouldDiffHeadersByNameAndPlace();
    void shouldDescribeBodiesThatAreNotJson_data();
    void shouldDescribeBodiesThatAreNotJson();
    void shouldDiffRequestLineAndVerdicts();
    void shouldWriteJsonAndText();
};

void tst_Diff::shouldDiffJsonByPath_data()
{
    QTest::addColumn<QJsonValue>("a");
    QTest::addColumn<QJsonValue>("b");
    QTest::addColumn<QList<DiffEntry>>("expected");
    QTest::newRow("same") << json(R"({"a":1,"b":[1,2]})") << json(R"({"b":[1,2],"a":1})") << QList<DiffEntry>();
    QTest::newRow("changed number") << json(R"({"user":{"rank":-3}})") << json(R"({"user":{"rank":-2}})")
                                    << QList<DiffEntry>{entry("/user/rank", Op::Changed, -3, -2)};
    QTest::newRow("member added and removed") << json(R"({"old":true,"keep":1})") << json(R"({"keep":1,"new":"x"})")
                                              << QList<DiffEntry>{entry("/old", Op::Removed, true, none), entry("/new", Op::Added, none, QStringLiteral("x"))};
    QTest::newRow("type changed") << json(R"({"language":null})") << json(R"({"language":"python"})")
                                  << QList<DiffEntry>{entry("/language", Op::Changed, QJsonValue(), QStringLiteral("python"))};
    QTest::newRow("escaped member names") << json(R"({"a/b":1,"c~d":1})") << json(R"({"a/b":2,"c~d":2})")
                                          << QList<DiffEntry>{entry("/a~1b", Op::Changed, 1, 2), entry("/c~0d", Op::Changed, 1, 2)};
    QTest::newRow("array by index, longer") << json(R"([1,2])") << json(R"([1,3,4])")
                                            << QList<DiffEntry>{entry("/1", Op::Changed, 2, 3), entry("/2", Op::Added, none, 4)};
    QTest::newRow("array by index, shorter") << json(R"(["a","b"])") << json(R"(["a"])")
                                             << QList<DiffEntry>{entry("/1", Op::Removed, QStringLiteral("b"), none)};
    QTest::newRow("items with ids, one moved and changed")
        << json(R"([{"id":1,"v":"a"},{"id":2,"v":"b"},{"id":3,"v":"c"}])") << json(R"([{"id":2,"v":"b"},{"id":3,"v":"c"},{"id":1,"v":"A"}])")
        << QList<DiffEntry>{entry("/0", Op::Moved, 0, 2), entry("/2/v", Op::Changed, QStringLiteral("a"), QStringLiteral("A"))};
    QTest::newRow("items with ids, added and removed")
        << json(R"({"list":[{"id":"x"},{"id":"y"}]})") << json(R"({"list":[{"id":"y"},{"id":"z"}]})")
        << QList<DiffEntry>{entry("/list/0", Op::Removed, json(R"({"id":"x"})"), none), entry("/list/1", Op::Added, none, json(R"({"id":"z"})"))};
    QTest::newRow("whole document replaced") << json("1") << json("2") << QList<DiffEntry>{entry("", Op::Changed, 1, 2)};
}

void tst_Diff::shouldDiffJsonByPath()
{
    QFETCH(QJsonValue, a);
    QFETCH(QJsonValue, b);
    QFETCH(QList<DiffEntry>, expected);
    QList<DiffEntry> got;
    formats::diffJson(a, b, QString(), &got);
    QCOMPARE(got, expected);
}

void tst_Diff::shouldDiffHeadersByNameAndPlace_data()
{
    QTest::addColumn<http::HeaderList>("a");
    QTest::addColumn<http::HeaderList>("b");
    QTest::addColumn<QList<DiffEntry>>("expected");
    const http::HeaderList base{{"Host", "h"}, {"X-Webhook-Event", "user"}, {"Content-Type", "application/json"}};
    QTest::newRow("same") << base << base << QList<DiffEntry>();
    http::HeaderList changed = base;
    changed[1].value = "code_challenge";
    QTest::newRow("value changed") << base << changed
                                   << QList<DiffEntry>{entry("/X-Webhook-Event", Op::Changed, QStringLiteral("X-Webhook-Event: user"), QStringLiteral("X-Webhook-Event: code_challenge"))};
    http::HeaderList recased = base;
    recased[2].name = "content-type";
    QTest::newRow("name case changed") << base << recased
                                       << QList<DiffEntry>{entry("/content-type", Op::Changed, QStringLiteral("Content-Type: application/json"),
                                                                 QStringLiteral("content-type: application/json"))};
    http::HeaderList added = base;
    added.insert(1, http::HeaderField{"X-New", "1"});
    QTest::newRow("added in the middle, nothing moved") << base << added << QList<DiffEntry>{entry("/X-New", Op::Added, none, QStringLiteral("1"))};
    http::HeaderList removed = base;
    removed.removeAt(0);
    QTest::newRow("removed") << base << removed << QList<DiffEntry>{entry("/Host", Op::Removed, QStringLiteral("h"), none)};
    const http::HeaderList moved{base.at(2), base.at(0), base.at(1)};
    QTest::newRow("moved to the front") << base << moved << QList<DiffEntry>{entry("/Content-Type", Op::Moved, 2, 0)};
    const http::HeaderList twice{{"X-Dup", "one"}, {"X-Dup", "two"}};
    const http::HeaderList twiceChanged{{"X-Dup", "one"}, {"X-Dup", "2"}};
    QTest::newRow("second of a repeated name") << twice << twiceChanged
                                               << QList<DiffEntry>{entry("/X-Dup/1", Op::Changed, QStringLiteral("X-Dup: two"), QStringLiteral("X-Dup: 2"))};
}

void tst_Diff::shouldDiffHeadersByNameAndPlace()
{
    QFETCH(http::HeaderList, a);
    QFETCH(http::HeaderList, b);
    QFETCH(QList<DiffEntry>, expected);
    Hook first = testhelpers::makeHook();
    Hook second = first;
    first.headers = a;
    second.headers = b;
    QCOMPARE(formats::diffHooks(first, second).headers, expected);
}

void tst_Diff::shouldDescribeBodiesThatAreNotJson_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QStringList>("lines");
    QTest::addColumn<qint64>("firstDifference");
    QTest::newRow("same bytes") << QByteArray("x=1") << QByteArray("x=1") << QStringLiteral("same") << QStringList() << qint64(-1);
    QTest::newRow("text by lines") << QByteArray("a\nb\nc") << QByteArray("a\nB\nc\nd") << QStringLiteral("text")
                                   << QStringList{QStringLiteral("  a"), QStringLiteral("+ B"), QStringLiteral("- b"), QStringLiteral("  c"),
                                                  QStringLiteral("+ d")}
                                   << qint64(2);
    QTest::newRow("binary") << QByteArray("\x00\x01\x02", 3) << QByteArray("\x00\x01\x03\x04", 4) << QStringLiteral("binary") << QStringList() << qint64(2);
    QTest::newRow("one JSON, one not") << QByteArray("{}") << QByteArray("name=x") << QStringLiteral("text")
                                       << QStringList{QStringLiteral("+ name=x"), QStringLiteral("- {}")} << qint64(0);
    const QByteArray big(formats::MaxStructuralDiffBytes + 1, 'a');
    QTest::newRow("too large") << big << QByteArray(big).replace(10, 1, "b") << QStringLiteral("too large") << QStringList() << qint64(10);
}

void tst_Diff::shouldDescribeBodiesThatAreNotJson()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(QString, kind);
    QFETCH(QStringList, lines);
    QFETCH(qint64, firstDifference);
    Hook first = testhelpers::makeHook();
    Hook second = first;
    first.body = a;
    second.body = b;
    const formats::HookDiff diff = formats::diffHooks(first, second);
    QCOMPARE(diff.bodyKind, kind);
    QCOMPARE(diff.lines, lines);
    QCOMPARE(diff.firstDifference, firstDifference);
    QCOMPARE(diff.sizeA, a.size());
    QCOMPARE(diff.sizeB, b.size());
    QVERIFY(diff.body.isEmpty());
}

void tst_Diff::shouldDiffRequestLineAndVerdicts()
{
    Hook first = testhelpers::makeHook();
    Hook second = first;
    second.target = "/other";
    second.inspection.secret = catalog::Verdict::Invalid;
    second.inspection.problems = {QStringLiteral("user.rank: missing")};
    first.inspection.problems = {QStringLiteral("language: missing")};
    const formats::HookDiff diff = formats::diffHooks(first, second);
    QCOMPARE(diff.request, (QList<DiffEntry>{entry("/target", Op::Changed, QString::fromLatin1(first.target), QStringLiteral("/other"))}));
    QCOMPARE(diff.inspection,
             (QList<DiffEntry>{entry("/secret", Op::Changed, catalog::verdictName(first.inspection.secret), QStringLiteral("invalid")),
                               entry("/problems", Op::Removed, QStringLiteral("language: missing"), none), entry("/problems", Op::Added, none, QStringLiteral("user.rank: missing"))}));
    QVERIFY(!diff.isEmpty());
    QVERIFY(formats::diffHooks(first, first).isEmpty());
}

void tst_Diff::shouldWriteJsonAndText()
{
    Hook first = testhelpers::makeHook("user", R"({"action":"rank_upgraded","user":{"rank":-3}})");
    Hook second = testhelpers::makeHook("user", R"({"action":"rank_upgraded","user":{"rank":-2},"language":"go"})");
    second.headers.append(http::HeaderField{"X-Extra", "1"});
    const formats::HookDiff diff = formats::diffHooks(first, second);
    const QJsonObject object = formats::diffToJson(diff);
    QCOMPARE(object.value(u"body_kind").toString(), QStringLiteral("json"));
    const QJsonArray body = object.value(u"body").toArray();
    QCOMPARE(body.size(), 2);
    QCOMPARE(body.at(0).toObject(), (QJsonObject{{QStringLiteral("path"), QStringLiteral("/user/rank")}, {QStringLiteral("op"), QStringLiteral("changed")},
                                                 {QStringLiteral("from"), -3}, {QStringLiteral("to"), -2}}));
    QCOMPARE(body.at(1).toObject().value(u"op").toString(), QStringLiteral("added"));
    const QJsonArray headers = object.value(u"headers").toArray();   // Content-Length changed with the body
    QCOMPARE(headers.last().toObject(), (QJsonObject{{QStringLiteral("path"), QStringLiteral("/X-Extra")}, {QStringLiteral("op"), QStringLiteral("added")},
                                                      {QStringLiteral("to"), QStringLiteral("1")}}));

    const QString text = formats::diffToText(diff, 4, 7);
    QVERIFY2(text.startsWith(QLatin1String("--- #4\n+++ #7\n")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("  changed /user/rank: -3 -> -2\n")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("  added   /language: \"go\"\n")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("\n  added   /X-Extra: \"1\"\n")), qPrintable(text));
    QVERIFY(formats::diffToText(formats::diffHooks(first, first), 1, 1).endsWith(QLatin1String("no differences\n")));
}

QTEST_GUILESS_MAIN(tst_Diff)
#include "tst_diff.moc"
