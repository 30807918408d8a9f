#include "bodyrendering.h"

#include <QStringDecoder>

namespace ui {

namespace {

bool looksLikeJson(const QByteArray &body, QByteArrayView contentType)
{
    if (contentType.toByteArray().toLower().contains("json"))
        return true;
    for (const char c : body) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        return c == '{' || c == '[';
    }
    return false;
}

// Text when it decodes as UTF-8 and has no control characters besides layout ones.
std::optional<QString> asText(QByteArrayView bytes)
{
    for (const char c : bytes) {
        const auto u = uchar(c);
        if ((u < 0x20 && u != '\t' && u != '\n' && u != '\r') || u == 0x7f)
            return std::nullopt;
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return std::nullopt;
    return text;
}

} // namespace

QString hexDump(QByteArrayView bytes)
{
    static constexpr char digits[] = "0123456789abcdef";
    QString out;
    out.reserve((bytes.size() / 16 + 1) * 78);
    for (qsizetype line = 0; line < bytes.size(); line += 16) {
        out += QStringLiteral("%1  ").arg(line, 8, 16, QLatin1Char('0'));
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
    BodyRendering r;
    r.size = body.size();
    r.hexTruncated = body.size() > BodyRendering::HexLimit;
    r.hex = hexDump(QByteArrayView(body).first(std::min<qsizetype>(body.size(), BodyRendering::HexLimit)));
    if (body.isEmpty())
        return r;

    const std::optional<QString> text = asText(body);
    if (text) {
        r.kind = BodyRendering::Kind::Text;
        r.textTruncated = text->size() > BodyRendering::TextLimit;
        r.text = r.textTruncated ? text->left(BodyRendering::TextLimit) : *text;
    } else {
        r.kind = BodyRendering::Kind::Binary;
    }

    if (looksLikeJson(body, contentType)) {
        QString error;
        if (auto json = catalog::OrderedJson::parse(body, &error)) {
            r.kind = BodyRendering::Kind::Json;
            r.pretty = QString::fromUtf8(json->toJson(2));
            if (r.pretty.size() > BodyRendering::TextLimit) {
                r.pretty.truncate(BodyRendering::TextLimit);
                r.textTruncated = true;
            }
            r.json = std::make_shared<const catalog::OrderedJson>(std::move(*json));
        } else {
            r.jsonError = error;
        }
    }
    return r;
}

} // namespace ui
