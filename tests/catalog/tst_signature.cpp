#include "catalog/signature.h"

#include <QTest>

using namespace catalog;

class tst_Signature : public QObject
{
    Q_OBJECT

private slots:
    void shouldMatchGithubPublishedTestVector();
    void shouldSignTheRawBytes();
    void shouldCompareInConstantTime_data();
    void shouldCompareInConstantTime();
};

void tst_Signature::shouldMatchGithubPublishedTestVector()
{
    // GitHub docs, "Validating webhook deliveries".
    QCOMPARE(signatureFor("Hello, World!", QByteArrayLiteral("It's a Secret to Everybody")),
             QByteArrayLiteral("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));
    // The same example signed the older way (HMAC-SHA1), as GitHub still sends beside it.
    QCOMPARE(sha1SignatureFor("Hello, World!", QByteArrayLiteral("It's a Secret to Everybody")),
             QByteArrayLiteral("sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59"));
}

void tst_Signature::shouldSignTheRawBytes()
{
    const QByteArray secret = QByteArrayLiteral("k");
    const QByteArray compact = QByteArrayLiteral(R"({"a":1})");
    const QByteArray spaced = QByteArrayLiteral(R"({"a": 1})");
    QVERIFY(signatureFor(compact, secret) != signatureFor(spaced, secret));
    QVERIFY(signatureFor(compact, secret) != signatureFor(compact, QByteArrayLiteral("K")));
    QCOMPARE(signatureFor(compact, secret), signatureFor(compact, secret));
    const QByteArray withNul("a\0b", 3);
    QVERIFY(signatureFor(withNul, secret) != signatureFor(QByteArrayView("a"), secret));
    QCOMPARE(signatureFor(compact, secret).size(), 7 + 64);
}

void tst_Signature::shouldCompareInConstantTime_data()
{
    QTest::addColumn<QByteArray>("received");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<bool>("equal");
    QTest::newRow("same") << QByteArray("secret") << QByteArray("secret") << true;
    QTest::newRow("last byte differs") << QByteArray("secret") << QByteArray("secreT") << false;
    QTest::newRow("first byte differs") << QByteArray("Secret") << QByteArray("secret") << false;
    QTest::newRow("prefix") << QByteArray("sec") << QByteArray("secret") << false;
    QTest::newRow("longer") << QByteArray("secretsecret") << QByteArray("secret") << false;
    QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
    QTest::newRow("received empty") << QByteArray() << QByteArray("secret") << false;
    QTest::newRow("expected empty") << QByteArray("x") << QByteArray() << false;
    QTest::newRow("embedded NUL") << QByteArray("a\0b", 3) << QByteArray("a\0c", 3) << false;
}

void tst_Signature::shouldCompareInConstantTime()
{
    QFETCH(QByteArray, received);
    QFETCH(QByteArray, expected);
    QFETCH(bool, equal);
    QCOMPARE(constantTimeEquals(received, expected), equal);
}

QTEST_GUILESS_MAIN(tst_Signature)
#include "tst_signature.moc"
