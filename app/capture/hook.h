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

    // Where a large body is kept in the store's body log (see bodylog.h);
    // segment 0: in the hook's own SQLite row. Where the bytes are kept is no
    // part of the hook's value: two hooks with the same bytes are equal.
    struct BodyRef
    {
        qint64 segment = 0;
        qint64 offset = 0;
        qint64 size = 0;
        quint64 checksum = 0;
        bool isExternal() const { return segment > 0; }
        friend bool operator==(const BodyRef &, const BodyRef &) { return true; }
    };

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
    BodyRef bodyRef;

    catalog::Inspection inspection;
    Answer answer;
    QString answerRule;           // the answer rule that chose the answer; empty: the listener's default answer
    Origin origin = Origin::Captured;
    // Why the listener refused the request (the reason its error answer gave);
    // empty for a hook it took. A refused request keeps what was read of it:
    // method, target and headers as far as they were parsed, and in body the
    // first bytes that arrived (see RefusalLimits::MaxRawBytes), raw.
    QString refusal;

    bool refused() const { return !refusal.isEmpty(); }
    // Marks the hook refused with this status and reason, answered as
    // http::errorResponse() answers: the reason as plain text, then a close.
    void setRefused(int status, const QByteArray &reason)
    {
        answer.status = status;
        answer.body = reason + '\n';
        answer.headers = {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/plain; charset=utf-8")},
                          {QByteArrayLiteral("Content-Length"), QByteArray::number(answer.body.size())},
                          {QByteArrayLiteral("Connection"), QByteArrayLiteral("close")}};
        answerRule.clear();
        refusal = QString::fromUtf8(reason);
    }

    // "ADDR:PORT", with IPv6 addresses in brackets.
    QString peer() const
    {
        const QString host = peerAddress.contains(u':') ? QString(u'[' + peerAddress + u']') : peerAddress;
        return host + u':' + QString::number(peerPort);
    }
    friend bool operator==(const Hook &, const Hook &) = default;
};

Q_DECLARE_METATYPE(Hook)
