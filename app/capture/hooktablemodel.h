#pragma once

#include "hook.h"
#include "hookcolumns.h"
#include "hookstore.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QTimer>

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

    // Reads from this store file (its own read-only connection on this thread).
    bool openStore(const QString &path);
    // How many stored rows one fetchMore() reads.
    void setPageSize(int rows) { m_pageSize = rows; }
    QString errorString() const { return m_error; }

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
    void removeIds(const QList<qint64> &ids);
    void clear();
    // Re-reads everything from the store.
    void reload();

    // The raw value of a numeric column (#, time, size, answer, forward, secret), for sorting.
    bool numericSortKey(int row, int column, qint64 *key) const;
    qint64 idAt(int row) const;
    int rowOfId(qint64 id) const;   // -1 when not loaded
    qint64 totalInStore() const { return m_storeCount; }
    QStringList events() const { return m_events; }
    QStringList actions() const { return m_actions; }
    QString pathAt(int row) const;
    QString eventAt(int row) const;
    QString actionAt(int row) const;

signals:
    // New event or action names appeared (for the filter pickers).
    void vocabularyChanged();

private:
    struct Row
    {
        qint64 id;
        qint64 receivedUs;
        qint64 size;
        quint32 path;
        qint16 status;
        qint16 forward;
        quint16 method;
        quint16 event;
        quint16 action;
        quint8 verdict;
        quint8 problems;
    };

    Row compact(const HookRow &row);
    quint16 intern(QList<QString> &table, QHash<QString, quint16> &index, const QString &value);
    void flushPending();
    void appendRows(std::vector<Row> rows);

    HookStore m_store;
    QString m_error;
    std::vector<Row> m_rows;
    QList<QString> m_methods;
    QHash<QString, quint16> m_methodIndex;
    QList<QString> m_paths;
    QHash<QByteArray, quint32> m_pathIndex;
    QList<QString> m_events;
    QHash<QString, quint16> m_eventIndex;
    QList<QString> m_actions;
    QHash<QString, quint16> m_actionIndex;
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
