#include "jsonl.h"

#include "catalog/orderedjson.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTimeZone>

#include <algorithm>
#include <initializer_list>

namespace formats {

namespace {

QJsonArray headersToJson(const http::HeaderList &headers)
{
    QJsonArray array;
    for (const http::HeaderField &field : headers)
        array.append(QJsonArray{QString::fromLatin1(field.name), QString::fromLatin1(field.value)});
    return array;
}

// Header bytes travel as Latin-1 strings so that obs-text survives the round trip.
bool headersFromJson(const QJsonValue &value, http::HeaderList *headers, const QString &member, QString *error)
{
    if (!value.isArray()) {
        *error = QStringLiteral("member \"%1\" must be a list of [name, value] pairs").arg(member);
        return false;
    }
    for (const QJsonValue &item : value.toArray()) {
        const QJsonArray pair = item.toArray();
        if (pair.size() != 2 || !pair.at(0).isString() || !pair.at(1).isString()) {
            *error = QStringLiteral("member \"%1\" must be a list of [name, value] pairs").arg(member);
            return false;
        }
        headers->append({pair.at(0).toString().toLatin1(), pair.at(1).toString().toLatin1()});
    }
    return true;
}

QJsonValue stringOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

} // namespace

QString isoTimestamp(qint64 us)
{
    // Floor division, so that instants before 1970 keep a positive fraction.
    const qint64 seconds = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
    const qint64 micros = us - seconds * 1000000;
    const QDateTime time = QDateTime::fromSecsSinceEpoch(seconds, QTimeZone::utc());
    return time.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.")) + QStringLiteral("%1Z").arg(micros, 6, 10, QLatin1Char('0'));
}

bool parseIsoTimestamp(const QString &text, qint64 *us)
{
    // Qt keeps milliseconds only, and rounds (".9999996" would become the next
    // second): parse the whole seconds with Qt and take the fraction ourselves.
    static const QRegularExpression fraction(QStringLiteral("\\.(\\d+)"));
    const QRegularExpressionMatch match = fraction.match(text);
    qint64 micros = 0;
    QString whole = text;
    if (match.hasMatch()) {
        micros = match.captured(1).leftJustified(6, QLatin1Char('0')).left(6).toLongLong();
        whole.remove(match.capturedStart(), match.capturedLength());
    }
    const QDateTime time = QDateTime::fromString(whole, Qt::ISODate);
    if (!time.isValid())
        return false;
    *us = time.toSecsSinceEpoch() * 1000000 + micros;
    return true;
}

QJsonObject hookToJson(const Hook &hook)
{
    QJsonObject object;
    object.insert(QStringLiteral("id"), hook.id);
    object.insert(QStringLiteral("received"), isoTimestamp(hook.receivedUs));
    object.insert(QStringLiteral("peer"), hook.peer());
    object.insert(QStringLiteral("method"), QString::fromLatin1(hook.method));
    object.insert(QStringLiteral("target"), QString::fromLatin1(hook.target));
    object.insert(QStringLiteral("version"), QString::fromLatin1(hook.version));
    object.insert(QStringLiteral("headers"), headersToJson(hook.headers));
    object.insert(QStringLiteral("body_b64"), QString::fromLatin1(hook.body.toBase64()));
    object.insert(QStringLiteral("provider"), stringOrNull(hook.inspection.provider));
    object.insert(QStringLiteral("event"), stringOrNull(hook.inspection.event));
    object.insert(QStringLiteral("action"), stringOrNull(hook.inspection.action));
    if (!hook.inspection.sentAction.isEmpty())
        object.insert(QStringLiteral("action_sent"), hook.inspection.sentAction);
    object.insert(QStringLiteral("secret"), catalog::verdictName(hook.inspection.secret));
    object.insert(QStringLiteral("signature"), catalog::verdictName(hook.inspection.signature));
    object.insert(QStringLiteral("problems"), QJsonArray::fromStringList(hook.inspection.problems));
    QJsonObject answer;
    answer.insert(QStringLiteral("status"), hook.answer.status);
    answer.insert(QStringLiteral("headers"), headersToJson(hook.answer.headers));
    answer.insert(QStringLiteral("body_b64"), QString::fromLatin1(hook.answer.body.toBase64()));
    if (!hook.answerRule.isEmpty())
        answer.insert(QStringLiteral("rule"), hook.answerRule);
    if (hook.refused())
        answer.insert(QStringLiteral("reason"), hook.refusal);
    object.insert(QStringLiteral("answer"), answer);
    // A refused request: method, target and headers as far as they were read, and
    // body_b64 the first bytes that arrived, exactly as they came.
    if (hook.refused())
        object.insert(QStringLiteral("refused"), true);
    if (!hook.trailers.isEmpty())
        object.insert(QStringLiteral("trailers"), headersToJson(hook.trailers));
    object.insert(QStringLiteral("chunked"), hook.chunked);
    object.insert(QStringLiteral("size"), hook.body.size());
    if (hook.origin == Hook::Origin::Imported)
        object.insert(QStringLiteral("imported"), true);
    if (hook.origin == Hook::Origin::Relayed)
        object.insert(QStringLiteral("relayed"), QStringLiteral("smee"));
    return object;
}

// One compact line of the object's members, those named in order first and in that
// order (QJsonObject sorts its keys), the others after them.
static QByteArray orderedJsonLine(const QJsonObject &object, std::initializer_list<const char *> order)
{
    const auto member = [](const QString &key, const QJsonValue &value) -> QByteArray {
        const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        return QJsonDocument(QJsonArray{key}).toJson(QJsonDocument::Compact).chopped(1).sliced(1) + ':' + text.chopped(1).sliced(1);
    };
    QByteArrayList members;
    for (const char *key : order) {
        const QString name = QLatin1StringView(key);
        if (object.contains(name))
            members.append(member(name, object.value(name)));
    }
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (std::none_of(order.begin(), order.end(), [&](const char *key) { return it.key() == QLatin1StringView(key); }))
            members.append(member(it.key(), it.value()));
    }
    return '{' + members.join(',') + "}\n";
}

