#include "formdata.h"

namespace http {

namespace {

bool isHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Decodes '+' and %XX; returns false when an escape is malformed (kept as written).
bool percentDecode(QByteArrayView in, QByteArray *out)
{
    bool ok = true;
    out->reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '%' && i + 2 < in.size() && isHexDigit(in[i + 1]) && isHexDigit(in[i + 2])) {
            out->append(QByteArray::fromHex(in.sliced(i + 1, 2).toByteArray()));
            i += 2;
        } else {
            ok = ok && c != '%';
            out->append(c == '+' ? ' ' : c);
        }
    }
    return ok;
}

} // namespace

QByteArray mediaType(QByteArrayView contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.first(semicolon)).trimmed().toByteArray().toLower();
}

bool isUrlEncoded(QByteArrayView contentType)
{
    return mediaType(contentType) == "application/x-www-form-urlencoded";
}

bool isMultipart(QByteArrayView contentType)
{
    return mediaType(contentType) == "multipart/form-data";
}

QByteArray headerParameter(QByteArrayView value, QByteArrayView name)
{
    qsizetype i = value.indexOf(';');
    while (i >= 0 && i < value.size()) {
        ++i;
        while (i < value.size() && (value[i] == ' ' || value[i] == '\t'))
            ++i;
        const qsizetype equals = value.indexOf('=', i);
        if (equals < 0)
            return {};
        const QByteArrayView key = value.sliced(i, equals - i).trimmed();
        i = equals + 1;
        QByteArray parsed;
        if (i < value.size() && value[i] == '"') {
            for (++i; i < value.size() && value[i] != '"'; ++i) {
                if (value[i] == '\\' && i + 1 < value.size())
                    ++i;
                parsed.append(value[i]);
            }
            i = value.indexOf(';', i);
        } else {
            const qsizetype end = value.indexOf(';', i);
            parsed = value.sliced(i, (end < 0 ? value.size() : end) - i).trimmed().toByteArray();
            i = end;
        }
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return parsed.isNull() ? QByteArray("") : parsed;
    }
    return {};
}

FormData parseUrlEncoded(QByteArrayView body)
{
    FormData form;
    QStringList bad;
    const QByteArray bytes = QByteArray::fromRawData(body.data(), body.size());
    for (const QByteArray &pair : bytes.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype equals = pair.indexOf('=');
        FormField field;
        QByteArray name;
        const bool nameOk = percentDecode(equals < 0 ? QByteArrayView(pair) : QByteArrayView(pair).first(equals), &name);
        const bool valueOk = equals < 0 || percentDecode(QByteArrayView(pair).sliced(equals + 1), &field.data);
        field.name = QString::fromUtf8(name);
        if (!nameOk || !valueOk)
            bad.append(field.name);
        form.fields.append(field);
    }
    if (!bad.isEmpty())
        form.error = QStringLiteral("malformed %-escape in %1").arg(bad.join(QStringLiteral(", ")));
    return form;
}

FormData parseMultipart(QByteArrayView body, QByteArrayView contentType)
{
    FormData form;
    const QByteArray boundary = headerParameter(contentType, "boundary");
    if (boundary.isEmpty()) {
        form.error = QStringLiteral("the Content-Type names no boundary");
        return form;
    }
    if (boundary.size() > 70) {
        form.error = QStringLiteral("the boundary is longer than 70 characters");
        return form;
    }
    const QByteArray delimiter = "--" + boundary;
    const QByteArray separator = "\r\n" + delimiter;
    qsizetype pos = body.startsWith(delimiter) ? 0 : body.indexOf(separator);
    if (pos < 0) {
        form.error = QStringLiteral("the boundary \"%1\" does not occur in the body").arg(QString::fromLatin1(boundary));
        return form;
    }
    pos += pos == 0 ? delimiter.size() : delimiter.size() + 2;
    while (true) {
        if (body.sliced(pos).startsWith("--"))
            return form;   // the closing delimiter
        const qsizetype lineEnd = body.indexOf("\r\n", pos);
        if (lineEnd < 0) {
            form.error = QStringLiteral("part %1 ends before its headers").arg(form.fields.size() + 1);
            return form;
        }
        const qsizetype headersEnd = body.indexOf("\r\n\r\n", lineEnd);
        const qsizetype next = body.indexOf(separator, lineEnd);
        if (next < 0) {
            form.error = QStringLiteral("part %1 has no closing boundary").arg(form.fields.size() + 1);
            return form;
        }
        FormField field;
        qsizetype dataStart = lineEnd + 4;
        if (headersEnd < 0 || headersEnd > next) {
            form.error = QStringLiteral("part %1 has no blank line after its headers").arg(form.fields.size() + 1);
            return form;
        }
        if (headersEnd > lineEnd) {
            const QByteArray block = body.sliced(lineEnd + 2, headersEnd - lineEnd - 2).toByteArray();
            for (const QByteArray &line : block.split('\n')) {
                const QByteArrayView trimmed = line.endsWith('\r') ? QByteArrayView(line).chopped(1) : QByteArrayView(line);
                const qsizetype colon = trimmed.indexOf(':');
                if (colon <= 0)
                    continue;
                field.headers.append({trimmed.first(colon).toByteArray(), trimmed.sliced(colon + 1).trimmed().toByteArray()});
            }
            dataStart = headersEnd + 4;
        }
        const QByteArray disposition = http::valueOf(field.headers, "Content-Disposition");
        field.name = QString::fromUtf8(headerParameter(disposition, "name"));
        const QByteArray fileName = headerParameter(disposition, "filename");
        if (!fileName.isNull())
            field.fileName = QString::fromUtf8(fileName);
        field.contentType = http::valueOf(field.headers, "Content-Type");
        field.data = body.sliced(dataStart, std::max<qsizetype>(0, next - dataStart)).toByteArray();
        form.fields.append(field);
        pos = next + 2 + delimiter.size();
    }
}

FormData parseForm(QByteArrayView body, QByteArrayView contentType)
{
    if (isUrlEncoded(contentType))
        return parseUrlEncoded(body);
    if (isMultipart(contentType))
        return parseMultipart(body, contentType);
    return {};
}

} // namespace http
