#include "catalog/catalog.h"
#include "catalog/standardwebhooks.h"

#include <QDateTime>
#include <QTest>

using namespace catalog;
namespace sw = catalog::standardwebhooks;

Q_DECLARE_METATYPE(catalog::Verdict)

namespace {

// The test vector the Standard Webhooks specification publishes.
const QByteArray Secret = QByteArrayLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
const QByteArray Id = QByteArrayLiteral("msg_p5jXN8AQM9LWM0D4loKWxJek");
const QByteArray Timestamp = QByteArrayLiteral("1614265330");
const qint64 Sent = 1614265330;
const QByteArray Body = QByteArrayLiteral(R"({"test": 2432232314})");
const QByteArray Signature = QByteArrayLiteral("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");

http::HeaderList vectorHeaders(const QByteArray &signature = Signature)
{
    return {{"webhook-id", Id}, {"webhook-timestamp", Timestamp}, {"webhook-signature", signature}};
}

http::HeaderList without(http::HeaderList headers, QByteArrayView name)
{
    headers.removeIf([&](const http::HeaderField &field) { return http::nameEquals(field.name, name); });
    return headers;
}

} // namespace

class tst_StandardWebhooks : public QObject
{
    Q_OBJECT

private slots:
    void shouldSignTheSpecificationsTestVector();
    void shouldJudgeSignatures_data();
    void shouldJudgeSignatures();
    void shouldSayHowFarOffTheTimestampIs_data();
    void shouldSayHowFarOffTheTimestampIs();
    void shouldRecogniseTheEventFromThePayloadsType();
    void shouldComposeSignedRequestsWithFreshIdAndTime();
    void shouldRefuseToComposeWithAMalformedSecret();
};

void tst_StandardWebhooks::shouldSignTheSpecificationsTestVector()
{
    const std::optional<QByteArray> key = sw::keyOf(Secret);
    QVERIFY(key);
    QCOMPARE(key->size(), 24);
    QCOMPARE(sw::signature(*key, Id, Timestamp, Body), Signature);
    QVERIFY(sw::newMessageId().startsWith("msg_"));
    QCOMPARE(sw::newMessageId().size(), 31);
    QVERIFY(sw::newMessageId() != sw::newMessageId());
}

void tst_StandardWebhooks::shouldJudgeSignatures_data()
{
    QTest::addColumn<http::HeaderList>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<qint64>("received");
    QTest::addColumn<Verdict>("verdict");

    const QByteArray other = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
    QTest::newRow("the published vector") << vectorHeaders() << Body << Secret << Sent << Verdict::Valid;
    QTest::newRow("one of several signatures matches") << vectorHeaders(other + ' ' + Signature + " v1a,whatever") << Body
                                                       << Secret << Sent << Verdict::Valid;
    QTest::newRow("none of several matches") << vectorHeaders(other + ' ' + other) << Body << Secret << Sent << Verdict::Invalid;
    QTest::newRow("secret without its whsec_ prefix") << vectorHeaders() << Body << Secret.sliced(6) << Sent << Verdict::Valid;
    QTest::newRow("wrong secret") << vectorHeaders() << Body << QByteArray("whsec_c2VjcmV0LWtleS1vZi1zb21lb25lLWVsc2U=")
                                  << Sent << Verdict::Invalid;
    QTest::newRow("tampered body") << vectorHeaders() << QByteArray(R"({"test": 2432232315})") << Secret << Sent << Verdict::Invalid;
    QTest::newRow("other message id") << http::HeaderList{{"webhook-id", "msg_other"}, {"webhook-timestamp", Timestamp},
                                                          {"webhook-signature", Signature}}
                                      << Body << Secret << Sent << Verdict::Invalid;
    QTest::newRow("no webhook-signature") << without(vectorHeaders(), "webhook-signature") << Body << Secret << Sent << Verdict::Missing;
    QTest::newRow("no webhook-id") << without(vectorHeaders(), "webhook-id") << Body << Secret << Sent << Verdict::Missing;
    QTest::newRow("no webhook-timestamp") << without(vectorHeaders(), "webhook-timestamp") << Body << Secret << Sent << Verdict::Missing;
    QTest::newRow("no secret configured") << vectorHeaders() << Body << QByteArray() << Sent << Verdict::NotConfigured;
    QTest::newRow("timestamp too old") << vectorHeaders() << Body << Secret << Sent + 301 << Verdict::OutsideTolerance;
    QTest::newRow("timestamp too new") << vectorHeaders() << Body << Secret << Sent - 301 << Verdict::OutsideTolerance;
    QTest::newRow("five minutes late is still in time") << vectorHeaders() << Body << Secret << Sent + 300 << Verdict::Valid;
    QTest::newRow("malformed secret") << vectorHeaders() << Body << QByteArray("whsec_not base64!") << Sent << Verdict::Invalid;
    QTest::newRow("signature not base64") << vectorHeaders("v1,###") << Body << Secret << Sent << Verdict::Invalid;
    QTest::newRow("signature without its version") << vectorHeaders(Signature.sliced(3)) << Body << Secret << Sent
                                                   << Verdict::Invalid;
    QTest::newRow("another scheme's version") << vectorHeaders("v1a," + Signature.sliced(3)) << Body << Secret << Sent
                                              << Verdict::Invalid;
    QTest::newRow("timestamp not a number") << http::HeaderList{{"webhook-id", Id}, {"webhook-timestamp", "yesterday"},
                                                                {"webhook-signature", Signature}}
                                            << Body << Secret << Sent << Verdict::Invalid;
}

