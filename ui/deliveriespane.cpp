#include "deliveriespane.h"

#include "bodyrendering.h"
#include "httpmessageview.h"
#include "timingwaterfall.h"

#include "formats/bodycoding.h"
#include "workspace/workspace.h"

#include <QAction>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLocale>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTabWidget>
#include <QTimeZone>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ui {

namespace {
constexpr int LoadingNoteMs = 150;   // a read that takes longer says "Loading…"
}

QString deliveryKindLabel(const Delivery &delivery)
{
    return deliveryKindLabel(DeliveryRow::of(delivery));
}

QString deliveryKindLabel(const DeliveryRow &delivery)
{
    switch (delivery.kind) {
    case Delivery::Kind::Compose:
        // Sent by the Composer: from a captured hook when it was opened with Edit & Replay.
        return delivery.hookId > 0 ? DeliveriesPane::tr("Edited replay") : DeliveriesPane::tr("Composed");
    case Delivery::Kind::Replay: return DeliveriesPane::tr("Replay");
    case Delivery::Kind::Forward: return DeliveriesPane::tr("Forward");
    }
    return {};
}

// One row of the list: what the store's row says, and the whole delivery only
// when it could not be stored (then it cannot be read again).
struct DeliveriesPane::Entry
{
    DeliveryRow row;
    std::shared_ptr<const Delivery> unstored;
};

// A delivery read whole, its bodies looked at.
struct DeliveriesPane::Prepared
{
    Delivery delivery;
    BodyRendering request;
    BodyRendering response;
    QString error;
};

namespace {

// The request as the pane shows it: what was written, when anything was; else the draft, which never left.
http::HeaderList shownRequestHeaders(const Delivery &d)
{
    return d.requestHead.isEmpty() ? d.requestHeaders : parseWrittenHead(d.requestHead).headers;
}

// Small bodies sent as they are: cheap enough to look at on the GUI thread.
bool isLight(const Delivery &d)
{
    const auto light = [](const QByteArray &body, const http::HeaderList &headers) {
        return body.size() <= BodyRendering::BackgroundThreshold && formats::bodyCodings(headers).isEmpty();
    };
    return light(d.requestBody, d.requestHeaders) && light(d.responseBody, d.responseHeaders);
}

} // namespace

QList<DeliveryRow> DeliveriesPane::selectedDeliveries() const
{
    QList<DeliveryRow> selected;
    // The list shows the newest first: walk it backwards for the oldest first.
    for (int i = m_list->topLevelItemCount() - 1; i >= 0; --i) {
        if (m_list->topLevelItem(i)->isSelected() && i < m_entries.size())
            selected.append(m_entries.at(i).row);
    }
    return selected;
}

void DeliveriesPane::updateCompareActions()
{
    const QList<DeliveryRow> selected = selectedDeliveries();
    const bool one = selected.size() == 1 && selected.constFirst().hookId != 0;
    m_compare[int(Comparison::RequestWithHook)]->setEnabled(one);
    m_compare[int(Comparison::AnswerWithHook)]->setEnabled(one);
    m_compare[int(Comparison::Requests)]->setEnabled(selected.size() == 2);
    m_compare[int(Comparison::Answers)]->setEnabled(selected.size() == 2);
}

static QString timingsToolTip(const DeliveryTimings &t)
{
    if (t.isEmpty())
        return DeliveriesPane::tr("No timings were recorded for this delivery");
    QStringList lines;
    for (const TimingWaterfall::Phase &phase : TimingWaterfall::phases(t)) {
        if (phase.endUs >= 0)
            lines.append(DeliveriesPane::tr("%1: %2 – %3 ms").arg(phase.name, QLocale().toString(phase.startUs / 1e3, 'f', 2),
                                                                   QLocale().toString(phase.endUs / 1e3, 'f', 2)));
    }
    return lines.join(u'\n');
}

QString deliverySummary(const Delivery &delivery)
{
    return deliverySummary(DeliveryRow::of(delivery));
}

