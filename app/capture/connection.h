#pragma once

#include "hook.h"
#include "listenerconfig.h"
#include "http/requestparser.h"

#include <QObject>

class QTcpSocket;
class Server;

// One client connection: reads requests with the parser, hands each complete one
// to the server for storing, and answers once it is committed. Requests on a
// connection are handled one at a time, so pipelined ones are answered in order.
class Connection : public QObject
{
    Q_OBJECT

public:
    Connection(QTcpSocket *socket, Server *server);
    ~Connection() override;

    // Called by the server when the hook from this connection is committed (or not).
    void hookStored(const Hook &hook, bool ok, const QString &error);

    // Called by the server's sweep; closes the connection when a deadline passed.
    void checkTimeouts(qint64 nowMs);
    // Stops reading new requests; closes at once when idle.
    void drain();
    bool isBusy() const;
    qint64 pendingHookId() const { return m_pendingId; }

signals:
    void finished(Connection *connection);

private:
    enum class Phase { Idle, Headers, Body, Storing, Answering, Closing };

    void onReadyRead();
    void process();
    void beginHook(http::Request request);
    void answer(const Hook &hook);
    void fail(int status, const QByteArray &reason);
    void closeAfterWrite();
    void halfClose();
    void finishExchange();
    void finish();

    QTcpSocket *m_socket;
    Server *m_server;
    http::RequestParser m_parser;
    QByteArray m_buffer;
    qsizetype m_offset = 0;           // bytes of m_buffer already fed to the parser
    Phase m_phase = Phase::Idle;
    bool m_keepAlive = true;
    bool m_sentContinue = false;
    bool m_draining = false;
    bool m_finished = false;
    qint64 m_pendingId = 0;
    qint64 m_phaseStartMs = 0;        // when the current request (or idle period) began
    qint64 m_lastProgressMs = 0;      // when the last body byte arrived
};
