#include "response.h"

#include <charconv>

namespace http {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100: return QByteArrayLiteral("Continue");
    case 200: return QByteArrayLiteral("OK");
    case 201: return QByteArrayLiteral("Created");
    case 202: return QByteArrayLiteral("Accepted");
    case 204: return QByteArrayLiteral("No Content");
    case 301: return QByteArrayLiteral("Moved Permanently");
    case 302: return QByteArrayLiteral("Found");
    case 304: return QByteArrayLiteral("Not Modified");
    case 400: return QByteArrayLiteral("Bad Request");
    case 401: return QByteArrayLiteral("Unauthorized");
    case 403: return QByteArrayLiteral("Forbidden");
    case 404: return QByteArrayLiteral("Not Found");
    case 405: return QByteArrayLiteral("Method Not Allowed");
    case 408: return QByteArrayLiteral("Request Timeout");
    case 409: return QByteArrayLiteral("Conflict");
    case 410: return QByteArrayLiteral("Gone");
    case 413: return QByteArrayLiteral("Content Too Large");
    case 414: return QByteArrayLiteral("URI Too Long");
    case 415: return QByteArrayLiteral("Unsupported Media Type");
    case 422: return QByteArrayLiteral("Unprocessable Content");
    case 429: return QByteArrayLiteral("Too Many Requests");
    case 431: return QByteArrayLiteral("Request Header Fields Too Large");
    case 500: return QByteArrayLiteral("Internal Server Error");
    case 501: return QByteArrayLiteral("Not Implemented");
    case 502: return QByteArrayLiteral("Bad Gateway");
    case 503: return QByteArrayLiteral("Service Unavailable");
    case 504: return QByteArrayLiteral("Gateway Timeout");
    case 505: return QByteArrayLiteral("HTTP Version Not Supported");
    default: return QByteArrayLiteral("Unknown");
    }
}

void appendDecimal(QByteArray &out, qint64 value)
{
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out.append(digits, end - digits);
}

QByteArray serializeResponse(int status, const HeaderList &headers, QByteArrayView body, bool closing)
{
    QByteArray out;
    out.reserve(128 + body.size() + headers.size() * 32);
    out += "HTTP/1.1 ";
    appendDecimal(out, status);
    out += ' ';
    out += reasonPhrase(status);
    out += "\r\n";
    for (const HeaderField &field : headers) {
        out += field.name;
        out += ": ";
        out += field.value;
        out += "\r\n";
    }
    // 1xx, 204 and 304 carry no body and no Content-Length (RFC 9110 section 8.6).
    const bool bodyless = status < 200 || status == 204 || status == 304;
    if (!bodyless && !contains(headers, "Content-Length")) {
        out += "Content-Length: ";
        appendDecimal(out, body.size());
        out += "\r\n";
    }
    if (closing && !hasToken(headers, "Connection", "close"))
        out += "Connection: close\r\n";
    out += "\r\n";
    if (!bodyless)
        out += body;
    return out;
}

QByteArray errorResponse(int status, QByteArrayView reason)
{
    QByteArray body = reason.toByteArray();
    body += '\n';
    return serializeResponse(status, {{"Content-Type", "text/plain; charset=utf-8"}}, body, true);
}

} // namespace http
