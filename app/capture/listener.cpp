#include "listener.h"

#include "server.h"
#include "storewriter.h"

#include <QDeadlineTimer>
#include <QMetaMethod>

Listener::Listener(const catalog::Catalog &catalog, QObject *parent)
    : QObject(parent)
    , m_catalog(catalog)
{
    qRegisterMetaType<Hook>();
    qRegisterMetaType<QList<Hook>>();
    m_ioThread.setObjectName(QStringLiteral("hookscope-io"));
    m_storeThread.setObjectName(QStringLiteral("hookscope-store"));
}

Listener::~Listener()
{
    stop();
}

QUrl Listener::url() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(m_address.toString());
    url.setPort(m_port);
    url.setPath(QStringLiteral("/"));
    return url;
}

bool Listener::start(const ListenerConfig &config, const QString &storePath)
{
    stop();
    m_storeThread.start();
    auto *writer = new StoreWriter(m_catalog);   // owned by this Listener, deleted in stop()
    writer->moveToThread(&m_storeThread);
    bool opened = false;
    // Blocking: SQLite connections belong to the thread that opens them.
    QMetaObject::invokeMethod(writer, [&] { opened = writer->open(storePath); }, Qt::BlockingQueuedConnection);
    if (!opened) {
        m_error = writer->errorString();
        m_startFailure = StartFailure::Store;
        QMetaObject::invokeMethod(writer, [writer] { delete writer; }, Qt::BlockingQueuedConnection);
        m_storeThread.quit();
        m_storeThread.wait();
        return false;
    }
    m_writer = writer;
    m_ownsWriter = true;
    const bool started = start(config, writer);
    if (!started)
        stop();
    return started;
}

bool Listener::start(const ListenerConfig &config, StoreWriter *writer)
{
    if (m_writer != writer)
        stop();
    m_config = config;
    m_storePath = writer->store().path();
    m_error.clear();
    m_startFailure = StartFailure::None;
    if (!writer->ownsIntake()) {
        m_error = writer->intakeError();
        m_startFailure = StartFailure::Store;
        return false;
    }
    m_writer = writer;

    m_ioThread.start();
    m_server = new Server(m_writer, m_catalog);   // owned by this Listener, deleted in stop()
    m_server->moveToThread(&m_ioThread);
    // Consumers of this Listener live on its thread (GUI or CLI main thread): the
    // batch is posted there, unless nobody listens for it (`hookscope listen`
    // without --jsonl), which under load spares that thread a wake-up per commit.
    m_committed = connect(m_writer, &StoreWriter::committed, this, [this](const QList<Hook> &hooks) {
        if (isSignalConnected(QMetaMethod::fromSignal(&Listener::hooksStored)))
            QMetaObject::invokeMethod(this, [this, hooks] { emit hooksStored(hooks); }, Qt::QueuedConnection);
    }, Qt::DirectConnection);
    m_commitFailed = connect(m_writer, &StoreWriter::commitFailed, this, &Listener::storeStalled, Qt::QueuedConnection);
    connect(m_server, &Server::refused, this, &Listener::storeFailed, Qt::QueuedConnection);
    m_refusalsRecorded = 0;
    m_refusalsNotRecorded = 0;
    connect(m_server, &Server::refusalsNotRecordedChanged, this, [this](qint64 total) {
        m_refusalsNotRecorded = total;
        emit refusalsNotRecordedChanged(total);
    }, Qt::QueuedConnection);

    bool listening = false;
    QString listenError;
    QMetaObject::invokeMethod(m_server, [&] {
        m_server->setConfig(config);
        listening = m_server->listen(config.bind, config.port);
        if (listening) {
            m_address = m_server->serverAddress();
            m_port = m_server->serverPort();
        } else {
            listenError = m_server->errorString();
        }
    }, Qt::BlockingQueuedConnection);
    if (!listening) {
        m_error = tr("cannot listen on %1:%2: %3").arg(config.bind.toString()).arg(config.port).arg(listenError);
        m_startFailure = StartFailure::Address;
        stopServer();
        return false;
    }
    return true;
}

void Listener::setConfig(const ListenerConfig &config)
{
    m_config = config;
    if (m_server)
        QMetaObject::invokeMethod(m_server, [server = m_server, config] { server->setConfig(config); }, Qt::QueuedConnection);
}

void Listener::setRules(const AnswerRules &rules)
{
    m_config.rules = rules;
    if (m_server)
        QMetaObject::invokeMethod(m_server, [server = m_server, rules] { server->setRules(rules); }, Qt::QueuedConnection);
}

void Listener::stop()
{
    stopServer();
    if (m_writer && m_ownsWriter)
        QMetaObject::invokeMethod(m_writer, [writer = m_writer] { delete writer; }, Qt::BlockingQueuedConnection);
    m_writer = nullptr;
    m_ownsWriter = false;
    m_storeThread.quit();
    m_storeThread.wait();
}

void Listener::stopServer()
{
    if (m_server) {
        QMetaObject::invokeMethod(m_server, &Server::shutdown, Qt::BlockingQueuedConnection);
        // Requests in flight get their answer; a client that never finishes its
        // request does not hold shutdown for longer than this.
        const QDeadlineTimer deadline(5000);
        while (!deadline.hasExpired()) {
            int busy = 0;
            QMetaObject::invokeMethod(m_server, [&] { busy = m_server->busyConnections(); }, Qt::BlockingQueuedConnection);
            if (busy == 0)
                break;
            QThread::msleep(5);
        }
        qint64 notRecorded = 0;
        QMetaObject::invokeMethod(m_server, [&, server = m_server] {
            notRecorded = server->refusalsNotRecorded();
            m_refusalsRecorded = server->refusalsRecorded();
            delete server;
        }, Qt::BlockingQueuedConnection);
        if (notRecorded != m_refusalsNotRecorded) {
            m_refusalsNotRecorded = notRecorded;
            emit refusalsNotRecordedChanged(notRecorded);
        }
        m_server = nullptr;
        // What the server handed over last is in SQLite, and reported, before this returns.
        if (m_writer)
            QMetaObject::invokeMethod(m_writer, &StoreWriter::flush, Qt::BlockingQueuedConnection);
    }
    disconnect(m_committed);
    disconnect(m_commitFailed);
    m_ioThread.quit();
    m_ioThread.wait();
}

qint64 Listener::setStoreMaxPageCount(qint64 pages)
{
    qint64 cap = -1;
    if (m_writer)
        QMetaObject::invokeMethod(m_writer, [&] { cap = m_writer->setMaxPageCount(pages); }, Qt::BlockingQueuedConnection);
    return cap;
}
