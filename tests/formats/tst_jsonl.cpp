#include "testhelpers.h"

#include "formats/jsonl.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using testhelpers::allBytes;
using testhelpers::makeHook;

class tst_Jsonl : public QObject
{
    Q_OBJECT

private slots:
    void shouldRoundTripHook_data();
    void shouldRoundTripHook();
    void shouldWriteContractMembers();
    void shouldWriteOneCompactLine();
    void shouldFormatAndParseTimestamps_data();
    void shouldFormatAndParseTimestamps();
    void shouldParseOtherTimestampSpellings_data();
    void shouldParseOtherTimestampSpellings();
    void shouldRejectMalformedObject_data();
    void shouldRejectMalformedObject();
};

void tst_Jsonl::shouldRoundTripHook_data()
{
    QTest::addColumn<Hook>("hook");

    QTest::newRow("codewars hook") << makeHook();

    Hook binary = makeHook("code_challenge", allBytes() + allBytes());
    binary.headers[2].value = "application/octet-stream";
    binary.inspection.problems = {QStringLiteral("body is not JSON: illegal value at offset 0")};
    QTest::newRow("binary body, every byte value") << binary;

    Hook duplicates = makeHook();
    duplicates.headers.append(http::HeaderField{"X-Dup", "one"});
    duplicates.headers.append(http::HeaderField{"x-dup", "two"});
    duplicates.headers.append(http::HeaderField{"X-DUP", ""});
    QTest::newRow("duplicate headers in mixed case, one empty") << duplicates;

    Hook obsText = makeHook();
    obsText.headers.append(http::HeaderField{"X-Name", "caf\xe9 \xff\x80 end"});
    obsText.answer.headers.append(http::HeaderField{"X-Echo", "\xe9t\xe9"});
    QTest::newRow("obs-text bytes in header values") << obsText;

    Hook ipv6 = makeHook();
    ipv6.peerAddress = QStringLiteral("::1");
    ipv6.peerPort = 65535;
    QTest::newRow("IPv6 peer") << ipv6;

    Hook scoped = makeHook();
    scoped.peerAddress = QStringLiteral("fe80::1:2%eth0");
    scoped.peerPort = 1;
    QTest::newRow("IPv6 peer with scope id") << scoped;

    Hook micro = makeHook();
    micro.receivedUs = 1764337837000001;
    QTest::newRow("timestamp with one microsecond") << micro;

    Hook lastMicro = makeHook();
    lastMicro.receivedUs = 1764337837999999;
    QTest::newRow("timestamp one microsecond before a full second") << lastMicro;

    Hook empty = makeHook("ping", QByteArray());
    empty.method = "GET";
    empty.headers = {{"Host", "x"}};
    empty.inspection = {};
    empty.answer = {204, {}, {}};
    QTest::newRow("empty body, no inspection, empty answer") << empty;

    Hook refused = makeHook("user", "POST /hooks HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n");
    refused.inspection = {};
    refused.setRefused(400, "conflicting Content-Length values");
    QTest::newRow("refused request, as far as it was read") << refused;

    Hook chunked = makeHook();
    chunked.chunked = true;
    chunked.headers[4] = {"Transfer-Encoding", "chunked"};
    chunked.trailers = {{"X-Checksum", "abc"}, {"X-Checksum", "def"}};
    QTest::newRow("chunked body with trailers") << chunked;

    Hook verdicts = makeHook();
    verdicts.inspection.secret = catalog::Verdict::Invalid;
    verdicts.inspection.signature = catalog::Verdict::Missing;
    verdicts.inspection.problems = {QStringLiteral("action: missing"), QStringLiteral("code_challenge.id: expected a string")};
    verdicts.answer = {401, {{"Content-Type", "application/json"}}, "{\"error\":\"invalid secret\"}\n"};
    QTest::newRow("verdicts, problems and a refusal") << verdicts;

    Hook odd = makeHook();
    odd.method = "PROPFIND";
    odd.target = "*";
    odd.version = "HTTP/1.0";
    odd.id = 9007199254740991;   // the largest integer a JSON number holds exactly
    QTest::newRow("odd method, asterisk target, HTTP/1.0, huge id") << odd;
}

