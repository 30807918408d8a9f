#include "diff.h"

#include "http/response.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringDecoder>
#include <QUrl>

#include <algorithm>

namespace formats {

namespace {

// RFC 6901: "~" and "/" in a reference token are escaped.
QString pointerToken(QString token)
{
    return token.replace(u'~', QStringLiteral("~0")).replace(u'/', QStringLiteral("~1"));
}

QString compact(const QJsonValue &value)
{
    if (value.isUndefined())
        return QString();
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).chopped(1).sliced(1));
}

// The key an array item is matched by: its "id", as text; empty when it has none.
QString itemKey(const QJsonValue &item)
{
    if (!item.isObject())
        return {};
    const QJsonValue id = item.toObject().value(u"id");
    return id.isString() || id.isDouble() ? compact(id) : QString();
}

bool allKeyed(const QJsonArray &array, QStringList *keys)
{
    for (const QJsonValue &item : array) {
        const QString key = itemKey(item);
        if (key.isEmpty() || keys->contains(key))
            return false;
        keys->append(key);
    }
    return true;
}

// Indexes (into pairs) of a longest run of pairs whose second members increase:
// those kept their order; the others moved.
QList<qsizetype> longestIncreasing(const QList<std::pair<qsizetype, qsizetype>> &pairs)
{
    const qsizetype n = pairs.size();
    QList<qsizetype> length(n, 1), previous(n, -1);
    qsizetype best = -1;
    for (qsizetype i = 0; i < n; ++i) {
        for (qsizetype j = 0; j < i; ++j) {
            if (pairs[j].second < pairs[i].second && length[j] + 1 > length[i]) {
                length[i] = length[j] + 1;
                previous[i] = j;
            }
        }
        if (best < 0 || length[i] > length[best])
            best = i;
    }
    QList<qsizetype> kept;
    for (qsizetype i = best; i >= 0; i = previous[i])
        kept.prepend(i);
    return kept;
}

void diffArrays(const QJsonArray &a, const QJsonArray &b, const QString &prefix, QList<DiffEntry> *out)
{
    QStringList keysA, keysB;
    if (!a.isEmpty() && !b.isEmpty() && allKeyed(a, &keysA) && allKeyed(b, &keysB)) {
        QList<std::pair<qsizetype, qsizetype>> matched;
        for (qsizetype i = 0; i < a.size(); ++i) {
            const qsizetype j = keysB.indexOf(keysA.at(i));
            if (j < 0)
                out->append({prefix + u'/' + QString::number(i), DiffEntry::Op::Removed, a.at(i), QJsonValue::Undefined});
            else
                matched.append({i, j});
        }
        const QList<qsizetype> kept = longestIncreasing(matched);
        for (qsizetype m = 0; m < matched.size(); ++m) {
            const auto [i, j] = matched.at(m);
            if (!kept.contains(m))
                out->append({prefix + u'/' + QString::number(i), DiffEntry::Op::Moved, qint64(i), qint64(j)});
            diffJson(a.at(i), b.at(j), prefix + u'/' + QString::number(j), out);
        }
        for (qsizetype j = 0; j < b.size(); ++j) {
            if (!keysA.contains(keysB.at(j)))
                out->append({prefix + u'/' + QString::number(j), DiffEntry::Op::Added, QJsonValue::Undefined, b.at(j)});
        }
        return;
    }
    const qsizetype common = std::min(a.size(), b.size());
    for (qsizetype i = 0; i < common; ++i)
        diffJson(a.at(i), b.at(i), prefix + u'/' + QString::number(i), out);
    for (qsizetype i = common; i < b.size(); ++i)
        out->append({prefix + u'/' + QString::number(i), DiffEntry::Op::Added, QJsonValue::Undefined, b.at(i)});
    for (qsizetype i = common; i < a.size(); ++i)
        out->append({prefix + u'/' + QString::number(i), DiffEntry::Op::Removed, a.at(i), QJsonValue::Undefined});
}

// Lines of a and b as a unified-style list ("  ", "- ", "+ "), by their longest common subsequence.
QStringList lineDiff(const QStringList &a, const QStringList &b)
{
    const qsizetype n = a.size();
    const qsizetype m = b.size();
    std::vector<std::vector<quint32>> common(size_t(n + 1), std::vector<quint32>(size_t(m + 1), 0));
    for (qsizetype i = n - 1; i >= 0; --i) {
        for (qsizetype j = m - 1; j >= 0; --j)
            common[size_t(i)][size_t(j)] = a.at(i) == b.at(j) ? common[size_t(i + 1)][size_t(j + 1)] + 1
                                                                : std::max(common[size_t(i + 1)][size_t(j)], common[size_t(i)][size_t(j + 1)]);
    }
    QStringList lines;
    qsizetype i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a.at(i) == b.at(j)) {
            lines.append(u"  " + a.at(i++));
            ++j;
        } else if (j < m && (i == n || common[size_t(i)][size_t(j + 1)] >= common[size_t(i + 1)][size_t(j)])) {
            lines.append(u"+ " + b.at(j++));
        } else {
            lines.append(u"- " + a.at(i++));
        }
    }
    return lines;
}

