#include "catalog/orderedjson.h"
#include "catalog/schema.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace catalog;
using namespace Qt::Literals::StringLiterals;

namespace {

std::optional<Schema> compile(const QByteArray &text, QString *error = nullptr)
{
    const std::optional<OrderedJson> json = OrderedJson::parse(text, error);
    return json ? Schema::compile(*json, error) : std::nullopt;
}

QStringList problemsOf(const Schema &schema, const QByteArray &value)
{
    QStringList problems;
    schema.validate(QJsonDocument::fromJson("[" + value + "]").array().at(0), &problems);
    return problems;
}

// The same check on the value as FlatJson reads it.
QStringList flatProblemsOf(const Schema &schema, const QByteArray &value)
{
    const QByteArray text = "[" + value + "]";
    FlatJson json;
    if (!json.parse(text))
        return {u"(not read by FlatJson)"_s};
    QStringList problems;
    schema.validate(json.root().toArray().at(0), &problems);
    return problems;
}

} // namespace

class tst_Schema : public QObject
{
    Q_OBJECT

private slots:
    void shouldValidateValues_data();
    void shouldValidateValues();
    void shouldRefuseBrokenSchemas_data();
    void shouldRefuseBrokenSchemas();
    void shouldReportUnknownKeywords();
    void shouldCheckRecursiveSchemasToABoundedDepth();
    void shouldListAtMostMaxProblems_data();
    void shouldListAtMostMaxProblems();
};

void tst_Schema::shouldValidateValues_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QStringList>("problems");
    const QByteArray rank = R"({"type":"integer","anyOf":[{"minimum":-8,"maximum":-1},{"minimum":1,"maximum":8}]})";
    QTest::newRow("rank ok") << rank << QByteArray("-8") << QStringList();
    QTest::newRow("rank written as -5.0 is an integer") << rank << QByteArray("-5.0") << QStringList();
    QTest::newRow("rank 0") << rank << QByteArray("0") << QStringList{u"body: expected an integer in -8..-1 or 1..8, got 0"_s};
    QTest::newRow("rank fraction") << rank << QByteArray("1.5")
                                   << QStringList{u"body: expected an integer in -8..-1 or 1..8, got 1.5"_s};
    const QByteArray language = R"({"type":["null","string"],"format":"language","pattern":"^[a-z][a-z0-9_]*$"})";
    QTest::newRow("language null") << language << QByteArray("null") << QStringList();
    QTest::newRow("language id") << language << QByteArray("\"csharp\"") << QStringList();
    QTest::newRow("language with a space") << language << QByteArray("\"c sharp\"")
                                           << QStringList{u"body: expected null or a language id (like \"python\"), got \"c sharp\""_s};
    const QByteArray nested = R"({"type":"object","required":["a","b"],"properties":{
        "a":{"type":"object","required":["id"],"properties":{"id":{"$ref":"#/definitions/objectid"}}},
        "b":{"type":"array","items":{"type":"boolean"}}},
        "definitions":{"objectid":{"type":"string","format":"objectid","pattern":"^[0-9a-fA-F]{24}$"}}})";
    QTest::newRow("nested ok") << nested << QByteArray(R"({"a":{"id":"53aa3f265b97485984000001"},"b":[true],"extra":1})")
                               << QStringList();
    QTest::newRow("nested problems in order")
        << nested << QByteArray(R"({"a":{"id":"53aa3f265b9748598400000"},"b":[true,1]})")
        << QStringList{u"/a/id: expected a 24-hex-digit ObjectId, got \"53aa3f265b9748598400000\""_s, u"/b/1: expected a boolean, got 1"_s};
    QTest::newRow("both missing") << nested << QByteArray("{}") << QStringList{u"/a: missing"_s, u"/b: missing"_s};
    QTest::newRow("long values shortened") << QByteArray(R"({"type":"integer"})") << QByteArray('"' + QByteArray(100, 'x') + '"')
                                           << QStringList{u"body: expected an integer, got \""_s + QString(58, u'x') + u'…'};
    QTest::newRow("enum") << QByteArray(R"({"enum":["open","closed"]})") << QByteArray("\"opened\"")
                          << QStringList{u"body: expected one of \"open\", \"closed\", got \"opened\""_s};
    QTest::newRow("a format names, a pattern checks")
        << QByteArray(R"({"type":"string","format":"date-time","pattern":"^[0-9]{4}-[0-9]{2}-[0-9]{2}T"})") << QByteArray("\"yesterday\"")
        << QStringList{u"body: expected an ISO 8601 date-time, got \"yesterday\""_s};
    QTest::newRow("a format alone is an annotation") << QByteArray(R"({"type":"string","format":"date-time"})")
                                                     << QByteArray("\"yesterday\"") << QStringList();
    QTest::newRow("empty schema accepts anything") << QByteArray("{}") << QByteArray("[1,\"x\"]") << QStringList();
    QTest::newRow("escaped member name found") << nested << QByteArray(R"({"\u0061":{"id":"53aa3f265b97485984000001"},"b":[]})")
                                               << QStringList();
    QTest::newRow("member named twice: the last counts")
        << nested << QByteArray(R"({"a":{"id":"53aa3f265b97485984000001"},"b":[],"b":[false,"no"]})")
        << QStringList{u"/b/1: expected a boolean, got \"no\""_s};
    QTest::newRow("escaped ObjectId") << nested << QByteArray(R"({"a":{"id":"53aa3f265b9748598400000\u0031"},"b":[]})")
                                      << QStringList();
    QTest::newRow("non-ASCII in a checked string") << language << QByteArray("\"caf\xc3\xa9\"")
                                                   << QStringList{u"body: expected null or a language id (like \"python\"), got \"caf\u00e9\""_s};
    QTest::newRow("enum with an escaped value") << QByteArray(R"({"enum":["open","closed"]})") << QByteArray(R"("\u006fpen")")
                                                << QStringList();
}

