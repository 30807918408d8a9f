#include "clitesthelpers.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QTcpServer>
#include <QTcpSocket>

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
    void shouldLoadCatalogFilesGivenOnTheCommandLine();
    void shouldSendAndCheckStandardWebhooks();

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

    // Composed by send, recognised on capture.
    QProcess listener;
    listener.setProcessEnvironment(m_env);
    const QUrl url = clitest::startListener(listener, {});
    QVERIFY2(!url.isEmpty(), listener.readAllStandardError().constData());
    result = run({QStringLiteral("send"), QStringLiteral("order"), QStringLiteral("--provider"), QStringLiteral("acme")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    result = run({QStringLiteral("show"), QStringLiteral("1"), QStringLiteral("--json")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QJsonObject hook = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(hook.value(u"provider").toString(), QStringLiteral("acme"));
    QCOMPARE(hook.value(u"event").toString(), QStringLiteral("order"));
    QCOMPARE(hook.value(u"problems").toArray().size(), 0);
    ::kill(pid_t(listener.processId()), SIGTERM);
    QVERIFY(listener.waitForFinished(10000));
}

void tst_FreshHome::shouldLoadCatalogFilesGivenOnTheCommandLine()
{
    auto write = [&](const QString &name, const QByteArray &content) {
        QFile file(m_home->filePath(name));
        if (file.open(QIODevice::WriteOnly))
            file.write(content);
        return file.fileName();
    };
    const QString shop = write(QStringLiteral("shop.json"), R"({"provider":"shop","name":"Shop","eventHeader":"X-Shop-Event",
        "headers":[{"name":"Content-Type","value":"application/json"},{"name":"X-Shop-Event","value":"{{event}}"}],
        "events":{"cart":{"description":"A cart changed.","schema":{"type":"object","required":["items"],
                          "properties":{"items":{"type":"integer","minimum":0}}},"template":{"items":"{{int:0..9}}"}}}})");
    const QString broken = write(QStringLiteral("broken.json"), R"({"provider":"bad","name":"Bad","eventHeader":"X-Bad","headers":[],
        "events":{"e":{"schema":{"$ref":"#/definitions/nothing"},"template":{}}}})");
    const QString absent = m_home->filePath(QStringLiteral("absent.json"));

    clitest::Result result = run({QStringLiteral("events"), QStringLiteral("--catalog"), shop});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY2(result.out.contains((u"shop (Shop) - event in X-Shop-Event - from " + shop + u'\n').toUtf8()), result.out.constData());
    QVERIFY2(result.out.contains("codewars (Codewars)"), result.out.constData());

    // A file named explicitly that cannot be loaded is an error, naming the file, the place and the reason.
    const QByteArray brokenError = (u"--catalog: " + broken + u": /events/e/schema: $ref \"#/definitions/nothing\" leads nowhere").toUtf8();
    for (const QString &command : {QStringLiteral("events"), QStringLiteral("list"), QStringLiteral("send"), QStringLiteral("listen")}) {
        QStringList args{command, QStringLiteral("--catalog"), shop, QStringLiteral("--catalog"), broken};
        if (command == u"send")
            args << QStringLiteral("cart") << QStringLiteral("--provider") << QStringLiteral("shop");
        result = run(args);
        QVERIFY2(result.exitCode == 2, qPrintable(command));
        QVERIFY2(result.err.contains(brokenError), result.err.constData());
        QVERIFY2(result.out.isEmpty(), result.out.constData());
    }
    result = run({QStringLiteral("events"), QStringLiteral("--catalog"), absent});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains((u"--catalog: " + absent + u": cannot read").toUtf8()), result.err.constData());
    // The window's own flags too: nothing opens.
    QProcessEnvironment display = m_env;
    display.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    QProcess app;
    app.setProcessEnvironment(display);
    app.start(clitest::binary(), {QStringLiteral("--catalog"), broken});
    QVERIFY(app.waitForFinished(30000));
    QCOMPARE(app.exitCode(), 2);
    QVERIFY2(app.readAllStandardError().contains(brokenError), "the app names the broken file");

    // Listened for, composed and recognised with the file given.
    QProcess listener;
    listener.setProcessEnvironment(m_env);
    const QUrl url = clitest::startListener(listener, {QStringLiteral("--catalog"), shop});
    QVERIFY2(!url.isEmpty(), listener.readAllStandardError().constData());
    result = run({QStringLiteral("send"), QStringLiteral("cart"), QStringLiteral("--provider"), QStringLiteral("shop"),
                  QStringLiteral("--catalog"), shop});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    result = run({QStringLiteral("list"), QStringLiteral("--provider"), QStringLiteral("shop"), QStringLiteral("--json")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QJsonObject hook = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(hook.value(u"event").toString(), QStringLiteral("cart"));
    QCOMPARE(hook.value(u"problems").toArray().size(), 0);
    // Without the file the provider is unknown to send.
    result = run({QStringLiteral("send"), QStringLiteral("cart"), QStringLiteral("--provider"), QStringLiteral("shop")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("unknown provider 'shop'"), result.err.constData());
    ::kill(pid_t(listener.processId()), SIGTERM);
    QVERIFY(listener.waitForFinished(10000));
}

void tst_FreshHome::shouldSendAndCheckStandardWebhooks()
{
    const QString secret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    QProcess listener;
    listener.setProcessEnvironment(m_env);
    const QUrl url = clitest::startListener(listener, {QStringLiteral("--secret"), secret});
    QVERIFY2(!url.isEmpty(), listener.readAllStandardError().constData());

    clitest::Result result = run({QStringLiteral("send"), QStringLiteral("contact.created"), QStringLiteral("--provider"),
                                  QStringLiteral("standard-webhooks"), QStringLiteral("--secret"), secret});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    result = run({QStringLiteral("send"), QStringLiteral("invoice.paid"), QStringLiteral("--provider"),
                  QStringLiteral("standard-webhooks"), QStringLiteral("--secret"), QStringLiteral("whsec_c2VjcmV0LWtleS1vZi1zb21lb25lLWVsc2U=")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    result = run({QStringLiteral("send"), QStringLiteral("invoice.paid"), QStringLiteral("--provider"),
                  QStringLiteral("standard-webhooks"), QStringLiteral("--secret"), QStringLiteral("not base64!")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("whsec_"), result.err.constData());

    result = run({QStringLiteral("show"), QStringLiteral("1")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY2(result.out.contains("provider   standard-webhooks\n"), result.out.constData());
    QVERIFY2(result.out.contains("event      contact.created\n"), result.out.constData());
    QVERIFY2(result.out.contains("signature  valid\n"), result.out.constData());
    result = run({QStringLiteral("list"), QStringLiteral("--verdict"), QStringLiteral("invalid"), QStringLiteral("--json")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QJsonObject hook = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(hook.value(u"event").toString(), QStringLiteral("invoice.paid"));
    QCOMPARE(hook.value(u"signature").toString(), QStringLiteral("invalid"));
    QCOMPARE(hook.value(u"secret").toString(), QStringLiteral("not-used"));

    // The published test vector, a day late: signed right, but outside the tolerance.
    QTcpSocket socket;
    socket.connectToHost(url.host(), quint16(url.port()));
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray body = R"({"test": 2432232314})";
    socket.write("POST /hooks HTTP/1.1\r\nHost: x\r\nwebhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek\r\nwebhook-timestamp: 1614265330\r\n"
                 "webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=\r\nContent-Length: "
                 + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QVERIFY(socket.waitForReadyRead(10000));
    QVERIFY(socket.readAll().startsWith("HTTP/1.1 200"));
    result = run({QStringLiteral("list"), QStringLiteral("--verdict"), QStringLiteral("outside-tolerance")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QCOMPARE(result.out.count('\n'), 2);   // a heading and the hook
    result = run({QStringLiteral("show"), QStringLiteral("3")});
    QVERIFY2(result.out.contains("signature  outside-tolerance (timestamp outside the tolerance"), result.out.constData());
    QVERIFY2(result.out.contains("before the time received: outside the tolerance of 5 min"), result.out.constData());
    ::kill(pid_t(listener.processId()), SIGTERM);
    QVERIFY(listener.waitForFinished(10000));
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
