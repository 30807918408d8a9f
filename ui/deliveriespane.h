#pragma once

#include "capture/delivery.h"

#include <QUrl>
#include <QWidget>

class QPushButton;
class QTabWidget;
class QTreeWidget;

namespace ui {

class HttpMessageView;
class TimingWaterfall;

// The requests hookscope sent from one hook (replays and forwards) or from the
// composer, newest first, with the request and response of the selected one.
class DeliveriesPane : public QWidget
{
    Q_OBJECT

public:
    // What a compare of the selected deliveries puts side by side.
    enum class Comparison { RequestWithHook, AnswerWithHook, Requests, Answers };

    explicit DeliveriesPane(QWidget *parent = nullptr);

    void setDeliveries(const QList<Delivery> &deliveries);   // in store order (oldest first)
    void addDelivery(const Delivery &delivery);             // shown on top and selected
    void clear(const QString &placeholder = QString());
    // What an empty pane says (by default: how to replay the hook).
    void setEmptyText(const QString &text);
    int count() const;
    Delivery deliveryAt(int index) const;                   // 0: the newest

    QTreeWidget *list() const { return m_list; }
    HttpMessageView *responseView() const { return m_response; }
    HttpMessageView *requestView() const { return m_request; }
    QAction *compareAction(Comparison comparison) const { return m_compare[int(comparison)]; }
    QList<Delivery> selectedDeliveries() const;   // oldest first
    TimingWaterfall *waterfall() const { return m_waterfall; }

signals:
    // Double-click or Enter on a delivery.
    void activated(const Delivery &delivery);
    // From the context menu: one delivery with its hook, or two deliveries.
    void compareRequested(DeliveriesPane::Comparison comparison, const QList<Delivery> &deliveries);
    // "Trust certificate…" on a delivery that failed on its HTTPS target's certificate.
    void trustRequested(const QUrl &url);

private:
    void showSelected();
    void updateCompareActions();

    QTreeWidget *m_list;
    QTabWidget *m_tabs;
    TimingWaterfall *m_waterfall;
    QPushButton *m_trust;
    HttpMessageView *m_response;
    HttpMessageView *m_request;
    QList<Delivery> m_deliveries;   // newest first, parallel to the list
    QString m_emptyText;
    QAction *m_compare[4];
};

// "200 OK · 12 ms" or "failed: connection refused · 3 ms".
QString deliverySummary(const Delivery &delivery);
QString deliveryKindLabel(const Delivery &delivery);
// The request as it went on the wire: the request line and the header fields
// libcurl wrote (Host and Content-Length included). Empty when nothing was written.
struct WrittenHead
{
    QString requestLine;
    http::HeaderList headers;
};
WrittenHead parseWrittenHead(const QByteArray &head);

} // namespace ui
