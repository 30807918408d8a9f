#include "deliveriespane.h"

#include "httpmessageview.h"
#include "timingwaterfall.h"

#include <QAction>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QLocale>
#include <QSplitter>
#include <QTabWidget>
#include <QTimeZone>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ui {

QString deliveryKindLabel(const Delivery &delivery)
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

QList<Delivery> DeliveriesPane::selectedDeliveries() const
{
    QList<Delivery> selected;
    // The list shows the newest first: walk it backwards for the oldest first.
    for (int i = m_list->topLevelItemCount() - 1; i >= 0; --i) {
        if (m_list->topLevelItem(i)->isSelected() && i < m_deliveries.size())
            selected.append(m_deliveries.at(i));
    }
    return selected;
}

void DeliveriesPane::updateCompareActions()
{
    const QList<Delivery> selected = selectedDeliveries();
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

DeliveriesPane::DeliveriesPane(QWidget *parent)
    : QWidget(parent)
    , m_list(new QTreeWidget(this))
    , m_tabs(new QTabWidget(this))
    , m_waterfall(new TimingWaterfall(this))
    , m_trust(new QPushButton(tr("Trust Certificate…"), this))
    , m_response(new HttpMessageView(this))
    , m_request(new HttpMessageView(this))
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
        const int index = m_list->indexOfTopLevelItem(m_list->currentItem());
        if (index >= 0)
            emit trustRequested(QUrl(m_deliveries.at(index).url));
    });
    connect(m_list, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const int index = m_list->indexOfTopLevelItem(item);
        if (index >= 0)
            emit activated(m_deliveries.at(index));
    });
    clear();
}

int DeliveriesPane::count() const
{
    return int(m_deliveries.size());
}

Delivery DeliveriesPane::deliveryAt(int index) const
{
    return m_deliveries.value(index);
}

void DeliveriesPane::setEmptyText(const QString &text)
{
    m_emptyText = text;
    if (m_deliveries.isEmpty())
        clear();
}

void DeliveriesPane::clear(const QString &placeholder)
{
    m_deliveries.clear();
    m_list->clear();
    const QString text = !placeholder.isEmpty() ? placeholder
        : !m_emptyText.isEmpty()                  ? m_emptyText
                                                  : tr("Nothing sent yet. Replay (Ctrl+R) sends the hook again.");
    m_response->showPlaceholder(text);
    m_request->showPlaceholder(text);
    m_waterfall->clear();
    m_trust->hide();
}

void DeliveriesPane::setDeliveries(const QList<Delivery> &deliveries)
{
    clear();
    for (const Delivery &delivery : deliveries)
        addDelivery(delivery);
    if (deliveries.isEmpty())
        return;
    m_list->setCurrentItem(m_list->topLevelItem(0));
}

void DeliveriesPane::addDelivery(const Delivery &delivery)
{
    const QDateTime started = QDateTime::fromMSecsSinceEpoch(delivery.startedUs / 1000, QTimeZone::utc()).toLocalTime();
    auto *item = new QTreeWidgetItem;
    item->setText(0, QLocale().toString(started, QStringLiteral("HH:mm:ss.zzz")));
    item->setToolTip(0, started.toString(Qt::ISODateWithMs));
    item->setText(1, delivery.attempt > 0 ? tr("%1, attempt %2").arg(deliveryKindLabel(delivery)).arg(delivery.attempt)
                                          : deliveryKindLabel(delivery));
    item->setText(2, delivery.status == 0 ? tr("failed") : QString::number(delivery.status));
    item->setForeground(2, toneColor(palette(), statusTone(delivery.status)));
    item->setToolTip(2, deliverySummary(delivery));
    item->setText(3, QLocale().toString(double(delivery.durationUs) / 1e3, 'f', 1) + tr(" ms"));
    item->setText(4, QString::fromLatin1(delivery.method) + u' ' + delivery.url);
    item->setToolTip(4, delivery.url);
    m_deliveries.prepend(delivery);
    m_list->insertTopLevelItem(0, item);
    m_list->setCurrentItem(item);
}

void DeliveriesPane::showSelected()
{
    const int index = m_list->indexOfTopLevelItem(m_list->currentItem());
    if (index < 0)
        return;
    const Delivery &d = m_deliveries.at(index);
    if (d.status == 0)
        m_response->setMessage(deliverySummary(d), {}, {}, Tone::Bad);
    else
        m_response->setMessage(deliverySummary(d), d.responseHeaders, d.responseBody, statusTone(d.status));
    // What was written, when anything was; else the draft, which never left.
    if (!d.requestHead.isEmpty()) {
        const WrittenHead written = parseWrittenHead(d.requestHead);
        m_request->setMessage(written.requestLine + u"  ·  " + d.url, written.headers, d.requestBody);
    } else {
        m_request->setMessage(tr("%1 %2 (not sent)").arg(QString::fromLatin1(d.method), d.url), d.requestHeaders, d.requestBody);
    }
    m_waterfall->setTimings(d.timings);
    m_trust->setVisible(d.error.startsWith(QStringLiteral("TLS certificate problem")));
    m_waterfall->setToolTip(timingsToolTip(d.timings));
}

} // namespace ui
