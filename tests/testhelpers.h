#pragma once

// Factories and small tools shared by hookscope's tests.

#include "capture/hook.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QDebug>
#include <QTcpSocket>
#include <QTest>

#include <chrono>

namespace testhelpers {

inline qint64 nowUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

// A captured Codewars hook as it would come off the wire.
inline Hook makeHook(const QByteArray &event = "code_challenge", const QByteArray &body =
                         R"({"action":"created","code_challenge":{"id":"50654ddff44f800200000001","created_by_id":"508f2708b3be0c0200000002"}})")
{
    Hook hook;
    hook.receivedUs = nowUs();
    hook.peerAddress = QStringLiteral("127.0.0.1");
    hook.peerPort = 40000;
    hook.method = "POST";
    hook.target = "/hooks?source=codewars";
    hook.headers = {{"Host", "127.0.0.1:8790"},
                    {"User-Agent", "Codewars Hookbot"},
                    {"Content-Type", "application/json"},
                    {"X-Webhook-Event", event},
                    {"Content-Length", QByteArray::number(body.size())}};
    hook.body = body;
    hook.inspection.provider = QStringLiteral("codewars");
    hook.inspection.event = QString::fromLatin1(event);
    hook.inspection.action = QStringLiteral("created");
    hook.answer.status = 200;
    hook.answer.headers = {{"Content-Type", "application/json"}, {"Content-Length", "9"}};
    hook.answer.body = "{\"id\":1}\n";
    return hook;
}

// A hook with this request line, header list and body; the rest as makeHook().
inline Hook makeRequestHook(const QByteArray &method, const QByteArray &target, const http::HeaderList &headers,
                            const QByteArray &body = {})
{
    Hook hook = makeHook();
    hook.method = method;
    hook.target = target;
    hook.headers = headers;
    hook.body = body;
    return hook;
}

// Rows of hooks (column "hook") that a store must give back exactly as they went in.
inline void addExactHookRows()
{
    QTest::addColumn<Hook>("hook");
    QTest::newRow("codewars json hook") << makeHook();
    Hook binary = makeHook("user", QByteArray("\x00\xff\xfe\r\n\x01 not utf-8 \xc3\x28", 18));
    QTest::newRow("binary body with NUL and invalid UTF-8") << binary;
    Hook duplicates = makeHook();
    duplicates.headers = {{"X-Dup", "one"}, {"x-dup", "two"}, {"X-DUP", ""}, {"X-Latin", "caf\xe9"}};
    QTest::newRow("duplicate headers in original case and order") << duplicates;
    Hook empty = makeHook();
    empty.method = "GET";
    empty.body = QByteArray();
    empty.inspection = {};
    QTest::newRow("no body, nothing recognised") << empty;
    Hook chunked = makeHook();
    chunked.chunked = true;
    chunked.trailers = {{"X-Checksum", "abc"}};
    chunked.inspection.problems = {QStringLiteral("user.rank: missing"), QStringLiteral("language: expected null")};
    chunked.inspection.secret = catalog::Verdict::Invalid;
    chunked.inspection.signature = catalog::Verdict::Missing;
    QTest::newRow("chunked with trailers and problems") << chunked;
    Hook ipv6 = makeHook();
    ipv6.peerAddress = QStringLiteral("::1");
    ipv6.version = "HTTP/1.0";
    QTest::newRow("ipv6 peer over HTTP/1.0") << ipv6;
    Hook ruled = makeHook();
    ruled.answer.status = 503;
    ruled.answer.body = "busy";
    ruled.answerRule = QStringLiteral("first two honors fail");
    QTest::newRow("answered by a rule") << ruled;
    Hook relayed = makeHook();
    relayed.origin = Hook::Origin::Relayed;
    relayed.peerAddress = QStringLiteral("smee.io");
    relayed.peerPort = 443;
    relayed.inspection.signature = catalog::Verdict::Unverifiable;
    QTest::newRow("relayed by smee, its signature unverifiable") << relayed;
    Hook refused;
    refused.receivedUs = 1'764'000'000'000'000;
    refused.peerAddress = QStringLiteral("127.0.0.1");
    refused.peerPort = 40000;
    refused.method = "POST";
    refused.target = "/big";
    refused.headers = {{"Host", "x"}, {"Content-Length", "99999999999"}};
    refused.body = "POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n";
    refused.setRefused(413, "body larger than the limit");
    QTest::newRow("refused request, as far as it was read") << refused;
}

// A client connected to 127.0.0.1:port, owned by `owner` (deleted by the test's cleanup).
inline QTcpSocket *connectClient(quint16 port, QList<QTcpSocket *> &owner)
{
    auto *socket = new QTcpSocket;
    owner.append(socket);
    socket->connectToHost(QHostAddress::LocalHost, port);
    if (!socket->waitForConnected(5000))
        qWarning() << "connect failed" << socket->errorString();
    return socket;
}

// Every byte value once: the body that shows whether binary data survives.
inline QByteArray allBytes()
{
    QByteArray bytes;
    for (int i = 0; i < 256; ++i)
        bytes.append(char(i));
    return bytes;
}

// A POST with an exact header block, as a client writes it.
inline QByteArray postRequest(const QByteArray &target, const QByteArray &body, const QByteArray &extraHeaders = {},
                              const QByteArray &host = "127.0.0.1")
{
    return "POST " + target + " HTTP/1.1\r\nHost: " + host + "\r\n" + extraHeaders + "Content-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

// One parsed answer read off a socket.
struct Answer
{
    int status = 0;
    QByteArray head;
    QByteArray body;
};

// Reads exactly one HTTP/1.1 response (Content-Length framed) from the socket,
// keeping what follows in `pending` for the next call. status 0: none came in time.
inline Answer readAnswer(QTcpSocket &socket, QByteArray &pending, int timeoutMs = 5000)
{
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        const qsizetype end = pending.indexOf("\r\n\r\n");
        if (end >= 0) {
            Answer answer;
            answer.head = pending.left(end);
            answer.status = answer.head.mid(9, 3).toInt();
            qsizetype length = 0;
            for (const QByteArray &line : answer.head.split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (answer.status >= 200 || answer.status == 0) {
                if (pending.size() >= end + 4 + length) {
                    answer.body = pending.mid(end + 4, length);
                    pending.remove(0, end + 4 + length);
                    return answer;
                }
            } else {
                // 1xx: no body.
                pending.remove(0, end + 4);
                return answer;
            }
        }
        if (timer.elapsed() > timeoutMs)
            return {};
        if (!socket.waitForReadyRead(int(std::max<qint64>(1, timeoutMs - timer.elapsed())))) {
            pending += socket.readAll();
            if (socket.state() != QAbstractSocket::ConnectedState && pending.indexOf("\r\n\r\n") < 0)
                return {};
            continue;
        }
        pending += socket.readAll();
    }
}

// The hook id in hookscope's default answer, {"id":N}; 0 when there is none.
inline qint64 answerId(const QByteArray &body)
{
    const qsizetype start = body.indexOf("\"id\":");
    if (start < 0)
        return 0;
    qsizetype end = start + 5;
    while (end < body.size() && body.at(end) >= '0' && body.at(end) <= '9')
        ++end;
    return body.mid(start + 5, end - start - 5).toLongLong();
}

} // namespace testhelpers
