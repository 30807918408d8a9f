#pragma once

#include "catalog/catalog.h"
#include "http/headers.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>
#include <QUrl>

// A request about to be sent: composed from the catalog, taken from a captured
// hook for a replay, or edited by hand. Headers keep their order and spelling;
// Host and Content-Length are not part of a draft, the sender computes them.
struct Draft
{
    QByteArray method = QByteArrayLiteral("POST");
    QUrl url;
    http::HeaderList headers;
    QByteArray body;

    // Whether the draft can go on the wire as it is. *error names the method,
    // header or URL at fault.
    bool validate(QString *error) const;

    // Replaces the value of the first field of that name (case-insensitive) and drops
    // the other fields of that name, or appends a new field.
    void setHeader(const QByteArray &name, const QByteArray &value);
    // Removes every field of that name.
    void removeHeader(QByteArrayView name);

    friend bool operator==(const Draft &, const Draft &) = default;
};

Q_DECLARE_METATYPE(Draft)

// An http(s) URL with a host; *error names the URL and what is wrong with it.
bool isSendableUrl(const QUrl &url, QString *error);

// A composed catalog request as a POST to url, which is how every provider sends hooks.
Draft draftFromComposed(const catalog::Composed &composed, const QUrl &url);
