// The GitHub catalog against GitHub's published example payloads (@octokit/webhooks-examples,
// the same package the catalog is built from): each is recognised as its event and action.

#include "catalog/catalog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace catalog;

class tst_GithubCatalog : public QObject
{
    Q_OBJECT

private slots:
    void shouldRecogniseEveryPublishedExample();
    void shouldKnowEveryEventOfTheExamples();
};

namespace {

QJsonArray publishedExamples()
{
    QFile file(QStringLiteral(HOOKSCOPE_OCTOKIT_DIR "/webhooks-examples/api.github.com/index.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).array();
}

} // namespace

void tst_GithubCatalog::shouldRecogniseEveryPublishedExample()
{
    const Catalog catalog = Catalog::builtin();
    const QJsonArray events = publishedExamples();
    QVERIFY2(!events.isEmpty(), "no examples under " HOOKSCOPE_OCTOKIT_DIR);
    int examples = 0;
    int clean = 0;
    for (const QJsonValue &entry : events) {
        const QString event = entry[u"name"].toString();
        for (const QJsonValue &example : entry[u"examples"].toArray()) {
            ++examples;
            const QByteArray body = QJsonDocument(example.toObject()).toJson(QJsonDocument::Compact);
            Inspection inspection;
            catalog.recognise({{"X-GitHub-Event", event.toUtf8()}}, body, &inspection);
            const QString action = example[u"action"].toString();
            const QString row = event + u' ' + action + u" #" + QString::number(examples);
            QVERIFY2(inspection.provider == u"github" && inspection.event == event, qPrintable(row));
            QVERIFY2(inspection.action == (catalog.event(u"github", event)->hasActions() ? action : QString()),
                     qPrintable(row + u": " + inspection.problems.join(u'\n')));
            if (inspection.problems.isEmpty())
                ++clean;
            // Any problem must be about the payload, never "not an event" or "not an action".
            for (const QString &problem : std::as_const(inspection.problems)) {
                QVERIFY2(problem.startsWith(u'/') || problem.startsWith(u"(further"), qPrintable(row + u": " + problem));
            }
        }
    }
    qInfo("%d published GitHub examples of %lld events recognised; %d clean", examples, qint64(events.size()), clean);
    // The rest were published before GitHub's schema made members required that they lack
    // (repository.custom_properties, topics, visibility, ...). An independent validator
    // (python-jsonschema, draft 7) finds the same 277 of the pinned 7.6.1 data clean.
    QCOMPARE(clean, 277);
}

void tst_GithubCatalog::shouldKnowEveryEventOfTheExamples()
{
    const Catalog catalog = Catalog::builtin();
    for (const QJsonValue &entry : publishedExamples())
        QVERIFY2(catalog.event(u"github", entry[u"name"].toString()), qPrintable(entry[u"name"].toString()));
    // And every event of the published schema, with its actions.
    QCOMPARE(catalog.events(u"github").size(), 66);
    qsizetype actions = 0;
    for (const Event &event : catalog.events(u"github"))
        actions += event.actions.size();
    QCOMPARE(actions, 211);
}

QTEST_GUILESS_MAIN(tst_GithubCatalog)
#include "tst_githubcatalog.moc"
