#include "trustprompt.h"

#include "delivery/certificateprobe.h"
#include "workspace/workspace.h"

#include <QMessageBox>
#include <QPushButton>
#include <QPointer>

namespace ui {

static QString hostAndPort(const QUrl &url)
{
    return url.host().toLower() + u':' + QString::number(url.port(443));
}

void offerToTrustCertificate(QWidget *parent, workspace::Workspace &workspace, workspace::Settings &settings, const QUrl &url)
{
    const QPointer<QWidget> guard(parent);
    probeCertificate(url, parent, [guard, &workspace, &settings, url](const PeerCertificate &certificate) {
        if (!guard)
            return;
        const QString where = hostAndPort(url);
        if (!certificate.ok()) {
            QMessageBox::warning(guard, QObject::tr("Trust certificate"),
                                 QObject::tr("The certificate of %1 could not be read: %2").arg(where, certificate.error));
            return;
        }
        QMessageBox box(QMessageBox::Question, QObject::tr("Trust certificate"),
                        QObject::tr("Trust this certificate for %1?").arg(where), QMessageBox::NoButton, guard);
        box.setInformativeText(QObject::tr("Issued to: %1\nSHA-256 fingerprint:\n%2\n\nCompare the fingerprint with the one "
                                           "of the receiver's certificate. Deliveries to %3 will accept this certificate "
                                           "and no other, whatever host name it names.")
                                   .arg(certificate.subject, certificate.fingerprint, where));
        box.setTextInteractionFlags(Qt::TextSelectableByMouse);
        QPushButton *trust = box.addButton(QObject::tr("Trust"), QMessageBox::AcceptRole);
        box.addButton(QMessageBox::Cancel);
        box.setDefaultButton(QMessageBox::Cancel);
        box.exec();
        if (box.clickedButton() != static_cast<QAbstractButton *>(trust))
            return;
        workspace.trustCertificate(url, certificate.pem);
        settings.setTrustedCertificate(where, certificate.pem);
    });
}

void applyTrustedCertificates(workspace::Workspace &workspace, const workspace::Settings &settings)
{
    const QHash<QString, QByteArray> trusted = settings.trustedCertificates();
    for (auto it = trusted.cbegin(); it != trusted.cend(); ++it)
        workspace.trustCertificate(QUrl(u"https://" + it.key() + u'/'), it.value());
}

} // namespace ui