// The body as text, when it is UTF-8 without control bytes other than line ends and tabs.
bool asText(const QByteArray &body, QString *text)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    *text = decoder(body);
    if (decoder.hasError())
        return false;
    return std::none_of(text->cbegin(), text->cend(), [](QChar c) { return c.unicode() < 0x20 && c != u'\n' && c != u'\r' && c != u'\t'; });
}

void diffBodies(const QByteArray &a, const QByteArray &b, HookDiff *diff)
{
    diff->sizeA = a.size();
    diff->sizeB = b.size();
    if (a == b) {
        diff->bodyKind = QStringLiteral("same");
        return;
    }
    const auto mismatch = std::mismatch(a.cbegin(), a.cend(), b.cbegin(), b.cend());
    diff->firstDifference = mismatch.first - a.cbegin();
    if (a.size() > MaxStructuralDiffBytes || b.size() > MaxStructuralDiffBytes) {
        diff->bodyKind = QStringLiteral("too large");
        return;
    }
    QJsonParseError errorA, errorB;
    const QJsonDocument jsonA = QJsonDocument::fromJson(a, &errorA);
    const QJsonDocument jsonB = QJsonDocument::fromJson(b, &errorB);
    if (errorA.error == QJsonParseError::NoError && errorB.error == QJsonParseError::NoError) {
        diff->bodyKind = QStringLiteral("json");
        const auto root = [](const QJsonDocument &document) {
            return document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
        };
        diffJson(root(jsonA), root(jsonB), QString(), &diff->body);
        return;
    }
    QString textA, textB;
    if (asText(a, &textA) && asText(b, &textB)) {
        const QStringList linesA = textA.split(u'\n');
        const QStringList linesB = textB.split(u'\n');
        // The table of common runs grows with both line counts: past a few million cells, a summary.
        if (qint64(linesA.size()) * linesB.size() > 4'000'000) {
            diff->bodyKind = QStringLiteral("too large");
            return;
        }
        diff->bodyKind = QStringLiteral("text");
        diff->lines = lineDiff(linesA, linesB);
        return;
    }
    diff->bodyKind = QStringLiteral("binary");
}

void diffHeaders(const http::HeaderList &a, const http::HeaderList &b, QList<DiffEntry> *out)
{
    // The k-th field of a name in a stands for the k-th field of that name in b.
    const auto occurrences = [](const http::HeaderList &headers) {
        QList<std::pair<QByteArray, int>> keys;
        QHash<QByteArray, int> seen;
        for (const http::HeaderField &field : headers) {
            const QByteArray name = field.name.toLower();
            keys.append({name, seen[name]++});
        }
        return keys;
    };
    const auto keysA = occurrences(a);
    const auto keysB = occurrences(b);
    const auto path = [](const http::HeaderField &field, int occurrence) {
        QString p = u'/' + pointerToken(QString::fromLatin1(field.name));
        return occurrence == 0 ? p : p + u'/' + QString::number(occurrence);
    };
    QList<std::pair<qsizetype, qsizetype>> matched;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const qsizetype j = keysB.indexOf(keysA.at(i));
        if (j < 0) {
            out->append({path(a.at(i), keysA.at(i).second), DiffEntry::Op::Removed, QString::fromLatin1(a.at(i).value), QJsonValue::Undefined});
            continue;
        }
        matched.append({i, j});
        if (a.at(i).value != b.at(j).value || a.at(i).name != b.at(j).name) {
            out->append({path(b.at(j), keysB.at(j).second), DiffEntry::Op::Changed,
                         QString::fromLatin1(a.at(i).name + ": " + a.at(i).value), QString::fromLatin1(b.at(j).name + ": " + b.at(j).value)});
        }
    }
    const QList<qsizetype> kept = longestIncreasing(matched);
    for (qsizetype m = 0; m < matched.size(); ++m) {
        if (!kept.contains(m)) {
            const auto [i, j] = matched.at(m);
            out->append({path(b.at(j), keysB.at(j).second), DiffEntry::Op::Moved, qint64(i), qint64(j)});
        }
    }
    for (qsizetype j = 0; j < b.size(); ++j) {
        if (!keysA.contains(keysB.at(j)))
            out->append({path(b.at(j), keysB.at(j).second), DiffEntry::Op::Added, QJsonValue::Undefined, QString::fromLatin1(b.at(j).value)});
    }
}

