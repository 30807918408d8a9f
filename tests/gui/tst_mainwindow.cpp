#include "guitesthelpers.h"

#include "delivery/rawreceiver.h"

#include "ui/answerrulesdialog.h"
#include "ui/bodyview.h"
#include "ui/captureview.h"
#include "ui/compareview.h"
#include "ui/composer.h"
#include "ui/deliveriespane.h"
#include "ui/timingwaterfall.h"
#include "ui/detailview.h"
#include "ui/emptystate.h"
#include "ui/filterbar.h"
#include "ui/headerstable.h"
#include "ui/httpmessageview.h"
#include "ui/jsontree.h"
#include "ui/lineview.h"
#include "ui/messagebar.h"
#include "ui/overviewpane.h"
#include "ui/schemaview.h"
#include "ui/replaydialog.h"
#include "ui/retrydialog.h"
#include "ui/settingsdialog.h"

#include "capture/hookfilterproxy.h"
#include "capture/hookstore.h"
#include "capture/listener.h"
#include "catalog/usercatalogs.h"
#include "workspace/querytext.h"
#include "formats/curl.h"
#include "formats/bodycoding.h"
#include "formats/har.h"
#include "delivery/forwarder.h"
#include "delivery/replay.h"

#include <algorithm>

#include <QAbstractButton>
#include <QApplication>
#include <QFileInfo>
#include <QSet>
#include <QClipboard>
#include <QCheckBox>
#include <QComboBox>
#include <QHeaderView>
#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QListWidget>
#include <QStatusBar>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QWidgetAction>
#include <QUuid>

using guitest::makeWindow;
using guitest::postEvent;
using ui::MainWindow;

class tst_MainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void shouldListenAtOnceAndPublishTheUrl();
    void shouldShowCapturedHookLiveWithEventAndAction();
    void shouldReplaySelectedHookWithIdenticalBody();
    void shouldStoreReplayAsDeliveryOfTheHook();
    void shouldFilterByEvent();
    void shouldFilterByTextInPathHeadersAndBody();
    void shouldKeepSettingsAcrossARestartOfTheWindow();
    void shouldCopySelectedHookAsCurl();
    void shouldCopyAsCurlToTheReplayTarget();
    void shouldReplayToAPickedTargetWithAFreshDeliveryId();
    void shouldOfferNoFreshIdForCodewarsAndSayWhy();
    void shouldSummariseAReplayOfSeveralHooksOnce();
    void shouldReportTakenPortAndListenOnAnother();
    void shouldReportAStoreWrittenByAnotherHookscope();
    void shouldReportBrokenUserCatalogsInTheMessageBar();
    void shouldPageHistoryInWithoutBlocking();
    void shouldLoadLargeBodyOffTheGuiThread();
    void shouldDeleteSelectedAndClearAll();
    void shouldTeachWhileTheTableIsEmpty();
    void shouldNameEveryButtonAndReachEveryActionFromTheMenus();
    void shouldExportAndImportHar();
    void shouldOpenEditAndReplayInComposer();
    void shouldEditAndReplayAnyBodyByteForByte_data();
    void shouldEditAndReplayAnyBodyByteForByte();
    void shouldForwardEachHookWhenATargetIsSet();
    void shouldSayHowManyHooksWereNotForwarded();
    void shouldFollowNewestOnlyAtTheBottom();
    void shouldGiveEveryToolbarActionAShortcutAndTooltip();
    void shouldCheckOldHooksAgainWithANewSecret();
    void shouldCompareTwoSelectedHooks();
    void shouldRetryAReplayAndListEachAttempt();
    void shouldOfferTheRecentTargetsForRetries();
    void shouldKeepSqlOffTheGuiThreadWhileHooksArrive();
    void shouldAnswerByRulesEditedInTheApp();
    void shouldCompareADeliveryWithItsHookAndTwoAnswers();
    void shouldMarkRefusedRequestsAndFilterThemAsListDoes();
    void shouldShowATransferCodedHookDecoded();
    void shouldWalkTheWindowWithTabInReadingOrder();
    void shouldDecodeACodedBodyOnceOffTheGuiThread_data();
    void shouldDecodeACodedBodyOnceOffTheGuiThread();
    void shouldReadOnlyTheShownDeliveryWhole();

private:
    std::unique_ptr<MainWindow> newWindow(std::optional<quint16> port = quint16(0));
    // Posts and waits until the hook's row is in the table; returns its id.
    qint64 capture(const QByteArray &event, const QByteArray &body, const QByteArray &target = "/hooks",
                   const QByteArray &headers = {});
    // A new window with the receiver as replay target: captures a Codewars "user" hook
    // of this body and opens it with Edit & Replay; returns its id (0: failed).
    qint64 editAndReplay(guitest::Receiver &receiver, const QByteArray &body);
    // Selects the hook's row and, unless told otherwise, waits until the detail view shows it.
    void selectRowOf(qint64 id, bool waitForDetail = true);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ui::Settings> m_settings;
    std::unique_ptr<MainWindow> m_window;
    QString m_store;
};

void tst_MainWindow::initTestCase()
{
    guitest::isolateSettings();
    QVERIFY(ui::Settings().fileName().contains(QLatin1String("qttest")));
}

void tst_MainWindow::init()
{
    guitest::resetSettings();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = m_dir->filePath(QStringLiteral("hooks.sqlite"));
    m_settings = std::make_unique<ui::Settings>();
}

void tst_MainWindow::cleanup()
{
    m_window.reset();
    QVERIFY2(guitest::noQueriesOnTheGuiThread(), "SQL ran on the GUI thread");
    m_settings.reset();
    m_dir.reset();
}

std::unique_ptr<MainWindow> tst_MainWindow::newWindow(std::optional<quint16> port)
{
    return makeWindow(*m_settings, m_store, port);
}

qint64 tst_MainWindow::editAndReplay(guitest::Receiver &receiver, const QByteArray &body)
{
    m_settings->setReplayTarget(receiver.url().toString());
    m_window = newWindow();
    const qint64 id = capture("user", body);
    if (id <= 0)
        return 0;
    selectRowOf(id);
    // Whatever the Composer showed before, its pickers then say what the hook is.
    m_window->composer()->selectTemplate(QStringLiteral("github"), QStringLiteral("ping"), QString());
    QSignalSpy ready(m_window.get(), &MainWindow::editorReady);
    m_window->action(MainWindow::Action::EditReplay)->trigger();
    return QTest::qWaitFor([&] { return ready.size() == 1; }, 5000) ? id : 0;
}

qint64 tst_MainWindow::capture(const QByteArray &event, const QByteArray &body, const QByteArray &target, const QByteArray &headers)
{
    const int before = m_window->model()->rowCount();
    if (postEvent(m_window->listenerUrl(), event, body, target, headers) == 0)
        return 0;
    if (!QTest::qWaitFor([&] { return m_window->model()->rowCount() > before; }, 5000))
        return 0;
    return m_window->model()->idAt(guitest::lastRow(m_window->model()));
}

void tst_MainWindow::selectRowOf(qint64 id, bool waitForDetail)
{
    QVERIFY(m_window->captureView()->selectId(id));
    QCOMPARE(m_window->captureView()->currentId(), id);
    if (waitForDetail)
        QTRY_VERIFY(m_window->detailView()->hook() && m_window->detailView()->hook()->id == id);
}

void tst_MainWindow::shouldListenAtOnceAndPublishTheUrl()
{
    m_window = newWindow();
    QVERIFY(m_window->isListening());
    const QUrl url = m_window->listenerUrl();
    QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));
    QVERIFY(url.port() > 0);
    QCOMPARE(m_window->urlField()->text(), url.toString());
    QString why;
    QCOMPARE(workspace::Workspace::runningListener(m_store, &why), url);
    QVERIFY(m_window->windowTitle().contains(url.authority()));

    m_window->action(MainWindow::Action::CopyUrl)->trigger();
    QCOMPARE(QApplication::clipboard()->text(), url.toString());
}

void tst_MainWindow::shouldShowCapturedHookLiveWithEventAndAction()
{
    m_window = newWindow();
    const qint64 id = capture("user", R"({"action":"honor_changed","user":{"id":"53aa3f265b97485984000001","honor":420,"honor_delta":3}})");
    QVERIFY(id > 0);
    const int row = guitest::lastRow(m_window->model());
    QCOMPARE(m_window->model()->eventAt(row), QStringLiteral("user"));
    QCOMPARE(m_window->model()->actionAt(row), QStringLiteral("honor_changed"));
    QCOMPARE(m_window->model()->index(row, HookColumns::Status).data().toInt(), 200);
    QTRY_VERIFY(m_window->countLabel()->text().contains(QLatin1Char('1')));

    selectRowOf(id);
    QCOMPARE(m_window->detailView()->hookId(), id);
    QVERIFY(m_window->detailView()->hook().has_value());
    QCOMPARE(m_window->detailView()->bodyView()->kind(), ui::BodyRendering::Kind::Json);
    QVERIFY(m_window->detailView()->bodyView()->prettyEdit()->toPlainText().contains(QLatin1String("\"honor_delta\": 3")));
}

void tst_MainWindow::shouldReplaySelectedHookWithIdenticalBody()
{
    guitest::Receiver receiver;
    QVERIFY(receiver.start());
    m_settings->setReplayTarget(receiver.url(QStringLiteral("/")).toString());
    m_window = newWindow();

    // Bytes that a careless copy would change: NUL, invalid UTF-8, CRLF, trailing spaces.
    const QByteArray body = QByteArray("{\"action\":\"created\",\"blob\":\"", 28) + QByteArray("\x00\xff\xfe\r\n  ", 7) + "\"}  ";
    const qint64 id = capture("code_challenge", body, "/hooks/kata?x=1");
    QVERIFY(id > 0);
    selectRowOf(id);
    QVERIFY(m_window->action(MainWindow::Action::Replay)->isEnabled());

    QSignalSpy replayed(m_window.get(), &MainWindow::replayFinished);
    m_window->action(MainWindow::Action::Replay)->trigger();
    QTRY_COMPARE(receiver.requests.size(), 1);
    QCOMPARE(receiver.requests.constFirst().body, body);
    QVERIFY(receiver.requests.constFirst().head.startsWith("POST /hooks/kata?x=1 HTTP/1.1"));
    QVERIFY(receiver.requests.constFirst().head.contains("X-Webhook-Event: code_challenge"));
    QTRY_COMPARE(replayed.size(), 1);
}

