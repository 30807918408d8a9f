#include "jsonedit.h"

#include "orderedjson.h"

namespace catalog {

namespace {

struct Segment
{
    QString key;
    qsizetype index = -1;   // >= 0 for "[n]"; a bare numeric key may also index an array
};

bool splitPath(const QString &path, QList<Segment> *segments)
{
    for (const QString &part : path.split(u'.')) {
        QStringView rest(part);
        const qsizetype bracket = rest.indexOf(u'[');
        const QStringView name = bracket < 0 ? rest : rest.first(bracket);
        if (!name.isEmpty())
            segments->append({name.toString()});
        else if (bracket != 0)
            return false;
        rest = bracket < 0 ? QStringView() : rest.sliced(bracket);
        while (!rest.isEmpty()) {
            const qsizetype close = rest.indexOf(u']');
            bool ok = false;
            const qsizetype index = close < 0 ? -1 : rest.sliced(1, close - 1).toLongLong(&ok);
            if (!rest.startsWith(u'[') || !ok || index < 0)
                return false;
            segments->append({QString(), index});
            rest = rest.sliced(close + 1);
        }
    }
    return !segments->isEmpty();
}

QString kindOf(const OrderedJson &json)
{
    switch (json.type()) {
    case OrderedJson::Type::Null: return QStringLiteral("null");
    case OrderedJson::Type::Bool: return QStringLiteral("a boolean");
    case OrderedJson::Type::Number: return QStringLiteral("a number");
    case OrderedJson::Type::String: return QStringLiteral("a string");
    case OrderedJson::Type::Array: return QStringLiteral("an array");
    case OrderedJson::Type::Object: return QStringLiteral("an object");
    }
    return {};
}

QString pathText(const QList<Segment> &segments, qsizetype count)
{
    QString text;
    for (qsizetype i = 0; i < count; ++i) {
        const Segment &s = segments[i];
        if (s.index >= 0)
            text += u'[' + QString::number(s.index) + u']';
        else
            text += (text.isEmpty() ? QString() : QStringLiteral(".")) + s.key;
    }
    return text.isEmpty() ? QStringLiteral("body") : text;
}

} // namespace

bool applySet(QByteArray *jsonBody, const QString &assignment, QString *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };

    const qsizetype equals = assignment.indexOf(u'=');
    if (equals < 0)
        return fail(u"--set expects PATH=VALUE, got \"" + assignment + u'"');
    const QString path = assignment.first(equals).trimmed();
    const QString valueText = assignment.sliced(equals + 1);
    QList<Segment> segments;
    if (path.isEmpty() || !splitPath(path, &segments))
        return fail(u"--set " + assignment + u": \"" + path + u"\" is not a member path like user.rank or commits[0].id");

    std::optional<OrderedJson> root = OrderedJson::makeObject();
    if (!jsonBody->trimmed().isEmpty()) {
        QString parseError;
        root = OrderedJson::parse(*jsonBody, &parseError);
        if (!root)
            return fail(u"cannot set " + path + u": the body is not JSON: " + parseError);
    }

    OrderedJson value = OrderedJson::parse(valueText.toUtf8(), nullptr).value_or(OrderedJson::fromString(valueText));

    OrderedJson *node = &*root;
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const Segment &segment = segments[i];
        const bool last = i == segments.size() - 1;
        const QString here = pathText(segments, i + 1);
        if (node->isArray()) {
            qsizetype index = segment.index;
            bool ok = index >= 0;
            if (!ok)
                index = segment.key.toLongLong(&ok);
            if (!ok || index < 0)
                return fail(here + u": " + pathText(segments, i) + u" is an array, \"" + segment.key + u"\" is not an index");
            if (index > node->size() || (index == node->size() && !last)) {
                return fail(here + u": index " + QString::number(index) + u" is out of range (the array has "
                            + QString::number(node->size()) + u" elements)");
            }
            if (index == node->size()) {
                node->append(std::move(value));
                break;
            }
            if (last) {
                node->at(index) = std::move(value);
                break;
            }
            node = &node->at(index);
        } else if (node->isObject()) {
            if (segment.index >= 0)
                return fail(here + u": " + pathText(segments, i) + u" is an object, not an array");
            if (last) {
                node->insert(segment.key, std::move(value));
                break;
            }
            if (!node->member(segment.key))
                node->appendMember(segment.key, OrderedJson::makeObject());
            node = node->member(segment.key);
        } else {
            return fail(here + u": " + pathText(segments, i) + u" is " + kindOf(*node) + u", not an object or array");
        }
    }

    *jsonBody = root->toJson(2);
    return true;
}

} // namespace catalog
