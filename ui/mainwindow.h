#pragma once

#include "arrivalrate.h"
#include "storereader.h"

#include "capture/hookstore.h"
#include "catalog/catalog.h"

#include <QHostAddress>
#include <QMainWindow>
#include <QTimer>
#include <QUrl>

#include <optional>

class Forwarder;
class HookFilterProxy;
class HookTableModel;
class Listener;
class QLabel;
class QLineEdit;
class QSplitter;
class QSystemTrayIcon;
class QTabWidget;
class QToolButton;
class Sender;

namespace ui {

class CaptureView;
class Composer;
class DetailView;
class FilterBar;
class MessageBar;
class Settings;

// What the command line decides for one run; unset members come from Settings.
struct StartOptions
{
    QString storePath;
    std::optional<QHostAddress> bind;
    std::optional<quint16> port;
};

// The desktop app: capture list with filter and detail, the composer, and the
// listener, forwarder and replay sender behind them. Everything it needs comes in
// through the constructor; tests drive it through the accessors.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum class Action {
        Replay, EditReplay, CopyCurl, CopyUrl, Find, Delete, Clear, ExportSelection, ExportAll, Import,
        ShowCapture, Compose, Settings, About, Quit, Count
    };

    MainWindow(Settings &settings, const catalog::Catalog &catalog, const StartOptions &options, QWidget *parent = nullptr);
    ~MainWindow() override;

    QAction *action(Action action) const { return m_actions[int(action)]; }
    Listener *listener() const { return m_listener; }
    HookTableModel *model() const { return m_model; }
    HookFilterProxy *proxy() const { return m_proxy; }
    CaptureView *captureView() const { return m_view; }
    FilterBar *filterBar() const { return m_filter; }
    DetailView *detailView() const { return m_detail; }
    Composer *composer() const { return m_composer; }
    MessageBar *messageBar() const { return m_messages; }
    QTabWidget *pages() const { return m_pages; }
    QSplitter *splitter() const { return m_splitter; }
    QLineEdit *urlField() const { return m_urlField; }
    QLabel *countLabel() const { return m_countLabel; }
    QLabel *rateLabel() const { return m_rateLabel; }
    Forwarder *forwarder() const { return m_forwarder; }
    HookStore &store() { return m_store; }
    QString storePath() const { return m_storePath; }

    bool isListening() const;
    QUrl listenerUrl() const;
    // Starts (or restarts) the listener; a failure shows in the message bar.
    bool listen(const QHostAddress &bind, quint16 port);
    bool isHistoryLoaded() const;

    // The actions without their dialogs, for the menu handlers and for tests.
    void replay(const QList<qint64> &ids, const QUrl &target);
    void editAndReplay(qint64 id);
    void copyAsCurl(const QList<qint64> &ids);
    void deleteHooks(const QList<qint64> &ids);
    void clearHooks();
    quint64 exportTo(const QString &fileName, ExportFormat format, const QList<qint64> &ids);
    bool importFrom(const QString &fileName);
    // Re-reads Settings after the settings dialog changed them.
    void applySettings();

signals:
    // The listener started (again) on url.
    void listening(const QUrl &url);
    // A replay started from this window finished and is stored.
    void replayFinished(const Delivery &delivery);
    void exportFinished(const QString &fileName, int hooks, const QString &error);

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void createStatusBar();
    void refreshIcons();
    void updateActions();
    void updateCount();
    void updateRate();
    void restoreState();
    void saveState();
    void openStore();
    void applyRetention();
    void startForwarder();
    void onHooksStored(const QList<Hook> &hooks);
    void notifyArrival(const QList<Hook> &hooks);
    void storeDelivery(Delivery delivery);
    void replaySelected();
    void exportInteractive(bool selectionOnly);
    void importInteractive();
    void confirmClear();
    void openSettings();
    void showAbout();
    QUrl askReplayTarget();

    Settings &m_settings;
    catalog::Catalog m_catalog;
    QString m_storePath;
    StartOptions m_options;
    HookStore m_store;                 // the GUI thread's connection: details, deliveries, deletes
    Listener *m_listener;
    HookTableModel *m_model;
    HookFilterProxy *m_proxy;
    StoreReader *m_loader;             // big hooks for the detail view
    StoreReader *m_searcher;           // text search and exports
    Sender *m_replaySender;
    Forwarder *m_forwarder = nullptr;
    QAction *m_actions[int(Action::Count)] = {};
    QTabWidget *m_pages;
    MessageBar *m_messages;
    FilterBar *m_filter;
    CaptureView *m_view;
    DetailView *m_detail;
    QSplitter *m_splitter;
    Composer *m_composer;
    QLineEdit *m_urlField;
    QToolButton *m_copyUrl;
    QLabel *m_listenLabel;
    QLabel *m_countLabel;
    QLabel *m_rateLabel;
    QSystemTrayIcon *m_tray = nullptr;
    QTimer m_historyTimer;
    QTimer m_rateTimer;
    ArrivalRate m_rate;
    QString m_configuredBind;          // the settings' address and port the listener was last started for
    quint16 m_configuredPort = 0;
    qint64 m_lastNotifyMs = 0;
    QHash<quint64, QString> m_exports;   // ticket -> file name
};

} // namespace ui
