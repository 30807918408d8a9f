#include "hooktablemodel.h"

#include <QDateTime>
#include <QLocale>

#include <algorithm>

namespace {

QString verdictCell(catalog::Verdict verdict)
{
    return verdict == catalog::Verdict::NotConfigured ? QString() : catalog::verdictName(verdict);
}

QString sizeText(qint64 size)
{
    return QLocale::system().formattedDataSize(size, 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace

HookTableModel::HookTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, &HookTableModel::flushPending);
    // Index 0 of every table is the empty string, so "unknown" costs nothing.
    intern(m_methods, m_methodIndex, QString());
    intern(m_events, m_eventIndex, QString());
    intern(m_actions, m_actionIndex, QString());
    intern(m_providers, m_providerIndex, QString());
    intern(m_rules, m_ruleIndex, QString());
    m_paths.append(QString());
    m_pathIndex.insert(QByteArray(), 0);
}

QString HookTableModel::timeText(const QDateTime &time, const QDateTime &now)
{
    if (time.date() == now.date())
        return time.toString(QStringLiteral("HH:mm:ss.zzz"));
    if (time.date().year() == now.date().year())
        return time.toString(QStringLiteral("MM-dd HH:mm:ss"));
    return time.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString HookTableModel::timeTooltip(const QDateTime &time)
{
    return time.toOffsetFromUtc(time.offsetFromUtc()).toString(Qt::ISODateWithMs);
}

HookTableModel::~HookTableModel() = default;

void HookTableModel::startHistory(qint64 storeCount)
{
    m_changing = true;
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    m_loadedUpTo = 0;
    m_storeCount = storeCount;
    m_historyDone = false;
    ++m_generation;
    m_pageRequested = false;
    endResetModel();
    m_changing = false;
    requestPage();
}

void HookTableModel::setHistoryCount(qint64 storeCount)
{
    if (!m_historyDone)
        m_storeCount = std::max<qint64>(storeCount, qint64(m_rows.size()) + m_pending.size());
}

void HookTableModel::requestPage()
{
    if (m_historyDone || m_pageRequested)
        return;
    if (!m_pageSource) {
        m_historyDone = true;
        return;
    }
    m_pageRequested = true;
    m_pageSource(m_generation, m_loadedUpTo, m_pageSize);
}

void HookTableModel::addHistoryPage(quint64 generation, const QList<HookRow> &rows)
{
    if (generation != m_generation)
        return;   // asked for before a reset
    m_pageRequested = false;
    if (rows.size() < m_pageSize)
        m_historyDone = true;
    std::vector<Row> page;
    page.reserve(size_t(rows.size()));
    for (const HookRow &row : rows) {
        if (row.id > m_loadedUpTo)
            page.push_back(compact(row));
    }
    if (!page.empty()) {
        m_loadedUpTo = page.back().id;
        // Live hooks that came in while paging are now either in this page or a later one.
        m_pending.erase(std::remove_if(m_pending.begin(), m_pending.end(), [this](const HookRow &r) { return r.id <= m_loadedUpTo; }),
                        m_pending.end());
        appendRows(std::move(page));
    }
    if (m_historyDone) {
        m_storeCount = qint64(m_rows.size()) + m_pending.size();
        if (!m_pending.isEmpty())
            m_flushTimer.start();
    }
    // The next page is asked for once this one is shown: the window stays usable while history comes in.
    requestPage();
}

int HookTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HookTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : HookColumns::Count;
}

quint16 HookTableModel::intern(QList<QString> &table, QHash<QString, quint16> &index, const QString &value, quint16 limit)
{
    const auto it = index.constFind(value);
    if (it != index.cend())
        return it.value();
    // Past the limit further names share the last slot; no real sender gets there.
    const auto id = quint16(std::min<qsizetype>(table.size(), limit));
    if (table.size() < limit) {
        table.append(value);
        index.insert(value, id);
    }
    return id;
}

HookTableModel::Row HookTableModel::compact(const HookRow &row)
{
    Row r{};
    r.id = row.id;
    r.receivedUs = row.receivedUs;
    r.size = row.size;
    r.status = qint16(row.status);
    r.forward = qint16(row.forwardStatus);
    // The store hands out the same string again for equal neighbours, so
    // comparing with the previous row's data pointer skips most hash look-ups.
    Row &last = m_lastCompacted;
    const auto sameAsLast = [](const auto &value, const auto &previous) { return value.constData() == previous.constData(); };
    r.method = sameAsLast(row.method, m_lastSource.method)
        ? last.method
        : quint8(intern(m_methods, m_methodIndex, QString::fromLatin1(row.method), 0xff));
    r.provider = sameAsLast(row.provider, m_lastSource.provider) ? last.provider
                                                                : quint8(intern(m_providers, m_providerIndex, row.provider, 0xff));
    const qsizetype eventsBefore = m_events.size();
    const qsizetype actionsBefore = m_actions.size();
    r.event = sameAsLast(row.event, m_lastSource.event) ? last.event : intern(m_events, m_eventIndex, row.event);
    r.action = sameAsLast(row.action, m_lastSource.action) && sameAsLast(row.actionSent, m_lastSource.actionSent) ? last.action
                                                                                                                : internAction(row);
    bool newWords = m_events.size() != eventsBefore || m_actions.size() != actionsBefore;
    if (r.event != last.event || r.action != last.action || m_seenPairs.isEmpty()) {
        const qsizetype pairsBefore = m_seenPairs.size();
        m_seenPairs.insert(quint32(r.event) << 16 | r.action);
        newWords = newWords || m_seenPairs.size() != pairsBefore;
    }
    if (newWords)
        QMetaObject::invokeMethod(this, &HookTableModel::vocabularyChanged, Qt::QueuedConnection);
    if (sameAsLast(row.target, m_lastSource.target)) {
        r.path = last.path;
    } else {
        auto path = m_pathIndex.constFind(row.target);
        if (path == m_pathIndex.cend()) {
            path = m_pathIndex.insert(row.target, quint32(m_paths.size()));
            m_paths.append(QString::fromUtf8(row.target));
        }
        r.path = path.value();
    }
    m_lastSource = row;
    m_lastCompacted = r;
    r.credentials = quint8(quint8(row.secret) | (quint8(row.signature) << 3) | (row.origin == Hook::Origin::Imported ? ImportedBit : 0)
                             | (row.origin == Hook::Origin::Relayed ? RelayedBit : 0));
    r.problems = quint8(std::min(row.problems, 255));
    r.rule = row.answerRule.isEmpty() ? 0 : intern(m_rules, m_ruleIndex, row.answerRule, 0x3fff);
    r.refused = row.refused ? 1 : 0;
    return r;
}

QVariant HookTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    using namespace HookColumns;
    switch (role) {
    case IdRole:
        return row.id;
    case ProblemsRole:
        return int(row.problems);
    case VerdictRole:
        return int(authenticityOf(row));
    case RefusedRole:
        return row.refused != 0;
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case Id:
        case Size:
        case Status:
        case Forward:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    case RawRole:
        switch (index.column()) {
        case Id: return row.id;
        case Time: return row.receivedUs;
        case Method: return m_methods.at(row.method);
        case Path: return m_paths.at(row.path);
        case Event: return m_events.at(row.event);
        case Action: return m_actions.at(row.action);
        case Verdict: return int(authenticityOf(row));
        case Size: return row.size;
        case Status: return int(row.status);
        case Rule: return m_rules.at(row.rule);
        case Forward: return int(row.forward);
        default: return {};
        }
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Id: return row.id;
        case Time: {
            const QDateTime time = QDateTime::fromMSecsSinceEpoch(row.receivedUs / 1000, Qt::UTC).toLocalTime();
            return role == Qt::ToolTipRole ? timeTooltip(time) : timeText(time, QDateTime::currentDateTime());
        }
        case Method: return m_methods.at(row.method);
        case Path: return m_paths.at(row.path);
        case Event:
            // A request no provider claims says so rather than leaving the cell to its problem mark.
            if (row.event == 0 && row.provider == 0 && !row.refused)
                return role == Qt::ToolTipRole ? tr("No provider of the catalog recognises this request") : tr("unrecognised");
            return m_events.at(row.event);
        case Action: {
            // The spelling the hook carried; another name of an action says which, and where it comes from.
            const auto alias = m_aliases.constFind(row.action);
            if (alias == m_aliases.cend())
                return m_actions.at(row.action);
            if (role == Qt::ToolTipRole)
                return alias->revision.isEmpty()
                    ? tr("%1, sent as %2").arg(alias->canonical, m_actions.at(row.action))
                    : tr("%1, sent as %2 (the name in the %3 revision of the documentation)")
                          .arg(alias->canonical, m_actions.at(row.action), alias->revision);
            return alias->revision.isEmpty() ? m_actions.at(row.action) : tr("%1 (%2)").arg(m_actions.at(row.action), alias->revision);
        }
        case Verdict: return verdictCell(authenticityOf(row));
        case Size: return role == Qt::ToolTipRole ? QVariant(tr("%n byte(s)", nullptr, int(row.size))) : QVariant(sizeText(row.size));
        case Status:
            if (row.credentials & ImportedBit)
                return role == Qt::ToolTipRole ? tr("Imported from a file; it answered %1 then").arg(row.status) : tr("imported");
            if (row.credentials & RelayedBit)
                return role == Qt::ToolTipRole ? tr("Received by a smee relay, which answered the sender itself") : tr("relayed");
            if (row.refused && role == Qt::ToolTipRole)
                return tr("Refused with %1: the listener kept what it had read of the request (the reason is in the Overview)").arg(row.status);
            return int(row.status);
        case Rule:
            if (role == Qt::ToolTipRole && row.rule != 0)
                return tr("Answered by the answer rule \"%1\"").arg(m_rules.at(row.rule));
            return m_rules.at(row.rule);
        case Forward:
            if (row.forward < 0)
                return QString();
            return row.forward == 0 ? tr("failed") : QString::number(row.forward);
        default: return {};
        }
    default:
        return {};
    }
}

