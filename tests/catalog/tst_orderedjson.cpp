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

QTEST_GUILESS_MAIN(tst_OrderedJson)
#include "tst_orderedjson.moc"
