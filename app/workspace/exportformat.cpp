#include "exportformat.h"

#include "formats/curl.h"
#include "formats/har.h"
#include "formats/jsonl.h"

#include <QFileInfo>

namespace workspace {

QString exportFormatName(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Har: return QStringLiteral("har");
    case ExportFormat::Jsonl: return QStringLiteral("jsonl");
    case ExportFormat::Curl: return QStringLiteral("curl");
    }
    return QStringLiteral("har");
}

bool exportFormatFromName(QStringView name, ExportFormat *format)
{
    for (ExportFormat f : {ExportFormat::Har, ExportFormat::Jsonl, ExportFormat::Curl}) {
        if (name == exportFormatName(f)) {
            *format = f;
            return true;
        }
    }
    return false;
}

ExportFormat exportFormatForFile(const QString &fileName, ExportFormat fallback)
{
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    if (suffix == u"har")
        return ExportFormat::Har;
    if (suffix == u"jsonl" || suffix == u"ndjson")
        return ExportFormat::Jsonl;
    if (suffix == u"sh" || suffix == u"curl")
        return ExportFormat::Curl;
    return fallback;
}

QByteArray exportBytes(const QList<Hook> &hooks, ExportFormat format)
{
    switch (format) {
    case ExportFormat::Har:
        return formats::hooksToHar(hooks);
    case ExportFormat::Jsonl: {
        QByteArray lines;
        for (const Hook &hook : hooks)
            lines += formats::hookToJsonLine(hook);
        return lines;
    }
    case ExportFormat::Curl:
        // each command goes to the hook's own Host
        return formats::curlScript(hooks);
    }
    return {};
}

} // namespace workspace
