#include "listenerrecord.h"

#include "capture/intake.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace workspace {

QString ListenerRecord::path(const QString &storePath)
{
    return storePath + QStringLiteral("-listener");
}

bool ListenerRecord::publish(const QString &storePath, const QUrl &url, QString *error)
{
    QSaveFile file(path(storePath));
    const QJsonObject record{
        {QStringLiteral("url"), url.toString()},
        {QStringLiteral("pid"), QCoreApplication::applicationPid()},
    };
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(record).toJson(QJsonDocument::Compact) + '\n') < 0
        || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(QDir::toNativeSeparators(file.fileName()), file.errorString());
        return false;
    }
    return true;
}

void ListenerRecord::withdraw(const QString &storePath)
{
    QFile::remove(path(storePath));
}

QUrl ListenerRecord::find(const QString &storePath, QString *why)
{
    QFile file(path(storePath));
    if (!file.open(QIODevice::ReadOnly)) {
        *why = QStringLiteral("no hookscope is listening for %1").arg(QDir::toNativeSeparators(storePath));
        return {};
    }
    const QUrl url(QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("url")).toString(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()) {
        *why = QStringLiteral("%1 does not name a URL").arg(QDir::toNativeSeparators(file.fileName()));
        return {};
    }
    if (!IntakeJournal::isLocked(storePath)) {
        *why = QStringLiteral("the hookscope that listened on %1 for %2 has ended without saying so")
                   .arg(url.toString(), QDir::toNativeSeparators(storePath));
        return {};
    }
    return url;
}

} // namespace workspace
