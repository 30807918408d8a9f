#include "smeeevent.h"

#include "catalog/orderedjson.h"

#include <QCoreApplication>
#include <QDateTime>

namespace relay {

namespace {

// A member's value as a header value: texts as they are, anything else as JSON.
QByteArray headerValue(const catalog::OrderedJson &value)
{
    if (value.isString())
        return value.toString().toUtf8();
    return value.toJson(0);
}

QByteArray queryText(const catalog::OrderedJson &query)
{
    QByteArray text;
    const auto add = [&text](const QString &name, const catalog::OrderedJson &value) {
        if (!text.isEmpty())
            text.append('&');
        text.append(QUrl::toPercentEncoding(name));
        text.append('=');
        text.append(QUrl::toPercentEncoding(value.isString() ? value.toString() : QString::fromUtf8(value.toJson(0))));
    };
    for (qsizetype i = 0; i < query.size(); ++i) {
        const catalog::OrderedJson &value = query.at(i);
        if (value.isArray()) {
            for (qsizetype j = 0; j < value.size(); ++j)
                add(query.keys().at(i), value.at(j));
        } else {
            add(query.keys().at(i), value);
        }
    }
    return text;
}

} // namespace

std::optional<Hook> hookFromSmee(QByteArrayView data, const QUrl &channel, QString *error)
{
    QString parseError;
    const std::optional<catalog::OrderedJson> json = catalog::OrderedJson::parse(data, &parseError);
    if (!json) {
        *error = QCoreApplication::translate("relay", "not JSON: %1").arg(parseError);
        return std::nullopt;
    }
    if (!json->isObject()) {
        *error = QCoreApplication::translate("relay", "not a JSON object");
        return std::nullopt;
    }
    Hook hook;
    hook.method = QByteArrayLiteral("POST");
    hook.peerAddress = channel.host();
    hook.peerPort = quint16(channel.port(channel.scheme() == u"http" ? 80 : 443));
    hook.target = channel.path(QUrl::FullyEncoded).toUtf8();
    if (hook.target.isEmpty())
        hook.target = QByteArrayLiteral("/");
    hook.receivedUs = QDateTime::currentMSecsSinceEpoch() * 1000;
    bool hasBody = false;
    for (qsizetype i = 0; i < json->size(); ++i) {
        const QString &name = json->keys().at(i);
        const catalog::OrderedJson &value = json->at(i);
        if (name == u"body") {
            hook.body = value.toJson(0);
            hasBody = true;
        } else if (name == u"query") {
            if (value.isObject() && value.size() > 0)
                hook.target += '?' + queryText(value);
        } else if (name == u"timestamp") {
            if (value.isNumber()) {
                bool ok = false;
                const double ms = value.numberText().toDouble(&ok);
                if (ok && ms > 0 && ms < 1e15)
                    hook.receivedUs = qint64(ms) * 1000;
            }
        } else if (value.isArray()) {
            // A header sent more than once that the relay kept as a list (Set-Cookie).
            for (qsizetype j = 0; j < value.size(); ++j)
                hook.headers.append({name.toUtf8(), headerValue(value.at(j))});
        } else {
            hook.headers.append({name.toUtf8(), headerValue(value)});
        }
    }
    if (!hasBody && hook.headers.isEmpty()) {
        *error = QCoreApplication::translate("relay", "neither headers nor a body: not a relayed delivery");
        return std::nullopt;
    }
    hook.answer.status = 200;   // what the relay answered the sender
    return hook;
}

} // namespace relay
