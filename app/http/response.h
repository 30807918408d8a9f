#pragma once

#include "headers.h"

namespace http {

// The standard reason phrase for a status code ("Not Found"), or "Unknown".
QByteArray reasonPhrase(int status);

// Appends the decimal digits of a number, without an allocation of its own.
void appendDecimal(QByteArray &out, qint64 value);

// Serialises a complete HTTP/1.1 response. Content-Length is added unless the
// headers carry one; "Connection: close" is added when closing is true.
QByteArray serializeResponse(int status, const HeaderList &headers, QByteArrayView body, bool closing);

// A short error answer (text/plain, the reason as body) sent before closing.
QByteArray errorResponse(int status, QByteArrayView reason);

} // namespace http
