#pragma once

// Parsing a stream of pipelined requests while checking every promise of
// RequestParser::feed(), and the checks every parsed request must pass.

#include "fuzzinput.h"

#include "http/headers.h"
#include "http/requestparser.h"

#include <QByteArray>
#include <QList>

namespace fuzz {

inline bool sameRequest(const http::Request &a, const http::Request &b)
{
    return a.method == b.method && a.target == b.target && a.versionMinor == b.versionMinor && a.headers == b.headers
        && a.body == b.body && a.trailers == b.trailers && a.chunked == b.chunked && a.keepAlive == b.keepAlive;
}

// One decision of the parser, in stream order.
struct Parsed
{
    bool error = false;
    int errorStatus = 0;
    QByteArray errorReason;
    http::Request request;
    qsizetype end = 0;   // Complete: the stream offset just after the request

    friend bool operator==(const Parsed &a, const Parsed &b)
    {
        if (a.error != b.error)
            return false;
        if (a.error)
            return a.errorStatus == b.errorStatus && a.errorReason == b.errorReason;
        return a.end == b.end && sameRequest(a.request, b.request);
    }
};

struct Trace
{
    QList<Parsed> items;
    bool midRequest = false;      // bytes were taken after the last request (a part of the next one)
    bool headersComplete = false; // ...after its header section

