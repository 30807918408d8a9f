#include "clitesthelpers.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

// Sends raw bytes on a connection of their own and returns what came back until the server closed.
static QByteArray exchange(quint16 port, const QByteArray &bytes)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(bytes);
    QByteArray answer;
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(5000))
        answer += socket.readAll();
    return answer + socket.readAll();
}

class tst_Cli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void shouldCaptureTheSevenCodewarsEventsSentByCurl();
    void shouldListShowAndExportStoredHooks();
    void shouldShowRawRequestBytes();
    void shouldAnswerUsageErrorsClearly_data();
    void shouldAnswerUsageErrorsClearly();
    void shouldPrintVersionAndHelp();
    void shouldReportTakenPortAndExitNonZero();
    void shouldAnswerByARulesFile();
    void shouldKeepRefusedRequestsOnRecordForListAndShow();

private:
    QList<QJsonObject> captureWithCurl(const QList<QPair<QStringList, QByteArray>> &requests, const QStringList &listenArgs);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_db;
};

void tst_Cli::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty())
        QSKIP("curl is not installed (packaging/install-deps.sh installs it)");
}

void tst_Cli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_db = m_dir->filePath(QStringLiteral("hooks.sqlite"));
}

QList<QJsonObject> tst_Cli::captureWithCurl(const QList<QPair<QStringList, QByteArray>> &requests, const QStringList &listenArgs)
{
    QProcess listener;
    const QUrl url = clitest::startListener(listener, QStringList{QStringLiteral("--db"), m_db, QStringLiteral("--jsonl")} + listenArgs);
    if (url.isEmpty()) {
        qWarning() << "listener did not start:" << listener.readAllStandardError();
        return {};
    }
    for (const auto &[headers, body] : requests) {
        QStringList args{QStringLiteral("-sS"), QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-w"),
                         QStringLiteral("%{http_code}"), QStringLiteral("--data-binary"), QStringLiteral("@-")};
        for (const QString &header : headers)
            args << QStringLiteral("-H") << header;
        args << url.resolved(QUrl(QStringLiteral("/codewars/hook"))).toString();
        QProcess curl;
        curl.start(QStringLiteral("curl"), args);
        curl.write(body);
        curl.closeWriteChannel();
        curl.waitForFinished(10000);
        if (curl.readAllStandardOutput() != "200")
            qWarning() << "curl did not get 200:" << curl.readAllStandardError();
    }
    QList<QJsonObject> hooks;
    while (hooks.size() < requests.size()) {
        if (!listener.canReadLine() && !listener.waitForReadyRead(10000))
            break;
        while (listener.canReadLine())
            hooks.append(QJsonDocument::fromJson(listener.readLine()).object());
    }
    ::kill(pid_t(listener.processId()), SIGTERM);
    listener.waitForFinished(10000);
    if (listener.exitStatus() != QProcess::NormalExit || listener.exitCode() != 0)
        qWarning() << "listener did not exit cleanly" << listener.exitCode() << listener.readAllStandardError();
    return hooks;
}

