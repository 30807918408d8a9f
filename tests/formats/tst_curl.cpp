#include "testhelpers.h"

#include "formats/curl.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using testhelpers::allBytes;
using testhelpers::makeHook;
using testhelpers::makeRequestHook;

namespace {

// The shells a command must work in: POSIX sh (dash on Debian) and bash.
QStringList shells()
{
    QStringList found{QStringLiteral("/bin/sh")};
    const QString bash = QStandardPaths::findExecutable(QStringLiteral("bash"));
    if (!bash.isEmpty())
        found.append(bash);
    return found;
}

struct ShellRun
{
    bool ok = false;
    QByteArray out;
    QByteArray err;
};

// The script goes in a file: a command line with a large body is longer than one
// argument to `sh -c` may be.
ShellRun runShell(const QString &shell, const QByteArray &script)
{
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("script.sh")));
    if (!file.open(QIODevice::WriteOnly) || file.write(script) != script.size())
        return {};
    file.close();
    QProcess process;
    process.start(shell, {file.fileName()});
    if (!process.waitForStarted(5000))
        return {};
    process.closeWriteChannel();
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        return {};
    }
    return {process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0, process.readAllStandardOutput(),
            process.readAllStandardError()};
}

// What curl would be given: the words of its command line and its standard input.
// The shell runs the command with `curl` defined as a function that writes both down,
// so that quoting is checked by the shell itself.
struct CurlCall
{
    bool ok = false;
    QByteArrayList args;
    QByteArray input;
};

CurlCall curlCallOf(const QString &shell, const QByteArray &command)
{
    QTemporaryDir dir;
    const QByteArray args = QFile::encodeName(dir.filePath(QStringLiteral("args")));
    const QByteArray input = QFile::encodeName(dir.filePath(QStringLiteral("stdin")));
    const QByteArray script = "curl() { printf '%s\\000' \"$@\" > '" + args + "'; cat > '" + input + "'; }\n" + command;
    const ShellRun run = runShell(shell, script);
    if (!run.ok) {
        qWarning() << shell << run.err;
        return {};
    }
    QFile argsFile(QFile::decodeName(args));
    QFile inputFile(QFile::decodeName(input));
    if (!argsFile.open(QIODevice::ReadOnly) || !inputFile.open(QIODevice::ReadOnly))
        return {};
    CurlCall call;
    call.ok = true;
    call.args = argsFile.readAll().split('\0');
    call.args.removeLast();   // after the last terminator
    call.input = inputFile.readAll();
    return call;
}

// The body curl would send: the --data-raw word, or stdin for --data-binary @-.
QByteArray bodyOf(const CurlCall &call)
{
    const qsizetype raw = call.args.indexOf("--data-raw");
    if (raw >= 0)
        return call.args.value(raw + 1);
    if (call.args.indexOf("--data-binary") >= 0)
        return call.input;
    return QByteArray();
}

} // namespace

class tst_Curl : public QObject
{
    Q_OBJECT

private slots:
    void shouldQuoteShellWords_data();
    void shouldQuoteShellWords();
    void shouldBuildCurlArguments_data();
    void shouldBuildCurlArguments();
    void shouldFeedBodyBytesExactly_data();
    void shouldFeedBodyBytesExactly();
    void shouldBuildUrlFromBaseOrHost_data();
    void shouldBuildUrlFromBaseOrHost();
    void shouldWriteScriptWithOneCommandPerHook();
};

