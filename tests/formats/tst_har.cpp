#include "hartesthelpers.h"
#include "testhelpers.h"

#include "formats/har.h"
#include "formats/jsonl.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

using testhelpers::allBytes;
using testhelpers::makeHook;

namespace {

// A varied set: every kind of thing a hook can hold.
QList<Hook> sampleHooks()
{
    QList<Hook> hooks;
    Hook hook = makeHook();
    hook.id = 1;
    hook.receivedUs = 1764337837123456;
    hooks.append(hook);

    hook = makeHook("code_challenge", allBytes());
    hook.id = 2;
    hook.receivedUs = 1764337838000001;
    hook.peerAddress = QStringLiteral("::1");
    hook.peerPort = 5001;
    hook.headers[2].value = "application/octet-stream";
    hook.headers.append(http::HeaderField{"X-Dup", "1"});
    hook.headers.append(http::HeaderField{"x-dup", "2"});
    hook.headers.append(http::HeaderField{"X-Obs", "caf\xe9\xff"});
    hook.headers.append(http::HeaderField{"X-Empty", ""});
    hook.inspection.problems = {QStringLiteral("body is not JSON")};
    hook.inspection.secret = catalog::Verdict::Invalid;
    hook.answer = {401, {{"Content-Type", "application/octet-stream"}, {"Content-Length", "3"}}, QByteArray("\x00\x80\xff", 3)};
    hooks.append(hook);

    hook = makeHook("ping", QByteArray());
    hook.id = 3;
    hook.method = "GET";
    hook.target = "/health?a=1&b=x%20y&flag&&c=";
    hook.headers = {{"Host", "example.test:81"}};
    hook.inspection = {};
    hook.answer = {204, {}, {}};
    hooks.append(hook);

    hook = makeHook();
    hook.id = 4;
    hook.chunked = true;
    hook.headers[4] = {"Transfer-Encoding", "chunked"};
    hook.trailers = {{"X-Checksum", "abc"}};
    hook.body = "{\"text\":\"gr\xc3\xbc\xc3\x9f \xe2\x82\xac \\u0000\",\"nul\":\"\"}";
    hook.body.insert(10, '\0');   // valid UTF-8 with a NUL in it
    hooks.append(hook);

    hook = makeHook();
    hook.id = 5;
    hook.method = "OPTIONS";
    hook.target = "*";
    hook.version = "HTTP/1.0";
    hook.headers = {};
    hook.body.clear();
    hooks.append(hook);

    hook = makeHook("code_challenge", "\xef\xbb\xbf{\"action\":\"created\"}");
    hook.id = 6;
    hooks.append(hook);
    return hooks;
}

void requireMembers(const QJsonObject &object, const QString &where, const QList<std::pair<const char *, QJsonValue::Type>> &members)
{
    for (const auto &[name, type] : members) {
        const QJsonValue value = object.value(QLatin1StringView(name));
        QVERIFY2(value.type() == type, qPrintable(where + u'.' + QLatin1StringView(name) + u" is missing or has the wrong type"));
    }
}

void requireNameValueList(const QJsonValue &list, const QString &where)
{
    QVERIFY2(list.isArray(), qPrintable(where));
    for (const QJsonValue &item : list.toArray()) {
        QVERIFY2(item.toObject().value(u"name").isString(), qPrintable(where));
        QVERIFY2(item.toObject().value(u"value").isString(), qPrintable(where));
    }
}

qint64 utcUs(int year, int month, int day, int hour, int minute, int second, int ms)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second, ms), QTimeZone::utc()).toMSecsSinceEpoch() * 1000;
}

} // namespace

class tst_Har : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void shouldWriteEveryRequiredHarMember();
    void shouldWriteRequestAsReceived();
    void shouldWriteAnswerAsResponse();
    void shouldWriteBodyAsTextOrBase64_data();
    void shouldWriteBodyAsTextOrBase64();
    void shouldBuildUrl_data();
    void shouldBuildUrl();
    void shouldRoundTripExportImportExport();
    void shouldImportForeignHar();
    void shouldDeriveTargetAndHostFromForeignUrl_data();
    void shouldDeriveTargetAndHostFromForeignUrl();
    void shouldRejectWhatIsNotHar_data();
    void shouldRejectWhatIsNotHar();
};

void tst_Har::initTestCase()
{
    QCoreApplication::setApplicationVersion(QStringLiteral("9.8.7-test"));
}

