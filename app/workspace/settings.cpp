#include "settings.h"

namespace workspace {

namespace {

// Key names are part of the file format: the CLI and older versions read them.
const QString BindKey = QStringLiteral("listener/bind");
const QString PortKey = QStringLiteral("listener/port");
const QString SecretKey = QStringLiteral("listener/secret");
const QString RequireSecretKey = QStringLiteral("listener/requireSecret");
const QString StatusKey = QStringLiteral("answer/status");
const QString BodyKey = QStringLiteral("answer/body");
const QString DelayKey = QStringLiteral("answer/delayMs");
const QString RulesKey = QStringLiteral("answer/rules");
const QString MaxBodyKey = QStringLiteral("listener/maxBody");
const QString ForwardKey = QStringLiteral("delivery/forwardTarget");
const QString ReplayKey = QStringLiteral("delivery/replayTarget");
const QString RecentReplayKey = QStringLiteral("delivery/recentReplayTargets");
const QString FreshIdKey = QStringLiteral("delivery/freshDeliveryId");
const QString TrustedGroup = QStringLiteral("trustedCertificates");
const QString TunnelCommandKey = QStringLiteral("public/tunnelCommand");
const QString TunnelPatternKey = QStringLiteral("public/tunnelUrlPattern");
const QString SmeeChannelKey = QStringLiteral("public/smeeChannel");
const QString KeepHooksKey = QStringLiteral("retention/keepHooks");
const QString KeepDaysKey = QStringLiteral("retention/keepDays");
const QString ThemeKey = QStringLiteral("appearance/theme");
const QString NotifyKey = QStringLiteral("appearance/notify");
const QString GeometryKey = QStringLiteral("window/geometry");
const QString StateKey = QStringLiteral("window/state");
const QString SplitterKey = QStringLiteral("window/splitter");
const QString ColumnsKey = QStringLiteral("window/columns");
const QString BodyModeKey = QStringLiteral("window/bodyMode");
const QString ComposerProviderKey = QStringLiteral("composer/provider");
const QString ComposerEventKey = QStringLiteral("composer/event");
const QString ComposerActionKey = QStringLiteral("composer/action");
const QString ComposerTargetKey = QStringLiteral("composer/target");
const QString ComposerSecretKey = QStringLiteral("composer/secret");
const QString ComposerSplitterKey = QStringLiteral("composer/splitter");

} // namespace

Settings::Settings()
    : m_settings(QStringLiteral("hookscope"), QStringLiteral("hookscope"))
{
}

QString Settings::bindAddress() const
{
    return m_settings.value(BindKey, QStringLiteral("127.0.0.1")).toString();
}

void Settings::setBindAddress(const QString &address)
{
    m_settings.setValue(BindKey, address);
}

quint16 Settings::port() const
{
    bool ok = false;
    const int port = m_settings.value(PortKey, DefaultPort).toInt(&ok);
    return ok && port >= 0 && port <= 65535 ? quint16(port) : DefaultPort;
}

void Settings::setPort(quint16 port)
{
    m_settings.setValue(PortKey, int(port));
}

QByteArray Settings::secret() const
{
    return m_settings.value(SecretKey).toString().toUtf8();
}

void Settings::setSecret(const QByteArray &secret)
{
    m_settings.setValue(SecretKey, QString::fromUtf8(secret));
}

bool Settings::requireSecret() const
{
    return m_settings.value(RequireSecretKey, false).toBool();
}

void Settings::setRequireSecret(bool require)
{
    m_settings.setValue(RequireSecretKey, require);
}

int Settings::answerStatus() const
{
    const int status = m_settings.value(StatusKey, 200).toInt();
    return status >= 200 && status <= 599 ? status : 200;
}

void Settings::setAnswerStatus(int status)
{
    m_settings.setValue(StatusKey, status);
}

QByteArray Settings::answerBody() const
{
    return m_settings.value(BodyKey).toString().toUtf8();
}

void Settings::setAnswerBody(const QByteArray &body)
{
    m_settings.setValue(BodyKey, QString::fromUtf8(body));
}

int Settings::answerDelayMs() const
{
    return qBound(0, m_settings.value(DelayKey, 0).toInt(), 600'000);
}

void Settings::setAnswerDelayMs(int ms)
{
    m_settings.setValue(DelayKey, ms);
}

qint64 Settings::maxBody() const
{
    const qint64 bytes = m_settings.value(MaxBodyKey, http::Limits().maxBody).toLongLong();
    return bytes > 0 ? bytes : http::Limits().maxBody;
}

void Settings::setMaxBody(qint64 bytes)
{
    m_settings.setValue(MaxBodyKey, bytes);
}

AnswerRules Settings::answerRules() const
{
    const QByteArray json = m_settings.value(RulesKey).toString().toUtf8();
    QString error;
    return json.isEmpty() ? AnswerRules() : AnswerRules::parse(json, &error).value_or(AnswerRules());
}

void Settings::setAnswerRules(const AnswerRules &rules)
{
    if (rules.isEmpty())
        m_settings.remove(RulesKey);
    else
        m_settings.setValue(RulesKey, QString::fromUtf8(rules.toJson()));
}

ListenerConfig Settings::listenerConfig() const
{
    ListenerConfig config;
    QHostAddress bind;
    if (bind.setAddress(bindAddress()))
        config.bind = bind;
    config.port = port();
    config.secret = secret();
    config.requireSecret = requireSecret() && !config.secret.isEmpty();
    config.status = answerStatus();
    config.body = answerBody();
    config.delayMs = answerDelayMs();
    config.rules = answerRules();
    config.limits.maxBody = maxBody();
    return config;
}

QString Settings::forwardTarget() const
{
    return m_settings.value(ForwardKey).toString();
}

void Settings::setForwardTarget(const QString &url)
{
    m_settings.setValue(ForwardKey, url);
}

QString Settings::tunnelCommand() const
{
    return m_settings.value(TunnelCommandKey, QStringLiteral("ssh")).toString();
}

QString Settings::tunnelUrlPattern() const
{
    return m_settings.value(TunnelPatternKey).toString();
}

void Settings::setTunnel(const QString &command, const QString &urlPattern)
{
    m_settings.setValue(TunnelCommandKey, command);
    m_settings.setValue(TunnelPatternKey, urlPattern);
}

QString Settings::smeeChannel() const
{
    return m_settings.value(SmeeChannelKey).toString();
}

void Settings::setSmeeChannel(const QString &url)
{
    m_settings.setValue(SmeeChannelKey, url);
}

QString Settings::replayTarget() const
{
    return m_settings.value(ReplayKey).toString();
}

void Settings::setReplayTarget(const QString &url)
{
    m_settings.setValue(ReplayKey, url);
    if (url.isEmpty())
        return;
    QStringList recent = m_settings.value(RecentReplayKey).toStringList();
    recent.removeAll(url);
    recent.prepend(url);
    m_settings.setValue(RecentReplayKey, recent.mid(0, MaxRecentReplayTargets));
}

QStringList Settings::recentReplayTargets() const
{
    QStringList recent = m_settings.value(RecentReplayKey).toStringList();
    // A target set before the list was kept, or by hand in the file, comes first.
    const QString last = replayTarget();
    if (!last.isEmpty() && recent.value(0) != last) {
        recent.removeAll(last);
        recent.prepend(last);
    }
    return recent.mid(0, MaxRecentReplayTargets);
}

bool Settings::freshDeliveryId() const
{
    return m_settings.value(FreshIdKey, false).toBool();
}

void Settings::setFreshDeliveryId(bool fresh)
{
    m_settings.setValue(FreshIdKey, fresh);
}

QHash<QString, QByteArray> Settings::trustedCertificates() const
{
    QHash<QString, QByteArray> result;
    const QString prefix = TrustedGroup + u'/';
    for (const QString &key : m_settings.allKeys()) {
        if (key.startsWith(prefix))
            result.insert(key.mid(prefix.size()), m_settings.value(key).toByteArray());
    }
    return result;
}

void Settings::setTrustedCertificate(const QString &hostAndPort, const QByteArray &pem)
{
    const QString key = TrustedGroup + u'/' + hostAndPort;
    if (pem.isEmpty())
        m_settings.remove(key);
    else
        m_settings.setValue(key, pem);
}

int Settings::keepHooks() const
{
    return qMax(0, m_settings.value(KeepHooksKey, 0).toInt());
}

void Settings::setKeepHooks(int count)
{
    m_settings.setValue(KeepHooksKey, count);
}

int Settings::keepDays() const
{
    return qMax(0, m_settings.value(KeepDaysKey, 0).toInt());
}

void Settings::setKeepDays(int days)
{
    m_settings.setValue(KeepDaysKey, days);
}

Theme Settings::theme() const
{
    Theme theme = Theme::System;
    themeFromName(m_settings.value(ThemeKey).toString(), &theme);
    return theme;
}

void Settings::setTheme(Theme theme)
{
    m_settings.setValue(ThemeKey, themeName(theme));
}

bool Settings::notify() const
{
    return m_settings.value(NotifyKey, false).toBool();
}

void Settings::setNotify(bool notify)
{
    m_settings.setValue(NotifyKey, notify);
}

QByteArray Settings::windowGeometry() const
{
    return m_settings.value(GeometryKey).toByteArray();
}

void Settings::setWindowGeometry(const QByteArray &state)
{
    m_settings.setValue(GeometryKey, state);
}

QByteArray Settings::windowState() const
{
    return m_settings.value(StateKey).toByteArray();
}

void Settings::setWindowState(const QByteArray &state)
{
    m_settings.setValue(StateKey, state);
}

QByteArray Settings::splitterState() const
{
    return m_settings.value(SplitterKey).toByteArray();
}

void Settings::setSplitterState(const QByteArray &state)
{
    m_settings.setValue(SplitterKey, state);
}

QByteArray Settings::columnState() const
{
    return m_settings.value(ColumnsKey).toByteArray();
}

void Settings::setColumnState(const QByteArray &state)
{
    m_settings.setValue(ColumnsKey, state);
}

int Settings::bodyMode() const
{
    return m_settings.value(BodyModeKey, -1).toInt();
}

void Settings::setBodyMode(int mode)
{
    m_settings.setValue(BodyModeKey, mode);
}

QString Settings::composerProvider() const
{
    return m_settings.value(ComposerProviderKey, QStringLiteral("codewars")).toString();
}

QString Settings::composerEvent() const
{
    return m_settings.value(ComposerEventKey).toString();
}

QString Settings::composerAction() const
{
    return m_settings.value(ComposerActionKey).toString();
}

void Settings::setComposerSelection(const QString &provider, const QString &event, const QString &action)
{
    m_settings.setValue(ComposerProviderKey, provider);
    m_settings.setValue(ComposerEventKey, event);
    m_settings.setValue(ComposerActionKey, action);
}

QString Settings::composerTarget() const
{
    return m_settings.value(ComposerTargetKey).toString();
}

void Settings::setComposerTarget(const QString &url)
{
    m_settings.setValue(ComposerTargetKey, url);
}

QByteArray Settings::composerSecret() const
{
    return m_settings.value(ComposerSecretKey).toString().toUtf8();
}

void Settings::setComposerSecret(const QByteArray &secret)
{
    m_settings.setValue(ComposerSecretKey, QString::fromUtf8(secret));
}

QByteArray Settings::composerSplitterState() const
{
    return m_settings.value(ComposerSplitterKey).toByteArray();
}

void Settings::setComposerSplitterState(const QByteArray &state)
{
    m_settings.setValue(ComposerSplitterKey, state);
}

QString themeName(Theme theme)
{
    switch (theme) {
    case Theme::System: return QStringLiteral("system");
    case Theme::Light: return QStringLiteral("light");
    case Theme::Dark: return QStringLiteral("dark");
    }
    return QStringLiteral("system");
}

bool themeFromName(QStringView name, Theme *theme)
{
    for (Theme t : {Theme::System, Theme::Light, Theme::Dark}) {
        if (name.compare(themeName(t), Qt::CaseInsensitive) == 0) {
            *theme = t;
            return true;
        }
    }
    return false;
}

} // namespace workspace
