#pragma once

#include "capture/delivery.h"

#include <QUrl>
#include <QWidget>

#include <functional>
#include <optional>

class QPushButton;
class QTimer;
class QTabWidget;
class QTreeWidget;

namespace workspace {
class Workspace;
}

namespace ui {

class HttpMessageView;
class TimingWaterfall;

// The requests hookscope sent from one hook (replays and forwards) or from the
// composer, newest first, with the request and response of the selected one.
// The list keeps rows without bodies (see DeliveryRow); the selected delivery is
// read whole, and its bodies looked at, on the workspace's reader thread once
// the pane is on screen, and only that one is held.
class DeliveriesPane : public QWidget
{
    Q_OBJECT

public:
    // What a compare of the selected deliveries puts side by side.
    enum class Comparison { RequestWithHook, AnswerWithHook, Requests, Answers };

    explicit DeliveriesPane(workspace::Workspace *workspace, QWidget *parent = nullptr);
    ~DeliveriesPane() override;

    void setDeliveries(const QList<DeliveryRow> &deliveries);   // in store order (oldest first)
    void addDelivery(const Delivery &delivery);                // just sent: shown on top and selected
    void clear(const QString &placeholder = QString());
    // What an empty pane says (by default: how to replay the hook).
    void setEmptyText(const QString &text);
    int count() const;
    DeliveryRow deliveryAt(int index) const;                   // 0: the newest

    // The selected delivery in full once it is read (nullopt before, or with none selected).
    const std::optional<Delivery> &shownDelivery() const { return m_shown; }
    // The body bytes the pane holds: those of the shown delivery, and of any it could not store.
    qint64 bodyBytesHeld() const;

    QTreeWidget *list() const { return m_list; }
    HttpMessageView *responseView() const { return m_response; }
    HttpMessageView *requestView() const { return m_request; }
    QAction *compareAction(Comparison comparison) const { return m_compare[int(comparison)]; }
    QList<DeliveryRow> selectedDeliveries() const;   // oldest first
    TimingWaterfall *waterfall() const { return m_waterfall; }

signals:
    // Double-click or Enter on a delivery (read whole first).
    void activated(const Delivery &delivery);
    // From the context menu: one delivery with its hook, or two deliveries.
    void compareRequested(DeliveriesPane::Comparison comparison, const QList<DeliveryRow> &deliveries);
    // "Trust certificate…" on a delivery that failed on its HTTPS target's certificate.
    void trustRequested(const QUrl &url);
    // The selected delivery is on display with its bodies.
    void deliveryShown(qint64 id);

protected:
    void showEvent(QShowEvent *event) override;

private:
    struct Entry;
    struct Prepared;
    void showSelected();
    // Reads the delivery of entry (unless the pane has it) and looks at its bodies, on the reader.
    void prepare(const Entry &entry, std::function<void(const Prepared &)> done);
    void display(const Prepared &prepared);
    void updateCompareActions();
    int currentIndex() const;

    workspace::Workspace *m_workspace;
    QTreeWidget *m_list;
    QTabWidget *m_tabs;
    TimingWaterfall *m_waterfall;
    QPushButton *m_trust;
    HttpMessageView *m_response;
    HttpMessageView *m_request;
    QTimer *m_loadingNote;
    QList<Entry> m_entries;              // newest first, parallel to the list
    std::optional<Delivery> m_shown;     // the selected one, once read
    quint64 m_ticket = 0;                // the read of the selected one under way
    bool m_showPending = false;          // selected while the pane was hidden
    QString m_emptyText;
    QAction *m_compare[4];
};

// "200 OK · 12 ms" or "failed: connection refused · 3 ms".
QString deliverySummary(const DeliveryRow &delivery);
QString deliverySummary(const Delivery &delivery);
QString deliveryKindLabel(const DeliveryRow &delivery);
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
