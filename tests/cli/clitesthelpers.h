#pragma once

// Running the real hookscope binary from tests.

#include <QProcess>
#include <QRegularExpression>
#include <QStringList>
#include <QTest>
#include <QUrl>

namespace clitest {

inline QString binary()
{
    return QStringLiteral(HOOKSCOPE_BINARY);
}

struct Result
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs `hookscope args...` to completion (bounded), feeding `input` on stdin.
inline Result run(const QStringList &args, const QByteArray &input = {}, int timeoutMs = 30000)
{
    QProcess process;
    process.start(binary(), args);
    if (!process.waitForStarted(5000))
        return {};
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return {};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
            process.readAllStandardError()};
}

// Starts `hookscope listen ...` and waits for its first line; the URL it listens on,
// or an empty URL when it did not come up.
inline QUrl startListener(QProcess &process, const QStringList &args)
{
    process.start(binary(), QStringList{QStringLiteral("listen"), QStringLiteral("--port"), QStringLiteral("0")} + args);
    if (!process.waitForStarted(5000))
        return {};
    while (!process.canReadLine()) {
        if (!process.waitForReadyRead(10000))
            return {};
    }
    const QByteArray line = process.readLine();
    static const QRegularExpression pattern(QStringLiteral("^listening on (http://127\\.0\\.0\\.1:\\d+/)\n$"));
    const QRegularExpressionMatch match = pattern.match(QString::fromUtf8(line));
    return match.hasMatch() ? QUrl(match.captured(1)) : QUrl();
}

} // namespace clitest