void tst_Cli::shouldCaptureTheSevenCodewarsEventsSentByCurl()
{
    // The samples of the Codewars webhooks documentation, with its exact headers.
    const QList<std::tuple<QString, QString, QByteArray>> events = {
        {QStringLiteral("code_challenge"), QStringLiteral("created"),
         R"({"action":"created","code_challenge":{"id":"50654ddff44f800200000001","created_by_id":"508f2708b3be0c0200000002"}})"},
        {QStringLiteral("code_challenge"), QStringLiteral("approve_successful"),
         R"({"action":"approve_successful","code_challenge":{"id":"53aa3f265b97485984000001","created_by_id":"53af25145b97487568000001"}})"},
        {QStringLiteral("code_challenge"), QStringLiteral("voted"),
         R"({"action":"voted","code_challenge":{"id":"53aa3f265b97485984000001","created_by_id":"53af25145b97487568000001"}})"},
        {QStringLiteral("code_challenge"), QStringLiteral("solution_finalized"),
         R"({"action":"solution_finalized","code_challenge":{"id":"53aa3f265b97485984000001","created_by_id":"53af25145b97487568000001"},"solution":{"id":"53aa3f265b97485984000001","user_id":"53417de006654f4171000587"}})"},
        {QStringLiteral("user"), QStringLiteral("rank_upgraded"),
         R"({"action":"rank_upgraded","user":{"id":"53aa3f265b97485984000001","rank":-5},"language":null})"},
        {QStringLiteral("user"), QStringLiteral("honor_changed"),
         R"({"action":"honor_changed","user":{"id":"53aa3f265b97485984000001","honor":420,"honor_delta":3}})"},
        {QStringLiteral("webhook"), QStringLiteral("updated"), R"({"action":"updated","webhook":{"id":"53aa3f265b97485984000001"}})"},
    };
    QList<QPair<QStringList, QByteArray>> requests;
    for (const auto &[event, action, body] : events) {
        QStringList headers{QStringLiteral("User-Agent: Codewars Hookbot"), QStringLiteral("Content-Type: application/json"),
                            u"X-Webhook-Event: " + event};
        // One of them with a wrong secret, one without any.
        if (action == u"voted")
            headers << QStringLiteral("X-Webhook-Secret: wrong-secret");
        else if (action != u"updated")
            headers << QStringLiteral("X-Webhook-Secret: some-shared-secret");
        requests.append({headers, body});
    }
    const QList<QJsonObject> hooks = captureWithCurl(requests, {QStringLiteral("--secret"), QStringLiteral("some-shared-secret")});
    QCOMPARE(hooks.size(), 7);
    // Stopped by SIGTERM, the listener checkpointed and closed its store: no -wal or -shm stays beside it.
    QVERIFY(QFileInfo::exists(m_db));
    QVERIFY(!QFileInfo::exists(m_db + u"-wal"));
    QVERIFY(!QFileInfo::exists(m_db + u"-shm"));
    for (int i = 0; i < 7; ++i) {
        const QJsonObject &hook = hooks.at(i);
        const auto &[event, action, body] = events.at(i);
        QCOMPARE(hook.value(QStringLiteral("provider")).toString(), QStringLiteral("codewars"));
        QCOMPARE(hook.value(QStringLiteral("event")).toString(), event);
        QCOMPARE(hook.value(QStringLiteral("action")).toString(), action);
        QCOMPARE(QByteArray::fromBase64(hook.value(QStringLiteral("body_b64")).toString().toLatin1()), body);
        QCOMPARE(hook.value(QStringLiteral("method")).toString(), QStringLiteral("POST"));
        QCOMPARE(hook.value(QStringLiteral("target")).toString(), QStringLiteral("/codewars/hook"));
        QCOMPARE(hook.value(QStringLiteral("version")).toString(), QStringLiteral("HTTP/1.1"));
        QVERIFY(hook.value(QStringLiteral("received")).toString().endsWith(u'Z'));
        QVERIFY(hook.value(QStringLiteral("peer")).toString().startsWith(QStringLiteral("127.0.0.1:")));
        QCOMPARE(hook.value(QStringLiteral("answer")).toObject().value(QStringLiteral("status")).toInt(), 200);
        QVERIFY2(hook.value(QStringLiteral("problems")).toArray().isEmpty(),
                 QJsonDocument(hook.value(QStringLiteral("problems")).toArray()).toJson().constData());
        const QString expected = action == u"voted" ? QStringLiteral("invalid") : action == u"updated" ? QStringLiteral("missing") : QStringLiteral("valid");
        QCOMPARE(hook.value(QStringLiteral("secret")).toString(), expected);
        // Headers exactly as curl sent them, in order, after curl's own Host/Accept.
        const QJsonArray headers = hook.value(QStringLiteral("headers")).toArray();
        QStringList names;
        for (const QJsonValue &pair : headers)
            names.append(pair.toArray().at(0).toString());
        QCOMPARE(names.first(), QStringLiteral("Host"));
        QVERIFY(names.contains(QStringLiteral("User-Agent")));
        const qsizetype ua = names.indexOf(QStringLiteral("User-Agent"));
        QCOMPARE(headers.at(ua).toArray().at(1).toString(), QStringLiteral("Codewars Hookbot"));
        QVERIFY(names.indexOf(QStringLiteral("Content-Type")) < names.indexOf(QStringLiteral("X-Webhook-Event")));
    }
}

