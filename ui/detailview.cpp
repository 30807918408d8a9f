#include "detailview.h"

#include "bodyview.h"
#include "deliveriespane.h"
#include "headerstable.h"
#include "httpmessageview.h"
#include "overviewpane.h"
#include "bodyrendering.h"

#include "formats/bodycoding.h"
#include "workspace/workspace.h"

#include <QFontDatabase>
#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace ui {

// One hook read back from the store with its deliveries.
struct LoadedHook
{
    std::optional<Hook> hook;
    QList<Delivery> deliveries;
    formats::DecodedBody shown;   // the body's codings, and whether they decode (for the Overview)
    QString error;
};

// A big body looked at on the reader thread.
struct RenderedBody
{
    BodyRendering body;
    QString error;
};

namespace {

// glibc keeps the freed blocks of a big body in its heap, where they count as the
// app's memory: the copies made while it was read and looked at once it is shown,
// and the body itself once the next hook is on display, go back to the system.
void releaseFreedMemory(QObject *context)
{
#ifdef __GLIBC__
    QTimer::singleShot(0, context, [] { malloc_trim(0); });
#else
    Q_UNUSED(context);
#endif
}

bool isBig(const Hook &hook)
{
    return hook.body.size() > BodyRendering::PagedThreshold;
}

} // namespace

DetailView::DetailView(workspace::Workspace *workspace, QWidget *parent)
    : QTabWidget(parent)
    , m_workspace(workspace)
    , m_overview(new OverviewPane(workspace->catalog(), this))
    , m_requestLine(new QLabel(this))
    , m_headers(new HeadersTable(this))
    , m_trailersTitle(new QLabel(tr("Trailers (sent after the chunked body):"), this))
    , m_trailers(new HeadersTable(this))
    , m_body(new BodyView(this))
    , m_answer(new HttpMessageView(this))
    , m_deliveries(new DeliveriesPane(this))
{
    setDocumentMode(true);
    m_requestLine->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_requestLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_requestLine->setTextFormat(Qt::PlainText);

    auto *headersPage = new QWidget(this);
    auto *headersLayout = new QVBoxLayout(headersPage);
    headersLayout->setContentsMargins(6, 6, 6, 0);
    headersLayout->addWidget(m_requestLine);
    headersLayout->addWidget(m_headers, 3);
    headersLayout->addWidget(m_trailersTitle);
    headersLayout->addWidget(m_trailers, 1);

    addTab(m_overview, tr("Overview"));
    addTab(headersPage, tr("Headers"));
    addTab(m_body, tr("Body"));
    addTab(m_answer, tr("Answer"));
    addTab(m_deliveries, tr("Deliveries"));
    connect(m_body, &BodyView::readingFinished, this, [this] { releaseFreedMemory(this); });

    clear();
}

void DetailView::clear()
{
    if (m_bigBodyShown)
        releaseFreedMemory(this);
    m_bigBodyShown = false;
    m_id = 0;
    m_ticket = 0;
    m_hook.reset();
    m_overview->clear();
    m_requestLine->setText(tr("No hook selected"));
    m_headers->setHeaders({});
    m_trailersTitle->hide();
    m_trailers->hide();
    m_body->clear();
    m_answer->showPlaceholder(tr("No hook selected"));
    m_deliveries->clear(tr("No hook selected"));
    setTabCounts();
}

void DetailView::showHook(qint64 id, qint64 size)
{
    if (id == m_id && (m_hook || m_ticket))
        return;
    m_id = id;
    m_hook.reset();
    if (id <= 0) {
        clear();
        return;
    }
    load(id, size);
}

void DetailView::reload()
{
    if (m_id > 0)
        load(m_id, m_hook ? m_hook->body.size() : 0);
}

void DetailView::load(qint64 id, qint64 size)
{
    const bool big = size > BodyRendering::BackgroundThreshold;
    if (big) {
        m_overview->clear();
        m_requestLine->setText(tr("Loading hook #%1…").arg(id));
        m_headers->setHeaders({});
        m_body->setLoading(size);
        m_answer->showPlaceholder(tr("Loading…"));
        m_deliveries->clear(tr("Loading…"));
    }
    const quint64 ticket = m_nextTicket++;
    m_ticket = ticket;
    workspace::whenReady(m_workspace->read<LoadedHook>([id](HookStore &store) {
        LoadedHook loaded;
        loaded.hook = store.hook(id);
        if (!loaded.hook) {
            loaded.error = store.errorString();
            return loaded;
        }
        loaded.deliveries = store.deliveries(id);
        // A refused request's body is what arrived, head and all: never decoded.
        if (!loaded.hook->refused())
            loaded.shown = formats::decodeBody(loaded.hook->body, loaded.hook->headers);
        return loaded;
    }), this, [this, ticket](const LoadedHook &loaded) { onLoaded(ticket, loaded); });
}