void tst_MainWindow::shouldStoreReplayAsDeliveryOfTheHook()
{
    guitest::Receiver receiver;
    QVERIFY(receiver.start());
    m_settings->setReplayTarget(receiver.url(QStringLiteral("/mine")).toString());
    m_window = newWindow();
    const qint64 id = capture("webhook", R"({"action":"updated","webhook":{"id":"53aa3f265b97485984000001"}})");
    QVERIFY(id > 0);
    selectRowOf(id);

    QSignalSpy replayed(m_window.get(), &MainWindow::replayFinished);
    m_window->action(MainWindow::Action::Replay)->trigger();
    QTRY_COMPARE(replayed.size(), 1);
    const QList<Delivery> stored = guitest::storedDeliveries(*m_window, id);
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored.constFirst().kind, Delivery::Kind::Replay);
    QCOMPARE(stored.constFirst().status, 200);
    QCOMPARE(stored.constFirst().responseBody, QByteArray("ok"));
    QCOMPARE(receiver.requests.constFirst().head.left(10), QByteArray("POST /mine"));

    ui::DeliveriesPane *pane = m_window->detailView()->deliveriesPane();
    QCOMPARE(pane->count(), 1);
    QVERIFY(pane->responseView()->summary().startsWith(QLatin1String("200")));
    QVERIFY(m_window->detailView()->tabText(ui::DetailView::DeliveriesTab).contains(QLatin1String("(1)")));
    // The request view shows what was written (the request line, Host first), the waterfall the phases.
    QVERIFY2(pane->requestView()->summary().startsWith(QLatin1String("POST /mine")), qPrintable(pane->requestView()->summary()));
    // The header table is as tall as its rows (up to three fifths of the view), not a fixed sliver.
    ui::HttpMessageView *request = pane->requestView();
    const QList<int> sizes = request->splitter()->sizes();
    const int rowsHeight = request->headersTable()->rowCount() * request->headersTable()->verticalHeader()->defaultSectionSize();
    QVERIFY2(sizes.value(0) >= std::min(rowsHeight, (sizes.value(0) + sizes.value(1)) * 3 / 5 - 2),
             qPrintable(QStringLiteral("%1 of %2 for %3 px of rows").arg(sizes.value(0)).arg(sizes.value(0) + sizes.value(1)).arg(rowsHeight)));
    QCOMPARE(stored.constFirst().requestHead.left(10), QByteArray("POST /mine"));
    QCOMPARE(pane->waterfall()->timings(), stored.constFirst().timings);
    QVERIFY(pane->waterfall()->timings().firstByteUs > 0);
}

void tst_MainWindow::shouldFilterByEvent()
{
    m_window = newWindow();
    QVERIFY(capture("code_challenge", R"({"action":"created","code_challenge":{"id":"50654ddff44f800200000001","created_by_id":"508f2708b3be0c0200000002"}})") > 0);
    QVERIFY(capture("user", R"({"action":"rank_upgraded","user":{"id":"53aa3f265b97485984000001","rank":-5},"language":null})") > 0);
    QVERIFY(capture("user", R"({"action":"honor_changed","user":{"id":"53aa3f265b97485984000001","honor":420,"honor_delta":3}})") > 0);
    QCOMPARE(m_window->proxy()->rowCount(), 3);

    ui::FilterBar *filter = m_window->filterBar();
    QTRY_VERIFY(filter->eventBox()->findData(QStringLiteral("user")) >= 0);
    filter->setEvent(QStringLiteral("user"));
    QCOMPARE(m_window->proxy()->rowCount(), 2);
    // The actions offered are those of the chosen event, not every action seen.
    QVERIFY(filter->actionBox()->findData(QStringLiteral("honor_changed")) >= 0);
    QCOMPARE(filter->actionBox()->findData(QStringLiteral("created")), -1);
    filter->setAction(QStringLiteral("rank_upgraded"));
    QCOMPARE(m_window->proxy()->rowCount(), 1);
    QVERIFY(filter->countLabel()->text().contains(QLatin1String("1 of 3")));
    // A hook the filter hides counts in both places alike.
    QVERIFY(capture("code_challenge", R"({"action":"created"})") > 0);
    QTRY_COMPARE(filter->countLabel()->text(), QStringLiteral("1 of 4"));
    QTRY_COMPARE(m_window->countLabel()->text(), QStringLiteral("1 of 4 hooks shown"));
    filter->clearFilters();
    QCOMPARE(m_window->proxy()->rowCount(), 4);
    QVERIFY(filter->actionBox()->findData(QStringLiteral("created")) >= 0);
    // The catalog's events are offered before any was captured.
    QVERIFY(filter->eventBox()->findData(QStringLiteral("webhook")) >= 0);
}

void tst_MainWindow::shouldFilterByTextInPathHeadersAndBody()
{
    m_window = newWindow();
    QVERIFY(capture("code_challenge", R"({"action":"created"})", "/special-path") > 0);
    QVERIFY(capture("code_challenge", R"({"action":"voted","note":"needle-in-body"})") > 0);
    QVERIFY(capture("code_challenge", R"({"action":"voted"})", "/hooks", "X-Trace: needle-in-header\r\n") > 0);
    ui::FilterBar *filter = m_window->filterBar();
    QSignalSpy applied(filter, &ui::FilterBar::searchApplied);
    const auto searched = [&](const QString &text) {
        return QTest::qWaitFor([&] {
            return std::any_of(applied.cbegin(), applied.cend(), [&](const QList<QVariant> &args) { return args.at(0).toString() == text; });
        }, 5000);
    };

    filter->setText(QStringLiteral("special-path"));
    QTRY_COMPARE(m_window->proxy()->rowCount(), 1);
    QVERIFY(searched(QStringLiteral("special-path")));
    QCOMPARE(m_window->proxy()->rowCount(), 1);

    filter->setText(QStringLiteral("needle-in-body"));
    QVERIFY(searched(QStringLiteral("needle-in-body")));
    QCOMPARE(m_window->proxy()->rowCount(), 1);

    filter->setText(QStringLiteral("needle-in"));
    QVERIFY(searched(QStringLiteral("needle-in")));
    QCOMPARE(m_window->proxy()->rowCount(), 2);

    // A hook that arrives while the filter is on is matched on arrival.
    QVERIFY(postEvent(m_window->listenerUrl(), "user", R"({"action":"honor_changed","x":"needle-in-new"})") == 200);
    QTRY_COMPARE(m_window->proxy()->rowCount(), 3);
    QVERIFY(postEvent(m_window->listenerUrl(), "user", R"({"action":"honor_changed"})") == 200);
    QTRY_COMPARE(m_window->model()->rowCount(), 5);
    QCOMPARE(m_window->proxy()->rowCount(), 3);

    // Header lines as they read, in any case; and the parts the command line has, typed.
    filter->setText(QStringLiteral("x-trace: NEEDLE"));
    QVERIFY(searched(QStringLiteral("x-trace: NEEDLE")));
    QCOMPARE(m_window->proxy()->rowCount(), 1);
    filter->setText(QStringLiteral("event:user needle"));
    QVERIFY(searched(QStringLiteral("event:user needle")));
    QCOMPARE(m_window->proxy()->rowCount(), 1);
    filter->setText(QStringLiteral("status:200 event:user has:problems"));
    QTRY_COMPARE(m_window->proxy()->rowCount(), 2);
    QCOMPARE(filter->countLabel()->text(), QStringLiteral("2 of 5"));
    filter->setText(QStringLiteral("status:42"));
    QTRY_VERIFY(filter->countLabel()->text().startsWith(QLatin1String("taken as text: status:42")));

    filter->setText(QString());
    QTRY_COMPARE(m_window->proxy()->rowCount(), 5);
}

void tst_MainWindow::shouldKeepSettingsAcrossARestartOfTheWindow()
{
    m_window = newWindow();
    const QUrl url = m_window->listenerUrl();
    m_window->resize(1111, 777);
    m_window->captureView()->horizontalHeader()->resizeSection(HookColumns::Path, 333);
    m_window->captureView()->horizontalHeader()->moveSection(HookColumns::Size, 1);
    m_window->splitter()->setSizes({400, 200});
    const QList<int> sizes = m_window->splitter()->sizes();
    m_window->detailView()->bodyView()->setPreferredMode(ui::BodyView::Mode::Raw);
    emit m_window->detailView()->bodyView()->modeChosen(ui::BodyView::Mode::Raw);

    {
        ui::SettingsDialog dialog(*m_settings, m_store, m_window.get());
        dialog.statusBox()->setValue(202);
        dialog.answerBodyEdit()->setPlainText(QStringLiteral("thanks"));
        dialog.secretEdit()->setText(QStringLiteral("s3cret"));
        dialog.keepHooksBox()->setValue(500);
        dialog.forwardEdit()->setText(QStringLiteral("not a url"));
        QVERIFY(!dialog.apply());
        QVERIFY(dialog.errorText().contains(QLatin1String("Forward")));
        dialog.forwardEdit()->clear();
        connect(&dialog, &ui::SettingsDialog::applied, m_window.get(), &MainWindow::applySettings);
        QVERIFY(dialog.apply());
    }
    // Answer settings apply to the next hook without a restart of the listener,
    // which stays on the port the command line chose.
    QCOMPARE(m_window->listenerUrl(), url);
    QCOMPARE(postEvent(m_window->listenerUrl(), "user", "{}"), 202);

    m_window.reset();
    m_settings = std::make_unique<ui::Settings>();
    m_window = newWindow();
    QCOMPARE(m_window->size(), QSize(1111, 777));
    QCOMPARE(m_window->captureView()->horizontalHeader()->sectionSize(HookColumns::Path), 333);
    QCOMPARE(m_window->captureView()->horizontalHeader()->visualIndex(HookColumns::Size), 1);
    QCOMPARE(m_window->splitter()->sizes(), sizes);
    QCOMPARE(m_settings->answerStatus(), 202);
    QCOMPARE(m_settings->answerBody(), QByteArray("thanks"));
    QCOMPARE(m_settings->secret(), QByteArray("s3cret"));
    QCOMPARE(m_settings->keepHooks(), 500);
    QCOMPARE(m_settings->bodyMode(), int(ui::BodyView::Mode::Raw));
    QCOMPARE(m_window->workspace().listenerConfig().status, 202);
    QCOMPARE(m_window->workspace().listenerConfig().secret, QByteArray("s3cret"));

    ui::SettingsDialog reopened(*m_settings, m_store);
    QCOMPARE(reopened.statusBox()->value(), 202);
    QCOMPARE(reopened.keepHooksBox()->value(), 500);
    QCOMPARE(reopened.portBox()->value(), int(ui::Settings::DefaultPort));
}

void tst_MainWindow::shouldCopySelectedHookAsCurl()
{
    m_window = newWindow();
    const qint64 id = capture("webhook", R"({"action":"updated","webhook":{"id":"53aa3f265b97485984000001"}})", "/hooks?from=test");
    QVERIFY(id > 0);
    selectRowOf(id);
    QApplication::clipboard()->clear();
    QSignalSpy copied(m_window.get(), &MainWindow::copied);
    m_window->action(MainWindow::Action::CopyCurl)->trigger();
    QTRY_COMPARE(copied.size(), 1);
    const std::optional<Hook> hook = guitest::storedHook(*m_window, id);
    QVERIFY(hook);
    const QString text = QApplication::clipboard()->text();
    QCOMPARE(text, QString::fromUtf8(formats::curlCommand(*hook)));
    QVERIFY(text.startsWith(QLatin1String("curl")));
    QVERIFY(text.contains(QLatin1String("X-Webhook-Event: webhook")));
    QVERIFY(text.contains(QLatin1String("/hooks?from=test")));
}

void tst_MainWindow::shouldCopyAsCurlToTheReplayTarget()
{
    m_settings->setReplayTarget(QStringLiteral("http://localhost:3000/"));
    m_window = newWindow();
    const qint64 id = capture("webhook", R"({"action":"updated","webhook":{"id":"53aa3f265b97485984000001"}})", "/hooks?from=test");
    QVERIFY(id > 0);
    selectRowOf(id);
    QAction *toTarget = m_window->action(MainWindow::Action::CopyCurlToTarget);
    QVERIFY(toTarget->isEnabled());
    QCOMPARE(toTarget->text(), QStringLiteral("Copy as curl to http://localhost:3000/"));
    QApplication::clipboard()->clear();
    QSignalSpy copied(m_window.get(), &MainWindow::copied);
    toTarget->trigger();
    QTRY_COMPARE(copied.size(), 1);
    const std::optional<Hook> hook = guitest::storedHook(*m_window, id);
    QVERIFY(hook);
    // What Replay sends: the hook's path on the target, without the hop-by-hop fields.
    const Draft draft = replayDraft(*hook, QUrl(QStringLiteral("http://localhost:3000/")));
    Hook replayed = *hook;
    replayed.headers = draft.headers;
    const QString text = QApplication::clipboard()->text();
    QCOMPARE(text, QString::fromUtf8(formats::curlCommand(replayed, draft.url.toString(QUrl::FullyEncoded))));
    QVERIFY(text.contains(QLatin1String("http://localhost:3000/hooks?from=test")));
    QVERIFY(!text.contains(QLatin1String("Host:")));
    // The original URL stays one entry away.
    QApplication::clipboard()->clear();
    m_window->action(MainWindow::Action::CopyCurl)->trigger();
    QTRY_COMPARE(copied.size(), 2);
    QCOMPARE(QApplication::clipboard()->text(), QString::fromUtf8(formats::curlCommand(*hook)));

    // Without a replay target there is nothing to copy to.
    m_settings->setReplayTarget(QString());
    m_window->applySettings();
    QVERIFY(!toTarget->isEnabled());
}

