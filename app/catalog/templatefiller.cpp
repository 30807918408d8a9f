#include "templatefiller.h"

#include "objectid.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QUuid>

namespace catalog {

namespace {

constexpr QStringView Open = u"{{";
constexpr QStringView Close = u"}}";

QString textOf(const OrderedJson &value)
{
    return value.isString() ? value.toString() : QString::fromUtf8(value.toJson(0));
}

bool parseRange(QStringView argument, qint64 *low, qint64 *high)
{
    const qsizetype dots = argument.indexOf(u"..", 1);
    if (dots < 0)
        return false;
    bool okLow = false;
    bool okHigh = false;
    *low = argument.first(dots).toLongLong(&okLow);
    *high = argument.sliced(dots + 2).toLongLong(&okHigh);
    return okLow && okHigh && *low <= *high && *high < std::numeric_limits<qint64>::max();
}

} // namespace

void TemplateFiller::setValue(const QString &name, const QString &value)
{
    m_values.insert(name, value);
}

std::optional<OrderedJson> TemplateFiller::generate(QStringView spec)
{
    QString label;
    if (const qsizetype hash = spec.indexOf(u" #"); hash >= 0) {
        label = spec.sliced(hash + 2).toString();
        spec = spec.first(hash);
        if (const auto it = m_labelled.constFind(label); it != m_labelled.constEnd())
            return it.value();
    }
    const qsizetype colon = spec.indexOf(u':');
    const QStringView kind = colon < 0 ? spec : spec.first(colon);
    const QStringView argument = colon < 0 ? QStringView() : spec.sliced(colon + 1);
    QRandomGenerator *random = QRandomGenerator::global();

    std::optional<OrderedJson> value;
    if (kind == u"objectid" && colon < 0) {
        value = OrderedJson::fromString(QString::fromLatin1(newObjectId()));
    } else if (kind == u"uuid" && colon < 0) {
        value = OrderedJson::fromString(QUuid::createUuid().toString(QUuid::WithoutBraces));
    } else if (kind == u"rank" && colon < 0) {
        const int r = int(random->bounded(16));
        value = OrderedJson::fromInteger(r < 8 ? r - 8 : r - 7);
    } else if (kind == u"int") {
        qint64 low = 0;
        qint64 high = 0;
        if (parseRange(argument, &low, &high))
            value = OrderedJson::fromInteger(random->bounded(low, high + 1));
    } else if (kind == u"hex") {
        bool ok = false;
        const int digits = argument.toInt(&ok);
        if (ok && digits > 0 && digits <= 256) {
            QString hex;
            hex.reserve(digits);
            for (int i = 0; i < digits; ++i)
                hex.append(QLatin1Char("0123456789abcdef"[random->bounded(16)]));
            value = OrderedJson::fromString(hex);
        }
    } else if (kind == u"now" && colon < 0) {
        value = OrderedJson::fromString(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    } else if (kind == u"choice" && !argument.isEmpty()) {
        const QList<QStringView> choices = argument.split(u'|');
        value = OrderedJson::fromString(choices.at(random->bounded(int(choices.size()))).toString());
    } else if (colon < 0) {
        if (const auto it = m_values.constFind(kind.toString()); it != m_values.constEnd())
            value = OrderedJson::fromString(it.value());
    }

    if (!value) {
        if (m_error.isEmpty())
            m_error = u"unknown placeholder " + Open + spec + Close;
        return std::nullopt;
    }
    if (!label.isEmpty())
        m_labelled.insert(label, *value);
    return value;
}

QString TemplateFiller::fillText(const QString &text)
{
    QString out;
    qsizetype pos = 0;
    for (;;) {
        const qsizetype open = text.indexOf(Open, pos);
        const qsizetype close = open < 0 ? -1 : text.indexOf(Close, open + 2);
        if (close < 0) {
            out += QStringView(text).sliced(pos);
            return out;
        }
        out += QStringView(text).sliced(pos, open - pos);
        const QStringView spec = QStringView(text).sliced(open + 2, close - open - 2);
        if (const std::optional<OrderedJson> value = generate(spec))
            out += textOf(*value);
        else
            out += QStringView(text).sliced(open, close + 2 - open);
        pos = close + 2;
    }
}

OrderedJson TemplateFiller::fill(const OrderedJson &json)
{
    switch (json.type()) {
    case OrderedJson::Type::String: {
        const QString text = json.toString();
        if (text.startsWith(Open) && text.endsWith(Close) && text.indexOf(Open, 2) < 0) {
            if (std::optional<OrderedJson> value = generate(QStringView(text).sliced(2, text.size() - 4)))
                return *value;
            return json;
        }
        return text.contains(Open) ? OrderedJson::fromString(fillText(text)) : json;
    }
    case OrderedJson::Type::Array: {
        OrderedJson out = OrderedJson::makeArray();
        for (qsizetype i = 0; i < json.size(); ++i)
            out.append(fill(json.at(i)));
        return out;
    }
    case OrderedJson::Type::Object: {
        OrderedJson out = OrderedJson::makeObject();
        for (qsizetype i = 0; i < json.size(); ++i)
            out.appendMember(json.keys()[i], fill(json.at(i)));
        return out;
    }
    default:
        return json;
    }
}

} // namespace catalog
