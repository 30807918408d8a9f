#include "catalog/catalog.h"
#include "catalog/schemaoutline.h"

#include <QTest>

using catalog::SchemaRow;
using catalog::schemaOutline;

Q_DECLARE_METATYPE(QList<SchemaRow>)

namespace {

SchemaRow row(int depth, const char *path, const char *type, bool required, const char *rule = nullptr,
              const char *example = nullptr)
{
    SchemaRow r;
    r.depth = depth;
    r.path = QString::fromUtf8(path);
    r.name = r.path.endsWith(u"[]") ? QStringLiteral("[ ]") : r.path.mid(r.path.lastIndexOf(u'.') + 1);
    r.type = QString::fromUtf8(type);
    r.required = required;
    r.rule = QString::fromUtf8(rule);
    r.example = QString::fromUtf8(example);
    return r;
}

QString describe(const QList<SchemaRow> &rows)
{
    QStringList lines;
    for (const SchemaRow &r : rows)
        lines.append(QStringLiteral("%1%2 | %3 | %4 | %5 | %6 | %7")
                         .arg(QString(r.depth * 2, u' '), r.name, r.path, r.type, r.required ? QStringLiteral("required") : QStringLiteral("optional"), r.rule, r.example));
    return lines.join(u'\n');
}

} // namespace

// The catalog's schemas as the Overview lists them: a row per member with type, required and rules in words.
class tst_SchemaOutline : public QObject
{
    Q_OBJECT

private slots:
    void shouldListMembersWithTypesAndRules_data();
    void shouldListMembersWithTypesAndRules();
    void shouldOutlineEveryCatalogSchema();
};

void tst_SchemaOutline::shouldListMembersWithTypesAndRules_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QByteArray>("example");
    QTest::addColumn<QList<SchemaRow>>("rows");

    QTest::newRow("flat, in the schema's order")
        << QByteArray(R"({"type":"object","required":["action"],"properties":{
             "action":{"type":"string","enum":["created","voted"]},
             "id":{"type":"string","pattern":"^[0-9a-f]{24}$"}}})")
        << QByteArray(R"({"id":"53aa3f265b97485984000001","action":"voted"})")
        << QList<SchemaRow>{row(0, "action", "string", true, "one of created, voted", "voted"),
                            row(0, "id", "string", false, "matches ^[0-9a-f]{24}$", "53aa3f265b97485984000001")};
    QTest::newRow("nested object, numbers, nullable")
        << QByteArray(R"({"type":"object","properties":{"user":{"type":"object","required":["rank"],"properties":{
             "rank":{"type":"integer","minimum":-8,"maximum":8,"not":{"const":0}},
             "honor":{"type":["integer","null"],"exclusiveMinimum":0}}}}})")
        << QByteArray(R"({"user":{"rank":-5,"honor":null}})")
        << QList<SchemaRow>{row(0, "user", "object", false), row(1, "user.rank", "integer", true, "≥ -8; ≤ 8; not 0", "-5"),
                            row(1, "user.honor", "integer or null", false, "> 0", "null")};
    QTest::newRow("arrays of values and of objects")
        << QByteArray(R"({"type":"object","properties":{
             "tags":{"type":"array","items":{"type":"string","minLength":1},"minItems":1,"uniqueItems":true},
             "commits":{"type":"array","items":{"type":"object","properties":{"sha":{"type":"string","minLength":40,"maxLength":40}}}}}})")
        << QByteArray(R"({"tags":["a","b"],"commits":[{"sha":"0123456789012345678901234567890123456789"}]})")
        << QList<SchemaRow>{row(0, "tags", "array of string", false, "at least 1 item; no repeated items", "[2 items]"),
                            row(1, "tags[]", "string", false, "at least 1 character", "a"),
                            row(0, "commits", "array", false, nullptr, "[1 item]"),
                            row(1, "commits[]", "object", false),
                            row(2, "commits[].sha", "string", false, "exactly 40 characters", "0123456789012345678901234567890123456789")};
    QTest::newRow("local references and alternatives")
        << QByteArray(R"({"definitions":{"user":{"type":"object","required":["login"],"properties":{"login":{"type":"string"}}},
             "when":{"type":"string","format":"date-time"}},
             "type":"object","required":["sender"],"properties":{
             "sender":{"$ref":"#/definitions/user"},
             "closed_at":{"oneOf":[{"$ref":"#/definitions/when"},{"type":"null"}]},
             "state":{"const":"open"}}})")
        << QByteArray()
        << QList<SchemaRow>{row(0, "sender", "object", true), row(1, "sender.login", "string", true),
                            row(0, "closed_at", "string or null", false, "format date-time"),
                            row(0, "state", "string", false, "always \"open\"")};
    QTest::newRow("a reference back into itself is shown once")
        << QByteArray(R"({"definitions":{"node":{"type":"object","properties":{"name":{"type":"string"},"child":{"$ref":"#/definitions/node"}}}},
             "type":"object","properties":{"root":{"$ref":"#/definitions/node"}}})")
        << QByteArray()
        << QList<SchemaRow>{row(0, "root", "object", false), row(1, "root.name", "string", false),
                            row(1, "root.child", "object", false, "the same as #/definitions/node above")};
    QTest::newRow("a reference to nowhere")
        << QByteArray(R"({"type":"object","properties":{"x":{"$ref":"#/definitions/missing"}}})") << QByteArray()
        << QList<SchemaRow>{row(0, "x", "any", false, "refers to #/definitions/missing, which is not in the schema")};
    QTest::newRow("many values are cut short")
        << QByteArray(R"({"type":"object","properties":{"n":{"enum":[1,2,3,4,5,6,7,8,9,10]}}})") << QByteArray()
        << QList<SchemaRow>{row(0, "n", "integer", false, "one of 1, 2, 3, 4, 5, 6, 7, 8, … (10 in all)")};
    QTest::newRow("not JSON") << QByteArray("{\"type\":") << QByteArray() << QList<SchemaRow>{};
    QTest::newRow("no members") << QByteArray(R"({"type":"object"})") << QByteArray() << QList<SchemaRow>{};
}