void tst_Cli::shouldListShowAndExportStoredHooks()
{
    const QList<QJsonObject> hooks = captureWithCurl(
        {{{QStringLiteral("X-Webhook-Event: user")}, R"({"action":"honor_changed","user":{"id":"53aa3f265b97485984000001","honor":420,"honor_delta":3}})"},
         {{QStringLiteral("X-Webhook-Event: webhook")}, R"({"action":"updated","webhook":{"id":"53aa3f265b97485984000001"}})"},
         {{QStringLiteral("X-Webhook-Event: user")}, R"({"action":"rank_earned","user":{"id":"53aa3f265b97485984000001","rank":-4}})"}},
        {});
    QCOMPARE(hooks.size(), 3);
    const QString id = QString::number(hooks.at(0).value(QStringLiteral("id")).toInteger());

    const auto list = clitest::run({QStringLiteral("list"), QStringLiteral("--db"), m_db});
    QCOMPARE(list.exitCode, 0);
    QVERIFY(list.out.contains("honor_changed"));
    QVERIFY(list.out.contains("updated"));
    // The spelling the hook carried, and the revision it comes from, as the window shows it.
    QVERIFY2(list.out.contains("rank_earned (later)"), list.out.constData());
    const auto either = clitest::run({QStringLiteral("list"), QStringLiteral("--db"), m_db, QStringLiteral("--action"), QStringLiteral("rank_upgraded")});
    QCOMPARE(either.out.count('\n'), 2);   // the heading and the one hook

    const auto filtered = clitest::run({QStringLiteral("list"), QStringLiteral("--db"), m_db, QStringLiteral("--event"), QStringLiteral("webhook"), QStringLiteral("--json")});
    QCOMPARE(filtered.exitCode, 0);
    QCOMPARE(filtered.out.count('\n'), 1);
    QCOMPARE(QJsonDocument::fromJson(filtered.out).object().value(QStringLiteral("event")).toString(), QStringLiteral("webhook"));

    const auto show = clitest::run({QStringLiteral("show"), QStringLiteral("--db"), m_db, id});
    QCOMPARE(show.exitCode, 0);
    QVERIFY(show.out.contains("honor_changed"));
    QVERIFY(show.out.contains("answer     200 OK"));

    const auto exported = clitest::run({QStringLiteral("export"), QStringLiteral("--db"), m_db, QStringLiteral("--format"), QStringLiteral("jsonl")});
    QCOMPARE(exported.exitCode, 0);
    const QList<QByteArray> lines = exported.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(QJsonDocument::fromJson(lines.at(0)).object(), hooks.at(0));
}

void tst_Cli::shouldShowRawRequestBytes()
{
    const QByteArray body("\x00\x01binary\xff", 9);
    const QList<QJsonObject> hooks = captureWithCurl({{{QStringLiteral("Content-Type: application/octet-stream")}, body}}, {});
    QCOMPARE(hooks.size(), 1);
    const auto raw = clitest::run({QStringLiteral("show"), QStringLiteral("--db"), m_db, QStringLiteral("--raw"),
                                   QString::number(hooks.at(0).value(QStringLiteral("id")).toInteger())});
    QCOMPARE(raw.exitCode, 0);
    QVERIFY(raw.out.startsWith("POST /codewars/hook HTTP/1.1\r\nHost: 127.0.0.1:"));
    QVERIFY(raw.out.contains("\r\nContent-Type: application/octet-stream\r\n"));
    QVERIFY(raw.out.endsWith(QByteArray(QByteArray("\r\n\r\n") + body)));
}

