#pragma once

#include <QSet>
#include <QSortFilterProxyModel>

// Filters the capture list by event, action and free text, and sorts on the raw
// values of HookTableModel. Text matches the path directly; matches inside
// headers and bodies (which the table model does not hold) are handed in as ids
// found by the store.
class HookFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit HookFilterProxy(QObject *parent = nullptr);

    // The event and action rows must have (empty: any); event() would hide QObject::event().
    void setEvent(const QString &event);
    void setAction(const QString &action);
    void setText(const QString &text);
    // Ids whose headers or body contain the current text; rows with these ids pass too.
    void setTextHits(const QSet<qint64> &ids);

    QString filterEvent() const { return m_event; }
    QString filterAction() const { return m_action; }
    QString text() const { return m_text; }
    bool isFiltering() const { return !m_event.isEmpty() || !m_action.isEmpty() || !m_text.isEmpty(); }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void refilter();

    QString m_event;
    QString m_action;
    QString m_text;
    QSet<qint64> m_textHits;
};
