#include "catalog/catalog.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace catalog;

namespace {

QByteArray headerValue(const http::HeaderList &headers, QByteArrayView name)
{
    return http::valueOf(headers, name);
}

QList<QByteArray> headerNames(const http::HeaderList &headers)
{
    QList<QByteArray> names;
    for (const http::HeaderField &field : headers)
        names.append(field.name);
    return names;
}

// Every (provider, event, action) triple of a catalog; action is empty for events without actions.
struct Triple
{
    QString provider;
    QString event;
    QString action;
};

QList<Triple> everyAction(const Catalog &catalog)
{
    QList<Triple> triples;
    for (const QString &id : catalog.providers()) {
        for (const Event &event : catalog.events(id)) {
            if (!event.hasActions())
                triples.append({id, event.name, QString()});
            for (const Action &action : event.actions) {
                triples.append({id, event.name, action.name});
                for (const Alias &alias : action.aliases)
                    triples.append({id, event.name, alias.name});
            }
        }
    }
    return triples;
}

// The warnings of the built-in files loaded whole (builtin() compiles each action on first use).
QStringList builtinFilesWarnings()
{
    static const QStringList warnings = [] {
        Catalog catalog;
        QStringList found;
        for (const char *file : {":/catalog/codewars.json", ":/catalog/github.json"})
            Catalog::loadFile(QString::fromLatin1(file), &catalog, nullptr, &found);
        return found;
    }();
    return warnings;
}

} // namespace

class tst_Catalog : public QObject
{
    Q_OBJECT

private slots:
    void shouldReadBundledFilesFromResources();
    void shouldLoadTheBuiltinCatalogWithoutUnknownKeywords();
    void shouldListBothProviders();
    void shouldKnowEveryCodewarsEventAndActionOfTheSpec_data();
    void shouldKnowEveryCodewarsEventAndActionOfTheSpec();
    void shouldResolveAliasesToCanonicalActions_data();
    void shouldResolveAliasesToCanonicalActions();
    void shouldComposeTemplatesThatPassTheirOwnSchema_data();
    void shouldComposeTemplatesThatPassTheirOwnSchema();
    void shouldComposeFreshValuesEachTime();
    void shouldComposeCodewarsHeadersInSpecOrder();
    void shouldComposeBodiesWithActionFirst();
    void shouldComposeAliasSpellingWhenAskedFor();
    void shouldComposeSignedGithubRequests();
    void shouldComposeActionlessEventWithoutAction();
    void shouldRefuseUnknownNamesWhenComposing_data();
    void shouldRefuseUnknownNamesWhenComposing();
    void shouldComputeHeadersForAnEditedBody();
    void shouldShareTheBuiltinCatalog();
    void shouldLoadUserCatalogFile();
    void shouldNameTheFileOfABrokenUserCatalog_data();
    void shouldNameTheFileOfABrokenUserCatalog();
    void shouldReplaceProviderWithSameId();
    void shouldLoadTheReadmesExampleCatalog();
};

void tst_Catalog::shouldReadBundledFilesFromResources()
{
    for (const char *name : {":/catalog/codewars.json", ":/catalog/github.json"}) {
        QFile file(QString::fromLatin1(name));
        QVERIFY2(file.open(QIODevice::ReadOnly), name);
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(document.isObject());
    }
}

void tst_Catalog::shouldLoadTheBuiltinCatalogWithoutUnknownKeywords()
{
    // GitHub's published schemas contradict themselves in one place: secret-scanning-location
    // allows no member (additionalProperties false without properties) yet requires two.
    const QStringList expected{
        u":/catalog/github.json: /events/secret_scanning_alert_location/actions/created/templates/0: no template matches "
        "the schema; the first is kept (does not match the schema: /location/type: not allowed here)"_qs};
    // builtin() compiles each action on first use; loading the files again checks them all now.
    Catalog catalog;
    QStringList warnings;
    for (const char *file : {":/catalog/codewars.json", ":/catalog/github.json"}) {
        QString error;
        QVERIFY2(Catalog::loadFile(QString::fromLatin1(file), &catalog, &error, &warnings), qPrintable(error));
    }
    QCOMPARE(warnings, expected);
    QCOMPARE(catalog.warnings(), expected);
    QCOMPARE(builtinFilesWarnings(), expected);
}

