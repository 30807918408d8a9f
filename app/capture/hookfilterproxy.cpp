#include "hookfilterproxy.h"

#include "hookcolumns.h"
#include "hooktablemodel.h"

HookFilterProxy::HookFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(HookColumns::RawRole);
}

void HookFilterProxy::setQuery(const HookQuery &query)
{
    const bool textChanged = query.search != m_query.search || query.header != m_query.header;
    m_query = query;
    if (textChanged)
        m_textHits.clear();
    refilter();
}

void HookFilterProxy::setTextHits(const QSet<qint64> &ids)
{
    m_textHits = ids;
    refilter();
}

void HookFilterProxy::addTextHits(const QList<qint64> &ids)
{
    for (qint64 id : ids)
        m_textHits.insert(id);
}

void HookFilterProxy::refilter()
{
    // One layout change rather than a row removal per gap: a filter that keeps
    // every third of a million rows would otherwise send the view 666,666
    // removals, each of them linear in the header view.
    invalidate();
}

bool HookFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    // The table model answers directly, without building QVariants per cell.
    const auto *hooks = qobject_cast<const HookTableModel *>(sourceModel());
    if (!hooks)
        return true;
    if (!m_query.matchesFields(hooks->fieldsAt(sourceRow)))
        return false;
    return !m_query.hasTextPart() || m_textHits.contains(hooks->idAt(sourceRow));
}

bool HookFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    // Numbers straight from the table model, without a QVariant per comparison.
    const auto *hooks = qobject_cast<const HookTableModel *>(sourceModel());
    qint64 a64 = 0;
    qint64 b64 = 0;
    if (hooks && hooks->numericSortKey(left.row(), left.column(), &a64) && hooks->numericSortKey(right.row(), right.column(), &b64))
        return a64 < b64;
    const QVariant a = left.data(HookColumns::RawRole);
    const QVariant b = right.data(HookColumns::RawRole);
    if (a.typeId() == QMetaType::QString)
        return QString::compare(a.toString(), b.toString(), Qt::CaseInsensitive) < 0;
    return a.toLongLong() < b.toLongLong();
}
