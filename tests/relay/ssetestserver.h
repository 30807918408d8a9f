#pragma once

// An SSE server for the tests that speaks as smee.io does: the stream only for
// "Accept: text/event-stream" exactly (its web page otherwise), "ready" at once,
// deliveries as unnamed events with one data line; /new redirects to a channel.

#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

class SseTestServer : public QTcpServer
{
public:
    enum class Mode { Smee, NotFound, Html };

    explicit SseTestServer(QObject *parent = nullptr) : QTcpServer(parent)
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onRequest(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        listen(QHostAddress::LocalHost);
    }

    QUrl channel() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/chan").arg(serverPort())); }
    void setMode(Mode mode) { m_mode = mode; }
    // Streams opened so far, and the Accept header of the last request.
    int streamsOpened() const { return m_opened; }
    QByteArray lastAccept() const { return m_accept; }
    int openStreams()
    {
        int open = 0;
        for (const QPointer<QTcpSocket> &s : std::as_const(m_streams))
            open += s && s->state() == QAbstractSocket::ConnectedState;
        return open;
    }

    // Writes bytes to every open stream.
    void send(const QByteArray &bytes)
    {
        for (const QPointer<QTcpSocket> &s : std::as_const(m_streams)) {
            if (s)
                s->write(bytes);
        }
    }
    // What smee writes for a delivery.
    void deliver(const QByteArray &json) { send("id: " + QByteArray::number(m_id++) + "\ndata: " + json + "\n\n"); }
    void closeStreams()
    {
        for (const QPointer<QTcpSocket> &s : std::as_const(m_streams)) {
            if (s)
                s->disconnectFromHost();
        }
        m_streams.clear();
    }

private:
    void onRequest(QTcpSocket *socket)
    {
        QByteArray &request = m_requests[socket];
        request += socket->readAll();
        if (!request.contains("\r\n\r\n"))
            return;
        const QList<QByteArray> lines = request.left(request.indexOf("\r\n\r\n")).split('\n');
        const QList<QByteArray> requestLine = lines.constFirst().trimmed().split(' ');
        QByteArray accept;
        for (const QByteArray &line : lines) {
            if (line.toLower().startsWith("accept:"))
                accept = line.mid(7).trimmed();
        }
        m_requests.remove(socket);
        disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
        const QByteArray path = requestLine.value(1);
        if (path == "/new") {
            socket->write("HTTP/1.1 307 Temporary Redirect\r\nLocation: /fresh-channel-42\r\nContent-Length: 0\r\n\r\n");
            return;
        }
        m_accept = accept;
        if (m_mode == Mode::NotFound) {
            socket->write("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nNot Found");
            return;
        }
        if (m_mode == Mode::Html || accept != "text/event-stream") {
            const QByteArray page = "<!DOCTYPE html><html><body>smee channel page</body></html>";
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + QByteArray::number(page.size())
                          + "\r\n\r\n" + page);
            return;
        }
        ++m_opened;
        m_id = 0;
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n"
                      "id: 0\nevent: ready\ndata: {}\n\n");
        m_id = 1;
        m_streams.append(socket);
    }

    Mode m_mode = Mode::Smee;
    QHash<QTcpSocket *, QByteArray> m_requests;
    QList<QPointer<QTcpSocket>> m_streams;
    QByteArray m_accept;
    int m_opened = 0;
    int m_id = 0;
};
