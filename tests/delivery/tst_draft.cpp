#include "delivery/draft.h"

#include <QTest>

class tst_Draft : public QObject
{
    Q_OBJECT

private slots:
    void shouldValidate_data();
    void shouldValidate();
    void shouldReplaceFirstHeaderAndDropRepeats();
    void shouldAppendUnknownHeader();
    void shouldRemoveEveryFieldOfAName();
    void shouldBuildPostFromComposed();
};

static Draft validDraft()
{
    Draft draft;
    draft.url = QUrl(QStringLiteral("http://127.0.0.1:3000/hooks"));
    draft.headers = {{"User-Agent", "Codewars Hookbot"}, {"Content-Type", "application/json"}};
    draft.body = "{}";
    return draft;
}

void tst_Draft::shouldValidate_data()
{
    QTest::addColumn<Draft>("draft");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("errorMentions");

    QTest::newRow("plain Codewars draft") << validDraft() << true << QString();
    Draft d = validDraft();
    d.url = QUrl(QStringLiteral("https://example.com/a?b=c"));
    QTest::newRow("https URL with query") << d << true << QString();
    d = validDraft();
    d.headers.append(http::HeaderField{"X-Empty", ""});
    QTest::newRow("empty header value") << d << true << QString();
    d = validDraft();
    d.headers.append(http::HeaderField{"X-Latin", "caf\xe9 \x80\xff"});
    QTest::newRow("obs-text bytes in a value") << d << true << QString();
    d = validDraft();
    d.headers.append(http::HeaderField{"!#$%&'*+-.^_`|~09azAZ", "v"});
    QTest::newRow("every token character in a name") << d << true << QString();
    d = validDraft();
    d.method = "PURGE";
    QTest::newRow("extension method") << d << true << QString();

    d = validDraft();
    d.headers.append(http::HeaderField{"X-Evil", "a\r\nX-Injected: 1"});
    QTest::newRow("CR LF in a value") << d << false << QStringLiteral("X-Evil");
    d = validDraft();
    d.headers.append(http::HeaderField{"X-Cr", "a\rb"});
    QTest::newRow("lone CR in a value") << d << false << QStringLiteral("X-Cr");
    d = validDraft();
    d.headers.append(http::HeaderField{"X-Lf", "a\nb"});
    QTest::newRow("lone LF in a value") << d << false << QStringLiteral("X-Lf");
    d = validDraft();
    d.headers.append(http::HeaderField{"X-Nul", QByteArray("a\0b", 3)});
    QTest::newRow("NUL in a value") << d << false << QStringLiteral("X-Nul");
    d = validDraft();
    d.headers.append(http::HeaderField{"Bad Name", "v"});
    QTest::newRow("space in a name") << d << false << QStringLiteral("Bad Name");
    d = validDraft();
    d.headers.append(http::HeaderField{"X-Colon:", "v"});
    QTest::newRow("colon in a name") << d << false << QStringLiteral("X-Colon:");
    d = validDraft();
    d.headers.append(http::HeaderField{"", "v"});
    QTest::newRow("empty name") << d << false << QStringLiteral("''");
    d = validDraft();
    d.headers.append(http::HeaderField{"X-\xc3\xa9", "v"});
    QTest::newRow("non-ASCII name") << d << false << QStringLiteral("header name");
    d = validDraft();
    d.headers.append(http::HeaderField{"X-Line\nBreak", "v"});
    QTest::newRow("LF in a name, shown escaped") << d << false << QStringLiteral("X-Line\\x0aBreak");
    d = validDraft();
    d.headers.append(http::HeaderField{"Content-Length", "2"});
    QTest::newRow("Content-Length is the sender's") << d << false << QStringLiteral("Content-Length");
    d = validDraft();
    d.headers.append(http::HeaderField{"transfer-encoding", "chunked"});
    QTest::newRow("Transfer-Encoding is the sender's") << d << false << QStringLiteral("transfer-encoding");
    d = validDraft();
    d.method = "PO ST";
    QTest::newRow("method with a space") << d << false << QStringLiteral("PO ST");
    d = validDraft();
    d.method = "";
    QTest::newRow("empty method") << d << false << QStringLiteral("method");
    d = validDraft();
    d.url = QUrl();
    QTest::newRow("empty URL") << d << false << QStringLiteral("URL is empty");
    d = validDraft();
    d.url = QUrl(QStringLiteral("/hooks"));
    QTest::newRow("relative URL") << d << false << QStringLiteral("'/hooks' is relative");
    d = validDraft();
    d.url = QUrl(QStringLiteral("ftp://example.com/x"));
    QTest::newRow("ftp URL") << d << false << QStringLiteral("'ftp://example.com/x' is not an http");
    d = validDraft();
    d.url = QUrl(QStringLiteral("file:///tmp/x"));
    QTest::newRow("file URL") << d << false << QStringLiteral("file:///tmp/x");
    d = validDraft();
    d.url = QUrl(QStringLiteral("http:///nohost"));
    QTest::newRow("http URL without host") << d << false << QStringLiteral("no host");
    d = validDraft();
    d.url = QUrl(QStringLiteral("http://exa mple.com/"), QUrl::StrictMode);
    QTest::newRow("invalid URL") << d << false << QStringLiteral("not valid");
}

void tst_Draft::shouldValidate()
{
    QFETCH(Draft, draft);
    QFETCH(bool, valid);
    QFETCH(QString, errorMentions);

    QString error;
    QCOMPARE(draft.validate(&error), valid);
    if (valid) {
        QVERIFY2(error.isEmpty(), qPrintable(error));
    } else {
        QVERIFY2(error.contains(errorMentions), qPrintable(error));
    }
    QCOMPARE(draft.validate(nullptr), valid);
}

void tst_Draft::shouldReplaceFirstHeaderAndDropRepeats()
{
    Draft draft;
    draft.headers = {{"A", "1"}, {"x-tag", "one"}, {"B", "2"}, {"X-Tag", "two"}};
    draft.setHeader("X-TAG", "three");
    const http::HeaderList expected = {{"A", "1"}, {"x-tag", "three"}, {"B", "2"}};
    QCOMPARE(draft.headers, expected);
}

void tst_Draft::shouldAppendUnknownHeader()
{
    Draft draft;
    draft.headers = {{"A", "1"}};
    draft.setHeader("X-New", "v");
    const http::HeaderList expected = {{"A", "1"}, {"X-New", "v"}};
    QCOMPARE(draft.headers, expected);
}

void tst_Draft::shouldRemoveEveryFieldOfAName()
{
    Draft draft;
    draft.headers = {{"A", "1"}, {"x-tag", "one"}, {"B", "2"}, {"X-Tag", "two"}};
    draft.removeHeader("X-TAG");
    const http::HeaderList expected = {{"A", "1"}, {"B", "2"}};
    QCOMPARE(draft.headers, expected);
}

void tst_Draft::shouldBuildPostFromComposed()
{
    catalog::Composed composed;
    composed.headers = {{"User-Agent", "Codewars Hookbot"}, {"X-Webhook-Event", "user"}};
    composed.body = "{\"action\":\"honor_changed\"}";
    const QUrl url(QStringLiteral("http://127.0.0.1:1/x"));
    const Draft draft = draftFromComposed(composed, url);
    QCOMPARE(draft.method, QByteArray("POST"));
    QCOMPARE(draft.url, url);
    QCOMPARE(draft.headers, composed.headers);
    QCOMPARE(draft.body, composed.body);
    QVERIFY(draft.validate(nullptr));
}

QTEST_GUILESS_MAIN(tst_Draft)
#include "tst_draft.moc"
