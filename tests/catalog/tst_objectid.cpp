#include "catalog/objectid.h"

#include <QSet>
#include <QTest>

using namespace catalog;

class tst_ObjectId : public QObject
{
    Q_OBJECT

private slots:
    void shouldBe24LowercaseHexDigits();
    void shouldStartWithTheCurrentTime();
    void shouldBeUnique();
    void shouldRecogniseObjectIds_data();
    void shouldRecogniseObjectIds();
};

void tst_ObjectId::shouldBe24LowercaseHexDigits()
{
    for (int i = 0; i < 100; ++i) {
        const QByteArray id = newObjectId();
        QCOMPARE(id.size(), 24);
        for (const char c : id)
            QVERIFY2((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'), id.constData());
        QVERIFY(isObjectId(id));
    }
}

void tst_ObjectId::shouldStartWithTheCurrentTime()
{
    const qint64 before = QDateTime::currentSecsSinceEpoch();
    const QByteArray id = newObjectId();
    const qint64 after = QDateTime::currentSecsSinceEpoch();
    const qint64 seconds = id.first(8).toLongLong(nullptr, 16);
    QVERIFY2(seconds >= before && seconds <= after, id.constData());
    QCOMPARE(objectIdTimestamp(id).toSecsSinceEpoch(), seconds);
    // The spec's sample id was made in 2014.
    QCOMPARE(objectIdTimestamp("53aa3f265b97485984000001").date().year(), 2014);
}

void tst_ObjectId::shouldBeUnique()
{
    QSet<QByteArray> ids;
    for (int i = 0; i < 10000; ++i)
        ids.insert(newObjectId());
    QCOMPARE(ids.size(), 10000);
}

void tst_ObjectId::shouldRecogniseObjectIds_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::newRow("spec sample") << QByteArray("53aa3f265b97485984000001") << true;
    QTest::newRow("upper case") << QByteArray("53AA3F265B97485984000001") << true;
    QTest::newRow("23 digits") << QByteArray("53aa3f265b9748598400000") << false;
    QTest::newRow("25 digits") << QByteArray("53aa3f265b974859840000011") << false;
    QTest::newRow("not hex") << QByteArray("53aa3f265b97485984000g01") << false;
    QTest::newRow("empty") << QByteArray() << false;
}

void tst_ObjectId::shouldRecogniseObjectIds()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QCOMPARE(isObjectId(text), valid);
    QCOMPARE(objectIdTimestamp(text).isValid(), valid);
}

QTEST_GUILESS_MAIN(tst_ObjectId)
#include "tst_objectid.moc"
