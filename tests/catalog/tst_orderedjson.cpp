#include "catalog/orderedjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace catalog;

class tst_OrderedJson : public QObject
{
    Q_OBJECT

private slots:
    void shouldKeepMemberOrder();
    void shouldRoundTrip_data();
    void shouldRoundTrip();
    void shouldIndentLikeTheSpec();
    void shouldAgreeWithQJsonDocument();
    void shouldWriteAQJsonValue_data();
    void shouldWriteAQJsonValue();
    void shouldRejectInvalidJson_data();
    void shouldRejectInvalidJson();
    void shouldKeepWantedMembersAsText_data();
    void shouldKeepWantedMembersAsText();
    void shouldRefuseAnUnfinishedMemberKeptAsText_data();
    void shouldRefuseAnUnfinishedMemberKeptAsText();
};

void tst_OrderedJson::shouldKeepMemberOrder()
{
    const std::optional<OrderedJson> json = OrderedJson::parse(R"({"z":1,"action":"a","m":{"y":true,"b":null}})", nullptr);
    QVERIFY(json);
    QCOMPARE(json->keys(), QStringList({QStringLiteral("z"), QStringLiteral("action"), QStringLiteral("m")}));
    QCOMPARE(json->toJson(0), QByteArrayLiteral(R"({"z":1,"action":"a","m":{"y":true,"b":null}})"));
}

void tst_OrderedJson::shouldRoundTrip_data()
{
    QTest::addColumn<QByteArray>("compact");
    QTest::newRow("numbers as written") << QByteArray(R"([0,-0,1.50,1e3,-2E-2,123456789012345678901234567890])");
    QTest::newRow("escapes") << QByteArray(R"(["a\"b\\c\n\t\r\b\f\u0001"])");
    QTest::newRow("unicode") << QByteArray("[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"]");
    QTest::newRow("empty containers") << QByteArray(R"({"a":{},"b":[]})");
    QTest::newRow("duplicate names kept") << QByteArray(R"({"a":1,"a":2})");
    QTest::newRow("scalar") << QByteArray("\"x\"");
}

void tst_OrderedJson::shouldRoundTrip()
{
    QFETCH(QByteArray, compact);
    QString error;
    const std::optional<OrderedJson> json = OrderedJson::parse(compact, &error);
    QVERIFY2(json, qPrintable(error));
    QCOMPARE(json->toJson(0), compact);
    QCOMPARE(OrderedJson::parse(json->toJson(2), nullptr)->toJson(0), compact);
}

void tst_OrderedJson::shouldIndentLikeTheSpec()
{
    const QByteArray spec = QByteArrayLiteral(R"({
  "action": "rank_upgraded",
  "user": {
    "id": "53aa3f265b97485984000001",
    "rank": -5
  },
  "language": null,
  "list": [
    1,
    "\u00e9"
  ]
})");
    QByteArray expected = spec;
    expected.replace("\\u00e9", "\xc3\xa9");
    QCOMPARE(OrderedJson::parse(spec, nullptr)->toJson(2), expected);
}

void tst_OrderedJson::shouldAgreeWithQJsonDocument()
{
    const QByteArray text = QByteArrayLiteral(R"({"s":"\ud83d\ude00 x","n":-5,"d":2.5,"b":false,"z":null,"a":[1,{"k":"v"}]})");
    const QJsonValue ours = OrderedJson::parse(text, nullptr)->toJsonValue();
    QCOMPARE(ours, QJsonValue(QJsonDocument::fromJson(text).object()));
}

void tst_OrderedJson::shouldWriteAQJsonValue_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("null") << QJsonValue() << QByteArray("null");
    QTest::newRow("true") << QJsonValue(true) << QByteArray("true");
    QTest::newRow("integer") << QJsonValue(qint64(1234567890123)) << QByteArray("1234567890123");
    QTest::newRow("negative integer") << QJsonValue(-7) << QByteArray("-7");
    QTest::newRow("fraction, shortest") << QJsonValue(0.1) << QByteArray("0.1");
    QTest::newRow("string with escapes") << QJsonValue(QStringLiteral("a\"b\\c\n\u00e9")) << QByteArray("\"a\\\"b\\\\c\\n\xc3\xa9\"");
    QTest::newRow("array") << QJsonValue(QJsonArray{1, QStringLiteral("x"), QJsonValue()}) << QByteArray(R"([1,"x",null])");
    QTest::newRow("object, QJsonObject's order")
        << QJsonValue(QJsonObject{{QStringLiteral("b"), 1}, {QStringLiteral("a"), QJsonObject{{QStringLiteral("z"), false}}}})
        << QByteArray(R"({"a":{"z":false},"b":1})");
}

void tst_OrderedJson::shouldWriteAQJsonValue()
{
    QFETCH(QJsonValue, value);
    QFETCH(QByteArray, expected);
    const QByteArray written = OrderedJson::fromJsonValue(value).toJson(0);
    QCOMPARE(written, expected);
    // What QJsonDocument reads back is the value given.
    QCOMPARE(QJsonDocument::fromJson("[" + written + "]").array().at(0), value);
}

