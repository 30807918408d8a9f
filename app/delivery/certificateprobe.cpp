#include "certificateprobe.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QPointer>
#include <QSslCertificate>
#include <QSslSocket>
#include <QTimer>

#include <memory>

static QString tr(const char *text)
{
    return QCoreApplication::translate("CertificateProbe", text);
}

static QString fingerprintOf(const QSslCertificate &certificate)
{
    const QByteArray hex = certificate.digest(QCryptographicHash::Sha256).toHex().toUpper();
    QStringList pairs;
    for (qsizetype i = 0; i < hex.size(); i += 2)
        pairs.append(QString::fromLatin1(hex.mid(i, 2)));
    return pairs.join(u':');
}

QString certificateFingerprint(const QByteArray &pem)
{
    const QSslCertificate certificate(pem);
    return certificate.isNull() ? QString() : fingerprintOf(certificate);
}

bool fingerprintMatches(const QString &typed, const QString &fingerprint)
{
    QString bare = typed.trimmed().toUpper();
    if (bare.startsWith(u"SHA256:") || bare.startsWith(u"SHA-256:"))
        bare = bare.mid(bare.indexOf(u':') + 1);
    bare.remove(u':');
    QString expected = fingerprint;
    expected.remove(u':');
    return !bare.isEmpty() && bare == expected;
}

void probeCertificate(const QUrl &url, QObject *context, std::function<void(const PeerCertificate &)> done, int timeoutMs)
{
    auto *socket = new QSslSocket(context);
    auto *timer = new QTimer(socket);
    auto finished = std::make_shared<bool>(false);
    // Reports once, then the socket goes (and its timer with it).
    const auto report = [socket, finished, done, context = QPointer<QObject>(context)](const PeerCertificate &result) {
        if (*finished)
            return;
        *finished = true;
        socket->abort();
        socket->deleteLater();
        if (context)
            done(result);
    };
    // The certificate is wanted whatever it is: that is the point of reading it.
    socket->setPeerVerifyMode(QSslSocket::QueryPeer);
    QObject::connect(socket, &QSslSocket::sslErrors, socket, [socket](const QList<QSslError> &) { socket->ignoreSslErrors(); });
    QObject::connect(socket, &QSslSocket::encrypted, socket, [socket, report] {
        const QSslCertificate certificate = socket->peerCertificate();
        PeerCertificate result;
        if (certificate.isNull()) {
            result.error = tr("the server presented no certificate");
        } else {
            result.pem = certificate.toPem();
            result.fingerprint = fingerprintOf(certificate);
            const QStringList names = certificate.subjectInfo(QSslCertificate::CommonName);
            result.subject = names.isEmpty() ? certificate.subjectDisplayName() : names.join(u", ");
        }
        report(result);
    });
    QObject::connect(socket, &QSslSocket::errorOccurred, socket, [socket, report](QAbstractSocket::SocketError) {
        report({{}, {}, {}, tr("no TLS handshake with the server: %1").arg(socket->errorString())});
    });
    QObject::connect(timer, &QTimer::timeout, socket, [report, timeoutMs] {
        report({{}, {}, {}, tr("no TLS handshake within %1 s").arg(timeoutMs / 1000.0)});
    });
    timer->setSingleShot(true);
    timer->start(timeoutMs);
    const QString host = url.host();
    const quint16 port = quint16(url.port(443));
    QMetaObject::invokeMethod(socket, [socket, host, port] { socket->connectToHostEncrypted(host, port); }, Qt::QueuedConnection);
}

PeerCertificate probeCertificateAndWait(const QUrl &url, int timeoutMs)
{
    QEventLoop loop;
    PeerCertificate result;
    probeCertificate(url, &loop, [&](const PeerCertificate &certificate) {
        result = certificate;
        loop.quit();
    }, timeoutMs);
    loop.exec();
    return result;
}
