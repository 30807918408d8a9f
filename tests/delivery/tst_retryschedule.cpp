#include "delivery/retryschedule.h"

#include <QTest>

class tst_RetrySchedule : public QObject
{
    Q_OBJECT

private slots:
    void shouldReadSchedules_data();
    void shouldReadSchedules();
};

void tst_RetrySchedule::shouldReadSchedules_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QList<qint64>>("waits");
    constexpr qint64 s = 1000, m = 60 * s, h = 60 * m;
    QTest::newRow("standard webhooks") << QStringLiteral("standard") << true
                                       << QList<qint64>{0, 5 * s, 5 * m, 30 * m, 2 * h, 5 * h, 10 * h, 10 * h};
    QTest::newRow("github, one attempt") << QStringLiteral("github") << true << QList<qint64>{0};
    QTest::newRow("a list") << QStringLiteral("0,5s,5m,30m") << true << QList<qint64>{0, 5 * s, 5 * m, 30 * m};
    QTest::newRow("spaces and days") << QStringLiteral("0, 2h ,1d") << true << QList<qint64>{0, 2 * h, 24 * h};
    QTest::newRow("no unit") << QStringLiteral("0,5") << false << QList<qint64>();
    QTest::newRow("unknown unit") << QStringLiteral("5y") << false << QList<qint64>();
    QTest::newRow("negative") << QStringLiteral("-5s") << false << QList<qint64>();
    QTest::newRow("empty part") << QStringLiteral("0,,5s") << false << QList<qint64>();
    QTest::newRow("overflowing") << QStringLiteral("9223372036854775807d") << false << QList<qint64>();
    QTest::newRow("too many attempts") << QString(QStringLiteral("1s,").repeated(100) + QStringLiteral("1s")) << false << QList<qint64>();
}

void tst_RetrySchedule::shouldReadSchedules()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QList<qint64>, waits);
    RetrySchedule schedule;
    QString error;
    QCOMPARE(RetrySchedule::parse(text, &schedule, &error), valid);
    if (valid) {
        QCOMPARE(schedule.waitsMs, waits);
        QVERIFY(error.isEmpty());
    } else {
        QVERIFY(!error.isEmpty());
    }
}

QTEST_GUILESS_MAIN(tst_RetrySchedule)
#include "tst_retryschedule.moc"