void tst_SchemaOutline::shouldListMembersWithTypesAndRules()
{
    QFETCH(QByteArray, schema);
    QFETCH(QByteArray, example);
    QFETCH(QList<SchemaRow>, rows);
    const QList<SchemaRow> outline = schemaOutline(schema, example);
    QVERIFY2(outline == rows, qPrintable(u"got:\n" + describe(outline) + u"\nexpected:\n" + describe(rows)));
}

void tst_SchemaOutline::shouldOutlineEveryCatalogSchema()
{
    // Every schema the catalog holds reads as rows, GitHub's large ones included, within bounds.
    const catalog::Catalog catalog = catalog::Catalog::builtin();
    int outlined = 0;
    for (const QString &provider : catalog.providers()) {
        const std::optional<catalog::Provider> info = catalog.provider(provider);
        QVERIFY(info);
        for (const catalog::Event &event : info->events) {
            const QStringList actions = event.hasActions() ? [&] {
                QStringList names;
                for (const catalog::Action &action : event.actions)
                    names.append(action.name);
                return names;
            }() : QStringList{QString()};
            for (const QString &action : actions) {
                const QByteArray schema = catalog.schemaJson(provider, event.name, action);
                if (schema.isEmpty())
                    continue;
                const QList<SchemaRow> rows = schemaOutline(schema);
                QVERIFY2(!rows.isEmpty(), qPrintable(provider + u'/' + event.name + u'/' + action));
                QVERIFY(rows.size() <= 5000);
                ++outlined;
            }
        }
    }
    QVERIFY(outlined > 200);
}

QTEST_MAIN(tst_SchemaOutline)
#include "tst_schemaoutline.moc"