void tst_Har::shouldWriteEveryRequiredHarMember()
{
    const QList<Hook> hooks = sampleHooks();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(formats::hooksToHar(hooks), &parseError);
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    const QJsonObject log = document.object().value(u"log").toObject();
    QCOMPARE(log.value(u"version").toString(), QStringLiteral("1.2"));
    QCOMPARE(log.value(u"creator").toObject().value(u"name").toString(), QStringLiteral("hookscope"));
    QCOMPARE(log.value(u"creator").toObject().value(u"version").toString(), QStringLiteral("9.8.7-test"));
    const QJsonArray entries = log.value(u"entries").toArray();
    QCOMPARE(entries.size(), hooks.size());

    using T = QJsonValue::Type;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QString where = QStringLiteral("entries[%1]").arg(i);
        const QJsonObject entry = entries.at(i).toObject();
        requireMembers(entry, where, {{"startedDateTime", T::String}, {"time", T::Double}, {"request", T::Object},
                                      {"response", T::Object}, {"cache", T::Object}, {"timings", T::Object}});
        QVERIFY(QDateTime::fromString(entry.value(u"startedDateTime").toString(), Qt::ISODateWithMs).isValid());
        const QJsonObject timings = entry.value(u"timings").toObject();
        requireMembers(timings, where + u".timings", {{"send", T::Double}, {"wait", T::Double}, {"receive", T::Double}});
        QCOMPARE(entry.value(u"time").toDouble(), timings.value(u"send").toDouble() + timings.value(u"wait").toDouble()
                                                      + timings.value(u"receive").toDouble());

        const QJsonObject request = entry.value(u"request").toObject();
        requireMembers(request, where + u".request",
                       {{"method", T::String}, {"url", T::String}, {"httpVersion", T::String}, {"cookies", T::Array},
                        {"headers", T::Array}, {"queryString", T::Array}, {"headersSize", T::Double}, {"bodySize", T::Double}});
        requireNameValueList(request.value(u"headers"), where + u".request.headers");
        requireNameValueList(request.value(u"queryString"), where + u".request.queryString");
        if (request.contains(u"postData"))
            requireMembers(request.value(u"postData").toObject(), where + u".request.postData", {{"mimeType", T::String}});

        const QJsonObject response = entry.value(u"response").toObject();
        requireMembers(response, where + u".response",
                       {{"status", T::Double}, {"statusText", T::String}, {"httpVersion", T::String}, {"cookies", T::Array},
                        {"headers", T::Array}, {"content", T::Object}, {"redirectURL", T::String}, {"headersSize", T::Double},
                        {"bodySize", T::Double}});
        requireNameValueList(response.value(u"headers"), where + u".response.headers");
        requireMembers(response.value(u"content").toObject(), where + u".response.content",
                       {{"size", T::Double}, {"mimeType", T::String}});
    }
}

