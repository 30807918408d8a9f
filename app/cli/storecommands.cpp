#include "clicommon.h"
#include "commands.h"

#include "formats/jsonl.h"
#include "http/response.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace cli {

namespace {

QString column(const QString &text, int width)
{
    return text.size() > width ? text.left(width - 1) + u'…' : text.leftJustified(width);
}

// The spelling the hook carried; another name of its action says which revision it comes from, as the window does.
QString actionCell(const HookRow &row, const catalog::Catalog &catalog)
{
    if (row.action.isEmpty())
        return QStringLiteral("-");
    if (row.actionSent.isEmpty())
        return row.action;
    const std::optional<catalog::Alias> alias = catalog.alias(row.provider, row.event, row.actionSent);
    return alias && !alias->revision.isEmpty() ? row.actionSent + u" (" + alias->revision + u')' : row.actionSent;
}

QString verdictCell(const HookRow &row)
{
    return row.authenticity == catalog::Verdict::NotConfigured ? QStringLiteral("-") : catalog::verdictName(row.authenticity);
}

} // namespace

int listCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List stored hooks, oldest first. Every filter given must hold."));
    parser.addOptions({
        dbOption(),
        catalogOption(),
        {QStringLiteral("provider"), QStringLiteral("Only hooks of this provider (codewars, github, standard-webhooks, or one of your catalogs)."), QStringLiteral("P")},
        {QStringLiteral("event"), QStringLiteral("Only hooks of this event."), QStringLiteral("E")},
        {QStringLiteral("action"), QStringLiteral("Only hooks of this action (either spelling of an action that has two)."), QStringLiteral("A")},
        {QStringLiteral("search"), QStringLiteral("Only hooks whose path, a header line or body contains TEXT (in any case)."), QStringLiteral("TEXT")},
        {QStringLiteral("header"), QStringLiteral("Only hooks with this header ('Name', or 'Name: value' where the value contains value)."),
         QStringLiteral("'Name: value'")},
        {QStringLiteral("status"), QStringLiteral("Only hooks answered with this status."), QStringLiteral("N")},
        {QStringLiteral("problems"), QStringLiteral("Only hooks the catalog check found problems in.")},
        {QStringLiteral("refused"), QStringLiteral("Only requests the listener refused (kept as far as they were read).")},
        {QStringLiteral("no-refused"), QStringLiteral("No requests the listener refused.")},
        {QStringLiteral("verdict"), u"Only hooks whose secret or signature has this verdict: " + catalog::verdictNameList() + u'.',
         QStringLiteral("V")},
        {QStringLiteral("since"), QStringLiteral("Only hooks received at or after TIME (ISO 8601, or a duration ago: 30m, 2h, 7d)."),
         QStringLiteral("TIME")},
        {QStringLiteral("until"), QStringLiteral("Only hooks received before TIME (as --since)."), QStringLiteral("TIME")},
        {QStringLiteral("limit"), QStringLiteral("At most N hooks, the newest ones."), QStringLiteral("N")},
        {QStringLiteral("json"), QStringLiteral("Print one JSON object per hook and line.")},
    });
    int exitCode = Success;
    if (!parse(parser, args, QStringLiteral("list"), &exitCode))
        return exitCode;
    if (!parser.positionalArguments().isEmpty()) {
        err(QStringLiteral("list: unexpected argument '%1'").arg(parser.positionalArguments().constFirst()));
        return UsageError;
    }
    catalog::LoadedCatalog catalogs;
    if (!loadCatalogs(parser, &catalogs))
        return UsageError;
    workspace::Workspace workspace(catalogs.catalog);
    HookQuery query;
    query.provider = parser.value(QStringLiteral("provider"));
    query.event = parser.value(QStringLiteral("event"));
    if (parser.isSet(QStringLiteral("action")))
        query.actions = workspace.resolveAction(parser.value(QStringLiteral("action")));
    query.search = parser.value(QStringLiteral("search"));
    query.header = parser.value(QStringLiteral("header"));
    QByteArray headerName, headerValue;
    if (!query.header.isEmpty() && !HookQuery::splitHeader(query.header, &headerName, &headerValue)) {
        err(QStringLiteral("--header: '%1' does not start with a header name").arg(query.header));
        return UsageError;
    }
    qint64 status = 0;
    if (!intOption(parser, QStringLiteral("status"), 100, 599, &status))
        return UsageError;
    query.status = int(status);
    query.problemsOnly = parser.isSet(QStringLiteral("problems"));
    if (parser.isSet(QStringLiteral("refused")) && parser.isSet(QStringLiteral("no-refused"))) {
        err(QStringLiteral("list: --refused and --no-refused exclude each other"));
        return UsageError;
    }
    if (parser.isSet(QStringLiteral("refused")) || parser.isSet(QStringLiteral("no-refused")))
        query.refused = parser.isSet(QStringLiteral("refused"));
    if (parser.isSet(QStringLiteral("verdict"))) {
        catalog::Verdict verdict;
        if (!catalog::verdictFromName(parser.value(QStringLiteral("verdict")), &verdict)) {
            err(QStringLiteral("--verdict: '%1' is none of %2").arg(parser.value(QStringLiteral("verdict")), catalog::verdictNameList()));
            return UsageError;
        }
        query.verdict = verdict;
    }
    for (const auto &[name, bound] : {std::pair{QStringLiteral("since"), &query.sinceUs}, std::pair{QStringLiteral("until"), &query.untilUs}}) {
        if (parser.isSet(name) && !parseTime(parser.value(name), bound)) {
            err(QStringLiteral("--%1: '%2' is neither an ISO 8601 time nor a duration like 30m, 2h, 7d").arg(name, parser.value(name)));
            return UsageError;
        }
    }
    if (!intOption(parser, QStringLiteral("limit"), 0, std::numeric_limits<qint64>::max(), &query.limit))
        return UsageError;
    // --limit keeps the newest; they are printed oldest first all the same.
    query.newestFirst = query.limit >= 0;

    if (!openWorkspace(workspace, parser, true))
        return Failure;

    if (parser.isSet(QStringLiteral("json"))) {
        workspace::Fetched<QList<Hook>> found = workspace::await(workspace.hooks(query));
        if (!found.ok()) {
            err(found.error);
            return Failure;
        }
        if (query.newestFirst)
            std::reverse(found.value.begin(), found.value.end());
        for (const Hook &hook : std::as_const(found.value))
            out(formats::hookToJsonLine(hook));
        return Success;
    }

    workspace::Fetched<QList<HookRow>> rows = workspace::await(workspace.rows(query));
    if (!rows.ok()) {
        err(rows.error);
        return Failure;
    }
    if (query.newestFirst)
        std::reverse(rows.value.begin(), rows.value.end());
    QString text = QStringLiteral("%1  %2  %3 %4 %5 %6 %7 %8 %9\n")
                       .arg(QStringLiteral("ID"), 8)
                       .arg(column(QStringLiteral("RECEIVED (UTC)"), 23))
                       .arg(column(QStringLiteral("METHOD"), 7))
                       .arg(column(QStringLiteral("PATH"), 24))
                       .arg(column(QStringLiteral("EVENT"), 16))
                       .arg(column(QStringLiteral("ACTION"), 20))
                       .arg(column(QStringLiteral("SECRET"), 14))
                       .arg(QStringLiteral("SIZE"), 8)
                       .arg(QStringLiteral("ANSWER"));
    for (const HookRow &row : std::as_const(rows.value)) {
        const QString time = QDateTime::fromMSecsSinceEpoch(row.receivedUs / 1000, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
        text += QStringLiteral("%1  %2  %3 %4 %5 %6 %7 %8 %9\n")
                    .arg(row.id, 8)
                    .arg(column(time, 23))
                    .arg(column(QString::fromLatin1(row.method), 7))
                    .arg(column(QString::fromUtf8(row.target), 24))
                    .arg(column(row.event.isEmpty() ? QStringLiteral("-") : row.event, 16))
                    .arg(column(actionCell(row, workspace.catalog()), 20))
                    .arg(column(verdictCell(row), 14))
                    .arg(row.size, 8)
                    .arg(row.refused                           ? QStringLiteral("%1 refused").arg(row.status)
                         : row.origin == Hook::Origin::Imported  ? QStringLiteral("imported")
                         : row.origin == Hook::Origin::Relayed ? QStringLiteral("relayed")
                         : row.answerRule.isEmpty()            ? QString::number(row.status)
                                                               : QStringLiteral("%1 by %2").arg(row.status).arg(row.answerRule));
    }
    out(text);
    return Success;
}

int showCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Show one stored hook: what was received, what was recognised, what was answered."));
    parser.addOptions({
        dbOption(),
        catalogOption(),
        {QStringLiteral("raw"), QStringLiteral("Print the request exactly as received (request line, headers, body bytes).")},
        {QStringLiteral("json"), QStringLiteral("Print the hook as one JSON object.")},
    });
    parser.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("The hook's id (see 'hookscope list')."));
    int exitCode = Success;
    if (!parse(parser, args, QStringLiteral("show"), &exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        err(QStringLiteral("show: expected exactly one hook id"));
        return UsageError;
    }
    QList<qint64> ids;
    if (!parseIds(parser.positionalArguments(), &ids))
        return UsageError;
    catalog::LoadedCatalog catalogs;
    if (!loadCatalogs(parser, &catalogs))
        return UsageError;
    workspace::Workspace workspace(catalogs.catalog);
    if (!openWorkspace(workspace, parser, true))
        return Failure;
    const workspace::Fetched<std::optional<Hook>> found = workspace::await(workspace.hook(ids.constFirst()));
    if (!found.value) {
        err(found.error);
        return Failure;
    }
    const Hook &hook = *found.value;

    if (parser.isSet(QStringLiteral("json"))) {
        out(QJsonDocument(formats::hookToJson(hook)).toJson(QJsonDocument::Indented));
        return Success;
    }
    QByteArray head = hook.method + ' ' + hook.target + ' ' + hook.version + "\r\n" + HookStore::encodeHeaders(hook.headers) + "\r\n";
    // A refused request: its bytes as they arrived, head and all, as far as they were kept.
    if (hook.refused())
        head.clear();
    if (parser.isSet(QStringLiteral("raw"))) {
        // Chunk framing is not kept; the body is what the chunks carried.
        out(head + hook.body);
        return Success;
    }
    const catalog::Inspection &in = hook.inspection;
    const auto orDash = [](const QString &s) { return s.isEmpty() ? QStringLiteral("-") : s; };
    QString text;
    text += QStringLiteral("Hook %1\n").arg(hook.id);
    if (hook.refused()) {
        text += QStringLiteral("  refused    %1 %2: %3\n")
                    .arg(hook.answer.status)
                    .arg(QString::fromLatin1(http::reasonPhrase(hook.answer.status)), hook.refusal);
        text += QStringLiteral("  read       %1 %2, header fields parsed: %3; the first %4 bytes that arrived follow\n")
                    .arg(hook.method.isEmpty() ? QStringLiteral("-") : QString::fromLatin1(hook.method),
                         hook.target.isEmpty() ? QStringLiteral("-") : QString::fromLatin1(hook.target))
                    .arg(hook.headers.size())
                    .arg(hook.body.size());
    }
    text += QStringLiteral("  received   %1%2\n").arg(formats::isoTimestamp(hook.receivedUs),
                                                   hook.origin == Hook::Origin::Imported  ? QStringLiteral(" (imported)")
                                                   : hook.origin == Hook::Origin::Relayed ? QStringLiteral(" (relayed by smee; the body is its re-serialisation)")
                                                                                          : QString());
    text += QStringLiteral("  peer       %1\n").arg(hook.peer());
    text += QStringLiteral("  provider   %1\n").arg(orDash(in.provider));
    text += QStringLiteral("  event      %1\n").arg(orDash(in.event));
    QString action = orDash(in.action);
    if (!in.sentAction.isEmpty()) {
        const std::optional<catalog::Alias> alias = workspace.catalog().alias(in.provider, in.event, in.sentAction);
        action += alias && !alias->revision.isEmpty() ? QStringLiteral(" (sent as %1, the name in the %2 revision)").arg(in.sentAction, alias->revision)
                                                      : QStringLiteral(" (sent as %1)").arg(in.sentAction);
    }
    text += QStringLiteral("  action     %1\n").arg(action);
    text += QStringLiteral("  secret     %1\n").arg(catalog::verdictName(in.secret));
    text += QStringLiteral("  signature  %1%2\n")
                .arg(catalog::verdictName(in.signature),
                     in.signature == catalog::Verdict::Unverifiable
                         ? QStringLiteral(" (relayed: the body was re-serialised by the relay, the signature cannot be checked byte-exactly)")
                     : in.signature == catalog::Verdict::OutsideTolerance
                         ? QStringLiteral(" (timestamp outside the tolerance: the signature matches, the time does not; see problems)")
                         : QString());
    text += QStringLiteral("  size       %1 bytes%2\n").arg(hook.body.size()).arg(hook.chunked ? QStringLiteral(" (chunked)") : QString());
    text += QStringLiteral("  answer     %1 %2%3\n")
                .arg(hook.answer.status)
                .arg(QString::fromLatin1(http::reasonPhrase(hook.answer.status)),
                     hook.answerRule.isEmpty() ? QString() : QStringLiteral(" (by the rule \"%1\")").arg(hook.answerRule));
    if (in.problems.isEmpty())
        text += QStringLiteral("  problems   none\n");
    for (const QString &problem : in.problems)
        text += QStringLiteral("  problem    %1\n").arg(problem);
    text += u'\n';
    out(text);
    out(head);
    // Bodies that are not text are shown as a hex dump, never as raw bytes on a terminal.
    const QString body = QString::fromUtf8(hook.body);
    const bool printable = body.toUtf8() == hook.body
        && std::none_of(body.cbegin(), body.cend(), [](QChar c) { return c.unicode() < 0x20 && c != u'\n' && c != u'\r' && c != u'\t'; });
    if (printable) {
        out(hook.body);
        if (!hook.body.isEmpty() && !hook.body.endsWith('\n'))
            out(QByteArrayView("\n"));
    } else {
        QString dump;
        for (qsizetype i = 0; i < hook.body.size(); i += 16) {
            const QByteArray line = hook.body.mid(i, 16);
            QString ascii;
            for (char c : line)
                ascii += (c >= 0x20 && c < 0x7f) ? QChar::fromLatin1(c) : QChar(u'.');
            dump += QStringLiteral("%1  %2 %3\n").arg(i, 8, 16, QLatin1Char('0')).arg(QString::fromLatin1(line.toHex(' ')), -48).arg(ascii);
        }
        out(dump);
    }
    const QList<Delivery> deliveries = workspace::await(workspace.deliveries(hook.id)).value;
    if (!deliveries.isEmpty())
        out(QStringLiteral("\nDeliveries\n"));
    for (const Delivery &d : deliveries) {
        out(QStringLiteral("  %1 %2 %3 -> %4 (%5 ms)\n")
                .arg(formats::isoTimestamp(d.startedUs), deliveryKindName(d.kind), d.url,
                     d.error.isEmpty() ? QString::number(d.status) : d.error)
                .arg(d.durationUs / 1000));
    }
    return Success;
}

} // namespace cli
