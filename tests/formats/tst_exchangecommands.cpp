#include "hartesthelpers.h"
#include "testhelpers.h"

#include "capture/hookstore.h"
#include "cli/cli.h"
#include "formats/har.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QJsonObject>
#include <QTest>

#include <cstdio>
#include <unistd.h>

using testhelpers::allBytes;
using testhelpers::makeHook;

namespace {

struct CliResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs `hookscope args...` in this process, with stdout and stderr caught in files.
CliResult runCli(const QStringList &args)
{
    QTemporaryFile outFile;
    QTemporaryFile errFile;
    if (!outFile.open() || !errFile.open())
        return {};
    std::fflush(stdout);
    std::fflush(stderr);
    const int savedOut = ::dup(STDOUT_FILENO);
    const int savedErr = ::dup(STDERR_FILENO);
    ::dup2(outFile.handle(), STDOUT_FILENO);
    ::dup2(errFile.handle(), STDERR_FILENO);
    CliResult result;
    result.exitCode = cli::run(QStringList{QStringLiteral("hookscope")} + args);
    std::fflush(stdout);
    std::fflush(stderr);
    ::dup2(savedOut, STDOUT_FILENO);
    ::dup2(savedErr, STDERR_FILENO);
    ::close(savedOut);
    ::close(savedErr);
    outFile.seek(0);
    errFile.seek(0);
    result.out = outFile.readAll();
    result.err = errFile.readAll();
    return result;
}

QList<Hook> sampleHooks()
{
    QList<Hook> hooks{makeHook(), makeHook("code_challenge", allBytes()), makeHook("ping", QByteArray())};
    hooks[1].peerAddress = QStringLiteral("::1");
    hooks[1].headers.append(http::HeaderField{"X-Obs", "caf\xe9"});
    hooks[1].answer = {401, {{"Content-Type", "application/octet-stream"}}, QByteArray("\x00\xff", 2)};
    hooks[2].method = "GET";
    hooks[2].headers = {{"Host", "h"}};
    hooks[2].chunked = false;
    hooks[2].inspection = {};
    return hooks;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

} // namespace

class tst_ExchangeCommands : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void shouldExportEachFormat_data();
    void shouldExportEachFormat();
    void shouldExportOnlyTheIdsGiven();
    void shouldRefuseUnknownFormatAndUnknownId();
    void shouldImportHarAndReportIt();
    void shouldRoundTripThroughTheCommands();
    void shouldGiveImportedHooksNewIds();
    void shouldImportForeignHar();
    void shouldRefuseBadImport_data();
    void shouldRefuseBadImport();
    void shouldRefuseImportWithoutOneFile();
    void shouldDiffTwoStoredHooks();

private:
    QString path(const char *name) const { return m_dir->filePath(QLatin1StringView(name)); }
    QList<Hook> seedStore(const QString &storePath);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_ExchangeCommands::initTestCase()
{
    QCoreApplication::setApplicationVersion(QStringLiteral("0.0.1-test"));
}

void tst_ExchangeCommands::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_ExchangeCommands::cleanup()
{
    m_dir.reset();
}

QList<Hook> tst_ExchangeCommands::seedStore(const QString &storePath)
{
    HookStore store;
    if (!store.open(storePath)) {
        qWarning() << store.errorString();
        return {};
    }
    QList<Hook> hooks = sampleHooks();
    if (!store.insertHooks(&hooks)) {
        qWarning() << store.errorString();
        return {};
    }
    return hooks;
}

void tst_ExchangeCommands::shouldExportEachFormat_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("har") << QStringLiteral("har");
    QTest::newRow("jsonl") << QStringLiteral("jsonl");
    QTest::newRow("curl") << QStringLiteral("curl");
}