void tst_Har::shouldWriteRequestAsReceived()
{
    Hook hook = sampleHooks().at(1);
    hook.target = "/in?x=%41%42&y=a+b&z";
    const QJsonObject entry = formats::hookToHarEntry(hook);
    QCOMPARE(entry.value(u"startedDateTime").toString(), QStringLiteral("2025-11-28T13:50:38.000Z"));

    const QJsonObject request = entry.value(u"request").toObject();
    QCOMPARE(request.value(u"method").toString(), QStringLiteral("POST"));
    QCOMPARE(request.value(u"url").toString(), QStringLiteral("http://127.0.0.1:8790/in?x=%41%42&y=a+b&z"));
    QCOMPARE(request.value(u"httpVersion").toString(), QStringLiteral("HTTP/1.1"));

    const QJsonArray headers = request.value(u"headers").toArray();
    QCOMPARE(headers.size(), hook.headers.size());
    for (qsizetype i = 0; i < headers.size(); ++i) {
        QCOMPARE(headers.at(i).toObject().value(u"name").toString().toLatin1(), hook.headers.at(i).name);
        QCOMPARE(headers.at(i).toObject().value(u"value").toString().toLatin1(), hook.headers.at(i).value);
    }

    const QJsonArray query = request.value(u"queryString").toArray();
    QCOMPARE(query.size(), 3);
    QCOMPARE(query.at(0).toObject(), (QJsonObject{{QStringLiteral("name"), QStringLiteral("x")}, {QStringLiteral("value"), QStringLiteral("AB")}}));
    QCOMPARE(query.at(1).toObject(), (QJsonObject{{QStringLiteral("name"), QStringLiteral("y")}, {QStringLiteral("value"), QStringLiteral("a+b")}}));
    QCOMPARE(query.at(2).toObject(), (QJsonObject{{QStringLiteral("name"), QStringLiteral("z")}, {QStringLiteral("value"), QString()}}));

    qint64 headerBytes = QByteArray(hook.method + ' ' + hook.target + " HTTP/1.1\r\n").size() + 2;
    for (const http::HeaderField &field : hook.headers)
        headerBytes += QByteArray(field.name + ": " + field.value + "\r\n").size();
    QCOMPARE(request.value(u"headersSize").toInteger(), headerBytes);
    QCOMPARE(request.value(u"bodySize").toInteger(), 256);
    QCOMPARE(request.value(u"postData").toObject().value(u"mimeType").toString(), QStringLiteral("application/octet-stream"));

    const QJsonObject own = entry.value(u"_hookscope").toObject();
    QCOMPARE(own.value(u"id").toInteger(), 2);
    QCOMPARE(own.value(u"peer").toString(), QStringLiteral("[::1]:5001"));
    QCOMPARE(own.value(u"received_us").toInteger(), 1764337838000001);
    QCOMPARE(own.value(u"provider").toString(), QStringLiteral("codewars"));
    QCOMPARE(own.value(u"event").toString(), QStringLiteral("code_challenge"));
    QCOMPARE(own.value(u"action").toString(), QStringLiteral("created"));
    QCOMPARE(own.value(u"secret").toString(), QStringLiteral("invalid"));
    QCOMPARE(own.value(u"signature").toString(), QStringLiteral("not-configured"));
    QCOMPARE(own.value(u"problems").toArray(), QJsonArray{QStringLiteral("body is not JSON")});
    QCOMPARE(own.value(u"chunked").toBool(), false);
    QCOMPARE(own.value(u"trailers").toArray(), QJsonArray());
}

void tst_Har::shouldWriteAnswerAsResponse()
{
    const Hook hook = sampleHooks().at(0);
    const QJsonObject response = formats::hookToHarEntry(hook).value(u"response").toObject();
    QCOMPARE(response.value(u"status").toInt(), 200);
    QCOMPARE(response.value(u"statusText").toString(), QStringLiteral("OK"));
    QCOMPARE(response.value(u"httpVersion").toString(), QStringLiteral("HTTP/1.1"));
    QCOMPARE(response.value(u"redirectURL").toString(), QString());
    const QJsonArray headers = response.value(u"headers").toArray();
    QCOMPARE(headers.size(), 2);
    QCOMPARE(headers.at(1).toObject().value(u"name").toString(), QStringLiteral("Content-Length"));
    const QJsonObject content = response.value(u"content").toObject();
    QCOMPARE(content.value(u"size").toInt(), 9);
    QCOMPARE(content.value(u"mimeType").toString(), QStringLiteral("application/json"));
    QCOMPARE(content.value(u"text").toString(), QStringLiteral("{\"id\":1}\n"));
    QVERIFY(!content.contains(u"encoding"));
    QCOMPARE(response.value(u"bodySize").toInt(), 9);
    const qint64 headersSize = QByteArray("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n").size();
    QCOMPARE(response.value(u"headersSize").toInteger(), headersSize);
}

void tst_Har::shouldWriteBodyAsTextOrBase64_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("base64");

    QTest::newRow("JSON") << QByteArray("{\"action\":\"created\"}") << false;
    QTest::newRow("UTF-8 beyond ASCII") << QByteArray("gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x98\x80") << false;
    QTest::newRow("UTF-8 with a byte order mark") << QByteArray("\xef\xbb\xbfhello") << false;
    QTest::newRow("Latin-1 byte") << QByteArray("caf\xe9") << true;
    QTest::newRow("truncated UTF-8 sequence") << QByteArray("\xe2\x82") << true;
    QTest::newRow("encoded surrogate") << QByteArray("\xed\xa0\x80") << true;
    QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << true;
    QTest::newRow("every byte value") << allBytes() << true;
}

void tst_Har::shouldWriteBodyAsTextOrBase64()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, base64);

    Hook hook = makeHook("code_challenge", body);
    hook.answer.body = body;
    const QJsonObject entry = formats::hookToHarEntry(hook);
    const QJsonObject postData = entry.value(u"request").toObject().value(u"postData").toObject();
    const QJsonObject content = entry.value(u"response").toObject().value(u"content").toObject();
    for (const QJsonObject &object : {postData, content}) {
        if (base64) {
            QCOMPARE(object.value(u"encoding").toString(), QStringLiteral("base64"));
            QCOMPARE(QByteArray::fromBase64(object.value(u"text").toString().toLatin1()), body);
        } else {
            QVERIFY(!object.contains(u"encoding"));
            QCOMPARE(object.value(u"text").toString().toUtf8(), body);
        }
    }
}