    friend bool operator==(const Trace &a, const Trace &b)
    {
        return a.items == b.items && a.midRequest == b.midRequest && a.headersComplete == b.headersComplete;
    }
};

inline bool isRefusalStatus(int status)
{
    switch (status) {
    case 400: case 413: case 414: case 417: case 431: case 501: case 505:
        return true;
    default:
        return false;
    }
}

// What any request the parser calls Complete must satisfy, whatever the bytes were.
inline void checkRequest(const http::Request &request, const http::Limits &limits)
{
    FUZZ_CHECK(!request.method.isEmpty());
    FUZZ_CHECK(!request.target.isEmpty());
    FUZZ_CHECK(request.versionMinor == 0 || request.versionMinor == 1);
    FUZZ_CHECK(request.method.size() + 1 + request.target.size() + 1 + 8 <= limits.maxRequestLine);
    FUZZ_CHECK(request.body.size() <= limits.maxBody);
    FUZZ_CHECK(request.headers.size() + request.trailers.size() <= limits.maxHeaderFields);
    qsizetype fieldBytes = 0;
    for (const http::HeaderList *list : {&request.headers, &request.trailers}) {
        for (const http::HeaderField &field : *list) {
            FUZZ_CHECK(!field.name.isEmpty());
            FUZZ_CHECK(!field.value.contains('\r') && !field.value.contains('\n'));
            fieldBytes += field.name.size() + 1 + field.value.size() + 2;
        }
    }
    FUZZ_CHECK(fieldBytes <= limits.maxHeaderBytes);
    if (request.chunked) {
        FUZZ_CHECK(request.versionMinor == 1);
        FUZZ_CHECK(http::contains(request.headers, "Transfer-Encoding"));
        FUZZ_CHECK(!http::contains(request.headers, "Content-Length"));
    } else {
        FUZZ_CHECK(request.trailers.isEmpty());
        FUZZ_CHECK(!http::contains(request.headers, "Transfer-Encoding"));
        const QByteArray length = http::valueOf(request.headers, "Content-Length");
        if (length.isNull()) {
            FUZZ_CHECK(request.body.isEmpty());
        } else {
            const QByteArray first = length.split(',').constFirst().trimmed();
            bool ok = false;
            FUZZ_CHECK(first.toLongLong(&ok) == request.body.size() && ok);
        }
    }
    if (http::hasToken(request.headers, "Connection", "close"))
        FUZZ_CHECK(!request.keepAlive);
    const qsizetype hosts = http::countOf(request.headers, "Host");
    FUZZ_CHECK(hosts == 1 || (hosts == 0 && request.versionMinor == 0));
}

// The request written out again, as compactly as its fields allow: parsed with
// the same limits it must come back the same.
inline QByteArray reserialize(const http::Request &request)
{
    QByteArray out = request.method + ' ' + request.target + ' ' + request.version() + "\r\n";
    for (const http::HeaderField &field : request.headers)
        out += field.name + ':' + field.value + "\r\n";
    out += "\r\n";
    if (!request.chunked) {
        out += request.body;
        return out;
    }
    if (!request.body.isEmpty())
        out += QByteArray::number(request.body.size(), 16) + "\r\n" + request.body + "\r\n";
    out += "0\r\n";
    for (const http::HeaderField &field : request.trailers)
        out += field.name + ':' + field.value + "\r\n";
    out += "\r\n";
    return out;
}

inline void checkRoundTrip(const http::Request &request, const http::Limits &limits)
{
    const QByteArray again = reserialize(request);
    http::RequestParser parser(limits);
    const http::ParseResult result = parser.feed(again);
    FUZZ_CHECK(result.status == http::ParseStatus::Complete);
    FUZZ_CHECK(result.consumed == again.size());
    FUZZ_CHECK(sameRequest(parser.takeRequest(), request));
}

// Feeds the pieces to one parser, taking each Complete request and going on with
// the rest (pipelining), until the stream ends or the parser refuses it.
inline Trace parseStream(const QList<QByteArrayView> &pieces, const http::Limits &limits)
{
    Trace trace;
    http::RequestParser parser(limits);
    qsizetype offset = 0;
    for (QByteArrayView piece : pieces) {
        while (!piece.isEmpty()) {
            const http::ParseResult result = parser.feed(piece);
            FUZZ_CHECK(result.consumed >= 0 && result.consumed <= piece.size());
            offset += result.consumed;
            switch (result.status) {
            case http::ParseStatus::Incomplete:
                FUZZ_CHECK(result.consumed == piece.size());
                FUZZ_CHECK(result.errorStatus == 0);
                break;
            case http::ParseStatus::Complete: {
                FUZZ_CHECK(result.consumed > 0);
                FUZZ_CHECK(parser.headersComplete());
                FUZZ_CHECK(!parser.expectsContinue());
                Parsed parsed;
                parsed.request = parser.takeRequest();
                parsed.end = offset;
                trace.items.append(parsed);
                FUZZ_CHECK(!parser.headersComplete());
                break;
            }
            case http::ParseStatus::Error: {
                FUZZ_CHECK(isRefusalStatus(result.errorStatus));
                FUZZ_CHECK(!result.errorReason.isEmpty());
                // Refused once, refused for good: nothing more is taken.
                const http::ParseResult again = parser.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                FUZZ_CHECK(again.status == http::ParseStatus::Error && again.consumed == 0);
                FUZZ_CHECK(again.errorStatus == result.errorStatus && again.errorReason == result.errorReason);
                Parsed parsed;
                parsed.error = true;
                parsed.errorStatus = result.errorStatus;
                parsed.errorReason = result.errorReason;
                trace.items.append(parsed);
                return trace;
            }
            }
            piece = piece.sliced(result.consumed);
        }
    }
    trace.headersComplete = parser.headersComplete();
    // A fresh parser consumes bytes only as part of a request (or the empty lines before one).
    trace.midRequest = offset > (trace.items.isEmpty() ? 0 : trace.items.constLast().end);
    return trace;
}

inline QByteArray describe(const Trace &trace)
{
    QByteArray text;
    for (const Parsed &item : trace.items) {
        if (item.error)
            text += "error " + QByteArray::number(item.errorStatus) + " (" + item.errorReason + ")\n";
        else
            text += "request " + item.request.method + ' ' + item.request.target + " ending at "
                + QByteArray::number(item.end) + ", body " + QByteArray::number(item.request.body.size()) + '\n';
    }
    text += trace.midRequest ? "ends inside a request" : "ends between requests";
    text += trace.headersComplete ? " after its headers\n" : "\n";
    return text;
}

inline void checkSameTrace(const Trace &actual, const Trace &expected, const char *how)
{
    if (actual == expected)
        return;
    std::fprintf(stderr, "parsed %s:\n%s\nparsed in one piece:\n%s\n", how, describe(actual).constData(),
                 describe(expected).constData());
    failure(__FILE__, __LINE__, "the outcome depends on how the input was split");
}

} // namespace fuzz
