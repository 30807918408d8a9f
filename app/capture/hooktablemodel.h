#pragma once

#include "hook.h"
#include "hookcolumns.h"
#include "hookstore.h"

#include "catalog/catalog.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QSet>
#include <QTimer>

#include <functional>

#include <vector>

// The capture list. One compact row per hook (no bodies, strings interned), so a
// million rows stay small. History comes from the store page by page through
// fetchMore(); live hooks are appended in batches, one insert per flush.
class HookTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:

    explicit HookTableModel(QObject *parent = nullptr);
    ~HookTableModel() override;

    // The Time column's text for a hook received at `time`, seen at `now` (both
    // local): the time of day for today's hooks, with the month and day for this
    // year's, with the year for older ones, so a hook from another day never
    // reads like one of today.
    static QString timeText(const QDateTime &time, const QDateTime &now);
    // The tooltip: the full ISO 8601 time with its offset from UTC.
    static QString timeTooltip(const QDateTime &time);

    // Names the revision of the documentation an action's other spelling comes from.
    void setCatalog(const catalog::Catalog &catalog) { m_catalog = catalog; }

    // Where stored rows come from: asked for the rows with ids after afterId, at
    // most limit of them, it answers (later, from another thread's work) through
    // addHistoryPage() with the generation it was given. The model never reads
    // the store itself.
    using PageSource = std::function<void(quint64 generation, qint64 afterId, int limit)>;
    void setPageSource(PageSource source) { m_pageSource = std::move(source); }
    // How many stored rows one page holds.
    void setPageSize(int rows) { m_pageSize = rows; }
    // Forgets every row and pages in the store's hooks anew, a page after the
    // other as they come back; live hooks wait until the pages have gone past
    // them. storeCount is what the store holds, when known, for counts shown
    // while paging (setHistoryCount() gives it later); once the history is in,
    // the count is the rows'.
    void startHistory(qint64 storeCount = 0);
    void setHistoryCount(qint64 storeCount);
    // A page asked for by the page source; a page shorter than asked ends the history.
    void addHistoryPage(quint64 generation, const QList<HookRow> &rows);
    bool isHistoryLoaded() const { return m_historyDone; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // Live hooks, already committed. Rows appear at the next flush (a batch per
    // event-loop turn); while history is still being paged in they arrive with it.
    void appendHooks(const QList<Hook> &hooks);
    void updateForward(qint64 hookId, int forwardStatus);
    // Rows read again from the store (after a re-check): loaded ones take the new values.
    void updateRows(const QList<HookRow> &rows);
    void removeIds(const QList<qint64> &ids);
    void clear();

    // The raw value of a numeric column (#, time, size, answer, forward, secret), for sorting.
    bool numericSortKey(int row, int column, qint64 *key) const;
    qint64 idAt(int row) const;
    int rowOfId(qint64 id) const;   // -1 when not loaded
    qint64 totalInStore() const { return m_storeCount; }
    QStringList events() const { return m_events; }
    QStringList actions() const { return m_actions; }
    // The actions (as spelled) seen on hooks of this event.
    QStringList actionsSeenWith(const QString &event) const;
    QString pathAt(int row) const;
    QString eventAt(int row) const;
    QString actionAt(int row) const;   // the canonical name, whichever spelling the hook carried
    // What the query's field parts look at, for the filter.
    HookQuery::Fields fieldsAt(int row) const;

signals:
    // New event or action names appeared (for the filter pickers).
    void vocabularyChanged();

private:
    struct Row
    {
        qint64 id;
        qint64 receivedUs;
        qint64 size : 48;     // bytes; a body is far below 2^47
        qint64 rule : 15;     // slot in m_rules: the answer rule by name, 0 for none
        quint64 refused : 1;  // the listener refused the request
        quint32 path;
        qint16 status;
        qint16 forward;
        quint16 event;
        quint16 action;
        quint8 method;
        quint8 provider;
        quint8 credentials;   // secret verdict in bits 0-2, signature in bits 3-5, imported in bit 6, relayed in bit 7
        quint8 problems;
    };
    static_assert(sizeof(Row) == 40, "a million rows are 40 MB");
    static constexpr quint8 ImportedBit = 0x40;
    static constexpr quint8 RelayedBit = 0x80;
    static catalog::Verdict secretOf(const Row &row) { return catalog::Verdict(row.credentials & 0x7); }
    static catalog::Verdict signatureOf(const Row &row) { return catalog::Verdict((row.credentials >> 3) & 0x7); }
    catalog::Verdict authenticityOf(const Row &row) const;

    Row compact(const HookRow &row);
    // The slot of the action's spelling as the hook carried it.
    quint16 internAction(const HookRow &row);
    const QString &canonicalAction(quint16 index) const;
    // The slot of value in table, added when new; past limit names share the last slot.
    static quint16 intern(QList<QString> &table, QHash<QString, quint16> &index, const QString &value, quint16 limit = 0xffff);
    void flushPending();
    void appendRows(std::vector<Row> rows);

    void requestPage();

    PageSource m_pageSource;
    quint64 m_generation = 0;
    bool m_pageRequested = false;
    std::vector<Row> m_rows;
    QList<QString> m_methods;
    QHash<QString, quint16> m_methodIndex;
    QList<QString> m_paths;
    QHash<QByteArray, quint32> m_pathIndex;
    QList<QString> m_events;
    QHash<QString, quint16> m_eventIndex;
    QList<QString> m_actions;
    QHash<QString, quint16> m_actionIndex;
    // Every (event << 16 | action) pair of the rows so far.
    QSet<quint32> m_seenPairs;
    QList<QString> m_providers;
    QHash<QString, quint16> m_providerIndex;
    QList<QString> m_rules;
    QHash<QString, quint16> m_ruleIndex;
    // Action slots that hold another spelling: the canonical name and the revision it comes from.
    struct AliasOf
    {
        QString canonical;
        QString revision;
    };
    QHash<quint16, AliasOf> m_aliases;
    catalog::Catalog m_catalog;
    qint64 m_loadedUpTo = 0;      // highest id paged in from the store
    qint64 m_storeCount = 0;      // rows in the store, loaded or not
    bool m_historyDone = true;
    bool m_changing = false;      // inside a begin/end pair or its signals
    int m_pageSize = 50'000;
    QList<HookRow> m_pending;     // live rows waiting for the next flush
    HookRow m_lastSource;         // the row compacted last, and what it became
    Row m_lastCompacted{};
    QTimer m_flushTimer;
};
