#include "mainwindow.h"

#include "bodyview.h"
#include "workspace/plural.h"
#include "captureview.h"
#include "compareview.h"
#include "composer.h"
#include "deliveriespane.h"
#include "detailview.h"
#include "filterbar.h"
#include "icons.h"
#include "emptystate.h"
#include "focusorder.h"
#include "messagebar.h"
#include "notifier.h"
#include "replaydialog.h"
#include "retrydialog.h"
#include "publicbar.h"
#include "publicdialogs.h"
#include "workspace/settings.h"
#include "answerrulesdialog.h"
#include "settingsdialog.h"
#include "theme.h"
#include "trustprompt.h"

#include "capture/hookcolumns.h"
#include "capture/hookfilterproxy.h"
#include "capture/hooktablemodel.h"
#include "catalog/usercatalogs.h"
#include "formats/curl.h"
#include "workspace/workspace.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <limits>

namespace ui {

using workspace::plural;

namespace {

constexpr int HistoryPageRows = 5000;
constexpr int NotifyIntervalMs = 5000;

struct ActionInfo
{
    const char *text;
    const char *tip;
    const char *icon;
};

// Text, tooltip and icon of each action, in the order of MainWindow::Action.
constexpr ActionInfo actionInfo[] = {
    {QT_TRANSLATE_NOOP("ui::MainWindow", "&Replay"), QT_TRANSLATE_NOOP("ui::MainWindow", "Send the selected hooks again to the replay target"), "replay"},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "Replay &To…"), QT_TRANSLATE_NOOP("ui::MainWindow", "Send the selected hooks to a URL you pick, with the delivery id kept or fresh"), nullptr},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "Replay with Re&tries…"), QT_TRANSLATE_NOOP("ui::MainWindow", "Send the selected hook as its sender would retry it, until an answer is 2xx"), nullptr},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "Cancel Retries"), QT_TRANSLATE_NOOP("ui::MainWindow", "Stop the retry schedules running"), nullptr},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "&Edit && Replay…"), QT_TRANSLATE_NOOP("ui::MainWindow", "Open the selected hook in the composer to change it before sending"), "edit-replay"},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "Copy as &curl"), QT_TRANSLATE_NOOP("ui::MainWindow", "Copy the selected hooks as curl commands to the URLs they were sent to"), "copy-curl"},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "Copy as curl to the Replay &Target"), QT_TRANSLATE_NOOP("ui::MainWindow", "Copy the selected hooks as curl commands that send them where Replay does"), nullptr},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "Co&mpare"), QT_TRANSLATE_NOOP("ui::MainWindow", "Show what differs between the two selected hooks"), nullptr},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "Copy &Listening URL"), QT_TRANSLATE_NOOP("ui::MainWindow", "Copy the URL hookscope listens on (reachable from this machine only)"), "copy"},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "Copy &Public URL"), QT_TRANSLATE_NOOP("ui::MainWindow", "Copy the tunnel's public URL, or the smee channel's"), "copy"},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "&Get a Public URL…"), QT_TRANSLATE_NOOP("ui::MainWindow", "Run a tunnel that gives this listener a public https URL a real sender can reach"), nullptr},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "Receive through a &smee Channel…"), QT_TRANSLATE_NOOP("ui::MainWindow", "Store the deliveries of a smee.io channel as relayed hooks"), nullptr},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "Tunnel &Output"), QT_TRANSLATE_NOOP("ui::MainWindow", "What the tunnel program printed"), nullptr},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "S&top Being Public"), QT_TRANSLATE_NOOP("ui::MainWindow", "Stop the tunnel and the smee channel: only this machine can reach the listener again"), nullptr},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "&Filter…"), QT_TRANSLATE_NOOP("ui::MainWindow", "Filter the hooks by path, header or body text"), "filter"},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "&Delete"), QT_TRANSLATE_NOOP("ui::MainWindow", "Delete the selected hooks from the store"), "delete"},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "Clear &All…"), QT_TRANSLATE_NOOP("ui::MainWindow", "Delete every hook from the store"), "clear"},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "Check &Again"), QT_TRANSLATE_NOOP("ui::MainWindow", "Inspect the selected hooks (or all) again with the catalog and the secret configured now"), "regenerate"},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "E&xport Selection…"), QT_TRANSLATE_NOOP("ui::MainWindow", "Save the selected hooks as HAR, JSON Lines or a curl script"), "export"},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "Export A&ll…"), QT_TRANSLATE_NOOP("ui::MainWindow", "Save every stored hook as HAR, JSON Lines or a curl script"), "export"},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "&Import HAR…"), QT_TRANSLATE_NOOP("ui::MainWindow", "Add the requests of a HAR file to the store"), "import"},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "&Captured Hooks"), QT_TRANSLATE_NOOP("ui::MainWindow", "Show the capture list"), "listen"},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "C&ompose"), QT_TRANSLATE_NOOP("ui::MainWindow", "Compose an event from the catalog and send it"), "compose"},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "Answer &Rules…"), QT_TRANSLATE_NOOP("ui::MainWindow", "Answer chosen hooks otherwise: fail the first few, delay some, match by event, action, path or header"), nullptr},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "&Settings…"), QT_TRANSLATE_NOOP("ui::MainWindow", "Listener, answer, forwarding, retention and appearance"), "settings"},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "&About hookscope"), QT_TRANSLATE_NOOP("ui::MainWindow", "Version and licence"), "about"},
    {QT_TRANSLATE_NOOP("ui::MainWindow", "&Quit"), QT_TRANSLATE_NOOP("ui::MainWindow", "Stop listening and quit"), nullptr},
};
static_assert(std::size(actionInfo) == size_t(MainWindow::Action::Count));

QList<QKeySequence> shortcutsOf(MainWindow::Action action)
{
    using A = MainWindow::Action;
    switch (action) {
    case A::Replay: return {QKeySequence(Qt::CTRL | Qt::Key_R)};
    case A::ReplayTo: return {QKeySequence(Qt::CTRL | Qt::Key_T)};
    case A::RetryReplay: return {QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_R)};
    case A::CancelRetries: return {};
    case A::EditReplay: return {QKeySequence(Qt::CTRL | Qt::Key_E)};
    case A::CopyCurl: return {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C)};
    case A::CopyCurlToTarget: return {QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_C)};
    case A::Compare: return {QKeySequence(Qt::CTRL | Qt::Key_D)};
    case A::CopyUrl: return {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L)};
    case A::CopyPublicUrl: return {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U)};
    case A::GetPublicUrl: return {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P)};
    case A::ReceiveSmee: return {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M)};
    case A::TunnelOutput: return {};
    case A::StopPublic: return {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X)};
    case A::Find: return {QKeySequence(Qt::CTRL | Qt::Key_F)};
    case A::Delete: return {QKeySequence(Qt::Key_Delete)};
    case A::Clear: return {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Delete)};
    case A::Recheck: return {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R)};
    case A::ExportSelection: return {QKeySequence(Qt::CTRL | Qt::Key_S)};
    case A::ExportAll: return {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)};
    case A::Import: return {QKeySequence(Qt::CTRL | Qt::Key_O)};
    case A::ShowCapture: return {QKeySequence(Qt::CTRL | Qt::Key_1)};
    case A::Compose: return {QKeySequence(Qt::CTRL | Qt::Key_2), QKeySequence(Qt::CTRL | Qt::Key_N)};
    case A::AnswerRules: return {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A)};
    case A::Settings: return {QKeySequence(Qt::CTRL | Qt::Key_Comma)};
    case A::About: return {QKeySequence(Qt::Key_F1)};
    case A::Quit: return {QKeySequence(Qt::CTRL | Qt::Key_Q)};
    case A::Count: break;
    }
    return {};
}

qint64 nowUs()
{
    return QDateTime::currentMSecsSinceEpoch() * 1000;
}

} // namespace

