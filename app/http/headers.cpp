#include "headers.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace http {

bool isToken(QByteArrayView text)
{
    // tchar of RFC 9110 section 5.6.2, looked up per byte: the parser asks for every field name.
    static constexpr auto table = [] {
        std::array<bool, 256> t{};
        for (int c = 0; c < 256; ++c) {
            const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            t[size_t(c)] = alnum || std::string_view("!#$%&'*+-.^_`|~").find(char(c)) != std::string_view::npos;
        }
        return t;
    }();
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), [](char c) { return table[uchar(c)]; });
}

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