void tst_Cli::shouldAnswerUsageErrorsClearly_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    const QString missing = QStringLiteral("/nonexistent/hooks.sqlite");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << 2 << QStringLiteral("unknown command 'frobnicate'");
    QTest::newRow("unknown flag") << QStringList{QStringLiteral("list"), QStringLiteral("--colour")} << 2 << QStringLiteral("colour");
    QTest::newRow("port out of range") << QStringList{QStringLiteral("listen"), QStringLiteral("--port"), QStringLiteral("70000")} << 2
                                       << QStringLiteral("--port");
    QTest::newRow("bind not an address") << QStringList{QStringLiteral("listen"), QStringLiteral("--bind"), QStringLiteral("localhostt")} << 2
                                         << QStringLiteral("--bind");
    QTest::newRow("require-secret without secret") << QStringList{QStringLiteral("listen"), QStringLiteral("--require-secret")} << 2
                                                   << QStringLiteral("--secret");
    QTest::newRow("store file missing") << QStringList{QStringLiteral("list"), QStringLiteral("--db"), missing} << 1 << missing;
    QTest::newRow("id not a number") << QStringList{QStringLiteral("show"), QStringLiteral("abc")} << 2 << QStringLiteral("'abc'");
    QTest::newRow("export without format") << QStringList{QStringLiteral("export")} << 2 << QStringLiteral("--format");
}

void tst_Cli::shouldAnswerUsageErrorsClearly()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const auto result = clitest::run(args);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY2(QString::fromUtf8(result.err).contains(message), result.err.constData());
}

void tst_Cli::shouldPrintVersionAndHelp()
{
    const auto version = clitest::run({QStringLiteral("--version")});
    QCOMPARE(version.exitCode, 0);
    QCOMPARE(version.out, QByteArray("hookscope " HOOKSCOPE_VERSION "\n"));
    const auto help = clitest::run({QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    for (const char *command : {"listen", "list", "show", "export"})
        QVERIFY2(help.out.contains(QByteArray(QByteArray("hookscope ") + command)), command);
    const auto listenHelp = clitest::run({QStringLiteral("listen"), QStringLiteral("--help")});
    QCOMPARE(listenHelp.exitCode, 0);
    QVERIFY(listenHelp.out.contains("--require-secret"));
}

void tst_Cli::shouldReportTakenPortAndExitNonZero()
{
    QProcess first;
    const QUrl url = clitest::startListener(first, {QStringLiteral("--db"), m_db});
    QVERIFY(!url.isEmpty());
    const auto second = clitest::run({QStringLiteral("listen"), QStringLiteral("--port"), QString::number(url.port()),
                                      QStringLiteral("--db"), m_dir->filePath(QStringLiteral("second.sqlite"))});
    QCOMPARE(second.exitCode, 1);
    QVERIFY2(second.err.contains(QByteArray::number(url.port())), second.err.constData());
    first.terminate();
    QVERIFY(first.waitForFinished(10000));
    QCOMPARE(first.exitCode(), 0);
}

void tst_Cli::shouldAnswerByARulesFile()
{
    const QString bad = m_dir->filePath(QStringLiteral("bad.json"));
    const QString good = m_dir->filePath(QStringLiteral("rules.json"));
    QFile badFile(bad);
    QVERIFY(badFile.open(QIODevice::WriteOnly));
    badFile.write(R"([{"match": {"event": "user"}, "answer": {"status": 503}}, {"times": 0}])");
    badFile.close();
    const clitest::Result refused = clitest::run({QStringLiteral("listen"), QStringLiteral("--db"), m_db, QStringLiteral("--rules"), bad});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains(QByteArray(bad.toUtf8() + ": /1/times: expected a whole number of at least 1")), refused.err.constData());

    QFile goodFile(good);
    QVERIFY(goodFile.open(QIODevice::WriteOnly));
    goodFile.write(R"([{"name": "first two fail", "match": {"event": "user", "action": "honor_changed"},
                        "answer": {"status": 503, "body": "busy", "headers": [["Retry-After", "5"]]}, "times": 2}])");
    goodFile.close();
    QProcess listener;
    const QUrl url = clitest::startListener(listener, {QStringLiteral("--db"), m_db, QStringLiteral("--jsonl"), QStringLiteral("--rules"), good});
    if (url.isEmpty())
        QFAIL(listener.readAllStandardError().constData());
    QStringList answers;
    for (int i = 0; i < 3; ++i) {
        QProcess curl;
        curl.start(QStringLiteral("curl"), {QStringLiteral("-sS"), QStringLiteral("-i"), QStringLiteral("-H"), QStringLiteral("X-Webhook-Event: user"),
                                            QStringLiteral("--data"), QStringLiteral(R"({"action":"honor_changed","user":{"id":"53aa3f265b97485984000001"}})"),
                                            url.resolved(QUrl(QStringLiteral("/hooks"))).toString()});
        QVERIFY(curl.waitForFinished(10000));
        const QByteArray answer = curl.readAllStandardOutput();
        answers.append(QString::fromLatin1(answer.left(12)));
        if (i < 2)
            QVERIFY2(answer.contains("\r\nRetry-After: 5\r\n") && answer.endsWith("\r\n\r\nbusy"), answer.constData());
    }
    QCOMPARE(answers, (QStringList{QStringLiteral("HTTP/1.1 503"), QStringLiteral("HTTP/1.1 503"), QStringLiteral("HTTP/1.1 200")}));
    QList<QJsonObject> hooks;
    while (hooks.size() < 3 && (listener.canReadLine() || listener.waitForReadyRead(10000))) {
        while (listener.canReadLine())
            hooks.append(QJsonDocument::fromJson(listener.readLine()).object());
    }
    ::kill(pid_t(listener.processId()), SIGTERM);
    QVERIFY(listener.waitForFinished(10000));
    QVERIFY2(listener.readAllStandardError().contains(QByteArray("answering by 1 rule from " + good.toUtf8())), "no word of the rules");
    QCOMPARE(hooks.size(), 3);
    QCOMPARE(hooks.at(0).value(QStringLiteral("answer")).toObject().value(QStringLiteral("rule")).toString(), QStringLiteral("first two fail"));
    QCOMPARE(hooks.at(1).value(QStringLiteral("answer")).toObject().value(QStringLiteral("status")).toInt(), 503);
    QVERIFY(!hooks.at(2).value(QStringLiteral("answer")).toObject().contains(QStringLiteral("rule")));

    // The stored hooks say the same in list and show.
    const clitest::Result list = clitest::run({QStringLiteral("list"), QStringLiteral("--db"), m_db});
    QCOMPARE(list.exitCode, 0);
    QCOMPARE(list.out.count("503 by first two fail"), 2);
    const clitest::Result show = clitest::run({QStringLiteral("show"), QStringLiteral("--db"), m_db, QStringLiteral("1")});
    QVERIFY2(show.out.contains("503 Service Unavailable (by the rule \"first two fail\")"), show.out.constData());
}

