#include "har.h"

#include "bodycoding.h"
#include "jsonl.h"
#include "catalog/orderedjson.h"
#include "http/response.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStringDecoder>
#include <QTimeZone>

#include <algorithm>
#include <optional>

namespace formats {

namespace {

QString latin1(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes);
}

// Our own strings hold bytes as Latin-1; another tool may have decoded UTF-8.
QByteArray bytesOf(const QString &text)
{
    const bool latin1 = std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() <= 0xff; });
    return latin1 ? text.toLatin1() : text.toUtf8();
}

QJsonArray headersToHar(const http::HeaderList &headers)
{
    QJsonArray array;
    for (const http::HeaderField &field : headers)
        array.append(QJsonObject{{QStringLiteral("name"), latin1(field.name)}, {QStringLiteral("value"), latin1(field.value)}});
    return array;
}

qint64 headersSize(const QByteArray &startLine, const http::HeaderList &headers)
{
    qint64 size = startLine.size() + 2;
    for (const http::HeaderField &field : headers)
        size += field.name.size() + 2 + field.value.size() + 2;
    return size + 2;
}

// The text of a body when it is valid UTF-8 that decodes and encodes back to the same bytes.
std::optional<QString> utf8Text(const QByteArray &body)
{
    // A byte order mark is part of the body: keep it as U+FEFF.
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
    QString text = decoder.decode(body);
    if (decoder.hasError() || text.toUtf8() != body)
        return std::nullopt;
    return text;
}

void putBody(const QByteArray &body, QJsonObject *object)
{
    if (const std::optional<QString> text = utf8Text(body)) {
        object->insert(QStringLiteral("text"), *text);
        return;
    }
    object->insert(QStringLiteral("text"), QString::fromLatin1(body.toBase64()));
    object->insert(QStringLiteral("encoding"), QStringLiteral("base64"));
}

QString mimeTypeOf(const http::HeaderList &headers)
{
    const QByteArray type = http::valueOf(headers, "Content-Type");
    return type.isNull() ? QStringLiteral("application/octet-stream") : latin1(type);
}

QJsonArray queryString(const QByteArray &target)
{
    QJsonArray array;
    const qsizetype question = target.indexOf('?');
    if (question < 0)
        return array;
    for (const QByteArray &pair : target.mid(question + 1).split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype equals = pair.indexOf('=');
        const QByteArray name = equals < 0 ? pair : pair.left(equals);
        const QByteArray value = equals < 0 ? QByteArray() : pair.mid(equals + 1);
        array.append(QJsonObject{{QStringLiteral("name"), QString::fromUtf8(QByteArray::fromPercentEncoding(name))},
                                 {QStringLiteral("value"), QString::fromUtf8(QByteArray::fromPercentEncoding(value))}});
    }
    return array;
}

QJsonValue stringOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QString startedDateTime(qint64 us)
{
    const qint64 ms = us >= 0 ? us / 1000 : -((-us + 999) / 1000);
    // Qt would write a UTC time zone as "+00:00"; HAR tools expect "Z".
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) + u'Z';
}

bool isAbsoluteForm(QByteArrayView target)
{
    const qsizetype scheme = target.indexOf("://");
    return scheme > 0 && target.first(scheme).indexOf('/') < 0;
}

// --- reading ---------------------------------------------------------------

struct Reader
{
    QString *error;

    bool fail(const QString &what)
    {
        *error = what;
        return false;
    }

    bool headers(const QJsonValue &value, const QString &member, http::HeaderList *headers)
    {
        if (value.isUndefined() || value.isNull())
            return true;
        if (!value.isArray())
            return fail(member + u" is not a list");
        for (const QJsonValue &item : value.toArray()) {
            const QJsonObject field = item.toObject();
            if (!field.value(QStringLiteral("name")).isString() || !field.value(QStringLiteral("value")).isString())
                return fail(member + u" holds an item without a string name and value");
            const QString name = field.value(QStringLiteral("name")).toString();
            if (name.startsWith(u':'))
                continue;   // HTTP/2 pseudo-headers have no HTTP/1.1 counterpart
            headers->append({bytesOf(name), bytesOf(field.value(QStringLiteral("value")).toString())});
        }
        return true;
    }

