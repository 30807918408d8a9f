#include "requestparser.h"

#include <algorithm>
#include <array>
#include <limits>
#include <string_view>

namespace http {

namespace {

// Chunk extensions are read and dropped; a chunk-size line longer than this
// (CRLF not counted) is refused rather than buffered.
constexpr qsizetype kMaxChunkLine = 4096;
// A Content-Length body is reserved up front, but only this much of it: the
// client has not proven yet that it will send the rest.
constexpr qint64 kMaxBodyReserve = 64 * 1024;

using ByteTable = std::array<bool, 256>;

template <typename Predicate>
constexpr ByteTable makeTable(Predicate predicate)
{
    ByteTable table{};
    for (int c = 0; c < 256; ++c)
        table[c] = predicate(uchar(c));
    return table;
}

constexpr bool isDigit(uchar c) { return c >= '0' && c <= '9'; }
constexpr bool isAlpha(uchar c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool isOneOf(uchar c, std::string_view set) { return set.find(char(c)) != std::string_view::npos; }

// RFC 9110 5.6.2
constexpr ByteTable kTchar = makeTable([](uchar c) {
    return isDigit(c) || isAlpha(c) || isOneOf(c, "!#$%&'*+-.^_`|~");
});
constexpr ByteTable kDigit = makeTable([](uchar c) { return isDigit(c); });
// RFC 9110 5.5: visible characters, SP, HTAB and obs-text; every other CTL is refused.
constexpr ByteTable kFieldValue = makeTable([](uchar c) { return c == '\t' || (c >= 0x20 && c != 0x7f); });
// The target is kept raw, so it is only held to visible ASCII (RFC 9112 3.2: its
// grammar has no obs-text; a raw byte >= 0x80 is a client's bug, refused).
constexpr ByteTable kTarget = makeTable([](uchar c) { return c > 0x20 && c < 0x7f; });
// RFC 3986 host [ ":" port ]: reg-name, IP literals, percent-encoding.
constexpr ByteTable kHost = makeTable([](uchar c) {
    return isDigit(c) || isAlpha(c) || isOneOf(c, "-._~%!$&'()*+,;=:[]");
});
// qdtext of RFC 9110 5.6.4
constexpr ByteTable kQuotedText = makeTable([](uchar c) {
    return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) || c >= 0x80;
});

bool allOf(QByteArrayView bytes, const ByteTable &table)
{
    return std::all_of(bytes.begin(), bytes.end(), [&table](char c) { return table[uchar(c)]; });
}

bool isOws(char c)
{
    return c == ' ' || c == '\t';
}

QByteArrayView trimOws(QByteArrayView bytes)
{
    while (!bytes.isEmpty() && isOws(bytes.front()))
        bytes = bytes.sliced(1);
    while (!bytes.isEmpty() && isOws(bytes.back()))
        bytes = bytes.chopped(1);
    return bytes;
}

bool is(QByteArrayView name, QByteArrayView known)
{
    return name.size() == known.size() && name.compare(known, Qt::CaseInsensitive) == 0;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Calls visit(element) for each element of a comma-separated list (RFC 9110
// 5.6.1), OWS trimmed, empty ones included; stops early when visit returns false.
template <typename Visit>
void forEachElement(QByteArrayView list, Visit visit)
{
    for (;;) {
        const qsizetype comma = list.indexOf(',');
        if (!visit(trimOws(comma < 0 ? list : list.first(comma))) || comma < 0)
            return;
        list = list.sliced(comma + 1);
    }
}

struct ContentLength
{
    bool present = false;
    qint64 value = 0;
    const char *error = nullptr;
};

// RFC 9112 6.3: 1*DIGIT; a list or repeated fields only when every value is the same.
ContentLength readContentLength(const HeaderList &headers)
{
    ContentLength result;
    QByteArrayView first;
    for (const HeaderField &field : headers) {
        if (!is(field.name, "Content-Length"))
            continue;
        result.present = true;
        forEachElement(field.value, [&](QByteArrayView element) {
            if (element.isEmpty() || !allOf(element, kDigit))
                result.error = "Content-Length is not a number";
            else if (first.isEmpty())
                first = element;
            else if (element != first)
                result.error = "conflicting Content-Length values";
            return result.error == nullptr;
        });
        if (result.error)
            return result;
    }
    for (const char digit : first) {
        if (result.value > (std::numeric_limits<qint64>::max() - (digit - '0')) / 10) {
            result.error = "Content-Length out of range";
            return result;
        }
        result.value = result.value * 10 + (digit - '0');
    }
    return result;
}

struct TransferCodings
{
    bool present = false;
    int chunkedCount = 0;
    bool chunkedLast = false;
    const char *error = nullptr;
};

TransferCodings readTransferCodings(const HeaderList &headers)
{
    TransferCodings result;
    for (const HeaderField &field : headers) {
        if (!is(field.name, "Transfer-Encoding"))
            continue;
        result.present = true;
        forEachElement(field.value, [&](QByteArrayView element) {
            if (element.isEmpty())
                return true;
            const qsizetype semicolon = element.indexOf(';');
            const QByteArrayView name = trimOws(semicolon < 0 ? element : element.first(semicolon));
            if (!isToken(name)) {
                result.error = "malformed Transfer-Encoding";
                return false;
            }
            // Codings before chunked (gzip, deflate, ...) are the body's, kept as they came.
            result.chunkedLast = is(name, "chunked");
            if (result.chunkedLast && semicolon >= 0) {
                result.error = "the chunked transfer coding takes no parameters";
                return false;
            }
            if (result.chunkedLast)
                ++result.chunkedCount;
            return true;
        });
        if (result.error)
            return result;
    }
    return result;
}

// chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ( token / quoted-string ) ] ), RFC 9112 7.1.1
bool isValidChunkExtension(QByteArrayView ext)
{
    qsizetype i = 0;
    const auto skipWhitespace = [&] {
        while (i < ext.size() && isOws(ext[i]))
            ++i;
    };
    const auto skipToken = [&] {
        const qsizetype start = i;
        while (i < ext.size() && kTchar[uchar(ext[i])])
            ++i;
        return i > start;
    };
    const auto skipQuotedString = [&] {
        if (i == ext.size() || ext[i] != '"')
            return false;
        for (++i; i < ext.size(); ++i) {
            const uchar c = uchar(ext[i]);
            if (c == '"') {
                ++i;
                return true;
            }
            if (c == '\\') {
                if (++i == ext.size() || !kFieldValue[uchar(ext[i])])
                    return false;
            } else if (!kQuotedText[c]) {
                return false;
            }
        }
        return false;
    };

    while (i < ext.size()) {
        skipWhitespace();
        if (i == ext.size() || ext[i] != ';')
            return false;
        ++i;
        skipWhitespace();
        if (!skipToken())
            return false;
        const qsizetype afterName = i;
        skipWhitespace();
        if (i < ext.size() && ext[i] == '=') {
            ++i;
            skipWhitespace();
            if (!skipToken() && !skipQuotedString())
                return false;
        } else {
            i = afterName;
        }
    }
    return true;
}

} // namespace

RequestParser::RequestParser(const Limits &limits)
    : m_limits(limits)
{
}

ParseResult RequestParser::feed(QByteArrayView data)
{
    qsizetype pos = 0;
    while (pos < data.size() && m_phase != Phase::Complete && m_phase != Phase::Failed) {
        switch (m_phase) {
        case Phase::RequestLine:
            readRequestLine(data, pos);
            break;
        case Phase::Headers:
        case Phase::Trailers:
            readFieldLine(data, pos);
            break;
        case Phase::Body:
        case Phase::ChunkData:
            readBody(data, pos);
            break;
        case Phase::ChunkSize:
            readChunkSize(data, pos);
            break;
        case Phase::ChunkDataCr:
        case Phase::ChunkDataLf:
            readChunkDataEnd(data, pos);
            break;
        case Phase::Complete:
        case Phase::Failed:
            break;
        }
    }
    switch (m_phase) {
    case Phase::Failed:
        return errorResult(pos);
    case Phase::Complete:
        return {ParseStatus::Complete, pos, 0, {}};
    default:
        return {ParseStatus::Incomplete, pos, 0, {}};
    }
}

bool RequestParser::headersComplete() const
{
    switch (m_phase) {
    case Phase::Body:
    case Phase::ChunkSize:
    case Phase::ChunkData:
    case Phase::ChunkDataCr:
    case Phase::ChunkDataLf:
    case Phase::Trailers:
    case Phase::Complete:
        return true;
    case Phase::RequestLine:
    case Phase::Headers:
    case Phase::Failed:
        break;
    }
    return false;
}

bool RequestParser::expectsContinue() const
{
    return m_expectContinue && !m_bodyStarted && (m_phase == Phase::Body || m_phase == Phase::ChunkSize);
}

const Request &RequestParser::request() const
{
    return m_request;
}

Request RequestParser::takeRequest()
{
    Request request = std::move(m_request);
    reset();
    // Shared, not copied: see sameOr().
    m_previous.method = request.method;
    m_previous.target = request.target;
    m_previous.headers = request.headers;
    return request;
}

void RequestParser::reset()
{
    const Limits limits = m_limits;
    *this = RequestParser(limits);
}

namespace {

// A client sends the same fields request after request on a connection: all of
// its names and many of its values (its agent, the content type, the event).
// What equals the same part of its previous request shares that one's bytes
// instead of allocating its own, which under load saves most of a request's
// allocations (and their frees).
QByteArray sameOr(QByteArrayView bytes, const QByteArray &before)
{
    return QByteArrayView(before) == bytes ? before : bytes.toByteArray();
}

} // namespace

// Hands out the next line, without its LF, viewed either straight in `data` or,
// when it began in an earlier feed(), in m_splicedLine. The budget caps the
// line's content (CRLF excluded) and is enforced before anything is buffered: a
// CR at the very end of what has arrived may be the line's own, so it is not
// counted yet. Every byte is looked at once, however the input is split.
RequestParser::LineStatus RequestParser::takeLine(QByteArrayView data, qsizetype &pos, qsizetype budget,
                                                  QByteArrayView &line)
{
    const QByteArrayView rest = data.sliced(pos);
    const qsizetype lf = rest.indexOf('\n');
    if (lf < 0) {
        pos = data.size();
        const qsizetype pending = m_line.size() + rest.size() - (rest.endsWith('\r') ? 1 : 0);
        // Nothing past the budget is kept: such a line is refused as too long.
        const qsizetype keep = std::min(rest.size(), std::max<qsizetype>(0, budget + 1 - m_line.size()));
        m_line.append(rest.first(keep));
        // A CR at the very end may be the line's own: it is looked at once more bytes follow.
        const qsizetype scanEnd = keep == rest.size() && m_line.endsWith('\r') ? m_line.size() - 1 : m_line.size();
        if (!scanLine(m_line, std::min(scanEnd, budget)))
            return LineStatus::Refused;
        return pending > budget ? LineStatus::TooLong : LineStatus::NeedMore;
    }
    pos += lf + 1;
    if (m_line.isEmpty()) {
        line = rest.first(lf);
    } else {
        m_line.append(rest.first(lf));
        m_splicedLine.swap(m_line);
        m_line.resize(0);
        line = m_splicedLine;
    }
    const qsizetype content = line.size() - (line.endsWith('\r') ? 1 : 0);
    const bool scanned = scanLine(line, std::min(content, budget));
    m_scanned = 0;
    m_scanPart = 0;
    m_scanPartStart = 0;
    m_scanLength = false;
    m_scanLengthValue = 0;
    if (!scanned)
        return LineStatus::Refused;
    return content > budget ? LineStatus::TooLong : LineStatus::Ready;
}

// Every byte of a request line or field line is judged as it arrives, the same
// way however the input is split: the first byte that no valid line could hold
// refuses the request, without waiting for the line's end (or a timeout). The
// end of the line is judged by parseRequestLine() and parseField().
bool RequestParser::scanLine(QByteArrayView line, qsizetype end)
{
    const bool requestLine = m_phase == Phase::RequestLine;
    if (!requestLine && m_phase != Phase::Headers && m_phase != Phase::Trailers)
        return true;
    static constexpr char version[] = "HTTP/1.1";
    for (; m_scanned < end; ++m_scanned) {
        const uchar c = uchar(line.at(m_scanned));
        if (c == '\r') {
            fail(400, requestLine                     ? "bare CR in the request line"
                      : m_phase == Phase::Trailers ? "bare CR in the trailer section"
                                                   : "bare CR in the header section");
            return false;
        }
        const qsizetype offset = m_scanned - m_scanPartStart;
        const char *error = nullptr;
        int status = 400;
        if (requestLine) {
            if (c == ' ' && m_scanPart < 2) {
                if (offset == 0)
                    error = m_scanPart == 0 ? "invalid method" : "invalid request target";
                ++m_scanPart;
                m_scanPartStart = m_scanned + 1;
            } else if (m_scanPart == 0) {
                if (!kTchar[c])
                    error = "invalid method";
            } else if (m_scanPart == 1) {
                if (!kTarget[c])
                    error = "invalid request target";
            } else if (offset >= 8 || (offset == 5 || offset == 7 ? !isDigit(c) : c != uchar(version[offset]))) {
                // "HTTP/" DIGIT "." DIGIT: the major version is known at its digit.
                error = "malformed HTTP version";
            } else if (offset == 5 && c != '1') {
                error = "HTTP version not supported";
                status = 505;
            }
        } else if (m_scanPart == 0) {
            if (c == ':') {
                if (offset == 0)
                    error = "empty field name";
                m_scanPart = 1;
                m_scanLength = m_phase == Phase::Headers && is(line.first(m_scanned), "Content-Length");
            } else if (isOws(char(c))) {
                error = offset == 0 ? "field line starts with whitespace (obsolete line folding)"
                                    : "whitespace between field name and colon";
            } else if (!kTchar[c]) {
                error = "invalid character in field name";
            }
        } else if (!kFieldValue[c]) {
            error = "invalid character in field value";
        } else if (m_scanLength) {
            // A length is digits, or a list of the same digits (RFC 9112 6.3): anything
            // else, or more than any body can be, is known before the line ends.
            if (isDigit(c)) {
                if (m_scanLengthValue > (std::numeric_limits<qint64>::max() - (c - '0')) / 10)
                    error = "Content-Length out of range";
                else
                    m_scanLengthValue = m_scanLengthValue * 10 + (c - '0');
            } else if (c == ',') {
                m_scanLengthValue = 0;
            } else if (!isOws(char(c))) {
                error = "Content-Length is not a number";
            }
        }
        if (error) {
            fail(status, error);
            return false;
        }
    }
    return true;
}

// RFC 9112 2.2: lines end in CRLF; a bare CR or LF is refused, not guessed at.
bool RequestParser::lineContent(QByteArrayView line, const char *where, QByteArrayView &content)
{
    if (!line.endsWith('\r')) {
        QByteArray reason("bare LF in ");
        fail(400, reason.append(where));
        return false;
    }
    content = line.chopped(1);
    if (content.contains('\r')) {
        QByteArray reason("bare CR in ");
        fail(400, reason.append(where));
        return false;
    }
    return true;
}

void RequestParser::readRequestLine(QByteArrayView data, qsizetype &pos)
{
    QByteArrayView line;
    switch (takeLine(data, pos, m_limits.maxRequestLine, line)) {
    case LineStatus::NeedMore:
    case LineStatus::Refused:
        return;
    case LineStatus::TooLong:
        return fail(414, "request line too long");
    case LineStatus::Ready:
        break;
    }
    QByteArrayView content;
    if (!lineContent(line, "the request line", content))
        return;
    if (content.isEmpty()) {
        // RFC 9112 2.2: empty lines before a request line are ignored (clients add
        // a CRLF after a body), but not without end.
        m_emptyLineBytes += 2;
        if (m_emptyLineBytes > m_limits.maxRequestLine)
            fail(400, "too many empty lines before the request line");
        return;
    }
    if (parseRequestLine(content))
        m_phase = Phase::Headers;
}

// request-line = method SP request-target SP HTTP-version, RFC 9112 3
bool RequestParser::parseRequestLine(QByteArrayView line)
{
    const qsizetype firstSpace = line.indexOf(' ');
    const qsizetype secondSpace = firstSpace < 0 ? -1 : line.indexOf(' ', firstSpace + 1);
    if (secondSpace < 0) {
        fail(400, "malformed request line");
        return false;
    }
    const QByteArrayView method = line.first(firstSpace);
    const QByteArrayView target = line.sliced(firstSpace + 1, secondSpace - firstSpace - 1);
    const QByteArrayView version = line.sliced(secondSpace + 1);
    if (!isToken(method)) {
        fail(400, "invalid method");
        return false;
    }
    if (target.isEmpty() || !allOf(target, kTarget)) {
        fail(400, "invalid request target");
        return false;
    }
    // HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive (RFC 9112 2.3)
    if (version.size() != 8 || !version.startsWith("HTTP/") || !isDigit(uchar(version[5])) || version[6] != '.'
        || !isDigit(uchar(version[7]))) {
        fail(400, "malformed HTTP version");
        return false;
    }
    if (version[5] != '1') {
        fail(505, "HTTP version not supported");
        return false;
    }
    m_request.method = sameOr(method, m_previous.method);
    m_request.target = sameOr(target, m_previous.target);
    // RFC 9110 2.5: a higher minor version of a major version we implement is
    // processed as the highest minor version we conform to, 1.1.
    m_request.versionMinor = version[7] == '0' ? 0 : 1;
    return true;
}

void RequestParser::readFieldLine(QByteArrayView data, qsizetype &pos)
{
    const bool trailers = m_phase == Phase::Trailers;
    // A field line costs its content plus CRLF; the empty line closing the section is free.
    const qsizetype budget = std::max<qsizetype>(0, m_limits.maxHeaderBytes - m_headerBytes - 2);
    QByteArrayView line;
    switch (takeLine(data, pos, budget, line)) {
    case LineStatus::NeedMore:
    case LineStatus::Refused:
        return;
    case LineStatus::TooLong:
        return fail(431, trailers ? "trailer section too large" : "header section too large");
    case LineStatus::Ready:
        break;
    }
    QByteArrayView content;
    if (!lineContent(line, trailers ? "the trailer section" : "the header section", content))
        return;
    if (content.isEmpty()) {
        if (trailers)
            m_phase = Phase::Complete;
        else
            finishHeaders();
        return;
    }
    if (m_fieldCount >= m_limits.maxHeaderFields)
        return fail(431, trailers ? "too many trailer fields" : "too many header fields");
    if (!parseField(content, trailers ? m_request.trailers : m_request.headers))
        return;
    if (!trailers && !checkFramingFields())
        return;
    m_headerBytes += content.size() + 2;
    ++m_fieldCount;
}

// field-line = field-name ":" OWS field-value OWS, RFC 9112 5
bool RequestParser::parseField(QByteArrayView line, HeaderList &into)
{
    if (isOws(line.front())) {
        fail(400, "field line starts with whitespace (obsolete line folding)");
        return false;
    }
    qsizetype colon = 0;
    while (colon < line.size() && kTchar[uchar(line[colon])])
        ++colon;
    if (colon == line.size()) {
        fail(400, "field line without a colon");
        return false;
    }
    if (line[colon] != ':') {
        fail(400, isOws(line[colon]) ? "whitespace between field name and colon" : "invalid character in field name");
        return false;
    }
    if (colon == 0) {
        fail(400, "empty field name");
        return false;
    }
    const QByteArrayView value = trimOws(line.sliced(colon + 1));
    if (!allOf(value, kFieldValue)) {
        fail(400, "invalid character in field value");
        return false;
    }
    if (into.isEmpty())
        into.reserve(16);   // room for a typical request's fields, instead of growing four times
    const qsizetype index = into.size();
    if (&into == &m_request.headers && index < m_previous.headers.size()) {
        const HeaderField &before = m_previous.headers.at(index);
        into.append(HeaderField{sameOr(line.first(colon), before.name), sameOr(value, before.value)});
    } else {
        into.append(HeaderField{line.first(colon).toByteArray(), value.toByteArray()});
    }
    return true;
}

void RequestParser::finishHeaders()
{
    qint64 contentLength = 0;
    if (!checkHost() || !checkFraming(contentLength) || !checkExpectation())
        return;
    if (contentLength > m_limits.maxBody)
        return fail(413, "body larger than the limit");

    bool close = false;
    bool keepAlive = false;
    for (const HeaderField &field : std::as_const(m_request.headers)) {
        if (!is(field.name, "Connection"))
            continue;
        forEachElement(field.value, [&](QByteArrayView option) {
            close = close || is(option, "close");
            keepAlive = keepAlive || is(option, "keep-alive");
            return true;
        });
    }
    m_request.keepAlive = !close && (m_request.versionMinor == 1 || keepAlive);

    if (m_request.chunked) {
        m_phase = Phase::ChunkSize;
    } else if (contentLength > 0) {
        m_remaining = contentLength;
        m_request.body.reserve(qsizetype(std::min(contentLength, kMaxBodyReserve)));
        m_phase = Phase::Body;
    } else {
        m_phase = Phase::Complete;
    }
}

// RFC 9112 3.2: an HTTP/1.1 request carries exactly one Host, no request two.
bool RequestParser::checkHost()
{
    qsizetype count = 0;
    QByteArrayView value;
    for (const HeaderField &field : std::as_const(m_request.headers)) {
        if (is(field.name, "Host")) {
            ++count;
            value = field.value;
        }
    }
    if (count > 1)
        fail(400, "more than one Host field");
    else if (count == 0 && m_request.versionMinor == 1)
        fail(400, "HTTP/1.1 request without a Host field");
    else if (!allOf(value, kHost))
        fail(400, "invalid Host field value");
    else
        return true;
    return false;
}

// The framing fields are decided on as each arrives: a Content-Length that is
// not a number, out of range, in conflict with another or beside
// Transfer-Encoding, or over the body limit, ends the request at that line.
bool RequestParser::checkFramingFields()
{
    const HeaderField &field = m_request.headers.constLast();
    const bool length = is(field.name, "Content-Length");
    if (!length && !is(field.name, "Transfer-Encoding"))
        return true;
    const ContentLength contentLength = readContentLength(m_request.headers);
    if (contentLength.present && readTransferCodings(m_request.headers).present) {
        fail(400, "Content-Length and Transfer-Encoding both present");
        return false;
    }
    if (contentLength.error) {
        fail(400, contentLength.error);
        return false;
    }
    if (contentLength.value > m_limits.maxBody) {
        fail(413, "body larger than the limit");
        return false;
    }
    return true;
}

// RFC 9112 6.1 and 6.3. Transfer-Encoding must end in chunked or the body's
// length is unknowable (400). Codings before it (gzip, deflate, ...) are the
// body's, kept as they came: chunked framing is all the listener undoes.
bool RequestParser::checkFraming(qint64 &contentLength)
{
    const TransferCodings codings = readTransferCodings(m_request.headers);
    const ContentLength length = readContentLength(m_request.headers);
    if (codings.present) {
        if (length.present)
            fail(400, "Content-Length and Transfer-Encoding both present");
        else if (m_request.versionMinor == 0)
            fail(400, "Transfer-Encoding in an HTTP/1.0 request");
        else if (codings.error)
            fail(400, codings.error);
        else if (codings.chunkedCount > 1)
            fail(400, "chunked applied more than once");
        else if (!codings.chunkedLast)
            fail(400, "chunked is not the final transfer coding");
        else
            m_request.chunked = true;
        return m_request.chunked;
    }
    if (length.error) {
        fail(400, length.error);
        return false;
    }
    contentLength = length.value;
    return true;
}

// RFC 9110 10.1.1: an expectation we cannot meet may be refused with 417, and
// 100-continue in an HTTP/1.0 request must be ignored.
bool RequestParser::checkExpectation()
{
    bool continueAsked = false;
    bool unknown = false;
    for (const HeaderField &field : std::as_const(m_request.headers)) {
        if (!is(field.name, "Expect"))
            continue;
        forEachElement(field.value, [&](QByteArrayView expectation) {
            if (is(expectation, "100-continue"))
                continueAsked = true;
            else if (!expectation.isEmpty())
                unknown = true;
            return true;
        });
    }
    if (unknown) {
        fail(417, "unsupported expectation");
        return false;
    }
    m_expectContinue = continueAsked && m_request.versionMinor == 1;
    return true;
}

void RequestParser::readBody(QByteArrayView data, qsizetype &pos)
{
    m_bodyStarted = true;
    const qsizetype take = qsizetype(std::min<qint64>(m_remaining, data.size() - pos));
    m_request.body.append(data.sliced(pos, take));
    pos += take;
    m_remaining -= take;
    if (m_remaining == 0)
        m_phase = m_phase == Phase::ChunkData ? Phase::ChunkDataCr : Phase::Complete;
}

// chunk-size [ chunk-ext ] CRLF, RFC 9112 7.1
void RequestParser::readChunkSize(QByteArrayView data, qsizetype &pos)
{
    m_bodyStarted = true;
    QByteArrayView line;
    switch (takeLine(data, pos, kMaxChunkLine, line)) {
    case LineStatus::NeedMore:
    case LineStatus::Refused:
        return;
    case LineStatus::TooLong:
        return fail(400, "chunk size line too long");
    case LineStatus::Ready:
        break;
    }
    QByteArrayView content;
    if (!lineContent(line, "a chunk size line", content))
        return;
    qint64 size = 0;
    qsizetype digits = 0;
    for (; digits < content.size(); ++digits) {
        const int value = hexValue(content[digits]);
        if (value < 0)
            break;
        if (size > (std::numeric_limits<qint64>::max() >> 4))
            return fail(400, "chunk size out of range");
        size = size * 16 + value;
    }
    if (digits == 0)
        return fail(400, "missing chunk size");
    if (!isValidChunkExtension(content.sliced(digits)))
        return fail(400, "malformed chunk extension");
    if (size > m_limits.maxBody - m_bodyTotal)
        return fail(413, "body larger than the limit");
    if (size == 0) {
        m_phase = Phase::Trailers;
        return;
    }
    m_bodyTotal += size;
    m_remaining = size;
    m_phase = Phase::ChunkData;
}

void RequestParser::readChunkDataEnd(QByteArrayView data, qsizetype &pos)
{
    const bool wantCr = m_phase == Phase::ChunkDataCr;
    if (data[pos++] != (wantCr ? '\r' : '\n'))
        return fail(400, "chunk data not followed by CRLF");
    m_phase = wantCr ? Phase::ChunkDataLf : Phase::ChunkSize;
}

void RequestParser::fail(int status, QByteArrayView reason)
{
    m_phase = Phase::Failed;
    m_errorStatus = status;
    m_errorReason = reason.toByteArray();
}

ParseResult RequestParser::errorResult(qsizetype consumed) const
{
    return {ParseStatus::Error, consumed, m_errorStatus, m_errorReason};
}

ParseResult parseRequest(QByteArrayView data, Request *out, const Limits &limits)
{
    RequestParser parser(limits);
    ParseResult result = parser.feed(data);
    if (result.status == ParseStatus::Complete && out)
        *out = parser.takeRequest();
    return result;
}

} // namespace http
