#pragma once

#include <QString>

namespace workspace {

// English plurals without a translation file: "%n hook(s)" becomes "1 hook" or
// "3 hooks". A translation that already chose its form has no "(s)" left to touch.
inline QString plural(QString translated, qint64 n)
{
    return translated.replace(QLatin1String("(s)"), n == 1 ? QString() : QStringLiteral("s"));
}

} // namespace workspace
