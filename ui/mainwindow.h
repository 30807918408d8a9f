#pragma once

#include "workspace/settings.h"

#include "arrivalrate.h"
#include "deliveriespane.h"
#include "startoptions.h"

#include "capture/delivery.h"
#include "capture/hook.h"
#include "delivery/replay.h"
#include "delivery/retryschedule.h"
#include "relay/tunnelcommand.h"
#include "workspace/exportformat.h"
#include "workspace/workspace.h"

#include <QHostAddress>
#include <QMainWindow>
#include <QTimer>
#include <QUrl>

#include <optional>

class HookFilterProxy;
class HookTableModel;
class QLabel;
class QLineEdit;
class QSplitter;
class QTabWidget;
class QToolButton;

namespace workspace {
class Workspace;
}

namespace ui {

using workspace::Settings;

class CaptureView;
class CompareView;
class Composer;
class DetailView;
class FilterBar;
class EmptyState;
class MessageBar;
class Notifier;
class PublicBar;
class ReplayDialog;
class RetryDialog;
class TunnelOutputDialog;

// The desktop app: capture list with filter and detail, and the composer, as
// widgets over the workspace, which listens, stores, forwards and sends. It opens
// the workspace on the store of the options (unless it is open already) and
// starts listening. Everything it needs comes in through the constructor; tests
// drive it through the accessors.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum class Action {
        Replay, ReplayTo, RetryReplay, CancelRetries, EditReplay, CopyCurl, CopyCurlToTarget, Compare, CopyUrl, CopyPublicUrl, GetPublicUrl, ReceiveSmee, TunnelOutput,
        StopPublic, Find, Delete, Clear, Recheck, ExportSelection, ExportAll, Import,
        ShowCapture, Compose, AnswerRules, Settings, About, Quit, Count
    };

    MainWindow(Settings &settings, workspace::Workspace &workspace, const StartOptions &options, QWidget *parent = nullptr);
    ~MainWindow() override;

    QAction *action(Action action) const { return m_actions[int(action)]; }
    workspace::Workspace &workspace() const { return m_workspace; }
    HookTableModel *model() const { return m_model; }
    HookFilterProxy *proxy() const { return m_proxy; }
    CaptureView *captureView() const { return m_view; }
    FilterBar *filterBar() const { return m_filter; }
    DetailView *detailView() const { return m_detail; }
    Composer *composer() const { return m_composer; }
    CompareView *compareView() const { return m_compare; }
    MessageBar *messageBar() const { return m_messages; }
    PublicBar *publicBar() const { return m_publicBar; }
    QTabWidget *pages() const { return m_pages; }
    QSplitter *splitter() const { return m_splitter; }
    QLineEdit *urlField() const { return m_urlField; }
    QLabel *countLabel() const { return m_countLabel; }
    QLabel *rateLabel() const { return m_rateLabel; }
    Notifier *notifier() const { return m_notifier; }
    EmptyState *emptyState() const { return m_empty; }

    bool isListening() const;
    QUrl listenerUrl() const;
    // Starts (or restarts) the listener; a failure shows in the message bar.
    bool listen(const QHostAddress &bind, quint16 port);
    bool isHistoryLoaded() const;

    // The actions without their dialogs, for the menu handlers and for tests.
    // Each runs on the workspace and reports when done (a signal, the status bar).
    // Several hooks end with one summary in the message bar, its details naming each.
    void replay(const QList<qint64> &ids, const QUrl &target, const ReplayOptions &options = {});
    void editAndReplay(qint64 id);
    // target empty: each hook to its own URL; else as a replay to target would send it.
    void copyAsCurl(const QList<qint64> &ids, const QUrl &target = {});
    void deleteHooks(const QList<qint64> &ids);
    // Delete (the key and the menu): more than one hook is deleted only once the
    // user confirms, since a delete cannot be undone.
    void confirmDelete(const QList<qint64> &ids);
    void clearHooks();
    void exportTo(const QString &fileName, workspace::ExportFormat format, const QList<qint64> &ids);
    void importFrom(const QString &fileName);
    // Catalog files of the user's folder that were not loaded (each naming the file, the
    // place and the reason): said once in the message bar, the rest of the catalog works.
    void reportCatalogProblems(const QStringList &problems);
    // Inspects the hooks again (none: all) with the catalog and the configured secret.
    void recheck(const QList<qint64> &ids);
    // Sends the hook as its sender would retry it (see Workspace::replayWithRetries()).
    void replayWithRetries(qint64 id, const QUrl &target, const RetrySchedule &schedule, double speed);
    // A desktop notification about hooks that arrived while the window was in
    // the background (at most one every few seconds; see Notifier).
    void notifyArrival(const QList<Hook> &hooks);
    // Shows the window with the hook selected (a notification was clicked).
    void showHook(qint64 id);
    // Shows what differs between two hooks (the older first) on the Compare page.
    void compare(qint64 first, qint64 second);
    // Re-reads Settings after the settings dialog changed them.
    void applySettings();
    // Going public (see Workspace::startTunnel() and receiveFromSmee()); a failure
    // shows in the message bar. The choice is remembered for the next time.
    bool startTunnel(const relay::TunnelSpec &spec);
    bool receiveFromSmee(const QUrl &channel);
    // Requires this secret of every hook from now on (and remembers it).
    void requireSecret(const QByteArray &secret);
    // The tunnel's output, in a window of its own.
    void showTunnelOutput();