void tst_MainWindow::shouldReplayToAPickedTargetWithAFreshDeliveryId()
{
    guitest::Receiver receiver;
    QVERIFY(receiver.start());
    m_settings->setReplayTarget(QStringLiteral("http://localhost:1/old"));
    m_window = newWindow();
    const QByteArray original = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
    const int before = m_window->model()->rowCount();
    QVERIFY(guitest::post(m_window->listenerUrl(), "/github", R"({"zen":"Design for failure.","hook_id":1})",
                          "Content-Type: application/json\r\nX-GitHub-Event: ping\r\nX-GitHub-Delivery: " + original + "\r\n") > 0);
    QTRY_VERIFY(m_window->model()->rowCount() > before);
    const qint64 id = m_window->model()->idAt(guitest::lastRow(m_window->model()));
    selectRowOf(id);

    const QString target = receiver.url(QStringLiteral("/")).toString();
    ui::ReplayDialog *seen = nullptr;
    QStringList offered;
    auto answer = connect(m_window.get(), &MainWindow::replayDialogOpened, this, [&](ui::ReplayDialog *dialog) {
        seen = dialog;
        for (int i = 0; i < dialog->targetBox()->count(); ++i)
            offered.append(dialog->targetBox()->itemText(i));
        QVERIFY(dialog->freshIdButton()->isEnabled());
        QVERIFY(dialog->sameIdButton()->isChecked());   // the default, as a sender's retry
        QTimer::singleShot(0, dialog, [dialog, target] {
            dialog->targetBox()->setEditText(target);
            dialog->freshIdButton()->setChecked(true);
            dialog->accept();
        });
    });
    QSignalSpy finished(m_window.get(), &MainWindow::replaysFinished);
    QVERIFY(m_window->action(MainWindow::Action::ReplayTo)->isEnabled());
    m_window->action(MainWindow::Action::ReplayTo)->trigger();
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY(seen);
    QCOMPARE(offered, QStringList{QStringLiteral("http://localhost:1/old")});
    QTRY_COMPARE(receiver.requests.size(), 1);
    const QByteArray head = receiver.requests.constFirst().head;
    QVERIFY2(head.startsWith("POST /github HTTP/1.1"), head.constData());
    QVERIFY2(!head.contains(original), head.constData());
    const qsizetype at = head.indexOf("X-GitHub-Delivery: ");
    QVERIFY(at >= 0);
    QVERIFY(!QUuid::fromString(QLatin1StringView(head.mid(at + 19, 36))).isNull());

    // Remembered: the target first among the recent ones, and the fresh id for one-click Replay.
    QCOMPARE(m_settings->replayTarget(), target);
    QCOMPARE(m_settings->recentReplayTargets(), (QStringList{target, QStringLiteral("http://localhost:1/old")}));
    QVERIFY(m_settings->freshDeliveryId());
    QVERIFY(m_window->action(MainWindow::Action::Replay)->toolTip().contains(target));
    disconnect(answer);
    m_window->action(MainWindow::Action::Replay)->trigger();
    QTRY_COMPARE(finished.size(), 2);
    QTRY_COMPARE(receiver.requests.size(), 2);
    const QByteArray again = receiver.requests.at(1).head;
    QVERIFY(!again.contains(original));
    QVERIFY(again.mid(again.indexOf("X-GitHub-Delivery: "), 55) != head.mid(at, 55));
}

void tst_MainWindow::shouldOfferNoFreshIdForCodewarsAndSayWhy()
{
    m_window = newWindow();
    const qint64 id = capture("user", R"({"action":"honor_changed","user":{"id":"53aa3f265b97485984000001","honor":1}})");
    QVERIFY(id > 0);
    selectRowOf(id);
    bool asked = false;
    connect(m_window.get(), &MainWindow::replayDialogOpened, this, [&](ui::ReplayDialog *dialog) {
        asked = true;
        QVERIFY(!dialog->freshIdButton()->isEnabled());
        QVERIFY(dialog->sameIdButton()->isChecked());
        QCOMPARE(dialog->idNote()->text(), QStringLiteral("Codewars hooks carry no delivery id."));
        // A URL that cannot be sent to keeps the dialog open and says why.
        QTimer::singleShot(0, dialog, [dialog] {
            dialog->targetBox()->setEditText(QStringLiteral("ftp://example.com/"));
            dialog->accept();
            QVERIFY(dialog->isVisible());
            QVERIFY(dialog->errorLabel()->isVisibleTo(dialog));
            QVERIFY(dialog->errorLabel()->text().contains(QLatin1String("not an http or https URL")));
            dialog->reject();
        });
    });
    m_window->action(MainWindow::Action::ReplayTo)->trigger();
    QVERIFY(asked);
    QCOMPARE(m_settings->replayTarget(), QString());
    QVERIFY(m_settings->recentReplayTargets().isEmpty());
}

void tst_MainWindow::shouldSummariseAReplayOfSeveralHooksOnce()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.failNext(1, 500, "Internal Server Error");
    m_settings->setReplayTarget(receiver.url().toString());
    m_window = newWindow();
    QList<qint64> ids;
    for (int i = 0; i < 3; ++i) {
        ids.append(capture("user", R"({"action":"honor_changed","user":{"id":"53aa3f265b97485984000001","honor":)" + QByteArray::number(i) + "}}"));
        QVERIFY(ids.constLast() > 0);
    }
    m_window->captureView()->selectAll();
    QTRY_COMPARE(m_window->captureView()->selectedIds().size(), 3);
    QSignalSpy replayed(m_window.get(), &MainWindow::replayFinished);
    QSignalSpy finished(m_window.get(), &MainWindow::replaysFinished);
    m_window->action(MainWindow::Action::Replay)->trigger();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(replayed.size(), 3);
    QCOMPARE(receiver.requests().size(), 3);

    // One entry in the message bar, not a dialog per hook.
    ui::MessageBar *bar = m_window->messageBar();
    QVERIFY(bar->isVisible());
    const qint64 failedId = m_window->captureView()->selectedIds().constFirst();
    QCOMPARE(bar->text(), QStringLiteral("Replayed 3 hooks to %1: 2 delivered, 1 failed (#%2)").arg(receiver.url().toString()).arg(failedId));
    QCOMPARE(bar->tone(), ui::Tone::Warning);
    for (QWidget *window : QApplication::topLevelWidgets())
        QVERIFY2(!window->isVisible() || window == m_window.get(), window->metaObject()->className());
    QVERIFY(bar->detailsButton()->isVisible());
    QVERIFY(!bar->detailsLabel()->isVisible());
    bar->detailsButton()->click();
    QVERIFY(bar->detailsLabel()->isVisible());
    const QStringList lines = bar->detailsLabel()->text().split(u'\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY2(lines.at(0).startsWith(QStringLiteral("#%1 → 500 Internal Server Error").arg(failedId)), qPrintable(lines.at(0)));   // failures first
    QVERIFY(lines.at(1).contains(QStringLiteral("→ 200")));
}

void tst_MainWindow::shouldReportTakenPortAndListenOnAnother()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    const quint16 taken = squatter.serverPort();

    m_window = newWindow(taken);
    QVERIFY(!m_window->isListening());
    ui::MessageBar *bar = m_window->messageBar();
    QVERIFY(bar->isVisible());
    QVERIFY(bar->text().contains(QString::number(taken)));
    QVERIFY(bar->portBox()->isVisible());
    QCOMPARE(m_window->urlField()->text(), QString());
    QVERIFY(!m_window->action(MainWindow::Action::CopyUrl)->isEnabled());

    QSignalSpy listening(m_window.get(), &MainWindow::listening);
    QTest::mouseClick(bar->freePortButton(), Qt::LeftButton);
    QCOMPARE(listening.size(), 1);
    QVERIFY(m_window->isListening());
    QVERIFY(m_window->listenerUrl().port() != taken);
    QVERIFY(!bar->isVisible());
    QVERIFY(capture("user", R"({"action":"honor_changed"})") > 0);

    // Asking for the taken port again reports it again and keeps the app working.
    bar->portBox()->setValue(taken);
    QTest::mouseClick(bar->listenButton(), Qt::LeftButton);
    QVERIFY(!m_window->isListening());
    QVERIFY(bar->isVisible());
    QCOMPARE(m_window->model()->rowCount(), 1);
}

void tst_MainWindow::shouldReportAStoreWrittenByAnotherHookscope()
{
    Listener other(catalog::Catalog::builtin());
    QVERIFY(other.start({}, m_store));

    m_window = newWindow();
    QVERIFY(!m_window->isListening());
    ui::MessageBar *bar = m_window->messageBar();
    QVERIFY(bar->isVisible());
    QVERIFY2(bar->text().contains(QLatin1String("in use by another hookscope process")), qPrintable(bar->text()));
    QVERIFY(bar->text().contains(QLatin1String("--db")));
    QVERIFY(!bar->portBox()->isVisible());   // another port would not help
}

void tst_MainWindow::shouldReportBrokenUserCatalogsInTheMessageBar()
{
    // The user's catalog folder follows the home folder (QStandardPaths' test mode keeps it under .qttest).
    const QByteArray home = qgetenv("HOME");
    qputenv("HOME", m_dir->path().toLocal8Bit());
    const QString folder = catalog::userCatalogFolder();
    QVERIFY2(folder.startsWith(m_dir->path()), qPrintable(folder));
    QVERIFY(QDir().mkpath(folder));
    QFile broken(folder + QStringLiteral("/broken.json"));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write(R"({"provider":"bad","name":"Bad","eventHeader":"X-Bad","headers":[],
                     "events":{"e":{"schema":{"type":"objekt"},"template":{}}}})");
    broken.close();
    const catalog::LoadedCatalog loaded = catalog::loadCatalogs();
    qputenv("HOME", home);
    QCOMPARE(loaded.problems.size(), 1);

    m_window = newWindow();
    QVERIFY(!m_window->messageBar()->isVisible());
    m_window->reportCatalogProblems(loaded.problems);
    ui::MessageBar *bar = m_window->messageBar();
    QVERIFY(bar->isVisible());
    QCOMPARE(bar->tone(), ui::Tone::Warning);
    // The file, the JSON pointer and the reason.
    QVERIFY2(bar->text().contains(QLatin1String("broken.json: /events/e/schema")), qPrintable(bar->text()));
    QVERIFY2(bar->text().contains(QLatin1String("objekt")), qPrintable(bar->text()));
    QVERIFY2(bar->text().contains(folder), qPrintable(bar->text()));
    // The catalog that did load works: Codewars hooks are recognised as before.
    const qint64 id = capture("user", R"({"action":"rank_upgraded","user":{"id":"50654ddff44f800200000001","rank":-3}})");
    QVERIFY(id > 0);
    QCOMPARE(m_window->model()->eventAt(0), QStringLiteral("user"));
}