void tst_Har::shouldBuildUrl_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<QString>("peer");
    QTest::addColumn<QString>("url");

    QTest::newRow("Host header") << QByteArray("/hooks?a=1") << QByteArray("hooks.example.test:8080") << QStringLiteral("10.0.0.1")
                                 << QStringLiteral("http://hooks.example.test:8080/hooks?a=1");
    QTest::newRow("no Host: the peer") << QByteArray("/x") << QByteArray() << QStringLiteral("10.0.0.1")
                                       << QStringLiteral("http://10.0.0.1:40000/x");
    QTest::newRow("no Host, IPv6 peer") << QByteArray("/x") << QByteArray() << QStringLiteral("::1")
                                        << QStringLiteral("http://[::1]:40000/x");
    QTest::newRow("absolute-form target") << QByteArray("http://other.test/p?q") << QByteArray("ignored") << QStringLiteral("::1")
                                          << QStringLiteral("http://other.test/p?q");
    QTest::newRow("asterisk-form target") << QByteArray("*") << QByteArray("h") << QStringLiteral("::1") << QStringLiteral("http://h/");
}

void tst_Har::shouldBuildUrl()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, host);
    QFETCH(QString, peer);
    QFETCH(QString, url);

    Hook hook = makeHook();
    hook.target = target;
    hook.peerAddress = peer;
    hook.headers.removeFirst();
    if (!host.isNull())
        hook.headers.append(http::HeaderField{"host", host});
    QCOMPARE(formats::hookUrl(hook), url);
    QCOMPARE(formats::hookToHarEntry(hook).value(u"request").toObject().value(u"url").toString(), url);
}

void tst_Har::shouldRoundTripExportImportExport()
{
    const QList<Hook> hooks = sampleHooks();
    const QByteArray first = formats::hooksToHar(hooks);

    QList<Hook> imported;
    QString error;
    QVERIFY2(formats::hooksFromHar(first, catalog::Catalog::builtin(), &imported, &error), qPrintable(error));
    QCOMPARE(imported.size(), hooks.size());
    for (qsizetype i = 0; i < hooks.size(); ++i) {
        QCOMPARE(imported.at(i).id, 0);
        Hook expected = hooks.at(i);
        expected.id = 0;
        QCOMPARE(imported.at(i).body, expected.body);
        QCOMPARE(imported.at(i).headers, expected.headers);
        QCOMPARE(imported.at(i).target, expected.target);
        QCOMPARE(imported.at(i).answer, expected.answer);
        QCOMPARE(imported.at(i).inspection, expected.inspection);
        QCOMPARE(imported.at(i), expected);
    }

    // As `import` does: new ids from the store.
    for (qsizetype i = 0; i < imported.size(); ++i)
        imported[i].id = 100 + i;
    const QByteArray second = formats::hooksToHar(imported);
    QCOMPARE(withoutIds(entriesOf(second)), withoutIds(entriesOf(first)));
    QCOMPARE(entriesOf(second).at(0).toObject().value(u"_hookscope").toObject().value(u"id").toInteger(), 100);
}