void DetailView::renderAside(const Hook &hook)
{
    // The rest of the hook is on display meanwhile; its body is looked at on the reader.
    m_body->setLoading(hook.body.size());
    const quint64 ticket = m_nextTicket++;
    m_ticket = ticket;
    const QByteArray body = hook.body;
    const http::HeaderList headers = hook.headers;
    const qint64 id = hook.id;
    workspace::whenReady(m_workspace->read<RenderedBody>([body, headers](HookStore &) { return RenderedBody{renderBody(body, headers), {}}; }),
                         this, [this, ticket, body, id](const RenderedBody &rendered) {
                             if (ticket != m_ticket)
                                 return;
                             m_ticket = 0;
                             m_body->setBody(body, rendered.body);
                             // What reading and looking at it took on the way is not needed any more.
                             releaseFreedMemory(this);
                             emit hookShown(id);
                         });
}

void DetailView::onLoaded(quint64 ticket, const LoadedHook &loaded)
{
    if (ticket != m_ticket)
        return;   // the selection moved on meanwhile
    m_ticket = 0;
    if (!loaded.hook) {
        const qint64 id = m_id;
        clear();
        m_requestLine->setText(loaded.error.isEmpty() ? tr("Hook #%1 is no longer in the store").arg(id) : loaded.error);
        m_answer->showPlaceholder(m_requestLine->text());
        m_deliveries->clear(m_requestLine->text());
        return;
    }
    display(*loaded.hook, loaded.shown, loaded.deliveries);
}

void DetailView::display(const Hook &hook, const formats::DecodedBody &shown, const QList<Delivery> &deliveries)
{
    if (m_bigBodyShown)
        releaseFreedMemory(this);
    m_bigBodyShown = isBig(hook);
    m_hook = hook;
    m_overview->setHook(hook);
    m_overview->setCoding(shown);
    m_requestLine->setText(QString::fromLatin1(hook.method) + u' ' + headerText(hook.target) + u' '
                           + QString::fromLatin1(hook.version) + tr("    from %1").arg(hook.peer()));
    m_headers->setHeaders(hook.headers);
    m_trailers->setHeaders(hook.trailers);
    m_trailersTitle->setVisible(!hook.trailers.isEmpty());
    m_trailers->setVisible(!hook.trailers.isEmpty());
    const bool big = hook.body.size() > BodyRendering::BackgroundThreshold;
    if (!big) {
        // A refused request's body is what arrived, head and all: shown as it is.
        m_body->setBody(hook.body, hook.refused() ? http::HeaderList() : hook.headers);
        if (hook.refused())
            m_body->addNote(tr("what arrived before it was refused"));
    }
    m_answer->setMessage(hook.answerRule.isEmpty() ? tr("%1 — what hookscope answered").arg(hook.answer.status)
                                                   : tr("%1 — what hookscope answered, by the rule \"%2\"").arg(hook.answer.status).arg(hook.answerRule),
                         hook.answer.headers, hook.answer.body,
                         statusTone(hook.answer.status));
    m_deliveries->setDeliveries(deliveries);
    setTabCounts();
    if (big)
        renderAside(hook);
    else
        emit hookShown(hook.id);
}

void DetailView::noteDelivery(const Delivery &delivery)
{
    if (!m_hook || delivery.hookId != m_id)
        return;
    m_deliveries->addDelivery(delivery);
    setTabCounts();
}

void DetailView::setTabCounts()
{
    setTabText(HeadersTab, m_hook ? tr("Headers (%1)").arg(m_hook->headers.size()) : tr("Headers"));
    setTabText(DeliveriesTab, m_deliveries->count() > 0 ? tr("Deliveries (%1)").arg(m_deliveries->count()) : tr("Deliveries"));
}

} // namespace ui