void tst_Curl::shouldQuoteShellWords_data()
{
    QTest::addColumn<QByteArray>("word");
    QTest::addColumn<QByteArray>("quoted");

    QTest::newRow("plain word") << QByteArray("POST") << QByteArray("POST");
    QTest::newRow("URL-ish word") << QByteArray("http://h:1/a_b-c.d,e=f+g%20@x") << QByteArray("http://h:1/a_b-c.d,e=f+g%20@x");
    QTest::newRow("empty") << QByteArray("") << QByteArray("''");
    QTest::newRow("single quote") << QByteArray("it's") << QByteArray("'it'\\''s'");
    QTest::newRow("only quotes") << QByteArray("''") << QByteArray("''\\'''\\'''");
    QTest::newRow("double quotes") << QByteArray("say \"hi\"") << QByteArray("'say \"hi\"'");
    QTest::newRow("dollar") << QByteArray("$HOME ${PATH} $(id)") << QByteArray("'$HOME ${PATH} $(id)'");
    QTest::newRow("backticks") << QByteArray("`id`") << QByteArray("'`id`'");
    QTest::newRow("newline") << QByteArray("line one\nline two") << QByteArray("'line one\nline two'");
    QTest::newRow("backslashes") << QByteArray("a\\nb\\\\") << QByteArray("'a\\nb\\\\'");
    QTest::newRow("glob and tilde") << QByteArray("~/*.json [ab]?") << QByteArray("'~/*.json [ab]?'");
    QTest::newRow("separators") << QByteArray("a;b&c|d>e<f") << QByteArray("'a;b&c|d>e<f'");
    QTest::newRow("tab and bang") << QByteArray("a\tb!") << QByteArray("'a\tb!'");
    QTest::newRow("UTF-8") << QByteArray("gr\xc3\xbc\xc3\x9f") << QByteArray("'gr\xc3\xbc\xc3\x9f'");
    QTest::newRow("obs-text bytes") << QByteArray("caf\xe9\xff") << QByteArray("'caf\xe9\xff'");
}

void tst_Curl::shouldQuoteShellWords()
{
    QFETCH(QByteArray, word);
    QFETCH(QByteArray, quoted);

    QCOMPARE(formats::shellQuote(word), quoted);
    for (const QString &shell : shells()) {
        const ShellRun run = runShell(shell, "printf '%s' " + formats::shellQuote(word));
        QVERIFY2(run.ok, qPrintable(shell + u": " + QString::fromLocal8Bit(run.err)));
        QCOMPARE(run.out, word);
    }
}

