#include "guitesthelpers.h"

#include "workspace/settings.h"

#include <QTest>

class tst_Settings : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void shouldUseTheHookscopeFileInTestMode();
    void shouldGiveDefaults();
    void shouldRoundTripEveryValue();
    void shouldBuildListenerConfig();
    void shouldRememberRecentReplayTargets();
    void shouldIgnoreGarbage();
    void shouldNameThemes_data();
    void shouldNameThemes();
};

void tst_Settings::initTestCase()
{
    guitest::isolateSettings();
}

void tst_Settings::init()
{
    guitest::resetSettings();
}

void tst_Settings::shouldUseTheHookscopeFileInTestMode()
{
    const ui::Settings settings;
    QVERIFY(settings.fileName().endsWith(QLatin1String("/hookscope/hookscope.conf")));
    QVERIFY(settings.fileName().contains(QLatin1String("qttest")));
}

void tst_Settings::shouldGiveDefaults()
{
    const ui::Settings settings;
    QCOMPARE(settings.bindAddress(), QStringLiteral("127.0.0.1"));
    QCOMPARE(settings.port(), quint16(8790));
    QCOMPARE(settings.answerStatus(), 200);
    QCOMPARE(settings.maxBody(), qint64(32) * 1024 * 1024);
    QCOMPARE(settings.replayTarget(), QString());
    QCOMPARE(settings.forwardTarget(), QString());
    QCOMPARE(settings.keepHooks(), 0);
    QCOMPARE(settings.keepDays(), 0);
    QCOMPARE(settings.theme(), workspace::Theme::System);
    QVERIFY(!settings.notify());
    QCOMPARE(settings.composerProvider(), QStringLiteral("codewars"));
}

void tst_Settings::shouldRoundTripEveryValue()
{
    {
        ui::Settings settings;
        settings.setBindAddress(QStringLiteral("::1"));
        settings.setPort(9999);
        settings.setSecret("s\xc3\xa9" "cret");
        settings.setRequireSecret(true);
        settings.setAnswerStatus(204);
        settings.setAnswerBody("{\"ok\":true}");
        settings.setAnswerDelayMs(250);
        settings.setMaxBody(1024);
        settings.setForwardTarget(QStringLiteral("http://localhost:3000/f"));
        settings.setReplayTarget(QStringLiteral("http://localhost:3000/r"));
        settings.setKeepHooks(10);
        settings.setKeepDays(7);
        settings.setTheme(workspace::Theme::Dark);
        settings.setNotify(true);
        settings.setComposerSelection(QStringLiteral("github"), QStringLiteral("issues"), QStringLiteral("closed"));
        settings.setColumnState("columns");
        settings.sync();
    }
    const ui::Settings settings;
    QCOMPARE(settings.bindAddress(), QStringLiteral("::1"));
    QCOMPARE(settings.port(), quint16(9999));
    QCOMPARE(settings.secret(), QByteArray("s\xc3\xa9" "cret"));
    QVERIFY(settings.requireSecret());
    QCOMPARE(settings.answerStatus(), 204);
    QCOMPARE(settings.answerBody(), QByteArray("{\"ok\":true}"));
    QCOMPARE(settings.answerDelayMs(), 250);
    QCOMPARE(settings.maxBody(), qint64(1024));
    QCOMPARE(settings.forwardTarget(), QStringLiteral("http://localhost:3000/f"));
    QCOMPARE(settings.replayTarget(), QStringLiteral("http://localhost:3000/r"));
    QCOMPARE(settings.keepHooks(), 10);
    QCOMPARE(settings.keepDays(), 7);
    QCOMPARE(settings.theme(), workspace::Theme::Dark);
    QVERIFY(settings.notify());
    QCOMPARE(settings.composerEvent(), QStringLiteral("issues"));
    QCOMPARE(settings.columnState(), QByteArray("columns"));
}

