#pragma once

#include "capture/listenerconfig.h"

#include <QByteArray>
#include <QHash>
#include <QSettings>
#include <QString>

namespace workspace {

enum class Theme { System, Light, Dark };

// hookscope's preferences and remembered window state, in
// ~/.config/hookscope/hookscope.conf. Typed accessors with the defaults in one place.
class Settings
{
public:
    static constexpr quint16 DefaultPort = 8790;

    Settings();
    Settings(const Settings &) = delete;
    Settings &operator=(const Settings &) = delete;

    QString fileName() const { return m_settings.fileName(); }
    void sync() { m_settings.sync(); }
    void clear() { m_settings.clear(); }

    // Listener
    QString bindAddress() const;
    void setBindAddress(const QString &address);
    quint16 port() const;
    void setPort(quint16 port);
    QByteArray secret() const;
    void setSecret(const QByteArray &secret);
    bool requireSecret() const;
    void setRequireSecret(bool require);
    int answerStatus() const;
    void setAnswerStatus(int status);
    QByteArray answerBody() const;
    void setAnswerBody(const QByteArray &body);
    int answerDelayMs() const;
    void setAnswerDelayMs(int ms);
    qint64 maxBody() const;
    void setMaxBody(qint64 bytes);
    // The answer rules as their JSON document; rules that no longer read are none.
    AnswerRules answerRules() const;
    void setAnswerRules(const AnswerRules &rules);
    // Everything above as the listener takes it (bind and port included).
    ListenerConfig listenerConfig() const;

    // Delivery
    QString forwardTarget() const;
    void setForwardTarget(const QString &url);
    // The target replays go to (the last one used), and the ones used before it,
    // newest first, without repeats, at most MaxRecentReplayTargets in all.
    // Setting a target puts it first.
    static constexpr int MaxRecentReplayTargets = 10;
    QString replayTarget() const;
    void setReplayTarget(const QString &url);
    QStringList recentReplayTargets() const;
    // Replays give a fresh delivery id where the hook's provider has one.
    bool freshDeliveryId() const;
    void setFreshDeliveryId(bool fresh);
    // Self-signed certificates trusted for HTTPS targets: "host:port" -> PEM.
    QHash<QString, QByteArray> trustedCertificates() const;
    void setTrustedCertificate(const QString &hostAndPort, const QByteArray &pem);   // empty pem: no longer

    // Going public: the last tunnel asked for (a preset's name or a command, and
    // its URL pattern) and the last smee channel.
    QString tunnelCommand() const;
    QString tunnelUrlPattern() const;
    void setTunnel(const QString &command, const QString &urlPattern);
    QString smeeChannel() const;
    void setSmeeChannel(const QString &url);

    // Retention: 0 keeps everything.
    int keepHooks() const;
    void setKeepHooks(int count);
    int keepDays() const;
    void setKeepDays(int days);

    // Appearance
    Theme theme() const;
    void setTheme(Theme theme);
    bool notify() const;
    void setNotify(bool notify);

    // Remembered state
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &state);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);
    QByteArray splitterState() const;
    void setSplitterState(const QByteArray &state);
    QByteArray columnState() const;
    void setColumnState(const QByteArray &state);
    int bodyMode() const;
    void setBodyMode(int mode);

    // Composer
    QString composerProvider() const;
    QString composerEvent() const;
    QString composerAction() const;
    void setComposerSelection(const QString &provider, const QString &event, const QString &action);
    QString composerTarget() const;   // empty: the app's own listener
    void setComposerTarget(const QString &url);
    QByteArray composerSecret() const;
    void setComposerSecret(const QByteArray &secret);
    QByteArray composerSplitterState() const;
    void setComposerSplitterState(const QByteArray &state);

private:
    QSettings m_settings;
};

QString themeName(Theme theme);                    // "system", "light", "dark"
bool themeFromName(QStringView name, Theme *theme);

} // namespace workspace
