#include "curl.h"

#include "har.h"
#include "jsonl.h"

#include <algorithm>

namespace formats {

namespace {

// Linux refuses a single argument over 128 KiB; stay well below it.
constexpr qsizetype MaxInlineBody = 64 * 1024;

QByteArray quoted(QByteArrayView word)
{
    QByteArray result;
    result.reserve(word.size() + 2);
    result += '\'';
    for (const char c : word) {
        if (c == '\'')
            result += "'\\''";
        else
            result += c;
    }
    result += '\'';
    return result;
}

bool isInlineText(const QByteArray &body)
{
    if (body.size() > MaxInlineBody)
        return false;
    for (const char c : body) {
        const auto byte = uchar(c);
        if ((byte < 0x20 && c != '\t' && c != '\n') || byte == 0x7f)
            return false;
    }
    return body.isValidUtf8();
}

// Our strings hold bytes as Latin-1; a URL typed by a user may hold more.
QByteArray urlBytes(const QString &url)
{
    const bool latin1 = std::all_of(url.cbegin(), url.cend(), [](QChar c) { return c.unicode() <= 0xff; });
    return latin1 ? url.toLatin1() : url.toUtf8();
}

// A printf format that prints exactly `bytes` in dash and bash: every byte outside
// plain printable ASCII as a three-digit octal escape.
QByteArray printfFormat(const QByteArray &bytes)
{
    QByteArray format;
    format.reserve(bytes.size() * 2 + 2);
    format += '\'';
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes.at(i);
        const auto byte = uchar(c);
        if (c == '%') {
            format += "%%";
        } else if (c == '\\') {
            format += "\\\\";
        } else if (c == '\n') {
            format += "\\n";
        } else if (c == '\t') {
            format += "\\t";
        } else if (c == '\r') {
            format += "\\r";
        } else if (byte < 0x20 || byte >= 0x7f || c == '\'' || (i == 0 && c == '-')) {
            // A leading '-' would read as an option to printf.
            format += '\\';
            format += char('0' + ((byte >> 6) & 7));
            format += char('0' + ((byte >> 3) & 7));
            format += char('0' + (byte & 7));
        } else {
            format += c;
        }
    }
    format += '\'';
    return format;
}

QByteArray printable(QByteArrayView bytes)
{
    QByteArray text = bytes.toByteArray();
    for (char &c : text) {
        if (uchar(c) < 0x20 || uchar(c) == 0x7f)
            c = '?';
    }
    return text;
}

} // namespace

QByteArray shellQuote(QByteArrayView word)
{
    static constexpr QByteArrayView safe = "@%+=:,./_-";
    const bool plain = !word.isEmpty() && std::all_of(word.begin(), word.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || safe.contains(c);
    });
    return plain ? word.toByteArray() : quoted(word);
}

QString curlUrl(const Hook &hook, const QString &baseUrl)
{
    if (baseUrl.isEmpty())
        return hookUrl(hook);
    QString base = baseUrl;
    while (base.endsWith(u'/'))
        base.chop(1);
    QByteArray target = hook.target;
    const qsizetype scheme = target.indexOf("://");
    if (scheme > 0) {
        // Absolute-form: keep the path and query.
        const qsizetype path = target.indexOf('/', scheme + 3);
        target = path < 0 ? QByteArrayLiteral("/") : target.mid(path);
    }
    if (!target.startsWith('/'))
        target = QByteArrayLiteral("/");
    return base + QString::fromLatin1(target);
}

QByteArray curlCommand(const Hook &hook, const QString &url)
{
    const http::HeaderList &headers = hook.headers;
    const bool sendBody = !hook.body.isEmpty() || http::contains(headers, "Content-Length") || hook.chunked;
    const bool inlineBody = isInlineText(hook.body);

    QByteArrayList args;
    if (sendBody && !inlineBody)
        args << QByteArrayLiteral("printf") << printfFormat(hook.body) << QByteArrayLiteral("|");
    args << QByteArrayLiteral("curl") << QByteArrayLiteral("-sS")
         << (hook.version == "HTTP/1.0" ? QByteArrayLiteral("--http1.0") : QByteArrayLiteral("--http1.1"))
         << QByteArrayLiteral("-g") << QByteArrayLiteral("--path-as-is");

    if (hook.method == "HEAD" && !sendBody)
        args << QByteArrayLiteral("-I");
    else if (!(hook.method == "GET" && !sendBody) && !(hook.method == "POST" && sendBody))
        args << QByteArrayLiteral("-X") << shellQuote(hook.method);
    if (!hook.target.startsWith('/') && hook.target.indexOf("://") < 0)
        args << QByteArrayLiteral("--request-target") << quoted(hook.target);   // OPTIONS * and the like

    for (const http::HeaderField &field : headers) {
        if (http::nameEquals(field.name, "Host") || http::nameEquals(field.name, "Content-Length"))
            continue;
        if (http::nameEquals(field.name, "Transfer-Encoding") && !hook.chunked)
            continue;
        // curl drops a header given as "Name:"; "Name;" sends it with an empty value.
        args << QByteArrayLiteral("-H") << quoted(field.value.isEmpty() ? QByteArray(field.name + ';') : QByteArray(field.name + ": " + field.value));
    }
    const auto suppress = [&](QByteArrayView name) {
        if (!http::contains(headers, name))
            args << QByteArrayLiteral("-H") << quoted(QByteArray(name.toByteArray() + ':'));
    };
    suppress("Accept");
    suppress("User-Agent");
    if (sendBody) {
        suppress("Content-Type");
        suppress("Expect");
        if (inlineBody)
            args << QByteArrayLiteral("--data-raw") << quoted(hook.body);
        else
            args << QByteArrayLiteral("--data-binary") << QByteArrayLiteral("@-");
    }
    args << quoted(urlBytes(url.isEmpty() ? curlUrl(hook) : url));
    return args.join(' ') + '\n';
}

QByteArray curlScript(const QList<Hook> &hooks, const QString &baseUrl)
{
    QByteArray script = QByteArrayLiteral("#!/bin/sh\n");
    for (const Hook &hook : hooks) {
        script += "\n# hook " + QByteArray::number(hook.id) + ": " + printable(hook.method) + ' ' + printable(hook.target)
            + ", received " + isoTimestamp(hook.receivedUs).toLatin1() + '\n';
        script += curlCommand(hook, curlUrl(hook, baseUrl));
    }
    return script;
}

} // namespace formats