void tst_ExchangeCommands::shouldExportEachFormat()
{
    QFETCH(QString, format);

    const QList<Hook> hooks = seedStore(path("hooks.sqlite"));
    QCOMPARE(hooks.size(), 3);
    const CliResult result = runCli({QStringLiteral("export"), QStringLiteral("--db"), path("hooks.sqlite"), QStringLiteral("--format"),
                                     format, QStringLiteral("--out"), path("out")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY(result.out.isEmpty());
    const QByteArray data = readFile(path("out"));

    if (format == u"har") {
        const QJsonArray entries = entriesOf(data);
        QCOMPARE(entries.size(), 3);
        for (qsizetype i = 0; i < entries.size(); ++i)
            QCOMPARE(entries.at(i).toObject().value(u"_hookscope").toObject().value(u"id").toInteger(), hooks.at(i).id);
        QCOMPARE(QJsonDocument::fromJson(data).object().value(u"log").toObject().value(u"creator").toObject().value(u"version").toString(),
                 QStringLiteral("0.0.1-test"));
    } else if (format == u"jsonl") {
        QCOMPARE(data.count('\n'), 3);
        QVERIFY(data.startsWith(QByteArray("{\"id\":" + QByteArray::number(hooks.first().id))));
    } else {
        QVERIFY(data.startsWith("#!/bin/sh\n"));
        QCOMPARE(data.count("\n# hook "), 3);
        QCOMPARE(data.count(" --data-binary @- 'http://127.0.0.1:8790/hooks?source=codewars'\n"), 1);
        QVERIFY(data.endsWith(" 'http://h/hooks?source=codewars'\n"));
    }
}

void tst_ExchangeCommands::shouldExportOnlyTheIdsGiven()
{
    const QList<Hook> hooks = seedStore(path("hooks.sqlite"));
    QCOMPARE(hooks.size(), 3);
    const CliResult result = runCli({QStringLiteral("export"), QStringLiteral("--db"), path("hooks.sqlite"), QStringLiteral("--format"),
                                     QStringLiteral("har"), QString::number(hooks.at(1).id)});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QJsonArray entries = entriesOf(result.out);
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries.first().toObject().value(u"_hookscope").toObject().value(u"id").toInteger(), hooks.at(1).id);
}

void tst_ExchangeCommands::shouldRefuseUnknownFormatAndUnknownId()
{
    QCOMPARE(seedStore(path("hooks.sqlite")).size(), 3);

    CliResult result = runCli({QStringLiteral("export"), QStringLiteral("--db"), path("hooks.sqlite"), QStringLiteral("--format"),
                               QStringLiteral("xml")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("'xml'") && result.err.contains("har, jsonl, curl"), result.err.constData());

    result = runCli({QStringLiteral("export"), QStringLiteral("--db"), path("hooks.sqlite"), QStringLiteral("--format"),
                     QStringLiteral("curl"), QStringLiteral("999")});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("999"), result.err.constData());
}

void tst_ExchangeCommands::shouldImportHarAndReportIt()
{
    QList<Hook> hooks = sampleHooks();
    QVERIFY(writeFile(path("in.har"), formats::hooksToHar(hooks)));

    const CliResult result = runCli({QStringLiteral("import"), QStringLiteral("--db"), path("new.sqlite"), path("in.har")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QCOMPARE(result.out, QByteArray("imported 3 hooks into " + path("new.sqlite").toUtf8() + '\n'));

    HookStore store;
    QVERIFY(store.open(path("new.sqlite"), HookStore::Mode::ReadOnly));
    const QList<Hook> stored = store.hooks({});
    QCOMPARE(stored.size(), 3);
    for (qsizetype i = 0; i < stored.size(); ++i) {
        Hook expected = hooks.at(i);
        expected.id = stored.at(i).id;
        expected.origin = Hook::Origin::Imported;
        QCOMPARE(stored.at(i), expected);
    }
}

void tst_ExchangeCommands::shouldRoundTripThroughTheCommands()
{
    QCOMPARE(seedStore(path("a.sqlite")).size(), 3);
    CliResult result = runCli({QStringLiteral("export"), QStringLiteral("--db"), path("a.sqlite"), QStringLiteral("--format"),
                               QStringLiteral("har"), QStringLiteral("--out"), path("a.har")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    result = runCli({QStringLiteral("import"), QStringLiteral("--db"), path("b.sqlite"), path("a.har")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    result = runCli({QStringLiteral("export"), QStringLiteral("--db"), path("b.sqlite"), QStringLiteral("--format"),
                     QStringLiteral("har"), QStringLiteral("--out"), path("b.har")});
    QVERIFY2(result.exitCode == 0, result.err.constData());

    const QJsonArray first = entriesOf(readFile(path("a.har")));
    const QJsonArray second = entriesOf(readFile(path("b.har")));
    QCOMPARE(second.size(), 3);
    QCOMPARE(withoutIds(second), withoutIds(first));
}

void tst_ExchangeCommands::shouldGiveImportedHooksNewIds()
{
    const QList<Hook> seeded = seedStore(path("hooks.sqlite"));
    QCOMPARE(seeded.size(), 3);
    QVERIFY(writeFile(path("in.har"), formats::hooksToHar(seeded)));   // ids 1..3, already taken

    const CliResult result = runCli({QStringLiteral("import"), QStringLiteral("--db"), path("hooks.sqlite"), path("in.har")});
    QVERIFY2(result.exitCode == 0, result.err.constData());

    HookStore store;
    QVERIFY(store.open(path("hooks.sqlite"), HookStore::Mode::ReadOnly));
    const QList<Hook> stored = store.hooks({});
    QCOMPARE(stored.size(), 6);
    for (qsizetype i = 0; i < 3; ++i) {
        QCOMPARE(stored.at(i + 3).id, seeded.last().id + 1 + i);
        Hook copy = stored.at(i + 3);
        QCOMPARE(copy.origin, Hook::Origin::Imported);
        copy.id = seeded.at(i).id;
        copy.origin = Hook::Origin::Captured;
        QCOMPARE(copy, seeded.at(i));
    }
}

void tst_ExchangeCommands::shouldImportForeignHar()
{
    const QString foreign = QFINDTESTDATA("data/foreign.har");
    const CliResult result = runCli({QStringLiteral("import"), QStringLiteral("--db"), path("hooks.sqlite"), foreign});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QCOMPARE(result.out, QByteArray("imported 4 hooks into " + path("hooks.sqlite").toUtf8() + '\n'));
    HookStore store;
    QVERIFY(store.open(path("hooks.sqlite"), HookStore::Mode::ReadOnly));
    const QList<Hook> stored = store.hooks({});
    QCOMPARE(stored.size(), 4);
    QCOMPARE(stored.first().inspection.event, QStringLiteral("code_challenge"));
    QCOMPARE(stored.first().peer(), QStringLiteral("0.0.0.0:0"));
    QCOMPARE(stored.at(2).body, QByteArray("\x00\xff\x7f\x80\x01", 5));
}

void tst_ExchangeCommands::shouldRefuseBadImport_data()
{
    QTest::addColumn<QByteArray>("content");   // null: no file at all
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("problem");

    QTest::newRow("missing file") << QByteArray() << 1 << QString();
    QTest::newRow("not JSON") << QByteArray("POST /hooks HTTP/1.1\r\n") << 1 << QStringLiteral("not JSON");
    QTest::newRow("JSON, not HAR") << QByteArray(R"([{"id":1}])") << 1 << QStringLiteral("not a HAR file");
    QTest::newRow("malformed entry") << QByteArray(R"({"log":{"entries":[{"request":{}}]}})") << 1 << QStringLiteral("entry 1");
}

void tst_ExchangeCommands::shouldRefuseBadImport()
{
    QFETCH(QByteArray, content);
    QFETCH(int, exitCode);
    QFETCH(QString, problem);

    const QString file = path("input.har");
    if (!content.isNull())
        QVERIFY(writeFile(file, content));
    const CliResult result = runCli({QStringLiteral("import"), QStringLiteral("--db"), path("hooks.sqlite"), file});
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY2(result.err.contains(file.toUtf8()), result.err.constData());
    QVERIFY2(result.err.contains(problem.toUtf8()), result.err.constData());
    QVERIFY(result.out.isEmpty());
    // Nothing was stored.
    HookStore store;
    if (QFile::exists(path("hooks.sqlite"))) {
        QVERIFY(store.open(path("hooks.sqlite"), HookStore::Mode::ReadOnly));
        QCOMPARE(store.count(), 0);
    }
}

void tst_ExchangeCommands::shouldRefuseImportWithoutOneFile()
{
    CliResult result = runCli({QStringLiteral("import"), QStringLiteral("--db"), path("hooks.sqlite")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("no HAR file"), result.err.constData());
    result = runCli({QStringLiteral("import"), QStringLiteral("--db"), path("hooks.sqlite"), path("a.har"), path("b.har")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(path("b.har").toUtf8()), result.err.constData());
    QVERIFY(!QFile::exists(path("hooks.sqlite")));
}

void tst_ExchangeCommands::shouldDiffTwoStoredHooks()
{
    QList<Hook> hooks{makeHook("user", R"({"action":"rank_upgraded","user":{"id":"a","rank":-3}})"),
                      makeHook("user", R"({"action":"rank_upgraded","user":{"id":"a","rank":-2}})")};
    {
        HookStore store;
        QVERIFY(store.open(path("hooks.sqlite")));
        QVERIFY(store.insertHooks(&hooks));
    }
    const QString db = path("hooks.sqlite");
    CliResult result = runCli({QStringLiteral("diff"), QStringLiteral("--db"), db, QString::number(hooks[0].id),
                               QString::number(hooks[1].id), QStringLiteral("--json")});
    QCOMPARE(result.exitCode, 1);   // they differ
    const QJsonObject diff = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(diff.value(u"body").toArray(),
             (QJsonArray{QJsonObject{{QStringLiteral("path"), QStringLiteral("/user/rank")}, {QStringLiteral("op"), QStringLiteral("changed")},
                                     {QStringLiteral("from"), -3}, {QStringLiteral("to"), -2}}}));
    QVERIFY(diff.value(u"request").toArray().isEmpty());

    result = runCli({QStringLiteral("diff"), QStringLiteral("--db"), db, QString::number(hooks[0].id), QString::number(hooks[0].id)});
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.endsWith("no differences\n"), result.out.constData());

    result = runCli({QStringLiteral("diff"), QStringLiteral("--db"), db, QString::number(hooks[0].id), QStringLiteral("77")});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("no hook with id 77"), result.err.constData());
    result = runCli({QStringLiteral("diff"), QStringLiteral("--db"), db, QStringLiteral("1")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("expected two hook ids"), result.err.constData());
}

QTEST_GUILESS_MAIN(tst_ExchangeCommands)
#include "tst_exchangecommands.moc"