void tst_MainWindow::shouldPageHistoryInWithoutBlocking()
{
    constexpr int count = 12'000;
    QList<Hook> hooks;
    for (int i = 0; i < count; ++i)
        hooks.append(testhelpers::makeHook(i % 2 ? "user" : "code_challenge"));
    QVERIFY(guitest::fillStore(m_store, hooks));
    m_window = newWindow();
    // The window is up before the history is in: it comes a page per event-loop turn.
    QVERIFY(m_window->model()->rowCount() < count);
    QVERIFY(!m_window->isHistoryLoaded());
    QTRY_VERIFY(m_window->isHistoryLoaded());
    QCOMPARE(m_window->model()->rowCount(), count);

    // Live hooks land after the history.
    const qint64 id = capture("webhook", R"({"action":"updated"})");
    QCOMPARE(id, qint64(count + 1));
    QCOMPARE(m_window->model()->rowCount(), count + 1);
}

void tst_MainWindow::shouldLoadLargeBodyOffTheGuiThread()
{
    QByteArray body = R"({"action":"created","items":[)";
    for (int i = 0; i < 40'000; ++i)
        body += (i ? "," : "") + QByteArray(R"({"n":)") + QByteArray::number(i) + R"(,"name":"item"})";
    body += "]}";
    QVERIFY(body.size() > ui::BodyRendering::BackgroundThreshold);

    m_window = newWindow();
    const qint64 id = capture("code_challenge", body);
    QVERIFY(id > 0);
    QSignalSpy shown(m_window->detailView(), &ui::DetailView::hookShown);
    selectRowOf(id, false);
    QVERIFY(m_window->detailView()->isLoading());
    QVERIFY(m_window->detailView()->bodyView()->note().startsWith(QLatin1String("Loading")));
    QTRY_COMPARE(shown.size(), 1);
    QCOMPARE(m_window->detailView()->hook()->body, body);
    ui::BodyView *view = m_window->detailView()->bodyView();
    QCOMPARE(view->kind(), ui::BodyRendering::Kind::Json);
    // Read on by slices between events, then complete.
    QTRY_VERIFY(!view->isReading());
    QVERIFY(view->prettyText().contains(QLatin1String("\"n\": 39999")));
    // The tree is made when it is first shown.
    m_window->detailView()->setCurrentIndex(ui::DetailView::BodyTab);
    view->setPreferredMode(ui::BodyView::Mode::Tree);
    QTRY_COMPARE(view->tree()->topLevelItemCount(), 1);
}

void tst_MainWindow::shouldDeleteSelectedAndClearAll()
{
    m_window = newWindow();
    QList<qint64> ids;
    for (int i = 0; i < 4; ++i)
        ids.append(capture("user", R"({"action":"honor_changed"})"));
    QVERIFY(!ids.contains(0));
    QItemSelectionModel *selection = m_window->captureView()->selectionModel();
    selection->select(m_window->proxy()->index(1, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    selection->select(m_window->proxy()->index(2, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QCOMPARE(m_window->captureView()->selectedIds(), QList<qint64>({ids[1], ids[2]}));

    m_window->captureView()->setFocus();
    // More than one hook: the window asks first, and Cancel (the default) keeps them.
    QString asked;
    const auto answer = [&asked](const QString &button) {
        QTimer::singleShot(0, [&asked, button] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            QVERIFY(box);
            asked = box->text();
            QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
            for (QAbstractButton *candidate : box->buttons())
                if (candidate->text() == button)
                    candidate->click();
        });
    };
    answer(QStringLiteral("Cancel"));
    m_window->action(MainWindow::Action::Delete)->trigger();
    QVERIFY2(asked.contains(QLatin1String("Delete the 2 selected hooks")), qPrintable(asked));
    QCOMPARE(guitest::storedCount(*m_window), 4);
    QCOMPARE(m_window->model()->rowCount(), 4);

    asked.clear();
    answer(QStringLiteral("Delete 2 Hooks"));
    m_window->action(MainWindow::Action::Delete)->trigger();
    QVERIFY(!asked.isEmpty());
    QTRY_COMPARE(m_window->model()->rowCount(), 2);
    QCOMPARE(guitest::storedCount(*m_window), 2);
    QVERIFY(!guitest::storedHook(*m_window, ids[1]));

    // One hook goes at once.
    QVERIFY(m_window->captureView()->selectId(ids[3]));
    m_window->action(MainWindow::Action::Delete)->trigger();
    QTRY_COMPARE(m_window->model()->rowCount(), 1);
    QVERIFY(!guitest::storedHook(*m_window, ids[3]));

    m_window->clearHooks();
    QTRY_COMPARE(m_window->model()->rowCount(), 0);
    QCOMPARE(guitest::storedCount(*m_window), 0);
    // Still capturing after a clear.
    QVERIFY(capture("user", R"({"action":"honor_changed"})") > 0);

    // Closed, the store is one file again: everything checkpointed, nothing left beside it but the empty intake.
    m_window.reset();
    QVERIFY(QFileInfo::exists(m_store));
    QVERIFY(!QFileInfo::exists(m_store + u"-wal"));
    QVERIFY(!QFileInfo::exists(m_store + u"-shm"));
}

void tst_MainWindow::shouldTeachWhileTheTableIsEmpty()
{
    m_window = newWindow();
    ui::EmptyState *empty = m_window->emptyState();
    QTRY_COMPARE(empty->mode(), ui::EmptyState::Mode::Waiting);
    QVERIFY(empty->isVisibleTo(m_window.get()));
    const QString url = m_window->listenerUrl().toString();
    QCOMPARE(empty->urlLabel()->text(), url);
    QVERIFY(empty->composeButton()->isVisibleTo(m_window.get()));
    QVERIFY(empty->publicButton()->isVisibleTo(m_window.get()));
    const QString command = empty->curlEdit()->toPlainText();
    QVERIFY2(command.startsWith(QLatin1String("curl ")) && command.contains(url), qPrintable(command));
    empty->copyButton()->click();
    QCOMPARE(QApplication::clipboard()->text(), command);

    // The command, run by a shell with the real curl, is the first hook.
    QProcess shell;
    shell.start(QStringLiteral("sh"), {QStringLiteral("-c"), command + QStringLiteral(" -sS -o /dev/null")});
    QVERIFY(shell.waitForFinished(15000));
    QCOMPARE(shell.exitCode(), 0);
    QTRY_COMPARE(m_window->model()->rowCount(), 1);
    QCOMPARE(m_window->model()->eventAt(0), QStringLiteral("webhook"));
    QCOMPARE(m_window->model()->actionAt(0), QStringLiteral("updated"));
    QTRY_COMPARE(empty->mode(), ui::EmptyState::Mode::Hidden);
    QVERIFY(!empty->isVisible());

    // A filter that hides every hook says so, with the way back.
    m_window->filterBar()->setEvent(QStringLiteral("user"));
    QTRY_COMPARE(empty->mode(), ui::EmptyState::Mode::NoMatch);
    QVERIFY(empty->titleLabel()->text().contains(QLatin1String("No hook matches")));
    QVERIFY(empty->clearFilterButton()->isVisibleTo(m_window.get()));
    QVERIFY(!empty->curlEdit()->isVisibleTo(m_window.get()));
    empty->clearFilterButton()->click();
    QTRY_COMPARE(m_window->proxy()->rowCount(), 1);
    QCOMPARE(empty->mode(), ui::EmptyState::Mode::Hidden);

    m_window->clearHooks();
    QTRY_COMPARE(empty->mode(), ui::EmptyState::Mode::Waiting);
}

void tst_MainWindow::shouldNameEveryButtonAndReachEveryActionFromTheMenus()
{
    m_window = newWindow();
    QVERIFY(capture("user", R"({"action":"honor_changed"})") > 0);
    selectRowOf(m_window->model()->idAt(0));
    // A button that shows only an icon must say what it does, to a screen reader and in a tooltip.
    const auto unnamed = [](QWidget *root) {
        QStringList found;
        for (QAbstractButton *button : root->findChildren<QAbstractButton *>()) {
            if (!button->text().trimmed().isEmpty())
                continue;
            // Qt's own parts: a line edit's clear button, a tab bar's scroll arrows, a table's corner.
            QObject *parent = button->parent();
            if (parent->inherits("QLineEdit") || parent->inherits("QTabBar") || parent->inherits("QAbstractItemView")
                || parent->inherits("QMenuBar") || button->inherits("QToolBarExtension"))
                continue;
            if (button->accessibleName().isEmpty() || button->toolTip().isEmpty())
                found.append(QString::fromLatin1(button->metaObject()->className()) + u" '" + button->toolTip() + u"' in "
                             + QString::fromLatin1(parent->metaObject()->className()) + u" in "
                             + QString::fromLatin1(parent->parent()->metaObject()->className()));
        }
        return found;
    };
    QStringList found = unnamed(m_window.get());
    m_window->action(MainWindow::Action::Settings)->trigger();
    auto *settings = m_window->findChild<ui::SettingsDialog *>();
    QVERIFY(settings);
    found += unnamed(settings);
    settings->reject();
    QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));

    // Every action of the toolbar is in a menu too, where the keyboard reaches it (Alt opens the menus).
    QList<QAction *> inMenus;
    for (QMenu *menu : m_window->menuBar()->findChildren<QMenu *>())
        inMenus += menu->actions();
    QStringList missing;
    for (QToolBar *bar : m_window->findChildren<QToolBar *>()) {
        for (QAction *action : bar->actions()) {
            if (!action->isSeparator() && !qobject_cast<QWidgetAction *>(action) && !inMenus.contains(action))
                missing.append(action->text());
        }
    }
    QVERIFY2(missing.isEmpty(), qPrintable(u"toolbar actions in no menu: " + missing.join(u", ")));
}

void tst_MainWindow::shouldExportAndImportHar()
{
    m_window = newWindow();
    const QByteArray first = R"({"action":"created","code_challenge":{"id":"50654ddff44f800200000001","created_by_id":"508f2708b3be0c0200000002"}})";
    const QByteArray second = R"({"action":"honor_changed","user":{"id":"53aa3f265b97485984000001","honor":1,"honor_delta":1}})";
    QVERIFY(capture("code_challenge", first) > 0);
    QVERIFY(capture("user", second) > 0);

    const QString file = m_dir->filePath(QStringLiteral("out.har"));
    QSignalSpy exported(m_window.get(), &MainWindow::exportFinished);
    m_window->exportTo(file, workspace::ExportFormat::Har, {});
    QTRY_COMPARE(exported.size(), 1);
    QCOMPARE(exported.constFirst().at(1).toInt(), 2);
    QCOMPARE(exported.constFirst().at(2).toString(), QString());

    m_window->clearHooks();
    QTRY_COMPARE(m_window->model()->rowCount(), 0);
    QSignalSpy imported(m_window.get(), &MainWindow::importFinished);
    m_window->importFrom(file);
    QTRY_COMPARE(imported.size(), 1);
    QCOMPARE(imported.constFirst().at(2).toString(), QString());
    QTRY_COMPARE(m_window->model()->rowCount(), 2);
    const QList<Hook> hooks = workspace::await(m_window->workspace().hooks({})).value;
    QCOMPARE(hooks.size(), 2);
    QCOMPARE(hooks.at(0).body, first);
    QCOMPARE(hooks.at(1).body, second);
    QCOMPARE(m_window->model()->eventAt(1), QStringLiteral("user"));
    QCOMPARE(hooks.at(0).origin, Hook::Origin::Imported);
    QCOMPARE(m_window->model()->index(1, HookColumns::Status).data().toString(), QStringLiteral("imported"));
    // Ids come from the listener's writer, which keeps giving ids after them.
    QCOMPARE(capture("user", second), hooks.at(1).id + 1);
    QTRY_COMPARE(m_window->model()->rowCount(), 3);

    QFile broken(m_dir->filePath(QStringLiteral("broken.har")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("not json");
    broken.close();
    m_window->importFrom(broken.fileName());
    QTRY_COMPARE(imported.size(), 2);
    QVERIFY(!imported.last().at(2).toString().isEmpty());
    QVERIFY(m_window->messageBar()->isVisible());
    QVERIFY(m_window->messageBar()->text().contains(QLatin1String("broken.har")));
}

void tst_MainWindow::shouldOpenEditAndReplayInComposer()
{
    guitest::Receiver receiver;
    QVERIFY(receiver.start());
    const qint64 id = editAndReplay(receiver, R"({"action":"rank_upgraded","user":{"id":"53aa3f265b97485984000001","rank":-5},"language":null})");
    QVERIFY(id > 0);
    ui::Composer *composer = m_window->composer();
    QCOMPARE(m_window->pages()->currentWidget(), composer);
    QCOMPARE(composer->replayOf(), id);
    QCOMPARE(composer->providerBox()->currentData().toString(), QStringLiteral("codewars"));
    QCOMPARE(composer->eventBox()->currentData().toString(), QStringLiteral("user"));
    QCOMPARE(composer->actionBox()->currentData().toString(), QStringLiteral("rank_upgraded"));
    QVERIFY(composer->bodyEdit()->toPlainText().contains(QLatin1String("\"rank\":-5")));
    QVERIFY(composer->urlEdit()->text().startsWith(receiver.url().toString()));

    composer->bodyEdit()->setPlainText(QStringLiteral(R"({"action":"rank_upgraded","user":{"id":"53aa3f265b97485984000001","rank":-4},"language":"python"})"));
    QSignalSpy replayed(composer, &ui::Composer::delivered);
    composer->sendAction()->trigger();
    QTRY_COMPARE(replayed.size(), 1);
    QCOMPARE(receiver.requests.size(), 1);
    QVERIFY(receiver.requests.constFirst().body.contains("\"rank\":-4"));
    const QList<Delivery> stored = guitest::storedDeliveries(*m_window, id);
    QCOMPARE(stored.size(), 1);
    // What the Composer sent is the Composer's, linked to the hook it came from.
    QCOMPARE(stored.constFirst().kind, Delivery::Kind::Compose);
    QCOMPARE(stored.constFirst().hookId, id);
    QCOMPARE(ui::deliveryKindLabel(stored.constFirst()), QStringLiteral("Edited replay"));
    QCOMPARE(composer->history()->count(), 1);

    // The next start shows it in the Composer's history again, and not the plain replays.
    m_window->action(MainWindow::Action::Replay)->trigger();
    QTRY_COMPARE(guitest::storedDeliveries(*m_window, id).size(), 2);
    m_window.reset();
    m_window = newWindow();
    ui::DeliveriesPane *history = m_window->composer()->history();
    QTRY_COMPARE(history->count(), 1);
    QCOMPARE(history->deliveryAt(0).id, stored.constFirst().id);
    // Listed without its bodies; read whole once the Composer is on screen.
    QCOMPARE(history->bodyBytesHeld(), 0);
    m_window->pages()->setCurrentWidget(m_window->composer());
    QTRY_VERIFY(history->shownDelivery());
    QVERIFY(history->shownDelivery()->requestBody.contains("\"rank\":-4"));
    // Opened again in the editor, whole.
    QSignalSpy activated(history, &ui::DeliveriesPane::activated);
    emit history->list()->itemActivated(history->list()->topLevelItem(0), 0);
    QTRY_COMPARE(activated.size(), 1);
    QVERIFY(m_window->composer()->bodyEdit()->toPlainText().contains(QLatin1String("\"rank\":-4")));
}

void tst_MainWindow::shouldEditAndReplayAnyBodyByteForByte_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("kept");   // out of the editor, sent as its bytes
    const QByteArray small = R"({"action":"rank_upgraded","user":{"id":"53aa3f265b97485984000001","rank":-5},"language":null})";
    QTest::newRow("text with CR LF") << QByteArray(small).replace(",", ",\r\n") + "\r\n" << false;
    QTest::newRow("not UTF-8") << QByteArray("\xff\xfe{\"action\":\x00\"rank_upgraded\"}\r\n", 31) << true;
    QByteArray big = small;
    big.insert(big.size() - 1, R"(,"pad":")" + QByteArray(2 * 1024 * 1024, 'x') + '"');
    QTest::newRow("2 MB of JSON") << big << true;
}

void tst_MainWindow::shouldEditAndReplayAnyBodyByteForByte()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, kept);
    guitest::Receiver receiver;
    QVERIFY(receiver.start());
    QVERIFY(editAndReplay(receiver, body) > 0);
    ui::Composer *composer = m_window->composer();
    QCOMPARE(composer->keepsBody(), kept);
    QCOMPARE(composer->editAsTextButton()->isVisible(), kept);
    QCOMPARE(composer->bodyEdit()->isVisible(), !kept);
    // The check may take a while on a big body, away from the window's thread; then it
    // names what the body is.
    QTRY_VERIFY(!composer->checkLabel()->text().startsWith(QLatin1String("Checking")));
    if (body.startsWith('{'))
        QCOMPARE(composer->eventBox()->currentData().toString(), QStringLiteral("user"));

    // Sent unchanged: the bytes that came in, whatever an editor would have made of them.
    QSignalSpy replayed(composer, &ui::Composer::delivered);
    composer->sendAction()->trigger();
    QTRY_COMPARE(replayed.size(), 1);
    QCOMPARE(receiver.requests.size(), 1);
    QCOMPARE(receiver.requests.constFirst().body, body);

    // A request that cannot go says why, and a check of the body ending later keeps that said.
    const QString target = composer->urlEdit()->text();
    composer->urlEdit()->setText(QStringLiteral("not a url"));
    QVERIFY(!composer->send());
    QTest::qWait(1500);
    QVERIFY2(composer->checkLabel()->text().startsWith(QLatin1String("Not sent")), qPrintable(composer->checkLabel()->text()));
    composer->urlEdit()->setText(target);

    // Edit as Text puts a kept body in the editor; what it holds then is what goes.
    if (kept) {
        QTest::mouseClick(composer->editAsTextButton(), Qt::LeftButton);
        QVERIFY(!composer->keepsBody());
        QVERIFY(composer->bodyEdit()->isVisible());
        QVERIFY(composer->bodyEdit()->toPlainText().contains(QLatin1String("rank_upgraded")));
        composer->bodyEdit()->moveCursor(QTextCursor::End);
        composer->bodyEdit()->insertPlainText(QStringLiteral(" "));
        composer->sendAction()->trigger();
        QTRY_COMPARE(replayed.size(), 2);
        QCOMPARE(receiver.requests.constLast().body, composer->bodyEdit()->toPlainText().toUtf8());
    }
}

void tst_MainWindow::shouldForwardEachHookWhenATargetIsSet()
{
    guitest::Receiver receiver;
    QVERIFY(receiver.start());
    m_settings->setForwardTarget(receiver.url(QStringLiteral("/forwarded")).toString());
    m_window = newWindow();
    QVERIFY(m_window->workspace().forwarder());
    const QByteArray body = R"({"action":"updated","webhook":{"id":"53aa3f265b97485984000001"}})";
    const qint64 id = capture("webhook", body);
    QVERIFY(id > 0);
    QTRY_COMPARE(receiver.requests.size(), 1);
    QCOMPARE(receiver.requests.constFirst().body, body);
    const int row = m_window->model()->rowOfId(id);
    QTRY_COMPARE(m_window->model()->index(row, HookColumns::Forward).data(HookColumns::RawRole).toInt(), 200);
    QCOMPARE(m_window->model()->index(row, HookColumns::Forward).data().toString(), QStringLiteral("200"));

    // Clearing the target in the settings stops forwarding.
    m_settings->setForwardTarget(QString());
    m_window->applySettings();
    QTRY_VERIFY(!m_window->workspace().forwarder());
    QVERIFY(capture("webhook", body) > 0);
    QTest::qWait(200);
    QCOMPARE(receiver.requests.size(), 1);
}

void tst_MainWindow::shouldSayHowManyHooksWereNotForwarded()
{
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setMode(RawReceiver::Mode::Held);   // a target that does not keep up
    m_settings->setForwardTarget(receiver.url().toString());
    m_window = newWindow();
    Forwarder *forwarder = m_window->workspace().forwarder();
    QVERIFY(forwarder);
    QVERIFY(QMetaObject::invokeMethod(forwarder, [forwarder] {
        forwarder->setMaxInFlight(1);
        forwarder->setQueueLimits(1, 1 << 20);
    }, Qt::BlockingQueuedConnection));
    const auto notForwardedLabel = [this]() -> QLabel * {
        for (QLabel *label : m_window->statusBar()->findChildren<QLabel *>()) {
            if (label->text().contains(QLatin1String("not forwarded")))
                return label;
        }
        return nullptr;
    };
    QVERIFY(!notForwardedLabel());

    // One in flight, one waiting: the others are left out, and said to be.
    for (int i = 0; i < 4; ++i)
        QVERIFY(capture("user", R"({"action":"honor_changed"})") > 0);
    QTRY_VERIFY(notForwardedLabel());
    QTRY_COMPARE(notForwardedLabel()->text(), QStringLiteral("2 hooks not forwarded"));
    QVERIFY(notForwardedLabel()->isVisibleTo(m_window.get()));
    QVERIFY2(notForwardedLabel()->toolTip().contains(receiver.url().toString() + QStringLiteral(" did not keep up")),
             qPrintable(notForwardedLabel()->toolTip()));
    QTRY_COMPARE(receiver.held(), 1);
}

void tst_MainWindow::shouldFollowNewestOnlyAtTheBottom()
{
    m_window = newWindow();
    m_window->resize(900, 500);
    for (int i = 0; i < 60; ++i)
        QVERIFY(guitest::postEvent(m_window->listenerUrl(), "user", R"({"action":"honor_changed"})") == 200);
    QTRY_COMPARE(m_window->model()->rowCount(), 60);
    ui::CaptureView *view = m_window->captureView();
    QScrollBar *bar = view->verticalScrollBar();
    QTRY_VERIFY(bar->maximum() > 0);
    QCOMPARE(bar->value(), bar->maximum());

    bar->setValue(0);
    QVERIFY(capture("user", R"({"action":"honor_changed"})") > 0);
    QCOMPARE(bar->value(), 0);

    bar->setValue(bar->maximum());
    const int maximum = bar->maximum();
    QVERIFY(capture("user", R"({"action":"honor_changed"})") > 0);
    QTRY_VERIFY(bar->maximum() > maximum);
    QCOMPARE(bar->value(), bar->maximum());
}

void tst_MainWindow::shouldGiveEveryToolbarActionAShortcutAndTooltip()
{
    m_window = newWindow();
    const QList<QToolBar *> bars = m_window->findChildren<QToolBar *>();
    QCOMPARE(bars.size(), 1);
    int checked = 0;
    for (QAction *action : bars.constFirst()->actions()) {
        if (action->isSeparator() || action->text().isEmpty())
            continue;
        QVERIFY2(!action->shortcut().isEmpty(), qPrintable(action->text()));
        QVERIFY2(action->toolTip().contains(action->shortcut().toString(QKeySequence::NativeText)), qPrintable(action->toolTip()));
        QVERIFY2(!action->icon().isNull(), qPrintable(action->text()));
        ++checked;
    }
    QVERIFY(checked >= 8);
    QCOMPARE(m_window->action(MainWindow::Action::Replay)->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_R));
    QCOMPARE(m_window->action(MainWindow::Action::EditReplay)->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_E));
    QCOMPARE(m_window->action(MainWindow::Action::CopyCurl)->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    QCOMPARE(m_window->action(MainWindow::Action::Find)->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_F));
    QCOMPARE(m_window->action(MainWindow::Action::Delete)->shortcut(), QKeySequence(Qt::Key_Delete));
    QVERIFY(!m_window->windowIcon().isNull());
}