signals:
    // The listener started (again) on url.
    void listening(const QUrl &url);
    // A replay started from this window finished and is stored.
    void replayFinished(const Delivery &delivery);
    // Every hook of a replay started from this window was sent (or the replay could not start).
    void replaysFinished(const workspace::ReplayOutcome &outcome);
    // The Replay To or the Replay with Retries dialog is open (tests answer it).
    void replayDialogOpened(ReplayDialog *dialog);
    void retryDialogOpened(RetryDialog *dialog);
    void exportFinished(const QString &fileName, int hooks, const QString &error);
    void importFinished(const QString &fileName, int hooks, const QString &error);
    void recheckFinished(int changed, const QString &error);
    // Edit & Replay has put the hook into the composer.
    void editorReady(qint64 id);
    // Copy as curl has put the commands on the clipboard.
    void copied();
    // The Compare page shows the two hooks.
    void compared(qint64 first, qint64 second);
    void comparedMessages(const QString &first, const QString &second);
    // A retry schedule started from this window ended (every attempt is stored).
    void retriesFinished(int attempts, int succeeded);

protected:
    void closeEvent(QCloseEvent *event) override;
    // Tab walks the window top to bottom, as it is laid out: the toolbar, the public URL,
    // the pages, the filter, the list, the hook's detail, the status bar.
    bool focusNextPrevChild(bool next) override;
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
    void reloadHistory();
    void applyRetention();
    void startForwarder();
    void onHooksArrived(const QList<Hook> &hooks);
    void updateEmptyState();
    // A curl command that sends a Codewars ping to url.
    QString testCommand(const QUrl &url) const;
    void replaySelected();
    void exportInteractive(bool selectionOnly);
    void importInteractive();
    void confirmClear();
    void openSettings();
    void openAnswerRules();
    void compareDeliveries(DeliveriesPane::Comparison comparison, const QList<DeliveryRow> &deliveries);
    void showAbout();
    // Asks where to replay the selected hooks and with which delivery id, remembers
    // the answer, and replays.
    void replayTo();
    // What the replay of several hooks came to, in the message bar.
    void showReplaySummary(const QUrl &target, const workspace::ReplayOutcome &outcome);
    void retrySelected();
    void askForTunnel();
    void askForSmee();
    void updateTitle();

    Settings &m_settings;
    workspace::Workspace &m_workspace;
    StartOptions m_options;
    HookTableModel *m_model;
    HookFilterProxy *m_proxy;
    QAction *m_actions[int(Action::Count)] = {};
    QTabWidget *m_pages;
    MessageBar *m_messages;
    PublicBar *m_publicBar;
    TunnelOutputDialog *m_tunnelOutput = nullptr;
    FilterBar *m_filter;
    CaptureView *m_view;
    DetailView *m_detail;
    QSplitter *m_splitter;
    Composer *m_composer;
    CompareView *m_compare;
    QLineEdit *m_urlField;
    QToolButton *m_copyUrl;
    QLabel *m_listenLabel;
    QLabel *m_countLabel;
    QLabel *m_rateLabel;
    QLabel *m_notRecordedLabel;
    QLabel *m_notForwardedLabel;
    Notifier *m_notifier;
    EmptyState *m_empty = nullptr;
    QTimer m_rateTimer;
    ArrivalRate m_rate;
    QString m_configuredBind;          // the settings' address and port the listener was last started for
    quint16 m_configuredPort = 0;
    qint64 m_lastNotifyMs = 0;
    bool m_countingHistory = false;
    int m_retriesRunning = 0;   // asked the store how many hooks it holds, before paging them in
};

} // namespace ui
