#pragma once

#include <QByteArray>
#include <QString>

// The UTF-8 form of a text that is mostly the same as the last time it was
// asked for (a peer address, a provider, event or action name): converted again
// only when the text changed. Storing a stream of hooks then takes no copy of
// each of these per hook.
class Utf8Memo
{
public:
    const QByteArray &of(const QString &text)
    {
        if (text.constData() != m_text.constData() && text != m_text) {
            m_text = text;
            m_utf8 = text.toUtf8();
        }
        return m_utf8;
    }

private:
    QString m_text;
    QByteArray m_utf8;
};
