#pragma once

#include "workspace/settings.h"

#include <QUrl>

class QWidget;

namespace workspace {
class Workspace;
}

namespace ui {

// Reads the certificate url's HTTPS target presents, shows its subject and SHA-256
// fingerprint and, when the user agrees, trusts it for that host and port from now
// on (in the workspace and the settings).
void offerToTrustCertificate(QWidget *parent, workspace::Workspace &workspace, workspace::Settings &settings, const QUrl &url);
// Gives the workspace every certificate the settings trust.
void applyTrustedCertificates(workspace::Workspace &workspace, const workspace::Settings &settings);

} // namespace ui