QString deliverySummary(const DeliveryRow &delivery)
{
    const QString duration = delivery.durationUs >= 10'000'000
        ? DeliveriesPane::tr("%1 s").arg(QLocale().toString(double(delivery.durationUs) / 1e6, 'f', 1))
        : DeliveriesPane::tr("%1 ms").arg(QLocale().toString(double(delivery.durationUs) / 1e3, 'f', delivery.durationUs < 10'000 ? 1 : 0));
    if (delivery.status == 0)
        return DeliveriesPane::tr("failed: %1 · %2").arg(delivery.error, duration);
    QString text = QString::number(delivery.status);
    if (!delivery.reason.isEmpty())
        text += u' ' + QString::fromLatin1(delivery.reason);
    text += u" · " + duration;
    if (!delivery.error.isEmpty())
        text += u" · " + delivery.error;
    return text;
}

WrittenHead parseWrittenHead(const QByteArray &head)
{
    WrittenHead result;
    const QList<QByteArray> lines = head.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArray line = lines.at(i);
        if (line.endsWith('\r'))
            line.chop(1);
        if (i == 0) {
            result.requestLine = QString::fromLatin1(line);
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            result.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
    }
    return result;
}

DeliveriesPane::DeliveriesPane(workspace::Workspace *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_list(new QTreeWidget(this))
    , m_tabs(new QTabWidget(this))
    , m_waterfall(new TimingWaterfall(this))
    , m_trust(new QPushButton(tr("Trust Certificate…"), this))
    , m_response(new HttpMessageView(this))
    , m_request(new HttpMessageView(this))
    , m_loadingNote(new QTimer(this))
{
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->setHeaderLabels({tr("Time"), tr("Kind"), tr("Status"), tr("Duration"), tr("URL")});
    m_list->header()->setStretchLastSection(true);
    const int digit = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    m_list->header()->resizeSection(0, digit * 14);
    m_list->header()->resizeSection(1, digit * 11);
    m_list->header()->resizeSection(2, digit * 10);
    m_list->header()->resizeSection(3, digit * 10);

    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_response, tr("Response"));
    m_tabs->addTab(m_request, tr("Request"));

    auto *details = new QWidget(this);
    auto *detailsLayout = new QVBoxLayout(details);
    detailsLayout->setContentsMargins(0, 4, 0, 0);
    auto *top = new QHBoxLayout;
    top->addWidget(m_waterfall, 1);
    top->addWidget(m_trust, 0, Qt::AlignTop);
    m_trust->setToolTip(tr("Show the target's certificate and its fingerprint, and trust it for this target"));
    m_trust->hide();
    detailsLayout->addLayout(top);
    detailsLayout->addWidget(m_tabs, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_list);
    splitter->addWidget(details);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setContextMenuPolicy(Qt::ActionsContextMenu);
    const char *compareTexts[] = {
        QT_TR_NOOP("Compare Request with the &Hook"),
        QT_TR_NOOP("Compare Answer with the Hook's &Answer"),
        QT_TR_NOOP("Compare the Two &Requests"),
        QT_TR_NOOP("Compare the Two A&nswers"),
    };
    for (int i = 0; i < 4; ++i) {
        const auto comparison = Comparison(i);
        m_compare[i] = new QAction(tr(compareTexts[i]), this);
        m_list->addAction(m_compare[i]);
        connect(m_compare[i], &QAction::triggered, this, [this, comparison] { emit compareRequested(comparison, selectedDeliveries()); });
    }
    m_compare[int(Comparison::RequestWithHook)]->setToolTip(tr("What was sent against what the hook was when it arrived"));
    m_compare[int(Comparison::AnswerWithHook)]->setToolTip(tr("What the target answered against what hookscope answered the hook's sender"));
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &DeliveriesPane::updateCompareActions);
    updateCompareActions();
    connect(m_list, &QTreeWidget::currentItemChanged, this, &DeliveriesPane::showSelected);
    connect(m_trust, &QPushButton::clicked, this, [this] {
        const int index = currentIndex();
        if (index >= 0)
            emit trustRequested(QUrl(m_entries.at(index).row.url));
    });
    connect(m_list, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const int index = m_list->indexOfTopLevelItem(item);
        if (index < 0)
            return;
        if (m_shown && m_shown->id == m_entries.at(index).row.id && m_entries.at(index).row.id > 0) {
            emit activated(*m_shown);
            return;
        }
        prepare(m_entries.at(index), [this](const Prepared &prepared) {
            if (prepared.error.isEmpty())
                emit activated(prepared.delivery);
        });
    });
    // A delivery that takes a moment to read says so; a quick one just appears.
    m_loadingNote->setSingleShot(true);
    m_loadingNote->setInterval(LoadingNoteMs);
    connect(m_loadingNote, &QTimer::timeout, this, [this] {
        m_response->showPlaceholder(tr("Loading…"));
        m_request->showPlaceholder(tr("Loading…"));
    });
    clear();
}