QVariant HookTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    using namespace HookColumns;
    switch (section) {
    case Id: return tr("#");
    case Time: return tr("Time");
    case Method: return tr("Method");
    case Path: return tr("Path");
    case Event: return tr("Event");
    case Action: return tr("Action");
    case Verdict: return tr("Secret");
    case Size: return tr("Size");
    case Status: return tr("Answer");
    case Rule: return tr("Rule");
    case Forward: return tr("Forward");
    default: return {};
    }
}

bool HookTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_historyDone;
}

void HookTableModel::fetchMore(const QModelIndex &parent)
{
    if (!parent.isValid())
        requestPage();
}

void HookTableModel::appendHooks(const QList<Hook> &hooks)
{
    for (const Hook &hook : hooks) {
        HookRow row;
        row.id = hook.id;
        row.receivedUs = hook.receivedUs;
        row.method = hook.method;
        row.target = hook.target;
        row.provider = hook.inspection.provider;
        row.event = hook.inspection.event;
        row.action = hook.inspection.action;
        row.actionSent = hook.inspection.sentAction;
        row.secret = hook.inspection.secret;
        row.signature = hook.inspection.signature;
        row.authenticity = hook.inspection.authenticity();
        row.size = hook.body.size();
        row.status = hook.answer.status;
        row.problems = int(hook.inspection.problems.size());
        row.origin = hook.origin;
        row.answerRule = hook.answerRule;
        row.refused = hook.refused();
        m_pending.append(row);
    }
    m_storeCount += hooks.size();
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void HookTableModel::flushPending()
{
    if (m_pending.isEmpty())
        return;
    // Older rows are still to be paged in: these wait for them. A page read
    // before they were stored does not hold them, so they are kept until the
    // pages have gone past them (addHistoryPage()) or the history is in.
    if (!m_historyDone)
        return;
    std::vector<Row> rows;
    rows.reserve(size_t(m_pending.size()));
    for (const HookRow &row : std::as_const(m_pending)) {
        if (row.id > m_loadedUpTo)
            rows.push_back(compact(row));
    }
    m_pending.clear();
    if (rows.empty())
        return;
    m_loadedUpTo = rows.back().id;
    appendRows(std::move(rows));
}

void HookTableModel::appendRows(std::vector<Row> rows)
{
    const int first = int(m_rows.size());
    m_changing = true;
    beginInsertRows({}, first, first + int(rows.size()) - 1);
    m_rows.insert(m_rows.end(), rows.begin(), rows.end());
    endInsertRows();
    m_changing = false;
}

void HookTableModel::updateForward(qint64 hookId, int forwardStatus)
{
    const int row = rowOfId(hookId);
    if (row < 0)
        return;
    m_rows[size_t(row)].forward = qint16(forwardStatus);
    const QModelIndex cell = index(row, HookColumns::Forward);
    emit dataChanged(cell, cell, {Qt::DisplayRole, HookColumns::RawRole});
}

void HookTableModel::updateRows(const QList<HookRow> &rows)
{
    for (const HookRow &row : rows) {
        const int index = rowOfId(row.id);
        if (index < 0)
            continue;
        m_rows[size_t(index)] = compact(row);
        emit dataChanged(this->index(index, 0), this->index(index, HookColumns::Count - 1),
                         {Qt::DisplayRole, Qt::ToolTipRole, HookColumns::RawRole, HookColumns::VerdictRole, HookColumns::ProblemsRole});
    }
}

void HookTableModel::removeIds(const QList<qint64> &ids)
{
    QList<int> rows;
    for (qint64 id : ids) {
        const int row = rowOfId(id);
        if (row >= 0)
            rows.append(row);
    }
    std::sort(rows.begin(), rows.end(), std::greater<>());
    // Contiguous runs go out with one remove each, from the bottom up.
    qsizetype i = 0;
    while (i < rows.size()) {
        int last = rows.at(i);
        int first = last;
        while (i + 1 < rows.size() && rows.at(i + 1) == first - 1)
            first = rows.at(++i);
        ++i;
        beginRemoveRows({}, first, last);
        m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
        endRemoveRows();
    }
    m_storeCount = std::max<qint64>(0, m_storeCount - rows.size());
}

void HookTableModel::clear()
{
    m_changing = true;
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    m_storeCount = 0;
    m_historyDone = true;
    endResetModel();
    m_changing = false;
}

bool HookTableModel::numericSortKey(int row, int column, qint64 *key) const
{
    if (row < 0 || row >= int(m_rows.size()))
        return false;
    const Row &r = m_rows[size_t(row)];
    switch (column) {
    case HookColumns::Id: *key = r.id; return true;
    case HookColumns::Time: *key = r.receivedUs; return true;
    case HookColumns::Size: *key = r.size; return true;
    case HookColumns::Status: *key = r.status; return true;
    case HookColumns::Forward: *key = r.forward; return true;
    case HookColumns::Verdict: *key = qint64(authenticityOf(r)); return true;
    default: return false;
    }
}

qint64 HookTableModel::idAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[size_t(row)].id : 0;
}

