#include "catalog/flatjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace catalog;
using namespace Qt::Literals::StringLiterals;

class tst_FlatJson : public QObject
{
    Q_OBJECT

private slots:
    void shouldReadAsQJsonDocumentDoes_data();
    void shouldReadAsQJsonDocumentDoes();
    void shouldLeaveTheRestToQJsonDocument_data();
    void shouldLeaveTheRestToQJsonDocument();
    void shouldFindMembers_data();
    void shouldFindMembers();
    void shouldWalkArraysInAnyOrder();
};

// Texts FlatJson reads: it must find exactly what QJsonDocument finds.
void tst_FlatJson::shouldReadAsQJsonDocumentDoes_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("codewars hook") << QByteArray(R"({"action":"created","code_challenge":{"id":"50654ddff44f800200000001","created_by_id":"508f2708b3be0c0200000002"}})");
    QTest::newRow("empty object") << QByteArray("{}");
    QTest::newRow("empty array") << QByteArray("[]");
    QTest::newRow("whitespace everywhere") << QByteArray(" \t\r\n{ \"a\" : [ 1 , { } , [ ] ] , \"b\" :null }\n");
    QTest::newRow("literals") << QByteArray("[true,false,null]");
    QTest::newRow("numbers") << QByteArray("[0,-0,1.5,-2.25e3,1E-2,6e+2,0.000001]");
    QTest::newRow("integer past 2^53") << QByteArray("[9007199254740993]");
    QTest::newRow("integral past 2^53, with an exponent") << QByteArray("[12345678901234.5e3,-1e18]");
    QTest::newRow("integer past 2^63") << QByteArray("[123456789012345678901234567890]");
    QTest::newRow("subnormal") << QByteArray("[4.9e-324]");
    QTest::newRow("largest double") << QByteArray("[1.7976931348623157e308]");
    QTest::newRow("escapes") << QByteArray(R"(["a\"b\\c\/d\be\ff\ng\rh\ti"])");
    QTest::newRow("unicode escape") << QByteArray(R"(["caf\u00e9 \u20AC"])");
    QTest::newRow("surrogate pair") << QByteArray(R"(["\ud83d\ude00"])");
    QTest::newRow("UTF-8") << QByteArray("[\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"]");
    QTest::newRow("noncharacter") << QByteArray("[\"\xef\xbf\xbf\"]");
    QTest::newRow("DEL") << QByteArray("[\"\x7f\"]");
    QTest::newRow("member named twice") << QByteArray(R"({"a":1,"b":2,"a":{"c":3}})");
    QTest::newRow("empty member name") << QByteArray(R"({"":1})");
    QTest::newRow("escaped member name") << QByteArray(R"({"\u0061":1})");
    QTest::newRow("deep") << QByteArray(QByteArray(FlatJson::MaxDepth, '[') + QByteArray(FlatJson::MaxDepth, ']'));
    // Strings are read eight bytes at a time: each kind of byte that ends a run,
    // at every place within and across those eight.
    QTest::newRow("long ASCII string") << QByteArray("[\"" + QByteArray(1000, 'x') + "\"]");
    QTest::newRow("DEL and space in a long run") << QByteArray("[\"" + QByteArray(20, 'x') + "\x7f \x7f" + QByteArray(20, 'y') + "\"]");
    for (int at = 0; at < 17; ++at) {
        const QByteArray before(at, 'a');
        const QByteArray after(17 - at, 'b');
        QTest::addRow("escape after %d bytes", at) << QByteArray("[\"" + before + "\\n" + after + "\"]");
        QTest::addRow("UTF-8 after %d bytes", at) << QByteArray("[\"" + before + "\xc3\xa9" + after + "\"]");
        QTest::addRow("string ending after %d bytes", at) << QByteArray("{\"" + before + "\":\"" + after + "\"}");
    }
}

void tst_FlatJson::shouldReadAsQJsonDocumentDoes()
{
    QFETCH(QByteArray, text);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonValue expected = document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());

    FlatJson json;
    QVERIFY(json.parse(text));
    QCOMPARE(json.root().toJsonValue(), expected);
    QCOMPARE(json.root().type(), expected.type());
}

