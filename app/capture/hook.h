#pragma once

#include "catalog/inspection.h"
#include "http/headers.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

// The answer hookscope sent back for a hook, byte for byte what went on the wire
// after the status line.
struct Answer
{
    int status = 200;
    http::HeaderList headers;
    QByteArray body;

    friend bool operator==(const Answer &, const Answer &) = default;
};

// One captured request: the unit that is stored, shown, exported and replayed.
// Raw bytes are kept apart from what was derived from them (inspection).
struct Hook
{
    // Where the hook came from: this listener's socket, a file it was imported
    // from, or a relay (a smee channel) that received it and passed it on: then
    // the peer is the relay and the body is the relay's serialisation of it.
    enum class Origin : quint8 { Captured, Imported, Relayed };

    qint64 id = 0;
    qint64 receivedUs = 0;        // microseconds since the Unix epoch, UTC
    QString peerAddress;
    quint16 peerPort = 0;
    QByteArray method;
    QByteArray target;            // request-target as received
    QByteArray version = QByteArrayLiteral("HTTP/1.1");
    http::HeaderList headers;     // exactly as received: case, order, duplicates
    QByteArray body;              // payload bytes (chunk framing removed)
    http::HeaderList trailers;    // chunked trailers, if any
    bool chunked = false;         // the body came chunked

    catalog::Inspection inspection;
    Answer answer;
    QString answerRule;           // the answer rule that chose the answer; empty: the listener's default answer
    Origin origin = Origin::Captured;

    // "ADDR:PORT", with IPv6 addresses in brackets.
    QString peer() const
    {
        const QString host = peerAddress.contains(u':') ? QString(u'[' + peerAddress + u']') : peerAddress;
        return host + u':' + QString::number(peerPort);
    }
    friend bool operator==(const Hook &, const Hook &) = default;
};

Q_DECLARE_METATYPE(Hook)
