#include "notifier.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QGuiApplication>
#include <QSystemTrayIcon>

namespace ui {

namespace {

const QString Service = QStringLiteral("org.freedesktop.Notifications");
const QString Path = QStringLiteral("/org/freedesktop/Notifications");
const QString Interface = QStringLiteral("org.freedesktop.Notifications");
// The action the service invokes when the notification itself is clicked.
const QString DefaultAction = QStringLiteral("default");
constexpr int ShownForMs = 5000;

bool serviceThere()
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return false;
    QDBusConnectionInterface *daemon = bus.interface();
    return daemon->isServiceRegistered(Service).value() || daemon->activatableServiceNames().value().contains(Service);
}

} // namespace

Notifier::Notifier(const QIcon &icon, QObject *parent)
    : QObject(parent)
    , m_icon(icon)
{
}

Notifier::Channel Notifier::channel() const
{
    if (serviceThere())
        return Channel::Service;
    if (QSystemTrayIcon::isSystemTrayAvailable())
        return Channel::Tray;
    return Channel::None;
}

QString Notifier::unavailableReason() const
{
    if (channel() != Channel::None)
        return {};
    if (!QDBusConnection::sessionBus().isConnected())
        return tr("There is no D-Bus session bus to reach a notification service, and no system tray.");
    return tr("No notification service (org.freedesktop.Notifications) runs on the session bus, and there is no system tray.");
}

bool Notifier::notify(const QString &summary, const QString &body, qint64 hookId)
{
    const Channel where = channel();
    if (where == Channel::None)
        return false;
    m_hookId = hookId;
    if (where == Channel::Service)
        notifyThroughService(summary, body);
    else
        notifyThroughTray(summary, body);
    return true;
}

void Notifier::notifyThroughService(const QString &summary, const QString &body)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!m_listening) {
        bus.connect(Service, Path, Interface, QStringLiteral("ActionInvoked"), this, SLOT(onActionInvoked(uint, QString)));
        bus.connect(Service, Path, Interface, QStringLiteral("NotificationClosed"), this, SLOT(onNotificationClosed(uint, uint)));
        m_listening = true;
    }
    QDBusMessage call = QDBusMessage::createMethodCall(Service, Path, Interface, QStringLiteral("Notify"));
    const QVariantMap hints{
        {QStringLiteral("desktop-entry"), QGuiApplication::desktopFileName()},
        {QStringLiteral("category"), QStringLiteral("network")},
    };
    // Servers may read the body as markup: a path like /a?b&c must stay text.
    call << QStringLiteral("hookscope") << m_shownId << QStringLiteral("hookscope") << summary
         << body.toHtmlEscaped() << QStringList{DefaultAction, tr("Show")} << hints << ShownForMs;
    // Asynchronous: a notification service that hangs must not hang the window.
    auto *watcher = new QDBusPendingCallWatcher(bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher *finished) {
        const QDBusPendingReply<uint> reply = *finished;
        if (!reply.isError())
            m_shownId = reply.value();
        finished->deleteLater();
    });
}

void Notifier::notifyThroughTray(const QString &summary, const QString &body)
{
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(m_icon, this);
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] { emit activated(m_hookId); });
        m_tray->show();
    }
    m_tray->showMessage(summary, body, m_icon, ShownForMs);
}

void Notifier::onActionInvoked(uint id, const QString &actionKey)
{
    if (id != 0 && id == m_shownId && actionKey == DefaultAction)
        emit activated(m_hookId);
}

void Notifier::onNotificationClosed(uint id, uint)
{
    if (id == m_shownId)
        m_shownId = 0;
}

} // namespace ui