void tst_Catalog::shouldListBothProviders()
{
    const Catalog catalog = Catalog::builtin();
    QCOMPARE(catalog.providers(), QStringList({QStringLiteral("codewars"), QStringLiteral("github"), QStringLiteral("standard-webhooks")}));
    const Provider codewars = *catalog.provider(u"codewars");
    QCOMPARE(codewars.name, QStringLiteral("Codewars"));
    QCOMPARE(codewars.eventHeader, QByteArrayLiteral("X-Webhook-Event"));
    QCOMPARE(catalog.provider(u"github")->eventHeader, QByteArrayLiteral("X-GitHub-Event"));
    QVERIFY(!catalog.provider(u"gitlab"));
}

void tst_Catalog::shouldKnowEveryCodewarsEventAndActionOfTheSpec_data()
{
    QTest::addColumn<QString>("event");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("description");
    QTest::newRow("kata created") << "code_challenge" << "created" << "Code challenge was created";
    QTest::newRow("kata approved") << "code_challenge" << "approve_successful"
                                   << "A code challenge was successfully approved (no longer in beta state)";
    QTest::newRow("kata voted") << "code_challenge" << "voted" << "Someone voted on the code challenge";
    QTest::newRow("kata solved") << "code_challenge" << "solution_finalized"
                                 << "Someone submitted a solution to the code challenge";
    QTest::newRow("rank upgraded") << "user" << "rank_upgraded" << "The user's rank has been upgraded";
    QTest::newRow("honor changed") << "user" << "honor_changed" << "The user's honor has changed";
    QTest::newRow("webhook ping") << "webhook" << "updated" << "ping";
}

void tst_Catalog::shouldKnowEveryCodewarsEventAndActionOfTheSpec()
{
    QFETCH(QString, event);
    QFETCH(QString, action);
    QFETCH(QString, description);
    const Catalog catalog = Catalog::builtin();
    const std::optional<Event> found = catalog.event(u"codewars", event);
    QVERIFY(found);
    QVERIFY(found->hasActions());
    const auto it = std::find_if(found->actions.cbegin(), found->actions.cend(),
                                 [&](const Action &a) { return a.name == action; });
    QVERIFY(it != found->actions.cend());
    QVERIFY2(it->description.contains(description), qPrintable(it->description));
    QCOMPARE(catalog.resolveAction(u"codewars", event, action), std::optional<QString>(action));
}

void tst_Catalog::shouldResolveAliasesToCanonicalActions_data()
{
    QTest::addColumn<QString>("event");
    QTest::addColumn<QString>("alias");
    QTest::addColumn<QString>("canonical");
    QTest::newRow("approved, later revision") << "code_challenge" << "approved" << "approve_successful";
    QTest::newRow("rank_earned, later revision") << "user" << "rank_earned" << "rank_upgraded";
}

void tst_Catalog::shouldResolveAliasesToCanonicalActions()
{
    QFETCH(QString, event);
    QFETCH(QString, alias);
    QFETCH(QString, canonical);
    const Catalog catalog = Catalog::builtin();
    QCOMPARE(catalog.resolveAction(u"codewars", event, alias), std::optional<QString>(canonical));

    const Provider provider = *catalog.provider(u"codewars");
    const Event found = *catalog.event(u"codewars", event);
    const Action action = *std::find_if(found.actions.cbegin(), found.actions.cend(),
                                        [&](const Action &a) { return a.name == canonical; });
    QCOMPARE(action.revision, QStringLiteral("original"));
    QCOMPARE(action.aliases.size(), 1);
    QCOMPARE(action.aliases.front().name, alias);
    QCOMPARE(action.aliases.front().revision, QStringLiteral("later"));
    // The revisions are described in words.
    const auto later = std::find_if(provider.revisions.cbegin(), provider.revisions.cend(),
                                    [](const Revision &r) { return r.id == u"later"; });
    QVERIFY(later != provider.revisions.cend());
    QVERIFY(later->description.contains(alias));

    QVERIFY(!catalog.resolveAction(u"codewars", event, u"deleted"));
    QVERIFY(!catalog.resolveAction(u"codewars", u"kata", alias));
}

