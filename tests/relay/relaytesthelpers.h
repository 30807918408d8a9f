#pragma once

// Tools shared by the relay tests: the stand-in tunnel program and processes' fate.

#include <QFile>
#include <QString>
#include <QTemporaryDir>

namespace relaytest {

inline QString standin()
{
    return QStringLiteral(STANDIN_TUNNEL);
}

// The stand-in as a tunnel command line, with {port} left for the tunnel to fill in.
inline QString standinCommand(const QString &arguments)
{
    return u'"' + standin() + u"\" " + arguments;
}

inline qint64 readPid(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    return f.readAll().trimmed().toLongLong();
}

// Gone: no such process, or only its zombie is left (nobody here reaps an orphan's).
inline bool processGone(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0 || close + 2 >= text.size())
        return true;
    const char state = text.at(close + 2);
    return state == 'Z' || state == 'X';
}

} // namespace relaytest