void tst_Settings::shouldRememberRecentReplayTargets()
{
    {
        ui::Settings settings;
        QVERIFY(settings.recentReplayTargets().isEmpty());
        QVERIFY(!settings.freshDeliveryId());
        for (int i = 0; i < ui::Settings::MaxRecentReplayTargets + 2; ++i)
            settings.setReplayTarget(QStringLiteral("http://localhost:%1/").arg(3000 + i));
        settings.setReplayTarget(QStringLiteral("http://localhost:3005/"));   // used again: first, not twice
        settings.setFreshDeliveryId(true);
        settings.sync();
    }
    const ui::Settings settings;
    const QStringList recent = settings.recentReplayTargets();
    QCOMPARE(recent.size(), ui::Settings::MaxRecentReplayTargets);
    QCOMPARE(recent.at(0), QStringLiteral("http://localhost:3005/"));
    QCOMPARE(recent.at(1), QStringLiteral("http://localhost:3011/"));
    QCOMPARE(recent.count(QStringLiteral("http://localhost:3005/")), 1);
    QVERIFY(!recent.contains(QStringLiteral("http://localhost:3000/")));   // the oldest went
    QCOMPARE(settings.replayTarget(), QStringLiteral("http://localhost:3005/"));
    QVERIFY(settings.freshDeliveryId());
}

void tst_Settings::shouldBuildListenerConfig()
{
    ui::Settings settings;
    settings.setBindAddress(QStringLiteral("0.0.0.0"));
    settings.setPort(8123);
    settings.setSecret("abc");
    settings.setRequireSecret(true);
    settings.setAnswerStatus(202);
    settings.setAnswerDelayMs(10);
    settings.setMaxBody(2048);
    const ListenerConfig config = settings.listenerConfig();
    QCOMPARE(config.bind, QHostAddress(QHostAddress::AnyIPv4));
    QCOMPARE(config.port, quint16(8123));
    QCOMPARE(config.secret, QByteArray("abc"));
    QVERIFY(config.requireSecret);
    QCOMPARE(config.status, 202);
    QCOMPARE(config.delayMs, 10);
    QCOMPARE(config.limits.maxBody, qint64(2048));

    // Requiring a secret without one would refuse every hook.
    settings.setSecret({});
    QVERIFY(!settings.listenerConfig().requireSecret);
}

void tst_Settings::shouldIgnoreGarbage()
{
    QSettings raw(QStringLiteral("hookscope"), QStringLiteral("hookscope"));
    raw.setValue(QStringLiteral("listener/port"), QStringLiteral("lots"));
    raw.setValue(QStringLiteral("answer/status"), 99);
    raw.setValue(QStringLiteral("appearance/theme"), QStringLiteral("purple"));
    raw.setValue(QStringLiteral("listener/bind"), QStringLiteral("not an address"));
    raw.sync();
    const ui::Settings settings;
    QCOMPARE(settings.port(), quint16(8790));
    QCOMPARE(settings.answerStatus(), 200);
    QCOMPARE(settings.theme(), workspace::Theme::System);
    QCOMPARE(settings.listenerConfig().bind, QHostAddress(QHostAddress::LocalHost));
}

void tst_Settings::shouldNameThemes_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("theme");
    QTest::newRow("system") << QStringLiteral("system") << int(workspace::Theme::System);
    QTest::newRow("light") << QStringLiteral("light") << int(workspace::Theme::Light);
    QTest::newRow("dark in capitals") << QStringLiteral("DARK") << int(workspace::Theme::Dark);
}

void tst_Settings::shouldNameThemes()
{
    QFETCH(QString, name);
    QFETCH(int, theme);
    workspace::Theme parsed = workspace::Theme::System;
    QVERIFY(workspace::themeFromName(name, &parsed));
    QCOMPARE(int(parsed), theme);
    QCOMPARE(workspace::themeName(parsed), name.toLower());
}

QTEST_MAIN(tst_Settings)
#include "tst_settings.moc"
