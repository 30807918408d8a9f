#pragma once

#include "capture/delivery.h"
#include "capture/hook.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

namespace formats {

// One difference between two hooks. Paths are JSON Pointers (RFC 6901): into the
// body for body entries ("/user/rank"), a header's name for header entries
// ("/X-Webhook-Event", "/X-Dup/1" for the second of that name), a field for the
// request line ("/method") and the verdicts ("/secret").
struct DiffEntry
{
    enum class Op { Added, Removed, Changed, Moved };

    QString path;
    Op op = Op::Changed;
    QJsonValue from;   // undefined for Added
    QJsonValue to;     // undefined for Removed; for Moved, the new position

    friend bool operator==(const DiffEntry &, const DiffEntry &) = default;
};

QString diffOpName(DiffEntry::Op op);   // "added", "removed", "changed", "moved"

// What differs between two hooks (a is the older one, b the newer).
struct HookDiff
{
    QList<DiffEntry> request;    // method, target, version (or an answer's status and reason)
    QList<DiffEntry> headers;    // added, removed, changed value, moved to another position
    QList<DiffEntry> body;       // structural, when both bodies are JSON (and small enough)
    QList<DiffEntry> inspection; // provider, event, action, secret, signature, problems
    // How the bodies compare when no structural diff is given: "same", "json",
    // "text" (lines in `lines`), "binary" or "too large".
    QString bodyKind;
    QStringList lines;           // a unified-style line diff: "  same", "- old", "+ new"
    qint64 firstDifference = -1; // binary bodies: the offset of the first byte that differs
    qint64 sizeA = 0;
    qint64 sizeB = 0;

    bool isEmpty() const { return request.isEmpty() && headers.isEmpty() && body.isEmpty() && inspection.isEmpty() && bodyKind == u"same"; }
};

// Bodies above this size get a summary instead of a structural or line diff.
constexpr qint64 MaxStructuralDiffBytes = 4 * 1024 * 1024;

// The structural diff of two JSON values, appended to *out with paths under prefix.
// Objects compare member by member; arrays of objects that all carry an "id"
// are matched by it (a matched item at another index is Moved), other arrays
// index by index.
void diffJson(const QJsonValue &a, const QJsonValue &b, const QString &prefix, QList<DiffEntry> *out);

// An HTTP message as it is compared: the fields of its first line, its headers and body.
struct Message
{
    QList<std::pair<QString, QString>> line;   // ("method", "POST"), ("target", …) or ("status", "503"), ("reason", …)
    http::HeaderList headers;
    QByteArray body;
};
Message requestOf(const Hook &hook);
Message requestOf(const Delivery &delivery);   // as sent; the URL's path and query are the target
Message answerOf(const Hook &hook);            // what hookscope answered the hook
Message answerOf(const Delivery &delivery);    // what the target answered; no status when none came

// Two messages' first lines, headers and bodies; no inspection.
HookDiff diffMessages(const Message &a, const Message &b);
// Two hooks: their requests, and what the catalog made of each.
HookDiff diffHooks(const Hook &a, const Hook &b);
QJsonObject diffToJson(const HookDiff &diff);
// A readable text, one difference a line, in sections.
QString diffToText(const HookDiff &diff, qint64 idA, qint64 idB);

} // namespace formats
