#include "arrivalrate.h"

namespace ui {

void ArrivalRate::add(int hooks, qint64 nowMs)
{
    expire(nowMs);
    const qint64 start = nowMs - nowMs % BucketMs;
    if (!m_buckets.empty() && m_buckets.back().startMs == start)
        m_buckets.back().hooks += hooks;
    else
        m_buckets.push_back({start, hooks});
    m_total += hooks;
}

double ArrivalRate::perSecond(qint64 nowMs)
{
    expire(nowMs);
    return double(m_total) * 1000.0 / double(m_windowMs);
}

void ArrivalRate::expire(qint64 nowMs)
{
    while (!m_buckets.empty() && m_buckets.front().startMs + BucketMs <= nowMs - m_windowMs) {
        m_total -= m_buckets.front().hooks;
        m_buckets.pop_front();
    }
}

} // namespace ui
