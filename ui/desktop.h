#pragma once

#include "startoptions.h"

namespace ui {

// Runs the desktop app: `hookscope [--bind ADDR] [--port N] [--db FILE]`, its
// flags already read. Needs a QApplication. Returns the process exit code.
int runDesktop(const StartOptions &options);

} // namespace ui
