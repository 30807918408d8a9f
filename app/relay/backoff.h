#pragma once

#include <QString>

#include <algorithm>

namespace relay {

// The wait before trying again: first after the first failure, doubled after
// each further one up to max, back to first after reset() (a success).
class Backoff
{
public:
    int next(int firstMs, int maxMs)
    {
        m_ms = m_ms == 0 ? firstMs : std::min(m_ms * 2, maxMs);
        return m_ms;
    }
    void reset() { m_ms = 0; }

private:
    int m_ms = 0;
};

// "2", "0.5": milliseconds as seconds, for messages.
inline QString secondsText(int ms)
{
    return ms % 1000 == 0 ? QString::number(ms / 1000) : QString::number(ms / 1000.0, 'f', 1);
}

} // namespace relay