MainWindow::MainWindow(Settings &settings, workspace::Workspace &workspace, const StartOptions &options, QWidget *parent)
    : QMainWindow(parent)
    , m_settings(settings)
    , m_workspace(workspace)
    , m_options(options)
    , m_model(new HookTableModel(this))
    , m_proxy(new HookFilterProxy(this))
    , m_notifier(new Notifier(appIcon(), this))
{
    setWindowIcon(appIcon());
    connect(m_notifier, &Notifier::activated, this, &MainWindow::showHook);
    setWindowTitle(QString());

    m_model->setPageSize(HistoryPageRows);
    m_model->setCatalog(m_workspace.catalog());
    m_model->setPageSource([this](quint64 generation, qint64 afterId, int limit) {
        HookQuery query;
        query.afterId = afterId;
        query.limit = limit;
        workspace::whenReady(m_workspace.rows(query), this, [this, generation](const workspace::Fetched<QList<HookRow>> &rows) {
            if (!rows.ok())
                m_messages->showMessage(tr("Cannot read the store: %1").arg(rows.error), Tone::Bad);
            m_model->addHistoryPage(generation, rows.value);
            updateCount();
        });
    });
    m_proxy->setSourceModel(m_model);
    m_proxy->setDynamicSortFilter(true);

    m_messages = new MessageBar(this);
    m_publicBar = new PublicBar(&m_workspace, this);
    m_view = new CaptureView(this);
    m_view->setModel(m_proxy);
    m_filter = new FilterBar(m_model, m_proxy, &m_workspace, this);
    m_detail = new DetailView(&m_workspace, this);
    m_composer = new Composer(&m_workspace, m_settings, this);
    m_compare = new CompareView(this);
    applyTrustedCertificates(m_workspace, m_settings);
    for (DeliveriesPane *pane : {m_detail->deliveriesPane(), m_composer->history()}) {
        connect(pane, &DeliveriesPane::trustRequested, this,
                [this](const QUrl &url) { offerToTrustCertificate(this, m_workspace, m_settings, url); });
    }

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);
    // The detail's pages scroll or squeeze rather than push the list out of a small window.
    m_detail->setMinimumHeight(160);

    auto *capturePage = new QWidget(this);
    auto *captureLayout = new QVBoxLayout(capturePage);
    captureLayout->setContentsMargins(0, 0, 0, 0);
    captureLayout->setSpacing(0);
    captureLayout->addWidget(m_filter);
    captureLayout->addWidget(m_splitter, 1);

    m_pages = new QTabWidget(this);
    m_pages->setDocumentMode(true);
    m_pages->addTab(capturePage, tr("Captured Hooks"));
    m_pages->addTab(m_composer, tr("Compose"));
    m_pages->addTab(m_compare, tr("Compare"));

    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_messages);
    centralLayout->addWidget(m_publicBar);
    centralLayout->addWidget(m_pages, 1);
    setCentralWidget(central);

    createActions();
    createMenus();
    createToolBar();
    createStatusBar();
    refreshIcons();

    m_empty = new EmptyState(m_view, action(Action::Compose), action(Action::GetPublicUrl));
    connect(m_empty, &EmptyState::clearFilterRequested, this, [this] { m_filter->clearFilters(); });
    connect(m_empty, &EmptyState::copied, this, [this] { statusBar()->showMessage(tr("Copied the curl command"), 4000); });
    for (QAbstractItemModel *shown : {static_cast<QAbstractItemModel *>(m_proxy), static_cast<QAbstractItemModel *>(m_model)}) {
        for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
            connect(shown, signal, this, &MainWindow::updateEmptyState);
        connect(shown, &QAbstractItemModel::modelReset, this, &MainWindow::updateEmptyState);
    }
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &MainWindow::updateEmptyState);

    connect(&m_workspace, &workspace::Workspace::hooksArrived, this, &MainWindow::onHooksArrived);
    connect(&m_workspace, &workspace::Workspace::hooksImported, this, [this](const QList<Hook> &hooks) {
        // In the table like captured ones, but neither counted as arrivals nor announced.
        m_filter->noteHooks(hooks);
        m_model->appendHooks(hooks);
        updateCount();
    });
    connect(&m_workspace, &workspace::Workspace::hooksRemoved, this, [this](const QList<qint64> &ids) {
        m_model->removeIds(ids);
        if (ids.contains(m_detail->hookId()))
            m_detail->clear();
        updateCount();
    });
    connect(&m_workspace, &workspace::Workspace::storeCleared, this, [this] {
        m_model->clear();
        m_detail->clear();
        updateCount();
    });
    connect(&m_workspace, &workspace::Workspace::hooksChanged, this, [this](const QList<qint64> &ids) {
        HookQuery query;
        query.ids = ids;
        workspace::whenReady(m_workspace.rows(query), this, [this](const workspace::Fetched<QList<HookRow>> &rows) {
            m_model->updateRows(rows.value);
        });
        if (ids.contains(m_detail->hookId()))
            m_detail->reload();
    });
    connect(&m_workspace, &workspace::Workspace::storeChanged, this, [this] {
        reloadHistory();
        m_filter->refresh();
        m_detail->reload();
    });
    connect(&m_workspace, &workspace::Workspace::deliveryStored, this, [this](const Delivery &delivery) {
        if (delivery.kind == Delivery::Kind::Forward)
            m_model->updateForward(delivery.hookId, delivery.error.isEmpty() ? delivery.status : 0);
        m_detail->noteDelivery(delivery);
    });
    connect(&m_workspace, &workspace::Workspace::attemptFinished, this, [this](const Delivery &delivery) {
        statusBar()->showMessage(tr("#%1, attempt %2: %3").arg(delivery.hookId).arg(delivery.attempt).arg(deliverySummary(delivery)), 8000);
    });
    connect(&m_workspace, &workspace::Workspace::problem, this, [this](const QString &message) {
        m_messages->showMessage(message, Tone::Bad);
    });
    connect(&m_workspace, &workspace::Workspace::storeFailed, this, [this](const QString &error, int hooks) {
        m_messages->showMessage(plural(tr("%n hook(s) could not be stored and were answered 503: %1", nullptr, hooks), hooks).arg(error), Tone::Bad);
    });
    connect(&m_workspace, &workspace::Workspace::storeStalled, this, [this](const QString &error, int hooks) {
        m_messages->showMessage(plural(tr("The store refuses hooks: %1. %n hook(s) already answered are kept until it takes them;"
                                          " new ones are answered 503.", nullptr, hooks), hooks).arg(error), Tone::Bad);
    });
    connect(m_publicBar, &PublicBar::publicUrlRequested, this, &MainWindow::askForTunnel);
    connect(m_publicBar, &PublicBar::smeeRequested, this, &MainWindow::askForSmee);
    connect(m_publicBar, &PublicBar::outputRequested, this, &MainWindow::showTunnelOutput);
    connect(m_publicBar, &PublicBar::requireSecretRequested, this, [this] {
        bool ok = false;
        const QString secret = QInputDialog::getText(this, tr("Require the Secret"),
                                                     tr("Hooks without this secret (X-Webhook-Secret, or the key of X-Hub-Signature-256)"
                                                        " are answered 401 and still stored:"),
                                                     QLineEdit::Normal, QString::fromUtf8(m_settings.secret()), &ok);
        if (ok && !secret.isEmpty())
            requireSecret(secret.toUtf8());
    });
    connect(m_publicBar, &PublicBar::copied, this, [this](const QString &url) { statusBar()->showMessage(tr("Copied %1").arg(url), 4000); });
    connect(&m_workspace, &workspace::Workspace::publicChanged, this, [this] {
        updateTitle();
        updateActions();
    });
    connect(m_workspace.tunnel(), &relay::Tunnel::publicUrlChanged, this, [this](const QUrl &url) {
        updateActions();
        if (!url.isEmpty())
            statusBar()->showMessage(tr("Public URL %1: point the sender there").arg(url.toString()), 10000);
    });
    connect(m_workspace.tunnel(), &relay::Tunnel::message, this, [this](const QString &text) {
        // A new URL replaces the old one at the sender too: say so where it cannot be missed.
        if (text.startsWith(QStringLiteral("new public URL")))
            m_messages->showMessage(tr("The tunnel restarted with a new public URL, %1: give it to the sender, the old one no longer works.")
                                        .arg(m_workspace.publicUrl().toString()), Tone::Warning);
    });
    connect(m_workspace.tunnel(), &relay::Tunnel::failed, this, [this](const QString &error) {
        m_messages->showMessage(tr("The tunnel gave up: %1").arg(error.section(u'\n', 0, 0)), Tone::Bad);
    });
    connect(m_workspace.smee(), &relay::SmeeChannel::failed, this, [this](const QString &error) {
        m_messages->showMessage(tr("Not receiving from the smee channel: %1").arg(error), Tone::Bad);
    });
    connect(m_workspace.smee(), &relay::SmeeChannel::eventRejected, this, [this](const QString &why) {
        statusBar()->showMessage(why, 10000);
    });
    connect(m_messages, &MessageBar::listenRequested, this, [this](quint16 port) {
        listen(m_options.bind.value_or(m_settings.listenerConfig().bind), port);
    });
    connect(m_view, &CaptureView::currentHookChanged, m_detail, &DetailView::showHook);
    connect(m_filter, &FilterBar::leaveRequested, m_view, [this] { m_view->setFocus(Qt::ShortcutFocusReason); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateActions);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &MainWindow::updateActions);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &MainWindow::updateCount);
    connect(m_detail->bodyView(), &BodyView::modeChosen, this, [this](BodyView::Mode mode) { m_settings.setBodyMode(int(mode)); });

    m_rateTimer.setInterval(1000);
    connect(&m_rateTimer, &QTimer::timeout, this, &MainWindow::updateRate);
    m_rateTimer.start();

    restoreState();
    openStore();
    updateActions();
    updateCount();
}

