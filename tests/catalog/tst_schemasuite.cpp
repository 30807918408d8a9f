// The catalog's JSON Schema engine against the official JSON-Schema-Test-Suite
// (Debian's json-schema-test-suite), draft 7, one row per keyword file.

#include "catalog/flatjson.h"
#include "catalog/schema.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace catalog;

namespace {

QString suiteDir()
{
    return QStringLiteral(HOOKSCOPE_JSON_SCHEMA_TEST_SUITE "/tests/draft7");
}

// Cases whose schemas reach outside the document ($id-based or remote references):
// hookscope refuses those with a message, so they are counted apart, not as passes.
struct Counts
{
    int passed = 0;
    int failed = 0;
    int refused = 0;
    QStringList failures;
};

Counts runFile(const QString &path)
{
    Counts counts;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return counts;
    const QJsonArray groups = QJsonDocument::fromJson(file.readAll()).array();
    for (const QJsonValue &group : groups) {
        const QJsonObject g = group.toObject();
        const QJsonArray tests = g.value(u"tests").toArray();
        QString error;
        const std::optional<Schema> schema = Schema::compile(g.value(u"schema"), QString(), &error);
        if (!schema) {
            counts.refused += int(tests.size());
            continue;
        }
        for (const QJsonValue &test : tests) {
            const QJsonObject t = test.toObject();
            const QByteArray text = QJsonDocument(QJsonArray{t.value(u"data")}).toJson(QJsonDocument::Compact);
            FlatJson json;
            QStringList problems;
            if (json.parse(text))
                schema->validate(json.root().toArray().at(0), &problems);
            else
                schema->validate(t.value(u"data"), &problems);
            if (problems.isEmpty() == t.value(u"valid").toBool()) {
                ++counts.passed;
            } else {
                ++counts.failed;
                counts.failures.append(g.value(u"description").toString() + u" / " + t.value(u"description").toString());
            }
        }
    }
    return counts;
}

} // namespace

class tst_SchemaSuite : public QObject
{
    Q_OBJECT

private slots:
    void shouldPassTheSuiteForEverySupportedKeyword_data();
    void shouldPassTheSuiteForEverySupportedKeyword();
    void cleanupTestCase();

private:
    Counts m_total;
};

void tst_SchemaSuite::shouldPassTheSuiteForEverySupportedKeyword_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(suiteDir());
    if (!dir.exists())
        QSKIP("json-schema-test-suite is not installed (packaging/install-deps.sh installs it)");
    for (const QString &name : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        // Remote references (a server on localhost:1234) and the meta-schema are outside what a catalog may use.
        if (name == u"refRemote.json" || name == u"definitions.json")
            continue;
        QTest::newRow(qPrintable(name)) << dir.filePath(name);
    }
}

void tst_SchemaSuite::shouldPassTheSuiteForEverySupportedKeyword()
{
    QFETCH(QString, path);
    const Counts counts = runFile(path);
    m_total.passed += counts.passed;
    m_total.failed += counts.failed;
    m_total.refused += counts.refused;
    qInfo("%s: %d of %d passed%s", qPrintable(QFileInfo(path).fileName()), counts.passed, counts.passed + counts.failed,
          counts.refused ? qPrintable(QStringLiteral(" (%1 with references outside the document refused)").arg(counts.refused)) : "");
    QVERIFY2(counts.failures.isEmpty(), qPrintable(counts.failures.join(u'\n')));
}

void tst_SchemaSuite::cleanupTestCase()
{
    qInfo("JSON-Schema-Test-Suite draft 7: %d of %d passed, %d refused", m_total.passed, m_total.passed + m_total.failed,
          m_total.refused);
}

QTEST_GUILESS_MAIN(tst_SchemaSuite)
#include "tst_schemasuite.moc"
