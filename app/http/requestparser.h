#pragma once

#include "limits.h"
#include "request.h"

#include <QByteArrayView>

namespace http {

enum class ParseStatus {
    Incomplete,   // every byte given was consumed; feed more
    Complete,     // a whole request is ready: takeRequest(); bytes after `consumed` belong to the next one
    Error         // the request is refused with errorStatus; the connection must answer and close
};

struct ParseResult
{
    ParseStatus status = ParseStatus::Incomplete;
    qsizetype consumed = 0;     // bytes of this feed() that were used
    int errorStatus = 0;        // 400, 413, 414, 417, 431, 501, 505 when status == Error
    QByteArray errorReason;     // short human-readable cause, e.g. "Content-Length and Transfer-Encoding both present"
};

// An incremental HTTP/1.x request parser over bytes: no sockets, no QObject, no
// clock. Feed it whatever arrived; it keeps its own position so that a body or a
// chunk stream is scanned once, however it is split. Strict where RFC 9112 says MUST.
class RequestParser
{
public:
    explicit RequestParser(const Limits &limits = {});

    ParseResult feed(QByteArrayView data);

    // The request line and header block have been read, the body has not (all of it).
    bool headersComplete() const;
    // Headers done, the client sent "Expect: 100-continue" and no body byte has come yet.
    bool expectsContinue() const;
    // The request parsed so far (headers valid once headersComplete()).
    const Request &request() const;

    // After Complete: hands the request over and gets ready for the next one.
    Request takeRequest();
    void reset();

private:
    enum class Phase {
        RequestLine,    // skipping empty lines, then reading the request line
        Headers,
        Body,           // Content-Length bytes
        ChunkSize,      // a chunk-size line with its extensions
        ChunkData,
        ChunkDataCr,    // the CRLF that closes a chunk's data
        ChunkDataLf,
        Trailers,
        Complete,
        Failed
    };
    enum class LineStatus { Ready, NeedMore, TooLong, Refused };

    LineStatus takeLine(QByteArrayView data, qsizetype &pos, qsizetype budget, QByteArrayView &line);
    bool lineContent(QByteArrayView line, const char *where, QByteArrayView &content);
    bool scanLine(QByteArrayView line, qsizetype end);
    bool checkFramingFields();

    void readRequestLine(QByteArrayView data, qsizetype &pos);
    void readFieldLine(QByteArrayView data, qsizetype &pos);
    void readBody(QByteArrayView data, qsizetype &pos);        // Body and ChunkData
    void readChunkSize(QByteArrayView data, qsizetype &pos);
    void readChunkDataEnd(QByteArrayView data, qsizetype &pos);

    bool parseRequestLine(QByteArrayView content);
    bool parseField(QByteArrayView content, HeaderList &into);
    void finishHeaders();
    bool checkHost();
    bool checkFraming(qint64 &contentLength);
    bool checkExpectation();

    void fail(int status, QByteArrayView reason);
    ParseResult errorResult(qsizetype consumed) const;

    Limits m_limits;
    Phase m_phase = Phase::RequestLine;
    Request m_request;
    Request m_previous;             // method, target and headers of the request taken before
    QByteArray m_line;              // the start of a line that an earlier feed() ended in
    QByteArray m_splicedLine;       // m_line completed, while it is being parsed
    qint64 m_remaining = 0;         // bytes of the body or of the current chunk still to come
    qint64 m_bodyTotal = 0;         // chunked: decoded bytes announced so far
    qsizetype m_headerBytes = 0;    // field lines (headers and trailers) so far, CRLF included
    qsizetype m_fieldCount = 0;     // headers and trailers so far
    qsizetype m_emptyLineBytes = 0; // CRLFs skipped before the request line
    qsizetype m_scanned = 0;        // bytes of m_line checkPartialLine() has looked at
    int m_scanPart = 0;             // the part of the line it is in (method, target, version; name, value)
    qsizetype m_scanPartStart = 0;  // where in m_line that part began
    bool m_scanLength = false;      // the field being scanned is Content-Length
    qint64 m_scanLengthValue = 0;   // the value of its element being scanned, so far
    bool m_expectContinue = false;
    bool m_bodyStarted = false;
    int m_errorStatus = 0;
    QByteArray m_errorReason;
};

// Convenience for tests and tools: parse one request from a complete buffer.
ParseResult parseRequest(QByteArrayView data, Request *out, const Limits &limits = {});

} // namespace http
