#include "relay/sseparser.h"

#include <QTest>

using relay::SseEvent;
using relay::SseParser;

using Events = QList<SseEvent>;
Q_DECLARE_METATYPE(SseEvent)

namespace QTest {
template<> char *toString(const SseEvent &event)
{
    return qstrdup(QByteArray("{" + event.name + "|" + event.data + "|" + event.id + "}").constData());
}
} // namespace QTest

class TestSseParser : public QObject
{
    Q_OBJECT

private:
    static Events feedInPieces(const QByteArray &stream, qsizetype piece, qsizetype max, int *oversized)
    {
        SseParser parser(max);
        Events events;
        for (qsizetype i = 0; i < stream.size(); i += piece)
            events += parser.feed(QByteArrayView(stream).sliced(i, std::min(piece, stream.size() - i)));
        *oversized = parser.takeOversized();
        return events;
    }

private slots:
    void shouldReadEvents_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<Events>("events");
        QTest::addColumn<int>("oversized");
        QTest::newRow("smee's greeting, a ping and a delivery")
            << QByteArray("id: 0\nevent: ready\ndata: {}\n\nid: 1\nevent: ping\ndata: {}\n\nid: 2\ndata: {\"a\":1}\n\n")
            << Events{{"ready", "{}", "0"}, {"ping", "{}", "1"}, {"", "{\"a\":1}", "2"}} << 0;
        QTest::newRow("CRLF and CR line ends") << QByteArray("data: one\r\n\r\ndata: two\r\rdata: three\n\n")
                                               << Events{{"", "one", ""}, {"", "two", ""}, {"", "three", ""}} << 0;
        QTest::newRow("data lines joined") << QByteArray("data: a\ndata:b\ndata\n\n") << Events{{"", "a\nb\n", ""}} << 0;
        QTest::newRow("comments and unknown fields") << QByteArray(": keep-alive\nretry: 10\nfoo: bar\ndata: x\n\n")
                                                     << Events{{"", "x", ""}} << 0;
        QTest::newRow("an event without data is not dispatched") << QByteArray("event: ping\n\ndata: y\n\n") << Events{{"", "y", ""}} << 0;
        QTest::newRow("no blank line yet: nothing") << QByteArray("data: pending\n") << Events{} << 0;
        QTest::newRow("byte order mark") << QByteArray("\xEF\xBB\xBF" "data: z\n\n") << Events{{"", "z", ""}} << 0;
        QTest::newRow("an oversized event is dropped, the next one read")
            << (QByteArray("data: ") + QByteArray(100, 'x') + "\n\ndata: small\n\n") << Events{{"", "small", ""}} << 1;
        QTest::newRow("oversized over several lines")
            << (QByteArray("data: ") + QByteArray(40, 'x') + "\ndata: " + QByteArray(40, 'y') + "\n\ndata: ok\n\n")
            << Events{{"", "ok", ""}} << 1;
    }
    void shouldReadEvents()
    {
        QFETCH(QByteArray, stream);
        QFETCH(Events, events);
        QFETCH(int, oversized);
        // Whole, in pieces of three bytes, and byte by byte: always the same events.
        for (qsizetype piece : {stream.size(), qsizetype(3), qsizetype(1)}) {
            int dropped = 0;
            QCOMPARE(feedInPieces(stream, std::max<qsizetype>(piece, 1), 64, &dropped), events);
            QCOMPARE(dropped, oversized);
        }
    }

    void shouldKeepMemoryBoundedOnAnEndlessLine()
    {
        SseParser parser(1024);
        const QByteArray chunk(64 * 1024, 'q');
        for (int i = 0; i < 64; ++i)
            QVERIFY(parser.feed(chunk).isEmpty());
        QCOMPARE(parser.feed("\n\ndata: after\n\n"), (Events{{"", "after", ""}}));
        QCOMPARE(parser.takeOversized(), 1);
    }
};

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