void tst_Catalog::shouldComposeTemplatesThatPassTheirOwnSchema_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("event");
    QTest::addColumn<QString>("action");
    const QList<Triple> triples = everyAction(Catalog::builtin());
    QVERIFY(triples.size() >= 12);
    for (const Triple &t : triples) {
        const QString row = t.provider + u'/' + t.event + (t.action.isEmpty() ? QString() : u'/' + t.action);
        QTest::newRow(qPrintable(row)) << t.provider << t.event << t.action;
    }
}

void tst_Catalog::shouldComposeTemplatesThatPassTheirOwnSchema()
{
    QFETCH(QString, provider);
    QFETCH(QString, event);
    QFETCH(QString, action);
    const Catalog catalog = Catalog::builtin();
    const QString place = u"/events/" + event + (action.isEmpty() ? QString() : u"/actions/" + action) + u"/templates/";
    // "*" stands for the events a provider does not list: it composes any of them.
    if (event == u"*")
        event = QStringLiteral("some.unlisted_event");
    for (const QString &warning : builtinFilesWarnings()) {
        if (warning.contains(place) && warning.contains(u"no template matches"))
            QSKIP(qPrintable(u"the published schema accepts no payload here: " + warning));
    }
    // Random values: try a few draws of each template.
    for (int round = 0; round < (provider == u"github" ? 2 : 20); ++round) {
        QString error;
        const std::optional<Composed> composed = catalog.compose(provider, event, action, QByteArrayLiteral("s3cret"), &error);
        QVERIFY2(composed, qPrintable(error));
        QVERIFY2(!composed->body.contains("{{"), composed->body.constData());
        const Inspection inspection = catalog.inspect(composed->headers, composed->body, QByteArrayLiteral("s3cret"));
        QVERIFY2(inspection.problems.isEmpty(), qPrintable(inspection.problems.join(u'\n') + u'\n' + QString::fromUtf8(composed->body)));
        QCOMPARE(inspection.provider, provider);
        QCOMPARE(inspection.event, event);
        QCOMPARE(inspection.action, action.isEmpty() ? QString() : *catalog.resolveAction(provider, event, action));
        QCOMPARE(inspection.authenticity(), Verdict::Valid);
    }
}

void tst_Catalog::shouldComposeFreshValuesEachTime()
{
    const Catalog catalog = Catalog::builtin();
    QSet<QString> ids;
    QSet<int> ranks;
    for (int i = 0; i < 200; ++i) {
        const Composed composed = *catalog.compose(QStringLiteral("codewars"), QStringLiteral("user"),
                                                   QStringLiteral("rank_upgraded"), {}, nullptr);
        const QJsonObject body = QJsonDocument::fromJson(composed.body).object();
        const QJsonObject user = body.value(u"user").toObject();
        ids.insert(user.value(u"id").toString());
        const QJsonValue rank = user.value(u"rank");
        QVERIFY(rank.isDouble());
        const int r = rank.toInt();
        QVERIFY2((r >= -8 && r <= -1) || (r >= 1 && r <= 8), qPrintable(QString::number(r)));
        ranks.insert(r);
        QVERIFY(body.value(u"language").isNull());
        QVERIFY(body.contains(u"language"));
    }
    QCOMPARE(ids.size(), 200);
    QVERIFY(ranks.size() > 8);

    for (int i = 0; i < 50; ++i) {
        const Composed composed = *catalog.compose(QStringLiteral("codewars"), QStringLiteral("user"),
                                                   QStringLiteral("honor_changed"), {}, nullptr);
        const QJsonObject user = QJsonDocument::fromJson(composed.body).object().value(u"user").toObject();
        QVERIFY(user.value(u"honor").toInt() > 0);
        QVERIFY(user.value(u"honor_delta").toInt() > 0);
        QVERIFY(user.value(u"honor_delta").toInt() <= 10);
    }
}

