#include "filterbar.h"

#include "icons.h"

#include "capture/hookfilterproxy.h"
#include "capture/hookstore.h"
#include "capture/hooktablemodel.h"
#include "workspace/querytext.h"
#include "workspace/workspace.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>

namespace ui {

namespace {

// Sets the items of a picker, keeping the current choice (added when it is not among them).
void refill(QComboBox *box, const QString &allText, QStringList names)
{
    const QString current = box->currentData().toString();
    names.removeAll(QString());
    names.sort(Qt::CaseInsensitive);
    names.removeDuplicates();
    if (!current.isEmpty() && !names.contains(current))
        names.append(current);
    const QSignalBlocker blocker(box);
    box->clear();
    box->addItem(allText, QString());
    for (const QString &name : std::as_const(names))
        box->addItem(name, name);
    box->setCurrentIndex(std::max(0, box->findData(current)));
}

} // namespace

FilterBar::FilterBar(HookTableModel *model, HookFilterProxy *proxy, workspace::Workspace *workspace, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(proxy)
    , m_catalog(workspace->catalog())
    , m_workspace(workspace)
    , m_event(new QComboBox(this))
    , m_action(new QComboBox(this))
    , m_check(new QComboBox(this))
    , m_refused(new QCheckBox(tr("Refused"), this))
    , m_text(new QLineEdit(this))
    , m_count(new QLabel(this))
{
    m_event->setToolTip(tr("Show only hooks of this event"));
    m_action->setToolTip(tr("Show only hooks with this action"));
    m_event->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_action->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_event->setMinimumContentsLength(14);
    m_action->setMinimumContentsLength(16);
    m_check->setToolTip(tr("Show only hooks with problems, or whose secret or signature did not check out"));
    m_check->addItem(tr("Any verdict"));
    m_check->addItem(tr("With problems"));
    m_check->addItem(tr("Invalid secret or signature"), int(catalog::Verdict::Invalid));
    m_check->addItem(tr("Missing secret or signature"), int(catalog::Verdict::Missing));
    m_check->addItem(tr("Timestamp outside the tolerance"), int(catalog::Verdict::OutsideTolerance));
    m_refused->setChecked(true);
    m_refused->setToolTip(tr("List the requests the listener refused (400, 408, 413, 431, 503 …) beside the hooks;"
                             " has:refused lists only them, refused:no none of them"));
    m_text->setPlaceholderText(tr("Filter by path, header or body text, or status:401 since:2h …  (Ctrl+F)"));
    m_text->setToolTip(tr("Free text is found in the path, in header lines as they read (X-Webhook-Secret: wrong) and in the body,"
                          " in any case.\nThese words narrow further: provider:github  event:user  action:approved  status:401"
                          "  verdict:invalid  has:problems  has:refused  refused:no  since:2h  until:2026-12-01"));
    m_text->setClearButtonEnabled(true);
    m_text->addAction(themedIcon(QStringLiteral("filter"), palette()), QLineEdit::LeadingPosition);
    m_count->setForegroundRole(QPalette::PlaceholderText);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addWidget(m_event);
    layout->addWidget(m_action);
    layout->addWidget(m_check);
    layout->addWidget(m_refused);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_count);

    auto *escape = new QAction(this);
    escape->setShortcut(QKeySequence(Qt::Key_Escape));
    escape->setShortcutContext(Qt::WidgetShortcut);
    static_cast<QWidget *>(m_text)->addAction(escape);
    connect(escape, &QAction::triggered, this, [this] {
        if (m_text->text().isEmpty())
            emit leaveRequested();
        else
            m_text->clear();
    });

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(DebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &FilterBar::applyText);
    connect(m_text, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    connect(m_text, &QLineEdit::returnPressed, this, [this] {
        if (m_debounce.isActive()) {
            m_debounce.stop();
            applyText();
        }
    });
    connect(m_event, &QComboBox::currentIndexChanged, this, [this] {
        refillActions();
        applyFields();
    });
    connect(m_action, &QComboBox::currentIndexChanged, this, &FilterBar::applyFields);
    connect(m_check, &QComboBox::currentIndexChanged, this, &FilterBar::applyFields);
    connect(m_refused, &QCheckBox::toggled, this, &FilterBar::applyFields);
    connect(m_model, &HookTableModel::vocabularyChanged, this, [this] {
        refillEvents();
        refillActions();
    });
    // "shown of all": hooks the filter hides change the second number, so the
    // model's changes count as well as the proxy's.
    for (QAbstractItemModel *counted : {static_cast<QAbstractItemModel *>(m_proxy), static_cast<QAbstractItemModel *>(m_model)}) {
        for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
            connect(counted, signal, this, &FilterBar::updateCount);
        connect(counted, &QAbstractItemModel::modelReset, this, &FilterBar::updateCount);
    }
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &FilterBar::updateCount);

    refillEvents();
    refillActions();
    updateCount();
}

void FilterBar::refillEvents()
{
    QStringList names = m_model->events();
    for (const QString &provider : m_catalog.providers()) {
        if (const auto p = m_catalog.provider(provider)) {
            for (const catalog::Event &event : p->events)
                names.append(event.name);
        }
    }
    refill(m_event, tr("All events"), names);
}

void FilterBar::refillActions()
{
    // The catalog's actions of the chosen event, or of every event, and all that were seen.
    const QString event = m_event->currentData().toString();
    QStringList names = event.isEmpty() ? m_model->actions() : m_model->actionsSeenWith(event);
    for (const QString &provider : m_catalog.providers()) {
        if (const auto p = m_catalog.provider(provider)) {
            for (const catalog::Event &e : p->events) {
                if (!event.isEmpty() && e.name != event)
                    continue;
                for (const catalog::Action &action : e.actions)
                    names.append(action.name);
            }
        }
    }
    refill(m_action, tr("All actions"), names);
}

void FilterBar::focusText()
{
    m_text->setFocus(Qt::ShortcutFocusReason);
    m_text->selectAll();
}

void FilterBar::setEvent(const QString &event)
{
    int index = m_event->findData(event);
    if (index < 0 && !event.isEmpty()) {
        m_event->addItem(event, event);
        index = m_event->count() - 1;
    }
    m_event->setCurrentIndex(std::max(0, index));
}

void FilterBar::setAction(const QString &action)
{
    int index = m_action->findData(action);
    if (index < 0 && !action.isEmpty()) {
        m_action->addItem(action, action);
        index = m_action->count() - 1;
    }
    m_action->setCurrentIndex(std::max(0, index));
}

void FilterBar::setText(const QString &text)
{
    m_text->setText(text);
}

void FilterBar::clearFilters()
{
    m_event->setCurrentIndex(0);
    m_action->setCurrentIndex(0);
    m_check->setCurrentIndex(0);
    m_refused->setChecked(true);
    m_text->clear();
    m_debounce.stop();
    applyText();
}

HookQuery FilterBar::query() const
{
    HookQuery query;
    query.event = m_event->currentData().toString();
    const QString action = m_action->currentData().toString();
    if (!action.isEmpty())
        query.actions = m_workspace->resolveAction(action);
    query.problemsOnly = m_check->currentIndex() == 1;
    if (m_check->currentData().isValid())
        query.verdict = catalog::Verdict(m_check->currentData().toInt());
    if (!m_refused->isChecked())
        query.refused = false;
    // Typed parts (status:401 since:2h …) beside the pickers; the rest is free text.
    QString error;
    if (!workspace::parseQueryText(m_searchText, *m_workspace, &query, &error))
        query.search = m_searchText;
    return query;
}

QString FilterBar::textProblem() const
{
    HookQuery query;
    QString error;
    return workspace::parseQueryText(m_searchText, *m_workspace, &query, &error) ? QString() : error;
}

void FilterBar::applyFields()
{
    m_proxy->setQuery(query());
    updateCount();
}

void FilterBar::applyText()
{
    m_searchText = m_text->text();
    m_hits.clear();
    // Rows with a text part wait for the hits: from the store for stored hooks
    // (noteHooks() adds live ones), by the same matcher.
    m_proxy->setQuery(query());
    const HookQuery current = m_proxy->query();
    m_searching = current.hasTextPart();
    if (m_searching) {
        HookQuery textOnly;
        textOnly.search = current.search;
        const QString text = m_searchText;
        workspace::whenReady(m_workspace->matchingIds(textOnly), this, [this, text](const workspace::Workspace::Matches &matches) {
            if (matches.superseded || text != m_searchText)
                return;
            m_searching = false;
            m_hits.unite(matches.ids);
            m_proxy->setTextHits(m_hits);
            updateCount();
            emit searchApplied(m_searchText, int(m_hits.size()));
        });
    }
    updateCount();
}

void FilterBar::refresh()
{
    if (!m_searchText.isEmpty())
        applyText();
}

void FilterBar::noteHooks(const QList<Hook> &hooks)
{
    if (!m_proxy->query().hasTextPart())
        return;
    const HookQuery &query = m_proxy->query();
    QList<qint64> hits;
    for (const Hook &hook : hooks) {
        if (query.matchesText(hook.target, HookStore::encodeHeaders(hook.headers), hook.body)) {
            m_hits.insert(hook.id);
            hits.append(hook.id);
        }
    }
    // The rows are not in the table yet (the model adds them on its next turn), so
    // the hits are in place when the proxy first sees them.
    m_proxy->addTextHits(hits);
}

void FilterBar::updateCount()
{
    const int shown = m_proxy->rowCount();
    const int total = m_model->rowCount();
    const QLocale locale;
    const QString problem = textProblem();
    if (!problem.isEmpty())
        m_count->setText(tr("taken as text: %1").arg(problem));
    else if (m_proxy->isFiltering())
        m_count->setText(tr("%1 of %2").arg(locale.toString(shown), locale.toString(total)));
    else
        m_count->setText(QString());
}

} // namespace ui
