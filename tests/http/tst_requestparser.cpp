#include "http/requestparser.h"

#include <QTest>

using namespace http;

Q_DECLARE_METATYPE(http::Limits)
Q_DECLARE_METATYPE(http::Request)

namespace http {

char *toString(const HeaderList &list)
{
    QByteArray text = "[";
    for (const HeaderField &field : list) {
        if (text.size() > 1)
            text += ", ";
        text += field.name + ": " + field.value;
    }
    text += ']';
    return QTest::toString(text);
}

char *toString(ParseStatus status)
{
    switch (status) {
    case ParseStatus::Incomplete: return qstrdup("Incomplete");
    case ParseStatus::Complete: return qstrdup("Complete");
    case ParseStatus::Error: return qstrdup("Error");
    }
    return qstrdup("?");
}

} // namespace http

namespace {

// A string literal with its embedded NULs.
template <qsizetype N>
QByteArray raw(const char (&text)[N])
{
    return QByteArray(text, N - 1);
}

Limits makeLimits(qsizetype requestLine, qsizetype headerBytes, qsizetype headerFields, qint64 body)
{
    Limits limits;
    limits.maxRequestLine = requestLine;
    limits.maxHeaderBytes = headerBytes;
    limits.maxHeaderFields = headerFields;
    limits.maxBody = body;
    return limits;
}

// The request a valid row should come to; HTTP/1.1, no body, keep-alive unless told.
class ExpectedRequest
{
public:
    ExpectedRequest(const QByteArray &method, const QByteArray &target, const HeaderList &headers)
    {
        m_request.method = method;
        m_request.target = target;
        m_request.headers = headers;
    }

    ExpectedRequest &http10()
    {
        m_request.versionMinor = 0;
        m_request.keepAlive = false;
        return *this;
    }
    ExpectedRequest &body(const QByteArray &body)
    {
        m_request.body = body;
        return *this;
    }
    ExpectedRequest &trailers(const HeaderList &trailers)
    {
        m_request.trailers = trailers;
        return *this;
    }
    ExpectedRequest &chunked()
    {
        m_request.chunked = true;
        return *this;
    }
    ExpectedRequest &keepAlive(bool keepAlive)
    {
        m_request.keepAlive = keepAlive;
        return *this;
    }

    operator Request() const { return m_request; }

private:
    Request m_request;
};

// What one request parse came to, however its bytes were handed over.
struct Outcome
{
    ParseStatus status = ParseStatus::Incomplete;
    int errorStatus = 0;
    QByteArray errorReason;
    qsizetype consumed = 0;     // over all feeds
    Request request;
    QByteArray broken;          // a feed() promise seen broken on the way
};

// Feeds pieces to one parser until it decides, checking the feed() contract as it goes.
class Feeder
{
public:
    explicit Feeder(const Limits &limits)
        : m_parser(limits)
    {
    }

    // false once the parser has decided (Complete or Error)
    bool feed(QByteArrayView piece)
    {
        const ParseResult result = m_parser.feed(piece);
        m_outcome.consumed += result.consumed;
        if (result.consumed < 0 || result.consumed > piece.size())
            m_outcome.broken = "consumed out of range";
        if (result.status == ParseStatus::Incomplete) {
            if (result.consumed != piece.size())
                m_outcome.broken = "Incomplete without consuming everything";
            return true;
        }
        m_outcome.status = result.status;
        m_outcome.errorStatus = result.errorStatus;
        m_outcome.errorReason = result.errorReason;
        if (result.status == ParseStatus::Complete) {
            if (!m_parser.headersComplete())
                m_outcome.broken = "Complete without headersComplete()";
            m_outcome.request = m_parser.takeRequest();
        } else {
            if (result.errorReason.isEmpty())
                m_outcome.broken = "Error without a reason";
            const ParseResult again = m_parser.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            if (again.status != ParseStatus::Error || again.consumed != 0 || again.errorStatus != result.errorStatus
                || again.errorReason != result.errorReason) {
                m_outcome.broken = "a second feed() after Error did not repeat it";
            }
        }
        return false;
    }

    const Outcome &outcome() const { return m_outcome; }

private:
    RequestParser m_parser;
    Outcome m_outcome;
};

Outcome parseAtOnce(QByteArrayView input, const Limits &limits)
{
    Feeder feeder(limits);
    feeder.feed(input);
    return feeder.outcome();
}

Outcome parseSplit(QByteArrayView input, qsizetype at, const Limits &limits)
{
    Feeder feeder(limits);
    if (feeder.feed(input.first(at)))
        feeder.feed(input.sliced(at));
    return feeder.outcome();
}

Outcome parseByteByByte(QByteArrayView input, const Limits &limits)
{
    Feeder feeder(limits);
    for (qsizetype i = 0; i < input.size() && feeder.feed(input.sliced(i, 1)); ++i) {
    }
    return feeder.outcome();
}

QByteArray differences(const Outcome &actual, const Outcome &expected)
{
    QByteArrayList found;
    if (!actual.broken.isEmpty())
        found << actual.broken;
    if (actual.status != expected.status)
        found << "status";
    if (actual.errorStatus != expected.errorStatus)
        found << "errorStatus " + QByteArray::number(actual.errorStatus);
    if (actual.errorReason != expected.errorReason)
        found << "errorReason '" + actual.errorReason + '\'';
    if (expected.status == ParseStatus::Complete) {
        const Request &a = actual.request;
        const Request &e = expected.request;
        if (actual.consumed != expected.consumed)
            found << "consumed " + QByteArray::number(actual.consumed);
        if (a.method != e.method || a.target != e.target || a.versionMinor != e.versionMinor)
            found << "request line";
        if (a.headers != e.headers)
            found << "headers";
        if (a.body != e.body)
            found << "body";
        if (a.trailers != e.trailers)
            found << "trailers";
        if (a.chunked != e.chunked || a.keepAlive != e.keepAlive)
            found << "chunked or keepAlive";
    }
    return found.join(", ");
}

// Every two-piece split and a byte-by-byte feed must reach what one feed reached.
void verifyEverySplit(const QByteArray &input, const Limits &limits, const Outcome &reference)
{
    const qsizetype stride = input.size() > 4096 ? input.size() / 1024 : 1;
    for (qsizetype at = 0; at <= input.size(); at += (at < 64 || input.size() - at < 64) ? 1 : stride) {
        const QByteArray diff = differences(parseSplit(input, at, limits), reference);
        const QByteArray message = "split at " + QByteArray::number(at) + ": " + diff;
        QVERIFY2(diff.isEmpty(), message.constData());
    }
    const QByteArray diff = differences(parseByteByByte(input, limits), reference);
    const QByteArray message = "byte by byte: " + diff;
    QVERIFY2(diff.isEmpty(), message.constData());
}

QByteArray chunkFlood(int chunks, QByteArray *body)
{
    QByteArray stream = "POST /flood HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    stream.reserve(stream.size() + chunks * 6 + 5);
    body->reserve(chunks);
    for (int i = 0; i < chunks; ++i) {
        const char byte = char('a' + i % 26);
        stream += "1\r\n";
        stream += byte;
        stream += "\r\n";
        *body += byte;
    }
    stream += "0\r\n\r\n";
    return stream;
}

} // namespace

