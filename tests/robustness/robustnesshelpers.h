#pragma once

// Tools shared by the robustness tests: the process's peak memory, and a
// well-behaved client that keeps sending hooks on a thread of its own while the
// test abuses the listener from the main thread.

#include "testhelpers.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QFile>
#include <QMutex>
#include <QMutexLocker>
#include <QTcpSocket>
#include <QThread>

#include <atomic>
#include <memory>

namespace robustness {

// Peak resident memory of this process, from /proc/self/status; -1 when unknown.
inline qint64 peakRssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// Starts the peak over from what is resident now (Linux: clear_refs, value 5).
inline void resetPeakRss()
{
    QFile clearRefs(QStringLiteral("/proc/self/clear_refs"));
    if (clearRefs.open(QIODevice::WriteOnly))
        clearRefs.write("5");
}

// A generous bound on the peak: the listener and the test's own clients share this
// process. AddressSanitizer's shadow memory and quarantine need more room.
inline qint64 peakRssBoundKiB()
{
#if defined(__SANITIZE_ADDRESS__)
    return 1024 * 1024;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return 1024 * 1024;
#else
    return 256 * 1024;
#endif
#else
    return 256 * 1024;
#endif
}

// Sends a small hook, waits for its answer, and again, over one keep-alive
// connection (a new one after a failure) until stopped. Each answer must be a
// 200 within the answer timeout.
class GoodClient
{
public:
    struct Result
    {
        int answered = 0;              // 200s received
        int failures = 0;              // anything else, or nothing in time
        qint64 slowestMs = 0;
        QList<qint64> ids;             // of the hooks answered 200
        QByteArray firstFailure;
    };

    explicit GoodClient(quint16 port, int answerTimeoutMs = 2000, int pauseMs = 20)
        : m_port(port)
        , m_answerTimeoutMs(answerTimeoutMs)
        , m_pauseMs(pauseMs)
    {
    }
    ~GoodClient() { stop(); }

    void start()
    {
        m_thread.reset(QThread::create([this] { run(); }));
        m_thread->start();
    }

    // Blocks until the client has had at least n answers (or timeoutMs passed).
    bool waitForAnswers(int n, int timeoutMs = 5000) const
    {
        QElapsedTimer timer;
        timer.start();
        while (answered() < n && timer.elapsed() < timeoutMs)
            QThread::msleep(5);
        return answered() >= n;
    }

    int answered() const
    {
        QMutexLocker lock(&m_mutex);
        return m_result.answered;
    }

    Result stop()
    {
        m_stop = true;
        if (m_thread) {
            m_thread->wait();
            m_thread.reset();
        }
        QMutexLocker lock(&m_mutex);
        return m_result;
    }

private:
    void run()
    {
        std::unique_ptr<QTcpSocket> socket;
        QByteArray pending;
        for (int i = 0; !m_stop; ++i) {
            if (!socket || socket->state() != QAbstractSocket::ConnectedState) {
                socket = std::make_unique<QTcpSocket>();
                pending.clear();
                socket->connectToHost(QHostAddress::LocalHost, m_port);
                if (!socket->waitForConnected(m_answerTimeoutMs)) {
                    fail("cannot connect: " + socket->errorString().toUtf8());
                    continue;
                }
            }
            const QByteArray body = "{\"action\":\"good\",\"n\":" + QByteArray::number(i) + '}';
            QElapsedTimer timer;
            timer.start();
            socket->write(testhelpers::postRequest("/good", body, "X-Webhook-Event: code_challenge\r\n"));
            const testhelpers::Answer answer = testhelpers::readAnswer(*socket, pending, m_answerTimeoutMs);
            const qint64 elapsed = timer.elapsed();
            if (answer.status != 200) {
                fail("answer " + QByteArray::number(answer.status) + " after " + QByteArray::number(elapsed) + " ms");
                socket.reset();
                continue;
            }
            {
                QMutexLocker lock(&m_mutex);
                ++m_result.answered;
                m_result.slowestMs = std::max(m_result.slowestMs, elapsed);
                m_result.ids.append(testhelpers::answerId(answer.body));
            }
            QThread::msleep(m_pauseMs);
        }
    }

    void fail(const QByteArray &what)
    {
        QMutexLocker lock(&m_mutex);
        if (m_result.failures++ == 0)
            m_result.firstFailure = what;
    }

    quint16 m_port;
    int m_answerTimeoutMs;
    int m_pauseMs;
    std::atomic<bool> m_stop{false};
    std::unique_ptr<QThread> m_thread;
    mutable QMutex m_mutex;
    Result m_result;
};

} // namespace robustness
