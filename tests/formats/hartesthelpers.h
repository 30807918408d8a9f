#pragma once

// Looking into HAR documents in the formats tests.

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

// The entries of a HAR document.
inline QJsonArray entriesOf(const QByteArray &har)
{
    return QJsonDocument::fromJson(har).object().value(u"log").toObject().value(u"entries").toArray();
}

// The entries with hookscope's ids taken out: import assigns new ones.
inline QJsonArray withoutIds(QJsonArray entries)
{
    for (qsizetype i = 0; i < entries.size(); ++i) {
        QJsonObject entry = entries.at(i).toObject();
        QJsonObject own = entry.value(u"_hookscope").toObject();
        own.remove(QStringLiteral("id"));
        entry.insert(QStringLiteral("_hookscope"), own);
        entries.replace(i, entry);
    }
    return entries;
}