void tst_Catalog::shouldComposeCodewarsHeadersInSpecOrder()
{
    const Catalog catalog = Catalog::builtin();
    const Composed plain = *catalog.compose(QStringLiteral("codewars"), QStringLiteral("code_challenge"),
                                            QStringLiteral("created"), {}, nullptr);
    const http::HeaderList expected{{"User-Agent", "Codewars Hookbot"},
                                    {"Content-Type", "application/json"},
                                    {"X-Webhook-Event", "code_challenge"}};
    QCOMPARE(plain.headers, expected);

    const Composed withSecret = *catalog.compose(QStringLiteral("codewars"), QStringLiteral("code_challenge"),
                                                 QStringLiteral("created"), QByteArrayLiteral("some-shared-secret"), nullptr);
    http::HeaderList expectedWithSecret = expected;
    expectedWithSecret.append(http::HeaderField{"X-Webhook-Secret", "some-shared-secret"});
    QCOMPARE(withSecret.headers, expectedWithSecret);
}

void tst_Catalog::shouldComposeBodiesWithActionFirst()
{
    const Catalog catalog = Catalog::builtin();
    const Composed composed = *catalog.compose(QStringLiteral("codewars"), QStringLiteral("code_challenge"),
                                               QStringLiteral("solution_finalized"), {}, nullptr);
    const QByteArray &body = composed.body;
    QVERIFY2(body.startsWith("{\n  \"action\": \"solution_finalized\",\n  \"code_challenge\": {\n    \"id\": \""),
             body.constData());
    const qsizetype codeChallenge = body.indexOf("\"code_challenge\"");
    const qsizetype createdBy = body.indexOf("\"created_by_id\"");
    const qsizetype solution = body.indexOf("\"solution\"");
    const qsizetype userId = body.indexOf("\"user_id\"");
    QVERIFY(codeChallenge < createdBy && createdBy < solution && solution < userId);

    const Composed rank = *catalog.compose(QStringLiteral("codewars"), QStringLiteral("user"),
                                           QStringLiteral("rank_upgraded"), {}, nullptr);
    QVERIFY(rank.body.indexOf("\"action\"") < rank.body.indexOf("\"user\""));
    QVERIFY(rank.body.indexOf("\"id\"") < rank.body.indexOf("\"rank\""));
    QVERIFY(rank.body.indexOf("\"rank\"") < rank.body.indexOf("\"language\""));
    QVERIFY(rank.body.endsWith("\"language\": null\n}"));
}

void tst_Catalog::shouldComposeAliasSpellingWhenAskedFor()
{
    const Catalog catalog = Catalog::builtin();
    const Composed composed = *catalog.compose(QStringLiteral("codewars"), QStringLiteral("user"),
                                               QStringLiteral("rank_earned"), {}, nullptr);
    QCOMPARE(QJsonDocument::fromJson(composed.body).object().value(u"action").toString(), QStringLiteral("rank_earned"));
    const Inspection inspection = catalog.inspect(composed.headers, composed.body, {});
    QCOMPARE(inspection.action, QStringLiteral("rank_upgraded"));
    QVERIFY(inspection.problems.isEmpty());
}

void tst_Catalog::shouldComposeSignedGithubRequests()
{
    const Catalog catalog = Catalog::builtin();
    const QByteArray secret = QByteArrayLiteral("It's a Secret to Everybody");
    const Composed first = *catalog.compose(QStringLiteral("github"), QStringLiteral("push"), {}, secret, nullptr);
    const Composed second = *catalog.compose(QStringLiteral("github"), QStringLiteral("push"), {}, secret, nullptr);

    QCOMPARE(headerValue(first.headers, "X-GitHub-Event"), QByteArrayLiteral("push"));
    QCOMPARE(headerValue(first.headers, "Content-Type"), QByteArrayLiteral("application/json"));
    QVERIFY(headerValue(first.headers, "User-Agent").startsWith("GitHub-Hookshot/"));
    QCOMPARE(headerValue(first.headers, "X-Hub-Signature-256"), signatureFor(first.body, secret));
    QCOMPARE(headerValue(first.headers, "X-Hub-Signature"), sha1SignatureFor(first.body, secret));
    const QByteArray delivery = headerValue(first.headers, "X-GitHub-Delivery");
    QVERIFY(!QUuid::fromString(QLatin1String(delivery)).isNull());
    QVERIFY(delivery != headerValue(second.headers, "X-GitHub-Delivery"));

    // GitHub's own example payload, as GitHub published it.
    const QJsonObject body = QJsonDocument::fromJson(first.body).object();
    QVERIFY(body.value(u"ref").toString().startsWith(u"refs/"));
    QVERIFY(body.value(u"repository").toObject().value(u"owner").toObject().contains(u"login"));

    // Labelled placeholders agree within one request.

    const Composed unsigned_ = *catalog.compose(QStringLiteral("github"), QStringLiteral("ping"), {}, {}, nullptr);
    QVERIFY(!headerNames(unsigned_.headers).contains("X-Hub-Signature-256"));
    QVERIFY(!headerNames(unsigned_.headers).contains("X-Hub-Signature"));
    const QJsonObject ping = QJsonDocument::fromJson(unsigned_.body).object();
    QCOMPARE(ping.value(u"hook_id"), ping.value(u"hook").toObject().value(u"id"));
    QCOMPARE(headerValue(unsigned_.headers, "X-GitHub-Hook-ID").toLongLong(), ping.value(u"hook_id").toInteger());
}

