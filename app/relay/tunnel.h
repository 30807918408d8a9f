#pragma once

#include "backoff.h"
#include "tunnelcommand.h"

#include <QElapsedTimer>
#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <optional>

namespace relay {

// A tunnel program run in front of the listener, which stays bound to loopback:
// the tunnel's own child process, its public URL read from what it prints, a
// restart with back-off whenever it ends, and no orphan when hookscope ends
// (stop(), the destructor, and for a crash or SIGKILL the kernel: the child is
// in a process group of its own and gets SIGKILL when its parent dies).
class Tunnel : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Stopped,
        Starting,    // running, no public URL yet
        Public,      // publicUrl() is up
        Waiting,     // ended; starting again after a back-off
        Failed       // gave up: never got a URL after several tries
    };
    Q_ENUM(State)

    struct Timings
    {
        int urlTimeoutMs = 30'000;      // a run that prints no URL in this time is ended
        int firstBackoffMs = 1'000;     // doubled after each run that fails, up to maxBackoffMs
        int maxBackoffMs = 60'000;
        int stableMs = 60'000;          // a run public this long resets the back-off
        int stopGraceMs = 2'000;        // SIGTERM, then SIGKILL after this
        int attemptsWithoutUrl = 5;     // runs that never printed a URL before giving up
    };

    explicit Tunnel(QObject *parent = nullptr);
    ~Tunnel() override;

    void setTimings(const Timings &timings) { m_timings = timings; }

    // Starts the tunnel for a listener on localUrl. False, with *error, when
    // the command is not valid or its program is not installed (the message
    // says what to install); nothing runs then.
    bool start(const TunnelSpec &spec, const QUrl &localUrl, QString *error);
    // Ends the tunnel (and everything in its process group) and waits for it.
    void stop();

    State state() const { return m_state; }
    bool isActive() const { return m_state != State::Stopped && m_state != State::Failed; }
    QUrl publicUrl() const { return m_publicUrl; }
    QUrl localUrl() const { return m_localUrl; }
    TunnelSpec spec() const { return m_spec; }
    QString commandLine() const { return m_command ? m_command->display() : QString(); }
    // The tunnel's last lines of output (stdout and stderr), oldest first.
    QStringList output() const { return m_output; }
    qint64 processId() const { return m_process ? m_process->processId() : 0; }

    static constexpr qsizetype MaxLineBytes = 4096;
    static constexpr qsizetype MaxOutputLines = 500;

signals:
    void stateChanged(relay::Tunnel::State state);
    // The public URL came up, changed (after a restart), or went away (empty).
    void publicUrlChanged(const QUrl &url);
    // A line the tunnel printed (cut at MaxLineBytes).
    void outputLine(const QString &line);
    // Something worth a line in a log: started, ended, restarting, timed out.
    void message(const QString &text);
    // Gave up: the runs printed no public URL.
    void failed(const QString &error);

private:
    void launch();
    void onOutput();
    void takeLine(QByteArray line);
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onUrlTimeout();
    void endRun(const QString &why);
    void setState(State state);
    void setPublicUrl(const QUrl &url);
    void terminate(QProcess *process);
    QString lastLines(int count) const;

    Timings m_timings;
    TunnelSpec m_spec;
    QUrl m_localUrl;
    std::optional<TunnelCommand> m_command;
    QProcess *m_process = nullptr;
    QByteArray m_partial;          // a line not ended yet, at most MaxLineBytes
    bool m_cutting = false;        // dropping the rest of an over-long line
    QStringList m_output;
    QUrl m_publicUrl;
    QUrl m_previousUrl;            // the last public URL there was, to say when a new one replaces it
    QUrl m_runUrl;                 // the URL of the current run, once it printed one
    State m_state = State::Stopped;
    QTimer m_urlTimer;
    QTimer m_restartTimer;
    QElapsedTimer m_publicSince;
    Backoff m_backoff;
    int m_runsWithoutUrl = 0;
    bool m_everPublic = false;
    QString m_endReason;           // why the current run is being ended by us
};

} // namespace relay
