#include "bodycoding.h"
#include "contentcoding.h"

#include <zlib.h>

#include <algorithm>
#include <atomic>

namespace formats {

namespace {

std::atomic<quint64> decodedCount{0};

void appendCodings(const http::HeaderList &headers, QByteArrayView name, bool transfer, QByteArrayList *out)
{
    for (const http::HeaderField &field : headers) {
        if (!http::nameEquals(field.name, name))
            continue;
        for (const QByteArray &item : field.value.split(',')) {
            QByteArray coding = item.trimmed().toLower();
            const qsizetype semicolon = coding.indexOf(';');
            if (semicolon >= 0)
                coding = coding.first(semicolon).trimmed();
            if (coding.isEmpty() || coding == "identity" || (transfer && coding == "chunked"))
                continue;
            out->append(coding);
        }
    }
}

} // namespace

QByteArrayList bodyCodings(const http::HeaderList &headers)
{
    QByteArrayList codings;
    appendCodings(headers, "Content-Encoding", false, &codings);
    appendCodings(headers, "Transfer-Encoding", true, &codings);
    return codings;
}

DecodedBody decodeBody(const QByteArray &body, const QByteArrayList &codings, qsizetype maxBytes)
{
    DecodedBody result;
    result.codings = codings;
    result.bytes = body;
    if (codings.isEmpty() || body.isEmpty())
        return result;
    ++decodedCount;
    QByteArray current = body;
    for (auto it = codings.crbegin(); it != codings.crend(); ++it) {
        const QByteArray &coding = *it;
        Decoded decoded = decode(current, coding, maxBytes);
        if (!decoded.ok()) {
            result.ok = false;
            result.error = QStringLiteral("%1: %2").arg(QString::fromLatin1(coding), decoded.error);
            return result;
        }
        current = std::move(decoded.bytes);
    }
    result.bytes = std::move(current);
    return result;
}

quint64 bodiesDecoded()
{
    return decodedCount;
}

QByteArray meantBody(const QByteArray &body, const http::HeaderList &headers)
{
    const QByteArrayList codings = bodyCodings(headers);
    if (codings.isEmpty())
        return body;
    DecodedBody decoded = decodeBody(body, codings);
    return decoded.ok ? std::move(decoded.bytes) : body;
}

QByteArray encodeBody(QByteArrayView bytes, QByteArrayView coding)
{
    z_stream stream{};
    const int windowBits = coding == "gzip" ? 15 + 16 : 15;
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out(qsizetype(deflateBound(&stream, uLong(bytes.size()))), Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data()));
    stream.avail_in = uInt(bytes.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    const int status = deflate(&stream, Z_FINISH);
    out.resize(qsizetype(stream.total_out));
    deflateEnd(&stream);
    return status == Z_STREAM_END ? out : QByteArray();
}

} // namespace formats