MainWindow::~MainWindow()
{
    saveState();
    // The workspace outlives the window; nothing of this window may be called back.
    m_workspace.cancelStreams();
    m_workspace.disconnect(this);
}

void MainWindow::openStore()
{
    if (!m_workspace.isOpen() && !m_workspace.open(m_options.storePath)) {
        // Without a store nothing can be captured; say so where the list would be.
        QMetaObject::invokeMethod(this, [this] {
            m_messages->showMessage(tr("Cannot open the store: %1. Start hookscope with --db FILE to use another one.")
                                        .arg(m_workspace.errorString()), Tone::Bad);
        }, Qt::QueuedConnection);
        return;
    }
    workspace::whenReady(m_workspace.recentDeliveryRows(Delivery::Kind::Compose, 50), this, [this](const workspace::Fetched<QList<DeliveryRow>> &recent) {
        m_composer->setHistory(QList<DeliveryRow>(recent.value.crbegin(), recent.value.crend()));
    });
    applyRetention();
    reloadHistory();
    const ListenerConfig config = m_settings.listenerConfig();
    m_configuredBind = m_settings.bindAddress();
    m_configuredPort = m_settings.port();
    listen(m_options.bind.value_or(config.bind), m_options.port.value_or(config.port));
    startForwarder();
}

void MainWindow::reloadHistory()
{
    // At once: a hook arriving while the count is read must wait for the
    // history, not be shown and then reset away with its selection.
    m_model->startHistory();
    m_countingHistory = true;
    workspace::whenReady(m_workspace.read<workspace::Fetched<qint64>>([](HookStore &store) {
        workspace::Fetched<qint64> count;
        count.value = store.count();
        count.error = store.errorString();
        return count;
    }), this, [this](const workspace::Fetched<qint64> &count) {
        if (!count.ok())
            m_messages->showMessage(tr("Cannot read the store: %1").arg(count.error), Tone::Bad);
        m_countingHistory = false;
        m_model->setHistoryCount(count.value);
        updateCount();
    });
}

void MainWindow::createActions()
{
    for (int i = 0; i < int(Action::Count); ++i) {
        auto *action = new QAction(tr(actionInfo[i].text), this);
        const QList<QKeySequence> keys = shortcutsOf(Action(i));
        action->setShortcuts(keys);
        const QString tip = tr(actionInfo[i].tip);
        action->setToolTip(keys.isEmpty() ? tip : tip + u"  (" + keys.constFirst().toString(QKeySequence::NativeText) + u')');
        action->setStatusTip(tip);
        m_actions[i] = action;
        addAction(action);
    }
    // Delete belongs to the list: in a text field the key edits the text.
    action(Action::Delete)->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_view->addAction(action(Action::Delete));
    action(Action::Quit)->setMenuRole(QAction::QuitRole);
    action(Action::Settings)->setMenuRole(QAction::PreferencesRole);
    action(Action::About)->setMenuRole(QAction::AboutRole);
    for (Action low : {Action::CopyCurl, Action::CopyCurlToTarget, Action::Delete, Action::Clear, Action::Recheck, Action::ExportSelection, Action::ExportAll,
                       Action::Import, Action::Settings, Action::CopyUrl})
        action(low)->setPriority(QAction::LowPriority);

    connect(action(Action::Replay), &QAction::triggered, this, &MainWindow::replaySelected);
    connect(action(Action::ReplayTo), &QAction::triggered, this, &MainWindow::replayTo);
    connect(action(Action::RetryReplay), &QAction::triggered, this, &MainWindow::retrySelected);
    connect(action(Action::CancelRetries), &QAction::triggered, this, [this] { m_workspace.cancelRetries(); });
    connect(action(Action::EditReplay), &QAction::triggered, this, [this] { editAndReplay(m_view->currentId()); });
    connect(action(Action::CopyCurl), &QAction::triggered, this, [this] { copyAsCurl(m_view->selectedIds()); });
    connect(action(Action::CopyCurlToTarget), &QAction::triggered, this, [this] {
        if (!m_settings.replayTarget().isEmpty())
            copyAsCurl(m_view->selectedIds(), QUrl(m_settings.replayTarget()));
    });
    connect(action(Action::Compare), &QAction::triggered, this, [this] {
        QList<qint64> ids = m_view->selectedIds();
        std::sort(ids.begin(), ids.end());
        if (ids.size() == 2)
            compare(ids.at(0), ids.at(1));
    });
    connect(action(Action::CopyUrl), &QAction::triggered, this, [this] {
        if (!isListening())
            return;
        QApplication::clipboard()->setText(listenerUrl().toString());
        statusBar()->showMessage(tr("Copied %1").arg(listenerUrl().toString()), 4000);
    });
    connect(action(Action::CopyPublicUrl), &QAction::triggered, this, [this] {
        const QUrl url = !m_workspace.publicUrl().isEmpty() ? m_workspace.publicUrl()
                         : m_workspace.smee()->isActive()   ? m_workspace.smee()->channel()
                                                            : QUrl();
        if (url.isEmpty())
            return;
        QApplication::clipboard()->setText(url.toString());
        statusBar()->showMessage(tr("Copied %1").arg(url.toString()), 4000);
    });
    connect(action(Action::GetPublicUrl), &QAction::triggered, this, &MainWindow::askForTunnel);
    connect(action(Action::ReceiveSmee), &QAction::triggered, this, &MainWindow::askForSmee);
    connect(action(Action::TunnelOutput), &QAction::triggered, this, &MainWindow::showTunnelOutput);
    connect(action(Action::StopPublic), &QAction::triggered, this, [this] {
        m_workspace.stopTunnel();
        m_workspace.stopSmee();
    });
    connect(action(Action::Find), &QAction::triggered, this, [this] {
        m_pages->setCurrentIndex(0);
        m_filter->focusText();
    });
    connect(action(Action::Delete), &QAction::triggered, this, [this] { confirmDelete(m_view->selectedIds()); });
    connect(action(Action::Clear), &QAction::triggered, this, &MainWindow::confirmClear);
    connect(action(Action::Recheck), &QAction::triggered, this, [this] { recheck(m_view->selectedIds()); });
    connect(action(Action::ExportSelection), &QAction::triggered, this, [this] { exportInteractive(true); });
    connect(action(Action::ExportAll), &QAction::triggered, this, [this] { exportInteractive(false); });
    connect(action(Action::Import), &QAction::triggered, this, &MainWindow::importInteractive);
    connect(action(Action::ShowCapture), &QAction::triggered, this, [this] {
        m_pages->setCurrentIndex(0);
        m_view->setFocus();
    });
    connect(action(Action::Compose), &QAction::triggered, this, [this] {
        m_pages->setCurrentWidget(m_composer);
        m_composer->bodyEdit()->setFocus();
    });
    connect(action(Action::Settings), &QAction::triggered, this, &MainWindow::openSettings);
    connect(action(Action::AnswerRules), &QAction::triggered, this, &MainWindow::openAnswerRules);
    connect(m_detail->deliveriesPane(), &DeliveriesPane::compareRequested, this, &MainWindow::compareDeliveries);
    connect(action(Action::About), &QAction::triggered, this, &MainWindow::showAbout);
    connect(action(Action::Quit), &QAction::triggered, this, &QWidget::close);

    m_view->addActions({action(Action::Replay), action(Action::ReplayTo), action(Action::EditReplay), action(Action::CopyCurl),
                        action(Action::CopyCurlToTarget), action(Action::Compare), action(Action::Recheck)});
    auto *separator = new QAction(this);
    separator->setSeparator(true);
    m_view->addActions({separator, action(Action::ExportSelection)});
    auto *separator2 = new QAction(this);
    separator2->setSeparator(true);
    m_view->addActions({separator2, action(Action::Delete)});
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addActions({action(Action::Import), action(Action::ExportSelection), action(Action::ExportAll)});
    file->addSeparator();
    file->addActions({action(Action::AnswerRules), action(Action::Settings)});
    file->addSeparator();
    file->addAction(action(Action::Quit));
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addActions({action(Action::CopyCurl), action(Action::CopyCurlToTarget), action(Action::CopyUrl)});
    edit->addSeparator();
    edit->addAction(action(Action::Find));
    edit->addSeparator();
    edit->addActions({action(Action::Delete), action(Action::Clear)});
    QMenu *listen = menuBar()->addMenu(tr("&Listen"));
    listen->addActions({action(Action::CopyUrl), action(Action::CopyPublicUrl)});
    listen->addSeparator();
    listen->addActions({action(Action::GetPublicUrl), action(Action::ReceiveSmee), action(Action::TunnelOutput)});
    listen->addSeparator();
    listen->addAction(action(Action::StopPublic));
    QMenu *hook = menuBar()->addMenu(tr("&Hook"));
    hook->addActions({action(Action::Replay), action(Action::ReplayTo), action(Action::RetryReplay), action(Action::CancelRetries), action(Action::EditReplay),
                      action(Action::Compare), action(Action::Recheck)});
    hook->addSeparator();
    hook->addAction(action(Action::Compose));
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addActions({action(Action::ShowCapture), action(Action::Compose)});
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(action(Action::About));
}

void MainWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));   // saveState() needs it
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addActions({action(Action::Replay), action(Action::EditReplay), action(Action::CopyCurl)});
    bar->addSeparator();
    bar->addAction(action(Action::Compose));
    bar->addSeparator();
    bar->addActions({action(Action::Import), action(Action::ExportSelection)});
    bar->addSeparator();
    bar->addActions({action(Action::Delete), action(Action::Clear)});
    bar->addSeparator();
    bar->addAction(action(Action::Settings));

    auto *spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    m_listenLabel = new QLabel(tr("Listening on"), bar);
    m_urlField = new QLineEdit(bar);
    m_urlField->setReadOnly(true);
    m_urlField->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_urlField->setToolTip(tr("Point webhooks here from this machine. 127.0.0.1 is reachable only from this machine: for Codewars,"
                              " GitHub or any sender on the internet, use Listen ▸ Get a Public URL… or a smee channel."));
    m_urlField->setMinimumWidth(m_urlField->fontMetrics().horizontalAdvance(QStringLiteral("http://127.0.0.1:65535/")) + 16);
    m_urlField->setMaximumWidth(m_urlField->minimumWidth() * 2);
    m_copyUrl = new QToolButton(bar);
    m_copyUrl->setDefaultAction(action(Action::CopyUrl));
    m_copyUrl->setToolButtonStyle(Qt::ToolButtonIconOnly);
    bar->addWidget(m_listenLabel);
    bar->addWidget(m_urlField);
    bar->addWidget(m_copyUrl);
}

void MainWindow::createStatusBar()
{
    m_countLabel = new QLabel(this);
    m_rateLabel = new QLabel(this);
    m_rateLabel->setToolTip(tr("Hooks per second over the last %1 seconds").arg(m_rate.windowMs() / 1000));
    auto *urlLabel = new QLabel(this);
    urlLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(this, &MainWindow::listening, urlLabel, [urlLabel](const QUrl &url) { urlLabel->setText(url.toString()); });
    // Shown once the bounds on refused requests kept some off the record.
    m_notRecordedLabel = new QLabel(this);
    m_notRecordedLabel->setToolTip(tr("Refused requests are kept on record up to %1 a peer at once and one a second after,"
                                      " %2 in a run of the listener; beyond that they are only counted")
                                       .arg(m_workspace.listenerConfig().refusalBurst)
                                       .arg(m_workspace.listenerConfig().maxRefusalRecords));
    m_notRecordedLabel->hide();
    connect(&m_workspace, &workspace::Workspace::refusalsNotRecordedChanged, m_notRecordedLabel, [this](qint64 total) {
        const int count = int(std::min<qint64>(total, std::numeric_limits<int>::max()));
        m_notRecordedLabel->setText(plural(tr("%n refused request(s) not recorded", nullptr, count), count));
        m_notRecordedLabel->setVisible(total > 0);
    });
    // Shown once the forward target did not take every hook.
    m_notForwardedLabel = new QLabel(this);
    m_notForwardedLabel->hide();
    connect(&m_workspace, &workspace::Workspace::hooksNotForwarded, m_notForwardedLabel, [this](qint64 total, const QString &reason) {
        const int count = int(std::min<qint64>(total, std::numeric_limits<int>::max()));
        m_notForwardedLabel->setText(plural(tr("%Ln hook(s) not forwarded", nullptr, count), count));
        m_notForwardedLabel->setToolTip(tr("Last left out because %1").arg(reason));
        m_notForwardedLabel->setVisible(total > 0);
    });
    statusBar()->addPermanentWidget(urlLabel);
    statusBar()->addPermanentWidget(m_notForwardedLabel);
    statusBar()->addPermanentWidget(m_notRecordedLabel);
    statusBar()->addPermanentWidget(m_countLabel);
    statusBar()->addPermanentWidget(m_rateLabel);
    updateRate();
}

void MainWindow::refreshIcons()
{
    for (int i = 0; i < int(Action::Count); ++i) {
        if (actionInfo[i].icon)
            m_actions[i]->setIcon(themedIcon(QString::fromLatin1(actionInfo[i].icon), palette()));
    }
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        refreshIcons();
}

void MainWindow::updateActions()
{
    const bool selected = m_view->selectionModel() && m_view->selectionModel()->hasSelection();
    for (Action a : {Action::Replay, Action::ReplayTo, Action::CopyCurl, Action::Delete, Action::ExportSelection})
        action(a)->setEnabled(selected);
    action(Action::EditReplay)->setEnabled(m_view->currentId() > 0);
    action(Action::RetryReplay)->setEnabled(m_view->currentId() > 0);
    action(Action::CancelRetries)->setEnabled(m_retriesRunning > 0);
    action(Action::Compare)->setEnabled(selected && m_view->selectedIds().size() == 2);
    action(Action::CopyUrl)->setEnabled(isListening());
    action(Action::CopyPublicUrl)->setEnabled(!m_workspace.publicUrl().isEmpty() || m_workspace.smee()->isActive());
    action(Action::GetPublicUrl)->setEnabled(isListening());
    action(Action::ReceiveSmee)->setEnabled(isListening());
    action(Action::StopPublic)->setEnabled(m_workspace.isPublic());
    action(Action::TunnelOutput)->setEnabled(m_workspace.tunnel()->state() != relay::Tunnel::State::Stopped
                                             || !m_workspace.tunnel()->output().isEmpty());
    const QString target = m_settings.replayTarget();
    const QString idNote = m_settings.freshDeliveryId() ? tr(", each with a fresh delivery id") : QString();
    action(Action::Replay)->setToolTip(
        (target.isEmpty() ? tr("Send the selected hooks again (asks for the target the first time)")
                          : tr("Send the selected hooks again to %1%2").arg(target, idNote))
        + u"  (" + action(Action::Replay)->shortcut().toString(QKeySequence::NativeText) + u')');
    QAction *curlToTarget = action(Action::CopyCurlToTarget);
    curlToTarget->setEnabled(selected && !target.isEmpty());
    // The menu entry names the target, elided as a menu can show it.
    const QString shownTarget = target.size() > 48 ? target.left(45) + QStringLiteral("…") : target;
    curlToTarget->setText(target.isEmpty() ? tr(actionInfo[int(Action::CopyCurlToTarget)].text)
                                           : tr("Copy as curl to %1").arg(QString(shownTarget).replace(u'&', QStringLiteral("&&"))));
}

