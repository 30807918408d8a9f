#pragma once

// Shared pieces of the desktop app's widget tests: isolated settings, a window on
// a free port with its own store, raw POSTs to it, and a receiving server.

#include "testhelpers.h"

#include "ui/mainwindow.h"
#include "workspace/workspace.h"
#include "workspace/settings.h"

#include "capture/hookcolumns.h"
#include "capture/hookstore.h"
#include "capture/hooktablemodel.h"

#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace guitest {

// Call first in initTestCase: QSettings caches its folder on first use. Also
// makes every SQL statement run on this (the GUI) thread count as a failure:
// see noQueriesOnTheGuiThread().
inline void isolateSettings()
{
    HookStore::forbidQueriesOn(QThread::currentThread());
    QStandardPaths::setTestModeEnabled(true);
    ui::Settings settings;
    settings.clear();
    settings.sync();
}

inline void resetSettings()
{
    ui::Settings settings;
    settings.clear();
    settings.sync();
}

// Whether the GUI thread ran no SQL so far (see isolateSettings()).
inline bool noQueriesOnTheGuiThread()
{
    return HookStore::forbiddenQueries() == 0;
}

// Runs job on a thread of its own and waits: for a test's own store work, which
// must stay off the GUI thread as the window's does.
template<typename Job>
void offGuiThread(Job job)
{
    std::unique_ptr<QThread> thread(QThread::create(std::move(job)));
    thread->start();
    thread->wait();
}

// Hooks written into a store before a window opens it.
inline bool fillStore(const QString &path, QList<Hook> hooks)
{
    bool ok = false;
    offGuiThread([&] {
        HookStore store;
        ok = store.open(path) && store.insertHooks(&hooks);
    });
    return ok;
}

// A window listening on a free loopback port (unless told otherwise), with the
// store in dir, over a workspace of its own (a child of the window).
inline std::unique_ptr<ui::MainWindow> makeWindow(ui::Settings &settings, const QString &storePath,
                                                  std::optional<quint16> port = quint16(0))
{
    ui::StartOptions options;
    options.storePath = storePath;
    options.bind = QHostAddress(QHostAddress::LocalHost);
    options.port = port;
    auto *workspace = new workspace::Workspace(catalog::Catalog::builtin());
    auto window = std::make_unique<ui::MainWindow>(settings, *workspace, options);
    workspace->setParent(window.get());
    window->show();
    return window;
}

// Reads through the window's workspace (its reader thread), waiting here.
inline qint64 storedCount(ui::MainWindow &window)
{
    return workspace::await(window.workspace().read<workspace::Fetched<qint64>>([](HookStore &store) {
        workspace::Fetched<qint64> count;
        count.value = store.count();
        return count;
    })).value;
}

inline std::optional<Hook> storedHook(ui::MainWindow &window, qint64 id)
{
    return workspace::await(window.workspace().hook(id)).value;
}

inline QList<Delivery> storedDeliveries(ui::MainWindow &window, qint64 id)
{
    return workspace::await(window.workspace().deliveries(id)).value;
}

// Sends one request on a fresh connection; returns the answer's status (0: none).
inline int post(const QUrl &listener, const QByteArray &target, const QByteArray &body, const QByteArray &headers = {})
{
    QTcpSocket socket;
    socket.connectToHost(listener.host(), quint16(listener.port()));
    if (!socket.waitForConnected(5000))
        return 0;
    socket.write(testhelpers::postRequest(target, body, headers));
    QByteArray pending;
    return testhelpers::readAnswer(socket, pending).status;
}

inline int postEvent(const QUrl &listener, const QByteArray &event, const QByteArray &body, const QByteArray &target = "/hooks",
                     const QByteArray &extraHeaders = {})
{
    return post(listener, target, body,
                "User-Agent: Codewars Hookbot\r\nContent-Type: application/json\r\nX-Webhook-Event: " + event + "\r\n" + extraHeaders);
}

// A plain HTTP/1.1 server that records each request and answers 200 "ok".
class Receiver : public QTcpServer
{
public:
    struct Request
    {
        QByteArray head;
        QByteArray body;
    };

    explicit Receiver(QObject *parent = nullptr) : QTcpServer(parent)
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    bool start() { return listen(QHostAddress::LocalHost, 0); }
    QUrl url(const QString &path = QStringLiteral("/")) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(serverPort()).arg(path));
    }

    QList<Request> requests;

private:
    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        for (;;) {
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QByteArray head = buffer.left(end);
            qsizetype length = 0;
            for (const QByteArray &line : head.split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (buffer.size() < end + 4 + length)
                return;
            requests.append({head, buffer.mid(end + 4, length)});
            buffer.remove(0, end + 4 + length);
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
        }
    }

    QHash<QTcpSocket *, QByteArray> m_buffers;
};

// The row of the newest hook in the model (rows are in id order).
inline int lastRow(const HookTableModel *model)
{
    return model->rowCount() - 1;
}

} // namespace guitest