void diffField(const QString &name, const QString &a, const QString &b, QList<DiffEntry> *out)
{
    if (a != b)
        out->append({u'/' + name, DiffEntry::Op::Changed, a.isEmpty() ? QJsonValue() : QJsonValue(a), b.isEmpty() ? QJsonValue() : QJsonValue(b)});
}

QJsonArray entriesToJson(const QList<DiffEntry> &entries)
{
    QJsonArray array;
    for (const DiffEntry &entry : entries) {
        QJsonObject object{{QStringLiteral("path"), entry.path}, {QStringLiteral("op"), diffOpName(entry.op)}};
        if (!entry.from.isUndefined())
            object.insert(QStringLiteral("from"), entry.from);
        if (!entry.to.isUndefined())
            object.insert(QStringLiteral("to"), entry.to);
        array.append(object);
    }
    return array;
}

QString entryText(const DiffEntry &entry)
{
    switch (entry.op) {
    case DiffEntry::Op::Added: return QStringLiteral("  added   %1: %2").arg(entry.path, compact(entry.to));
    case DiffEntry::Op::Removed: return QStringLiteral("  removed %1: %2").arg(entry.path, compact(entry.from));
    case DiffEntry::Op::Changed: return QStringLiteral("  changed %1: %2 -> %3").arg(entry.path, compact(entry.from), compact(entry.to));
    case DiffEntry::Op::Moved: return QStringLiteral("  moved   %1: position %2 -> %3").arg(entry.path, compact(entry.from), compact(entry.to));
    }
    return {};
}

} // namespace

QString diffOpName(DiffEntry::Op op)
{
    switch (op) {
    case DiffEntry::Op::Added: return QStringLiteral("added");
    case DiffEntry::Op::Removed: return QStringLiteral("removed");
    case DiffEntry::Op::Changed: return QStringLiteral("changed");
    case DiffEntry::Op::Moved: return QStringLiteral("moved");
    }
    return {};
}

void diffJson(const QJsonValue &a, const QJsonValue &b, const QString &prefix, QList<DiffEntry> *out)
{
    if (a.isObject() && b.isObject()) {
        const QJsonObject objectA = a.toObject();
        const QJsonObject objectB = b.toObject();
        for (auto it = objectA.constBegin(); it != objectA.constEnd(); ++it) {
            const QString path = prefix + u'/' + pointerToken(it.key());
            if (!objectB.contains(it.key()))
                out->append({path, DiffEntry::Op::Removed, it.value(), QJsonValue::Undefined});
            else
                diffJson(it.value(), objectB.value(it.key()), path, out);
        }
        for (auto it = objectB.constBegin(); it != objectB.constEnd(); ++it) {
            if (!objectA.contains(it.key()))
                out->append({prefix + u'/' + pointerToken(it.key()), DiffEntry::Op::Added, QJsonValue::Undefined, it.value()});
        }
        return;
    }
    if (a.isArray() && b.isArray()) {
        diffArrays(a.toArray(), b.toArray(), prefix, out);
        return;
    }
    if (a != b)
        out->append({prefix, DiffEntry::Op::Changed, a, b});   // "" is the whole document (RFC 6901)
}

Message requestOf(const Hook &hook)
{
    return {{{QStringLiteral("method"), QString::fromLatin1(hook.method)},
             {QStringLiteral("target"), QString::fromLatin1(hook.target)},
             {QStringLiteral("version"), QString::fromLatin1(hook.version)}},
            hook.headers, hook.body};
}

Message requestOf(const Delivery &delivery)
{
    const QUrl url(delivery.url);
    const QString target = url.path(QUrl::FullyEncoded).isEmpty() ? QStringLiteral("/") : url.path(QUrl::FullyEncoded);
    return {{{QStringLiteral("method"), QString::fromLatin1(delivery.method)},
             {QStringLiteral("target"), url.hasQuery() ? target + u'?' + url.query(QUrl::FullyEncoded) : target},
             {QStringLiteral("version"), QStringLiteral("HTTP/1.1")}},
            delivery.requestHeaders, delivery.requestBody};
}

Message answerOf(const Hook &hook)
{
    return {{{QStringLiteral("status"), QString::number(hook.answer.status)},
             {QStringLiteral("reason"), QString::fromLatin1(http::reasonPhrase(hook.answer.status))}},
            hook.answer.headers, hook.answer.body};
}

