#pragma once

#include "capture/hook.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace workspace {

enum class ExportFormat { Har, Jsonl, Curl };

// "har", "jsonl", "curl".
QString exportFormatName(ExportFormat format);
bool exportFormatFromName(QStringView name, ExportFormat *format);
// The format a file name's suffix asks for, or fallback.
ExportFormat exportFormatForFile(const QString &fileName, ExportFormat fallback);
// The file contents of an export in one of the formats.
QByteArray exportBytes(const QList<Hook> &hooks, ExportFormat format);

} // namespace workspace
