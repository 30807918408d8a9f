#pragma once

#include "catalog/orderedjson.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

#include <memory>

namespace ui {

// A body made ready for display: pretty JSON, text, hex. Pure and thread-safe, so
// large bodies are rendered on a worker thread and handed to the GUI whole.
struct BodyRendering
{
    enum class Kind { Empty, Json, Text, Binary };

    static constexpr qint64 BackgroundThreshold = 256 * 1024;   // bodies above: render off the GUI thread
    static constexpr qsizetype TextLimit = 4 * 1024 * 1024;     // characters shown as text
    static constexpr qsizetype HexLimit = 256 * 1024;           // bytes shown as hex
    static constexpr qsizetype HighlightLimit = 1024 * 1024;    // characters worth colouring

    Kind kind = Kind::Empty;
    qint64 size = 0;
    QString pretty;                                    // Json: indented, member order kept
    QString text;                                      // Json and Text: as received
    QString hex;                                       // always (capped)
    std::shared_ptr<const catalog::OrderedJson> json;  // Json: for the tree
    QString jsonError;                                 // looked like JSON but did not parse
    bool textTruncated = false;
    bool hexTruncated = false;
};

// contentType: the message's Content-Type value, used as a hint only.
BodyRendering renderBody(const QByteArray &body, QByteArrayView contentType = {});
QString hexDump(QByteArrayView bytes);

} // namespace ui

Q_DECLARE_METATYPE(ui::BodyRendering)
