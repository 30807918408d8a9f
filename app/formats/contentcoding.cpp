#include "contentcoding.h"


#include <QList>

#include <brotli/decode.h>
#include <zlib.h>

namespace formats {

namespace {

QString tooBig(qint64 maxSize)
{
    return QStringLiteral("decoded body is larger than %1 bytes").arg(maxSize);
}

// windowBits as zlib takes them: 15 + 16 gzip, 15 zlib, -15 raw deflate.
Decoded inflateWith(QByteArrayView in, int windowBits, qint64 maxSize)
{
    z_stream z{};
    if (inflateInit2(&z, windowBits) != Z_OK)
        return {{}, QStringLiteral("cannot start the decoder")};
    Decoded out;
    char buffer[64 * 1024];
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
    z.avail_in = uInt(in.size());
    int rc = Z_OK;
    while (true) {
        z.next_out = reinterpret_cast<Bytef *>(buffer);
        z.avail_out = sizeof buffer;
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc == Z_BUF_ERROR && z.avail_in == 0) {
            out.error = QStringLiteral("the data ends early");
            break;
        }
        if (rc != Z_OK && rc != Z_STREAM_END) {
            out.error = z.msg ? QString::fromLatin1(z.msg) : QStringLiteral("corrupt data (zlib error %1)").arg(rc);
            break;
        }
        const qsizetype produced = qsizetype(sizeof buffer - z.avail_out);
        if (out.bytes.size() + produced > maxSize) {
            out.error = tooBig(maxSize);
            break;
        }
        out.bytes.append(buffer, produced);
        if (rc == Z_STREAM_END) {
            // gzip allows several members one after another.
            if (windowBits > 15 && z.avail_in > 0 && inflateReset(&z) == Z_OK)
                continue;
            break;
        }
        if (z.avail_in == 0 && produced == 0) {
            out.error = QStringLiteral("the data ends early");
            break;
        }
    }
    inflateEnd(&z);
    if (out.ok() && z.avail_in > 0)
        out.error = QStringLiteral("%1 bytes follow the end of the compressed data").arg(z.avail_in);
    if (!out.ok())
        out.bytes.clear();
    return out;
}

Decoded brotli(QByteArrayView in, qint64 maxSize)
{
    BrotliDecoderState *state = BrotliDecoderCreateInstance(nullptr, nullptr, nullptr);
    if (!state)
        return {{}, QStringLiteral("cannot start the decoder")};
    Decoded out;
    size_t availableIn = size_t(in.size());
    auto nextIn = reinterpret_cast<const uint8_t *>(in.data());
    uint8_t buffer[64 * 1024];
    while (true) {
        size_t availableOut = sizeof buffer;
        uint8_t *nextOut = buffer;
        const BrotliDecoderResult rc = BrotliDecoderDecompressStream(state, &availableIn, &nextIn, &availableOut, &nextOut, nullptr);
        const qsizetype produced = qsizetype(sizeof buffer - availableOut);
        if (out.bytes.size() + produced > maxSize) {
            out.error = tooBig(maxSize);
            break;
        }
        out.bytes.append(reinterpret_cast<const char *>(buffer), produced);
        if (rc == BROTLI_DECODER_RESULT_SUCCESS) {
            if (availableIn > 0)
                out.error = QStringLiteral("%1 bytes follow the end of the compressed data").arg(availableIn);
            break;
        }
        if (rc == BROTLI_DECODER_RESULT_ERROR) {
            out.error = QString::fromLatin1(BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state)));
            break;
        }
        if (rc == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT) {
            out.error = QStringLiteral("the data ends early");
            break;
        }
    }
    BrotliDecoderDestroyInstance(state);
    if (!out.ok())
        out.bytes.clear();
    return out;
}

QByteArray token(QByteArrayView coding)
{
    return coding.trimmed().toByteArray().toLower();
}

} // namespace

bool canDecode(QByteArrayView coding)
{
    const QByteArray name = token(coding);
    return name == "gzip" || name == "x-gzip" || name == "deflate" || name == "br" || name == "identity";
}

Decoded decode(QByteArrayView bytes, QByteArrayView coding, qint64 maxSize)
{
    const QByteArray name = token(coding);
    if (name == "identity") {
        if (bytes.size() > maxSize)
            return {{}, tooBig(maxSize)};
        return {bytes.toByteArray(), {}};
    }
    if (name == "gzip" || name == "x-gzip")
        return inflateWith(bytes, 15 + 16, maxSize);
    if (name == "deflate") {
        Decoded zlibbed = inflateWith(bytes, 15, maxSize);
        if (zlibbed.ok() || zlibbed.error == tooBig(maxSize))
            return zlibbed;
        Decoded raw = inflateWith(bytes, -15, maxSize);
        return raw.ok() ? raw : zlibbed;
    }
    if (name == "br")
        return brotli(bytes, maxSize);
    return {{}, QStringLiteral("unknown coding \"%1\"").arg(QString::fromLatin1(name))};
}

Decoded decodeAll(QByteArrayView bytes, QByteArrayView codings, qint64 maxSize)
{
    QList<QByteArray> names = codings.toByteArray().split(',');
    Decoded result{bytes.toByteArray(), {}};
    for (auto it = names.crbegin(); it != names.crend() && result.ok(); ++it) {
        if (it->trimmed().isEmpty())
            continue;
        result = decode(result.bytes, *it, maxSize);
    }
    return result;
}

} // namespace formats
