#pragma once

#include "hook.h"
#include "http/session.h"

#include <QObject>
#include <QString>

class QSocketNotifier;
class Server;

// Microseconds since the Unix epoch: when a request arrived.
qint64 wallClockUs();
// The address and port of a connected socket's peer (an IPv4 client of a dual-stack
// listener as itself); false when the socket has none.
bool socketPeer(int fd, QString &address, quint16 &port);

// One client connection: moves bytes between its socket and an http::Session
// (which makes every protocol decision), hands each complete request to the
// server for storing, and answers it once it is committed. It works on the
// descriptor directly, with one read and one write system call per request in
// the common case; the server's thread runs all of its connections.
class Connection : public QObject
{
    Q_OBJECT

public:
    Connection(qintptr descriptor, Server *server);
    ~Connection() override;

    // Called by the server when the hook from this connection is committed (or not).
    void hookStored(bool ok, const QString &error);

    // Called by the server's sweep; closes the connection when a deadline passed.
    void checkTimeouts(qint64 nowMs);
    // Stops reading new requests; closes at once when idle.
    void drain();
    bool isBusy() const;
    qint64 pendingHookId() const { return m_pendingId; }

signals:
    void finished(Connection *connection);

private:
    void onReadable();
    void beginHook(http::Request request);
    // Keeps a request the session refused on record, as far as it was read.
    void recordRefusal(http::Refusal refusal);
    void answer();
    // After every event: hands a complete request on, writes what the session
    // has to say, and closes when it is done.
    void update();
    void writeOutput();
    void finish();

    int m_fd;
    Server *m_server;
    QSocketNotifier *m_readNotifier;
    QSocketNotifier *m_writeNotifier;
    http::Session m_session;
    QByteArray m_output;        // not yet accepted by the kernel, from m_written on
    qsizetype m_written = 0;
    QString m_peerAddress;
    quint16 m_peerPort = 0;
    bool m_halfClosed = false;
    bool m_finished = false;
    qint64 m_pendingId = 0;
    QByteArray m_answer;        // for the hook being stored, sent once it is committed
    int m_answerDelayMs = 0;    // and this long after
};