void tst_Har::shouldImportForeignHar()
{
    QFile file(QFINDTESTDATA("data/foreign.har"));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    QList<Hook> hooks;
    QString error;
    const catalog::Catalog catalog = catalog::Catalog::builtin();
    QVERIFY2(formats::hooksFromHar(file.readAll(), catalog, &hooks, &error), qPrintable(error));
    QCOMPARE(hooks.size(), 4);

    // A browser's HTTP/2 fetch: pseudo-headers dropped, Host from :authority.
    const Hook &chrome = hooks.at(0);
    QCOMPARE(chrome.id, 0);
    QCOMPARE(chrome.receivedUs, utcUs(2024, 3, 1, 12, 34, 56, 789));
    QCOMPARE(chrome.peerAddress, QStringLiteral("0.0.0.0"));
    QCOMPARE(chrome.peerPort, 0);
    QCOMPARE(chrome.peer(), QStringLiteral("0.0.0.0:0"));
    QCOMPARE(chrome.method, QByteArray("POST"));
    QCOMPARE(chrome.target, QByteArray("https://hooks.example.test/codewars?team=a%20b&x=1"));
    QCOMPARE(chrome.version, QByteArray("HTTP/2.0"));
    const http::HeaderList chromeHeaders{{"Host", "hooks.example.test"},
                                         {"content-type", "application/json"},
                                         {"user-agent", "Codewars Hookbot"},
                                         {"x-webhook-event", "code_challenge"},
                                         {"x-webhook-secret", "some-shared-secret"}};
    QCOMPARE(chrome.headers, chromeHeaders);
    QCOMPARE(chrome.body, QByteArray(R"({"action":"created","code_challenge":{"id":"50654ddff44f800200000001","created_by_id":"508f2708b3be0c0200000002"}})"));
    QCOMPARE(chrome.inspection, catalog.inspect(chrome.headers, chrome.body, QByteArray()));
    QCOMPARE(chrome.inspection.provider, QStringLiteral("codewars"));
    QCOMPARE(chrome.inspection.event, QStringLiteral("code_challenge"));
    QCOMPARE(chrome.inspection.action, QStringLiteral("created"));
    QCOMPARE(chrome.answer.status, 202);
    QCOMPARE(chrome.answer.headers, (http::HeaderList{{"content-type", "text/plain"}}));
    QCOMPARE(chrome.answer.body, QByteArray("accepted"));
    QVERIFY(!chrome.chunked);

    // Firefox-style: a time with an offset, a base64 response.
    const Hook &firefox = hooks.at(1);
    QCOMPARE(firefox.receivedUs, utcUs(2024, 3, 1, 12, 0, 0, 250));
    QCOMPARE(firefox.method, QByteArray("GET"));
    QCOMPARE(firefox.target, QByteArray("/status?verbose"));
    QCOMPARE(firefox.version, QByteArray("HTTP/1.1"));
    QCOMPARE(firefox.headers, (http::HeaderList{{"Host", "localhost:3000"}, {"Accept", "*/*"}}));
    QVERIFY(firefox.body.isEmpty());
    QVERIFY(firefox.inspection.provider.isEmpty());
    QVERIFY(!firefox.inspection.problems.isEmpty());   // no event header: said so
    QCOMPARE(firefox.answer.body, QByteArray("\x00\x01\xff\xfe", 4));

    // A binary upload in base64.
    const Hook &upload = hooks.at(2);
    QCOMPARE(upload.receivedUs, utcUs(2024, 3, 2, 8, 15, 0, 0));
    QCOMPARE(upload.method, QByteArray("PUT"));
    QCOMPARE(upload.target, QByteArray("/blob"));
    QCOMPARE(upload.body, QByteArray("\x00\xff\x7f\x80\x01", 5));
    QCOMPARE(upload.answer.status, 204);
    QVERIFY(upload.answer.body.isEmpty());

    // A form given as params only.
    const Hook &form = hooks.at(3);
    QCOMPARE(form.body, QByteArray("name=Zo%C3%AB%20%26%20co&n=1"));

    // Exported again, the imported hooks are whole HAR entries of ours.
    const QJsonArray entries = entriesOf(formats::hooksToHar(hooks));
    QCOMPARE(entries.size(), 4);
    // It came over TLS, and says so when exported again.
    QCOMPARE(entries.at(0).toObject().value(u"request").toObject().value(u"url").toString(),
             QStringLiteral("https://hooks.example.test/codewars?team=a%20b&x=1"));
    QCOMPARE(entries.at(0).toObject().value(u"_hookscope").toObject().value(u"peer").toString(), QStringLiteral("0.0.0.0:0"));
}

void tst_Har::shouldDeriveTargetAndHostFromForeignUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("host");   // null: no Host header added

    QTest::newRow("fragment dropped") << QStringLiteral("http://h.test/p?q=1#frag") << QByteArray("/p?q=1") << QByteArray("h.test");
    QTest::newRow("https kept whole") << QStringLiteral("https://h.test/p?q=1#frag") << QByteArray("https://h.test/p?q=1") << QByteArray("h.test");
    QTest::newRow("user info and port") << QStringLiteral("http://user:pw@h.test:8080") << QByteArray("/") << QByteArray("h.test:8080");
    QTest::newRow("query without a path") << QStringLiteral("http://h.test?x=1") << QByteArray("/?x=1") << QByteArray("h.test");
    QTest::newRow("IPv6 host") << QStringLiteral("http://[::1]:3000/x") << QByteArray("/x") << QByteArray("[::1]:3000");
    QTest::newRow("non-ASCII and spaces escaped") << QStringLiteral("http://h/\u00e4 \u00f6?q=\u20ac") << QByteArray("/%C3%A4%20%C3%B6?q=%E2%82%AC")
                                                  << QByteArray("h");
    QTest::newRow("escapes kept as they are") << QStringLiteral("http://h/a%2Fb?x=%41") << QByteArray("/a%2Fb?x=%41") << QByteArray("h");
    QTest::newRow("no scheme") << QStringLiteral("/only/a/path") << QByteArray("/only/a/path") << QByteArray();
}

