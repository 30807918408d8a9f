#include "hookquery.h"

#include "hook.h"
#include "hookstore.h"
#include "http/formdata.h"

#include <cstring>

namespace {

char foldAscii(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

QByteArray lowerAscii(QByteArrayView bytes)
{
    QByteArray lower(bytes.data(), bytes.size());
    for (char &c : lower)
        c = foldAscii(c);
    return lower;
}

// Calls visit(name, value) for each "Name: value\r\n" line of a stored header block.
template<typename Visit>
bool anyHeaderLine(QByteArrayView lines, Visit visit)
{
    while (!lines.isEmpty()) {
        qsizetype end = lines.indexOf("\r\n");
        if (end < 0)
            end = lines.size();
        const QByteArrayView line = lines.first(end);
        lines = lines.sliced(std::min(lines.size(), end + 2));
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        QByteArrayView value = line.sliced(colon + 1);
        while (!value.isEmpty() && (value.front() == ' ' || value.front() == '\t'))
            value = value.sliced(1);
        if (visit(line.first(colon), value))
            return true;
    }
    return false;
}

// A form-encoded body is searched as its fields read too: "name=Ada Lovelace",
// where the body has "name=Ada+Lovelace".
bool formContains(QByteArrayView headerLines, QByteArrayView body, QByteArrayView lowerNeedle)
{
    bool form = false;
    anyHeaderLine(headerLines, [&](QByteArrayView name, QByteArrayView value) {
        form = http::nameEquals(name, "Content-Type") && http::isUrlEncoded(value);
        return form;
    });
    if (!form || (!body.contains('%') && !body.contains('+')))
        return false;
    for (const http::FormField &field : http::parseUrlEncoded(body).fields) {
        if (containsFolded(QByteArray(field.name.toUtf8() + '=' + field.data), lowerNeedle))
            return true;
    }
    return false;
}

} // namespace

bool containsFolded(QByteArrayView haystack, QByteArrayView lowerNeedle)
{
    if (lowerNeedle.isEmpty())
        return true;
    if (haystack.size() < lowerNeedle.size())
        return false;
    const char first = lowerNeedle.front();
    const char firstUpper = (first >= 'a' && first <= 'z') ? char(first - 'a' + 'A') : first;
    const qsizetype last = haystack.size() - lowerNeedle.size();
    const char *data = haystack.data();
    for (qsizetype i = 0; i <= last; ++i) {
        if (data[i] != first && data[i] != firstUpper)
            continue;
        qsizetype j = 1;
        while (j < lowerNeedle.size() && foldAscii(data[i + j]) == lowerNeedle[j])
            ++j;
        if (j == lowerNeedle.size())
            return true;
    }
    return false;
}

bool HookQuery::isEmpty() const
{
    return ids.isEmpty() && !hasTextPart() && provider.isEmpty() && event.isEmpty() && actions.isEmpty() && status == 0
        && !problemsOnly && !refused && !verdict && sinceUs == 0 && untilUs == 0 && afterId == 0;
}

bool HookQuery::splitHeader(QStringView text, QByteArray *name, QByteArray *value)
{
    const QByteArray bytes = text.toUtf8();
    const qsizetype colon = bytes.indexOf(':');
    *name = (colon < 0 ? bytes : bytes.left(colon)).trimmed();
    *value = colon < 0 ? QByteArray() : bytes.mid(colon + 1).trimmed();
    return http::isToken(*name);
}

bool HookQuery::matchesFields(const Fields &fields) const
{
    if (!provider.isEmpty() && fields.provider != provider)
        return false;
    if (!event.isEmpty() && fields.event != event)
        return false;
    if (!actions.isEmpty() && !actions.contains(fields.action))
        return false;
    if (status != 0 && fields.status != status)
        return false;
    if (problemsOnly && fields.problems == 0)
        return false;
    if (refused && fields.refused != *refused)
        return false;
    if (verdict && fields.secret != *verdict && fields.signature != *verdict)
        return false;
    if (sinceUs != 0 && fields.receivedUs < sinceUs)
        return false;
    if (untilUs != 0 && fields.receivedUs >= untilUs)
        return false;
    return true;
}

bool HookQuery::matchesText(QByteArrayView target, QByteArrayView headerLines, QByteArrayView body) const
{
    if (!search.isEmpty()) {
        const QByteArray needle = lowerAscii(search.toUtf8());
        if (!containsFolded(target, needle) && !containsFolded(headerLines, needle) && !containsFolded(body, needle)
            && !formContains(headerLines, body, needle))
            return false;
    }
    if (!header.isEmpty()) {
        QByteArray name, value;
        if (!splitHeader(header, &name, &value))
            return false;
        const QByteArray lowerValue = lowerAscii(value);
        const bool found = anyHeaderLine(headerLines, [&](QByteArrayView fieldName, QByteArrayView fieldValue) {
            return http::nameEquals(fieldName, name) && containsFolded(fieldValue, lowerValue);
        });
        if (!found)
            return false;
    }
    return true;
}

bool HookQuery::matches(const Hook &hook) const
{
    const catalog::Inspection &in = hook.inspection;
    const Fields fields{in.provider, in.event, in.action, hook.answer.status, int(in.problems.size()),
                        in.secret, in.signature, hook.receivedUs, hook.refused()};
    if (!matchesFields(fields))
        return false;
    return !hasTextPart() || matchesText(hook.target, HookStore::encodeHeaders(hook.headers), hook.body);
}
