#pragma once

#include "capture/hook.h"
#include "capture/delivery.h"
#include "catalog/catalog.h"

#include <QTabWidget>

#include <atomic>
#include <memory>
#include <optional>

class QLabel;

namespace formats {
struct DecodedBody;
}

namespace workspace {
class Workspace;
}

namespace ui {

class BodyView;
class DeliveriesPane;
class HeadersTable;
class HttpMessageView;
class OverviewPane;
struct BodyRendering;
struct LoadedHook;
struct RenderedBody;

// The selected hook in full: Overview, Headers, Body, Answer and Deliveries.
// Only the shown hook is read from the store, on the workspace's reader thread
// with its deliveries, while a big one's tabs say it is loading; a big body is
// then looked at there too while the rest of the hook is already on display.
class DetailView : public QTabWidget
{
    Q_OBJECT

public:
    enum Tab { OverviewTab, HeadersTab, BodyTab, AnswerTab, DeliveriesTab };

    DetailView(workspace::Workspace *workspace, QWidget *parent = nullptr);

    // size: the body size from the table, which decides whether the tabs say "loading" meanwhile.
    void showHook(qint64 id, qint64 size);
    // Reads the shown hook again (its verdicts were checked anew, say).
    void reload();
    void clear();
    qint64 hookId() const { return m_id; }
    // The hook on display, once loaded.
    const std::optional<Hook> &hook() const { return m_hook; }
    bool isLoading() const { return m_ticket != 0; }

    // A delivery sent from a hook: listed when that hook is on display.
    void noteDelivery(const Delivery &delivery);

    OverviewPane *overview() const { return m_overview; }
    HeadersTable *headersTable() const { return m_headers; }
    BodyView *bodyView() const { return m_body; }
    HttpMessageView *answerView() const { return m_answer; }
    DeliveriesPane *deliveriesPane() const { return m_deliveries; }

signals:
    // The hook is on display in every tab (after a load from the reader too).
    void hookShown(qint64 id);

private:
    void display(const Hook &hook, const LoadedHook &loaded);
    void onLoaded(quint64 ticket, const LoadedHook &loaded);
    // A big body (as received or decoded) is looked at on the reader thread while
    // the rest of the hook is shown, from the bytes decoded there already.
    void onRendered(quint64 ticket, const RenderedBody &rendered);
    void load(qint64 id, qint64 size);
    void setTabCounts();

    workspace::Workspace *m_workspace;
    OverviewPane *m_overview;
    QLabel *m_requestLine;
    HeadersTable *m_headers;
    QLabel *m_trailersTitle;
    HeadersTable *m_trailers;
    BodyView *m_body;
    HttpMessageView *m_answer;
    DeliveriesPane *m_deliveries;
    qint64 m_id = 0;
    quint64 m_ticket = 0;
    quint64 m_nextTicket = 1;
    // The ticket of the hook wanted now, for the reader thread to skip what it no longer needs.
    std::shared_ptr<std::atomic<quint64>> m_wanted = std::make_shared<std::atomic<quint64>>(0);
    std::optional<Hook> m_hook;
    bool m_bigBodyShown = false;   // its memory is handed back once the next hook is shown
};

} // namespace ui