void tst_MainWindow::shouldCheckOldHooksAgainWithANewSecret()
{
    m_window = newWindow();
    const QByteArray body = R"({"action":"updated","webhook":{"id":"53aa3f265b97485984000001"}})";
    const qint64 id = capture("webhook", body, "/hooks", "X-Webhook-Secret: s3cret\r\n");
    QVERIFY(id > 0);
    selectRowOf(id);
    ui::OverviewPane *overview = m_window->detailView()->overview();
    // What the catalog expects reads as members with their types and rules; the raw schema is one click away.
    ui::SchemaView *schema = overview->schemaView();
    QTreeWidget *members = schema->tree();
    QStringList top;
    for (int i = 0; i < members->topLevelItemCount(); ++i)
        top.append(members->topLevelItem(i)->text(ui::SchemaView::Member));
    QVERIFY2(top.contains(QStringLiteral("action")) && top.contains(QStringLiteral("webhook")), qPrintable(top.join(u", ")));
    QTreeWidgetItem *action = members->topLevelItem(int(top.indexOf(QStringLiteral("action"))));
    QCOMPARE(action->text(ui::SchemaView::Type), QStringLiteral("string"));
    QCOMPARE(action->text(ui::SchemaView::Required), QStringLiteral("yes"));
    QTreeWidgetItem *webhook = members->topLevelItem(int(top.indexOf(QStringLiteral("webhook"))));
    QCOMPARE(webhook->childCount(), 1);
    QCOMPARE(webhook->child(0)->text(ui::SchemaView::Member), QStringLiteral("id"));
    QVERIFY2(webhook->child(0)->text(ui::SchemaView::Rule).startsWith(QLatin1String("matches ")),
             qPrintable(webhook->child(0)->text(ui::SchemaView::Rule)));
    QVERIFY(!webhook->child(0)->text(ui::SchemaView::Example).isEmpty());
    QVERIFY(!schema->showsRaw());
    schema->rawButton()->click();
    QVERIFY(schema->showsRaw());
    QVERIFY(schema->rawView()->toPlainText().contains(QLatin1String("\"properties\"")));
    schema->rawButton()->click();
    QVERIFY(!schema->showsRaw());
    QVERIFY2(overview->field(ui::OverviewPane::Field::Secret)->text().contains(QLatin1String("no secret was configured when it arrived")),
             qPrintable(overview->field(ui::OverviewPane::Field::Secret)->text()));
    QVERIFY(overview->field(ui::OverviewPane::Field::Signature)->text().startsWith(QLatin1String("not used")));

    m_settings->setSecret("s3cret");
    m_window->applySettings();
    QSignalSpy rechecked(m_window.get(), &MainWindow::recheckFinished);
    m_window->captureView()->setFocus();
    m_window->action(MainWindow::Action::Recheck)->trigger();
    QTRY_COMPARE(rechecked.size(), 1);
    QCOMPARE(rechecked.constFirst().at(0).toInt(), 1);
    const int row = m_window->model()->rowOfId(id);
    QTRY_COMPARE(m_window->model()->index(row < 0 ? 0 : row, HookColumns::Verdict).data().toString(), QStringLiteral("valid"));
    QTRY_VERIFY(overview->field(ui::OverviewPane::Field::Secret)->text().startsWith(QLatin1String("valid")));
}