void tst_Schema::shouldValidateValues()
{
    QFETCH(QByteArray, schema);
    QFETCH(QByteArray, value);
    QFETCH(QStringList, problems);
    QString error;
    const std::optional<Schema> compiled = compile(schema, &error);
    QVERIFY2(compiled, qPrintable(error));
    QCOMPARE(problemsOf(*compiled, value), problems);
    QCOMPARE(flatProblemsOf(*compiled, value), problems);
}

void tst_Schema::shouldRefuseBrokenSchemas_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown type") << QByteArray(R"({"properties":{"user":{"properties":{"rank":{"type":"int"}}}}})")
                                  << "/properties/user/properties/rank: unknown type \"int\"";
    QTest::newRow("reference leading nowhere") << QByteArray(R"({"properties":{"a":{"$ref":"#/definitions/missing"}}})")
                                               << "/properties/a: $ref \"#/definitions/missing\" leads nowhere in the document";
    QTest::newRow("reference to another document") << QByteArray(R"({"$ref":"http://example.com/schema.json"})")
                                                   << "only references inside the document";
    QTest::newRow("two references in a cycle")
        << QByteArray(R"({"$ref":"#/definitions/a","definitions":{"a":{"$ref":"#/definitions/b"},"b":{"$ref":"#/definitions/a"}}})")
        << "$ref cycle that never reaches into the value";
    QTest::newRow("a cycle through allOf")
        << QByteArray(R"({"definitions":{"a":{"allOf":[{"$ref":"#/definitions/a"}]}},"properties":{"x":{"$ref":"#/definitions/a"}}})")
        << "$ref cycle that never reaches into the value: /definitions/a -> /definitions/a/allOf/0 -> /definitions/a";
    QTest::newRow("bad pattern") << QByteArray(R"({"pattern":"(unclosed"})") << "\"pattern\" is not a regular expression";
    QTest::newRow("not an object") << QByteArray("[]") << "schema: expected a schema (an object or true/false), got []";
    QTest::newRow("required not a list") << QByteArray(R"({"required":"a"})") << "\"required\" must be a list of member names";
}

void tst_Schema::shouldRefuseBrokenSchemas()
{
    QFETCH(QByteArray, schema);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!compile(schema, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
}

void tst_Schema::shouldReportUnknownKeywords()
{
    QString error;
    QStringList warnings;
    const std::optional<OrderedJson> json =
        OrderedJson::parse(R"({"type":"object","properties":{"a":{"type":"string","ranges":[[1,2]]}},"tsType":"X"})", &error);
    const std::optional<Schema> schema = Schema::compile(*json, &error, &warnings);
    QVERIFY2(schema, qPrintable(error));
    QCOMPARE(warnings, (QStringList{u"/properties/a/ranges: unknown keyword \"ranges\", ignored"_s,
                                    u"/tsType: unknown keyword \"tsType\", ignored"_s}));
    // Ignored means ignored: the value is checked by the keywords that are known.
    QCOMPARE(problemsOf(*schema, R"({"a":"xyz"})"), QStringList());
    QCOMPARE(problemsOf(*schema, R"({"a":1})"), QStringList{u"/a: expected a string, got 1"_s});
}

void tst_Schema::shouldCheckRecursiveSchemasToABoundedDepth()
{
    const Schema tree = *compile(R"({"type":"object","properties":{"child":{"$ref":"#"},"n":{"type":"integer"}}})");
    QByteArray shallow = R"({"n":1})";
    for (int i = 0; i < 10; ++i)
        shallow = R"({"child":)" + shallow + "}";
    QCOMPARE(problemsOf(tree, shallow), QStringList());
    QCOMPARE(problemsOf(tree, R"({"child":{"child":{"n":"x"}}})"), QStringList{u"/child/child/n: expected an integer, got \"x\""_s});
    QByteArray deep = R"({"n":1})";
    for (int i = 0; i < Schema::MaxRecursiveDepth + 10; ++i)
        deep = R"({"child":)" + deep + "}";
    QCOMPARE(problemsOf(tree, deep), QStringList{u"body: nested deeper than 64 levels; not checked against the schema"_s});
}

void tst_Schema::shouldListAtMostMaxProblems_data()
{
    QTest::addColumn<int>("elements");
    QTest::addColumn<int>("listed");
    QTest::addColumn<bool>("truncated");
    QTest::newRow("fewer than the cap") << 3 << 3 << false;
    QTest::newRow("exactly the cap") << 5 << 5 << false;
    QTest::newRow("one more than the cap") << 6 << 5 << true;
    QTest::newRow("far more than the cap") << 10000 << 5 << true;
}

void tst_Schema::shouldListAtMostMaxProblems()
{
    QFETCH(int, elements);
    QFETCH(int, listed);
    QFETCH(bool, truncated);
    const Schema schema = *compile(R"({"type":"array","items":{"type":"string"}})");
    QJsonArray array;
    for (int i = 0; i < elements; ++i)
        array.append(i);
    QStringList problems;
    schema.validate(array, &problems, 5);
    QCOMPARE(problems.size(), listed + (truncated ? 1 : 0));
    QCOMPARE(problems.front(), u"/0: expected a string, got 0"_s);
    QCOMPARE(problems.back() == u"(further problems not listed)"_s, truncated);
}

QTEST_GUILESS_MAIN(tst_Schema)
#include "tst_schema.moc"