QByteArray hookToJsonLine(const Hook &hook)
{
    // A line keeps the documented order, so that it reads id first.
    return orderedJsonLine(hookToJson(hook), {"id", "received", "peer", "method", "target", "version", "headers", "body_b64",
                                              "provider", "event", "action", "action_sent", "secret", "signature", "problems",
                                              "answer", "refused", "imported", "relayed", "trailers", "chunked", "size"});
}

QJsonObject deliveryToJson(const Delivery &delivery)
{
    QJsonObject object;
    if (delivery.id > 0)
        object.insert(QStringLiteral("id"), delivery.id);
    object.insert(QStringLiteral("kind"), deliveryKindName(delivery.kind));
    if (delivery.hookId > 0)
        object.insert(QStringLiteral("hook"), delivery.hookId);
    if (delivery.attempt > 0)
        object.insert(QStringLiteral("attempt"), delivery.attempt);
    object.insert(QStringLiteral("started"), isoTimestamp(delivery.startedUs));
    object.insert(QStringLiteral("method"), QString::fromLatin1(delivery.method));
    object.insert(QStringLiteral("target"), delivery.url);
    object.insert(QStringLiteral("status"), delivery.status > 0 ? QJsonValue(delivery.status) : QJsonValue());
    object.insert(QStringLiteral("reason"), delivery.status > 0 ? QJsonValue(QString::fromLatin1(delivery.reason)) : QJsonValue());
    object.insert(QStringLiteral("headers"), headersToJson(delivery.responseHeaders));
    const QByteArray &body = delivery.responseBody;
    const QString text = QString::fromUtf8(body);
    if (text.toUtf8() == body)
        object.insert(QStringLiteral("body"), text);
    else
        object.insert(QStringLiteral("body_b64"), QString::fromLatin1(body.toBase64()));
    QJsonObject timings;
    const DeliveryTimings &t = delivery.timings;
    const auto at = [](qint64 us) { return us < 0 ? QJsonValue() : QJsonValue(us); };
    timings.insert(QStringLiteral("dns_us"), at(t.dnsUs));
    timings.insert(QStringLiteral("connect_us"), at(t.connectUs));
    timings.insert(QStringLiteral("tls_us"), at(t.tlsUs));
    timings.insert(QStringLiteral("first_byte_us"), at(t.firstByteUs));
    timings.insert(QStringLiteral("total_us"), at(t.totalUs >= 0 ? t.totalUs : delivery.durationUs));
    object.insert(QStringLiteral("timings"), timings);
    object.insert(QStringLiteral("error"), delivery.error.isEmpty() ? QJsonValue() : QJsonValue(delivery.error));
    return object;
}

// The object's members, those named in order first and in that order, the others after them.
static catalog::OrderedJson orderedMembers(const QJsonObject &object, std::initializer_list<const char *> order)
{
    catalog::OrderedJson result = catalog::OrderedJson::makeObject();
    for (const char *key : order) {
        const QString name = QLatin1StringView(key);
        if (object.contains(name))
            result.appendMember(name, catalog::OrderedJson::fromJsonValue(object.value(name)));
    }
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (std::none_of(order.begin(), order.end(), [&](const char *key) { return it.key() == QLatin1StringView(key); }))
            result.appendMember(it.key(), catalog::OrderedJson::fromJsonValue(it.value()));
    }
    return result;
}

