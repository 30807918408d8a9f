#include "bodyrendering.h"

#include "formats/bodycoding.h"
#include "prettyjson.h"
#include "xmlbody.h"

#include <QStringDecoder>

#include <algorithm>
#include <cstring>

#include <optional>

namespace ui {

namespace {

QByteArrayView firstNonSpace(const QByteArray &body, qsizetype length)
{
    qsizetype i = 0;
    while (i < body.size() && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n'))
        ++i;
    return QByteArrayView(body).sliced(i, std::min(length, body.size() - i));
}

bool looksLikeJson(const QByteArray &body, const QByteArray &type)
{
    if (type.contains("json"))
        return true;
    const QByteArrayView start = firstNonSpace(body, 1);
    return start == "{" || start == "[";
}

bool looksLikeXml(const QByteArray &body, const QByteArray &type)
{
    if (type.endsWith("/xml") || type.endsWith("+xml"))
        return true;
    return firstNonSpace(body, 5) == "<?xml";
}

bool hasControlCharacters(QStringView text)
{
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if ((u < 0x20 && u != '\t' && u != '\n' && u != '\r') || u == 0x7f)
            return true;
    }
    return false;
}

bool isControlByte(uchar u)
{
    return (u < 0x20 && u != '\t' && u != '\n' && u != '\r') || u == 0x7f;
}

// The same for UTF-8 bytes, without decoding them: its control characters are
// single bytes. Eight bytes at a time: a word with no byte below 0x20 and none
// 0x7f has none (the test may flag a word that has none; its bytes are looked at then).
bool hasControlBytes(QByteArrayView bytes)
{
    constexpr quint64 ones = 0x0101010101010101ULL;
    constexpr quint64 highs = 0x8080808080808080ULL;
    const auto *p = reinterpret_cast<const uchar *>(bytes.data());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    for (; i + 8 <= n; i += 8) {
        quint64 word;
        std::memcpy(&word, p + i, sizeof word);
        const quint64 del = word ^ (ones * 0x7f);
        if ((((word - ones * 0x20) & ~word) | ((del - ones) & ~del)) & highs) {
            if (std::any_of(p + i, p + i + 8, isControlByte))
                return true;
        }
    }
    return std::any_of(p + i, p + n, isControlByte);
}

// A decoder for the declared charset (UTF-8 when none is); invalid when Qt does not know it.
QStringDecoder decoderFor(const QByteArray &charset, QStringDecoder::Flags flags = QStringDecoder::Flag::Default)
{
    if (charset.isEmpty())
        return QStringDecoder(QStringConverter::Utf8, flags);
    // US-ASCII is read as Latin-1, as browsers do.
    if (charset == "us-ascii" || charset == "ascii")
        return QStringDecoder(QStringConverter::Latin1, flags);
    return QStringDecoder(charset.constData(), flags);
}

// The bytes as text; nullopt when they do not read as text.
std::optional<QString> asText(QByteArrayView bytes, QStringDecoder decoder, bool keep)
{
    QString text;
    // Slices keep a big body's check from holding its whole text when it is not kept.
    constexpr qsizetype Slice = 1024 * 1024;
    for (qsizetype at = 0; at < bytes.size(); at += Slice) {
        QString part = decoder.decode(bytes.sliced(at, std::min(Slice, bytes.size() - at)));
        if (decoder.hasError() || hasControlCharacters(part))
            return std::nullopt;
        if (keep)
            text += part;
    }
    if (decoder.hasError())
        return std::nullopt;
    return text;
}

// Where the lines of a big text start: at each line feed, and after BodyRendering::RawLineBytes
// without one (never inside a UTF-8 sequence).
QList<quint32> lineStarts(QByteArrayView bytes)
{
    QList<quint32> starts{0};
    qsizetype at = 0;
    while (at < bytes.size()) {
        const qsizetype limit = std::min(bytes.size(), at + BodyRendering::RawLineBytes);
        const qsizetype feed = QByteArrayView(bytes.data() + at, limit - at).indexOf('\n');
        qsizetype next = feed >= 0 ? at + feed + 1 : limit;
        if (feed < 0 && next < bytes.size()) {
            while (next > at + 1 && (uchar(bytes[next]) & 0xc0) == 0x80)
                --next;
        }
        if (next >= bytes.size())
            break;
        starts.append(quint32(next));
        at = next;
    }
    return starts;
}

} // namespace

QString BodyRendering::decode(QByteArrayView stretch) const
{
    QStringDecoder decoder = decoderFor(charset, QStringDecoder::Flag::Stateless);
    if (!decoder.isValid())
        decoder = QStringDecoder(QStringConverter::Utf8, QStringDecoder::Flag::Stateless);
    return decoder.decode(stretch);
}

QString hexDump(QByteArrayView bytes, qsizetype firstOffset)
{
    static constexpr char digits[] = "0123456789abcdef";
    QString out;
    out.reserve((bytes.size() / 16 + 1) * 78);
    for (qsizetype line = 0; line < bytes.size(); line += 16) {
        out += QStringLiteral("%1  ").arg(firstOffset + line, 8, 16, QLatin1Char('0'));
        QString ascii;
        for (qsizetype i = 0; i < 16; ++i) {
            if (i == 8)
                out += u' ';
            if (line + i < bytes.size()) {
                const auto u = uchar(bytes[line + i]);
                out += QLatin1Char(digits[u >> 4]);
                out += QLatin1Char(digits[u & 0xf]);
                out += u' ';
                ascii += u >= 0x20 && u < 0x7f ? QChar(char16_t(u)) : QChar(u'.');
            } else {
                out += QStringLiteral("   ");
            }
        }
        out += u" |" + ascii + u"|\n";
    }
    return out;
}

BodyRendering renderBody(const QByteArray &body, QByteArrayView contentType)
{
    http::HeaderList headers;
    if (!contentType.isEmpty())
        headers.append({"Content-Type", contentType.toByteArray()});
    return renderBody(body, headers);
}

BodyRendering renderBody(const QByteArray &body, const http::HeaderList &headers)
{
    // Content-Encoding, then the transfer codings the listener left on (gzip, chunked: gzip).
    return renderBody(body, formats::decodeBody(body, headers, BodyRendering::DecodeLimit), headers);
}

BodyRendering renderBody(const QByteArray &body, const formats::DecodedBody &decoded, const http::HeaderList &headers)
{
    BodyRendering r;
    r.size = body.size();
    r.bytes = body;
    if (body.isEmpty())
        return r;

    r.coding = decoded.codings.join(", ");
    if (decoded.ok)
        r.bytes = decoded.bytes;
    else
        r.codingError = decoded.error;
    const QByteArray contentType = http::valueOf(headers, "Content-Type");
    const QByteArray type = http::mediaType(contentType);
    r.charset = http::headerParameter(contentType, "charset").trimmed().toLower();
    QStringDecoder decoder = decoderFor(r.charset);
    if (!decoder.isValid()) {
        r.charsetError = QStringLiteral("the charset \"%1\" is not known here; shown as UTF-8").arg(QString::fromLatin1(r.charset));
        decoder = decoderFor({});
    }
    r.paged = r.bytes.size() > BodyRendering::PagedThreshold;
    if (!r.codingError.isEmpty()) {
        r.kind = BodyRendering::Kind::Binary;
        return r;
    }

    // A paged body's characters are not kept: in UTF-8 they are checked on the bytes, several times faster.
    const bool utf8 = r.charset.isEmpty() || r.charset == "utf-8" || r.charset == "utf8";
    const std::optional<QString> text = r.paged && utf8
        ? (QByteArrayView(r.bytes).isValidUtf8() && !hasControlBytes(r.bytes) ? std::optional<QString>(QString()) : std::nullopt)
        : asText(r.bytes, std::move(decoder), !r.paged);
    r.kind = text ? BodyRendering::Kind::Text : BodyRendering::Kind::Binary;
    if (text)
        r.text = *text;
    if (text && r.paged)
        r.lineStarts = lineStarts(r.bytes);

    if (http::isMultipart(contentType)) {
        r.form = http::parseMultipart(r.bytes, contentType);
        r.kind = BodyRendering::Kind::Multipart;
    } else if (text && http::isUrlEncoded(contentType)) {
        r.form = http::parseUrlEncoded(r.bytes);
        r.kind = BodyRendering::Kind::Form;
    } else if (text && looksLikeJson(r.bytes, type)) {
        if (r.paged) {
            r.kind = BodyRendering::Kind::Json;   // checked while the view reads it on
        } else {
            PrettyJson json(r.bytes);
            json.advance(r.bytes.size());
            if (json.failed()) {
                r.jsonError = jsonErrorText(r.bytes);
            } else {
                r.kind = BodyRendering::Kind::Json;
                r.pretty = json.text();
            }
        }
    } else if (text && looksLikeXml(r.bytes, type) && r.bytes.size() <= BodyRendering::XmlLimit) {
        r.pretty = prettyXml(r.bytes, &r.xmlError);
        if (r.xmlError.isEmpty())
            r.kind = BodyRendering::Kind::Xml;
        else
            r.pretty.clear();
    }
    return r;
}

} // namespace ui