void tst_Jsonl::shouldRoundTripHook()
{
    QFETCH(Hook, hook);

    QString error;
    Hook back;
    QVERIFY2(formats::hookFromJson(formats::hookToJson(hook), &back, &error), qPrintable(error));
    QCOMPARE(back, hook);

    // Through the text of a line too, as a reader of `listen --jsonl` gets it.
    const QByteArray line = formats::hookToJsonLine(hook);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    Hook fromLine;
    QVERIFY2(formats::hookFromJson(document.object(), &fromLine, &error), qPrintable(error));
    QCOMPARE(fromLine, hook);
    QCOMPARE(fromLine.body, hook.body);
    QCOMPARE(fromLine.headers, hook.headers);
}

void tst_Jsonl::shouldWriteContractMembers()
{
    Hook hook = makeHook();
    hook.id = 42;
    hook.receivedUs = 1764337837123456;   // 2025-11-28T13:50:37.123456Z
    hook.peerAddress = QStringLiteral("::1");
    hook.peerPort = 5000;
    hook.headers.append(http::HeaderField{"X-Dup", "1"});
    hook.headers.append(http::HeaderField{"X-Dup", "2"});
    hook.body = QByteArray("\x00\xff", 2);
    hook.inspection.action.clear();

    const QJsonObject object = formats::hookToJson(hook);
    QCOMPARE(object.value(u"id").toInteger(), 42);
    QCOMPARE(object.value(u"received").toString(), QStringLiteral("2025-11-28T13:50:37.123456Z"));
    QCOMPARE(object.value(u"peer").toString(), QStringLiteral("[::1]:5000"));
    QCOMPARE(object.value(u"method").toString(), QStringLiteral("POST"));
    QCOMPARE(object.value(u"target").toString(), QStringLiteral("/hooks?source=codewars"));
    QCOMPARE(object.value(u"version").toString(), QStringLiteral("HTTP/1.1"));
    const QJsonArray headers = object.value(u"headers").toArray();
    QCOMPARE(headers.size(), hook.headers.size());
    QCOMPARE(headers.at(0).toArray(), (QJsonArray{QStringLiteral("Host"), QStringLiteral("127.0.0.1:8790")}));
    QCOMPARE(headers.at(5).toArray(), (QJsonArray{QStringLiteral("X-Dup"), QStringLiteral("1")}));
    QCOMPARE(headers.at(6).toArray(), (QJsonArray{QStringLiteral("X-Dup"), QStringLiteral("2")}));
    QCOMPARE(object.value(u"body_b64").toString(), QStringLiteral("AP8="));
    QCOMPARE(object.value(u"provider").toString(), QStringLiteral("codewars"));
    QCOMPARE(object.value(u"event").toString(), QStringLiteral("code_challenge"));
    QVERIFY(object.value(u"action").isNull());
    QCOMPARE(object.value(u"secret").toString(), QStringLiteral("not-configured"));
    QCOMPARE(object.value(u"signature").toString(), QStringLiteral("not-configured"));
    QVERIFY(object.value(u"problems").isArray());
    QCOMPARE(object.value(u"answer").toObject().value(u"status").toInt(), 200);
}

void tst_Jsonl::shouldWriteOneCompactLine()
{
    Hook hook = makeHook("code_challenge", "{\n  \"action\": \"created\"\n}\n");
    const QByteArray line = formats::hookToJsonLine(hook);
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1);
    QCOMPARE(QJsonDocument::fromJson(line).object(), formats::hookToJson(hook));

    // The documented members first, in the documented order.
    const QByteArrayList order{"id", "received", "peer", "method", "target", "version", "headers", "body_b64", "provider",
                               "event", "action", "secret", "signature", "problems", "answer"};
    QVERIFY(line.startsWith("{\"id\":"));
    qsizetype previous = -1;
    for (const QByteArray &key : order) {
        const qsizetype at = line.indexOf(QByteArray('"' + key + "\":"));
        QVERIFY2(at > previous, key.constData());
        previous = at;
    }
}