void tst_Catalog::shouldComposeActionlessEventWithoutAction()
{
    const Catalog catalog = Catalog::builtin();
    const std::optional<Event> ping = catalog.event(u"github", u"ping");
    QVERIFY(ping);
    QVERIFY(!ping->hasActions());
    QString error;
    QVERIFY2(catalog.compose(QStringLiteral("github"), QStringLiteral("ping"), {}, {}, &error), qPrintable(error));
    QVERIFY(!catalog.compose(QStringLiteral("github"), QStringLiteral("ping"), QStringLiteral("created"), {}, &error));
    QVERIFY2(error.contains(u"has no actions"), qPrintable(error));
}

void tst_Catalog::shouldRefuseUnknownNamesWhenComposing_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("event");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown provider") << "gitlab" << "push" << "" << "unknown provider \"gitlab\"";
    QTest::newRow("unknown event") << "codewars" << "kata" << "created" << "unknown event \"kata\"";
    QTest::newRow("unknown action") << "codewars" << "code_challenge" << "deleted" << "unknown action \"deleted\"";
    QTest::newRow("action missing") << "codewars" << "user" << "" << "needs an action: rank_upgraded, honor_changed";
    QTest::newRow("action of another event") << "codewars" << "user" << "created" << "unknown action \"created\" of event \"user\"";
}

void tst_Catalog::shouldRefuseUnknownNamesWhenComposing()
{
    QFETCH(QString, provider);
    QFETCH(QString, event);
    QFETCH(QString, action);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!Catalog::builtin().compose(provider, event, action, {}, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
}

void tst_Catalog::shouldComputeHeadersForAnEditedBody()
{
    const Catalog catalog = Catalog::builtin();
    const QByteArray body = QByteArrayLiteral(R"({"zen":"edited","hook_id":1,"hook":{}})");
    const std::optional<http::HeaderList> headers =
        catalog.headersFor(QStringLiteral("github"), QStringLiteral("ping"), body, QByteArrayLiteral("k"), nullptr);
    QVERIFY(headers);
    QCOMPARE(http::valueOf(*headers, "X-Hub-Signature-256"), signatureFor(body, QByteArrayLiteral("k")));
    QCOMPARE(http::valueOf(*headers, "X-GitHub-Event"), QByteArrayLiteral("ping"));
    QString error;
    QVERIFY(!catalog.headersFor(QStringLiteral("nope"), QStringLiteral("ping"), body, {}, &error));
    QVERIFY(error.contains(u"\"nope\""));
}

void tst_Catalog::shouldShareTheBuiltinCatalog()
{
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 10000; ++i)
        QVERIFY(!Catalog::builtin().isEmpty());
    // Loading even once takes far longer than sharing ten thousand times.
    QVERIFY2(timer.elapsed() < 500, qPrintable(QString::number(timer.elapsed())));
}