void tst_MainWindow::shouldCompareTwoSelectedHooks()
{
    m_window = newWindow();
    const qint64 first = capture("user", R"({"action":"rank_upgraded","user":{"id":"53aa3f265b97485984000001","rank":-3}})");
    const qint64 second = capture("user", R"({"action":"rank_upgraded","user":{"id":"53aa3f265b97485984000001","rank":-2}})", "/hooks",
                                  "X-Webhook-Secret: s\r\n");
    QVERIFY(first > 0 && second > 0);
    selectRowOf(first);
    QVERIFY(!m_window->action(MainWindow::Action::Compare)->isEnabled());
    QItemSelectionModel *selection = m_window->captureView()->selectionModel();
    selection->select(m_window->proxy()->index(m_window->proxy()->rowCount() - 1, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QVERIFY(m_window->action(MainWindow::Action::Compare)->isEnabled());
    QVERIFY(m_window->captureView()->actions().contains(m_window->action(MainWindow::Action::Compare)));   // the context menu

    QSignalSpy compared(m_window.get(), &MainWindow::compared);
    m_window->action(MainWindow::Action::Compare)->trigger();
    QTRY_COMPARE(compared.size(), 1);
    QCOMPARE(m_window->pages()->currentWidget(), m_window->compareView());
    const QStringList rows = m_window->compareView()->rowTexts();
    QVERIFY2(rows.contains(QStringLiteral("Body (JSON): changed /user/rank -3 -> -2")), qPrintable(rows.join(u'\n')));
    QVERIFY2(rows.contains(QStringLiteral("Headers: added /X-Webhook-Secret  -> s")), qPrintable(rows.join(u'\n')));
    QVERIFY(m_window->compareView()->title()->text().contains(u'#' + QString::number(first)));
}

void tst_MainWindow::shouldRetryAReplayAndListEachAttempt()
{
    m_window = newWindow();
    const qint64 id = capture("user", R"({"action":"honor_changed"})");
    QVERIFY(id > 0);
    selectRowOf(id);
    QVERIFY(m_window->action(MainWindow::Action::RetryReplay)->isEnabled());
    QVERIFY(!m_window->action(MainWindow::Action::CancelRetries)->isEnabled());
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.failNext(2, 503, "Service Unavailable");
    RetrySchedule schedule;
    QString error;
    QVERIFY(RetrySchedule::parse(QStringLiteral("0,5s,5m"), &schedule, &error));
    QSignalSpy finished(m_window.get(), &MainWindow::retriesFinished);
    m_window->replayWithRetries(id, receiver.url(), schedule, 1000);
    QVERIFY(m_window->action(MainWindow::Action::CancelRetries)->isEnabled());
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.constFirst().at(0).toInt(), 3);
    QCOMPARE(finished.constFirst().at(1).toInt(), 1);
    QVERIFY(!m_window->action(MainWindow::Action::CancelRetries)->isEnabled());
    // The timeline: every attempt in the Deliveries pane, newest first.
    ui::DeliveriesPane *pane = m_window->detailView()->deliveriesPane();
    QTRY_COMPARE(pane->count(), 3);
    QCOMPARE(pane->list()->topLevelItem(0)->text(1), QStringLiteral("Replay, attempt 3"));
    QCOMPARE(pane->list()->topLevelItem(2)->text(2), QStringLiteral("503"));
}

void tst_MainWindow::shouldOfferTheRecentTargetsForRetries()
{
    m_settings->setReplayTarget(QStringLiteral("http://localhost:1/older"));
    m_settings->setReplayTarget(QStringLiteral("http://localhost:1/old"));
    m_window = newWindow();
    const qint64 id = capture("user", R"({"action":"honor_changed"})");
    QVERIFY(id > 0);
    selectRowOf(id);
    RawReceiver receiver;
    QVERIFY(receiver.listen());
    const QString target = receiver.url().toString();

    QStringList offered;
    QString shown;
    QString refusal;
    QStringList cutSchedules;
    connect(m_window.get(), &MainWindow::retryDialogOpened, this, [&](ui::RetryDialog *dialog) {
        for (int i = 0; i < dialog->targetBox()->count(); ++i)
            offered.append(dialog->targetBox()->itemText(i));
        shown = dialog->targetBox()->currentText();
        QTimer::singleShot(0, dialog, [&, dialog] {
            // The longest schedule reads whole.
            for (int i = 0; i < dialog->scheduleBox()->count(); ++i) {
                const QString text = dialog->scheduleBox()->itemText(i);
                if (dialog->scheduleBox()->lineEdit()->width() < dialog->scheduleBox()->fontMetrics().horizontalAdvance(text))
                    cutSchedules.append(text);
            }
            // A URL that cannot be sent to keeps the dialog open and says why.
            dialog->targetBox()->setEditText(QStringLiteral("ftp://example.com/"));
            dialog->accept();
            if (dialog->isVisible() && dialog->errorLabel()->isVisibleTo(dialog))
                refusal = dialog->errorLabel()->text();
            dialog->targetBox()->setEditText(target);
            dialog->scheduleBox()->setCurrentIndex(dialog->scheduleBox()->findData(QStringLiteral("github")));
            dialog->accept();
        });
    });
    QSignalSpy finished(m_window.get(), &MainWindow::retriesFinished);
    m_window->action(MainWindow::Action::RetryReplay)->trigger();
    QCOMPARE(offered, (QStringList{QStringLiteral("http://localhost:1/old"), QStringLiteral("http://localhost:1/older")}));
    QCOMPARE(shown, QStringLiteral("http://localhost:1/old"));
    QVERIFY2(refusal.contains(QLatin1String("not an http or https URL")), qPrintable(refusal));
    QVERIFY2(cutSchedules.isEmpty(), qPrintable(cutSchedules.join(u'\n')));
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.constFirst().at(0).toInt(), 1);   // github: one attempt
    QCOMPARE(receiver.requests().size(), 1);
    QCOMPARE(m_settings->recentReplayTargets().value(0), target);
}

void tst_MainWindow::shouldKeepSqlOffTheGuiThreadWhileHooksArrive()
{
    constexpr int stored = 10'000;
    QList<Hook> hooks;
    for (int i = 0; i < stored; ++i)
        hooks.append(testhelpers::makeHook(i % 2 ? "user" : "code_challenge"));
    QVERIFY(guitest::fillStore(m_store, hooks));
    guitest::Receiver receiver;
    QVERIFY(receiver.start());
    m_window = newWindow();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->isHistoryLoaded(), 20000);
    QCOMPARE(m_window->model()->rowCount(), stored);

    // A sender keeps posting from a thread of its own while the window works.
    std::atomic<bool> stop{false};
    std::atomic<int> sent{0};
    const QUrl url = m_window->listenerUrl();
    std::unique_ptr<QThread> sender(QThread::create([&] {
        while (!stop) {
            if (guitest::postEvent(url, "user", R"({"action":"honor_changed"})") == 200)
                ++sent;
            // A connection per hook: paced, so that closed ones do not use up the ports the next tests need.
            QThread::msleep(5);
        }
    }));
    sender->start();
    QTRY_VERIFY(sent > 5);

    QList<qint64> all;
    for (int row = 0; row < stored; ++row)
        all.append(m_window->model()->idAt(row));
    m_window->deleteHooks(all);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->model()->rowOfId(all.last()) < 0, 20000);

    const QString har = m_dir->filePath(QStringLiteral("some.har"));
    QFile file(har);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(formats::hooksToHar(hooks.mid(0, 50)));
    file.close();
    QSignalSpy imported(m_window.get(), &MainWindow::importFinished);
    m_window->importFrom(har);
    QTRY_COMPARE(imported.size(), 1);

    QSignalSpy replayed(m_window.get(), &MainWindow::replayFinished);
    m_window->replay({m_window->model()->idAt(0)}, receiver.url());
    QTRY_COMPARE(replayed.size(), 1);

    stop = true;
    sender->wait();
    QVERIFY(sent > 0);
    m_settings->setKeepHooks(20);
    m_window->applySettings();
    QTRY_COMPARE(m_window->model()->rowCount(), 20);
    QVERIFY2(guitest::noQueriesOnTheGuiThread(), "SQL ran on the GUI thread");
    // What the table shows is what the store holds.
    QTRY_COMPARE(qint64(m_window->model()->rowCount()), guitest::storedCount(*m_window));
}

