#include "answerrules.h"

#include "hook.h"
#include "catalog/catalog.h"
#include "catalog/orderedjson.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

constexpr int MaxDelayMs = 600'000;

// '*' matches any run of bytes, everything else itself.
bool wildcardMatch(QByteArrayView pattern, QByteArrayView text)
{
    qsizetype p = 0, t = 0, star = -1, resume = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = t;
        } else if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (star >= 0) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

QString typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("a boolean");
    case QJsonValue::Double: return QStringLiteral("a number");
    case QJsonValue::String: return QStringLiteral("a string");
    case QJsonValue::Array: return QStringLiteral("an array");
    case QJsonValue::Object: return QStringLiteral("an object");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("nothing");
}

bool hasNoLineBreak(QByteArrayView value)
{
    return !value.contains('\r') && !value.contains('\n') && !value.contains('\0');
}

// Reads one rule; on failure sets *error to "POINTER: reason".
class RuleReader
{
public:
    RuleReader(const QJsonObject &object, const QString &pointer, QString *error)
        : m_object(object), m_pointer(pointer), m_error(error)
    {
    }

    std::optional<AnswerRule> read()
    {
        AnswerRule rule;
        for (auto it = m_object.begin(); it != m_object.end(); ++it) {
            const QString key = it.key();
            if (key == u"name") {
                if (!it->isString())
                    return fail(key, QStringLiteral("expected a string, got %1").arg(typeName(*it)));
                rule.name = it->toString();
            } else if (key == u"match") {
                if (!it->isObject())
                    return fail(key, QStringLiteral("expected an object, got %1").arg(typeName(*it)));
                if (!readMatch(it->toObject(), &rule))
                    return std::nullopt;
            } else if (key == u"answer") {
                if (!it->isObject())
                    return fail(key, QStringLiteral("expected an object, got %1").arg(typeName(*it)));
                if (!readAnswer(it->toObject(), &rule))
                    return std::nullopt;
            } else if (key == u"times") {
                const std::optional<int> times = wholeNumber(*it);
                if (!times || *times < 1)
                    return fail(key, QStringLiteral("expected a whole number of at least 1 (leave it out to answer every matching hook), got %1")
                                         .arg(describe(*it)));
                rule.times = *times;
            } else {
                return fail(key, QStringLiteral("unknown key (a rule has name, match, answer and times)"));
            }
        }
        return rule;
    }

private:
    static std::optional<int> wholeNumber(const QJsonValue &value)
    {
        if (!value.isDouble())
            return std::nullopt;
        const double number = value.toDouble();
        if (number != double(qint64(number)) || number < -1e9 || number > 1e9)
            return std::nullopt;
        return int(number);
    }

    static QString describe(const QJsonValue &value)
    {
        if (value.isDouble())
            return QString::number(value.toDouble());
        if (value.isString())
            return u'"' + value.toString() + u'"';
        return typeName(value);
    }

    std::nullopt_t fail(const QString &path, const QString &reason)
    {
        *m_error = m_pointer + u'/' + path + QStringLiteral(": ") + reason;
        return std::nullopt;
    }

    bool readMatch(const QJsonObject &match, AnswerRule *rule)
    {
        for (auto it = match.begin(); it != match.end(); ++it) {
            const QString key = it.key();
            const QString where = QStringLiteral("match/") + key;
            if (!it->isString()) {
                fail(where, QStringLiteral("expected a string, got %1").arg(typeName(*it)));
                return false;
            }
            const QString text = it->toString();
            if (key == u"provider") {
                rule->provider = text;
            } else if (key == u"event") {
                rule->event = text;
            } else if (key == u"action") {
                rule->action = text;
            } else if (key == u"method") {
                if (!http::isToken(text.toLatin1()) || text.toLatin1() != text.toUtf8()) {
                    fail(where, QStringLiteral("\"%1\" is not a method").arg(text));
                    return false;
                }
                rule->method = text.toLatin1();
            } else if (key == u"path") {
                if (!text.startsWith(u'/') && !text.startsWith(u'*')) {
                    fail(where, QStringLiteral("expected a path starting with / (or *), got \"%1\"").arg(text));
                    return false;
                }
                rule->path = text.toUtf8();
            } else if (key == u"header") {
                const QByteArray header = text.toUtf8();
                const qsizetype colon = header.indexOf(':');
                const QByteArray name = (colon < 0 ? header : header.left(colon)).trimmed();
                if (!http::isToken(name)) {
                    fail(where, QStringLiteral("expected \"Name\" or \"Name: value\", got \"%1\"").arg(text));
                    return false;
                }
                rule->headerName = name;
                if (colon >= 0)
                    rule->headerValue = header.mid(colon + 1).trimmed();
            } else {
                fail(where, QStringLiteral("unknown match key (known: provider, event, action, method, path, header)"));
                return false;
            }
        }
        return true;
    }

