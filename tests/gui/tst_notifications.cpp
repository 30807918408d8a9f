#include "guitesthelpers.h"

#include "ui/captureview.h"
#include "ui/filterbar.h"
#include "ui/notifier.h"
#include "ui/settingsdialog.h"

#include "capture/hookfilterproxy.h"

#include <QCheckBox>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QProcess>
#include <QSystemTrayIcon>
#include <QTest>

using guitest::makeWindow;
using ui::MainWindow;
using ui::Notifier;

// The freedesktop notification service as a desktop runs it, reduced to what
// a client sees: it records what it was asked to show and can report a click.
class NotificationService : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

public:
    struct Shown
    {
        QString app, icon, summary, body;
        uint replaces = 0;
        QStringList actions;
        QVariantMap hints;
        int timeout = 0;
    };
    QList<Shown> shown;

public slots:
    uint Notify(const QString &app, uint replaces, const QString &icon, const QString &summary, const QString &body,
                const QStringList &actions, const QVariantMap &hints, int timeout)
    {
        shown.append({app, icon, summary, body, replaces, actions, hints, timeout});
        return replaces != 0 ? replaces : uint(40 + shown.size());
    }
    QStringList GetCapabilities() { return {QStringLiteral("body"), QStringLiteral("body-markup"), QStringLiteral("actions")}; }
    void CloseNotification(uint) {}
};