void MainWindow::updateCount()
{
    const QLocale locale;
    const int total = int(std::min<qint64>(m_model->totalInStore(), INT_MAX));
    const int loaded = m_model->rowCount();
    QString text = plural(tr("%Ln hook(s)", nullptr, total), total);
    if (loaded < total && !m_model->isHistoryLoaded())
        text = tr("loading %1 of %2 hooks…").arg(locale.toString(loaded), locale.toString(total));
    else if (m_proxy->isFiltering())
        text = plural(tr("%1 of %Ln hook(s) shown", nullptr, total), total).arg(locale.toString(m_proxy->rowCount()));
    m_countLabel->setText(text);
    updateEmptyState();
}

void MainWindow::updateRate()
{
    const double rate = m_rate.perSecond(QDateTime::currentMSecsSinceEpoch());
    m_rateLabel->setText(tr("%1 hooks/s").arg(QLocale().toString(rate, 'f', rate < 10 ? 1 : 0)));
}

bool MainWindow::isListening() const
{
    return m_workspace.isListening();
}

QUrl MainWindow::listenerUrl() const
{
    return m_workspace.url();
}

bool MainWindow::isHistoryLoaded() const
{
    return !m_countingHistory && m_model->isHistoryLoaded();
}

void MainWindow::reportCatalogProblems(const QStringList &problems)
{
    if (problems.isEmpty())
        return;
    const QString folder = catalog::userCatalogFolder() + u'/';
    QStringList lines;
    for (const QString &problem : problems)
        lines.append(problem.startsWith(folder) ? problem.sliced(folder.size()) : problem);
    const QString message = problems.size() == 1
        ? tr("A catalog of yours was not loaded, the others work: %1").arg(lines.constFirst())
        : tr("%1 catalogs of yours were not loaded, the others work: %2").arg(problems.size()).arg(lines.join(QLatin1String("; ")));
    const QString text = message + tr(" (in %1)").arg(catalog::userCatalogFolder());
    // A listener problem found while the window was built keeps its controls; this goes below it.
    if (m_messages->isVisibleTo(this) && m_messages->tone() == Tone::Bad)
        m_messages->textLabel()->setText(m_messages->text() + u'\n' + text);
    else
        m_messages->showMessage(text, Tone::Warning);
}

bool MainWindow::listen(const QHostAddress &bind, quint16 port)
{
    if (!m_workspace.isOpen())
        return false;
    ListenerConfig config = m_settings.listenerConfig();
    config.bind = bind;
    config.port = port;
    if (!m_workspace.listen(config)) {
        m_urlField->clear();
        m_listenLabel->setText(tr("Not listening"));
        setWindowTitle(QString());
        if (m_workspace.listenFailure() == workspace::Workspace::ListenFailure::Store) {
            // No other port helps: another hookscope (`hookscope listen`, a second window) writes this store.
            m_messages->showMessage(tr("Not listening: %1. Stop the other one, or start this one with --db and another store.")
                                        .arg(m_workspace.errorString()), Tone::Bad);
        } else {
            m_messages->showListenProblem(tr("Not listening: %1. Pick another port for this run, or change it in Settings.")
                                              .arg(m_workspace.errorString()), port);
        }
        updateActions();
        return false;
    }
    const QUrl url = m_workspace.url();
    m_urlField->setText(url.toString());
    m_listenLabel->setText(tr("Listening on"));
    updateTitle();
    if (m_messages->tone() == Tone::Bad && m_messages->portBox()->isVisible())
        m_messages->dismiss();
    m_composer->setListenerUrl(url);
    m_empty->setTarget(url, testCommand(url));
    m_publicBar->setSecretRequired(config.requireSecret);
    updateActions();
    emit listening(url);
    return true;
}

QString MainWindow::testCommand(const QUrl &url) const
{
    // What a Codewars ping looks like on the wire, as the Composer would send it.
    QString error;
    const auto composed = m_workspace.catalog().compose(QStringLiteral("codewars"), QStringLiteral("webhook"),
                                                        QStringLiteral("updated"), {}, &error);
    if (!composed)
        return {};
    Hook ping;
    ping.method = "POST";
    ping.target = url.path(QUrl::FullyEncoded).toUtf8();
    if (ping.target.isEmpty())
        ping.target = "/";
    ping.headers = composed->headers;
    ping.body = composed->body;
    return QString::fromUtf8(formats::curlCommand(ping, formats::curlUrl(ping, url.toString(QUrl::RemovePath)))).trimmed();
}

void MainWindow::updateEmptyState()
{
    using Mode = EmptyState::Mode;
    if (!m_empty)
        return;
    if (m_proxy->rowCount() > 0)
        m_empty->setMode(Mode::Hidden);
    else if (m_model->rowCount() > 0)
        m_empty->setMode(Mode::NoMatch);
    else
        m_empty->setMode(m_model->isHistoryLoaded() && m_model->totalInStore() == 0 ? Mode::Waiting : Mode::Hidden);
}

void MainWindow::updateTitle()
{
    // The application display name follows the title on its own: "127.0.0.1:8790 — hookscope".
    const QUrl url = m_workspace.url();
    if (url.isEmpty())
        setWindowTitle(QString());
    else
        setWindowTitle(m_workspace.isPublic() ? tr("%1 (public)").arg(url.authority()) : url.authority());
}