void tst_StandardWebhooks::shouldJudgeSignatures()
{
    QFETCH(http::HeaderList, headers);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, secret);
    QFETCH(qint64, received);
    QFETCH(Verdict, verdict);
    QCOMPARE(sw::verdict(headers, body, secret, received), verdict);
    // The same through the verdict every hook gets, and the catalog's inspection.
    QCOMPARE(signatureVerdict(headers, body, secret, received * 1000000), verdict);
    const Inspection inspection = Catalog::builtin().inspect(headers, body, secret, received * 1000000);
    QCOMPARE(inspection.provider, http::contains(headers, "webhook-id") ? QStringLiteral("standard-webhooks") : QString());
    QCOMPARE(inspection.signature, verdict);
    if (!inspection.provider.isEmpty()) {
        QCOMPARE(inspection.secret, Verdict::NotUsed);
        QCOMPARE(inspection.authenticity(), verdict);
    }
}

void tst_StandardWebhooks::shouldSayHowFarOffTheTimestampIs_data()
{
    QTest::addColumn<qint64>("received");
    QTest::addColumn<QString>("problem");
    QTest::newRow("in time") << Sent + 12 << QString();
    QTest::newRow("late") << Sent + 437
                          << QStringLiteral("webhook-timestamp is 7 min 17 s before the time received: outside the tolerance of 5 min");
    QTest::newRow("from the future") << Sent - 7200
                                     << QStringLiteral("webhook-timestamp is 2 h after the time received: outside the tolerance of 5 min");
    QTest::newRow("days old") << Sent + 3 * 86400 + 3600
                              << QStringLiteral("webhook-timestamp is 3 d 1 h before the time received: outside the tolerance of 5 min");
}

void tst_StandardWebhooks::shouldSayHowFarOffTheTimestampIs()
{
    QFETCH(qint64, received);
    QFETCH(QString, problem);
    QCOMPARE(sw::timestampProblem(vectorHeaders(), received).value_or(QString()), problem);
    // Recognising a hook received then says it too, whatever the secret.
    Inspection inspection;
    Catalog::builtin().recognise(vectorHeaders(), Body, &inspection, received * 1000000);
    QCOMPARE(inspection.problems.contains(problem), !problem.isEmpty());
    QCOMPARE(sw::timestampProblem({{"webhook-timestamp", "soon"}}, received).value_or(QString()),
             QStringLiteral("webhook-timestamp: expected seconds since 1970-01-01, got \"soon\""));
}