    bool body(const QJsonObject &object, const QString &member, QByteArray *body)
    {
        const QJsonValue text = object.value(QStringLiteral("text"));
        if (text.isString()) {
            if (object.value(QStringLiteral("encoding")).toString() == u"base64") {
                const auto decoded = QByteArray::fromBase64Encoding(text.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
                if (!decoded)
                    return fail(member + u".text is not valid base64");
                *body = *decoded;
            } else {
                *body = text.toString().toUtf8();
            }
            return true;
        }
        // A form post that some tools give as params only.
        const QJsonArray params = object.value(QStringLiteral("params")).toArray();
        QByteArrayList pairs;
        for (const QJsonValue &param : params) {
            const QJsonObject p = param.toObject();
            pairs.append(p.value(QStringLiteral("name")).toString().toUtf8().toPercentEncoding() + '='
                         + p.value(QStringLiteral("value")).toString().toUtf8().toPercentEncoding());
        }
        *body = pairs.join('&');
        return true;
    }
};

QByteArray normalizedVersion(const QString &text)
{
    const QString upper = text.trimmed().toUpper();
    if (upper.isEmpty() || upper == u"UNKNOWN")
        return QByteArrayLiteral("HTTP/1.1");
    if (upper == u"H2" || upper == u"H3")
        return QByteArrayLiteral("HTTP/") + upper.sliced(1).toLatin1();
    return upper.toLatin1();
}

// The authority and the request-target of an absolute URL, target bytes kept
// within what a request-target may hold.
void splitUrl(const QString &url, QString *authority, QByteArray *target)
{
    QString rest = url;
    const qsizetype scheme = url.indexOf(u"://");
    if (scheme > 0) {
        const qsizetype start = scheme + 3;
        qsizetype end = start;
        while (end < url.size() && url.at(end) != u'/' && url.at(end) != u'?' && url.at(end) != u'#')
            ++end;
        *authority = url.mid(start, end - start);
        const qsizetype at = authority->lastIndexOf(u'@');
        if (at >= 0)
            *authority = authority->mid(at + 1);
        rest = url.mid(end);
    }
    const qsizetype hash = rest.indexOf(u'#');
    if (hash >= 0)
        rest.truncate(hash);
    if (rest.isEmpty() || rest.startsWith(u'?'))
        rest.prepend(u'/');
    target->clear();
    for (const char c : rest.toUtf8()) {
        const auto byte = uchar(c);
        if (byte > 0x20 && byte < 0x7f) {
            target->append(c);
        } else {
            static const char hex[] = "0123456789ABCDEF";
            target->append('%').append(hex[byte >> 4]).append(hex[byte & 0xf]);
        }
    }
}

bool parsePeer(const QString &peer, Hook *hook)
{
    const qsizetype colon = peer.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    bool ok = false;
    const uint port = peer.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535)
        return false;
    QString address = peer.left(colon);
    if (address.startsWith(u'[') && address.endsWith(u']'))
        address = address.mid(1, address.size() - 2);
    hook->peerAddress = address;
    hook->peerPort = quint16(port);
    return true;
}

} // namespace

QString hookUrl(const Hook &hook)
{
    const QString target = latin1(hook.target);
    if (isAbsoluteForm(hook.target))
        return target;
    const QByteArray host = http::valueOf(hook.headers, "Host");
    const QString authority = host.isEmpty() ? hook.peer() : latin1(host);
    // Asterisk-form and authority-form have no URL of their own.
    return u"http://" + authority + (hook.target.startsWith('/') ? target : QStringLiteral("/"));
}

