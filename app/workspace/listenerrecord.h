#pragma once

#include <QString>
#include <QUrl>

namespace workspace {

// Where the listener of a store can be reached while it runs: a small file beside
// the store ("<store>-listener") that the listening process writes when it starts
// listening and removes when it stops. A file left by a process that was killed
// is recognised because nobody holds the store's writer lock any more.
class ListenerRecord
{
public:
    static QString path(const QString &storePath);

    // Records url for the store; false (with *error) when the file cannot be written.
    static bool publish(const QString &storePath, const QUrl &url, QString *error);
    static void withdraw(const QString &storePath);

    // The URL of the listener running for this store, or an empty URL with *why
    // saying that none runs (or that a record was left by one that was killed).
    static QUrl find(const QString &storePath, QString *why);
};

} // namespace workspace
