#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <functional>

class QObject;

// The certificate an HTTPS target presents, read in a TLS handshake that sends
// nothing after it: what a user is shown before trusting a self-signed
// certificate for that target.
struct PeerCertificate
{
    QByteArray pem;
    QString fingerprint;   // SHA-256 of the DER form, "AB:CD:…" in upper case
    QString subject;       // its common name, or its whole subject
    QString error;         // why none was read
    bool ok() const { return error.isEmpty(); }
};

// Connects to url's host and port, reads the certificate and closes; done is called
// on context's thread (never from inside the call) unless context is gone.
void probeCertificate(const QUrl &url, QObject *context, std::function<void(const PeerCertificate &)> done,
                      int timeoutMs = 10'000);
// The same, waiting in a local event loop: for the command line.
PeerCertificate probeCertificateAndWait(const QUrl &url, int timeoutMs = 10'000);

// "AB:CD:…" for the SHA-256 of a PEM certificate; empty when pem is not one.
QString certificateFingerprint(const QByteArray &pem);
// Whether a fingerprint typed by a user (any case, with or without colons or a
// "sha256:" prefix) is this one.
bool fingerprintMatches(const QString &typed, const QString &fingerprint);