// Desktop notifications over a private session bus started here (dbus-daemon),
// with the notification service registered from its own connection.
class tst_Notifications : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        guitest::isolateSettings();
        QVERIFY(m_busDir.isValid());
        const QString config = m_busDir.filePath(QStringLiteral("session.conf"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        // No service directories: nothing can be activated, only what registers itself is there.
        file.write("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
                   " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                   "<busconfig><type>session</type><listen>unix:dir=" + m_busDir.path().toUtf8() + "</listen>"
                   "<auth>EXTERNAL</auth><policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
                   "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n");
        file.close();
        m_bus.start(QStringLiteral("dbus-daemon"), {u"--config-file=" + config, QStringLiteral("--nofork"), QStringLiteral("--print-address=1")});
        QVERIFY2(m_bus.waitForStarted(5000), "dbus-daemon is missing (Debian: dbus-daemon)");
        QVERIFY(m_bus.waitForReadyRead(5000));
        const QByteArray address = m_bus.readLine().trimmed();
        QVERIFY2(!address.isEmpty(), "dbus-daemon printed no address");
        // Before anything in this process looks for the session bus.
        qputenv("DBUS_SESSION_BUS_ADDRESS", address);
        QVERIFY(QDBusConnection::sessionBus().isConnected());
        m_serviceBus = std::make_unique<QDBusConnection>(QDBusConnection::connectToBus(QString::fromUtf8(address), QStringLiteral("service")));
        QVERIFY(m_serviceBus->isConnected());
    }
    void cleanupTestCase()
    {
        m_serviceBus.reset();
        QDBusConnection::disconnectFromBus(QStringLiteral("service"));
        m_bus.kill();
        m_bus.waitForFinished(5000);
    }
    void init()
    {
        guitest::resetSettings();
        m_dir = std::make_unique<QTemporaryDir>();
        m_settings = std::make_unique<ui::Settings>();
        m_settings->setNotify(true);
        m_window = makeWindow(*m_settings, m_dir->filePath(QStringLiteral("hooks.sqlite")));
        QVERIFY(m_window->isListening());
    }
    void cleanup()
    {
        m_window.reset();
        if (m_service) {
            m_serviceBus->unregisterObject(QStringLiteral("/org/freedesktop/Notifications"));
            m_serviceBus->unregisterService(QStringLiteral("org.freedesktop.Notifications"));
            m_service.reset();
        }
        QVERIFY2(guitest::noQueriesOnTheGuiThread(), "SQL ran on the GUI thread");
        m_settings.reset();
        m_dir.reset();
    }

    void shouldDisableTheSettingAndSayWhyWithoutAServiceOrTray()
    {
        if (QSystemTrayIcon::isSystemTrayAvailable())
            QSKIP("this platform has a system tray");
        Notifier *notifier = m_window->notifier();
        QCOMPARE(notifier->channel(), Notifier::Channel::None);
        QVERIFY(notifier->unavailableReason().contains(u"org.freedesktop.Notifications"));

        m_window->action(MainWindow::Action::Settings)->trigger();
        auto *dialog = m_window->findChild<ui::SettingsDialog *>();
        QVERIFY(dialog);
        QVERIFY(!dialog->notifyBox()->isEnabled());
        QCOMPARE(dialog->notifyBox()->toolTip(), notifier->unavailableReason());
        QVERIFY(dialog->notifyBox()->isChecked()); // the setting itself is kept for when a service is back
        dialog->reject();
        // Nothing to show it with: nothing is claimed as shown.
        QVERIFY(!notifier->notify(QStringLiteral("1 new hook"), QStringLiteral("user/honor_changed"), 1));
    }

    void shouldNotifyThroughTheServiceAndShowTheHookWhenClicked()
    {
        // Two hooks while no service is there: nothing is shown, nothing is held back for later.
        QCOMPARE(guitest::postEvent(m_window->listenerUrl(), "user", R"({"action":"honor_changed"})"), 200);
        QCOMPARE(guitest::post(m_window->listenerUrl(), "/plain?a=1&b=<2>", "x"), 200);
        QTRY_COMPARE(m_window->model()->rowCount(), 2);
        const std::optional<Hook> first = guitest::storedHook(*m_window, m_window->model()->data(m_window->model()->index(0, 0)).toLongLong());
        const std::optional<Hook> second = guitest::storedHook(*m_window, m_window->model()->data(m_window->model()->index(1, 0)).toLongLong());
        QVERIFY(first && second);

        registerService();
        QCOMPARE(m_window->notifier()->channel(), Notifier::Channel::Service);
        m_window->action(MainWindow::Action::Settings)->trigger();
        auto *dialog = m_window->findChild<ui::SettingsDialog *>();
        QVERIFY(dialog && dialog->notifyBox()->isEnabled());
        dialog->reject();

        m_window->notifyArrival({*first, *second});
        QTRY_COMPARE(m_service->shown.size(), 1);
        const NotificationService::Shown shown = m_service->shown.constFirst();
        QCOMPARE(shown.app, QStringLiteral("hookscope"));
        QCOMPARE(shown.summary, QStringLiteral("2 new hooks"));
        // The latest hook, its path as text even where a server reads markup.
        QCOMPARE(shown.body, QStringLiteral("POST /plain?a=1&amp;b=&lt;2&gt;"));
        QVERIFY(shown.actions.contains(QStringLiteral("default")));
        QVERIFY(shown.hints.contains(QStringLiteral("desktop-entry")));
        QVERIFY(shown.timeout > 0);

        // Clicked: the window shows that hook, even past a filter that hid it.
        m_window->filterBar()->setEvent(QStringLiteral("user"));
        QTRY_COMPARE(m_window->proxy()->rowCount(), 1);
        QTest::qWait(50); // the reply carrying the notification's id
        QDBusMessage click = QDBusMessage::createSignal(QStringLiteral("/org/freedesktop/Notifications"),
                                                        QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("ActionInvoked"));
        click << uint(41) << QStringLiteral("default");
        QVERIFY(m_serviceBus->send(click));
        QTRY_COMPARE(m_window->captureView()->selectedIds(), QList<qint64>{second->id});
        QCOMPARE(m_window->proxy()->rowCount(), 2);
    }

    void shouldReplaceItsNotificationAndWaitBetweenThem()
    {
        QCOMPARE(guitest::postEvent(m_window->listenerUrl(), "user", R"({"action":"honor_changed"})"), 200);
        QTRY_COMPARE(m_window->model()->rowCount(), 1);
        const std::optional<Hook> hook = guitest::storedHook(*m_window, m_window->model()->data(m_window->model()->index(0, 0)).toLongLong());
        QVERIFY(hook);
        registerService();
        m_window->notifyArrival({*hook});
        QTRY_COMPARE(m_service->shown.size(), 1);
        QCOMPARE(m_service->shown.constFirst().body, QStringLiteral("user/honor_changed"));
        // A burst right after: no second bubble within a few seconds.
        m_window->notifyArrival({*hook});
        QTest::qWait(100);
        QCOMPARE(m_service->shown.size(), 1);
        // The next one, later, replaces the first instead of piling up.
        Notifier *notifier = m_window->notifier();
        QVERIFY(notifier->notify(QStringLiteral("1 new hook"), QStringLiteral("user/honor_changed"), hook->id));
        QTRY_COMPARE(m_service->shown.size(), 2);
        QCOMPARE(m_service->shown.at(1).replaces, uint(41));
    }

private:
    void registerService()
    {
        m_service = std::make_unique<NotificationService>();
        QVERIFY(m_serviceBus->registerObject(QStringLiteral("/org/freedesktop/Notifications"), m_service.get(),
                                             QDBusConnection::ExportAllSlots));
        QVERIFY(m_serviceBus->registerService(QStringLiteral("org.freedesktop.Notifications")));
    }

    QTemporaryDir m_busDir;
    QProcess m_bus;
    std::unique_ptr<QDBusConnection> m_serviceBus;
    std::unique_ptr<NotificationService> m_service;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ui::Settings> m_settings;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(tst_Notifications)
#include "tst_notifications.moc"