QJsonObject hookToHarEntry(const Hook &hook)
{
    QJsonObject request{
        {QStringLiteral("method"), latin1(hook.method)},
        {QStringLiteral("url"), hookUrl(hook)},
        {QStringLiteral("httpVersion"), latin1(hook.version)},
        {QStringLiteral("cookies"), QJsonArray()},
        {QStringLiteral("headers"), headersToHar(hook.headers)},
        {QStringLiteral("queryString"), queryString(hook.target)},
        {QStringLiteral("headersSize"), headersSize(hook.method + ' ' + hook.target + ' ' + hook.version, hook.headers)},
        {QStringLiteral("bodySize"), hook.body.size()},
    };
    if (!hook.body.isEmpty()) {
        QJsonObject postData{{QStringLiteral("mimeType"), mimeTypeOf(hook.headers)}};
        putBody(hook.body, &postData);
        request.insert(QStringLiteral("postData"), postData);
    }

    const Answer &answer = hook.answer;
    QJsonObject content{
        {QStringLiteral("size"), answer.body.size()},
        {QStringLiteral("mimeType"), mimeTypeOf(answer.headers)},
    };
    putBody(answer.body, &content);
    const QByteArray statusText = http::reasonPhrase(answer.status);
    const QJsonObject response{
        {QStringLiteral("status"), answer.status},
        {QStringLiteral("statusText"), latin1(statusText)},
        {QStringLiteral("httpVersion"), QStringLiteral("HTTP/1.1")},
        {QStringLiteral("cookies"), QJsonArray()},
        {QStringLiteral("headers"), headersToHar(answer.headers)},
        {QStringLiteral("content"), content},
        {QStringLiteral("redirectURL"), QString()},
        {QStringLiteral("headersSize"),
         headersSize("HTTP/1.1 " + QByteArray::number(answer.status) + ' ' + statusText, answer.headers)},
        {QStringLiteral("bodySize"), answer.body.size()},
    };

    const catalog::Inspection &inspection = hook.inspection;
    QJsonObject own{
        {QStringLiteral("id"), hook.id},
        {QStringLiteral("peer"), hook.peer()},
        {QStringLiteral("received_us"), hook.receivedUs},
        {QStringLiteral("target"), latin1(hook.target)},
        {QStringLiteral("provider"), stringOrNull(inspection.provider)},
        {QStringLiteral("event"), stringOrNull(inspection.event)},
        {QStringLiteral("action"), stringOrNull(inspection.action)},
        {QStringLiteral("action_sent"), inspection.sentAction},
        {QStringLiteral("secret"), catalog::verdictName(inspection.secret)},
        {QStringLiteral("signature"), catalog::verdictName(inspection.signature)},
        {QStringLiteral("problems"), QJsonArray::fromStringList(inspection.problems)},
        {QStringLiteral("chunked"), hook.chunked},
        {QStringLiteral("trailers"), headersToHar(hook.trailers)},
    };
    // The request's postData then holds the first bytes that arrived, raw.
    if (hook.refused()) {
        own.insert(QStringLiteral("refused"), true);
        own.insert(QStringLiteral("reason"), hook.refusal);
    }

    return QJsonObject{
        {QStringLiteral("startedDateTime"), startedDateTime(hook.receivedUs)},
        {QStringLiteral("time"), 0},
        {QStringLiteral("request"), request},
        {QStringLiteral("response"), response},
        {QStringLiteral("cache"), QJsonObject()},
        {QStringLiteral("timings"), QJsonObject{{QStringLiteral("send"), 0}, {QStringLiteral("wait"), 0}, {QStringLiteral("receive"), 0}}},
        {QStringLiteral("_hookscope"), own},
    };
}

QJsonObject hooksToHarObject(const QList<Hook> &hooks)
{
    QJsonArray entries;
    for (const Hook &hook : hooks)
        entries.append(hookToHarEntry(hook));
    const QString version = QCoreApplication::applicationVersion();
    const QJsonObject log{
        {QStringLiteral("version"), QStringLiteral("1.2")},
        {QStringLiteral("creator"), QJsonObject{{QStringLiteral("name"), QStringLiteral("hookscope")},
                                                {QStringLiteral("version"), version.isEmpty() ? QStringLiteral(HOOKSCOPE_VERSION) : version}}},
        {QStringLiteral("pages"), QJsonArray()},
        {QStringLiteral("entries"), entries},
    };
    return QJsonObject{{QStringLiteral("log"), log}};
}

QByteArray hooksToHar(const QList<Hook> &hooks)
{
    return QJsonDocument(hooksToHarObject(hooks)).toJson(QJsonDocument::Indented);
}

