// Fuzz target for http::RequestParser: the payload is parsed as a stream of
// pipelined requests in one piece, in the pieces the input's first bytes choose,
// and (when short) byte by byte. Every way must come to the same requests and the
// same refusal, every feed() must keep its promises, and every request taken must
// respect the limits and survive being written out and parsed again.

#include "parsetrace.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const fuzz::Plan plan = fuzz::readPlan(data, size);
    const fuzz::Trace whole = fuzz::parseStream({plan.payload}, plan.limits);

    const fuzz::Trace split = fuzz::parseStream(plan.pieces(), plan.limits);
    fuzz::checkSameTrace(split, whole, "in the planned pieces");

    // Byte by byte costs a feed() per byte: only for inputs short enough to keep the pace up.
    if (plan.payload.size() <= 2048) {
        QList<QByteArrayView> bytes;
        bytes.reserve(plan.payload.size());
        for (qsizetype i = 0; i < plan.payload.size(); ++i)
            bytes.append(plan.payload.sliced(i, 1));
        fuzz::checkSameTrace(fuzz::parseStream(bytes, plan.limits), whole, "byte by byte");
    }

    for (const fuzz::Parsed &item : whole.items) {
        if (item.error)
            continue;
        fuzz::checkRequest(item.request, plan.limits);
        fuzz::checkRoundTrip(item.request, plan.limits);
    }
    return 0;
}
