#pragma once

#include <QIcon>
#include <QObject>
#include <QString>

class QDBusPendingCallWatcher;
class QSystemTrayIcon;

namespace ui {

// Desktop notifications for arriving hooks: the freedesktop notification
// service on the session bus (org.freedesktop.Notifications) when one is there,
// the system tray's balloon otherwise. Each notification replaces the previous
// one, so a burst of hooks leaves one bubble; clicking it reports the hook.
class Notifier : public QObject
{
    Q_OBJECT

public:
    enum class Channel { Service, Tray, None };

    explicit Notifier(const QIcon &icon, QObject *parent = nullptr);

    // Looks again for a notification service and a tray: either can come and go.
    Channel channel() const;
    // Why notifications cannot be shown, for the setting's tooltip; empty when they can.
    QString unavailableReason() const;

    // Shows `summary` and `body` about the hook `hookId`; false when no channel is there.
    bool notify(const QString &summary, const QString &body, qint64 hookId);

signals:
    // The user clicked the notification about this hook.
    void activated(qint64 hookId);

private slots:
    void onActionInvoked(uint id, const QString &actionKey);
    void onNotificationClosed(uint id, uint reason);

private:
    void notifyThroughService(const QString &summary, const QString &body);
    void notifyThroughTray(const QString &summary, const QString &body);

    QIcon m_icon;
    bool m_listening = false;
    // The service's id of the shown notification, and the hook it is about.
    uint m_shownId = 0;
    qint64 m_hookId = 0;
    QSystemTrayIcon *m_tray = nullptr;
};

} // namespace ui
