#pragma once

#include <QtGlobal>

#include <deque>

namespace ui {

// Hooks per second over a sliding window, for the status bar.
class ArrivalRate
{
public:
    explicit ArrivalRate(qint64 windowMs = 5000) : m_windowMs(windowMs) { }

    void add(int hooks, qint64 nowMs);
    double perSecond(qint64 nowMs);
    qint64 windowMs() const { return m_windowMs; }

private:
    void expire(qint64 nowMs);

    struct Bucket
    {
        qint64 startMs;
        int hooks;
    };
    static constexpr qint64 BucketMs = 100;
    qint64 m_windowMs;
    std::deque<Bucket> m_buckets;
    qint64 m_total = 0;
};

} // namespace ui
