#pragma once

#include "capture/hook.h"
#include "catalog/catalog.h"

#include <QSet>
#include <QTimer>
#include <QWidget>

class HookFilterProxy;
class HookTableModel;
class QComboBox;
class QLabel;
class QLineEdit;

namespace ui {

class StoreReader;

// Event and action pickers (from what was captured and from the catalog) and free
// text over path, headers and body. Paths match at once in the proxy; header and
// body matches come from a store search on the reader thread, typed text being
// debounced first.
class FilterBar : public QWidget
{
    Q_OBJECT

public:
    static constexpr int DebounceMs = 200;

    FilterBar(HookTableModel *model, HookFilterProxy *proxy, const catalog::Catalog &catalog, StoreReader *reader,
              QWidget *parent = nullptr);

    void focusText();
    void setEvent(const QString &event);
    void setAction(const QString &action);
    void setText(const QString &text);   // debounced like typing
    void clearFilters();
    // Hooks just stored: their headers and bodies are checked here, not in the store.
    void noteHooks(const QList<Hook> &hooks);
    // The store changed under the filter (delete, import): searches again.
    void refresh();

    QComboBox *eventBox() const { return m_event; }
    QComboBox *actionBox() const { return m_action; }
    QLineEdit *textEdit() const { return m_text; }
    QLabel *countLabel() const { return m_count; }
    bool isSearching() const { return m_ticket != 0; }

signals:
    // The store search for the current text finished and its hits are applied.
    void searchApplied(const QString &text, int hits);
    // Escape in an empty filter field: back to the list.
    void leaveRequested();

private:
    void refillEvents();
    void refillActions();
    void applyText();
    void updateCount();

    HookTableModel *m_model;
    HookFilterProxy *m_proxy;
    catalog::Catalog m_catalog;
    StoreReader *m_reader;
    QComboBox *m_event;
    QComboBox *m_action;
    QLineEdit *m_text;
    QLabel *m_count;
    QTimer m_debounce;
    QSet<qint64> m_hits;
    QString m_searchText;
    quint64 m_ticket = 0;
};

} // namespace ui
