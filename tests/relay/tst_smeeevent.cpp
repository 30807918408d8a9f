#include "relay/smeeevent.h"

#include <QTest>

using relay::hookFromSmee;

Q_DECLARE_METATYPE(http::HeaderField)

using namespace Qt::Literals::StringLiterals;

class TestSmeeEvent : public QObject
{
    Q_OBJECT

private slots:
    void shouldBuildTheHook_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<http::HeaderList>("headers");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<qint64>("receivedUs");
        QTest::newRow("a Codewars delivery as smee.io relays it")
            << QByteArray("{\"host\":\"smee.io\",\"content-type\":\"application/json\",\"x-webhook-event\":\"user\",\"x-webhook-secret\":\"s3cret\","
                          "\"content-length\":\"62\",\"body\":{\"action\":\"rank_upgraded\",\"user\":{\"id\":\"5\",\"rank\":-3}},\"query\":{},\"timestamp\":1764800000123}")
            << QByteArray("/chan") << http::HeaderList{{"host", "smee.io"}, {"content-type", "application/json"}, {"x-webhook-event", "user"},
                                                      {"x-webhook-secret", "s3cret"}, {"content-length", "62"}}
            << QByteArray("{\"action\":\"rank_upgraded\",\"user\":{\"id\":\"5\",\"rank\":-3}}") << qint64(1764800000123000);
        QTest::newRow("member order, number text and escapes kept as JSON.stringify wrote them")
            << QByteArray("{\"body\":{\"z\":1,\"a\":[1.5e+300,0.1,-0],\"s\":\"line\\nbreak \\\"q\\\" \\u0001 \xc3\xa9\"},\"timestamp\":1}")
            << QByteArray("/chan") << http::HeaderList{}
            << QByteArray("{\"z\":1,\"a\":[1.5e+300,0.1,-0],\"s\":\"line\\nbreak \\\"q\\\" \\u0001 \xc3\xa9\"}") << qint64(1000);
        QTest::newRow("query rebuilt, lists repeated")
            << QByteArray("{\"x-github-event\":\"ping\",\"body\":{},\"query\":{\"a\":\"1 2\",\"b\":[\"x\",\"y\"]},\"timestamp\":5}")
            << QByteArray("/chan?a=1%202&b=x&b=y") << http::HeaderList{{"x-github-event", "ping"}} << QByteArray("{}") << qint64(5000);
        QTest::newRow("a header the relay kept as a list")
            << QByteArray("{\"set-cookie\":[\"a=1\",\"b=2\"],\"x-number\":7,\"body\":{\"ok\":true},\"timestamp\":9}") << QByteArray("/chan")
            << http::HeaderList{{"set-cookie", "a=1"}, {"set-cookie", "b=2"}, {"x-number", "7"}} << QByteArray("{\"ok\":true}")
            << qint64(9000);
    }
    void shouldBuildTheHook()
    {
        QFETCH(QByteArray, data);
        QFETCH(QByteArray, target);
        QFETCH(http::HeaderList, headers);
        QFETCH(QByteArray, body);
        QFETCH(qint64, receivedUs);
        QString error;
        const std::optional<Hook> hook = hookFromSmee(data, QUrl(QStringLiteral("https://smee.io/chan")), &error);
        QVERIFY2(hook, qPrintable(error));
        QCOMPARE(hook->method, QByteArray("POST"));
        QCOMPARE(hook->target, target);
        QCOMPARE(hook->headers, headers);
        QCOMPARE(hook->body, body);
        QCOMPARE(hook->receivedUs, receivedUs);
        QCOMPARE(hook->peer(), QStringLiteral("smee.io:443"));
        QCOMPARE(hook->answer.status, 200);
    }

    void shouldRefuseWhatIsNoDelivery_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("error");
        QTest::newRow("not JSON") << QByteArray("<html>") << u"not JSON"_s;
        QTest::newRow("cut short") << QByteArray("{\"body\":{\"a\":") << u"not JSON"_s;
        QTest::newRow("an array") << QByteArray("[1,2]") << u"not a JSON object"_s;
        QTest::newRow("empty object") << QByteArray("{}") << u"not a relayed delivery"_s;
    }
    void shouldRefuseWhatIsNoDelivery()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, error);
        QString why;
        QVERIFY(!hookFromSmee(data, QUrl(QStringLiteral("https://smee.io/chan")), &why));
        QVERIFY2(why.contains(error), qPrintable(why));
    }
};

QTEST_GUILESS_MAIN(TestSmeeEvent)
#include "tst_smeeevent.moc"
