#pragma once

#include "http/formdata.h"
#include "http/headers.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

namespace formats {
struct DecodedBody;
}

namespace ui {

// A body made ready for display: what it is, its bytes with the content coding
// undone, its text in the declared charset, its fields or its pretty XML. Pure and
// thread-safe, so a large body is looked at on a worker thread. A large JSON body
// is only recognised here; the view reads it on by slices (see PrettyJson).
struct BodyRendering
{
    enum class Kind { Empty, Json, Text, Binary, Form, Multipart, Xml };

    static constexpr qint64 BackgroundThreshold = 256 * 1024;   // bodies above: looked at off the GUI thread
    static constexpr qint64 PagedThreshold = 1024 * 1024;       // bodies above: shown by paged views
    static constexpr qsizetype HighlightLimit = 1024 * 1024;    // characters worth colouring in an editor
    static constexpr qint64 XmlLimit = 8 * 1024 * 1024;         // XML above: shown as text
    static constexpr qint64 DecodeLimit = 64 * 1024 * 1024;     // decoded bytes shown at most
    static constexpr qsizetype RawLineBytes = 256;              // a paged text's longest line before it wraps

    Kind kind = Kind::Empty;
    qint64 size = 0;             // as received
    QByteArray bytes;            // the content coding undone (the received bytes when there is none)
    QByteArray coding;           // Content-Encoding as received
    QString codingError;         // why the coding could not be undone (bytes are then the received ones)
    QByteArray charset;          // the declared charset, lower case
    QString charsetError;        // a charset not known here
    bool paged = false;          // too big for one document: views made by slices
    QString text;                // Text, Form, Xml and small Json: the characters (not when paged)
    QList<quint32> lineStarts;   // paged text: where its lines start in bytes
    QString pretty;              // small Json and Xml: indented
    QString jsonError;           // looked like JSON but is not
    QString xmlError;            // looked like XML but is not
    http::FormData form;      // Form and Multipart

    qint64 decodedSize() const { return bytes.size(); }
    bool isDecoded() const { return !coding.isEmpty() && codingError.isEmpty(); }
    // The text of one stretch of bytes in the body's charset.
    QString decode(QByteArrayView stretch) const;
};

BodyRendering renderBody(const QByteArray &body, const http::HeaderList &headers);
// The same for a body whose codings were undone already (formats::decodeBody()):
// a coded body is decoded once for everything that shows it.
BodyRendering renderBody(const QByteArray &body, const formats::DecodedBody &decoded, const http::HeaderList &headers);
// contentType: the message's Content-Type value, used as a hint only.
BodyRendering renderBody(const QByteArray &body, QByteArrayView contentType = {});
QString hexDump(QByteArrayView bytes, qsizetype firstOffset = 0);

} // namespace ui

Q_DECLARE_METATYPE(ui::BodyRendering)