void tst_MainWindow::shouldAnswerByRulesEditedInTheApp()
{
    m_window = newWindow();
    const QByteArray honor = R"({"action":"honor_changed","user":{"id":"5c5a9b6f1a2b3c4d5e6f7a8b","honor":10}})";
    const qint64 before = capture("user", honor);
    QVERIFY(before > 0);
    selectRowOf(before);

    m_window->action(MainWindow::Action::AnswerRules)->trigger();
    auto *dialog = m_window->findChild<ui::AnswerRulesDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(dialog->list()->count(), 0);
    QVERIFY(dialog->testButton()->isEnabled());   // the selected hook is there to try rules on

    // A first rule for every hook on /other, then one that fails the first two honor changes.
    const auto add = [dialog] {
        const auto buttons = dialog->findChildren<QPushButton *>();
        const auto it = std::find_if(buttons.cbegin(), buttons.cend(), [](QPushButton *b) { return b->text() == QStringLiteral("&Add"); });
        QVERIFY(it != buttons.cend());
        (*it)->click();
    };
    add();
    dialog->pathEdit()->setText(QStringLiteral("/other"));
    dialog->statusBox()->setValue(202);
    add();
    QCOMPARE(dialog->list()->count(), 2);
    dialog->nameEdit()->setText(QStringLiteral("honors fail"));
    dialog->eventBox()->setEditText(QStringLiteral("user"));
    dialog->actionBox()->setEditText(QStringLiteral("honor_changed"));
    dialog->statusBox()->setValue(503);
    dialog->bodyEdit()->setPlainText(QStringLiteral("busy"));
    dialog->timesBox()->setValue(2);
    QVERIFY2(dialog->list()->item(1)->text().contains(QStringLiteral("honors fail")), qPrintable(dialog->list()->item(1)->text()));
    // Alt+Up moves it first.
    dialog->list()->setFocus();
    QTest::keyClick(dialog->list(), Qt::Key_Up, Qt::AltModifier);
    QCOMPARE(dialog->list()->currentRow(), 0);
    QVERIFY2(dialog->list()->item(0)->text().startsWith(QStringLiteral("1. honors fail")), qPrintable(dialog->list()->item(0)->text()));
    QVERIFY(dialog->list()->item(1)->text().startsWith(QStringLiteral("2. rule 2")));

    dialog->testButton()->click();
    QVERIFY2(dialog->testResult()->text().contains(QStringLiteral("answered 503 by honors fail")), qPrintable(dialog->testResult()->text()));

    // A rule that does not read is named, and nothing is applied.
    dialog->list()->setCurrentRow(1);
    dialog->headerEdit()->setText(QStringLiteral(": no name"));
    QDialogButtonBox *buttons = dialog->findChild<QDialogButtonBox *>();
    buttons->button(QDialogButtonBox::Ok)->click();
    QVERIFY(dialog->isVisible());
    QVERIFY2(dialog->errorLabel()->text().startsWith(QStringLiteral("Rule 2, match/header:")), qPrintable(dialog->errorLabel()->text()));
    dialog->headerEdit()->clear();
    buttons->button(QDialogButtonBox::Ok)->click();
    QTRY_VERIFY(!dialog->isVisible());
    QCOMPARE(m_settings->answerRules().rules().size(), 2);

    const QUrl url = m_window->listenerUrl();
    QCOMPARE(postEvent(url, "user", honor, "/other"), 503);   // the first rule applies first
    QCOMPARE(postEvent(url, "user", honor), 503);
    QCOMPARE(postEvent(url, "user", honor), 200);              // its two times are used
    QCOMPARE(postEvent(url, "code_challenge", R"({"action":"created"})", "/other"), 202);
    QTRY_COMPARE(m_window->model()->rowCount(), 5);
    const auto ruleAt = [this](int row) {
        return m_window->model()->index(row, HookColumns::Rule).data().toString();
    };
    QCOMPARE(ruleAt(0), QString());
    QCOMPARE(ruleAt(1), QStringLiteral("honors fail"));
    QCOMPARE(ruleAt(2), QStringLiteral("honors fail"));
    QCOMPARE(ruleAt(3), QString());
    QCOMPARE(ruleAt(4), QStringLiteral("rule 2"));
    QCOMPARE(guitest::storedHook(*m_window, m_window->model()->idAt(1))->answerRule, QStringLiteral("honors fail"));
}

void tst_MainWindow::shouldCompareADeliveryWithItsHookAndTwoAnswers()
{
    guitest::Receiver receiver;
    QVERIFY(receiver.start());
    m_settings->setReplayTarget(receiver.url(QStringLiteral("/mine")).toString());
    m_window = newWindow();
    const qint64 id = capture("user", R"({"action":"honor_changed","user":{"id":"53aa3f265b97485984000001","honor":3}})");
    QVERIFY(id > 0);
    selectRowOf(id);
    QSignalSpy replayed(m_window.get(), &MainWindow::replayFinished);
    m_window->action(MainWindow::Action::Replay)->trigger();
    QTRY_COMPARE(replayed.size(), 1);
    m_window->action(MainWindow::Action::Replay)->trigger();
    QTRY_COMPARE(replayed.size(), 2);
    ui::DeliveriesPane *pane = m_window->detailView()->deliveriesPane();
    QTRY_COMPARE(pane->count(), 2);

    using C = ui::DeliveriesPane::Comparison;
    QVERIFY(pane->list()->actions().contains(pane->compareAction(C::RequestWithHook)));   // the context menu
    pane->list()->setCurrentItem(pane->list()->topLevelItem(0));
    QVERIFY(pane->compareAction(C::RequestWithHook)->isEnabled());
    QVERIFY(!pane->compareAction(C::Answers)->isEnabled());

    QSignalSpy compared(m_window.get(), &MainWindow::comparedMessages);
    pane->compareAction(C::RequestWithHook)->trigger();
    QTRY_COMPARE(compared.size(), 1);
    QCOMPARE(m_window->pages()->currentWidget(), m_window->compareView());
    QStringList rows = m_window->compareView()->rowTexts();
    // Sent to the replay target's own path, with the same body.
    QVERIFY2(rows.contains(QStringLiteral("Request line: changed /target /hooks -> /mine")), qPrintable(rows.join(u'\n')));
    QVERIFY2(!rows.join(u'\n').contains(QLatin1String("Body")), qPrintable(rows.join(u'\n')));
    QVERIFY(m_window->compareView()->title()->text().startsWith(QStringLiteral("What changed from hook #%1 to the request of").arg(id)));

    pane->compareAction(C::AnswerWithHook)->trigger();
    QTRY_COMPARE(compared.size(), 2);
    rows = m_window->compareView()->rowTexts();
    // hookscope answered {"id":N} as JSON; the receiver "ok" as text.
    QVERIFY2(rows.contains(QStringLiteral("Headers: changed /Content-Type Content-Type: application/json -> Content-Type: text/plain")), qPrintable(rows.join(u'\n')));

    pane->list()->selectAll();
    QVERIFY(pane->compareAction(C::Answers)->isEnabled());
    QVERIFY(!pane->compareAction(C::RequestWithHook)->isEnabled());
    pane->compareAction(C::Answers)->trigger();
    QTRY_COMPARE(compared.size(), 3);
    QVERIFY2(m_window->compareView()->title()->text().endsWith(QLatin1String("are the same.")), qPrintable(m_window->compareView()->title()->text()));
}

// Raw bytes on a connection of their own; the status of the answer (0: none).
static int sendRaw(const QUrl &listener, const QByteArray &bytes)
{
    QTcpSocket socket;
    socket.connectToHost(listener.host(), quint16(listener.port()));
    if (!socket.waitForConnected(5000))
        return 0;
    socket.write(bytes);
    QByteArray pending;
    return testhelpers::readAnswer(socket, pending).status;
}

void tst_MainWindow::shouldMarkRefusedRequestsAndFilterThemAsListDoes()
{
    m_window = newWindow();
    QVERIFY(capture("user", R"({"action":"honor_changed"})") > 0);
    QCOMPARE(sendRaw(m_window->listenerUrl(), "GET /old HTTP/3.0\r\nHost: x\r\n\r\n"), 505);
    QCOMPARE(sendRaw(m_window->listenerUrl(), "POST /hooks HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"), 400);
    QTRY_COMPARE(m_window->model()->rowCount(), 3);

    const int row = guitest::lastRow(m_window->model());
    const QModelIndex status = m_window->model()->index(row, HookColumns::Status);
    QVERIFY(status.data(HookColumns::RefusedRole).toBool());
    QCOMPARE(status.data().toInt(), 400);
    QVERIFY(status.data(Qt::ToolTipRole).toString().startsWith(QLatin1String("Refused with 400")));
    QVERIFY(!m_window->model()->index(0, HookColumns::Status).data(HookColumns::RefusedRole).toBool());
    const qint64 refusedId = m_window->model()->idAt(row);
    selectRowOf(refusedId);
    const QString answer = m_window->detailView()->overview()->field(ui::OverviewPane::Field::Answer)->text();
    QVERIFY2(answer.startsWith(QStringLiteral("400 Bad Request — refused: ")), qPrintable(answer));
    QVERIFY(m_window->detailView()->bodyView()->note().contains(QLatin1String("what arrived before it was refused")));

    // The window's filter and `hookscope list` take the same query: they agree.
    workspace::Workspace &workspace = m_window->workspace();
    const auto idsOf = [&](const HookQuery &query) {
        QList<qint64> ids;
        for (const HookRow &r : workspace::await(workspace.rows(query)).value)
            ids.append(r.id);
        return ids;
    };
    const auto shownIds = [&] {
        QList<qint64> ids;
        for (int i = 0; i < m_window->proxy()->rowCount(); ++i)
            ids.append(m_window->proxy()->index(i, 0).data(HookColumns::IdRole).toLongLong());
        std::sort(ids.begin(), ids.end());
        return ids;
    };
    ui::FilterBar *filter = m_window->filterBar();
    QVERIFY(filter->refusedBox()->isChecked());
    filter->refusedBox()->setChecked(false);
    QCOMPARE(m_window->proxy()->rowCount(), 1);
    HookQuery noRefused;   // list --no-refused
    noRefused.refused = false;
    QCOMPARE(shownIds(), idsOf(noRefused));
    filter->refusedBox()->setChecked(true);
    QCOMPARE(m_window->proxy()->rowCount(), 3);

    for (const QString &text : {QStringLiteral("has:refused"), QStringLiteral("refused:no"), QStringLiteral("refused:yes status:505")}) {
        filter->setText(text);
        HookQuery typed;
        QString error;
        QVERIFY(workspace::parseQueryText(text, workspace, &typed, &error));
        const QList<qint64> expected = idsOf(typed);
        QTRY_COMPARE(shownIds(), expected);
    }
    HookQuery refusedOnly;   // list --refused
    refusedOnly.refused = true;
    QCOMPARE(idsOf(refusedOnly).size(), 2);
}

