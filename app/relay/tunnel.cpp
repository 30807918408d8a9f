#include "tunnel.h"

#include "backoff.h"

#include <QFileInfo>
#include <QStandardPaths>

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace relay {

Tunnel::Tunnel(QObject *parent)
    : QObject(parent)
{
    m_urlTimer.setSingleShot(true);
    m_restartTimer.setSingleShot(true);
    connect(&m_urlTimer, &QTimer::timeout, this, &Tunnel::onUrlTimeout);
    connect(&m_restartTimer, &QTimer::timeout, this, &Tunnel::launch);
}

Tunnel::~Tunnel()
{
    blockSignals(true);   // whoever listens may be going away too
    stop();
}

bool Tunnel::start(const TunnelSpec &spec, const QUrl &localUrl, QString *error)
{
    stop();
    std::optional<TunnelCommand> command = tunnelCommand(spec, localUrl, error);
    if (!command)
        return false;
    const bool found = command->program.contains(u'/') ? QFileInfo(command->program).isExecutable()
                                                       : !QStandardPaths::findExecutable(command->program).isEmpty();
    if (!found) {
        *error = command->install.isEmpty()
            ? tr("the tunnel program '%1' is not installed (not found on PATH)").arg(command->program)
            : tr("the tunnel program '%1' is not installed (not found on PATH); install %2").arg(command->program, command->install);
        return false;
    }
    m_spec = spec;
    m_localUrl = localUrl;
    m_command = std::move(command);
    m_output.clear();
    m_backoff.reset();
    m_runsWithoutUrl = 0;
    m_everPublic = false;
    m_previousUrl = QUrl();
    launch();
    return true;
}

void Tunnel::launch()
{
    m_partial.clear();
    m_cutting = false;
    m_runUrl = QUrl();
    m_endReason.clear();
    auto *process = new QProcess(this);   // deleted when it has finished (or in stop())
    m_process = process;
    process->setProcessChannelMode(QProcess::MergedChannels);
    const pid_t parent = getpid();
    process->setChildProcessModifier([parent] {
        // In the child, between fork and exec. A session of its own: no terminal
        // to wait on, and one process group to end with everything it starts.
        // SIGKILL when hookscope dies however it dies, even before this line ran.
        setsid();
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
    });
    connect(process, &QProcess::readyReadStandardOutput, this, &Tunnel::onOutput);
    connect(process, &QProcess::finished, this, &Tunnel::onFinished);
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        // A program that cannot be started never finishes: end the run here.
        if (error == QProcess::FailedToStart && process == m_process) {
            m_endReason = tr("the tunnel could not be started: %1").arg(process->errorString());
            onFinished(-1, QProcess::CrashExit);
        }
    });
    setState(State::Starting);
    emit message(tr("starting the tunnel: %1").arg(m_command->display()));
    m_urlTimer.start(m_timings.urlTimeoutMs);
    process->start(m_command->program, m_command->arguments);
}

void Tunnel::onOutput()
{
    if (!m_process)
        return;
    const QByteArray bytes = m_process->readAllStandardOutput();
    qsizetype start = 0;
    for (;;) {
        const qsizetype end = bytes.indexOf('\n', start);
        const QByteArrayView piece = QByteArrayView(bytes).sliced(start, (end < 0 ? bytes.size() : end) - start);
        if (!m_cutting) {
            const qsizetype room = MaxLineBytes - m_partial.size();
            m_partial.append(piece.first(std::min(room, piece.size())));
            if (piece.size() > room)
                m_cutting = true;
        }
        if (end < 0)
            break;
        takeLine(std::exchange(m_partial, {}));
        m_cutting = false;
        start = end + 1;
        if (!m_process)
            return;
    }
    if (m_cutting && !m_partial.isEmpty()) {
        // An over-long line counts with what was kept of it; the rest is dropped.
        takeLine(std::exchange(m_partial, {}));
    }
}

void Tunnel::takeLine(QByteArray bytes)
{
    if (bytes.endsWith('\r'))
        bytes.chop(1);
    const QString line = QString::fromUtf8(bytes);
    m_output.append(line);
    if (m_output.size() > MaxOutputLines)
        m_output.remove(0, m_output.size() - MaxOutputLines);
    emit outputLine(line);
    if (!m_runUrl.isEmpty() || m_state != State::Starting)
        return;
    const QUrl url = findPublicUrl(line, m_command->urlPattern);
    if (url.isEmpty())
        return;
    m_runUrl = url;
    m_urlTimer.stop();
    m_runsWithoutUrl = 0;
    m_everPublic = true;
    m_publicSince.start();
    setPublicUrl(url);
    setState(State::Public);
}

