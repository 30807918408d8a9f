#pragma once

#include "backoff.h"
#include "sseparser.h"

#include "capture/hook.h"

#include <QFuture>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace relay {

// A subscription to a smee channel (smee.io or a server of its own): the
// channel's event stream, read as its server writes it (see smeeevent.h), each
// delivery handed on as a hook. The stream is opened again with back-off
// whenever it ends, fails or stalls; a server that answers with anything but an
// event stream (smee's web page, a 404) ends the subscription with an error.
//
// smee keeps nothing for a channel nobody reads: deliveries made while the
// stream is down are lost, which state() == Waiting or Connecting says.
class SmeeChannel : public QObject
{
    Q_OBJECT

public:
    enum class State { Stopped, Connecting, Connected, Waiting, Failed };
    Q_ENUM(State)

    struct Timings
    {
        int stallMs = 75'000;          // smee pings every 30 s: silence this long means the stream is dead
        int firstBackoffMs = 1'000;    // doubled after each failed connection, up to maxBackoffMs
        int maxBackoffMs = 60'000;
        qsizetype maxEventBytes = 8 * 1024 * 1024;
    };

    explicit SmeeChannel(QNetworkAccessManager *network, QObject *parent = nullptr);
    ~SmeeChannel() override;

    void setTimings(const Timings &timings) { m_timings = timings; }

    // Subscribes. False, with *error, for a URL that is not an http(s) URL of a channel.
    bool start(const QUrl &channel, QString *error);
    void stop();

    State state() const { return m_state; }
    bool isActive() const { return m_state != State::Stopped && m_state != State::Failed; }
    QUrl channel() const { return m_channel; }
    QString errorString() const { return m_error; }
    // Reconnections since start() (the first connection is not one).
    int reconnections() const { return m_reconnections; }

signals:
    void stateChanged(relay::SmeeChannel::State state);
    // A delivery, as a hook without id or verdicts.
    void delivered(const Hook &hook);
    // Something worth a line in a log: connected, lost, reconnecting, an event skipped.
    void message(const QString &text);
    // A malformed or oversized event was skipped (also said in message()).
    void eventRejected(const QString &why);
    // Gave up: the URL is not a channel of a smee server.
    void failed(const QString &error);

private:
    void connectStream();
    void onMetaData();
    void onData();
    void onFinished();
    void onStall();
    void retry(const QString &why);
    void fail(const QString &error);
    void dropReply();
    void setState(State state);

    QNetworkAccessManager *m_network;
    Timings m_timings;
    QUrl m_channel;
    QPointer<QNetworkReply> m_reply;
    SseParser m_parser;
    State m_state = State::Stopped;
    QTimer m_stallTimer;
    QTimer m_retryTimer;
    Backoff m_backoff;
    int m_reconnections = 0;
    bool m_wasConnected = false;
    QString m_error;
};

// A new channel from a smee server: the address its /new page redirects to.
struct NewChannel
{
    QUrl url;
    QString error;
};
QFuture<NewChannel> requestNewChannel(QNetworkAccessManager *network, const QUrl &server);

// https://smee.io
QUrl defaultSmeeServer();

} // namespace relay