    bool readAnswer(const QJsonObject &answer, AnswerRule *rule)
    {
        for (auto it = answer.begin(); it != answer.end(); ++it) {
            const QString key = it.key();
            const QString where = QStringLiteral("answer/") + key;
            if (key == u"status") {
                const std::optional<int> status = wholeNumber(*it);
                if (!status || *status < 200 || *status > 599) {
                    fail(where, QStringLiteral("expected a status from 200 to 599, got %1").arg(describe(*it)));
                    return false;
                }
                rule->status = *status;
            } else if (key == u"body") {
                // A string goes out as its UTF-8 bytes; an object or array as compact JSON.
                if (it->isString())
                    rule->body = it->toString().toUtf8();
                else if (it->isObject())
                    rule->body = QJsonDocument(it->toObject()).toJson(QJsonDocument::Compact);
                else if (it->isArray())
                    rule->body = QJsonDocument(it->toArray()).toJson(QJsonDocument::Compact);
                else {
                    fail(where, QStringLiteral("expected a string or JSON object, got %1").arg(typeName(*it)));
                    return false;
                }
            } else if (key == u"headers") {
                if (!readHeaders(*it, where, rule))
                    return false;
            } else if (key == u"delay_ms") {
                const std::optional<int> delay = wholeNumber(*it);
                if (!delay || *delay < 0 || *delay > MaxDelayMs) {
                    fail(where, QStringLiteral("expected milliseconds from 0 to %1, got %2").arg(MaxDelayMs).arg(describe(*it)));
                    return false;
                }
                rule->delayMs = *delay;
            } else {
                fail(where, QStringLiteral("unknown answer key (known: status, body, headers, delay_ms)"));
                return false;
            }
        }
        return true;
    }

    bool readHeaders(const QJsonValue &value, const QString &where, AnswerRule *rule)
    {
        if (!value.isArray()) {
            fail(where, QStringLiteral("expected an array of [name, value] pairs, got %1").arg(typeName(value)));
            return false;
        }
        const QJsonArray fields = value.toArray();
        for (qsizetype i = 0; i < fields.size(); ++i) {
            const QString at = where + u'/' + QString::number(i);
            const QJsonArray pair = fields.at(i).toArray();
            if (!fields.at(i).isArray() || pair.size() != 2 || !pair.at(0).isString() || !pair.at(1).isString()) {
                fail(at, QStringLiteral("expected a [name, value] pair of strings"));
                return false;
            }
            const QByteArray name = pair.at(0).toString().toUtf8();
            const QByteArray fieldValue = pair.at(1).toString().toUtf8();
            if (!http::isToken(name)) {
                fail(at, QStringLiteral("\"%1\" is not a header name").arg(pair.at(0).toString()));
                return false;
            }
            for (const char *framing : {"Content-Length", "Transfer-Encoding", "Connection"}) {
                if (http::nameEquals(name, framing)) {
                    fail(at, QStringLiteral("%1 is set by the listener, which frames the answer").arg(QLatin1String(framing)));
                    return false;
                }
            }
            if (!hasNoLineBreak(fieldValue)) {
                fail(at, QStringLiteral("a header value cannot hold a line break"));
                return false;
            }
            rule->headers.append({name, fieldValue});
        }
        return true;
    }

    const QJsonObject &m_object;
    QString m_pointer;
    QString *m_error;
};

QJsonValue jsonBody(const QByteArray &body)
{
    // A body that is a JSON object or array is written back as one, else as text.
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error == QJsonParseError::NoError && QJsonDocument(document).toJson(QJsonDocument::Compact) == body)
        return document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
    return QString::fromUtf8(body);
}

} // namespace

QString AnswerRule::label(qsizetype index) const
{
    return name.isEmpty() ? QStringLiteral("rule %1").arg(index + 1) : name;
}

QString AnswerRule::summary() const
{
    QStringList match;
    if (!provider.isEmpty())
        match.append(QStringLiteral("provider %1").arg(provider));
    if (!event.isEmpty())
        match.append(QStringLiteral("event %1").arg(event));
    if (!action.isEmpty())
        match.append(QStringLiteral("action %1").arg(action));
    if (!method.isEmpty())
        match.append(QString::fromLatin1(method));
    if (!path.isEmpty())
        match.append(QString::fromUtf8(path));
    if (!headerName.isEmpty())
        match.append(headerValue ? QString::fromUtf8(headerName + ": " + *headerValue) : QString::fromUtf8(headerName));
    QString text = match.isEmpty() ? QStringLiteral("every hook") : match.join(QStringLiteral(", "));
    text += QStringLiteral(" → %1").arg(status);
    if (body) {
        QString shown = QString::fromUtf8(body->left(40)).simplified();
        if (body->size() > 40)
            shown += u'…';
        text += u' ' + shown;
    }
    if (delayMs >= 0)
        text += QStringLiteral(" after %1 ms").arg(delayMs);
    if (times > 0)
        text += times == 1 ? QStringLiteral(", once") : QStringLiteral(", %1 times").arg(times);
    return text;
}