void tst_OrderedJson::shouldRejectInvalidJson_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QByteArray() << "unexpected end of text at offset 0";
    QTest::newRow("trailing comma") << QByteArray(R"({"a":1,})") << "expected a member name in quotes at offset 7";
    QTest::newRow("double comma") << QByteArray(R"([1,,2])") << "unexpected character ',' at offset 3";
    QTest::newRow("unterminated string") << QByteArray(R"(["abc)") << "unterminated string";
    QTest::newRow("missing colon") << QByteArray(R"({"a" 1})") << "expected ':' after a member name";
    QTest::newRow("trailing text") << QByteArray(R"({} {})") << "unexpected text after the JSON value at offset 3";
    QTest::newRow("leading zero") << QByteArray("[01]") << "expected ',' or ']' in an array at offset 2";
    QTest::newRow("bare word") << QByteArray("python") << "unexpected character 'p' at offset 0";
    QTest::newRow("raw newline in string") << QByteArray("[\"a\nb\"]") << "control character in a string";
    QTest::newRow("bad escape") << QByteArray(R"(["\x"])") << "bad escape sequence";
    QTest::newRow("deep nesting") << QByteArray(10000, '[') << "nested too deeply";
}

void tst_OrderedJson::shouldRejectInvalidJson()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!OrderedJson::parse(text, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
}

void tst_OrderedJson::shouldKeepWantedMembersAsText_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("tree");   // the rest, parsed, with the text's place null
    QTest::newRow("object") << QByteArray(R"({"a":1,"t":{"x":[1,{"y":"}"}]},"b":2})") << QStringLiteral("/t")
                            << QByteArray(R"({"x":[1,{"y":"}"}]})") << QByteArray(R"({"a":1,"t":null,"b":2})");
    QTest::newRow("array") << QByteArray(R"({"t":[ "]" , [] ],"b":true})") << QStringLiteral("/t")
                           << QByteArray(R"([ "]" , [] ])") << QByteArray(R"({"t":null,"b":true})");
    QTest::newRow("string with escapes") << QByteArray(R"({"t":"a\"}\\","b":0})") << QStringLiteral("/t")
                                         << QByteArray(R"("a\"}\\")") << QByteArray(R"({"t":null,"b":0})");
    QTest::newRow("number before space") << QByteArray("{\"t\":-1.5e3 ,\"b\":0}") << QStringLiteral("/t")
                                         << QByteArray("-1.5e3") << QByteArray(R"({"t":null,"b":0})");
    QTest::newRow("literal last") << QByteArray(R"({"b":0,"t":false})") << QStringLiteral("/t") << QByteArray("false")
                                  << QByteArray(R"({"b":0,"t":null})");
    QTest::newRow("nested, name escaped") << QByteArray(R"({"e":{"a/b~":{"t":{"k":1}}}})") << QStringLiteral("/e/a~1b~0/t")
                                          << QByteArray(R"({"k":1})") << QByteArray(R"({"e":{"a/b~":{"t":null}}})");
    QTest::newRow("inside an array") << QByteArray(R"({"l":[{"t":1},{"t":[2]}]})") << QStringLiteral("/l/1/t")
                                     << QByteArray("[2]") << QByteArray(R"({"l":[{"t":1},{"t":null}]})");
    QTest::newRow("written twice, the first counts") << QByteArray(R"({"t":1,"t":[2]})") << QStringLiteral("/t")
                                                    << QByteArray("1") << QByteArray(R"({"t":null,"t":null})");
    QTest::newRow("deeper than asked") << QByteArray(R"({"a":{"b":{"c":{"t":1}}}})") << QStringLiteral("/a/b/c/t")
                                       << QByteArray() << QByteArray(R"({"a":{"b":{"c":{"t":1}}}})");
}

void tst_OrderedJson::shouldKeepWantedMembersAsText()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, pointer);
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, tree);
    QHash<QString, QByteArray> texts;
    QStringList asked;
    OrderedJson::RawMembers raw;
    raw.maxDepth = 3;
    raw.texts = &texts;
    raw.wanted = [&](QStringView at) {
        asked.append(at.toString());
        return at == pointer;
    };
    QString error;
    const std::optional<OrderedJson> parsed = OrderedJson::parse(json, &error, &raw);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->toJson(0), tree);
    QCOMPARE(texts.value(pointer), text);
    QCOMPARE(texts.size(), text.isEmpty() ? 0 : 1);
    QVERIFY(!asked.isEmpty());
    // What is kept as text is the value as written: it parses on its own.
    if (!text.isEmpty())
        QVERIFY(OrderedJson::parse(text, nullptr));
}

void tst_OrderedJson::shouldRefuseAnUnfinishedMemberKeptAsText_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("unterminated string") << QByteArray(R"({"t":"abc)");
    QTest::newRow("unclosed object") << QByteArray(R"({"t":{"a":[1,2])");
    QTest::newRow("nothing") << QByteArray(R"({"t":)");
    QTest::newRow("no value") << QByteArray(R"({"t":})");
}

void tst_OrderedJson::shouldRefuseAnUnfinishedMemberKeptAsText()
{
    QFETCH(QByteArray, json);
    QHash<QString, QByteArray> texts;
    OrderedJson::RawMembers raw;
    raw.maxDepth = 1;
    raw.texts = &texts;
    raw.wanted = [](QStringView at) { return at == u"/t"; };
    QString error;
    QVERIFY(!OrderedJson::parse(json, &error, &raw));
    QVERIFY(error.contains(u" at offset "));
}

QTEST_GUILESS_MAIN(tst_OrderedJson)
#include "tst_orderedjson.moc"