void Tunnel::onUrlTimeout()
{
    if (!m_process || !m_runUrl.isEmpty())
        return;
    m_endReason = tr("the tunnel printed no public URL in %1 s").arg(secondsText(m_timings.urlTimeoutMs));
    terminate(m_process);
}

void Tunnel::onFinished(int exitCode, QProcess::ExitStatus status)
{
    QProcess *process = m_process;
    if (!process)
        return;
    m_process = nullptr;
    process->disconnect(this);
    process->deleteLater();
    m_urlTimer.stop();
    // What it printed last, a partial line included.
    if (!m_partial.isEmpty())
        takeLine(std::exchange(m_partial, {}));
    QString why = m_endReason;
    if (why.isEmpty()) {
        why = status == QProcess::CrashExit ? tr("the tunnel was killed") : tr("the tunnel ended with exit code %1").arg(exitCode);
    }
    const QString last = lastLines(5);
    if (!last.isEmpty())
        why += tr("; its last lines:\n%1").arg(last);
    const bool wasPublic = !m_runUrl.isEmpty();
    if (!wasPublic)
        ++m_runsWithoutUrl;
    setPublicUrl(QUrl());
    if (!m_everPublic && m_runsWithoutUrl >= m_timings.attemptsWithoutUrl) {
        setState(State::Failed);
        emit failed(tr("no public URL after %n tries: %1", nullptr, m_runsWithoutUrl).arg(why));
        return;
    }
    if (wasPublic && m_publicSince.elapsed() >= m_timings.stableMs)
        m_backoff.reset();
    const int wait = m_backoff.next(m_timings.firstBackoffMs, m_timings.maxBackoffMs);
    emit message(tr("%1\nrestarting the tunnel in %2 s").arg(why, secondsText(wait)));
    setState(State::Waiting);
    m_restartTimer.start(wait);
}

void Tunnel::stop()
{
    m_urlTimer.stop();
    m_restartTimer.stop();
    if (QProcess *process = std::exchange(m_process, nullptr)) {
        process->disconnect(this);
        terminate(process);
        process->waitForFinished(m_timings.stopGraceMs);
        if (process->state() != QProcess::NotRunning) {
            ::kill(-pid_t(process->processId()), SIGKILL);
            process->kill();
            process->waitForFinished(1000);
        }
        delete process;
        emit message(tr("the tunnel was stopped"));
    }
    setPublicUrl(QUrl());
    setState(State::Stopped);
}

void Tunnel::terminate(QProcess *process)
{
    const qint64 pid = process->processId();
    if (pid <= 0)
        return;
    // The whole group: a shell script's children too.
    ::kill(-pid_t(pid), SIGTERM);
    ::kill(pid_t(pid), SIGTERM);
    if (process == m_process) {
        // Ended asynchronously (the URL timeout): SIGKILL if it ignores SIGTERM.
        QTimer::singleShot(m_timings.stopGraceMs, process, [process, pid] {
            if (process->state() != QProcess::NotRunning) {
                ::kill(-pid_t(pid), SIGKILL);
                process->kill();
            }
        });
    }
}

void Tunnel::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void Tunnel::setPublicUrl(const QUrl &url)
{
    if (url == m_publicUrl)
        return;
    m_publicUrl = url;
    if (!url.isEmpty()) {
        if (m_previousUrl.isEmpty() || m_previousUrl == url)
            emit message(tr("public URL %1").arg(url.toString()));
        else
            emit message(tr("new public URL %1 (the tunnel restarted; %2 no longer works)").arg(url.toString(), m_previousUrl.toString()));
        m_previousUrl = url;
    }
    emit publicUrlChanged(url);
}

QString Tunnel::lastLines(int count) const
{
    QStringList lines;
    for (qsizetype i = std::max<qsizetype>(0, m_output.size() - count); i < m_output.size(); ++i)
        lines.append(u"  " + m_output.at(i));
    return lines.join(u'\n');
}

} // namespace relay
