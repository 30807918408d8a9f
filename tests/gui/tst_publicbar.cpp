#include "guitesthelpers.h"

#include "../relay/relaytesthelpers.h"
#include "../relay/ssetestserver.h"

#include "ui/messagebar.h"
#include "ui/publicbar.h"

#include "capture/hookcolumns.h"
#include "capture/hooktablemodel.h"
#include "workspace/workspace.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

using guitest::makeWindow;
using ui::MainWindow;
using namespace relaytest;

// Going public from the window: the bar under the toolbar, a stand-in tunnel, an in-test smee server.
class tst_PublicBar : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        guitest::isolateSettings();
    }
    void init()
    {
        guitest::resetSettings();
        m_dir = std::make_unique<QTemporaryDir>();
        m_settings = std::make_unique<ui::Settings>();
        m_window = makeWindow(*m_settings, m_dir->filePath(QStringLiteral("hooks.sqlite")), quint16(0));
        QVERIFY(m_window->isListening());
    }
    void cleanup()
    {
        m_window.reset();
        QVERIFY2(guitest::noQueriesOnTheGuiThread(), "SQL ran on the GUI thread");
        m_settings.reset();
        m_dir.reset();
    }

    void shouldSayPlainlyThatOnlyThisMachineCanReachIt()
    {
        ui::PublicBar *bar = m_window->publicBar();
        QVERIFY(bar->localLabel()->isVisibleTo(m_window.get()));
        QVERIFY2(bar->localLabel()->text().contains(u"Only this machine can reach " + m_window->listenerUrl().authority()),
                 qPrintable(bar->localLabel()->text()));
        QVERIFY(m_window->urlField()->toolTip().contains(u"reachable only from this machine"));
        QVERIFY(m_window->action(MainWindow::Action::GetPublicUrl)->isEnabled());
        QVERIFY(m_window->action(MainWindow::Action::ReceiveSmee)->isEnabled());
        QVERIFY(!m_window->action(MainWindow::Action::StopPublic)->isEnabled());
        QVERIFY(!bar->requireSecretButton()->isVisibleTo(m_window.get()));
    }

    void shouldShowThePublicUrlWhileTheTunnelRunsAndStopInOneClick()
    {
        ui::PublicBar *bar = m_window->publicBar();
        const QString pidFile = m_dir->filePath(QStringLiteral("pid"));
        QVERIFY(m_window->startTunnel({standinCommand(u"up https://gui.tunnel.test " + pidFile), {}}));
        QTRY_COMPARE(bar->tunnelUrlField()->text(), QStringLiteral("https://gui.tunnel.test"));
        QVERIFY(bar->tunnelUrlField()->isVisibleTo(m_window.get()));
        QVERIFY(!bar->localLabel()->isVisibleTo(m_window.get()));
        QVERIFY(m_window->windowTitle().contains(u"(public)"));
        QVERIFY(bar->requireSecretButton()->isVisibleTo(m_window.get()));
        QVERIFY(m_window->action(MainWindow::Action::StopPublic)->isEnabled());
        m_window->action(MainWindow::Action::CopyPublicUrl)->trigger();
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("https://gui.tunnel.test"));
        const qint64 child = readPid(pidFile);
        QVERIFY(child > 0 && !processGone(child));

        QTest::mouseClick(bar->stopTunnelButton(), Qt::LeftButton);
        QVERIFY(!m_window->workspace().isPublic());
        QVERIFY(processGone(child));
        QVERIFY(bar->localLabel()->isVisibleTo(m_window.get()));
        QVERIFY(!m_window->windowTitle().contains(u"(public)"));
        // Remembered for the next time.
        QCOMPARE(m_settings->tunnelCommand(), standinCommand(u"up https://gui.tunnel.test " + pidFile));
    }

    void shouldRequireTheSecretWhenAsked()
    {
        QVERIFY(m_window->startTunnel({standinCommand(QStringLiteral("up https://secret.tunnel.test")), {}}));
        QTRY_VERIFY(m_window->publicBar()->requireSecretButton()->isVisibleTo(m_window.get()));
        m_window->requireSecret("s3cret");
        QVERIFY(m_window->workspace().listenerConfig().requireSecret);
        QCOMPARE(m_window->workspace().listenerConfig().secret, QByteArray("s3cret"));
        QVERIFY(!m_window->publicBar()->requireSecretButton()->isVisibleTo(m_window.get()));
        QVERIFY(m_settings->requireSecret());
    }

    void shouldSayWhatToInstallForAMissingTunnel()
    {
        QVERIFY(!m_window->startTunnel({QStringLiteral("/nonexistent/cloudflared {port}"), {}}));
        QVERIFY(m_window->messageBar()->isVisibleTo(m_window.get()));
        QVERIFY2(m_window->messageBar()->text().contains(u"is not installed"), qPrintable(m_window->messageBar()->text()));
        QVERIFY(!m_window->workspace().isPublic());
    }

    void shouldListSmeeDeliveriesAsRelayedHooks()
    {
        SseTestServer server;
        QVERIFY(m_window->receiveFromSmee(server.channel()));
        ui::PublicBar *bar = m_window->publicBar();
        QTRY_VERIFY(bar->smeeStatus()->text().contains(u"receiving"));
        QCOMPARE(bar->smeeUrlField()->text(), server.channel().toString());
        server.deliver("{\"x-webhook-event\":\"user\",\"body\":{\"action\":\"rank_upgraded\"},\"query\":{},\"timestamp\":1764800000000}");
        QTRY_COMPARE(m_window->model()->rowCount(), 1);
        const QModelIndex status = m_window->model()->index(0, HookColumns::Status);
        QCOMPARE(status.data().toString(), QStringLiteral("relayed"));
        // Lost: the stream goes down, the bar says what that means.
        server.closeStreams();
        QTRY_VERIFY(bar->smeeStatus()->text().contains(u"deliveries made now are lost"));
        m_window->action(MainWindow::Action::StopPublic)->trigger();
        QVERIFY(!m_window->workspace().isPublic());
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ui::Settings> m_settings;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(tst_PublicBar)
#include "tst_publicbar.moc"
