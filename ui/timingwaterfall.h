#pragma once

#include "capture/delivery.h"

#include <QWidget>

namespace ui {

// The phases of one delivery as a small waterfall: a row per phase (DNS, connect,
// TLS, waiting for the first byte, receiving), each bar starting where the phase
// started on a common time axis, with its length in milliseconds. A phase not
// reached shows a dash.
class TimingWaterfall : public QWidget
{
    Q_OBJECT

public:
    explicit TimingWaterfall(QWidget *parent = nullptr);

    void setTimings(const DeliveryTimings &timings);
    void clear();
    const DeliveryTimings &timings() const { return m_timings; }

    struct Phase
    {
        QString name;
        qint64 startUs = 0;
        qint64 endUs = -1;   // -1: not reached
    };
    // The rows drawn, in order.
    static QList<Phase> phases(const DeliveryTimings &timings);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    DeliveryTimings m_timings;
};

} // namespace ui
