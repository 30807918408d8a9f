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

// One hook read back from the store with its deliveries (as rows, without their bodies).
struct LoadedHook
{
    std::optional<Hook> hook;
    QList<DeliveryRow> deliveries;
    formats::DecodedBody shown;   // the body decoded once, for the Overview and the body views
    std::optional<BodyRendering> body;   // a small body, looked at already
    QString error;
};

// A big body looked at on the reader thread.
struct RenderedBody
{
    BodyRendering body;
    bool looked = false;   // false: the body was small, and came with its hook
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

// A refused request's body is what arrived, head and all: never decoded.
formats::DecodedBody decodedOf(const Hook &hook)
{
    if (!hook.refused())
        return formats::decodeBody(hook.body, hook.headers);
    formats::DecodedBody asIs;
    asIs.bytes = hook.body;
    return asIs;
}

BodyRendering renderingOf(const Hook &hook, const formats::DecodedBody &decoded)
{
    return hook.refused() ? renderBody(hook.body, http::HeaderList()) : renderBody(hook.body, decoded, hook.headers);
}

// Whether a body, as received or decoded, is big enough to be looked at once the rest of its hook is shown.
bool looksAside(const Hook &hook, const formats::DecodedBody &decoded)
{
    return hook.body.size() > BodyRendering::BackgroundThreshold || decoded.bytes.size() > BodyRendering::BackgroundThreshold;
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
    , m_deliveries(new DeliveriesPane(workspace, this))
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
    *m_wanted = 0;
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
    *m_wanted = ticket;
    // A big body is handed from the read to the look at it, both on the reader
    // thread, one right after the other: the look starts at once, while the
    // rest of the hook goes on display here.
    auto aside = std::make_shared<std::optional<std::pair<Hook, formats::DecodedBody>>>();
    workspace::whenReady(m_workspace->read<LoadedHook>([id, aside](HookStore &store) {
        LoadedHook loaded;
        loaded.hook = store.hook(id);
        if (!loaded.hook) {
            loaded.error = store.errorString();
            return loaded;
        }
        loaded.deliveries = store.deliveryRows(id);
        loaded.shown = decodedOf(*loaded.hook);
        if (looksAside(*loaded.hook, loaded.shown))
            aside->emplace(*loaded.hook, loaded.shown);
        else
            loaded.body = renderingOf(*loaded.hook, loaded.shown);
        return loaded;
    }), this, [this, ticket](const LoadedHook &loaded) { onLoaded(ticket, loaded); });
    workspace::whenReady(m_workspace->read<RenderedBody>([aside, wanted = m_wanted, ticket](HookStore &) {
        RenderedBody rendered;
        // Not for a hook the selection has left already.
        if (*aside && *wanted == ticket) {
            rendered.body = renderingOf((*aside)->first, (*aside)->second);
            rendered.looked = true;
            aside->reset();
        }
        return rendered;
    }), this, [this, ticket](const RenderedBody &rendered) { onRendered(ticket, rendered); });
}

void DetailView::onRendered(quint64 ticket, const RenderedBody &rendered)
{
    // The read came back first (the reader answers in order): the hook is on display.
    if (ticket != m_ticket || !rendered.looked || !m_hook)
        return;
    m_ticket = 0;
    m_body->setBody(m_hook->body, rendered.body);
    // What reading and looking at it took on the way is not needed any more.
    releaseFreedMemory(this);
    emit hookShown(m_hook->id);
}

void DetailView::onLoaded(quint64 ticket, const LoadedHook &loaded)
{
    if (ticket != m_ticket)
        return;   // the selection moved on meanwhile
    if (!loaded.hook) {
        m_ticket = 0;
        const qint64 id = m_id;
        clear();
        m_requestLine->setText(loaded.error.isEmpty() ? tr("Hook #%1 is no longer in the store").arg(id) : loaded.error);
        m_answer->showPlaceholder(m_requestLine->text());
        m_deliveries->clear(m_requestLine->text());
        return;
    }
    // A big body is still being looked at: the ticket waits for it (see onRendered()).
    if (loaded.body)
        m_ticket = 0;
    display(*loaded.hook, loaded);
}

void DetailView::display(const Hook &hook, const LoadedHook &loaded)
{
    const formats::DecodedBody &shown = loaded.shown;
    if (m_bigBodyShown)
        releaseFreedMemory(this);
    m_bigBodyShown = isBig(hook) || shown.bytes.size() > BodyRendering::PagedThreshold;
    m_hook = hook;
    m_overview->setHook(hook);
    m_overview->setCoding(shown);
    m_requestLine->setText(QString::fromLatin1(hook.method) + u' ' + headerText(hook.target) + u' '
                           + QString::fromLatin1(hook.version) + tr("    from %1").arg(hook.peer()));
    m_headers->setHeaders(hook.headers);
    m_trailers->setHeaders(hook.trailers);
    m_trailersTitle->setVisible(!hook.trailers.isEmpty());
    m_trailers->setVisible(!hook.trailers.isEmpty());
    if (loaded.body) {
        m_body->setBody(hook.body, *loaded.body);
        if (hook.refused())
            m_body->addNote(tr("what arrived before it was refused"));
    }
    m_answer->setMessage(hook.answerRule.isEmpty() ? tr("%1 — what hookscope answered").arg(hook.answer.status)
                                                   : tr("%1 — what hookscope answered, by the rule \"%2\"").arg(hook.answer.status).arg(hook.answerRule),
                         hook.answer.headers, hook.answer.body,
                         statusTone(hook.answer.status));
    m_deliveries->setDeliveries(loaded.deliveries);
    setTabCounts();
    if (!loaded.body)
        m_body->setLoading(hook.body.size());
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
