#pragma once

// What the fuzz targets share: how an input is read as a plan (limits, the sizes
// the payload arrives in) plus a payload, and how a broken invariant is reported.
//
// Input layout, so that every seed of corpus/parser is one byte of control plus a request:
//   byte 0      bits 0-2: k, how many piece sizes follow (0: the payload comes in one piece)
//               bits 3-4: the limits profile (see limitsProfile)
//               bit 5:    fuzz_connection: answers wait for the next arrival (a slow store)
//               bit 6:    fuzz_connection: the client half-closes after the payload
//   k bytes     piece sizes, each 1 + the byte's value, used in turn until the payload is spent
//   the rest    the payload: bytes as a client sends them, possibly several pipelined requests

#include "http/limits.h"

#include <QByteArrayView>
#include <QList>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace fuzz {

// Set by the standalone driver to save the input that broke an invariant;
// libFuzzer saves it by itself when the process aborts.
inline void (*onFailure)() = nullptr;

[[noreturn]] inline void failure(const char *file, int line, const char *what)
{
    std::fprintf(stderr, "fuzz invariant broken at %s:%d: %s\n", file, line, what);
    if (onFailure)
        onFailure();
    std::abort();
}

// Unlike assert(), stays on in release builds: the invariants are the point.
#define FUZZ_CHECK(condition)                                      \
    do {                                                           \
        if (!(condition))                                          \
            ::fuzz::failure(__FILE__, __LINE__, #condition);       \
    } while (false)

inline http::Limits limitsProfile(int profile)
{
    http::Limits limits;
    switch (profile & 3) {
    case 0:   // what the listener uses by default
        break;
    case 1:   // the tight limits of tst_requestparser's limit rows
        limits.maxRequestLine = 32;
        limits.maxHeaderBytes = 64;
        limits.maxHeaderFields = 3;
        limits.maxBody = 10;
        break;
    case 2:
        limits.maxRequestLine = 256;
        limits.maxHeaderBytes = 512;
        limits.maxHeaderFields = 8;
        limits.maxBody = 1024;
        break;
    case 3:   // no body at all is allowed
        limits.maxRequestLine = 64;
        limits.maxHeaderBytes = 128;
        limits.maxHeaderFields = 4;
        limits.maxBody = 0;
        break;
    }
    return limits;
}

struct Plan
{
    http::Limits limits;
    QList<qsizetype> pieceSizes;   // empty: one piece
    bool slowStore = false;
    bool halfClose = false;
    QByteArrayView payload;

    // The payload cut into pieces as the plan says.
    QList<QByteArrayView> pieces() const
    {
        QList<QByteArrayView> result;
        if (pieceSizes.isEmpty()) {
            if (!payload.isEmpty())
                result.append(payload);
            return result;
        }
        qsizetype at = 0;
        for (qsizetype i = 0; at < payload.size(); ++i) {
            const qsizetype size = std::min(pieceSizes.at(i % pieceSizes.size()), payload.size() - at);
            result.append(payload.sliced(at, size));
            at += size;
        }
        return result;
    }
};

inline Plan readPlan(const uint8_t *data, size_t size)
{
    Plan plan;
    if (size == 0)
        return plan;
    const uint8_t control = data[0];
    const size_t count = std::min<size_t>(control & 7, size - 1);
    plan.limits = limitsProfile((control >> 3) & 3);
    plan.slowStore = (control & 0x20) != 0;
    plan.halfClose = (control & 0x40) != 0;
    for (size_t i = 0; i < count; ++i)
        plan.pieceSizes.append(qsizetype(data[1 + i]) + 1);
    plan.payload = QByteArrayView(reinterpret_cast<const char *>(data) + 1 + count, qsizetype(size - 1 - count));
    return plan;
}

} // namespace fuzz