DeliveriesPane::~DeliveriesPane() = default;

int DeliveriesPane::count() const
{
    return int(m_entries.size());
}

DeliveryRow DeliveriesPane::deliveryAt(int index) const
{
    return index >= 0 && index < m_entries.size() ? m_entries.at(index).row : DeliveryRow();
}

qint64 DeliveriesPane::bodyBytesHeld() const
{
    // A shown delivery that was not stored shares its bytes with its entry.
    qint64 bytes = m_shown && m_shown->id > 0 ? m_shown->requestBody.size() + m_shown->responseBody.size() : 0;
    for (const Entry &entry : m_entries) {
        if (entry.unstored)
            bytes += entry.unstored->requestBody.size() + entry.unstored->responseBody.size();
    }
    return bytes;
}

int DeliveriesPane::currentIndex() const
{
    return m_list->indexOfTopLevelItem(m_list->currentItem());
}

void DeliveriesPane::setEmptyText(const QString &text)
{
    m_emptyText = text;
    if (m_entries.isEmpty())
        clear();
}

void DeliveriesPane::clear(const QString &placeholder)
{
    ++m_ticket;
    m_loadingNote->stop();
    m_showPending = false;
    m_shown.reset();
    m_entries.clear();
    m_list->clear();
    const QString text = !placeholder.isEmpty() ? placeholder
        : !m_emptyText.isEmpty()                  ? m_emptyText
                                                  : tr("Nothing sent yet. Replay (Ctrl+R) sends the hook again.");
    m_response->showPlaceholder(text);
    m_request->showPlaceholder(text);
    m_waterfall->clear();
    m_trust->hide();
}

static QTreeWidgetItem *makeItem(const DeliveryRow &delivery, const QPalette &palette)
{
    const QDateTime started = QDateTime::fromMSecsSinceEpoch(delivery.startedUs / 1000, QTimeZone::utc()).toLocalTime();
    auto *item = new QTreeWidgetItem;
    item->setText(0, QLocale().toString(started, QStringLiteral("HH:mm:ss.zzz")));
    item->setToolTip(0, started.toString(Qt::ISODateWithMs));
    item->setText(1, delivery.attempt > 0 ? DeliveriesPane::tr("%1, attempt %2").arg(deliveryKindLabel(delivery)).arg(delivery.attempt)
                                          : deliveryKindLabel(delivery));
    item->setText(2, delivery.status == 0 ? DeliveriesPane::tr("failed") : QString::number(delivery.status));
    item->setForeground(2, toneColor(palette, statusTone(delivery.status)));
    item->setToolTip(2, deliverySummary(delivery));
    item->setText(3, QLocale().toString(double(delivery.durationUs) / 1e3, 'f', 1) + DeliveriesPane::tr(" ms"));
    item->setText(4, QString::fromLatin1(delivery.method) + u' ' + delivery.url);
    item->setToolTip(4, delivery.url);
    return item;
}

void DeliveriesPane::setDeliveries(const QList<DeliveryRow> &deliveries)
{
    clear();
    if (deliveries.isEmpty())
        return;
    QList<QTreeWidgetItem *> items;
    items.reserve(deliveries.size());
    m_entries.reserve(deliveries.size());
    for (auto it = deliveries.crbegin(); it != deliveries.crend(); ++it) {
        m_entries.append({*it, nullptr});
        items.append(makeItem(*it, palette()));
    }
    {
        // One look at the newest, not one per row as they go in.
        const QSignalBlocker blocker(m_list);
        m_list->addTopLevelItems(items);
        m_list->setCurrentItem(m_list->topLevelItem(0));
    }
    updateCompareActions();
    showSelected();
}

