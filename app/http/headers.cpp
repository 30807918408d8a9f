#include "headers.h"

namespace http {

bool nameEquals(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

qsizetype countOf(const HeaderList &headers, QByteArrayView name)
{
    qsizetype n = 0;
    for (const HeaderField &field : headers)
        n += nameEquals(field.name, name) ? 1 : 0;
    return n;
}

QByteArray valueOf(const HeaderList &headers, QByteArrayView name)
{
    for (const HeaderField &field : headers) {
        if (nameEquals(field.name, name))
            return field.value;
    }
    return {};
}

bool contains(const HeaderList &headers, QByteArrayView name)
{
    for (const HeaderField &field : headers) {
        if (nameEquals(field.name, name))
            return true;
    }
    return false;
}

QList<QByteArray> listValues(const HeaderList &headers, QByteArrayView name)
{
    QList<QByteArray> values;
    for (const HeaderField &field : headers) {
        if (!nameEquals(field.name, name))
            continue;
        for (const QByteArray &part : field.value.split(',')) {
            const QByteArray trimmed = part.trimmed();
            if (!trimmed.isEmpty())
                values.append(trimmed);
        }
    }
    return values;
}

bool hasToken(const HeaderList &headers, QByteArrayView name, QByteArrayView token)
{
    for (const QByteArray &value : listValues(headers, name)) {
        if (nameEquals(value, token))
            return true;
    }
    return false;
}

} // namespace http