void tst_Catalog::shouldLoadUserCatalogFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("acme.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({
  "provider": "acme",
  "name": "Acme",
  "eventHeader": "X-Acme-Event",
  "headers": [ { "name": "X-Acme-Event", "value": "{{event}}" } ],
  "events": {
    "order": {
      "schema": { "type": "object", "required": ["order_id"], "properties": { "order_id": { "type": "integer" } } },
      "template": { "order_id": "{{int:1..9}}" }
    }
  }
})");
    file.close();

    Catalog catalog = Catalog::builtin();
    QString error;
    QVERIFY2(Catalog::loadFile(path, &catalog, &error), qPrintable(error));
    QCOMPARE(catalog.providers(), QStringList({QStringLiteral("codewars"), QStringLiteral("github"),
                                               QStringLiteral("standard-webhooks"), QStringLiteral("acme")}));
    QCOMPARE(Catalog::builtin().providers().size(), 3);

    const Inspection inspection = catalog.inspect({{"X-Acme-Event", "order"}}, R"({"order_id":"7"})", {});
    QCOMPARE(inspection.provider, QStringLiteral("acme"));
    QCOMPARE(inspection.problems, QStringList(QStringLiteral("/order_id: expected an integer, got \"7\"")));
}

void tst_Catalog::shouldNameTheFileOfABrokenUserCatalog_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    QTest::newRow("syntax error") << QByteArray(R"({"provider": "acme",, })") << "not valid JSON: ";
    QTest::newRow("empty file") << QByteArray() << "not valid JSON: unexpected end of text at offset 0";
    QTest::newRow("no events") << QByteArray(R"({"provider":"acme","name":"Acme","eventHeader":"X-A","headers":[],"events":{}})")
                               << "/events: expected an object with at least one event";
    QTest::newRow("unknown schema type")
        << QByteArray(R"({"provider":"acme","name":"Acme","eventHeader":"X-A","headers":[],
                          "events":{"e":{"schema":{"properties":{"n":{"type":"int"}}},"template":{}}}})")
        << "/events/e/schema/properties/n: unknown type \"int\"";
    QTest::newRow("template breaks its schema")
        << QByteArray(R"({"provider":"acme","name":"Acme","eventHeader":"X-A","headers":[],
                          "events":{"e":{"schema":{"required":["n"]},"template":{}}}})")
        << "/events/e/template: does not match the schema: /n: missing";
    QTest::newRow("unknown placeholder")
        << QByteArray(R"({"provider":"acme","name":"Acme","eventHeader":"X-A","headers":[],
                          "events":{"e":{"schema":{},"template":{"n":"{{dice}}"}}}})")
        << "/events/e/template: unknown placeholder {{dice}}";
    QTest::newRow("reference leading nowhere")
        << QByteArray(R"({"provider":"acme","name":"Acme","eventHeader":"X-A","headers":[],
                          "events":{"e":{"schema":{"properties":{"n":{"$ref":"#/definitions/count"}}},"template":{}}}})")
        << "/events/e/schema/properties/n: $ref \"#/definitions/count\" leads nowhere in the document";
    QTest::newRow("reference cycle")
        << QByteArray(R"({"provider":"acme","name":"Acme","eventHeader":"X-A","headers":[],
                          "definitions":{"a":{"$ref":"#/definitions/b"},"b":{"$ref":"#/definitions/a"}},
                          "events":{"e":{"schema":{"$ref":"#/definitions/a"},"template":{}}}})")
        << "$ref cycle that never reaches into the value";
    QTest::newRow("not a catalog") << QByteArray(R"([1, 2, 3])") << "expected an object";
    QTest::newRow("no way to name the event")
        << QByteArray(R"({"provider":"acme","name":"Acme","headers":[],"events":{"e":{"schema":{},"template":{}}}})")
        << "needs one of \"eventHeader\" (the header naming the event) and \"eventMember\" (the body member naming it)";
    QTest::newRow("event in the body, nothing to recognise it by")
        << QByteArray(R"({"provider":"acme","name":"Acme","eventMember":"type","headers":[],"events":{"e":{"schema":{},"template":{}}}})")
        << "\"eventMember\" needs \"recognisedBy\"";
    QTest::newRow("header name with a space")
        << QByteArray(R"({"provider":"acme","name":"Acme","eventHeader":"X Acme","headers":[],"events":{"e":{"schema":{},"template":{}}}})")
        << "\"X Acme\" is not a header name";
    QTest::newRow("misspelt member")
        << QByteArray(R"({"provider":"acme","name":"Acme","eventHeader":"X-A","header":[]})") << "unknown member \"header\"";
}

