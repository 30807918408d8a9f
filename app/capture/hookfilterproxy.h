#pragma once

#include "hookquery.h"

#include <QSet>
#include <QSortFilterProxyModel>

// Filters the capture list by a HookQuery and sorts on the raw values of
// HookTableModel. The query's field parts are decided on the rows themselves;
// its text parts look into headers and bodies, which the table model does not
// hold, so the hooks that match them are handed in as ids (found by the store
// for stored hooks and by the same matcher for live ones, see FilterBar).
class HookFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit HookFilterProxy(QObject *parent = nullptr);

    // A query with text parts hides every row until setTextHits() names the matches.
    void setQuery(const HookQuery &query);
    const HookQuery &query() const { return m_query; }
    // Ids whose headers, target or body match the query's text parts.
    void setTextHits(const QSet<qint64> &ids);
    void addTextHits(const QList<qint64> &ids);
    bool isFiltering() const { return !m_query.isEmpty(); }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void refilter();

    HookQuery m_query;
    QSet<qint64> m_textHits;
};
