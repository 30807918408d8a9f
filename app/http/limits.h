#pragma once

#include <QtGlobal>

namespace http {

// What one request may cost us before it is refused. The defaults follow what
// well-kept servers answer with; the body limit is user-configurable.
struct Limits
{
    qsizetype maxRequestLine = 8 * 1024;    // 414 beyond
    qsizetype maxHeaderBytes = 32 * 1024;   // 431 beyond (the whole field block)
    qsizetype maxHeaderFields = 100;        // 431 beyond
    qint64 maxBody = 32ll * 1024 * 1024;    // 413 beyond (Content-Length or chunked total)
};

} // namespace http
