#pragma once

#include <QHostAddress>
#include <QString>

#include <optional>

namespace ui {

// What the command line decides for one run of the window; unset members come from Settings.
struct StartOptions
{
    QString storePath;
    std::optional<QHostAddress> bind;
    std::optional<quint16> port;
};

} // namespace ui
