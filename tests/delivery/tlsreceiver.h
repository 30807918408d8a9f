#pragma once

// An HTTPS receiver for the delivery tests, with a self-signed certificate made
// for it by the openssl command: it records each request that arrives over TLS
// and answers 200 with a small body.

#include "http/headers.h"

#include <QByteArray>
#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

class TlsReceiver : public QTcpServer
{
public:
    // Makes the certificate (for the name localhost and the address 127.0.0.1);
    // false, with *error, when openssl fails.
    bool setUp(QString *error)
    {
        if (!m_dir.isValid()) {
            *error = QStringLiteral("no temporary folder");
            return false;
        }
        const QString key = m_dir.filePath(QStringLiteral("key.pem"));
        const QString cert = m_dir.filePath(QStringLiteral("cert.pem"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                       QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                       QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert, QStringLiteral("-days"), QStringLiteral("2"),
                       QStringLiteral("-subj"), QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
                       QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1")});
        if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0) {
            *error = QStringLiteral("openssl failed: ") + QString::fromLocal8Bit(openssl.readAllStandardError());
            return false;
        }
        QFile certFile(cert);
        QFile keyFile(key);
        if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read what openssl made");
            return false;
        }
        m_pem = certFile.readAll();
        m_certificate = QSslCertificate(m_pem);
        m_key = QSslKey(keyFile.readAll(), QSsl::Ec);
        if (m_certificate.isNull() || m_key.isNull()) {
            *error = QStringLiteral("openssl made a certificate or key Qt cannot read");
            return false;
        }
        return listen(QHostAddress::LocalHost);
    }

    QByteArray certificatePem() const { return m_pem; }
    QSslCertificate certificate() const { return m_certificate; }
    QUrl url(const QString &scheme = QStringLiteral("https"), const QString &host = QStringLiteral("127.0.0.1")) const
    {
        return QUrl(QStringLiteral("%1://%2:%3/secure").arg(scheme, host).arg(serverPort()));
    }
    int connections() const { return m_connections; }
    const QList<QByteArray> &requests() const { return m_requests; }   // each: head and body as received

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QSslSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        ++m_connections;
        socket->setLocalCertificate(m_certificate);
        socket->setPrivateKey(m_key);
        socket->setPeerVerifyMode(QSslSocket::VerifyNone);
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QSslSocket::readyRead, socket, [this, socket, buffer] {
            *buffer += socket->readAll();
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            qint64 length = 0;
            for (const QByteArray &line : buffer->left(end).split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (buffer->size() < end + 4 + length)
                return;
            m_requests.append(buffer->left(end + 4 + length));
            buffer->clear();
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nsecure");
            socket->disconnectFromHost();
        });
        // A client that does not speak TLS: the handshake fails and the socket closes.
        connect(socket, &QSslSocket::errorOccurred, socket, [socket] { socket->disconnectFromHost(); });
        connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
        socket->startServerEncryption();
    }

private:
    QTemporaryDir m_dir;
    QByteArray m_pem;
    QSslCertificate m_certificate;
    QSslKey m_key;
    int m_connections = 0;
    QList<QByteArray> m_requests;
};