Message answerOf(const Delivery &delivery)
{
    return {{{QStringLiteral("status"), delivery.status > 0 ? QString::number(delivery.status) : QStringLiteral("none")},
             {QStringLiteral("reason"), delivery.status > 0 ? QString::fromLatin1(delivery.reason) : delivery.error}},
            delivery.responseHeaders, delivery.responseBody};
}

HookDiff diffMessages(const Message &a, const Message &b)
{
    HookDiff diff;
    for (const auto &[name, value] : a.line) {
        const auto other = std::find_if(b.line.cbegin(), b.line.cend(), [&name](const auto &field) { return field.first == name; });
        diffField(name, value, other == b.line.cend() ? QString() : other->second, &diff.request);
    }
    diffHeaders(a.headers, b.headers, &diff.headers);
    diffBodies(a.body, b.body, &diff);
    return diff;
}

HookDiff diffHooks(const Hook &a, const Hook &b)
{
    HookDiff diff = diffMessages(requestOf(a), requestOf(b));

    const catalog::Inspection &in = a.inspection;
    const catalog::Inspection &out = b.inspection;
    diffField(QStringLiteral("provider"), in.provider, out.provider, &diff.inspection);
    diffField(QStringLiteral("event"), in.event, out.event, &diff.inspection);
    diffField(QStringLiteral("action"), in.action, out.action, &diff.inspection);
    diffField(QStringLiteral("action_sent"), in.sentAction, out.sentAction, &diff.inspection);
    diffField(QStringLiteral("secret"), catalog::verdictName(in.secret), catalog::verdictName(out.secret), &diff.inspection);
    diffField(QStringLiteral("signature"), catalog::verdictName(in.signature), catalog::verdictName(out.signature), &diff.inspection);
    for (const QString &problem : in.problems) {
        if (!out.problems.contains(problem))
            diff.inspection.append({QStringLiteral("/problems"), DiffEntry::Op::Removed, problem, QJsonValue::Undefined});
    }
    for (const QString &problem : out.problems) {
        if (!in.problems.contains(problem))
            diff.inspection.append({QStringLiteral("/problems"), DiffEntry::Op::Added, QJsonValue::Undefined, problem});
    }
    return diff;
}

QJsonObject diffToJson(const HookDiff &diff)
{
    QJsonObject object{
        {QStringLiteral("request"), entriesToJson(diff.request)},
        {QStringLiteral("headers"), entriesToJson(diff.headers)},
        {QStringLiteral("body"), entriesToJson(diff.body)},
        {QStringLiteral("inspection"), entriesToJson(diff.inspection)},
        {QStringLiteral("body_kind"), diff.bodyKind},
        {QStringLiteral("sizes"), QJsonArray{diff.sizeA, diff.sizeB}},
    };
    if (diff.bodyKind == u"text")
        object.insert(QStringLiteral("lines"), QJsonArray::fromStringList(diff.lines));
    if (diff.firstDifference >= 0)
        object.insert(QStringLiteral("first_difference"), diff.firstDifference);
    return object;
}

QString diffToText(const HookDiff &diff, qint64 idA, qint64 idB)
{
    QStringList lines{QStringLiteral("--- #%1").arg(idA), QStringLiteral("+++ #%1").arg(idB)};
    const auto section = [&lines](const QString &title, const QList<DiffEntry> &entries) {
        if (entries.isEmpty())
            return;
        lines.append(title);
        for (const DiffEntry &entry : entries)
            lines.append(entryText(entry));
    };
    section(QStringLiteral("request"), diff.request);
    section(QStringLiteral("headers"), diff.headers);
    if (diff.bodyKind == u"json") {
        section(QStringLiteral("body (JSON)"), diff.body);
    } else if (diff.bodyKind == u"text") {
        lines.append(QStringLiteral("body (text)"));
        for (const QString &line : diff.lines)
            lines.append(u"  " + line);
    } else if (diff.bodyKind == u"binary") {
        lines.append(QStringLiteral("body (binary): %1 and %2 bytes, first difference at byte %3").arg(diff.sizeA).arg(diff.sizeB).arg(diff.firstDifference));
    } else if (diff.bodyKind == u"too large") {
        lines.append(QStringLiteral("body: too large for a structural diff (%1 and %2 bytes), first difference at byte %3")
                         .arg(diff.sizeA).arg(diff.sizeB).arg(diff.firstDifference));
    }
    section(QStringLiteral("verdicts and problems"), diff.inspection);
    if (diff.isEmpty())
        lines.append(QStringLiteral("no differences"));
    return lines.join(u'\n') + u'\n';
}

} // namespace formats