void tst_Har::shouldDeriveTargetAndHostFromForeignUrl()
{
    QFETCH(QString, url);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, host);

    const QJsonObject entry{
        {QStringLiteral("startedDateTime"), QStringLiteral("2024-01-01T00:00:00.000Z")},
        {QStringLiteral("request"), QJsonObject{{QStringLiteral("method"), QStringLiteral("GET")}, {QStringLiteral("url"), url},
                                                {QStringLiteral("headers"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Accept")},
                                                                                                   {QStringLiteral("value"), QStringLiteral("*/*")}}}}}},
    };
    Hook hook;
    QString error;
    QVERIFY2(formats::hookFromHarEntry(entry, catalog::Catalog::builtin(), &hook, &error), qPrintable(error));
    QCOMPARE(hook.target, target);
    QCOMPARE(http::valueOf(hook.headers, "Host"), host);
    QCOMPARE(hook.headers.size(), host.isNull() ? 1 : 2);
    QCOMPARE(hook.answer.status, 0);   // no response in the entry
}

void tst_Har::shouldRejectWhatIsNotHar_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("problem");

    QTest::newRow("not JSON") << QByteArray("GET / HTTP/1.1\r\n") << QStringLiteral("not JSON");
    QTest::newRow("empty file") << QByteArray() << QStringLiteral("not JSON");
    QTest::newRow("JSON, not HAR") << QByteArray(R"({"id":1,"method":"POST"})") << QStringLiteral("not a HAR file");
    QTest::newRow("entries not a list") << QByteArray(R"({"log":{"entries":{}}})") << QStringLiteral("not a HAR file");
    QTest::newRow("entry not an object") << QByteArray(R"({"log":{"entries":[1]}})") << QStringLiteral("entry 1: not an object");
    QTest::newRow("entry without request")
        << QByteArray(R"({"log":{"entries":[{"startedDateTime":"2024-01-01T00:00:00Z"}]}})") << QStringLiteral("entry 1: request is missing");
    QTest::newRow("second entry without method")
        << QByteArray(R"({"log":{"entries":[{"startedDateTime":"2024-01-01T00:00:00Z","request":{"method":"GET","url":"http://a/"}},)"
                      R"({"startedDateTime":"2024-01-01T00:00:00Z","request":{"url":"http://a/"}}]}})")
        << QStringLiteral("entry 2: request.method is missing");
    QTest::newRow("no url") << QByteArray(R"({"log":{"entries":[{"startedDateTime":"2024-01-01T00:00:00Z","request":{"method":"GET"}}]}})")
                            << QStringLiteral("entry 1: request.url is missing");
    QTest::newRow("bad time") << QByteArray(R"({"log":{"entries":[{"startedDateTime":"soon","request":{"method":"GET","url":"http://a/"}}]}})")
                              << QStringLiteral("entry 1: startedDateTime");
    QTest::newRow("headers not a list")
        << QByteArray(R"({"log":{"entries":[{"startedDateTime":"2024-01-01T00:00:00Z","request":{"method":"GET","url":"http://a/","headers":"x"}}]}})")
        << QStringLiteral("entry 1: request.headers is not a list");
    QTest::newRow("bad base64 body")
        << QByteArray(R"({"log":{"entries":[{"startedDateTime":"2024-01-01T00:00:00Z","request":{"method":"POST","url":"http://a/",)"
                      R"("postData":{"mimeType":"x","text":"***","encoding":"base64"}}}]}})")
        << QStringLiteral("entry 1: request.postData.text is not valid base64");
}

void tst_Har::shouldRejectWhatIsNotHar()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, problem);

    QList<Hook> hooks{makeHook()};
    QString error;
    QVERIFY(!formats::hooksFromHar(data, catalog::Catalog::builtin(), &hooks, &error));
    QVERIFY2(error.startsWith(problem), qPrintable(error));
    QCOMPARE(hooks.size(), 1);   // untouched
}

QTEST_GUILESS_MAIN(tst_Har)
#include "tst_har.moc"
