#include "bodycoding.h"

#include <zlib.h>

#include <algorithm>

namespace formats {

namespace {

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

enum class Wrapper { Gzip, Zlib, Raw };

// Inflates data; false with *error on damaged data or a result above maxBytes.
bool inflate(QByteArrayView data, Wrapper wrapper, qsizetype maxBytes, QByteArray *out, QString *error)
{
    z_stream stream{};
    const int windowBits = wrapper == Wrapper::Gzip ? 15 + 16 : wrapper == Wrapper::Zlib ? 15 : -15;
    if (inflateInit2(&stream, windowBits) != Z_OK) {
        *error = QStringLiteral("zlib could not start");
        return false;
    }
    out->clear();
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    stream.avail_in = uInt(data.size());
    QByteArray chunk(std::clamp<qsizetype>(data.size() * 4, 16 * 1024, 1024 * 1024), Qt::Uninitialized);
    const auto stop = [&](const QString &why) {
        *error = why;
        inflateEnd(&stream);
        return false;
    };
    for (;;) {
        stream.next_out = reinterpret_cast<Bytef *>(chunk.data());
        stream.avail_out = uInt(chunk.size());
        const int status = ::inflate(&stream, Z_NO_FLUSH);
        const qsizetype produced = chunk.size() - qsizetype(stream.avail_out);
        if (out->size() + produced > maxBytes)
            return stop(QStringLiteral("larger than %1 MiB decoded").arg(maxBytes / (1024 * 1024)));
        out->append(chunk.constData(), produced);
        if (status == Z_STREAM_END)
            break;
        if (status == Z_BUF_ERROR || (status == Z_OK && stream.avail_in == 0 && produced < chunk.size()))
            return stop(QStringLiteral("the data ends early"));
        if (status != Z_OK)
            return stop(QString::fromLatin1(stream.msg ? stream.msg : "damaged data"));
    }
    inflateEnd(&stream);
    return true;
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
    QByteArray current = body;
    for (auto it = codings.crbegin(); it != codings.crend(); ++it) {
        const QByteArray &coding = *it;
        QByteArray decoded;
        QString error;
        bool ok = false;
        if (coding == "gzip" || coding == "x-gzip") {
            ok = inflate(current, Wrapper::Gzip, maxBytes, &decoded, &error);
        } else if (coding == "deflate") {
            // RFC 9110 says zlib-wrapped; some senders send the raw stream.
            ok = inflate(current, Wrapper::Zlib, maxBytes, &decoded, &error);
            if (!ok && !error.startsWith(u"larger")) {
                QString rawError;
                ok = inflate(current, Wrapper::Raw, maxBytes, &decoded, &rawError);
            }
        } else {
            error = QStringLiteral("hookscope does not decode this coding");
        }
        if (!ok) {
            result.ok = false;
            result.error = QStringLiteral("%1: %2").arg(QString::fromLatin1(coding), error);
            return result;
        }
        current = std::move(decoded);
    }
    result.bytes = std::move(current);
    return result;
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