int HookTableModel::rowOfId(qint64 id) const
{
    // Rows are in id order: a binary search finds one.
    const auto it = std::lower_bound(m_rows.begin(), m_rows.end(), id, [](const Row &r, qint64 v) { return r.id < v; });
    return it != m_rows.end() && it->id == id ? int(it - m_rows.begin()) : -1;
}

QString HookTableModel::pathAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_paths.at(m_rows[size_t(row)].path) : QString();
}

QString HookTableModel::eventAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_events.at(m_rows[size_t(row)].event) : QString();
}

QStringList HookTableModel::actionsSeenWith(const QString &event) const
{
    const auto index = m_eventIndex.constFind(event);
    if (index == m_eventIndex.cend())
        return {};
    QStringList names;
    for (const quint32 pair : m_seenPairs) {
        if (pair >> 16 == index.value())
            names.append(m_actions.at(pair & 0xffff));
    }
    return names;
}

QString HookTableModel::actionAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? canonicalAction(m_rows[size_t(row)].action) : QString();
}

quint16 HookTableModel::internAction(const HookRow &row)
{
    if (row.actionSent.isEmpty())
        return intern(m_actions, m_actionIndex, row.action);
    const qsizetype before = m_actions.size();
    const quint16 index = intern(m_actions, m_actionIndex, row.actionSent);
    if (m_actions.size() != before) {
        const std::optional<catalog::Alias> alias = m_catalog.alias(row.provider, row.event, row.actionSent);
        m_aliases.insert(index, {row.action, alias ? alias->revision : QString()});
    }
    return index;
}

const QString &HookTableModel::canonicalAction(quint16 index) const
{
    const auto alias = m_aliases.constFind(index);
    return alias == m_aliases.cend() ? m_actions.at(index) : alias->canonical;
}

catalog::Verdict HookTableModel::authenticityOf(const Row &row) const
{
    return catalog::Inspection::authenticityOf(m_providers.at(row.provider), secretOf(row), signatureOf(row));
}

HookQuery::Fields HookTableModel::fieldsAt(int row) const
{
    if (row < 0 || row >= int(m_rows.size()))
        return {};
    const Row &r = m_rows[size_t(row)];
    return {m_providers.at(r.provider), m_events.at(r.event), canonicalAction(r.action), r.status, r.problems,
            secretOf(r), signatureOf(r), r.receivedUs, r.refused != 0};
}
