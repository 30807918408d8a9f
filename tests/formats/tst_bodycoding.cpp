#include "formats/bodycoding.h"

#include <QTest>

class tst_BodyCoding : public QObject
{
    Q_OBJECT

private slots:
    void shouldNameTheCodingsInTheOrderApplied_data();
    void shouldNameTheCodingsInTheOrderApplied();
    void shouldDecodeForDisplay_data();
    void shouldDecodeForDisplay();
    void shouldStopAtTheBoundOnDecodedSize();
};

void tst_BodyCoding::shouldNameTheCodingsInTheOrderApplied_data()
{
    QTest::addColumn<http::HeaderList>("headers");
    QTest::addColumn<QByteArrayList>("codings");
    QTest::newRow("none") << http::HeaderList{{"Content-Type", "application/json"}} << QByteArrayList{};
    QTest::newRow("chunked alone") << http::HeaderList{{"Transfer-Encoding", "chunked"}} << QByteArrayList{};
    QTest::newRow("gzip, chunked") << http::HeaderList{{"Transfer-Encoding", "gzip, chunked"}} << QByteArrayList{"gzip"};
    QTest::newRow("case and spaces") << http::HeaderList{{"transfer-encoding", " Deflate ,Chunked"}} << QByteArrayList{"deflate"};
    QTest::newRow("content then transfer")
        << http::HeaderList{{"Content-Encoding", "gzip"}, {"Transfer-Encoding", "deflate, chunked"}} << QByteArrayList{"gzip", "deflate"};
    QTest::newRow("identity left out") << http::HeaderList{{"Content-Encoding", "identity"}} << QByteArrayList{};
    QTest::newRow("two fields") << http::HeaderList{{"Transfer-Encoding", "gzip"}, {"Transfer-Encoding", "chunked"}} << QByteArrayList{"gzip"};
}

void tst_BodyCoding::shouldNameTheCodingsInTheOrderApplied()
{
    QFETCH(http::HeaderList, headers);
    QFETCH(QByteArrayList, codings);
    QCOMPARE(formats::bodyCodings(headers), codings);
}

void tst_BodyCoding::shouldDecodeForDisplay_data()
{
    const QByteArray json = R"({"a":1})";
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArrayList>("codings");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QByteArray>("shown");
    QTest::addColumn<QString>("error");
    // As gzip(1) and zlib write them, not only as we do.
    QTest::newRow("gzip from gzip -n") << QByteArray::fromHex("1f8b0800000000000003ab564a54b232ac0500afac1b5607000000")
                                       << QByteArrayList{"gzip"} << true << json << QString();
    QTest::newRow("x-gzip") << formats::encodeBody(json, "gzip") << QByteArrayList{"x-gzip"} << true << json << QString();
    QTest::newRow("deflate, zlib-wrapped") << QByteArray::fromHex("789cab564a54b232ac0500082a0209") << QByteArrayList{"deflate"} << true
                                           << json << QString();
    QTest::newRow("deflate, raw as some senders send it") << QByteArray::fromHex("ab564a54b232ac0500") << QByteArrayList{"deflate"}
                                                           << true << json << QString();
    QTest::newRow("gzip then deflate, undone last first")
        << formats::encodeBody(formats::encodeBody(json, "gzip"), "deflate") << QByteArrayList{"gzip", "deflate"} << true << json << QString();
    QTest::newRow("not coded") << json << QByteArrayList{} << true << json << QString();
    const QByteArray gzip = formats::encodeBody(json, "gzip");
    QTest::newRow("gzip cut short") << gzip.first(gzip.size() - 6) << QByteArrayList{"gzip"} << false << gzip.first(gzip.size() - 6)
                                    << QStringLiteral("gzip: the data ends early");
    QTest::newRow("not gzip at all") << json << QByteArrayList{"gzip"} << false << json << QStringLiteral("gzip: incorrect header check");
    QTest::newRow("br that is not br") << json << QByteArrayList{"br"} << false << json << QStringLiteral("br: PADDING_2");
    QTest::newRow("a coding not decoded") << json << QByteArrayList{"compress"} << false << json
                                          << QStringLiteral("compress: unknown coding \"compress\"");
}

void tst_BodyCoding::shouldDecodeForDisplay()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArrayList, codings);
    QFETCH(bool, ok);
    QFETCH(QByteArray, shown);
    QFETCH(QString, error);
    const formats::DecodedBody decoded = formats::decodeBody(body, codings);
    QCOMPARE(decoded.ok, ok);
    QCOMPARE(decoded.bytes, shown);
    QCOMPARE(decoded.error, error);
    QCOMPARE(decoded.codings, codings);
    QCOMPARE(decoded.decoded(), ok && !codings.isEmpty());
}

void tst_BodyCoding::shouldStopAtTheBoundOnDecodedSize()
{
    // A small bomb: 8 MiB of zeros in a few KiB.
    const QByteArray zeros(8 * 1024 * 1024, '\0');
    const QByteArray bomb = formats::encodeBody(zeros, "gzip");
    QVERIFY(bomb.size() < 64 * 1024);
    const formats::DecodedBody within = formats::decodeBody(bomb, QByteArrayList{"gzip"});
    QVERIFY(within.ok);
    QCOMPARE(within.bytes.size(), zeros.size());
    const formats::DecodedBody over = formats::decodeBody(bomb, QByteArrayList{"gzip"}, 1024 * 1024);
    QVERIFY(!over.ok);
    QCOMPARE(over.error, QStringLiteral("gzip: decoded body is larger than 1048576 bytes"));
    QCOMPARE(over.bytes, bomb);   // shown as stored
}

QTEST_GUILESS_MAIN(tst_BodyCoding)
#include "tst_bodycoding.moc"