class TestRequestParser : public QObject
{
    Q_OBJECT

private slots:
    void shouldParseValidRequest_data();
    void shouldParseValidRequest();
    void shouldRefuseMalformedRequest_data();
    void shouldRefuseMalformedRequest();
    void shouldDecideKeepAlive_data();
    void shouldDecideKeepAlive();
    void shouldTellWhenClientExpectsContinue_data();
    void shouldTellWhenClientExpectsContinue();
    void shouldParsePipelinedRequestsInSequence();
    void shouldParsePipelinedRequestsAtEverySplit();
    void shouldShareWhatRepeatsThePreviousRequest_data();
    void shouldShareWhatRepeatsThePreviousRequest();
    void shouldLeaveBytesAfterCompleteUnconsumed();
    void shouldRefuseContentLengthOverDefaultLimitBeforeBody();
    void shouldRefuseAtTheFirstBadByte_data();
    void shouldRefuseAtTheFirstBadByte();
    void shouldReadBodyAtDefaultLimitByteByByte();
    void shouldParseFloodOfOneByteChunks();
    void shouldExposeHeadersBeforeBodyArrives();
    void shouldKeepReturningTheSameError();
    void shouldStartOverAfterReset();
    void shouldParseWholeBufferWithParseRequest();
};

void TestRequestParser::shouldParseValidRequest_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<Limits>("limits");
    QTest::addColumn<Request>("expected");

    const auto row = [](const char *name, const QByteArray &input, const Request &expected, const Limits &limits = {}) {
        QTest::newRow(name) << input << limits << expected;
    };

    row("get without body",
        "GET /hooks HTTP/1.1\r\nHost: example.com\r\n\r\n",
        ExpectedRequest("GET", "/hooks", {{"Host", "example.com"}}));
    row("post with content-length body",
        "POST /hooks HTTP/1.1\r\nHost: example.com\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n"
        "{\"ok\": true}\n",
        ExpectedRequest("POST", "/hooks",
                        {{"Host", "example.com"}, {"Content-Type", "application/json"}, {"Content-Length", "13"}})
            .body("{\"ok\": true}\n"));
    row("post with zero content-length",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
        ExpectedRequest("POST", "/", {{"Host", "a"}, {"Content-Length", "0"}}));
    row("a field named like Content-Length is not one",
        "POST / HTTP/1.1\r\nHost: a\r\nX-Content-Length: 1e3\r\nContent-Lengths: 99999999999999999999999\r\nContent-Length: 2, 2\r\n\r\nok",
        ExpectedRequest("POST", "/",
                        {{"Host", "a"}, {"X-Content-Length", "1e3"}, {"Content-Lengths", "99999999999999999999999"}, {"Content-Length", "2, 2"}})
            .body("ok"));
    row("body bytes that look like a request",
        "PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 18\r\n\r\nGET / HTTP/1.1\r\n\r\n",
        ExpectedRequest("PUT", "/x", {{"Host", "a"}, {"Content-Length", "18"}}).body("GET / HTTP/1.1\r\n\r\n"));
    row("body with nul and high bytes",
        raw("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\na\0\xff\r\n"),
        ExpectedRequest("POST", "/", {{"Host", "a"}, {"Content-Length", "5"}}).body(raw("a\0\xff\r\n")));
    row("chunked body with extensions and trailers",
        "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5;name=value\r\nhello\r\n"
        "6 ; a ; b = \"quoted \\\" value\"\r\n world\r\n"
        "0;last\r\n"
        "X-Checksum: abc\r\nx-trailer-two:  2 \r\n\r\n",
        ExpectedRequest("POST", "/c", {{"Host", "a"}, {"Transfer-Encoding", "chunked"}})
            .body("hello world")
            .trailers({{"X-Checksum", "abc"}, {"x-trailer-two", "2"}})
            .chunked());
    row("chunked body without trailers",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n1\r\n\n\r\n0\r\n\r\n",
        ExpectedRequest("POST", "/", {{"Host", "a"}, {"Transfer-Encoding", "chunked"}}).body("abc\n").chunked());
    row("chunked body with no data at all",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        ExpectedRequest("POST", "/", {{"Host", "a"}, {"Transfer-Encoding", "chunked"}}).chunked());
    row("chunk sizes in upper-case hex with leading zeros",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n000A\r\n0123456789\r\n0000\r\n\r\n",
        ExpectedRequest("POST", "/", {{"Host", "a"}, {"Transfer-Encoding", "chunked"}}).body("0123456789").chunked());
    row("chunked coding name in mixed case",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ChUnKeD\r\n\r\n1\r\nx\r\n0\r\n\r\n",
        ExpectedRequest("POST", "/", {{"Host", "a"}, {"Transfer-Encoding", "ChUnKeD"}}).body("x").chunked());
    row("chunked after empty list elements",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: , chunked ,\r\n\r\n1\r\nx\r\n0\r\n\r\n",
        ExpectedRequest("POST", "/", {{"Host", "a"}, {"Transfer-Encoding", ", chunked ,"}}).body("x").chunked());
    row("http/1.0 without host",
        "GET /old HTTP/1.0\r\nUser-Agent: x\r\n\r\n",
        ExpectedRequest("GET", "/old", {{"User-Agent", "x"}}).http10());
    row("http/1.0 with content-length body",
        "POST /old HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi",
        ExpectedRequest("POST", "/old", {{"Content-Length", "2"}}).http10().body("hi"));
    row("http/1.0 with connection keep-alive",
        "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
        ExpectedRequest("GET", "/", {{"Connection", "Keep-Alive"}}).http10().keepAlive(true));
    row("http/1.1 with connection close",
        "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        ExpectedRequest("GET", "/", {{"Host", "a"}, {"Connection", "close"}}).keepAlive(false));
    row("minor version above one processed as http/1.1",
        "GET / HTTP/1.7\r\nHost: a\r\n\r\n",
        ExpectedRequest("GET", "/", {{"Host", "a"}}));
    row("method propfind",
        "PROPFIND /dav/ HTTP/1.1\r\nHost: a\r\nDepth: 1\r\n\r\n",
        ExpectedRequest("PROPFIND", "/dav/", {{"Host", "a"}, {"Depth", "1"}}));
    row("method m-search with asterisk-form target",
        "M-SEARCH * HTTP/1.1\r\nHost: 239.255.255.250:1900\r\n\r\n",
        ExpectedRequest("M-SEARCH", "*", {{"Host", "239.255.255.250:1900"}}));
    row("method made of unusual token characters",
        "X_Custom.v1!~ / HTTP/1.1\r\nHost: a\r\n\r\n",
        ExpectedRequest("X_Custom.v1!~", "/", {{"Host", "a"}}));
    row("lower-case method kept as sent",
        "post / HTTP/1.1\r\nHost: a\r\n\r\n",
        ExpectedRequest("post", "/", {{"Host", "a"}}));
    row("origin-form target with query and percent escapes",
        "GET /hooks/%7Euser/a%20b?x=1&y=%2F&z HTTP/1.1\r\nHost: a\r\n\r\n",
        ExpectedRequest("GET", "/hooks/%7Euser/a%20b?x=1&y=%2F&z", {{"Host", "a"}}));
    row("absolute-form target",
        "GET http://example.com:8080/path?q=1 HTTP/1.1\r\nHost: example.com:8080\r\n\r\n",
        ExpectedRequest("GET", "http://example.com:8080/path?q=1", {{"Host", "example.com:8080"}}));
    row("authority-form target",
        "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
        ExpectedRequest("CONNECT", "example.com:443", {{"Host", "example.com:443"}}));
    row("target percent-encoded",
        "GET /caf%C3%A9 HTTP/1.1\r\nHost: a\r\n\r\n",
        ExpectedRequest("GET", "/caf%C3%A9", {{"Host", "a"}}));
    // The body keeps a content coding sent before chunked, as it came; chunked framing is undone.
    row("gzip before chunked",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\n\x1f\x8b\x08\r\n0\r\n\r\n",
        ExpectedRequest("POST", "/", {{"Host", "a"}, {"Transfer-Encoding", "gzip, chunked"}}).body("\x1f\x8b\x08").chunked());
    row("deflate before chunked in separate fields",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: deflate\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        ExpectedRequest("POST", "/", {{"Host", "a"}, {"Transfer-Encoding", "deflate"}, {"Transfer-Encoding", "chunked"}}).chunked());
    row("duplicate headers kept in order",
        "GET / HTTP/1.1\r\nX-A: 1\r\nHost: a\r\nX-B: 2\r\nX-A: 3\r\nx-a: 4\r\n\r\n",
        ExpectedRequest("GET", "/", {{"X-A", "1"}, {"Host", "a"}, {"X-B", "2"}, {"X-A", "3"}, {"x-a", "4"}}));
    row("header name case preserved",
        "GET / HTTP/1.1\r\nhOsT: a\r\nx-LoWeR: v\r\nCONTENT-TYPE: text/plain\r\n\r\n",
        ExpectedRequest("GET", "/", {{"hOsT", "a"}, {"x-LoWeR", "v"}, {"CONTENT-TYPE", "text/plain"}}));
    row("obs-text in header value",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Name: Jos\xe9 \xff\x80\r\n\r\n",
        ExpectedRequest("GET", "/", {{"Host", "a"}, {"X-Name", "Jos\xe9 \xff\x80"}}));
    row("empty header values",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Empty:\r\nX-Blank: \t \r\n\r\n",
        ExpectedRequest("GET", "/", {{"Host", "a"}, {"X-Empty", ""}, {"X-Blank", ""}}));
    row("whitespace around value stripped and inner whitespace kept",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: \t a \t b \t\r\nX-Tight:c\r\n\r\n",
        ExpectedRequest("GET", "/", {{"Host", "a"}, {"X-Pad", "a \t b"}, {"X-Tight", "c"}}));
    row("leading empty lines before request line",
        "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
        ExpectedRequest("GET", "/", {{"Host", "a"}}));
    row("repeated identical content-length values",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc",
        ExpectedRequest("POST", "/", {{"Host", "a"}, {"Content-Length", "3, 3"}, {"Content-Length", "3"}}).body("abc"));
    row("content-length with leading zeros",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 003\r\n\r\nabc",
        ExpectedRequest("POST", "/", {{"Host", "a"}, {"Content-Length", "003"}}).body("abc"));
    row("expect 100-continue with the body sent anyway",
        "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok",
        ExpectedRequest("POST", "/", {{"Host", "a"}, {"Expect", "100-continue"}, {"Content-Length", "2"}}).body("ok"));
    row("host with port",
        "GET / HTTP/1.1\r\nHost: hooks.example.com:8080\r\n\r\n",
        ExpectedRequest("GET", "/", {{"Host", "hooks.example.com:8080"}}));
    row("host as ipv6 literal",
        "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
        ExpectedRequest("GET", "/", {{"Host", "[::1]:8080"}}));
    row("empty host value",
        "GET / HTTP/1.1\r\nHost:\r\n\r\n",
        ExpectedRequest("GET", "/", {{"Host", ""}}));

    const qsizetype lineLimit = 32;
    row("request line exactly at its limit",
        "GET /" + QByteArray(lineLimit - 14, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n",
        ExpectedRequest("GET", '/' + QByteArray(lineLimit - 14, 'a'), {{"Host", "a"}}),
        makeLimits(lineLimit, 1024, 10, 100));
    // "Host: a\r\n" is 9 bytes, "X-Pad: " 7 and CRLF 2: 9 + 7 + 46 + 2 == 64.
    row("header section exactly at its limit",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: " + QByteArray(46, 'p') + "\r\n\r\n",
        ExpectedRequest("GET", "/", {{"Host", "a"}, {"X-Pad", QByteArray(46, 'p')}}),
        makeLimits(64, 64, 10, 100));
    row("header fields exactly at their count limit",
        "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n",
        ExpectedRequest("GET", "/", {{"Host", "a"}, {"A", "1"}, {"B", "2"}}),
        makeLimits(64, 1024, 3, 100));
    row("header fields and trailers exactly at their count limit",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nT: 1\r\n\r\n",
        ExpectedRequest("POST", "/", {{"Host", "a"}, {"Transfer-Encoding", "chunked"}})
            .body("x")
            .trailers({{"T", "1"}})
            .chunked(),
        makeLimits(64, 1024, 3, 100));
    row("content-length body exactly at its limit",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789",
        ExpectedRequest("POST", "/", {{"Host", "a"}, {"Content-Length", "10"}}).body("0123456789"),
        makeLimits(64, 1024, 10, 10));
    row("chunked body exactly at its limit",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n0123\r\n6\r\n456789\r\n0\r\n\r\n",
        ExpectedRequest("POST", "/", {{"Host", "a"}, {"Transfer-Encoding", "chunked"}}).body("0123456789").chunked(),
        makeLimits(64, 1024, 10, 10));
    row("empty lines before request line up to its limit",
        QByteArray("\r\n").repeated(8) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        ExpectedRequest("GET", "/", {{"Host", "a"}}),
        makeLimits(16, 1024, 10, 10));
}

void TestRequestParser::shouldParseValidRequest()
{
    QFETCH(QByteArray, input);
    QFETCH(Limits, limits);
    QFETCH(Request, expected);

    const Outcome outcome = parseAtOnce(input, limits);
    QVERIFY2(outcome.broken.isEmpty(), outcome.broken.constData());
    QVERIFY2(outcome.status == ParseStatus::Complete, outcome.errorReason.constData());
    QCOMPARE(outcome.consumed, input.size());
    QCOMPARE(outcome.request.method, expected.method);
    QCOMPARE(outcome.request.target, expected.target);
    QCOMPARE(outcome.request.versionMinor, expected.versionMinor);
    QCOMPARE(outcome.request.headers, expected.headers);
    QCOMPARE(outcome.request.body, expected.body);
    QCOMPARE(outcome.request.trailers, expected.trailers);
    QCOMPARE(outcome.request.chunked, expected.chunked);
    QCOMPARE(outcome.request.keepAlive, expected.keepAlive);

    verifyEverySplit(input, limits, outcome);
}

void TestRequestParser::shouldRefuseMalformedRequest_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<Limits>("limits");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("reason");   // a part of errorReason, when the row is about that cause

    const auto row = [](const char *name, const QByteArray &input, int status, const Limits &limits = {},
                        const QByteArray &reason = {}) {
        QTest::newRow(name) << input << limits << status << reason;
    };
    const QByteArray post = "POST / HTTP/1.1\r\nHost: a\r\n";
    const QByteArray chunked = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

    // request line
    row("request line without spaces", "GARBAGE\r\nHost: a\r\n\r\n", 400);
    row("request line without version", "GET /\r\nHost: a\r\n\r\n", 400);
    row("two spaces after method", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    row("tab as separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    row("space inside target", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    row("trailing space after version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400);
    row("empty method", " / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    row("method with invalid character", "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    row("control byte in target", "GET /a\x01" "b HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    row("nul in target", raw("GET /a\0b HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
    row("del in target", "GET /a\x7f HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    row("lower-case protocol name", "GET / http/1.1\r\nHost: a\r\n\r\n", 400);
    row("two-digit minor version", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", 400);
    row("two-digit major version", "GET / HTTP/11.1\r\nHost: a\r\n\r\n", 400);
    row("version without minor", "GET / HTTP/1\r\nHost: a\r\n\r\n", 400);
    row("version with letters", "GET / HTTP/x.y\r\nHost: a\r\n\r\n", 400);
    row("request line ended by bare LF", "GET / HTTP/1.1\nHost: a\r\n\r\n", 400, {}, "bare LF");
    row("bare CR inside request line", "GET /a\rb HTTP/1.1\r\nHost: a\r\n\r\n", 400, {}, "bare CR");
    row("bare LF as leading empty line", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, {}, "bare LF");
    row("bare CR as leading empty line", "\r\rGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, {}, "bare CR");
    row("version http/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505);
    row("version http/0.9", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505);
    row("version http/3.0", "GET / HTTP/3.0\r\nHost: a\r\n\r\n", 505);

    // header fields
    row("header line ended by bare LF", "GET / HTTP/1.1\r\nHost: a\nX: 1\r\n\r\n", 400, {}, "bare LF");
    row("header section ended by bare LF", "GET / HTTP/1.1\r\nHost: a\r\n\n", 400, {}, "bare LF");
    row("bare CR inside header value", "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r2\r\n\r\n", 400, {}, "bare CR");
    row("bare CR at end of header value", "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\r\n\r\n", 400, {}, "bare CR");
    row("whitespace between field name and colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400, {}, "whitespace");
    row("tab between field name and colon", "GET / HTTP/1.1\r\nHost: a\r\nX\t: 1\r\n\r\n", 400);
    row("field line without colon", "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400);
    row("empty field name", "GET / HTTP/1.1\r\nHost: a\r\n: value\r\n\r\n", 400);
    row("invalid character in field name", "GET / HTTP/1.1\r\nHost: a\r\nX[1]: v\r\n\r\n", 400);
    row("non-ascii byte in field name", "GET / HTTP/1.1\r\nHost: a\r\nCaf\xe9: 1\r\n\r\n", 400);
    row("obsolete line folding", "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n  continued\r\n\r\n", 400, {},
        "folding");
    row("whitespace before the first header field", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400);
    row("nul in header value", raw("GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n"), 400);
    row("control byte in header value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\x01" "b\r\n\r\n", 400);
    row("del in header value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\x7f\r\n\r\n", 400);

    // Host
    row("http/1.1 without host", "GET / HTTP/1.1\r\nX: 1\r\n\r\n", 400);
    row("two host fields", "GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", 400);
    row("two host fields on http/1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400);
    row("host with space inside", "GET / HTTP/1.1\r\nHost: exa mple.com\r\n\r\n", 400);
    row("host with a path", "GET / HTTP/1.1\r\nHost: example.com/path\r\n\r\n", 400);

    // framing
    row("content-length and transfer-encoding together",
        post + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400, {},
        "both present");
    row("transfer-encoding on http/1.0",
        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400);
    row("raw utf-8 bytes in target", "GET /caf\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n", 400, {}, "invalid request target");
    row("chunked before gzip", post + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", 400);
    row("gzip without chunked", post + "Transfer-Encoding: gzip\r\n\r\n", 400);
    row("unknown transfer coding alone", post + "Transfer-Encoding: foo\r\n\r\n", 400);
    row("identity transfer coding alone", post + "Transfer-Encoding: identity\r\n\r\n", 400);
    row("chunked applied twice", post + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400);
    row("chunked applied twice across fields",
        post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
    row("empty transfer-encoding", post + "Transfer-Encoding:\r\n\r\n", 400);
    row("chunked with a parameter", post + "Transfer-Encoding: chunked;q=1\r\n\r\n0\r\n\r\n", 400);
    row("transfer coding that is not a token", post + "Transfer-Encoding: chu nked\r\n\r\n0\r\n\r\n", 400);
    row("content-length not a number", post + "Content-Length: abc\r\n\r\n", 400);
    row("negative content-length", post + "Content-Length: -1\r\n\r\n", 400);
    row("content-length with plus sign", post + "Content-Length: +3\r\n\r\nabc", 400);
    row("content-length in hex", post + "Content-Length: 0x3\r\n\r\nabc", 400);
    row("content-length with inner space", post + "Content-Length: 1 2\r\n\r\n", 400);
    row("empty content-length", post + "Content-Length:\r\n\r\n", 400);
    row("content-length with trailing comma", post + "Content-Length: 3,\r\n\r\nabc", 400);
    row("different content-length values in one field", post + "Content-Length: 3, 4\r\n\r\nabcd", 400);
    row("different content-length fields", post + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400);
    row("same content-length value written differently", post + "Content-Length: 3, 03\r\n\r\nabc", 400);
    row("content-length beyond 64 bits", post + "Content-Length: 18446744073709551616\r\n\r\n", 400);
    row("content-length beyond signed 64 bits", post + "Content-Length: 9223372036854775808\r\n\r\n", 400);
    row("content-length at signed 64-bit maximum", post + "Content-Length: 9223372036854775807\r\n\r\n", 413);

    // chunked
    row("chunk size not hex", chunked + "zz\r\n", 400);
    row("chunk size missing", chunked + "\r\nabc\r\n0\r\n\r\n", 400);
    row("chunk extension without size", chunked + ";a=b\r\n", 400);
    row("negative chunk size", chunked + "-3\r\nabc\r\n0\r\n\r\n", 400);
    row("chunk size with 0x prefix", chunked + "0x3\r\nabc\r\n0\r\n\r\n", 400);
    row("chunk size beyond 64 bits", chunked + "10000000000000000\r\n", 400);
    row("chunk data longer than its size", chunked + "3\r\nabcd\r\n0\r\n\r\n", 400);
    row("chunk data ended by bare LF", chunked + "3\r\nabc\n0\r\n\r\n", 400, {}, "CRLF");
    row("chunk data ended by bare CR", chunked + "3\r\nabc\r0\r\n\r\n", 400, {}, "CRLF");
    row("chunk size line ended by bare LF", chunked + "3\nabc\r\n0\r\n\r\n", 400, {}, "bare LF");
    row("bare CR inside chunk size line", chunked + "3\r;a\r\nabc\r\n0\r\n\r\n", 400, {}, "bare CR");
    row("chunk size followed by whitespace only", chunked + "3 \r\nabc\r\n0\r\n\r\n", 400);
    row("chunk extension without name", chunked + "3;\r\nabc\r\n0\r\n\r\n", 400);
    row("chunk extension with empty value", chunked + "3;a=\r\nabc\r\n0\r\n\r\n", 400);
    row("chunk extension with unterminated quote", chunked + "3;a=\"x\r\nabc\r\n0\r\n\r\n", 400);
    row("chunk extension with control byte in quotes", chunked + "3;a=\"\x01\"\r\nabc\r\n0\r\n\r\n", 400);
    row("chunk size line longer than its limit",
        chunked + "3;a=" + QByteArray(5000, 'x') + "\r\nabc\r\n0\r\n\r\n", 400);
    row("obsolete folding in trailers", chunked + "0\r\nT: 1\r\n folded\r\n\r\n", 400);
    row("bare LF in trailers", chunked + "0\r\nT: 1\n\r\n", 400, {}, "bare LF");
    row("trailer field without colon", chunked + "0\r\nNoColon\r\n\r\n", 400);

    // expectations
    row("unknown expectation", post + "Expect: something\r\nContent-Length: 1\r\n\r\nx", 417);
    row("100-continue with a parameter", post + "Expect: 100-continue;x=1\r\nContent-Length: 1\r\n\r\nx", 417);
    row("unknown expectation among known", post + "Expect: 100-continue, other\r\nContent-Length: 1\r\n\r\nx", 417);
    row("unknown expectation on http/1.0", "GET / HTTP/1.0\r\nExpect: something\r\n\r\n", 417);

    // limits
    const Limits tight = makeLimits(32, 64, 3, 10);
    row("request line one byte over its limit",
        "GET /" + QByteArray(32 - 13, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n", 414, tight);
    row("request line over its limit before its end arrives", "GET /" + QByteArray(40, 'a'), 414, tight);
    row("request line over its limit and ended by bare LF",
        "GET /" + QByteArray(32 - 12, 'a') + " HTTP/1.1\nHost: a\r\n\r\n", 414, tight);
    row("too many empty lines before the request line",
        QByteArray("\r\n").repeated(17) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, tight);
    row("header section one byte over its limit",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: " + QByteArray(47, 'p') + "\r\n\r\n", 431, tight);
    row("header line over its limit before its end arrives",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: " + QByteArray(100, 'p'), 431, tight);
    row("one header field too many", "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", 431, tight);
    row("trailers push the field count over its limit",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: 1\r\nU: 2\r\n\r\n", 431, tight);
    row("trailers push the field section over its limit",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: " + QByteArray(30, 't') + "\r\n\r\n",
        431, tight);
    row("content-length one over the body limit", post + "Content-Length: 11\r\n\r\n0123456789a", 413, tight);
    row("one chunk larger than the body limit",
        chunked + "b\r\n0123456789a\r\n0\r\n\r\n", 413, makeLimits(64, 1024, 10, 10));
    row("chunks adding up past the body limit",
        chunked + "6\r\n012345\r\n5\r\n6789a\r\n0\r\n\r\n", 413, makeLimits(64, 1024, 10, 10));
}

void TestRequestParser::shouldRefuseMalformedRequest()
{
    QFETCH(QByteArray, input);
    QFETCH(Limits, limits);
    QFETCH(int, status);
    QFETCH(QByteArray, reason);

    const Outcome outcome = parseAtOnce(input, limits);
    QVERIFY2(outcome.broken.isEmpty(), outcome.broken.constData());
    QCOMPARE(outcome.status, ParseStatus::Error);
    QCOMPARE(outcome.errorStatus, status);
    QVERIFY(!outcome.errorReason.isEmpty());
    QVERIFY2(outcome.errorReason.contains(reason), outcome.errorReason.constData());

    verifyEverySplit(input, limits, outcome);
}

void TestRequestParser::shouldDecideKeepAlive_data()
{
    QTest::addColumn<QByteArray>("version");
    QTest::addColumn<QByteArray>("fields");
    QTest::addColumn<bool>("keepAlive");

    QTest::newRow("http/1.1 by default") << QByteArray("HTTP/1.1") << QByteArray() << true;
    QTest::newRow("http/1.1 with close") << QByteArray("HTTP/1.1") << QByteArray("Connection: close\r\n") << false;
    QTest::newRow("http/1.1 with close in other case")
        << QByteArray("HTTP/1.1") << QByteArray("connection: CLOSE\r\n") << false;
    QTest::newRow("http/1.1 with close among other options")
        << QByteArray("HTTP/1.1") << QByteArray("Connection: keep-alive, Close\r\n") << false;
    QTest::newRow("http/1.1 with close in a second field")
        << QByteArray("HTTP/1.1") << QByteArray("Connection: upgrade\r\nConnection: close\r\n") << false;
    QTest::newRow("http/1.1 with other options only")
        << QByteArray("HTTP/1.1") << QByteArray("Connection: upgrade, x-closer\r\n") << true;
    QTest::newRow("http/1.0 by default") << QByteArray("HTTP/1.0") << QByteArray() << false;
    QTest::newRow("http/1.0 with keep-alive")
        << QByteArray("HTTP/1.0") << QByteArray("Connection: keep-alive\r\n") << true;
    QTest::newRow("http/1.0 with keep-alive in other case")
        << QByteArray("HTTP/1.0") << QByteArray("Connection: Keep-Alive\r\n") << true;
    QTest::newRow("http/1.0 with keep-alive and close")
        << QByteArray("HTTP/1.0") << QByteArray("Connection: keep-alive, close\r\n") << false;
    QTest::newRow("http/1.0 with keep-alive in a header other than connection")
        << QByteArray("HTTP/1.0") << QByteArray("Keep-Alive: timeout=5\r\n") << false;
}

void TestRequestParser::shouldDecideKeepAlive()
{
    QFETCH(QByteArray, version);
    QFETCH(QByteArray, fields);
    QFETCH(bool, keepAlive);

    const QByteArray input = "GET / " + version + "\r\nHost: a\r\n" + fields + "\r\n";
    Request request;
    const ParseResult result = parseRequest(input, &request);
    QCOMPARE(result.status, ParseStatus::Complete);
    QCOMPARE(request.keepAlive, keepAlive);
}

void TestRequestParser::shouldTellWhenClientExpectsContinue_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<bool>("expectsContinue");

    QTest::newRow("100-continue with content-length body")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n") << true;
    QTest::newRow("100-continue in other letter case")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nexpect: 100-Continue\r\nContent-Length: 5\r\n\r\n") << true;
    QTest::newRow("100-continue among empty list elements")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nExpect: , 100-continue,\r\nContent-Length: 5\r\n\r\n") << true;
    QTest::newRow("100-continue with chunked body")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n")
        << true;
    QTest::newRow("100-continue with zero content-length")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n") << false;
    QTest::newRow("100-continue without any body")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n") << false;
    QTest::newRow("100-continue on http/1.0 ignored")
        << QByteArray("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n") << false;
    QTest::newRow("no expect field")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n") << false;
}

void TestRequestParser::shouldTellWhenClientExpectsContinue()
{
    QFETCH(QByteArray, head);
    QFETCH(bool, expectsContinue);

    for (const qsizetype piece : {head.size(), qsizetype(1)}) {
        RequestParser parser;
        QVERIFY(!parser.expectsContinue());
        ParseResult result;
        for (qsizetype at = 0; at < head.size(); at += piece) {
            QVERIFY(!parser.headersComplete());
            result = parser.feed(QByteArrayView(head).sliced(at, std::min(piece, head.size() - at)));
        }
        QVERIFY(result.status != ParseStatus::Error);
        QVERIFY(parser.headersComplete());
        QCOMPARE(parser.expectsContinue(), expectsContinue);
        if (result.status == ParseStatus::Incomplete) {
            QCOMPARE(parser.feed("5").status, ParseStatus::Incomplete);
            QVERIFY(!parser.expectsContinue());
        }
    }
}

void TestRequestParser::shouldParsePipelinedRequestsInSequence()
{
    const QByteArray first = "GET /one HTTP/1.1\r\nHost: a\r\n\r\n";
    const QByteArray second = "POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello";
    // The extra CRLF after a body, as some clients send it, goes with the next request.
    const QByteArray third = "\r\nPUT /three HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "3\r\nabc\r\n0\r\n\r\n";
    const QByteArray partial = "GET /fo";
    const QByteArray buffer = first + second + third + partial;

    RequestParser parser;
    QByteArrayView rest(buffer);
    const struct { qsizetype size; QByteArray target; QByteArray body; } expected[] = {
        {first.size(), "/one", {}}, {second.size(), "/two", "hello"}, {third.size(), "/three", "abc"}};
    for (const auto &request : expected) {
        const ParseResult result = parser.feed(rest);
        QCOMPARE(result.status, ParseStatus::Complete);
        QCOMPARE(result.consumed, request.size);
        const Request taken = parser.takeRequest();
        QCOMPARE(taken.target, request.target);
        QCOMPARE(taken.body, request.body);
        rest = rest.sliced(result.consumed);
    }
    const ParseResult last = parser.feed(rest);
    QCOMPARE(last.status, ParseStatus::Incomplete);
    QCOMPARE(last.consumed, partial.size());
    QVERIFY(!parser.headersComplete());
}

void TestRequestParser::shouldShareWhatRepeatsThePreviousRequest_data()
{
    QTest::addColumn<QByteArray>("first");
    QTest::addColumn<QByteArray>("second");
    QTest::addColumn<HeaderList>("headers");       // of the second request, as parsed
    QTest::addColumn<QList<bool>>("sharedNames");  // per field of the second request
    QTest::addColumn<QList<bool>>("sharedValues");
    QTest::addColumn<bool>("sharedTarget");

    const QByteArray hook = "POST /hook HTTP/1.1\r\nHost: a\r\nX-Event: push\r\nContent-Length: 2\r\n\r\n{}";
    QTest::newRow("same fields") << hook << hook
        << HeaderList{{"Host", "a"}, {"X-Event", "push"}, {"Content-Length", "2"}}
        << QList<bool>{true, true, true} << QList<bool>{true, true, true} << true;
    QTest::newRow("other value in place") << hook
        << QByteArray("POST /hook HTTP/1.1\r\nHost: a\r\nX-Event: ping\r\nContent-Length: 2\r\n\r\n{}")
        << HeaderList{{"Host", "a"}, {"X-Event", "ping"}, {"Content-Length", "2"}}
        << QList<bool>{true, true, true} << QList<bool>{true, false, true} << true;
    QTest::newRow("name in other case") << hook
        << QByteArray("POST /hook HTTP/1.1\r\nhost: a\r\nX-Event: push\r\nContent-Length: 2\r\n\r\n{}")
        << HeaderList{{"host", "a"}, {"X-Event", "push"}, {"Content-Length", "2"}}
        << QList<bool>{false, true, true} << QList<bool>{true, true, true} << true;
    QTest::newRow("field inserted, the rest moves") << hook
        << QByteArray("POST /other HTTP/1.1\r\nHost: a\r\nAccept: */*\r\nX-Event: push\r\nContent-Length: 2\r\n\r\n{}")
        << HeaderList{{"Host", "a"}, {"Accept", "*/*"}, {"X-Event", "push"}, {"Content-Length", "2"}}
        << QList<bool>{true, false, false, false} << QList<bool>{true, false, false, false} << false;
    QTest::newRow("value that prefixes the earlier one") << hook
        << QByteArray("POST /hook HTTP/1.1\r\nHost: a\r\nX-Event: pus\r\nContent-Length: 2\r\n\r\n{}")
        << HeaderList{{"Host", "a"}, {"X-Event", "pus"}, {"Content-Length", "2"}}
        << QList<bool>{true, true, true} << QList<bool>{true, false, true} << true;
    QTest::newRow("empty value after a non-empty one") << hook
        << QByteArray("POST /hook HTTP/1.1\r\nHost: a\r\nX-Event:\r\nContent-Length: 2\r\n\r\n{}")
        << HeaderList{{"Host", "a"}, {"X-Event", ""}, {"Content-Length", "2"}}
        << QList<bool>{true, true, true} << QList<bool>{true, false, true} << true;
}

// A client's repeated fields share the bytes of its previous request's (fewer
// allocations), and are parsed exactly as they came all the same.
void TestRequestParser::shouldShareWhatRepeatsThePreviousRequest()
{
    QFETCH(QByteArray, first);
    QFETCH(QByteArray, second);
    QFETCH(HeaderList, headers);
    QFETCH(QList<bool>, sharedNames);
    QFETCH(QList<bool>, sharedValues);
    QFETCH(bool, sharedTarget);

    RequestParser parser;
    QCOMPARE(parser.feed(first).status, ParseStatus::Complete);
    const Request before = parser.takeRequest();
    QCOMPARE(parser.feed(second).status, ParseStatus::Complete);
    const Request after = parser.takeRequest();

    QCOMPARE(after.headers, headers);
    QCOMPARE(after.body, QByteArray("{}"));
    QCOMPARE(after.target.constData() == before.target.constData(), sharedTarget);
    QCOMPARE(after.method.constData(), before.method.constData());
    for (qsizetype i = 0; i < after.headers.size(); ++i) {
        const bool inPlace = i < before.headers.size();
        QCOMPARE(inPlace && after.headers[i].name.constData() == before.headers[i].name.constData(), sharedNames[i]);
        QCOMPARE(inPlace && after.headers[i].value.constData() == before.headers[i].value.constData(), sharedValues[i]);
    }
}

void TestRequestParser::shouldParsePipelinedRequestsAtEverySplit()
{
    const QByteArray buffer = "GET /one HTTP/1.1\r\nHost: a\r\n\r\n"
                              "POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                              "\r\nPUT /three HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "3\r\nabc\r\n0\r\n\r\n";
    const QByteArrayList targets = {"/one", "/two", "/three"};
    const QByteArrayList bodies = {{}, "hello", "abc"};

    const auto parseStream = [](const QList<QByteArrayView> &pieces) {
        RequestParser parser;
        QList<Request> requests;
        for (QByteArrayView piece : pieces) {
            while (!piece.isEmpty()) {
                const ParseResult result = parser.feed(piece);
                piece = piece.sliced(result.consumed);
                if (result.status == ParseStatus::Complete)
                    requests.append(parser.takeRequest());
                else if (result.status == ParseStatus::Error)
                    return QList<Request>();
                else if (!piece.isEmpty())
                    return QList<Request>();
            }
        }
        return requests;
    };
    const auto check = [&](const QList<Request> &requests) {
        if (requests.size() != targets.size())
            return false;
        for (qsizetype i = 0; i < requests.size(); ++i) {
            if (requests[i].target != targets[i] || requests[i].body != bodies[i])
                return false;
        }
        return true;
    };

    const QByteArrayView view(buffer);
    for (qsizetype at = 0; at <= buffer.size(); ++at)
        QVERIFY2(check(parseStream({view.first(at), view.sliced(at)})), QByteArray::number(at).constData());
    QList<QByteArrayView> bytes;
    for (qsizetype i = 0; i < view.size(); ++i)
        bytes.append(view.sliced(i, 1));
    QVERIFY(check(parseStream(bytes)));
}

void TestRequestParser::shouldLeaveBytesAfterCompleteUnconsumed()
{
    const QByteArray first = "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok";
    const QByteArray next = "GET /b HTTP/1.1\r\nHost: a\r\n\r\n";

    RequestParser parser;
    const ParseResult result = parser.feed(QByteArray(first + next));
    QCOMPARE(result.status, ParseStatus::Complete);
    QCOMPARE(result.consumed, first.size());

    const ParseResult again = parser.feed(next);
    QCOMPARE(again.status, ParseStatus::Complete);
    QCOMPARE(again.consumed, 0);
    QCOMPARE(parser.request().target, QByteArray("/a"));
    QCOMPARE(parser.takeRequest().body, QByteArray("ok"));

    QCOMPARE(parser.feed(next).status, ParseStatus::Complete);
    QCOMPARE(parser.takeRequest().target, QByteArray("/b"));
}

void TestRequestParser::shouldRefuseContentLengthOverDefaultLimitBeforeBody()
{
    const QByteArray head = "POST /big HTTP/1.1\r\nHost: a\r\nContent-Length: 33554433\r\n\r\n";

    RequestParser parser;
    const ParseResult result = parser.feed(QByteArray(head + QByteArray(4096, 'x')));
    QCOMPARE(result.status, ParseStatus::Error);
    QCOMPARE(result.errorStatus, 413);
    // Decided at the Content-Length line, before the header section ends.
    const qsizetype lineEnd = head.indexOf("33554433\r\n") + 10;
    QCOMPARE(result.consumed, lineEnd);

    RequestParser lineOnly;
    const ParseResult atLine = lineOnly.feed(head.first(lineEnd));
    QCOMPARE(atLine.status, ParseStatus::Error);
    QCOMPARE(atLine.errorStatus, 413);
}

void TestRequestParser::shouldRefuseAtTheFirstBadByte_data()
{
    QTest::addColumn<QByteArray>("input");   // what has arrived: no request can begin so
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("reason");

    const QByteArray post = "POST / HTTP/1.1\r\nHost: a\r\n";
    QTest::newRow("bad line ending in the header section")
        << QByteArray("PUT /url HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\ra") << 400 << QByteArray("bare CR in the header section");
    QTest::newRow("bare CR in the request line") << QByteArray("GET /\rx") << 400 << QByteArray("bare CR in the request line");
    QTest::newRow("unsupported major version, no line end yet") << QByteArray("GET / HTTP/5") << 505 << QByteArray("not supported");
    QTest::newRow("version not HTTP") << QByteArray("GET / HTX") << 400 << QByteArray("malformed HTTP version");
    QTest::newRow("version too long") << QByteArray("GET / HTTP/1.11") << 400 << QByteArray("malformed HTTP version");
    QTest::newRow("non-token in method") << QByteArray("GE(") << 400 << QByteArray("invalid method");
    QTest::newRow("empty method") << QByteArray(" ") << 400 << QByteArray("invalid method");
    QTest::newRow("raw byte 0x80+ in target") << QByteArray("GET /\xce") << 400 << QByteArray("invalid request target");
    QTest::newRow("control byte in target") << QByteArray("GET /a\x01") << 400 << QByteArray("invalid request target");
    QTest::newRow("non-token in field name") << QByteArray(post + "X(") << 400 << QByteArray("invalid character in field name");
    QTest::newRow("space before the colon") << QByteArray(post + "X-A ") << 400 << QByteArray("whitespace between field name and colon");
    QTest::newRow("obsolete line folding") << QByteArray(post + " ") << 400 << QByteArray("obsolete line folding");
    QTest::newRow("control byte in field value") << QByteArray(post + "X-A: a\x01") << 400 << QByteArray("invalid character in field value");
    // 2^63, one more than any length: its last digit decides, before the line ends.
    QTest::newRow("Content-Length overflows, no line end yet")
        << QByteArray(post + "Content-Length: 9223372036854775808") << 400 << QByteArray("out of range");
    QTest::newRow("Content-Length overflows after leading zeros")
        << QByteArray(post + "content-length: 000009223372036854775808") << 400 << QByteArray("out of range");
    QTest::newRow("Content-Length list element overflows")
        << QByteArray(post + "Content-Length: 3, 9223372036854775808") << 400 << QByteArray("out of range");
    QTest::newRow("Content-Length not a number, no line end yet") << QByteArray(post + "Content-Length: 1e") << 400 << QByteArray("not a number");
    QTest::newRow("Content-Length negative") << QByteArray(post + "Content-Length: -") << 400 << QByteArray("not a number");
    QTest::newRow("conflicting Content-Length")
        << QByteArray(post + "Content-Length: 3\r\nContent-Length: 4\r\n") << 400 << QByteArray("conflicting");
    QTest::newRow("Content-Length beside Transfer-Encoding")
        << QByteArray(post + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n") << 400 << QByteArray("both present");
}

void TestRequestParser::shouldRefuseAtTheFirstBadByte()
{
    QFETCH(QByteArray, input);
    QFETCH(int, status);
    QFETCH(QByteArray, reason);
    // At once, and byte by byte: the last byte fed decides, before any line end or header block end.
    RequestParser atOnce;
    const ParseResult result = atOnce.feed(input);
    QCOMPARE(result.status, ParseStatus::Error);
    QCOMPARE(result.errorStatus, status);
    QVERIFY2(result.errorReason.contains(reason), result.errorReason.constData());
    RequestParser byteByByte;
    for (qsizetype i = 0; i < input.size(); ++i) {
        const ParseResult step = byteByByte.feed(input.sliced(i, 1));
        if (i + 1 < input.size() && step.status == ParseStatus::Error)
            QFAIL(qPrintable(QStringLiteral("refused at byte %1 of %2, before the bad one").arg(i + 1).arg(input.size())));
        if (i + 1 == input.size()) {
            QCOMPARE(step.status, ParseStatus::Error);
            QCOMPARE(step.errorStatus, status);
        }
    }
}

void TestRequestParser::shouldReadBodyAtDefaultLimitByteByByte()
{
    const qint64 size = Limits().maxBody;
    const QByteArray head = "POST /big HTTP/1.1\r\nHost: a\r\nContent-Length: " + QByteArray::number(size) + "\r\n\r\n";
    QByteArray body(size, 'b');
    body[0] = 'B';
    body[size - 1] = 'E';

    RequestParser parser;
    QCOMPARE(parser.feed(head).status, ParseStatus::Incomplete);
    QVERIFY(parser.headersComplete());
    const QByteArrayView view(body);
    for (qsizetype i = 0; i < size - 1; ++i) {
        if (parser.feed(view.sliced(i, 1)).status != ParseStatus::Incomplete)
            QFAIL(QByteArray("stopped at body byte " + QByteArray::number(i)).constData());
    }
    const ParseResult last = parser.feed(view.sliced(size - 1));
    QCOMPARE(last.status, ParseStatus::Complete);
    QCOMPARE(last.consumed, 1);
    QVERIFY(parser.takeRequest().body == body);
}

void TestRequestParser::shouldParseFloodOfOneByteChunks()
{
    QByteArray body;
    const QByteArray stream = chunkFlood(200000, &body);

    Request request;
    const ParseResult result = parseRequest(stream, &request);
    QCOMPARE(result.status, ParseStatus::Complete);
    QCOMPARE(result.consumed, stream.size());
    QVERIFY(request.chunked);
    QVERIFY(request.body == body);

    const Outcome bytewise = parseByteByByte(stream, {});
    QCOMPARE(bytewise.status, ParseStatus::Complete);
    QCOMPARE(bytewise.consumed, stream.size());
    QVERIFY(bytewise.request.body == body);
}

void TestRequestParser::shouldExposeHeadersBeforeBodyArrives()
{
    RequestParser parser;
    QCOMPARE(parser.feed("POST /h HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n").status, ParseStatus::Incomplete);
    QVERIFY(!parser.headersComplete());
    QCOMPARE(parser.feed("\r\nhel").status, ParseStatus::Incomplete);
    QVERIFY(parser.headersComplete());
    QCOMPARE(parser.request().method, QByteArray("POST"));
    QCOMPARE(parser.request().headers.size(), 2);
    QCOMPARE(parser.request().body, QByteArray("hel"));
    const ParseResult result = parser.feed("lo");
    QCOMPARE(result.status, ParseStatus::Complete);
    QCOMPARE(result.consumed, 2);
    QCOMPARE(parser.request().body, QByteArray("hello"));
}

void TestRequestParser::shouldKeepReturningTheSameError()
{
    RequestParser parser;
    const ParseResult first = parser.feed("GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n");
    QCOMPARE(first.status, ParseStatus::Error);
    QCOMPARE(first.errorStatus, 400);
    QVERIFY(!parser.headersComplete());

    for (const QByteArrayView more : {QByteArrayView("\r\n"), QByteArrayView("GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
                                      QByteArrayView()}) {
        const ParseResult again = parser.feed(more);
        QCOMPARE(again.status, ParseStatus::Error);
        QCOMPARE(again.errorStatus, first.errorStatus);
        QCOMPARE(again.errorReason, first.errorReason);
        QCOMPARE(again.consumed, 0);
    }
}

void TestRequestParser::shouldStartOverAfterReset()
{
    RequestParser parser(makeLimits(64, 64, 3, 10));
    QCOMPARE(parser.feed("POST /first HTTP/1.1\r\nHost: a\r\nContent-Le").status, ParseStatus::Incomplete);
    parser.reset();
    QCOMPARE(parser.feed("GET /second HTTP/1.1\r\nHost: b\r\n\r\n").status, ParseStatus::Complete);
    const Request request = parser.takeRequest();
    QCOMPARE(request.target, QByteArray("/second"));
    QCOMPARE(request.headers, HeaderList({{"Host", "b"}}));

    QCOMPARE(parser.feed("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n").errorStatus, 431);
    parser.reset();
    QCOMPARE(parser.feed("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n").status, ParseStatus::Complete);
}

void TestRequestParser::shouldParseWholeBufferWithParseRequest()
{
    const QByteArray whole = "DELETE /x HTTP/1.1\r\nHost: a\r\n\r\n";
    Request request;
    const ParseResult complete = parseRequest(QByteArray(whole + "extra"), &request);
    QCOMPARE(complete.status, ParseStatus::Complete);
    QCOMPARE(complete.consumed, whole.size());
    QCOMPARE(request.method, QByteArray("DELETE"));

    Request untouched;
    untouched.method = "KEEP";
    const ParseResult incomplete = parseRequest("DELETE /x HTTP/1.1\r\nHost: a\r\n", &untouched);
    QCOMPARE(incomplete.status, ParseStatus::Incomplete);
    QCOMPARE(untouched.method, QByteArray("KEEP"));

    const ParseResult error = parseRequest("DELETE /x HTTP/9.1\r\n\r\n", &untouched);
    QCOMPARE(error.status, ParseStatus::Error);
    QCOMPARE(error.errorStatus, 505);
    QCOMPARE(untouched.method, QByteArray("KEEP"));
}

QTEST_GUILESS_MAIN(TestRequestParser)
#include "tst_requestparser.moc"