void DeliveriesPane::addDelivery(const Delivery &delivery)
{
    Entry entry{DeliveryRow::of(delivery), delivery.id > 0 ? nullptr : std::make_shared<const Delivery>(delivery)};
    // It is on display at once: no need to read it back.
    m_shown = delivery;
    m_entries.prepend(entry);
    QTreeWidgetItem *item = makeItem(entry.row, palette());
    m_list->insertTopLevelItem(0, item);
    m_list->setCurrentItem(item);
}

void DeliveriesPane::prepare(const Entry &entry, std::function<void(const Prepared &)> done)
{
    std::optional<Delivery> whole;
    if (entry.unstored)
        whole = *entry.unstored;
    else if (m_shown && m_shown->id == entry.row.id)
        whole = m_shown;
    if (whole && isLight(*whole)) {
        done({*whole, renderBody(whole->requestBody, shownRequestHeaders(*whole)),
              renderBody(whole->responseBody, whole->responseHeaders), {}});
        return;
    }
    const qint64 id = entry.row.id;
    workspace::whenReady(m_workspace->read<Prepared>([id, whole](HookStore &store) {
        Prepared prepared;
        if (whole) {
            prepared.delivery = *whole;
        } else if (std::optional<Delivery> read = store.delivery(id)) {
            prepared.delivery = std::move(*read);
        } else {
            prepared.error = store.errorString();
            return prepared;
        }
        const Delivery &d = prepared.delivery;
        prepared.request = renderBody(d.requestBody, shownRequestHeaders(d));
        prepared.response = renderBody(d.responseBody, d.responseHeaders);
        return prepared;
    }), this, std::move(done));
}

void DeliveriesPane::showSelected()
{
    const int index = currentIndex();
    if (index < 0)
        return;
    const Entry &entry = m_entries.at(index);
    m_waterfall->setTimings(entry.row.timings);
    m_waterfall->setToolTip(timingsToolTip(entry.row.timings));
    m_trust->setVisible(entry.row.error.startsWith(QStringLiteral("TLS certificate problem")));
    const quint64 ticket = ++m_ticket;
    m_loadingNote->stop();
    const bool have = entry.unstored || (m_shown && m_shown->id == entry.row.id);
    if (!have) {
        m_shown.reset();
        // Read when the pane comes on screen, not for a pane nobody looks at.
        if (!isVisible()) {
            m_showPending = true;
            m_response->showPlaceholder(deliverySummary(entry.row));
            m_request->showPlaceholder(tr("%1 %2").arg(QString::fromLatin1(entry.row.method), entry.row.url));
            return;
        }
        m_loadingNote->start();
    }
    m_showPending = false;
    prepare(entry, [this, ticket](const Prepared &prepared) {
        if (ticket != m_ticket)
            return;   // another one was selected meanwhile
        m_loadingNote->stop();
        if (!prepared.error.isEmpty()) {
            m_shown.reset();
            m_response->showPlaceholder(prepared.error);
            m_request->showPlaceholder(prepared.error);
            return;
        }
        display(prepared);
    });
}

void DeliveriesPane::display(const Prepared &prepared)
{
    m_shown = prepared.delivery;
    const Delivery &d = *m_shown;
    if (d.status == 0)
        m_response->setMessage(deliverySummary(d), {}, {}, BodyRendering(), Tone::Bad);
    else
        m_response->setMessage(deliverySummary(d), d.responseHeaders, d.responseBody, prepared.response, statusTone(d.status));
    if (!d.requestHead.isEmpty()) {
        const WrittenHead written = parseWrittenHead(d.requestHead);
        m_request->setMessage(written.requestLine + u"  ·  " + d.url, written.headers, d.requestBody, prepared.request);
    } else {
        m_request->setMessage(tr("%1 %2 (not sent)").arg(QString::fromLatin1(d.method), d.url), d.requestHeaders, d.requestBody,
                              prepared.request);
    }
    emit deliveryShown(d.id);
}

void DeliveriesPane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_showPending)
        showSelected();
}

} // namespace ui