void tst_StandardWebhooks::shouldRecogniseTheEventFromThePayloadsType()
{
    const Catalog catalog = Catalog::builtin();
    const http::HeaderList headers = {{"webhook-id", Id}, {"webhook-timestamp", Timestamp}};
    Inspection inspection;
    catalog.recognise(headers, R"({"type":"contact.created","timestamp":"2022-11-03T20:26:10.344522Z",
                                   "data":{"id":"1f81eb52-5198-4599-803e-771906343485","type":"contact"}})", &inspection, Sent * 1000000);
    QCOMPARE(inspection.provider, QStringLiteral("standard-webhooks"));
    QCOMPARE(inspection.event, QStringLiteral("contact.created"));
    QVERIFY2(inspection.problems.isEmpty(), qPrintable(inspection.problems.join(u'\n')));

    // An event the catalog does not list is checked against the general form.
    catalog.recognise(headers, R"({"type":"invoice.paid","timestamp":"2022-11-03T20:26:10Z","data":{"total":12}})", &inspection,
                      Sent * 1000000);
    QCOMPARE(inspection.event, QStringLiteral("invoice.paid"));
    QVERIFY2(inspection.problems.isEmpty(), qPrintable(inspection.problems.join(u'\n')));
    catalog.recognise(headers, R"({"type":"invoice.paid","data":[]})", &inspection, Sent * 1000000);
    QCOMPARE(inspection.event, QStringLiteral("invoice.paid"));
    QCOMPARE(inspection.problems, (QStringList{QStringLiteral("/data: expected an object, got []"),
                                               QStringLiteral("/timestamp: missing")}));

    catalog.recognise(headers, Body, &inspection, Sent * 1000000);
    QCOMPARE(inspection.provider, QStringLiteral("standard-webhooks"));
    QCOMPARE(inspection.event, QString());
    QCOMPARE(inspection.problems, QStringList{QStringLiteral("/type: missing, expected the event's name")});
    catalog.recognise(headers, R"({"type":7})", &inspection, Sent * 1000000);
    QCOMPARE(inspection.problems, QStringList{QStringLiteral("/type: expected the event's name, got 7")});
    catalog.recognise(headers, "not json", &inspection, Sent * 1000000);
    QCOMPARE(inspection.problems.size(), 1);
    QVERIFY2(inspection.problems.constFirst().startsWith(u"body is not JSON"), qPrintable(inspection.problems.constFirst()));
}

void tst_StandardWebhooks::shouldComposeSignedRequestsWithFreshIdAndTime()
{
    const Catalog catalog = Catalog::builtin();
    for (const QString &event : {QStringLiteral("contact.created"), QStringLiteral("invoice.paid")}) {
        QString error;
        const std::optional<Composed> first = catalog.compose(QStringLiteral("standard-webhooks"), event, QString(), Secret, &error);
        QVERIFY2(first, qPrintable(error));
        const std::optional<Composed> second = catalog.compose(QStringLiteral("standard-webhooks"), event, QString(), Secret, &error);
        QVERIFY2(second, qPrintable(error));
        const QByteArray id = http::valueOf(first->headers, "webhook-id");
        QVERIFY2(id.startsWith("msg_"), id.constData());
        QVERIFY(id != http::valueOf(second->headers, "webhook-id"));
        const qint64 timestamp = http::valueOf(first->headers, "webhook-timestamp").toLongLong();
        QVERIFY(qAbs(timestamp - QDateTime::currentSecsSinceEpoch()) < 60);

        const Inspection inspection = catalog.inspect(first->headers, first->body, Secret);
        QCOMPARE(inspection.provider, QStringLiteral("standard-webhooks"));
        QCOMPARE(inspection.event, event);
        QCOMPARE(inspection.authenticity(), Verdict::Valid);
        QVERIFY2(inspection.problems.isEmpty(), qPrintable(inspection.problems.join(u'\n')));

        // For an edited body, new headers sign it.
        const QByteArray edited = first->body + ' ';
        const std::optional<http::HeaderList> headers = catalog.headersFor(QStringLiteral("standard-webhooks"), event, edited, Secret, &error);
        QVERIFY2(headers, qPrintable(error));
        QCOMPARE(signatureVerdict(*headers, edited, Secret), Verdict::Valid);
        QCOMPARE(signatureVerdict(first->headers, edited, Secret), Verdict::Invalid);
    }
    // Without a secret nothing is signed, and the hook is still recognised.
    QString error;
    const std::optional<Composed> unsigned_ = catalog.compose(QStringLiteral("standard-webhooks"), QStringLiteral("contact.created"),
                                                              QString(), QByteArray(), &error);
    QVERIFY2(unsigned_, qPrintable(error));
    QVERIFY(!http::contains(unsigned_->headers, "webhook-signature"));
    QCOMPARE(catalog.inspect(unsigned_->headers, unsigned_->body, Secret).authenticity(), Verdict::Missing);
}

void tst_StandardWebhooks::shouldRefuseToComposeWithAMalformedSecret()
{
    QString error;
    QVERIFY(!Catalog::builtin().compose(QStringLiteral("standard-webhooks"), QStringLiteral("contact.created"), QString(),
                                        "whsec_not base64!", &error));
    QCOMPARE(error, QStringLiteral("secret: a Standard Webhooks secret is \"whsec_\" followed by the key in base64"));
    QVERIFY(!Catalog::builtin().compose(QStringLiteral("standard-webhooks"), QStringLiteral("*"), QString(), Secret, &error));
    QVERIFY2(error.contains(u"name the event to send"), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_StandardWebhooks)
#include "tst_standardwebhooks.moc"