bool AnswerRule::matches(const Hook &hook, const catalog::Catalog &catalog) const
{
    const catalog::Inspection &in = hook.inspection;
    if (!provider.isEmpty() && provider != in.provider)
        return false;
    if (!event.isEmpty() && event != in.event)
        return false;
    if (!action.isEmpty() && action != in.action && action != in.sentAction
        && catalog.resolveAction(in.provider, in.event, action) != in.action)
        return false;
    if (!method.isEmpty() && method != hook.method)
        return false;
    if (!path.isEmpty()) {
        // The query is part of what is matched only when the pattern names one.
        QByteArrayView target(hook.target);
        if (!path.contains('?')) {
            const qsizetype query = target.indexOf('?');
            if (query >= 0)
                target = target.first(query);
        }
        if (!wildcardMatch(path, target))
            return false;
    }
    if (!headerName.isEmpty()) {
        const bool found = std::any_of(hook.headers.cbegin(), hook.headers.cend(), [this](const http::HeaderField &field) {
            return http::nameEquals(field.name, headerName) && (!headerValue || field.value.trimmed() == *headerValue);
        });
        if (!found)
            return false;
    }
    return true;
}

std::optional<AnswerRules> AnswerRules::parse(QByteArrayView json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const QString why = catalog::jsonSyntaxError(json);
        *error = u"not JSON: " + (why.isEmpty() ? parseError.errorString() : why);
        return std::nullopt;
    }
    if (!document.isArray()) {
        *error = QStringLiteral("expected an array of rules");
        return std::nullopt;
    }
    const QJsonArray array = document.array();
    QList<AnswerRule> rules;
    rules.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString pointer = u'/' + QString::number(i);
        if (!array.at(i).isObject()) {
            *error = pointer + QStringLiteral(": expected a rule object, got %1").arg(typeName(array.at(i)));
            return std::nullopt;
        }
        const QJsonObject object = array.at(i).toObject();
        std::optional<AnswerRule> rule = RuleReader(object, pointer, error).read();
        if (!rule)
            return std::nullopt;
        rules.append(std::move(*rule));
    }
    return AnswerRules(std::move(rules));
}

std::optional<AnswerRules> AnswerRules::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    constexpr qint64 MaxSize = 4 << 20;
    if (file.size() > MaxSize) {
        *error = QStringLiteral("%1: larger than the 4 MiB a rules file may be").arg(path);
        return std::nullopt;
    }
    QString reason;
    std::optional<AnswerRules> rules = parse(file.readAll(), &reason);
    if (!rules)
        *error = QStringLiteral("%1: %2").arg(path, reason);
    return rules;
}

QByteArray AnswerRules::toJson() const
{
    QJsonArray array;
    for (const AnswerRule &rule : m_rules) {
        QJsonObject object;
        if (!rule.name.isEmpty())
            object.insert(QStringLiteral("name"), rule.name);
        QJsonObject match;
        const auto put = [&match](const char *key, const QString &value) {
            if (!value.isEmpty())
                match.insert(QLatin1String(key), value);
        };
        put("provider", rule.provider);
        put("event", rule.event);
        put("action", rule.action);
        put("method", QString::fromLatin1(rule.method));
        put("path", QString::fromUtf8(rule.path));
        put("header", QString::fromUtf8(rule.headerValue ? rule.headerName + ": " + *rule.headerValue : rule.headerName));
        if (!match.isEmpty())
            object.insert(QStringLiteral("match"), match);
        QJsonObject answer;
        answer.insert(QStringLiteral("status"), rule.status);
        if (rule.body)
            answer.insert(QStringLiteral("body"), jsonBody(*rule.body));
        if (!rule.headers.isEmpty()) {
            QJsonArray headers;
            for (const http::HeaderField &field : rule.headers)
                headers.append(QJsonArray{QString::fromUtf8(field.name), QString::fromUtf8(field.value)});
            answer.insert(QStringLiteral("headers"), headers);
        }
        if (rule.delayMs >= 0)
            answer.insert(QStringLiteral("delay_ms"), rule.delayMs);
        object.insert(QStringLiteral("answer"), answer);
        if (rule.times > 0)
            object.insert(QStringLiteral("times"), rule.times);
        array.append(object);
    }
    return QJsonDocument(array).toJson(QJsonDocument::Indented);
}

bool AnswerRules::needsRecognition() const
{
    return std::any_of(m_rules.cbegin(), m_rules.cend(), [](const AnswerRule &rule) { return rule.needsRecognition(); });
}

qsizetype AnswerRules::find(const Hook &hook, const catalog::Catalog &catalog) const
{
    for (qsizetype i = 0; i < m_rules.size(); ++i) {
        const AnswerRule &rule = m_rules.at(i);
        if (rule.times > 0 && m_used.at(i) >= rule.times)
            continue;
        if (rule.matches(hook, catalog))
            return i;
    }
    return -1;
}

qsizetype AnswerRules::take(const Hook &hook, const catalog::Catalog &catalog)
{
    const qsizetype index = find(hook, catalog);
    if (index >= 0)
        ++m_used[index];
    return index;
}