bool hookFromHarEntry(const QJsonObject &entry, const catalog::Catalog &catalog, Hook *hook, QString *error)
{
    Reader read{error};
    Hook h;
    const QJsonObject request = entry.value(QStringLiteral("request")).toObject();
    if (request.isEmpty())
        return read.fail(QStringLiteral("request is missing"));
    if (!request.value(QStringLiteral("method")).isString() || request.value(QStringLiteral("method")).toString().isEmpty())
        return read.fail(QStringLiteral("request.method is missing"));
    if (!request.value(QStringLiteral("url")).isString())
        return read.fail(QStringLiteral("request.url is missing"));
    const bool ours = entry.value(QStringLiteral("_hookscope")).isObject();
    const QJsonObject own = entry.value(QStringLiteral("_hookscope")).toObject();

    const QJsonValue receivedUs = own.value(QStringLiteral("received_us"));
    if (receivedUs.isDouble()) {
        h.receivedUs = receivedUs.toInteger();
    } else if (!parseIsoTimestamp(entry.value(QStringLiteral("startedDateTime")).toString(), &h.receivedUs)) {
        return read.fail(QStringLiteral("startedDateTime is missing or not an ISO 8601 time"));
    }
    if (!parsePeer(own.value(QStringLiteral("peer")).toString(), &h)) {
        h.peerAddress = QStringLiteral("0.0.0.0");
        h.peerPort = 0;
    }

    h.method = request.value(QStringLiteral("method")).toString().toLatin1();
    h.version = normalizedVersion(request.value(QStringLiteral("httpVersion")).toString());
    QString authority;
    const QString url = request.value(QStringLiteral("url")).toString();
    splitUrl(url, &authority, &h.target);
    // What came over TLS keeps its URL whole (absolute-form): the target alone
    // would say http:// when exported or copied as curl.
    if (url.startsWith(u"https://", Qt::CaseInsensitive) && !authority.isEmpty())
        h.target.prepend("https://" + authority.toUtf8());
    if (own.value(QStringLiteral("target")).isString())
        h.target = bytesOf(own.value(QStringLiteral("target")).toString());

    if (!read.headers(request.value(QStringLiteral("headers")), QStringLiteral("request.headers"), &h.headers))
        return false;
    if (!ours && !http::contains(h.headers, "Host")) {
        // HTTP/2 carries the host in :authority; an HTTP/1.1 hook needs Host.
        QString host = authority;
        for (const QJsonValue &item : request.value(QStringLiteral("headers")).toArray()) {
            if (item.toObject().value(QStringLiteral("name")).toString() == u":authority")
                host = item.toObject().value(QStringLiteral("value")).toString();
        }
        if (!host.isEmpty())
            h.headers.prepend({QByteArrayLiteral("Host"), bytesOf(host)});
    }
    const QJsonValue postData = request.value(QStringLiteral("postData"));
    if (postData.isObject()) {
        if (!read.body(postData.toObject(), QStringLiteral("request.postData"), &h.body))
            return false;
    } else if (!postData.isUndefined() && !postData.isNull()) {
        return read.fail(QStringLiteral("request.postData is not an object"));
    }

    if (ours) {
        h.chunked = own.value(QStringLiteral("chunked")).toBool();
        if (!read.headers(own.value(QStringLiteral("trailers")), QStringLiteral("_hookscope.trailers"), &h.trailers))
            return false;
        catalog::Inspection &inspection = h.inspection;
        inspection.provider = own.value(QStringLiteral("provider")).toString();
        inspection.event = own.value(QStringLiteral("event")).toString();
        inspection.action = own.value(QStringLiteral("action")).toString();
        inspection.sentAction = own.value(QStringLiteral("action_sent")).toString();
        catalog::verdictFromName(own.value(QStringLiteral("secret")).toString(), &inspection.secret);
        catalog::verdictFromName(own.value(QStringLiteral("signature")).toString(), &inspection.signature);
        for (const QJsonValue &problem : own.value(QStringLiteral("problems")).toArray())
            inspection.problems.append(problem.toString());
        if (own.value(QStringLiteral("refused")).toBool()) {
            h.refusal = own.value(QStringLiteral("reason")).toString();
            if (h.refusal.isEmpty())
                h.refusal = QStringLiteral("refused");
        }
    } else {
        h.chunked = http::hasToken(h.headers, "Transfer-Encoding", "chunked");
        h.inspection = catalog.inspect(h.headers, h.body, meantBody(h.body, h.headers), QByteArray(), h.receivedUs);
    }

    const QJsonValue responseValue = entry.value(QStringLiteral("response"));
    if (responseValue.isObject()) {
        const QJsonObject response = responseValue.toObject();
        h.answer.status = response.value(QStringLiteral("status")).toInt();
        if (!read.headers(response.value(QStringLiteral("headers")), QStringLiteral("response.headers"), &h.answer.headers))
            return false;
        if (!read.body(response.value(QStringLiteral("content")).toObject(), QStringLiteral("response.content"), &h.answer.body))
            return false;
    } else {
        h.answer = Answer{0, {}, {}};
    }
    *hook = h;
    return true;
}

bool hooksFromHar(const QByteArray &data, const catalog::Catalog &catalog, QList<Hook> *hooks, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(data, &parseError);
    if (document.isNull()) {
        const QString why = catalog::jsonSyntaxError(data);
        *error = u"not JSON: " + (why.isEmpty() ? parseError.errorString() : why);
        return false;
    }
    const QJsonValue entries = document.object().value(QStringLiteral("log")).toObject().value(QStringLiteral("entries"));
    if (!entries.isArray()) {
        *error = QStringLiteral("not a HAR file (no log.entries list)");
        return false;
    }
    QList<Hook> read;
    const QJsonArray array = entries.toArray();
    read.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isObject()) {
            *error = QStringLiteral("entry %1: not an object").arg(i + 1);
            return false;
        }
        Hook hook;
        QString entryError;
        if (!hookFromHarEntry(array.at(i).toObject(), catalog, &hook, &entryError)) {
            *error = QStringLiteral("entry %1: %2").arg(i + 1).arg(entryError);
            return false;
        }
        read.append(hook);
    }
    *hooks = read;
    return true;
}

} // namespace formats
