#include "clitesthelpers.h"
#include "testhelpers.h"

#include "capture/hookstore.h"

#include <QMutex>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

#include <atomic>
#include <vector>
#include <csignal>

// hookscope listen under load from several clients is killed with SIGKILL at
// random moments; every hook answered 2xx before the kill must be in the store.
class tst_CrashDurability : public QObject
{
    Q_OBJECT

private slots:
    void shouldKeepEveryAnsweredHookAcrossKills();
    void shouldKeepEveryAnsweredBodyExactlyAcrossKills();
};

namespace {

// The body a client sends as its n-th hook: its bytes tell which one it is.
QByteArray bigBody(int client, int n)
{
    const qsizetype size = n % 4 == 3 ? 5'000'000 : 64 * 1024;
    std::vector<quint32> words(size_t(size + 3) / 4);
    QRandomGenerator(quint32(client * 100'000 + n)).fillRange(words.data(), qsizetype(words.size()));
    return QByteArray(reinterpret_cast<const char *>(words.data()), size);
}

// Rounds of `hookscope listen` on one store, each killed with SIGKILL after a
// random 50 ms + [0, spreadMs) while `clients` threads send hooks: a client sends
// its n-th hook with body(client, n) and records the id of every 2xx answer.
// False (with the test failed) when a listener did not start.
using BodyOf = QByteArray (*)(int client, int n);
bool killRounds(const QString &db, int rounds, int clients, int spreadMs, BodyOf body, QHash<qint64, QPair<int, int>> *answered)
{
    QMutex answeredMutex;
    for (int round = 0; round < rounds; ++round) {
        QProcess listener;
        const QUrl url = clitest::startListener(listener, {QStringLiteral("--db"), db});
        if (url.isEmpty()) {
            QTest::qFail(listener.readAllStandardError().constData(), __FILE__, __LINE__);
            return false;
        }
        std::atomic<bool> stop{false};
        QList<QThread *> threads;
        for (int c = 0; c < clients; ++c) {
            threads.append(QThread::create([&, c] {
                QTcpSocket socket;
                socket.connectToHost(QHostAddress::LocalHost, quint16(url.port()));
                if (!socket.waitForConnected(2000))
                    return;
                QByteArray pending;
                for (int n = round * 100'000; !stop; ++n) {
                    socket.write(testhelpers::postRequest("/durable", body(c, n), "X-Webhook-Event: code_challenge\r\n"));
                    const testhelpers::Answer answer = testhelpers::readAnswer(socket, pending, 5000);
                    if (answer.status != 200)
                        return;   // killed
                    QMutexLocker lock(&answeredMutex);
                    answered->insert(testhelpers::answerId(answer.body), {c, n});
                }
            }));
            threads.last()->start();
        }
        QThread::msleep(50 + QRandomGenerator::global()->bounded(spreadMs));
        ::kill(pid_t(listener.processId()), SIGKILL);
        listener.waitForFinished(5000);
        stop = true;
        for (QThread *thread : std::as_const(threads)) {
            thread->wait();
            delete thread;
        }
    }
    return true;
}

QByteArray smallBody(int client, int n)
{
    return "{\"action\":\"voted\",\"client\":" + QByteArray::number(client) + ",\"n\":" + QByteArray::number(n) + "}";
}

} // namespace

void tst_CrashDurability::shouldKeepEveryAnsweredHookAcrossKills()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("hooks.sqlite"));
    constexpr int Rounds = 20;
    QHash<qint64, QPair<int, int>> answered;
    QVERIFY(killRounds(db, Rounds, 4, 250, smallBody, &answered));
    QVERIFY2(answered.size() > Rounds * 10, "the clients hardly got answers: the load did not happen");

    HookStore store;
    QVERIFY2(store.open(db), qPrintable(store.errorString()));
    QString report;
    QVERIFY2(store.integrityCheck(&report), qPrintable(report));
    QSet<qint64> stored;
    store.forEachRow({}, [&](const HookRow &row) {
        stored.insert(row.id);
        return true;
    });
    const QSet<qint64> lost = QSet<qint64>(answered.keyBegin(), answered.keyEnd()) - stored;
    QVERIFY2(lost.isEmpty(), qPrintable(QStringLiteral("%1 of %2 answered hooks are not in the store").arg(lost.size()).arg(answered.size())));
    qInfo("%lld hooks answered across %d kills, all stored", qint64(answered.size()), Rounds);
}

void tst_CrashDurability::shouldKeepEveryAnsweredBodyExactlyAcrossKills()
{
    // 64 KiB and 5 MB bodies (in the body log, see bodylog.h), each from a seed:
    // every hook answered 2xx is in the store afterwards with its exact bytes.
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("hooks.sqlite"));
    constexpr int Rounds = 6;
    QHash<qint64, QPair<int, int>> answered;
    QVERIFY(killRounds(db, Rounds, 3, 400, bigBody, &answered));
    QVERIFY2(answered.size() > Rounds * 3, "the clients hardly got answers: the load did not happen");

    HookStore store;
    QVERIFY2(store.open(db), qPrintable(store.errorString()));
    QString report;
    QVERIFY2(store.integrityCheck(&report), qPrintable(report));
    int big = 0;
    for (auto it = answered.cbegin(); it != answered.cend(); ++it) {
        const std::optional<Hook> hook = store.hook(it.key());
        QVERIFY2(hook, qPrintable(store.errorString()));
        const QByteArray expected = bigBody(it.value().first, it.value().second);
        QVERIFY2(hook->body == expected, qPrintable(QStringLiteral("hook %1: %2 bytes stored, %3 sent")
                                                        .arg(it.key()).arg(hook->body.size()).arg(expected.size())));
        big += expected.size() > 64 * 1024 ? 1 : 0;
    }
    qInfo("%lld hooks with 64 KiB or 5 MB bodies answered across %d kills (%d of 5 MB), all stored byte for byte",
          qint64(answered.size()), Rounds, big);
}

QTEST_GUILESS_MAIN(tst_CrashDurability)
#include "tst_crashdurability.moc"