void MainWindow::askForTunnel()
{
    TunnelDialog dialog({m_settings.tunnelCommand(), m_settings.tunnelUrlPattern()}, m_settings.secret(),
                        m_workspace.listenerConfig().requireSecret, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (dialog.secretOffer()->requireSecret())
        requireSecret(dialog.secretOffer()->secret());
    startTunnel(dialog.spec());
}

void MainWindow::askForSmee()
{
    SmeeDialog dialog(&m_workspace, m_settings.smeeChannel(), m_settings.secret(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (dialog.secret() != m_settings.secret()) {
        m_settings.setSecret(dialog.secret());
        ListenerConfig config = m_workspace.listenerConfig();
        config.secret = dialog.secret();
        m_workspace.setListenerConfig(config);
    }
    receiveFromSmee(dialog.channel());
}

bool MainWindow::startTunnel(const relay::TunnelSpec &spec)
{
    m_settings.setTunnel(spec.command, spec.urlPattern);
    QString error;
    if (!m_workspace.startTunnel(spec, &error)) {
        m_messages->showMessage(tr("Cannot start the tunnel: %1").arg(error), Tone::Bad);
        return false;
    }
    if (m_messages->tone() == Tone::Bad)
        m_messages->dismiss();
    return true;
}

bool MainWindow::receiveFromSmee(const QUrl &channel)
{
    m_settings.setSmeeChannel(channel.toString());
    QString error;
    if (!m_workspace.receiveFromSmee(channel, &error)) {
        m_messages->showMessage(tr("Cannot receive from %1: %2").arg(channel.toString(), error), Tone::Bad);
        return false;
    }
    return true;
}

void MainWindow::requireSecret(const QByteArray &secret)
{
    m_settings.setSecret(secret);
    m_settings.setRequireSecret(true);
    ListenerConfig config = m_workspace.listenerConfig();
    config.secret = secret;
    config.requireSecret = true;
    m_workspace.setListenerConfig(config);
    m_publicBar->setSecretRequired(true);
    statusBar()->showMessage(tr("Hooks without the secret are answered 401 from now on"), 6000);
}

void MainWindow::showTunnelOutput()
{
    if (!m_tunnelOutput)
        m_tunnelOutput = new TunnelOutputDialog(m_workspace.tunnel(), this);
    m_tunnelOutput->show();
    m_tunnelOutput->raise();
    m_tunnelOutput->activateWindow();
}

void MainWindow::applyRetention()
{
    const qint64 keep = m_settings.keepHooks();
    const qint64 days = m_settings.keepDays();
    if (keep <= 0 && days <= 0)
        return;
    workspace::whenReady(m_workspace.prune(keep, days > 0 ? nowUs() - days * 86'400'000'000LL : 0), this, [this](const workspace::Outcome &outcome) {
        if (!outcome.ok())
            m_messages->showMessage(tr("Cannot apply retention: %1").arg(outcome.error), Tone::Bad);
        else if (outcome.count > 0)
            statusBar()->showMessage(plural(tr("Retention removed %Ln old hook(s)", nullptr, int(outcome.count)), int(outcome.count)), 8000);
    });
}

void MainWindow::startForwarder()
{
    QString error;
    if (!m_workspace.setForwardTarget(QUrl(m_settings.forwardTarget()), &error))
        m_messages->showMessage(tr("Cannot forward: %1").arg(error), Tone::Bad);
}

void MainWindow::onHooksArrived(const QList<Hook> &hooks)
{
    // The filter sees the bodies now, before the model's next flush adds the rows.
    m_filter->noteHooks(hooks);
    m_model->appendHooks(hooks);
    m_rate.add(int(hooks.size()), QDateTime::currentMSecsSinceEpoch());
    updateCount();
    if (!isActiveWindow())
        notifyArrival(hooks);
}

void MainWindow::notifyArrival(const QList<Hook> &hooks)
{
    if (!m_settings.notify() || hooks.isEmpty())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now - m_lastNotifyMs < NotifyIntervalMs)
        return;
    const Hook &last = hooks.constLast();
    const QString what = last.inspection.event.isEmpty()
        ? QString::fromLatin1(last.method) + u' ' + QString::fromUtf8(last.target)
        : last.inspection.action.isEmpty() ? last.inspection.event : last.inspection.event + u'/' + last.inspection.action;
    const int count = int(hooks.size());
    if (m_notifier->notify(plural(tr("%n new hook(s)", nullptr, count), count), what, last.id))
        m_lastNotifyMs = now;
}

void MainWindow::showHook(qint64 id)
{
    showNormal();
    raise();
    activateWindow();
    action(Action::ShowCapture)->trigger();
    if (!m_view->selectId(id)) {
        // Hidden by the filter: show every hook, then this one.
        m_filter->clearFilters();
        m_view->selectId(id);
    }
}

void MainWindow::replaySelected()
{
    const QList<qint64> ids = m_view->selectedIds();
    if (ids.isEmpty())
        return;
    const QUrl target(m_settings.replayTarget());
    if (target.isEmpty()) {
        replayTo();
        return;
    }
    ReplayOptions options;
    options.refreshDeliveryId = m_settings.freshDeliveryId();
    replay(ids, target, options);
}

void MainWindow::replayTo()
{
    const QList<qint64> ids = m_view->selectedIds();
    if (ids.isEmpty())
        return;
    QStringList providers;
    for (qint64 id : ids) {
        const QString provider = m_model->fieldsAt(m_model->rowOfId(id)).provider.toString();
        if (!providers.contains(provider))
            providers.append(provider);
    }
    QString noFreshId;
    if (m_workspace.canRefreshDeliveryId(providers, &noFreshId))
        noFreshId.clear();
    ReplayDialog dialog(m_settings.recentReplayTargets(), m_settings.freshDeliveryId(), noFreshId, int(ids.size()), this);
    emit replayDialogOpened(&dialog);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_settings.setReplayTarget(dialog.target().toString());
    // A choice that could not be made is not one: the setting stays as it was.
    if (noFreshId.isEmpty())
        m_settings.setFreshDeliveryId(dialog.freshDeliveryId());
    updateActions();
    ReplayOptions options;
    options.refreshDeliveryId = dialog.freshDeliveryId();
    replay(ids, dialog.target(), options);
}

void MainWindow::replay(const QList<qint64> &ids, const QUrl &target, const ReplayOptions &options)
{
    statusBar()->showMessage(plural(tr("Replaying %n hook(s) to %1…", nullptr, int(ids.size())), int(ids.size())).arg(target.toString()));
    workspace::whenReady(m_workspace.replay(ids, target, options), this, [this, target](const workspace::ReplayOutcome &outcome) {
        if (!outcome.error.isEmpty() || !outcome.missing.isEmpty()) {
            m_messages->showMessage(tr("Not replayed: %1").arg(outcome.error.isEmpty() ? tr("the hooks are no longer in the store")
                                                                                       : outcome.error), Tone::Bad);
            emit replaysFinished(outcome);
            return;
        }
        if (outcome.deliveries.size() == 1) {
            const Delivery &delivery = outcome.deliveries.constFirst();
            statusBar()->showMessage(tr("Replayed #%1 to %2: %3").arg(delivery.hookId).arg(delivery.url, deliverySummary(delivery)), 8000);
            if (!outcome.keptId.isEmpty())
                m_messages->showMessage(tr("#%1 went with its captured delivery id: %2.").arg(delivery.hookId).arg(outcome.keptIdWhy.join(u"; ")),
                                        Tone::Info);
        } else {
            statusBar()->clearMessage();
            showReplaySummary(target, outcome);
        }
        for (const Delivery &delivery : outcome.deliveries)
            emit replayFinished(delivery);
        emit replaysFinished(outcome);
    });
}

void MainWindow::showReplaySummary(const QUrl &target, const workspace::ReplayOutcome &outcome)
{
    // One entry for the whole replay: the failed hooks first in its details, then the delivered.
    constexpr int MaxDetailLines = 40;
    const int total = int(outcome.deliveries.size());
    const int delivered = outcome.succeeded();
    const int failed = total - delivered;
    QStringList failedLines;
    QStringList deliveredLines;
    for (const Delivery &delivery : outcome.deliveries)
        (delivery.succeeded() ? deliveredLines : failedLines).append(tr("#%1 → %2").arg(delivery.hookId).arg(deliverySummary(delivery)));
    QStringList details = failedLines + deliveredLines;
    if (details.size() > MaxDetailLines) {
        const int more = int(details.size()) - MaxDetailLines;
        details = details.mid(0, MaxDetailLines);
        details.append(plural(tr("… and %n more", nullptr, more), more));
    }
    if (!outcome.keptId.isEmpty()) {
        details.append(plural(tr("%n hook(s) went with their captured delivery id: %1.", nullptr, int(outcome.keptId.size())),
                              int(outcome.keptId.size())).arg(outcome.keptIdWhy.join(u"; ")));
    }
    QString message = plural(tr("Replayed %n hook(s) to %1: ", nullptr, total), total).arg(target.toString())
        + plural(tr("%n delivered", nullptr, delivered), delivered) + QStringLiteral(", ") + plural(tr("%n failed", nullptr, failed), failed);
    if (failed > 0) {
        QStringList which;
        for (const Delivery &delivery : outcome.deliveries) {
            if (!delivery.succeeded() && which.size() < 5)
                which.append(u'#' + QString::number(delivery.hookId));
        }
        message += u" (" + which.join(u", ") + (failed > int(which.size()) ? QStringLiteral(", …") : QString()) + u')';
    }
    m_messages->showMessage(message, failed == 0 ? Tone::Good : delivered == 0 ? Tone::Bad : Tone::Warning, details);
}

void MainWindow::retrySelected()
{
    const qint64 id = m_view->currentId();
    if (id <= 0)
        return;
    RetryDialog dialog(m_settings.recentReplayTargets(), this);
    emit retryDialogOpened(&dialog);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_settings.setReplayTarget(dialog.target().toString());
    updateActions();
    replayWithRetries(id, dialog.target(), dialog.schedule(), dialog.speed());
}

void MainWindow::replayWithRetries(qint64 id, const QUrl &target, const RetrySchedule &schedule, double speed)
{
    ++m_retriesRunning;
    updateActions();
    statusBar()->showMessage(plural(tr("Replaying #%1 to %2, up to %n attempt(s)…", nullptr, int(schedule.waitsMs.size())),
                                    int(schedule.waitsMs.size())).arg(id).arg(target.toString()));
    workspace::whenReady(m_workspace.replayWithRetries(id, target, schedule, speed), this, [this, id](const workspace::ReplayOutcome &outcome) {
        --m_retriesRunning;
        updateActions();
        const int attempts = int(outcome.deliveries.size());
        if (!outcome.missing.isEmpty())
            m_messages->showMessage(tr("Not replayed: %1").arg(outcome.error), Tone::Bad);
        else if (outcome.succeeded() > 0)
            statusBar()->showMessage(plural(tr("#%1 delivered after %n attempt(s)", nullptr, attempts), attempts).arg(id), 8000);
        else
            statusBar()->showMessage(plural(tr("#%1 not delivered: %n attempt(s) failed", nullptr, attempts), attempts).arg(id), 8000);
        emit retriesFinished(attempts, outcome.succeeded());
    });
}

void MainWindow::editAndReplay(qint64 id)
{
    if (id <= 0)
        return;
    const QString replayTarget = m_settings.replayTarget();
    const QUrl target = replayTarget.isEmpty() ? listenerUrl() : QUrl(replayTarget);
    workspace::whenReady(m_workspace.hook(id), this, [this, id, target](const workspace::Fetched<std::optional<Hook>> &found) {
        if (!found.value) {
            m_messages->showMessage(tr("Cannot edit hook #%1: %2").arg(id).arg(found.error), Tone::Bad);
            return;
        }
        m_composer->loadDraft(replayDraft(*found.value, target), id);
        m_pages->setCurrentWidget(m_composer);
        emit editorReady(id);
    });
}

void MainWindow::copyAsCurl(const QList<qint64> &ids, const QUrl &target)
{
    if (ids.isEmpty())
        return;
    HookQuery query;
    query.ids = ids;
    workspace::whenReady(m_workspace.hooks(query), this, [this, target](const workspace::Fetched<QList<Hook>> &found) {
        if (!found.ok() || found.value.isEmpty()) {
            m_messages->showMessage(tr("Cannot copy as curl: %1")
                                        .arg(found.ok() ? tr("the hooks are no longer in the store") : found.error), Tone::Bad);
            return;
        }
        QByteArray commands;
        for (const Hook &hook : found.value) {
            if (target.isEmpty()) {
                commands += formats::curlCommand(hook);
                continue;
            }
            // What Replay would send: to the same URL, without the hop-by-hop fields.
            const Draft draft = replayDraft(hook, target);
            Hook replayed = hook;
            replayed.headers = draft.headers;
            commands += formats::curlCommand(replayed, draft.url.toString(QUrl::FullyEncoded));
        }
        QApplication::clipboard()->setText(QString::fromUtf8(commands));
        const int count = int(found.value.size());
        statusBar()->showMessage(target.isEmpty() ? plural(tr("Copied %n curl command(s)", nullptr, count), count)
                                                  : plural(tr("Copied %n curl command(s) to %1", nullptr, count), count).arg(target.toString()),
                                 4000);
        emit copied();
    });
}

void MainWindow::deleteHooks(const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return;
    workspace::whenReady(m_workspace.deleteHooks(ids), this, [this](const workspace::Outcome &outcome) {
        if (!outcome.ok())
            m_messages->showMessage(tr("Cannot delete: %1").arg(outcome.error), Tone::Bad);
        else
            statusBar()->showMessage(plural(tr("Deleted %n hook(s)", nullptr, int(outcome.count)), int(outcome.count)), 4000);
    });
}

void MainWindow::confirmDelete(const QList<qint64> &ids)
{
    if (ids.size() > 1) {
        const int count = int(ids.size());
        const QString question = plural(tr("Delete the %Ln selected hook(s) and their deliveries from the store?", nullptr, count), count);
        QMessageBox box(QMessageBox::Question, tr("Delete Hooks"), question + u'\n' + tr("This cannot be undone."),
                        QMessageBox::Cancel, this);
        QPushButton *remove = box.addButton(plural(tr("Delete %Ln Hook(s)", nullptr, count), count), QMessageBox::DestructiveRole);
        box.setDefaultButton(QMessageBox::Cancel);
        box.exec();
        if (box.clickedButton() != remove)
            return;
    }
    deleteHooks(ids);
}

void MainWindow::confirmClear()
{
    const int total = int(std::min<qint64>(m_model->totalInStore(), INT_MAX));
    if (total == 0)
        return;
    const QString question = plural(tr("Delete all %Ln hook(s) and their deliveries from the store?", nullptr, total), total);
    const auto answer = QMessageBox::question(this, tr("Clear All Hooks"), question + u'\n' + tr("This cannot be undone."),
                                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        clearHooks();
}

void MainWindow::clearHooks()
{
    workspace::whenReady(m_workspace.clear(), this, [this](const workspace::Outcome &outcome) {
        if (!outcome.ok())
            m_messages->showMessage(tr("Cannot clear the store: %1").arg(outcome.error), Tone::Bad);
        else
            statusBar()->showMessage(tr("Cleared the store"), 4000);
    });
}

void MainWindow::exportTo(const QString &fileName, workspace::ExportFormat format, const QList<qint64> &ids)
{
    statusBar()->showMessage(tr("Exporting to %1…").arg(QDir::toNativeSeparators(fileName)));
    workspace::whenReady(m_workspace.exportTo(fileName, format, ids), this, [this, fileName](const workspace::Outcome &outcome) {
        if (outcome.ok())
            statusBar()->showMessage(plural(tr("Exported %n hook(s) to %1", nullptr, int(outcome.count)), int(outcome.count))
                                         .arg(QDir::toNativeSeparators(fileName)), 8000);
        else
            m_messages->showMessage(tr("Export failed: %1").arg(outcome.error), Tone::Bad);
        emit exportFinished(fileName, int(outcome.count), outcome.error);
    });
}

void MainWindow::exportInteractive(bool selectionOnly)
{
    const QList<qint64> ids = selectionOnly ? m_view->selectedIds() : QList<qint64>();
    if (selectionOnly && ids.isEmpty())
        return;
    const QString har = tr("HAR (*.har)");
    const QString jsonl = tr("JSON Lines (*.jsonl)");
    const QString curl = tr("curl script (*.sh)");
    QString filter = har;
    QString fileName = QFileDialog::getSaveFileName(this, selectionOnly ? tr("Export Selection") : tr("Export All Hooks"),
                                                    QStringLiteral("hooks.har"), har + u";;" + jsonl + u";;" + curl, &filter);
    if (fileName.isEmpty())
        return;
    using workspace::ExportFormat;
    const ExportFormat chosen = filter == jsonl ? ExportFormat::Jsonl : filter == curl ? ExportFormat::Curl : ExportFormat::Har;
    if (QFileInfo(fileName).suffix().isEmpty())
        fileName += chosen == ExportFormat::Har ? QStringLiteral(".har") : chosen == ExportFormat::Jsonl ? QStringLiteral(".jsonl") : QStringLiteral(".sh");
    exportTo(fileName, workspace::exportFormatForFile(fileName, chosen), ids);
}

void MainWindow::importFrom(const QString &fileName)
{
    workspace::whenReady(m_workspace.importHar(fileName), this, [this, fileName](const workspace::Outcome &outcome) {
        if (!outcome.ok())
            m_messages->showMessage(tr("Cannot import %1").arg(outcome.error), Tone::Bad);
        else
            statusBar()->showMessage(plural(tr("Imported %n hook(s) from %1", nullptr, int(outcome.count)), int(outcome.count))
                                         .arg(QFileInfo(fileName).fileName()), 8000);
        emit importFinished(fileName, int(outcome.count), outcome.error);
    });
}

void MainWindow::compare(qint64 first, qint64 second)
{
    m_pages->setCurrentWidget(m_compare);
    m_compare->showProblem(tr("Comparing hook #%1 with hook #%2…").arg(first).arg(second));
    // Two big bodies take a while to compare: on the reader thread, beside reading them.
    workspace::whenReady(m_workspace.read<workspace::Fetched<formats::HookDiff>>([first, second](HookStore &store) {
        workspace::Fetched<formats::HookDiff> result;
        const std::optional<Hook> a = store.hook(first);
        const std::optional<Hook> b = a ? store.hook(second) : std::nullopt;
        if (!a || !b)
            result.error = store.errorString();
        else
            result.value = formats::diffHooks(*a, *b);
        return result;
    }), this, [this, first, second](const workspace::Fetched<formats::HookDiff> &diff) {
        if (!diff.ok())
            m_compare->showProblem(tr("Cannot compare: %1").arg(diff.error));
        else
            m_compare->setDiff(diff.value, first, second);
        emit compared(first, second);
    });
}

void MainWindow::compareDeliveries(DeliveriesPane::Comparison comparison, const QList<DeliveryRow> &deliveries)
{
    const std::optional<Hook> &hook = m_detail->hook();
    using C = DeliveriesPane::Comparison;
    const bool withHook = comparison == C::RequestWithHook || comparison == C::AnswerWithHook;
    if ((withHook && (deliveries.size() != 1 || !hook)) || (!withHook && deliveries.size() != 2))
        return;
    const auto name = [](const DeliveryRow &delivery) {
        return delivery.attempt > 0 ? tr("%1 attempt %2").arg(deliveryKindLabel(delivery).toLower()).arg(delivery.attempt)
                                    : tr("the %1 at %2").arg(deliveryKindLabel(delivery).toLower(),
                                                             QDateTime::fromMSecsSinceEpoch(delivery.startedUs / 1000).toString(QStringLiteral("HH:mm:ss")));
    };
    const bool requests = comparison == C::RequestWithHook || comparison == C::Requests;
    std::optional<formats::Message> hookSide;
    QString nameA, nameB;
    switch (comparison) {
    case C::RequestWithHook:
        hookSide = formats::requestOf(*hook);
        nameA = tr("hook #%1").arg(hook->id);
        nameB = tr("the request of %1").arg(name(deliveries.constFirst()));
        break;
    case C::AnswerWithHook:
        hookSide = formats::answerOf(*hook);
        nameA = tr("hookscope's answer to hook #%1").arg(hook->id);
        nameB = tr("the answer to %1").arg(name(deliveries.constFirst()));
        break;
    case C::Requests:
    case C::Answers:
        nameA = (requests ? tr("the request of %1") : tr("the answer to %1")).arg(name(deliveries.at(0)));
        nameB = (requests ? tr("the request of %1") : tr("the answer to %1")).arg(name(deliveries.at(1)));
        break;
    }
    m_pages->setCurrentWidget(m_compare);
    m_compare->showProblem(tr("Comparing %1 with %2…").arg(nameA, nameB));
    // The lists hold no bodies: the deliveries are read whole, and big bodies
    // take a while to compare, on the reader thread, as hooks are.
    QList<qint64> ids;
    for (const DeliveryRow &delivery : deliveries)
        ids.append(delivery.id);
    workspace::whenReady(m_workspace.read<workspace::Fetched<formats::HookDiff>>([hookSide, ids, requests](HookStore &store) {
        workspace::Fetched<formats::HookDiff> result;
        QList<formats::Message> messages;
        if (hookSide)
            messages.append(*hookSide);
        for (qint64 id : ids) {
            const std::optional<Delivery> delivery = store.delivery(id);
            if (!delivery) {
                result.error = store.errorString();
                return result;
            }
            messages.append(requests ? formats::requestOf(*delivery) : formats::answerOf(*delivery));
        }
        result.value = formats::diffMessages(messages.at(0), messages.at(1));
        return result;
    }), this, [this, nameA, nameB](const workspace::Fetched<formats::HookDiff> &diff) {
        if (!diff.ok()) {
            m_compare->showProblem(tr("Cannot compare %1 with %2: %3").arg(nameA, nameB, diff.error));
            return;
        }
        m_compare->setDiff(diff.value, nameA, nameB);
        emit comparedMessages(nameA, nameB);
    });
}

void MainWindow::recheck(const QList<qint64> &ids)
{
    workspace::whenReady(m_workspace.recheck(ids, m_settings.secret()), this, [this](const workspace::Outcome &outcome) {
        if (!outcome.ok())
            m_messages->showMessage(tr("Cannot check again: %1").arg(outcome.error), Tone::Bad);
        else
            statusBar()->showMessage(plural(tr("Checked again: %n hook(s) changed", nullptr, int(outcome.count)), int(outcome.count)), 8000);
        emit recheckFinished(int(outcome.count), outcome.error);
    });
}

void MainWindow::importInteractive()
{
    const QString fileName = QFileDialog::getOpenFileName(this, tr("Import HAR"), QString(), tr("HAR (*.har);;All files (*)"));
    if (!fileName.isEmpty())
        importFrom(fileName);
}

void MainWindow::openSettings()
{
    auto *dialog = new SettingsDialog(m_settings, m_workspace.storePath(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (const QString reason = m_notifier->unavailableReason(); !reason.isEmpty())
        dialog->setNotificationsUnavailable(reason);
    connect(dialog, &SettingsDialog::applied, this, &MainWindow::applySettings);
    dialog->open();
}

void MainWindow::openAnswerRules()
{
    auto *dialog = new AnswerRulesDialog(m_settings.answerRules(), m_workspace.catalog(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setTestHook(m_detail->hook());
    connect(m_detail, &DetailView::hookShown, dialog, [this, dialog] { dialog->setTestHook(m_detail->hook()); });
    connect(dialog, &AnswerRulesDialog::applied, this, [this](const AnswerRules &rules) {
        m_settings.setAnswerRules(rules);
        applySettings();
        m_messages->showMessage(rules.isEmpty() ? tr("No answer rules: every hook gets the answer set in Settings.")
                                                : plural(tr("Answering by %n rule(s); their counts start again.", nullptr,
                                                            int(rules.rules().size())),
                                                         int(rules.rules().size())),
                                Tone::Info);
    });
    dialog->open();
}

void MainWindow::applySettings()
{
    applyTheme(m_settings.theme());
    const ListenerConfig config = m_settings.listenerConfig();
    // A changed address or port restarts the listener (and ends a --bind/--port
    // override); the rest applies to the next hook.
    const bool moved = !isListening() || m_settings.bindAddress() != m_configuredBind || m_settings.port() != m_configuredPort;
    m_configuredBind = m_settings.bindAddress();
    m_configuredPort = m_settings.port();
    if (moved) {
        m_options.bind.reset();
        m_options.port.reset();
        listen(config.bind, config.port);
    } else {
        ListenerConfig updated = config;
        updated.bind = m_workspace.listenerConfig().bind;
        updated.port = m_workspace.listenerConfig().port;
        m_workspace.setListenerConfig(updated);
    }
    applyRetention();
    startForwarder();
    m_publicBar->setSecretRequired(m_workspace.listenerConfig().requireSecret);
    updateActions();
}

void MainWindow::showAbout()
{
    QMessageBox box(this);
    box.setWindowTitle(tr("About hookscope"));
    box.setIconPixmap(appIcon().pixmap(64, 64));
    box.setTextFormat(Qt::RichText);
    box.setText(tr("<h3>hookscope %1</h3><p>A native desktop webhook inspector.</p>")
                    .arg(QCoreApplication::applicationVersion().toHtmlEscaped()));
    box.setInformativeText(tr("Receives webhooks on a local port, keeps every one byte for byte, checks them against "
                              "the event catalog (Codewars, GitHub) and sends any of them again.<br><br>"
                              "Store: %1<br>Qt %2")
                               .arg(QDir::toNativeSeparators(m_workspace.storePath()).toHtmlEscaped(), QString::fromLatin1(qVersion())));
    box.exec();
}

void MainWindow::restoreState()
{
    if (!restoreGeometry(m_settings.windowGeometry())) {
        // The first start: 1280×800, or nine tenths of a smaller screen, so nothing starts off screen.
        QSize size(1280, 800);
        if (const QScreen *screen = this->screen())
            size = size.boundedTo(screen->availableGeometry().size() * 0.9);
        resize(size);
    }
    QMainWindow::restoreState(m_settings.windowState());
    if (!m_splitter->restoreState(m_settings.splitterState())) {
        // The list keeps more than half of the height: it is what one works on.
        // The window's height is known once it is laid out.
        QTimer::singleShot(0, this, [this] {
            const int height = m_splitter->height();
            m_splitter->setSizes({height * 11 / 20, height - height * 11 / 20});
        });
    }
    m_view->restoreColumnState(m_settings.columnState());
    const int bodyMode = m_settings.bodyMode();
    if (bodyMode >= 0 && bodyMode <= int(BodyView::Mode::Hex))
        m_detail->bodyView()->setPreferredMode(BodyView::Mode(bodyMode));
}

void MainWindow::saveState()
{
    m_settings.setWindowGeometry(saveGeometry());
    m_settings.setWindowState(QMainWindow::saveState());
    m_settings.setSplitterState(m_splitter->saveState());
    m_settings.setColumnState(m_view->saveColumnState());
    m_settings.sync();
}

bool MainWindow::focusNextPrevChild(bool next)
{
    QList<QWidget *> roots;
    for (QToolBar *bar : findChildren<QToolBar *>(Qt::FindDirectChildrenOnly))
        roots.append(bar);
    roots << centralWidget() << statusBar();
    if (QWidget *target = nextInFocusOrder(roots, QApplication::focusWidget(), next)) {
        target->setFocus(next ? Qt::TabFocusReason : Qt::BacktabFocusReason);
        return true;
    }
    return QMainWindow::focusNextPrevChild(next);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveState();
    event->accept();
}

} // namespace ui
