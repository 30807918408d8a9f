#pragma once

#include <QHostAddress>
#include <QString>
#include <QStringList>

#include <optional>

namespace ui {

// What the command line decides for one run of the window; unset members come from Settings.
struct StartOptions
{
    QString storePath;
    std::optional<QHostAddress> bind;
    std::optional<quint16> port;
    QStringList catalogFiles;   // --catalog: loaded beside the built-in catalog and the user's
};

} // namespace ui
