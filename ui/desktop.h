#pragma once

#include <QStringList>

namespace ui {

// Runs the desktop app: `hookscope [--bind ADDR] [--port N] [--db FILE]`.
// Needs a QApplication. Returns the process exit code.
int runDesktop(const QStringList &arguments);

} // namespace ui
