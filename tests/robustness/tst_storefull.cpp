#include "robustnesshelpers.h"
#include "testhelpers.h"

#include "capture/bodylog.h"
#include "capture/hookstore.h"
#include "capture/listener.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#include <sched.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstring>

using testhelpers::postRequest;
using testhelpers::readAnswer;

// A store that cannot take more (a full disk, or SQLite's page cap standing in for
// one): hooks are answered 503, not 2xx, the failure is reported, nothing answered
// 2xx is lost, and hooks are stored again once there is room.
class tst_StoreFull : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void shouldAnswer503WhileTheStoreIsFullAndRecover();
    void shouldAnswer503WhenTheDiskIsFullAndRecover();

private:
    struct Sent
    {
        int status = 0;
        qint64 id = 0;
        QByteArray body;
    };
    Sent send(const QByteArray &body);
    void verifyStored(const QString &path, const QList<Sent> &answered, int refused);
    qsizetype storedCount() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Listener> m_listener;
    std::unique_ptr<QSignalSpy> m_stored;
    QString m_mountPoint;
};

void tst_StoreFull::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_listener = std::make_unique<Listener>(catalog::Catalog::builtin());
    m_stored = std::make_unique<QSignalSpy>(m_listener.get(), &Listener::hooksStored);
}

void tst_StoreFull::cleanup()
{
    m_stored.reset();
    m_listener.reset();
    if (!m_mountPoint.isEmpty()) {
        ::umount2(QFile::encodeName(m_mountPoint).constData(), MNT_DETACH);
        m_mountPoint.clear();
    }
    m_dir.reset();
}

// One hook on a connection of its own (a 503 closes the connection).
tst_StoreFull::Sent tst_StoreFull::send(const QByteArray &body)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_listener->port());
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(postRequest("/full", body, "X-Webhook-Event: code_challenge\r\nContent-Type: text/plain\r\n"));
    QByteArray pending;
    const testhelpers::Answer answer = readAnswer(socket, pending, 10000);
    return {answer.status, answer.status == 200 ? testhelpers::answerId(answer.body) : 0,
            answer.status == 200 ? body : answer.body};
}

// Hooks in SQLite so far (they go in a moment after their answers).
qsizetype tst_StoreFull::storedCount() const
{
    qsizetype count = 0;
    for (const QList<QVariant> &batch : std::as_const(*m_stored))
        count += batch.at(0).value<QList<Hook>>().size();
    return count;
}

// Exactly the hooks answered 200 are in the store, with their bodies; those
// answered 503 are on record as refused requests, taken in once the store took
// writes again.
void tst_StoreFull::verifyStored(const QString &path, const QList<Sent> &answered, int refused)
{
    HookStore store;
    QVERIFY2(store.open(path, HookStore::Mode::ReadOnly), qPrintable(store.errorString()));
    QString report;
    QVERIFY2(store.integrityCheck(&report), qPrintable(report));
    QCOMPARE(store.count(), answered.size() + refused);
    HookQuery onRecord;
    onRecord.refused = true;
    const QList<Hook> records = store.hooks(onRecord);
    QCOMPARE(records.size(), refused);
    for (const Hook &record : records) {
        QCOMPARE(record.answer.status, 503);
        QVERIFY2(record.refusal.contains(QStringLiteral("could not be stored")), qPrintable(record.refusal));
        QCOMPARE(record.target, QByteArray("/full"));
        QVERIFY(record.body.startsWith("POST /full HTTP/1.1\r\n"));
        QVERIFY(record.body.size() <= 64 * 1024);
    }
    for (const Sent &sent : answered) {
        const std::optional<Hook> hook = store.hook(sent.id);
        QVERIFY2(hook.has_value(), qPrintable(QStringLiteral("hook %1 was answered 200 but is not stored").arg(sent.id)));
        QVERIFY(hook->body == sent.body);
    }
}