void tst_MainWindow::shouldShowATransferCodedHookDecoded()
{
    m_window = newWindow();
    const QByteArray json = R"({"action":"honor_changed","user":{"id":"53aa3f265b97485984000001","honor":420}})";
    const QByteArray coded = formats::encodeBody(json, "gzip");
    QByteArray request = "POST /gz HTTP/1.1\r\nHost: x\r\nX-Webhook-Event: user\r\nContent-Type: application/json\r\n"
                         "Transfer-Encoding: gzip, chunked\r\n\r\n";
    request += QByteArray::number(coded.size(), 16) + "\r\n" + coded + "\r\n0\r\n\r\n";
    QCOMPARE(sendRaw(m_window->listenerUrl(), request), 200);
    QTRY_COMPARE(m_window->model()->rowCount(), 1);
    const qint64 id = m_window->model()->idAt(0);
    selectRowOf(id);
    // Stored as it came (de-chunked, still gzip); checked and shown decoded.
    QCOMPARE(m_window->detailView()->hook()->body, coded);
    QCOMPARE(m_window->model()->actionAt(0), QStringLiteral("honor_changed"));
    const QString coding = m_window->detailView()->overview()->field(ui::OverviewPane::Field::Coding)->text();
    QVERIFY2(coding.startsWith(QStringLiteral("gzip — stored as it came, shown decoded")), qPrintable(coding));
    ui::BodyView *body = m_window->detailView()->bodyView();
    QCOMPARE(body->kind(), ui::BodyRendering::Kind::Json);
    QVERIFY(body->prettyEdit()->toPlainText().contains(QLatin1String("\"honor\": 420")));
    QVERIFY2(body->note().contains(QLatin1String("gzip: ")) && body->note().contains(QLatin1String("bytes decoded")), qPrintable(body->note()));

    // A coding hookscope does not decode is said so, and the body shown as stored.
    QByteArray compressed = "POST /compress HTTP/1.1\r\nHost: x\r\nContent-Encoding: compress\r\nContent-Length: 4\r\n\r\nabcd";
    QCOMPARE(sendRaw(m_window->listenerUrl(), compressed), 200);
    QTRY_COMPARE(m_window->model()->rowCount(), 2);
    selectRowOf(m_window->model()->idAt(1));
    QVERIFY(m_window->detailView()->overview()->field(ui::OverviewPane::Field::Coding)->text().contains(
        QStringLiteral("compress — shown as stored: compress: unknown coding \"compress\"")));
    QCOMPARE(m_window->detailView()->bodyView()->body(), QByteArray("abcd"));
}

QTEST_MAIN(tst_MainWindow)
void tst_MainWindow::shouldDecodeACodedBodyOnceOffTheGuiThread_data()
{
    QTest::addColumn<QByteArray>("coding");
    QTest::addColumn<int>("padding");
    QTest::newRow("small gzip body") << QByteArray("gzip") << 100;
    QTest::newRow("small deflate body") << QByteArray("deflate") << 100;
    // Small as received, big once decoded: looked at after the rest of the hook is shown.
    QTest::newRow("gzip body big once decoded") << QByteArray("gzip") << 3 * 1024 * 1024;
}

void tst_MainWindow::shouldDecodeACodedBodyOnceOffTheGuiThread()
{
    QFETCH(QByteArray, coding);
    QFETCH(int, padding);
    m_window = newWindow();
    const QByteArray json = R"({"action":"honor_changed","user":{"id":"53aa3f265b97485984000001","honor":420},"pad":")"
        + QByteArray(padding, 'x') + R"("})";
    const QByteArray coded = formats::encodeBody(json, coding);
    QVERIFY(coded.size() < ui::BodyRendering::BackgroundThreshold);
    QCOMPARE(guitest::post(m_window->listenerUrl(), "/coded", coded,
                           "X-Webhook-Event: user\r\nContent-Type: application/json\r\nContent-Encoding: " + coding + "\r\n"),
             200);
    QTRY_COMPARE(m_window->model()->rowCount(), 1);
    const qint64 id = m_window->model()->idAt(0);

    // Everything that shows the body (the Overview's coding, every body view) takes the one decoded copy.
    const quint64 before = formats::bodiesDecoded();
    QSignalSpy shown(m_window->detailView(), &ui::DetailView::hookShown);
    selectRowOf(id, false);
    QTRY_COMPARE(shown.size(), 1);
    QCOMPARE(formats::bodiesDecoded() - before, quint64(1));
    const QString codingText = m_window->detailView()->overview()->field(ui::OverviewPane::Field::Coding)->text();
    QVERIFY2(codingText.startsWith(QString::fromLatin1(coding) + QStringLiteral(" — stored as it came, shown decoded")), qPrintable(codingText));
    ui::BodyView *body = m_window->detailView()->bodyView();
    QCOMPARE(body->kind(), ui::BodyRendering::Kind::Json);
    QVERIFY2(body->note().contains(QString::fromLatin1(coding) + QStringLiteral(": ")), qPrintable(body->note()));
    QTRY_VERIFY(!body->isReading());
    QVERIFY(body->prettyText().contains(QLatin1String("\"honor\": 420")));
    // The hex dump is of the bytes as received.
    QCOMPARE(body->hexView()->lineCount(), (coded.size() + 15) / 16);
    QCOMPARE(formats::bodiesDecoded() - before, quint64(1));
}

void tst_MainWindow::shouldReadOnlyTheShownDeliveryWhole()
{
    // A hook with three replays, each with bodies of its own, stored before the window opens.
    QVERIFY(guitest::fillStore(m_store, {testhelpers::makeHook()}));
    QList<Delivery> deliveries;
    for (int i = 0; i < 3; ++i) {
        Delivery d;
        d.hookId = 1;
        d.kind = Delivery::Kind::Replay;
        d.startedUs = testhelpers::nowUs() + i;
        d.method = "POST";
        d.url = QStringLiteral("http://127.0.0.1:9/in");
        d.requestHeaders = {{"Content-Type", "text/plain"}};
        d.requestBody = QByteArray(1000 * (i + 1), char('a' + i));
        d.status = 200;
        d.responseHeaders = {{"Content-Type", "text/plain"}};
        d.responseBody = "answer " + QByteArray::number(i);
        deliveries.append(d);
    }
    bool stored = false;
    guitest::offGuiThread([&] {
        HookStore store;
        stored = store.open(m_store) && store.addDeliveries(&deliveries);
    });
    QVERIFY(stored);

    m_window = newWindow();
    QTRY_COMPARE(m_window->model()->rowCount(), 1);
    selectRowOf(1);
    ui::DeliveriesPane *pane = m_window->detailView()->deliveriesPane();
    QTRY_COMPARE(pane->count(), 3);
    // Listed with the sizes of their bodies, none read while the tab is not on screen.
    QCOMPARE(m_window->detailView()->currentIndex(), int(ui::DetailView::OverviewTab));
    QCOMPARE(pane->deliveryAt(0).id, deliveries.at(2).id);
    QCOMPARE(pane->deliveryAt(0).requestBodySize, 3000);
    QCOMPARE(pane->deliveryAt(0).responseBodySize, 8);
    QVERIFY(!pane->shownDelivery());
    QCOMPARE(pane->bodyBytesHeld(), 0);

    // On screen: the newest is read whole, and only it.
    m_window->detailView()->setCurrentIndex(ui::DetailView::DeliveriesTab);
    QTRY_VERIFY(pane->shownDelivery());
    QCOMPARE(*pane->shownDelivery(), deliveries.at(2));
    QCOMPARE(pane->bodyBytesHeld(), 3000 + 8);
    QCOMPARE(pane->responseView()->bodyView()->rawText(), QStringLiteral("answer 2"));

    // Another one selected takes the place of the first.
    pane->list()->setCurrentItem(pane->list()->topLevelItem(2));
    QTRY_COMPARE(pane->shownDelivery() ? pane->shownDelivery()->id : 0, deliveries.at(0).id);
    QCOMPARE(pane->bodyBytesHeld(), 1000 + 8);
    QCOMPARE(pane->requestView()->bodyView()->rawText(), QString(1000, u'a'));
    QCOMPARE(pane->responseView()->bodyView()->rawText(), QStringLiteral("answer 0"));
}

namespace {

// Presses Tab (or Shift+Tab) from the focused widget until the focus comes back to it;
// returns the widgets it passed, or stops after `limit` presses.
QList<QWidget *> tabCycle(QWidget *start, bool forward, int limit = 80)
{
    QList<QWidget *> visited;
    start->setFocus(Qt::OtherFocusReason);
    for (int i = 0; i < limit; ++i) {
        QWidget *current = QApplication::focusWidget();
        if (!current)
            break;
        visited.append(current);
        QTest::keyClick(current, Qt::Key_Tab, forward ? Qt::NoModifier : Qt::ShiftModifier);
        if (QApplication::focusWidget() == start)
            break;
    }
    return visited;
}

QStringList names(const QList<QWidget *> &widgets)
{
    QStringList out;
    for (const QWidget *w : widgets)
        out.append(QString::fromLatin1(w->metaObject()->className()) + u'(' + w->toolTip().left(24) + u')');
    return out;
}

} // namespace

void tst_MainWindow::shouldWalkTheWindowWithTabInReadingOrder()
{
    m_window = newWindow();
    m_window->show();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QVERIFY(capture("user", R"({"action":"honor_changed"})") > 0);
    selectRowOf(m_window->model()->idAt(0));

    // The capture page, top to bottom: the pages, the filter from left to right, the list, the detail.
    ui::FilterBar *filter = m_window->filterBar();
    const QList<QWidget *> capturePage = tabCycle(filter->eventBox(), true);
    const QList<QWidget *> expected = {m_window->pages()->tabBar(), filter->eventBox(),  filter->actionBox(),
                                       filter->checkBox(),          filter->refusedBox(), filter->textEdit(),
                                       m_window->captureView(),     m_window->detailView()->tabBar()};
    qsizetype last = -1;
    for (QWidget *w : expected) {
        const qsizetype at = capturePage.indexOf(w);
        QVERIFY2(at > last || (w == expected.constFirst() && at >= 0),
                 qPrintable(u"out of order: " + names(capturePage).join(u", ")));
        if (w != expected.constFirst())
            last = at;
    }
    // Nothing keeps the focus (a table walking its cells, an editor taking the Tab): the walk comes round.
    QCOMPARE(QApplication::focusWidget(), filter->eventBox());
    QCOMPARE(QSet<QWidget *>(capturePage.cbegin(), capturePage.cend()).size(), capturePage.size());
    // Shift+Tab walks the same way back.
    QList<QWidget *> back = tabCycle(filter->eventBox(), false);
    std::reverse(back.begin() + 1, back.end());
    QCOMPARE(names(back), names(capturePage));

    // The Composer: what to send, where, then the body, and round again.
    m_window->action(MainWindow::Action::Compose)->trigger();
    ui::Composer *composer = m_window->composer();
    const QList<QWidget *> composerPage = tabCycle(composer->providerBox(), true);
    QCOMPARE(QApplication::focusWidget(), composer->providerBox());
    const qsizetype url = composerPage.indexOf(composer->urlEdit());
    QVERIFY2(composerPage.indexOf(composer->eventBox()) == 1 && composerPage.indexOf(composer->actionBox()) == 2 && url > 2
                 && composerPage.indexOf(composer->bodyEdit()) > url,
             qPrintable(names(composerPage).join(u", ")));
}

#include "tst_mainwindow.moc"
