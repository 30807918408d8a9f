#include "clitesthelpers.h"
#include "testhelpers.h"

#include "capture/hookstore.h"

#include <QMutex>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

#include <atomic>
#include <csignal>

// hookscope listen under load from several clients is killed with SIGKILL at
// random moments; every hook answered 2xx before the kill must be in the store.
class tst_CrashDurability : public QObject
{
    Q_OBJECT

private slots:
    void shouldKeepEveryAnsweredHookAcrossKills();
};

void tst_CrashDurability::shouldKeepEveryAnsweredHookAcrossKills()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("hooks.sqlite"));
    constexpr int Rounds = 20;
    constexpr int Clients = 4;
    QSet<qint64> answered;
    QMutex answeredMutex;
    qint64 totalAnswered = 0;

    for (int round = 0; round < Rounds; ++round) {
        QProcess listener;
        const QUrl url = clitest::startListener(listener, {QStringLiteral("--db"), db});
        QVERIFY2(!url.isEmpty(), listener.readAllStandardError().constData());
        std::atomic<bool> stop{false};
        QList<QThread *> clients;
        for (int c = 0; c < Clients; ++c) {
            clients.append(QThread::create([&, c] {
                QTcpSocket socket;
                socket.connectToHost(QHostAddress::LocalHost, quint16(url.port()));
                if (!socket.waitForConnected(2000))
                    return;
                QByteArray pending;
                for (int i = 0; !stop; ++i) {
                    const QByteArray body = "{\"action\":\"voted\",\"client\":" + QByteArray::number(c) + ",\"n\":" + QByteArray::number(i) + "}";
                    socket.write(testhelpers::postRequest("/durable", body, "X-Webhook-Event: code_challenge\r\n"));
                    const testhelpers::Answer answer = testhelpers::readAnswer(socket, pending, 2000);
                    if (answer.status != 200)
                        return;   // killed
                    QMutexLocker lock(&answeredMutex);
                    answered.insert(testhelpers::answerId(answer.body));
                }
            }));
            clients.last()->start();
        }
        QThread::msleep(50 + QRandomGenerator::global()->bounded(250));
        ::kill(pid_t(listener.processId()), SIGKILL);
        listener.waitForFinished(5000);
        stop = true;
        for (QThread *client : std::as_const(clients)) {
            client->wait();
            delete client;
        }
        totalAnswered = answered.size();
    }
    QVERIFY2(totalAnswered > Rounds * 10, "the clients hardly got answers: the load did not happen");

    HookStore store;
    QVERIFY2(store.open(db), qPrintable(store.errorString()));
    QString report;
    QVERIFY2(store.integrityCheck(&report), qPrintable(report));
    QSet<qint64> stored;
    store.forEachRow({}, [&](const HookRow &row) {
        stored.insert(row.id);
        return true;
    });
    const QSet<qint64> lost = answered - stored;
    QVERIFY2(lost.isEmpty(), qPrintable(QStringLiteral("%1 of %2 answered hooks are not in the store").arg(lost.size()).arg(answered.size())));
    qInfo("%lld hooks answered across %d kills, all stored", totalAnswered, Rounds);
}

QTEST_GUILESS_MAIN(tst_CrashDurability)
#include "tst_crashdurability.moc"
