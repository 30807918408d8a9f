#pragma once

#include "capture/hook.h"
#include "capture/hookquery.h"
#include "catalog/catalog.h"

#include <QSet>
#include <QTimer>
#include <QWidget>

class HookFilterProxy;
class HookTableModel;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace workspace {
class Workspace;
}

namespace ui {

// Event and action pickers (from what was captured and from the catalog), a
// verdict picker and free text over path, header lines and body: one HookQuery,
// whose field parts the proxy decides on the rows and whose text matches come
// from the store (on the workspace's reader thread, typed text being debounced
// first) and, for hooks arriving meanwhile, from the same matcher here.
class FilterBar : public QWidget
{
    Q_OBJECT

public:
    static constexpr int DebounceMs = 200;

    FilterBar(HookTableModel *model, HookFilterProxy *proxy, workspace::Workspace *workspace, QWidget *parent = nullptr);

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
    QComboBox *checkBox() const { return m_check; }
    // Checked: requests the listener refused are listed too.
    QCheckBox *refusedBox() const { return m_refused; }
    // What the bar asks for now.
    HookQuery query() const;
    // Why the typed words are taken as plain text (a key with a value it cannot take), or empty.
    QString textProblem() const;
    QLineEdit *textEdit() const { return m_text; }
    QLabel *countLabel() const { return m_count; }
    bool isSearching() const { return m_searching; }

signals:
    // The store search for the current text finished and its hits are applied.
    void searchApplied(const QString &text, int hits);
    // Escape in an empty filter field: back to the list.
    void leaveRequested();

private:
    void refillEvents();
    void refillActions();
    void applyText();
    void applyFields();
    void updateCount();

    HookTableModel *m_model;
    HookFilterProxy *m_proxy;
    catalog::Catalog m_catalog;
    workspace::Workspace *m_workspace;
    QComboBox *m_event;
    QComboBox *m_action;
    QComboBox *m_check;
    QCheckBox *m_refused;
    QLineEdit *m_text;
    QLabel *m_count;
    QTimer m_debounce;
    QSet<qint64> m_hits;
    QString m_searchText;
    bool m_searching = false;
};

} // namespace ui
