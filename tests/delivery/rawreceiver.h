#pragma once

// A minimal HTTP/1.1 server for the delivery tests: it records the exact bytes of
// every request it gets and answers as told, or not at all, or with an endless body.

#include "http/headers.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include <memory>

class RawReceiver
{
public:
    // Held: requests are answered only when the test calls answerHeld() (a slow target).
    enum class Mode { Answer, Silent, HugeBody, Held };

    // One request as it came off the wire.
    struct Request
    {
        QByteArray raw;
        QByteArray requestLine;
        http::HeaderList headers;   // in order, names and values as sent
        QByteArray body;
    };

    RawReceiver()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] { accept(); });
    }

    bool listen(quint16 port = 0) { return m_server.listen(QHostAddress::LocalHost, port); }
    void close()
    {
        m_server.close();
        const QList<QTcpSocket *> sockets = m_server.findChildren<QTcpSocket *>();
        for (QTcpSocket *socket : sockets) {
            socket->abort();
            socket->deleteLater();
        }
    }
    quint16 port() const { return m_server.serverPort(); }
    QUrl url(const QString &path = QStringLiteral("/")) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path));
    }

    void setMode(Mode mode) { m_mode = mode; }
    void setAnswer(int status, const QByteArray &reason, const http::HeaderList &headers = {}, const QByteArray &body = {})
    {
        m_status = status;
        m_reason = reason;
        m_headers = headers;
        m_body = body;
    }
    // The next `count` requests get this status instead of the answer set (a target that is down for a while).
    void failNext(int count, int status, const QByteArray &reason)
    {
        m_failures = count;
        m_failStatus = status;
        m_failReason = reason;
    }
    void setHugeBodySize(qint64 bytes) { m_hugeSize = bytes; }
    qint64 hugeBytesWritten() const { return m_hugeWritten; }

    // Answers the requests held so far, in the order they came; returns how many.
    int answerHeld()
    {
        const QList<QPointer<QTcpSocket>> held = std::exchange(m_held, {});
        int answered = 0;
        for (const QPointer<QTcpSocket> &socket : held) {
            if (socket) {
                answer(socket);
                ++answered;
            }
        }
        return answered;
    }
    qsizetype held() const { return m_held.size(); }

    const QList<Request> &requests() const { return m_requests; }
    int connections() const { return m_connections; }

private:
    void accept()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            ++m_connections;
            auto buffer = std::make_shared<QByteArray>();
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
                *buffer += socket->readAll();
                for (;;) {
                    const qsizetype end = buffer->indexOf("\r\n\r\n");
                    if (end < 0)
                        return;
                    Request request;
                    const QList<QByteArray> lines = buffer->left(end).split('\n');
                    request.requestLine = lines.value(0).chopped(lines.value(0).endsWith('\r') ? 1 : 0);
                    qint64 length = 0;
                    for (qsizetype i = 1; i < lines.size(); ++i) {
                        QByteArray line = lines.at(i);
                        if (line.endsWith('\r'))
                            line.chop(1);
                        const qsizetype colon = line.indexOf(':');
                        const http::HeaderField field{line.left(colon), line.mid(colon + 1).trimmed()};
                        if (http::nameEquals(field.name, "Content-Length"))
                            length = field.value.toLongLong();
                        request.headers.append(field);
                    }
                    if (buffer->size() < end + 4 + length)
                        return;
                    request.raw = buffer->left(end + 4 + length);
                    request.body = buffer->mid(end + 4, length);
                    buffer->remove(0, end + 4 + length);
                    m_requests.append(request);
                    respond(socket);
                }
            });
            QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    }

    void respond(QTcpSocket *socket)
    {
        if (m_mode == Mode::Silent)
            return;
        if (m_mode == Mode::Held) {
            m_held.append(socket);
            return;
        }
        answer(socket);
    }

    void answer(QTcpSocket *socket)
    {
        if (m_failures > 0) {
            --m_failures;
            socket->write("HTTP/1.1 " + QByteArray::number(m_failStatus) + ' ' + m_failReason + "\r\nContent-Length: 0\r\n\r\n");
            return;
        }
        QByteArray head = "HTTP/1.1 " + QByteArray::number(m_status) + ' ' + m_reason + "\r\n";
        for (const http::HeaderField &field : std::as_const(m_headers))
            head += field.name + ": " + field.value + "\r\n";
        if (m_mode == Mode::HugeBody) {
            head += "Content-Length: " + QByteArray::number(m_hugeSize) + "\r\n\r\n";
            socket->write(head);
            // Written as the client reads, so neither side holds the whole body.
            QObject::connect(socket, &QTcpSocket::bytesWritten, socket, [this, socket] {
                if (socket->bytesToWrite() > 0 || m_hugeWritten >= m_hugeSize)
                    return;
                const qint64 chunk = qMin<qint64>(64 * 1024, m_hugeSize - m_hugeWritten);
                m_hugeWritten += chunk;
                socket->write(QByteArray(chunk, 'x'));
            });
            return;
        }
        if (!http::contains(m_headers, "Content-Length"))
            head += "Content-Length: " + QByteArray::number(m_body.size()) + "\r\n";
        socket->write(head + "\r\n" + m_body);
    }

    QTcpServer m_server;
    Mode m_mode = Mode::Answer;
    int m_status = 200;
    QByteArray m_reason = "OK";
    http::HeaderList m_headers;
    QByteArray m_body;
    int m_failures = 0;
    int m_failStatus = 503;
    QByteArray m_failReason;
    qint64 m_hugeSize = 0;
    qint64 m_hugeWritten = 0;
    QList<Request> m_requests;
    QList<QPointer<QTcpSocket>> m_held;
    int m_connections = 0;
};
