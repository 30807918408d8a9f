#include "draft.h"

#include <QCoreApplication>

static QString tr(const char *text)
{
    return QCoreApplication::translate("Draft", text);
}

static QString quoted(QByteArrayView bytes)
{
    // Names that are not tokens may hold anything; show control bytes as escapes.
    QString text;
    for (const char c : bytes) {
        const uchar u = uchar(c);
        if (u < 0x20 || u == 0x7f)
            text += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
        else
            text += QChar::fromLatin1(c);
    }
    return u'\'' + text + u'\'';
}

bool isSendableUrl(const QUrl &url, QString *error)
{
    const QString shown = url.toString();
    if (url.isEmpty()) {
        *error = tr("the URL is empty");
        return false;
    }
    if (!url.isValid()) {
        *error = tr("URL '%1' is not valid: %2").arg(shown, url.errorString());
        return false;
    }
    if (url.isRelative()) {
        *error = tr("URL '%1' is relative; give a full http:// or https:// URL").arg(shown);
        return false;
    }
    if (url.scheme() != u"http" && url.scheme() != u"https") {
        *error = tr("URL '%1' is not an http or https URL").arg(shown);
        return false;
    }
    if (url.host().isEmpty()) {
        *error = tr("URL '%1' has no host").arg(shown);
        return false;
    }
    return true;
}

bool Draft::validate(QString *error) const
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (!http::isToken(method)) {
        *error = tr("method %1 is not a valid HTTP method").arg(quoted(method));
        return false;
    }
    if (!isSendableUrl(url, error))
        return false;
    for (const http::HeaderField &field : headers) {
        if (!http::isToken(field.name)) {
            *error = tr("header name %1 is not a valid token (letters, digits and !#$%&'*+-.^_`|~ only)").arg(quoted(field.name));
            return false;
        }
        const char *what = nullptr;
        if (field.value.contains('\r'))
            what = QT_TRANSLATE_NOOP("Draft", "a carriage return (CR)");
        else if (field.value.contains('\n'))
            what = QT_TRANSLATE_NOOP("Draft", "a line feed (LF)");
        else if (field.value.contains('\0'))
            what = QT_TRANSLATE_NOOP("Draft", "a NUL byte");
        if (what) {
            *error = tr("header '%1' has a value containing %2").arg(QString::fromLatin1(field.name), tr(what));
            return false;
        }
        // The sender computes these from the body; a second, different value would
        // make the request ambiguous (request smuggling) or cut the body short.
        if (http::nameEquals(field.name, "Content-Length") || http::nameEquals(field.name, "Transfer-Encoding")) {
            *error = tr("header '%1' is computed from the body when sending; remove it").arg(QString::fromLatin1(field.name));
            return false;
        }
    }
    return true;
}

void Draft::setHeader(const QByteArray &name, const QByteArray &value)
{
    bool found = false;
    for (qsizetype i = 0; i < headers.size();) {
        if (!http::nameEquals(headers.at(i).name, name)) {
            ++i;
        } else if (!found) {
            headers[i].value = value;
            found = true;
            ++i;
        } else {
            headers.removeAt(i);
        }
    }
    if (!found)
        headers.append({name, value});
}

void Draft::removeHeader(QByteArrayView name)
{
    headers.removeIf([name](const http::HeaderField &field) { return http::nameEquals(field.name, name); });
}

Draft draftFromComposed(const catalog::Composed &composed, const QUrl &url)
{
    Draft draft;
    draft.method = QByteArrayLiteral("POST");
    draft.url = url;
    draft.headers = composed.headers;
    draft.body = composed.body;
    return draft;
}
