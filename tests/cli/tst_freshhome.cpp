#include "clitesthelpers.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QTcpServer>

#include <csignal>

// Every command the README and the manual page show, run as a newcomer would:
// in a home where hookscope never ran, on the default store (no --db), one after
// the other, each by the real binary.
class tst_FreshHome : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void shouldRunEveryDocumentedCommandInAnEmptyHome();
    void shouldSayThatNothingIsStoredYet();
    void shouldLoadTheUsersCatalogsBesideTheBuiltInOnes();

private:
    clitest::Result run(const QStringList &args);
    QProcessEnvironment m_env;
    std::unique_ptr<QTemporaryDir> m_home;
};

void tst_FreshHome::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid());
    m_env = QProcessEnvironment::systemEnvironment();
    m_env.insert(QStringLiteral("HOME"), m_home->path());
    for (const char *variable : {"XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"})
        m_env.remove(QString::fromLatin1(variable));
}

void tst_FreshHome::shouldLoadTheUsersCatalogsBesideTheBuiltInOnes()
{
    const QString folder = m_home->filePath(QStringLiteral(".local/share/hookscope/catalogs"));
    QVERIFY(QDir().mkpath(folder));
    auto write = [&](const QString &name, const QByteArray &content) {
        QFile file(folder + u'/' + name);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    };
    write(QStringLiteral("acme.json"), R"({"provider":"acme","name":"Acme Orders","eventHeader":"X-Acme-Event",
        "headers":[{"name":"X-Acme-Event","value":"{{event}}"}],
        "events":{"order":{"description":"An order changed.","schema":{"type":"object","required":["order_id"]},
                           "template":{"order_id":"{{int:1..9}}"}}}})");
    write(QStringLiteral("broken.json"), R"({"provider":"bad","name":"Bad","eventHeader":"X-Bad","headers":[],
        "events":{"e":{"schema":{"$ref":"#/definitions/nothing"},"template":{}}}})");
    write(QStringLiteral("notes.json"), "not JSON at all");

    clitest::Result result = run({QStringLiteral("events")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY2(result.out.contains("codewars (Codewars) - event in X-Webhook-Event - built-in\n"), result.out.constData());
    QVERIFY2(result.out.contains((u"acme (Acme Orders) - event in X-Acme-Event - from " + folder + u"/acme.json\n").toUtf8()),
             result.out.constData());
    QVERIFY2(result.err.contains((folder + u"/broken.json: /events/e/schema: $ref \"#/definitions/nothing\" leads nowhere").toUtf8()),
             result.err.constData());
    QVERIFY2(result.err.contains((folder + u"/notes.json: not valid JSON").toUtf8()), result.err.constData());

    result = run({QStringLiteral("events"), QStringLiteral("--json")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY2(result.out.contains((u"\"origin\": \"" + folder + u"/acme.json\"").toUtf8()), result.out.constData());
}

clitest::Result tst_FreshHome::run(const QStringList &args)
{
    QProcess process;
    process.setProcessEnvironment(m_env);
    process.start(clitest::binary(), args);
    if (!process.waitForStarted(5000) || !process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        return {};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
            process.readAllStandardError()};
}

void tst_FreshHome::shouldRunEveryDocumentedCommandInAnEmptyHome()
{
    const QString store = m_home->filePath(QStringLiteral(".local/share/hookscope/hooks.sqlite"));
    QVERIFY(!QDir(m_home->filePath(QStringLiteral(".local"))).exists());

    QProcess listener;
    listener.setProcessEnvironment(m_env);
    const QUrl url = clitest::startListener(listener, {QStringLiteral("--secret"), QStringLiteral("some-shared-secret")});
    QVERIFY2(!url.isEmpty(), listener.readAllStandardError().constData());
    QVERIFY(QFile::exists(store));

    // send finds the listener of the default store by itself.
    clitest::Result result = run({QStringLiteral("send"), QStringLiteral("user"), QStringLiteral("rank_upgraded"), QStringLiteral("--set"),
                                  QStringLiteral("user.rank=-3"), QStringLiteral("--set"), QStringLiteral("language=python"),
                                  QStringLiteral("--secret"), QStringLiteral("some-shared-secret")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY2(result.out.startsWith("HTTP/1.1 200"), result.out.constData());
    result = run({QStringLiteral("send"), QStringLiteral("webhook"), QStringLiteral("updated")});
    QVERIFY2(result.exitCode == 0, result.err.constData());

    // The other commands, beside the running listener.
    result = run({QStringLiteral("list")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QCOMPARE(result.out.count('\n'), 3);   // a heading and two hooks
    result = run({QStringLiteral("list"), QStringLiteral("--verdict"), QStringLiteral("missing"), QStringLiteral("--json")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QCOMPARE(QJsonDocument::fromJson(result.out).object().value(u"event").toString(), QStringLiteral("webhook"));
    result = run({QStringLiteral("show"), QStringLiteral("1")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY2(result.out.contains("secret     valid"), result.out.constData());
    QVERIFY2(result.out.contains("signature  not-used"), result.out.constData());
    result = run({QStringLiteral("show"), QStringLiteral("1"), QStringLiteral("--json")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QCOMPARE(QJsonDocument::fromJson(result.out).object().value(u"signature").toString(), QStringLiteral("not-used"));

    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 refusing = closed.serverPort();
    closed.close();
    result = run({QStringLiteral("replay"), QStringLiteral("1"), QStringLiteral("--to"), QStringLiteral("http://127.0.0.1:%1/hooks").arg(refusing)});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.out.contains("#1 -> error: connection refused"), result.out.constData());

    const QString har = m_home->filePath(QStringLiteral("hooks.har"));
    result = run({QStringLiteral("export"), QStringLiteral("--format"), QStringLiteral("har"), QStringLiteral("--out"), har});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    // Beside the running listener an import is refused by name; the listener's store takes it once it stops.
    result = run({QStringLiteral("import"), har});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("import there, or stop it first"), result.err.constData());
    result = run({QStringLiteral("recheck"), QStringLiteral("--all"), QStringLiteral("--secret"), QStringLiteral("another-secret")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    // The valid secret is now invalid; the missing one stays missing.
    QCOMPARE(result.out, QByteArray("verdicts or problems changed for 1 hook\n"));
    result = run({QStringLiteral("events")});
    QVERIFY2(result.exitCode == 0, result.err.constData());

    ::kill(pid_t(listener.processId()), SIGTERM);
    QVERIFY(listener.waitForFinished(10000));
    QCOMPARE(listener.exitCode(), 0);
    QVERIFY(!QFile::exists(store + QStringLiteral("-listener")));
    result = run({QStringLiteral("send"), QStringLiteral("webhook"), QStringLiteral("updated")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("no hookscope is listening"), result.err.constData());

    result = run({QStringLiteral("import"), har});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY2(result.out.startsWith("imported 2 hooks into "), result.out.constData());
    result = run({QStringLiteral("delete"), QStringLiteral("1")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    result = run({QStringLiteral("prune"), QStringLiteral("--keep"), QStringLiteral("2")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QCOMPARE(result.out, QByteArray("deleted 1 hook from " + store.toUtf8() + '\n'));
    result = run({QStringLiteral("prune"), QStringLiteral("--older-than"), QStringLiteral("7d")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    result = run({QStringLiteral("clear")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("--yes"), result.err.constData());
    result = run({QStringLiteral("clear"), QStringLiteral("--yes")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QCOMPARE(result.out, QByteArray("deleted 2 hooks from " + store.toUtf8() + '\n'));
    result = run({QStringLiteral("list")});
    QCOMPARE(result.out.count('\n'), 1);
}

void tst_FreshHome::shouldSayThatNothingIsStoredYet()
{
    for (const QStringList &args : {QStringList{QStringLiteral("list")}, QStringList{QStringLiteral("show"), QStringLiteral("1")},
                                    QStringList{QStringLiteral("delete"), QStringLiteral("1")},
                                    QStringList{QStringLiteral("recheck"), QStringLiteral("--all")},
                                    QStringList{QStringLiteral("export"), QStringLiteral("--format"), QStringLiteral("jsonl")}}) {
        const clitest::Result result = run(args);
        QVERIFY2(result.exitCode == 1, qPrintable(args.join(u' ')));
        QVERIFY2(result.err.contains(QByteArray("no store at " + m_home->path().toUtf8())), result.err.constData());
        QVERIFY2(result.err.contains("hookscope listen"), result.err.constData());
    }
    QVERIFY(!QDir(m_home->filePath(QStringLiteral(".local/share/hookscope"))).exists());
}

QTEST_GUILESS_MAIN(tst_FreshHome)
#include "tst_freshhome.moc"