void tst_Curl::shouldBuildCurlArguments_data()
{
    QTest::addColumn<Hook>("hook");
    QTest::addColumn<QByteArrayList>("args");

    const QByteArrayList common{"-sS", "--http1.1", "-g", "--path-as-is"};

    QTest::newRow("GET: no -X; curl's own Accept and User-Agent switched off")
        << makeRequestHook("GET", "/x?y=1", {{"Host", "h.test"}, {"X-A", "1"}})
        << common + QByteArrayList{"-H", "X-A: 1", "-H", "Accept:", "-H", "User-Agent:", "http://h.test/x?y=1"};

    const QByteArray json = R"({"action":"created"})";
    QTest::newRow("POST with JSON: headers in order, no Host nor Content-Length, body inline")
        << makeRequestHook("POST", "/hooks",
                       {{"Host", "h.test"}, {"User-Agent", "Codewars Hookbot"}, {"Content-Type", "application/json"},
                        {"X-Webhook-Event", "code_challenge"}, {"Content-Length", QByteArray::number(json.size())}},
                       json)
        << common + QByteArrayList{"-H", "User-Agent: Codewars Hookbot", "-H", "Content-Type: application/json",
                                   "-H", "X-Webhook-Event: code_challenge", "-H", "Accept:", "-H", "Expect:",
                                   "--data-raw", json, "http://h.test/hooks"};

    QTest::newRow("PUT: -X; duplicates kept; empty value sent as 'Name;'")
        << makeRequestHook("PUT", "/p", {{"host", "h"}, {"Accept", "*/*"}, {"X-Dup", "1"}, {"x-dup", "2"}, {"X-Empty", ""},
                                     {"User-Agent", "u"}, {"Content-Length", "1"}, {"Content-Type", "text/plain"}}, "x")
        << common + QByteArrayList{"-X", "PUT", "-H", "Accept: */*", "-H", "X-Dup: 1", "-H", "x-dup: 2", "-H", "X-Empty;",
                                   "-H", "User-Agent: u", "-H", "Content-Type: text/plain", "-H", "Expect:",
                                   "--data-raw", "x", "http://h/p"};

    QTest::newRow("GET with a body: -X GET")
        << makeRequestHook("GET", "/", {{"Host", "h"}, {"Accept", "a"}, {"User-Agent", "u"}, {"Content-Length", "2"}}, "hi")
        << common + QByteArrayList{"-X", "GET", "-H", "Accept: a", "-H", "User-Agent: u", "-H", "Content-Type:", "-H", "Expect:",
                                   "--data-raw", "hi", "http://h/"};

    QTest::newRow("HEAD: -I")
        << makeRequestHook("HEAD", "/", {{"Host", "h"}, {"Accept", "a"}, {"User-Agent", "u"}})
        << common + QByteArrayList{"-I", "-H", "Accept: a", "-H", "User-Agent: u", "http://h/"};

    QTest::newRow("DELETE without a body")
        << makeRequestHook("DELETE", "/r/1", {{"Host", "h"}, {"Accept", "a"}, {"User-Agent", "u"}})
        << common + QByteArrayList{"-X", "DELETE", "-H", "Accept: a", "-H", "User-Agent: u", "http://h/r/1"};

    QTest::newRow("POST, Content-Length: 0: an empty body is still sent")
        << makeRequestHook("POST", "/", {{"Host", "h"}, {"Accept", "a"}, {"User-Agent", "u"}, {"Content-Length", "0"}})
        << common + QByteArrayList{"-H", "Accept: a", "-H", "User-Agent: u", "-H", "Content-Type:", "-H", "Expect:",
                                   "--data-raw", "", "http://h/"};

    QTest::newRow("POST without Content-Length nor body: no body")
        << makeRequestHook("POST", "/", {{"Host", "h"}, {"Accept", "a"}, {"User-Agent", "u"}})
        << common + QByteArrayList{"-X", "POST", "-H", "Accept: a", "-H", "User-Agent: u", "http://h/"};

    Hook chunked = makeRequestHook("POST", "/c", {{"Host", "h"}, {"Transfer-Encoding", "chunked"}, {"Content-Type", "t"},
                                              {"Accept", "a"}, {"User-Agent", "u"}}, "abc");
    chunked.chunked = true;
    chunked.trailers = {{"X-T", "1"}};
    QTest::newRow("chunked: Transfer-Encoding passed on, curl chunks")
        << chunked << common + QByteArrayList{"-H", "Transfer-Encoding: chunked", "-H", "Content-Type: t", "-H", "Accept: a",
                                              "-H", "User-Agent: u", "-H", "Expect:", "--data-raw", "abc", "http://h/c"};

    Hook oldVersion = makeRequestHook("GET", "/", {{"Host", "h"}, {"Accept", "a"}, {"User-Agent", "u"}});
    oldVersion.version = "HTTP/1.0";
    QTest::newRow("HTTP/1.0") << oldVersion
                              << QByteArrayList{"-sS", "--http1.0", "-g", "--path-as-is", "-H", "Accept: a", "-H", "User-Agent: u", "http://h/"};

    QTest::newRow("Expect of its own is kept")
        << makeRequestHook("POST", "/", {{"Host", "h"}, {"Accept", "a"}, {"User-Agent", "u"}, {"Content-Type", "t"},
                                     {"Expect", "100-continue"}, {"Content-Length", "1"}}, "x")
        << common + QByteArrayList{"-H", "Accept: a", "-H", "User-Agent: u", "-H", "Content-Type: t", "-H", "Expect: 100-continue",
                                   "--data-raw", "x", "http://h/"};

    QTest::newRow("asterisk-form target: --request-target")
        << makeRequestHook("OPTIONS", "*", {{"Host", "h"}, {"Accept", "a"}, {"User-Agent", "u"}})
        << common + QByteArrayList{"-X", "OPTIONS", "--request-target", "*", "-H", "Accept: a", "-H", "User-Agent: u", "http://h/"};

    QTest::newRow("body starting with @ stays data, not a file name")
        << makeRequestHook("POST", "/", {{"Host", "h"}, {"Accept", "a"}, {"User-Agent", "u"}, {"Content-Type", "t"}, {"Content-Length", "10"}},
                       "@/etc/motd")
        << common + QByteArrayList{"-H", "Accept: a", "-H", "User-Agent: u", "-H", "Content-Type: t", "-H", "Expect:",
                                   "--data-raw", "@/etc/motd", "http://h/"};

    QTest::newRow("binary body: piped in")
        << makeRequestHook("POST", "/", {{"Host", "h"}, {"Accept", "a"}, {"User-Agent", "u"}, {"Content-Type", "t"}, {"Content-Length", "3"}},
                       QByteArray("\x00\x01\x02", 3))
        << common + QByteArrayList{"-H", "Accept: a", "-H", "User-Agent: u", "-H", "Content-Type: t", "-H", "Expect:",
                                   "--data-binary", "@-", "http://h/"};

    QTest::newRow("header value with quotes, dollar and backticks")
        << makeRequestHook("GET", "/", {{"Host", "h"}, {"Accept", "a"}, {"User-Agent", "it's \"$USER\" `id`"}})
        << common + QByteArrayList{"-H", "Accept: a", "-H", "User-Agent: it's \"$USER\" `id`", "http://h/"};
}