void tst_Cli::shouldKeepRefusedRequestsOnRecordForListAndShow()
{
    QProcess listener;
    const QUrl url = clitest::startListener(listener, {QStringLiteral("--db"), m_db, QStringLiteral("--jsonl"), QStringLiteral("--max-body"),
                                                       QStringLiteral("100")});
    if (url.isEmpty())
        QFAIL(listener.readAllStandardError().constData());
    const quint16 port = quint16(url.port());
    QVERIFY(exchange(port, "POST /big HTTP/1.1\r\nHost: x\r\nX-Webhook-Event: user\r\nContent-Length: 5000\r\n\r\n").startsWith("HTTP/1.1 413 "));
    QVERIFY(exchange(port, "GET / HTTP/7.0\r\n\r\n").startsWith("HTTP/1.1 505 "));
    QVERIFY(exchange(port, "POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}").startsWith("HTTP/1.1 200 "));
    // A flood from the same peer beyond what is kept: answered all the same, counted at exit.
    for (int i = 0; i < 12; ++i)
        QVERIFY(exchange(port, "\x01\r\n\r\n").startsWith("HTTP/1.1 400 "));
    ::kill(pid_t(listener.processId()), SIGTERM);
    QVERIFY(listener.waitForFinished(10000));
    QCOMPARE(listener.exitCode(), 0);
    // 14 refused from one peer: 10 on record at once, one more a second after (however long this took), the rest counted.
    const QByteArray err = listener.readAllStandardError();
    static const QRegularExpression summary(QStringLiteral("refused requests: (\\d+) kept on record, (\\d+) not recorded"));
    const QRegularExpressionMatch counts = summary.match(QString::fromUtf8(err));
    QVERIFY2(counts.hasMatch(), err.constData());
    const int kept = counts.captured(1).toInt();
    QCOMPARE(kept + counts.captured(2).toInt(), 14);
    QVERIFY(kept >= 10);

    const auto list = clitest::run({QStringLiteral("list"), QStringLiteral("--db"), m_db});
    QCOMPARE(list.exitCode, 0);
    QVERIFY2(list.out.contains("413 refused"), list.out.constData());
    QVERIFY(list.out.contains("505 refused"));
    const auto refusedOnly = clitest::run({QStringLiteral("list"), QStringLiteral("--db"), m_db, QStringLiteral("--refused"), QStringLiteral("--json")});
    QCOMPARE(refusedOnly.exitCode, 0);
    const QList<QByteArray> lines = refusedOnly.out.trimmed().split('\n');
    QCOMPARE(lines.size(), kept);
    const QJsonObject first = QJsonDocument::fromJson(lines.at(0)).object();
    QCOMPARE(first.value(QStringLiteral("refused")).toBool(), true);
    QCOMPARE(first.value(QStringLiteral("target")).toString(), QStringLiteral("/big"));
    QCOMPARE(first.value(QStringLiteral("answer")).toObject().value(QStringLiteral("status")).toInt(), 413);
    QCOMPARE(first.value(QStringLiteral("answer")).toObject().value(QStringLiteral("reason")).toString(),
             QStringLiteral("body larger than the limit"));
    QVERIFY(QByteArray::fromBase64(first.value(QStringLiteral("body_b64")).toString().toLatin1()).startsWith("POST /big HTTP/1.1\r\n"));
    const auto hooksOnly = clitest::run({QStringLiteral("list"), QStringLiteral("--db"), m_db, QStringLiteral("--no-refused"), QStringLiteral("--json")});
    QCOMPARE(hooksOnly.out.trimmed().split('\n').size(), 1);
    QVERIFY(!hooksOnly.out.contains("\"refused\""));
    const auto both = clitest::run({QStringLiteral("list"), QStringLiteral("--db"), m_db, QStringLiteral("--refused"), QStringLiteral("--no-refused")});
    QCOMPARE(both.exitCode, 2);

    const QString id = QString::number(first.value(QStringLiteral("id")).toInteger());
    const auto show = clitest::run({QStringLiteral("show"), QStringLiteral("--db"), m_db, id});
    QCOMPARE(show.exitCode, 0);
    QVERIFY2(show.out.contains("refused    413 Content Too Large: body larger than the limit"), show.out.constData());
    QVERIFY(show.out.contains("read       POST /big, header fields parsed: 3"));
    QVERIFY(show.out.contains("POST /big HTTP/1.1\r\nHost: x\r\nX-Webhook-Event: user\r\nContent-Length: 5000\r\n"));
    const auto raw = clitest::run({QStringLiteral("show"), QStringLiteral("--db"), m_db, QStringLiteral("--raw"), id});
    QVERIFY(raw.out.startsWith("POST /big HTTP/1.1\r\nHost: x\r\n"));
    const auto json = clitest::run({QStringLiteral("show"), QStringLiteral("--db"), m_db, QStringLiteral("--json"), id});
    QCOMPARE(QJsonDocument::fromJson(json.out).object().value(QStringLiteral("refused")).toBool(), true);
    // Nothing to replay: the request was never read whole.
    const auto replay = clitest::run({QStringLiteral("replay"), QStringLiteral("--db"), m_db, id, QStringLiteral("--to"),
                                      QStringLiteral("http://127.0.0.1:9/")});
    QCOMPARE(replay.exitCode, 1);
    QVERIFY2(replay.err.contains(QByteArray("#" + id.toLatin1() + " is a request the listener refused (413)")), replay.err.constData());
    const auto exported = clitest::run({QStringLiteral("export"), QStringLiteral("--db"), m_db, QStringLiteral("--format"), QStringLiteral("jsonl")});
    QCOMPARE(exported.out.count("\"refused\":true"), kept);
}

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_cli.moc"
