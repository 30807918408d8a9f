#pragma once

#include "headers.h"

namespace http {

// A parsed HTTP/1.x request. Everything is as received except the body, which
// is the decoded payload (chunk framing removed); chunked trailers are kept apart.
struct Request
{
    QByteArray method;
    QByteArray target;        // the raw request-target
    int versionMinor = 1;     // HTTP/1.<versionMinor>
    HeaderList headers;
    QByteArray body;
    HeaderList trailers;      // only for chunked bodies
    bool chunked = false;
    bool keepAlive = true;    // after this request, may the connection carry another?

    QByteArray version() const { return versionMinor == 0 ? QByteArrayLiteral("HTTP/1.0") : QByteArrayLiteral("HTTP/1.1"); }
};

} // namespace http