void tst_Curl::shouldBuildCurlArguments()
{
    QFETCH(Hook, hook);
    QFETCH(QByteArrayList, args);

    const QByteArray command = formats::curlCommand(hook);
    QVERIFY(command.endsWith('\n'));
    for (const QString &shell : shells()) {
        const CurlCall call = curlCallOf(shell, command);
        QVERIFY2(call.ok, qPrintable(shell + u": " + QString::fromLocal8Bit(command)));
        QCOMPARE(call.args, args);
        QCOMPARE(bodyOf(call), hook.body);
    }
}

void tst_Curl::shouldFeedBodyBytesExactly_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("inlined");

    QTest::newRow("JSON with quotes") << QByteArray(R"({"name":"O'Brien","say":"\"hi\""})") << true;
    QTest::newRow("newlines and tabs") << QByteArray("{\n\t\"a\": 1\n}\n") << true;
    QTest::newRow("dollar and backticks") << QByteArray("$HOME $(id) `id` ${x:-y}") << true;
    QTest::newRow("backslashes and percent") << QByteArray("100% \\n \\\\ %s %d \\0") << true;
    QTest::newRow("leading dash") << QByteArray("-v --help") << true;
    QTest::newRow("UTF-8") << QByteArray("gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x98\x80") << true;
    QTest::newRow("CRLF") << QByteArray("a=1\r\nb=2\r\n") << false;
    QTest::newRow("leading dash, binary") << QByteArray("-v\x01", 3) << false;
    QTest::newRow("NUL bytes") << QByteArray("a\0b\0\0c", 6) << false;
    QTest::newRow("every byte value") << allBytes() << false;
    QTest::newRow("quote, percent and backslash among binary") << QByteArray("'\x01%\\\x7f'\xff", 7) << false;
    QTest::newRow("octal-looking digits after an escape") << QByteArray("\x01" "777\x02" "0", 6) << false;
    QTest::newRow("Latin-1 text") << QByteArray("caf\xe9") << false;
    QByteArray large;
    for (int i = 0; i < 200 * 1024; ++i)
        large.append(char('a' + i % 26));
    QTest::newRow("200 KiB of text: too long for one argument") << large << false;
    QByteArray largeBinary;
    for (int i = 0; i < 300 * 1024; ++i)
        largeBinary.append(char((i * 7919) & 0xff));
    QTest::newRow("300 KiB binary") << largeBinary << false;
}