void tst_Catalog::shouldNameTheFileOfABrokenUserCatalog()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("broken.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    file.close();

    Catalog catalog = Catalog::builtin();
    QString error;
    QVERIFY(!Catalog::loadFile(path, &catalog, &error));
    QVERIFY2(error.startsWith(path + u": "), qPrintable(error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QCOMPARE(catalog.providers().size(), 3);

    QVERIFY(!Catalog::loadFile(dir.filePath(QStringLiteral("absent.json")), &catalog, &error));
    QVERIFY2(error.contains(u"absent.json: cannot read"), qPrintable(error));
}

void tst_Catalog::shouldReplaceProviderWithSameId()
{
    Catalog catalog = Catalog::builtin();
    QString error;
    QVERIFY2(Catalog::loadData(R"({"provider":"github","name":"GitHub Enterprise","eventHeader":"X-GitHub-Event","headers":[],
                                  "events":{"ping":{"schema":{},"template":{}}}})",
                               QStringLiteral("inline"), &catalog, &error),
             qPrintable(error));
    QCOMPARE(catalog.providers().size(), 3);
    QCOMPARE(catalog.provider(u"github")->name, QStringLiteral("GitHub Enterprise"));
    QVERIFY(!catalog.event(u"github", u"push"));
    QVERIFY(Catalog::builtin().event(u"github", u"push"));
}

void tst_Catalog::shouldLoadTheReadmesExampleCatalog()
{
    QFile readme(qEnvironmentVariable("HOOKSCOPE_TEST_SOURCE_DIR") + QStringLiteral("/README.md"));
    QVERIFY2(readme.open(QIODevice::ReadOnly), qPrintable(readme.fileName()));
    const QByteArray text = readme.readAll();
    const qsizetype intro = text.indexOf("A complete small provider:");
    QVERIFY(intro >= 0);
    const qsizetype start = text.indexOf("```json\n", intro) + 8;
    const qsizetype end = text.indexOf("```", start);
    QVERIFY(start > 8 && end > start);

    Catalog catalog = Catalog::builtin();
    QString error;
    QVERIFY2(Catalog::loadData(text.mid(start, end - start), QStringLiteral("README.md"), &catalog, &error), qPrintable(error));
    for (const char *action : {"paid", "shipped"}) {
        const std::optional<Composed> composed =
            catalog.compose(QStringLiteral("acme"), QStringLiteral("order"), QString::fromLatin1(action), "s", &error);
        QVERIFY2(composed, qPrintable(error));
        const Inspection inspection = catalog.inspect(composed->headers, composed->body, "s");
        QCOMPARE(inspection.event, QStringLiteral("order"));
        QVERIFY2(inspection.problems.isEmpty(), qPrintable(inspection.problems.join(u'\n')));
    }
    // The manual page shows the same file.
    QFile page(qEnvironmentVariable("HOOKSCOPE_TEST_SOURCE_DIR") + QStringLiteral("/packaging/hookscope.1.in"));
    QVERIFY2(page.open(QIODevice::ReadOnly), qPrintable(page.fileName()));
    const QByteArray manual = page.readAll();
    const qsizetype pageIntro = manual.indexOf("A complete small provider:");
    QVERIFY(pageIntro >= 0);
    const qsizetype pageStart = manual.indexOf(".EX\n", pageIntro) + 4;
    const qsizetype pageEnd = manual.indexOf(".EE\n", pageStart);
    QVERIFY(pageStart > 4 && pageEnd > pageStart);
    QCOMPARE(manual.mid(pageStart, pageEnd - pageStart).replace("\\e", "\\"), text.mid(start, end - start));

    const Inspection wrong = catalog.inspect({{"X-Acme-Event", "order"}}, R"({"action":"shipped","order_id":0})", {});
    QCOMPARE(wrong.problems, (QStringList{QStringLiteral("/order_id: expected an integer at least 1, got 0"),
                                          QStringLiteral("/carrier: missing")}));
}

QTEST_GUILESS_MAIN(tst_Catalog)
#include "tst_catalog.moc"