void tst_Jsonl::shouldFormatAndParseTimestamps_data()
{
    QTest::addColumn<qint64>("us");
    QTest::addColumn<QString>("text");

    QTest::newRow("epoch") << qint64(0) << QStringLiteral("1970-01-01T00:00:00.000000Z");
    QTest::newRow("microseconds kept") << qint64(1764337837123456) << QStringLiteral("2025-11-28T13:50:37.123456Z");
    QTest::newRow("leading zeros in fraction") << qint64(1764337837000042) << QStringLiteral("2025-11-28T13:50:37.000042Z");
    QTest::newRow("one microsecond before epoch") << qint64(-1) << QStringLiteral("1969-12-31T23:59:59.999999Z");
}

void tst_Jsonl::shouldFormatAndParseTimestamps()
{
    QFETCH(qint64, us);
    QFETCH(QString, text);

    QCOMPARE(formats::isoTimestamp(us), text);
    qint64 parsed = 12345;
    QVERIFY(formats::parseIsoTimestamp(text, &parsed));
    QCOMPARE(parsed, us);
}

void tst_Jsonl::shouldParseOtherTimestampSpellings_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("us");

    const qint64 second = 1764337837000000;   // 2025-11-28T13:50:37Z
    QTest::newRow("no fraction") << QStringLiteral("2025-11-28T13:50:37Z") << second;
    QTest::newRow("milliseconds") << QStringLiteral("2025-11-28T13:50:37.120Z") << second + 120000;
    QTest::newRow("nanoseconds: truncated, not rounded") << QStringLiteral("2025-11-28T13:50:37.999999999Z") << second + 999999;
    QTest::newRow("more digits than nanoseconds") << QStringLiteral("2025-11-28T13:50:37.1234567891234Z") << second + 123456;
    QTest::newRow("offset") << QStringLiteral("2025-11-28T14:50:37.5+01:00") << second + 500000;
    QTest::newRow("negative offset") << QStringLiteral("2025-11-28T08:50:37.000001-05:00") << second + 1;
}

void tst_Jsonl::shouldParseOtherTimestampSpellings()
{
    QFETCH(QString, text);
    QFETCH(qint64, us);

    qint64 parsed = 0;
    QVERIFY(formats::parseIsoTimestamp(text, &parsed));
    QCOMPARE(parsed, us);
    QVERIFY(!formats::parseIsoTimestamp(text.left(7), &parsed));   // "2025-11"
}

void tst_Jsonl::shouldRejectMalformedObject_data()
{
    QTest::addColumn<QString>("member");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("named");

    QTest::newRow("id missing") << QStringLiteral("id") << QJsonValue(QJsonValue::Undefined) << QStringLiteral("\"id\"");
    QTest::newRow("id a string") << QStringLiteral("id") << QJsonValue(QStringLiteral("7")) << QStringLiteral("\"id\"");
    QTest::newRow("received not a time") << QStringLiteral("received") << QJsonValue(QStringLiteral("yesterday"))
                                         << QStringLiteral("\"received\"");
    QTest::newRow("peer without port") << QStringLiteral("peer") << QJsonValue(QStringLiteral("127.0.0.1"))
                                       << QStringLiteral("\"peer\"");
    QTest::newRow("method missing") << QStringLiteral("method") << QJsonValue(QJsonValue::Undefined) << QStringLiteral("\"method\"");
    QTest::newRow("headers not pairs") << QStringLiteral("headers") << QJsonValue(QJsonArray{QStringLiteral("Host: x")})
                                       << QStringLiteral("\"headers\"");
    QTest::newRow("body not base64") << QStringLiteral("body_b64") << QJsonValue(QStringLiteral("**not base64**"))
                                     << QStringLiteral("\"body_b64\"");
}

void tst_Jsonl::shouldRejectMalformedObject()
{
    QFETCH(QString, member);
    QFETCH(QJsonValue, value);
    QFETCH(QString, named);

    QJsonObject object = formats::hookToJson(makeHook());
    if (value.isUndefined())
        object.remove(member);
    else
        object.insert(member, value);
    Hook hook;
    hook.id = 77;
    QString error;
    QVERIFY(!formats::hookFromJson(object, &hook, &error));
    QVERIFY2(error.contains(named), qPrintable(error));
    QCOMPARE(hook.id, 77);   // untouched
}

QTEST_GUILESS_MAIN(tst_Jsonl)
#include "tst_jsonl.moc"
