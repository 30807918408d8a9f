#pragma once

#include "capture/hook.h"

#include <QByteArray>
#include <QList>
#include <QString>

// A hook as a curl command line for a POSIX shell (dash, bash, zsh). Running it
// sends the same request again: method, target, every header in order with its
// case, and the body bytes. What curl works out itself is left to it: Host (from
// the URL) and Content-Length; Transfer-Encoding: chunked is passed on, which makes
// curl chunk the body. The headers curl would add of its own (Accept, User-Agent,
// Expect, Content-Type) are switched off when the hook had none. Trailers are not
// sent: curl's command line has no way to.
//
// Text bodies (UTF-8 without control characters other than tab and newline, up to
// 64 KiB) go inline with --data-raw; any other body is piped in with
// `printf '<octal escapes>' | curl ... --data-binary @-` (printf is a builtin in
// every shell, so the size of the body is not limited by the argument list).
namespace formats {

// Where the command sends to: baseUrl (scheme and authority, optionally a path
// prefix) with the hook's target after it; without a baseUrl, the hook's own URL
// (http:// + its Host header, or its peer, + target).
QString curlUrl(const Hook &hook, const QString &baseUrl = QString());

// One command, ending in '\n'. url: where to send it (the replay target, for
// instance); empty: curlUrl(hook).
QByteArray curlCommand(const Hook &hook, const QString &url = QString());

// A script for many hooks: "#!/bin/sh", then for each hook a comment naming it and
// its command, each sent to curlUrl(hook, baseUrl).
QByteArray curlScript(const QList<Hook> &hooks, const QString &baseUrl = QString());

// One shell word: as it is when it needs no quoting, else in single quotes with
// each ' written as '\''.
QByteArray shellQuote(QByteArrayView word);

} // namespace formats