// Texts FlatJson does not read: not JSON, or JSON it leaves to QJsonDocument.
void tst_FlatJson::shouldLeaveTheRestToQJsonDocument_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("qtReads");   // what the caller then gets from QJsonDocument
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("spaces") << QByteArray("  ") << false;
    QTest::newRow("number at the top") << QByteArray("5") << false;
    QTest::newRow("string at the top") << QByteArray("\"s\"") << false;
    QTest::newRow("unterminated object") << QByteArray("{\"a\":1") << false;
    QTest::newRow("unterminated string") << QByteArray("[\"abc") << false;
    QTest::newRow("missing colon") << QByteArray("{\"a\" 1}") << false;
    QTest::newRow("member without a name") << QByteArray("{1:2}") << false;
    QTest::newRow("trailing comma in object") << QByteArray("{\"a\":1,}") << false;
    QTest::newRow("trailing comma in array") << QByteArray("[1,]") << false;
    QTest::newRow("garbage after") << QByteArray("{} x") << false;
    QTest::newRow("NUL after") << QByteArray("{}\0", 3) << false;
    QTest::newRow("leading zero") << QByteArray("[01]") << false;
    QTest::newRow("plus sign") << QByteArray("[+1]") << false;
    QTest::newRow("lone minus") << QByteArray("[-]") << false;
    QTest::newRow("exponent without digits") << QByteArray("[1e]") << false;
    QTest::newRow("too large") << QByteArray("[1e400]") << false;
    QTest::newRow("too small") << QByteArray("[1e-400]") << false;
    QTest::newRow("truncated literal") << QByteArray("[tru]") << false;
    QTest::newRow("short unicode escape") << QByteArray(R"(["\u12"])") << false;
    QTest::newRow("signed unicode escape") << QByteArray(R"(["\u-001"])") << false;
    QTest::newRow("overlong UTF-8") << QByteArray("[\"\xc0\x80\"]") << false;
    QTest::newRow("UTF-8 surrogate") << QByteArray("[\"\xed\xa0\x80\"]") << false;
    QTest::newRow("past U+10FFFF") << QByteArray("[\"\xf4\x90\x80\x80\"]") << false;
    QTest::newRow("truncated UTF-8") << QByteArray("[\"\xe2\x82\"]") << false;
    QTest::newRow("stray continuation byte") << QByteArray("[\"\x80\"]") << false;
    // QJsonDocument is more lenient than RFC 8259 here; those hooks take its way.
    QTest::newRow("fraction without digits") << QByteArray("[1.]") << true;
    QTest::newRow("fraction without integer") << QByteArray("[.5]") << true;
    QTest::newRow("unknown escape") << QByteArray(R"(["\x"])") << true;
    QTest::newRow("lone high surrogate escape") << QByteArray(R"(["\ud800"])") << true;
    QTest::newRow("lone low surrogate escape") << QByteArray(R"(["\ude00x"])") << true;
    QTest::newRow("high surrogate before a letter") << QByteArray(R"(["\ud83dx"])") << true;
    QTest::newRow("raw control character") << QByteArray("[\"a\x01\"]") << true;
    for (int at = 0; at < 17; ++at) {
        QTest::addRow("raw control character after %d bytes", at)
            << QByteArray("[\"" + QByteArray(at, 'a') + "\x1f" + QByteArray(17 - at, 'b') + "\"]") << true;
        QTest::addRow("stray continuation byte after %d bytes", at)
            << QByteArray("[\"" + QByteArray(at, 'a') + "\x80" + QByteArray(17 - at, 'b') + "\"]") << false;
        QTest::addRow("string cut off after %d bytes", at) << QByteArray("[\"" + QByteArray(at, 'a')) << false;
    }
    QTest::newRow("deeper than MaxDepth")
        << QByteArray(QByteArray(FlatJson::MaxDepth + 1, '[') + QByteArray(FlatJson::MaxDepth + 1, ']')) << true;
}

void tst_FlatJson::shouldLeaveTheRestToQJsonDocument()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, qtReads);
    FlatJson json;
    QVERIFY(!json.parse(text));
    QVERIFY(json.root().isUndefined());
    QJsonParseError error;
    QJsonDocument::fromJson(text, &error);
    QCOMPARE(error.error == QJsonParseError::NoError, qtReads);
}

void tst_FlatJson::shouldFindMembers_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QJsonValue>("value");   // Undefined: not there
    const QByteArray text = R"({"action":"created","n":1.5,"x":[1,2],"dup":1,"dup":"last","\u0065sc":true,"caf\u00e9":null,"na\u00efve":0,")"
                            "\xc3\xbc\":2}";
    QTest::newRow("string") << text << u"action"_s << QJsonValue(u"created"_s);
    QTest::newRow("number") << text << u"n"_s << QJsonValue(1.5);
    QTest::newRow("array") << text << u"x"_s << QJsonValue(QJsonArray{1, 2});
    QTest::newRow("named twice") << text << u"dup"_s << QJsonValue(u"last"_s);
    QTest::newRow("escaped name") << text << u"esc"_s << QJsonValue(true);
    QTest::newRow("escaped non-ASCII name") << text << u"caf\u00e9"_s << QJsonValue(QJsonValue::Null);
    QTest::newRow("UTF-8 name") << text << u"\u00fc"_s << QJsonValue(2);
    QTest::newRow("other case") << text << u"Action"_s << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("prefix") << text << u"act"_s << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("in an array, not an object") << QByteArray(R"([{"a":1}])") << u"a"_s << QJsonValue(QJsonValue::Undefined);
}

void tst_FlatJson::shouldFindMembers()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, name);
    QFETCH(QJsonValue, value);
    FlatJson json;
    QVERIFY(json.parse(text));
    const FlatJson::Value found = json.root().toObject().value(name);
    QCOMPARE(found.isUndefined(), value.isUndefined());
    QCOMPARE(json.root().toObject().contains(name), !value.isUndefined());
    QCOMPARE(found.toJsonValue(), value);
    FlatJson::Value::TextBuffer buffer;
    QCOMPARE(found.text(buffer).toString(), value.isString() ? value.toString() : QString());
    if (value.isString())
        QCOMPARE(found.toString(), value.toString());
}

void tst_FlatJson::shouldWalkArraysInAnyOrder()
{
    const QByteArray text = R"([[1,[2]],{"a":[3]},"s",4,null])";
    FlatJson json;
    QVERIFY(json.parse(text));
    const FlatJson::Array array = json.root().toArray();
    const QJsonArray expected = QJsonDocument::fromJson(text).array();
    QCOMPARE(array.size(), expected.size());
    for (const qsizetype i : {0, 1, 2, 3, 4, 2, 0, 4, 3, 1})
        QCOMPARE(array.at(i).toJsonValue(), expected.at(i));
    QVERIFY(array.at(5).isUndefined());
    QVERIFY(array.at(-1).isUndefined());
    QCOMPARE(json.root().toObject().value(u"a"_s).isUndefined(), true);
}

QTEST_GUILESS_MAIN(tst_FlatJson)
#include "tst_flatjson.moc"