void tst_StoreFull::shouldAnswer503WhileTheStoreIsFullAndRecover()
{
    const QString path = m_dir->filePath(QStringLiteral("hooks.sqlite"));
    QVERIFY(m_listener->start({}, path));
    QSignalSpy failed(m_listener.get(), &Listener::storeFailed);
    QList<Sent> answered;
    for (int i = 0; i < 10; ++i) {
        const Sent sent = send("before " + QByteArray::number(i) + QByteArray(1000, '.'));
        QCOMPARE(sent.status, 200);
        answered.append(sent);
    }

    // The cap cannot go below the pages in use: SQLite is full from here on. The
    // intake still takes the next hook, which is answered 200 and kept there;
    // SQLite's refusal to take it in is reported, and hooks are refused after it.
    QSignalSpy stalled(m_listener.get(), &Listener::storeStalled);
    // Capped once SQLite holds all ten.
    QTRY_COMPARE(storedCount(), 10);
    const qint64 cap = m_listener->setStoreMaxPageCount(1);
    QVERIFY(cap > 1);
    // (A body kept in its row, which needs new pages; larger ones go to the body log.)
    const Sent kept = send("kept " + QByteArray(BodyLog::Threshold - 10, '.'));
    QCOMPARE(kept.status, 200);
    answered.append(kept);
    QTRY_COMPARE(stalled.size(), 1);
    const QString error = stalled.constFirst().at(0).toString();
    QVERIFY2(error.contains(QStringLiteral("full")), qPrintable(error));
    QCOMPARE(stalled.constFirst().at(1).toInt(), 1);
    qInfo("reported: %s", qPrintable(error));
    for (int i = 0; i < 10; ++i) {
        const Sent refused = send("while full " + QByteArray::number(i) + QByteArray(8192, '.'));
        QCOMPARE(refused.status, 503);
        QVERIFY2(refused.body.contains("could not be stored"), refused.body.constData());
        QVERIFY2(refused.body.contains("full"), refused.body.constData());
    }
    QTRY_COMPARE(failed.size(), 10);
    QCOMPARE(failed.constFirst().at(1).toInt(), 1);
    QCOMPARE(stalled.size(), 1);   // said once, not at every retry

    // Room again: the kept hook goes in, and new ones are taken.
    QVERIFY(m_listener->setStoreMaxPageCount(1'000'000) == 1'000'000);
    for (int i = 0; i < 10; ++i) {
        const Sent sent = send("after " + QByteArray::number(i) + QByteArray(8192, '.'));
        QCOMPARE(sent.status, 200);
        answered.append(sent);
    }
    m_listener->stop();
    verifyStored(path, answered, 10);
}

// The real thing, on a small tmpfs: needs CAP_SYS_ADMIN (root in most containers), and
// mounts in a mount namespace of this process's own, so nothing outside sees it.
void tst_StoreFull::shouldAnswer503WhenTheDiskIsFullAndRecover()
{
    if (::unshare(CLONE_NEWNS) != 0)
        QSKIP(qPrintable(QStringLiteral("no private mount namespace: %1").arg(QString::fromLocal8Bit(std::strerror(errno)))));
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        QSKIP(qPrintable(QStringLiteral("cannot make mounts private: %1").arg(QString::fromLocal8Bit(std::strerror(errno)))));
    const QString disk = m_dir->filePath(QStringLiteral("disk"));
    QVERIFY(QDir().mkpath(disk));
    if (::mount("tmpfs", QFile::encodeName(disk).constData(), "tmpfs", MS_NOSUID | MS_NODEV, "size=4m") != 0)
        QSKIP(qPrintable(QStringLiteral("cannot mount a tmpfs: %1").arg(QString::fromLocal8Bit(std::strerror(errno)))));
    m_mountPoint = disk;

    const QString path = disk + QStringLiteral("/hooks.sqlite");
    QVERIFY(m_listener->start({}, path));
    QSignalSpy failed(m_listener.get(), &Listener::storeFailed);
    QList<Sent> answered;
    for (int i = 0; i < 5; ++i) {
        const Sent sent = send("before " + QByteArray::number(i));
        QCOMPARE(sent.status, 200);
        answered.append(sent);
    }

    // Filled once SQLite holds all five: what is refused from here on is the intake's write.
    QTRY_COMPARE(storedCount(), 5);
    // Fill every byte left. A hook needs more than the WAL already holds, so none fits.
    QFile filler(disk + QStringLiteral("/filler"));
    QVERIFY(filler.open(QIODevice::WriteOnly | QIODevice::Unbuffered));
    const QByteArray block(64 * 1024, 'f');
    while (filler.write(block) == block.size()) {
    }
    filler.close();
    qInfo("disk filled with %lld KiB", filler.size() / 1024);

    const QByteArray big(256 * 1024, 'b');
    for (int i = 0; i < 5; ++i) {
        const Sent refused = send(QByteArray::number(i) + big);
        QCOMPARE(refused.status, 503);
        QVERIFY2(refused.body.contains("could not be stored"), refused.body.constData());
    }
    QTRY_VERIFY(!failed.isEmpty());
    qInfo("reported: %s", qPrintable(failed.constFirst().at(0).toString()));

    QVERIFY(filler.remove());
    for (int i = 0; i < 5; ++i) {
        const Sent sent = send(QByteArray::number(i) + big);
        QCOMPARE(sent.status, 200);
        answered.append(sent);
    }
    m_listener->stop();
    verifyStored(path, answered, 5);
}

QTEST_GUILESS_MAIN(tst_StoreFull)
#include "tst_storefull.moc"