void tst_Curl::shouldFeedBodyBytesExactly()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, inlined);

    const Hook hook = makeRequestHook("POST", "/", {{"Host", "h"}, {"Content-Length", QByteArray::number(body.size())}}, body);
    const QByteArray command = formats::curlCommand(hook);
    QCOMPARE(command.contains("--data-raw"), inlined);
    for (const QString &shell : shells()) {
        const CurlCall call = curlCallOf(shell, command);
        QVERIFY2(call.ok, qPrintable(shell));
        QCOMPARE(bodyOf(call).size(), body.size());
        QCOMPARE(bodyOf(call), body);
        QCOMPARE(call.args.last(), QByteArray("http://h/"));
    }
}

void tst_Curl::shouldBuildUrlFromBaseOrHost_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("url");

    QTest::newRow("own Host") << QByteArray("/hooks?a=1") << QString() << QStringLiteral("http://127.0.0.1:8790/hooks?a=1");
    QTest::newRow("base without slash") << QByteArray("/hooks?a=1") << QStringLiteral("http://localhost:3000")
                                        << QStringLiteral("http://localhost:3000/hooks?a=1");
    QTest::newRow("base with slash") << QByteArray("/hooks") << QStringLiteral("http://127.0.0.1:9/")
                                     << QStringLiteral("http://127.0.0.1:9/hooks");
    QTest::newRow("base with a path prefix") << QByteArray("/hooks") << QStringLiteral("https://app.test/api/")
                                             << QStringLiteral("https://app.test/api/hooks");
    QTest::newRow("absolute-form target") << QByteArray("http://elsewhere/p?q") << QStringLiteral("http://b")
                                          << QStringLiteral("http://b/p?q");
    QTest::newRow("asterisk-form target") << QByteArray("*") << QStringLiteral("http://b") << QStringLiteral("http://b/");
}

void tst_Curl::shouldBuildUrlFromBaseOrHost()
{
    QFETCH(QByteArray, target);
    QFETCH(QString, base);
    QFETCH(QString, url);

    Hook hook = makeHook();
    hook.target = target;
    QCOMPARE(formats::curlUrl(hook, base), url);
    QVERIFY(formats::curlCommand(hook, url).endsWith(QByteArray(" '" + url.toLatin1() + "'\n")));
}

void tst_Curl::shouldWriteScriptWithOneCommandPerHook()
{
    Hook first = makeHook();
    first.id = 7;
    Hook second = makeRequestHook("GET", "/b", {{"Host", "x"}});
    second.id = 8;
    const QByteArray script = formats::curlScript({first, second}, QStringLiteral("http://127.0.0.1:1"));
    QVERIFY(script.startsWith("#!/bin/sh\n"));
    QCOMPARE(script.count("\ncurl "), 2);
    QVERIFY(script.contains("# hook 7: POST /hooks?source=codewars, received "));
    QVERIFY(script.contains("# hook 8: GET /b, received "));
    QVERIFY(script.contains(" 'http://127.0.0.1:1/hooks?source=codewars'\n"));
    QVERIFY(script.endsWith(" 'http://127.0.0.1:1/b'\n"));

    // Both commands run, in order.
    for (const QString &shell : shells()) {
        QTemporaryDir dir;
        const QByteArray log = QFile::encodeName(dir.filePath(QStringLiteral("log")));
        const ShellRun run = runShell(shell, "curl() { for a; do :; done; printf '%s\\n' \"$a\" >> '" + log + "'; }\n" + script);
        QVERIFY2(run.ok, qPrintable(shell));
        QFile file(QFile::decodeName(log));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("http://127.0.0.1:1/hooks?source=codewars\nhttp://127.0.0.1:1/b\n"));
    }
}

QTEST_GUILESS_MAIN(tst_Curl)
#include "tst_curl.moc"