QByteArray deliveryToJsonLine(const Delivery &delivery)
{
    const QJsonObject object = deliveryToJson(delivery);
    catalog::OrderedJson line = orderedMembers(object, {"id", "kind", "hook", "attempt", "started", "method", "target", "status",
                                                        "reason", "headers", "body", "body_b64", "timings", "error"});
    // The phases in the order they happen, as the waterfall draws them.
    if (catalog::OrderedJson *timings = line.member(u"timings"))
        *timings = orderedMembers(object.value(QStringLiteral("timings")).toObject(),
                                  {"dns_us", "connect_us", "tls_us", "first_byte_us", "total_us"});
    return line.toJson(0) + '\n';
}

bool hookFromJson(const QJsonObject &object, Hook *hook, QString *error)
{
    const auto need = [&](const char *name, bool ok) {
        if (!ok)
            *error = QStringLiteral("member \"%1\" is missing or has the wrong type").arg(QLatin1StringView(name));
        return ok;
    };
    Hook h;
    if (!need("id", object.value(QStringLiteral("id")).isDouble()))
        return false;
    h.id = object.value(QStringLiteral("id")).toInteger();
    if (!need("received", parseIsoTimestamp(object.value(QStringLiteral("received")).toString(), &h.receivedUs)))
        return false;
    const QString peer = object.value(QStringLiteral("peer")).toString();
    const qsizetype colon = peer.lastIndexOf(u':');
    if (!need("peer", colon > 0))
        return false;
    h.peerAddress = peer.left(colon);
    if (h.peerAddress.startsWith(u'[') && h.peerAddress.endsWith(u']'))
        h.peerAddress = h.peerAddress.mid(1, h.peerAddress.size() - 2);
    h.peerPort = quint16(peer.mid(colon + 1).toUInt());
    if (!need("method", object.value(QStringLiteral("method")).isString()) || !need("target", object.value(QStringLiteral("target")).isString()))
        return false;
    h.method = object.value(QStringLiteral("method")).toString().toLatin1();
    h.target = object.value(QStringLiteral("target")).toString().toLatin1();
    h.version = object.value(QStringLiteral("version")).toString(QStringLiteral("HTTP/1.1")).toLatin1();
    if (!headersFromJson(object.value(QStringLiteral("headers")), &h.headers, QStringLiteral("headers"), error))
        return false;
    if (!need("body_b64", object.value(QStringLiteral("body_b64")).isString()))
        return false;
    const auto body = QByteArray::fromBase64Encoding(object.value(QStringLiteral("body_b64")).toString().toLatin1(),
                                                     QByteArray::AbortOnBase64DecodingErrors);
    if (!need("body_b64", bool(body)))
        return false;
    h.body = *body;
    if (object.contains(QStringLiteral("trailers"))
        && !headersFromJson(object.value(QStringLiteral("trailers")), &h.trailers, QStringLiteral("trailers"), error))
        return false;
    h.chunked = object.value(QStringLiteral("chunked")).toBool();
    h.inspection.provider = object.value(QStringLiteral("provider")).toString();
    h.inspection.event = object.value(QStringLiteral("event")).toString();
    h.inspection.action = object.value(QStringLiteral("action")).toString();
    h.inspection.sentAction = object.value(QStringLiteral("action_sent")).toString();
    if (object.value(QStringLiteral("imported")).toBool())
        h.origin = Hook::Origin::Imported;
    if (object.contains(QStringLiteral("relayed")))
        h.origin = Hook::Origin::Relayed;
    catalog::verdictFromName(object.value(QStringLiteral("secret")).toString(), &h.inspection.secret);
    catalog::verdictFromName(object.value(QStringLiteral("signature")).toString(), &h.inspection.signature);
    for (const QJsonValue &problem : object.value(QStringLiteral("problems")).toArray())
        h.inspection.problems.append(problem.toString());
    const QJsonObject answer = object.value(QStringLiteral("answer")).toObject();
    h.answer.status = answer.value(QStringLiteral("status")).toInt();
    if (answer.contains(QStringLiteral("headers"))
        && !headersFromJson(answer.value(QStringLiteral("headers")), &h.answer.headers, QStringLiteral("answer.headers"), error))
        return false;
    h.answer.body = QByteArray::fromBase64(answer.value(QStringLiteral("body_b64")).toString().toLatin1());
    h.answerRule = answer.value(QStringLiteral("rule")).toString();
    if (object.value(QStringLiteral("refused")).toBool()) {
        h.refusal = answer.value(QStringLiteral("reason")).toString();
        if (h.refusal.isEmpty())
            h.refusal = QStringLiteral("refused");
    }
    *hook = h;
    return true;
}

} // namespace formats
