#include "guitesthelpers.h"

#include "ui/composer.h"
#include "ui/deliveriespane.h"
#include "ui/timingwaterfall.h"
#include "ui/headerstable.h"
#include "ui/httpmessageview.h"

#include "capture/hookstore.h"
#include "catalog/signature.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTabWidget>

using ui::Composer;
using ui::MainWindow;

class tst_Composer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void shouldOfferEveryGithubEventAndAction();

    void shouldSendEachCodewarsEventToTheOwnListener_data();
    void shouldSendEachCodewarsEventToTheOwnListener();
    void shouldListSchemaProblemsLive();
    void shouldRefuseToSendAnInvalidRequest();
    void shouldSetTheCredentialOnSend();
    void shouldSignGithubBodiesAsEdited();
    void shouldSignStandardWebhooksAsEdited();
    void shouldEditHeadersAndShowTheResponse();
    void shouldRememberTemplateAndTarget();
    void shouldShowEveryPickerEntryWhole();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ui::Settings> m_settings;
    std::unique_ptr<MainWindow> m_window;
};

void tst_Composer::initTestCase()
{
    guitest::isolateSettings();
}

void tst_Composer::init()
{
    guitest::resetSettings();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<ui::Settings>();
    m_window = guitest::makeWindow(*m_settings, m_dir->filePath(QStringLiteral("hooks.sqlite")));
    QVERIFY(m_window->isListening());
    m_window->action(MainWindow::Action::Compose)->trigger();
}

void tst_Composer::cleanup()
{
    m_window.reset();
    QVERIFY2(guitest::noQueriesOnTheGuiThread(), "SQL ran on the GUI thread");
    m_settings.reset();
    m_dir.reset();
}

void tst_Composer::shouldSendEachCodewarsEventToTheOwnListener_data()
{
    QTest::addColumn<QString>("event");
    QTest::addColumn<QString>("action");
    const catalog::Catalog catalog = catalog::Catalog::builtin();
    const auto codewars = catalog.provider(u"codewars");
    QVERIFY(codewars);
    int rows = 0;
    for (const catalog::Event &event : codewars->events) {
        for (const catalog::Action &action : event.actions) {
            QTest::addRow("%s %s", qPrintable(event.name), qPrintable(action.name)) << event.name << action.name;
            ++rows;
        }
    }
    QVERIFY(rows >= 7);
}

void tst_Composer::shouldSendEachCodewarsEventToTheOwnListener()
{
    QFETCH(QString, event);
    QFETCH(QString, action);
    Composer *composer = m_window->composer();
    QCOMPARE(m_window->pages()->currentWidget(), composer);
    composer->selectTemplate(QStringLiteral("codewars"), event, action);
    QCOMPARE(composer->eventBox()->currentData().toString(), event);
    QCOMPARE(composer->actionBox()->currentData().toString(), action);
    QVERIFY2(composer->problems().isEmpty(), qPrintable(composer->problems().join(u'\n')));
    // The default target is hookscope's own listener.
    QCOMPARE(composer->urlEdit()->text(), m_window->listenerUrl().toString());

    QSignalSpy delivered(composer, &Composer::delivered);
    composer->sendAction()->trigger();
    QTRY_COMPARE(delivered.size(), 1);
    const auto delivery = delivered.constFirst().constFirst().value<Delivery>();
    QCOMPARE(delivery.status, 200);
    QCOMPARE(delivery.kind, Delivery::Kind::Compose);

    QTRY_COMPARE(m_window->model()->rowCount(), 1);
    QCOMPARE(m_window->model()->eventAt(0), event);
    QCOMPARE(m_window->model()->actionAt(0), action);
    QCOMPARE(m_window->model()->index(0, HookColumns::Event).data(HookColumns::ProblemsRole).toInt(), 0);
    QCOMPARE(composer->history()->count(), 1);
    QVERIFY(composer->history()->responseView()->summary().startsWith(QLatin1String("200")));
    QVERIFY(!composer->history()->waterfall()->timings().isEmpty());
    // Stored as a delivery too, so the history survives a restart.
    QCOMPARE(workspace::await(m_window->workspace().recentDeliveries(Delivery::Kind::Compose, 10)).value.size(), 1);
}

void tst_Composer::shouldOfferEveryGithubEventAndAction()
{
    Composer *composer = m_window->composer();
    composer->selectTemplate(QStringLiteral("github"), QStringLiteral("issues"), QStringLiteral("labeled"));
    const catalog::Catalog catalog = catalog::Catalog::builtin();
    const QList<catalog::Event> events = catalog.events(u"github");
    QCOMPARE(composer->eventBox()->count(), events.size());
    QCOMPARE(composer->eventBox()->currentData().toString(), QStringLiteral("issues"));
    QCOMPARE(composer->actionBox()->count(), catalog.event(u"github", u"issues")->actions.size());
    QCOMPARE(composer->actionBox()->currentData().toString(), QStringLiteral("labeled"));
    // Each event with its description.
    const qsizetype release = composer->eventBox()->findData(QStringLiteral("release"));
    QVERIFY(release >= 0);
    QVERIFY(!composer->eventBox()->itemData(int(release), Qt::ToolTipRole).toString().isEmpty());
}

void tst_Composer::shouldListSchemaProblemsLive()
{
    Composer *composer = m_window->composer();
    composer->selectTemplate(QStringLiteral("codewars"), QStringLiteral("user"), QStringLiteral("rank_upgraded"));
    QVERIFY(composer->problems().isEmpty());
    QVERIFY(composer->problemList()->isHidden());

    composer->bodyEdit()->setPlainText(QStringLiteral(R"({"action":"rank_upgraded","user":{"rank":"high"}})"));
    QTRY_VERIFY(!composer->problems().isEmpty());
    const QString problems = composer->problems().join(u'\n');
    QVERIFY2(problems.contains(QLatin1String("/user/id")), qPrintable(problems));
    QVERIFY2(problems.contains(QLatin1String("/user/rank")), qPrintable(problems));
    QCOMPARE(composer->problemList()->count(), composer->problems().size());
    QVERIFY(!composer->problemList()->isHidden());

    composer->bodyEdit()->setPlainText(QStringLiteral("{not json"));
    QTRY_VERIFY(composer->problems().join(u'\n').contains(QLatin1String("not JSON")));

    composer->regenerate();
    QVERIFY(composer->problems().isEmpty());
}

void tst_Composer::shouldRefuseToSendAnInvalidRequest()
{
    Composer *composer = m_window->composer();
    // Nothing sent yet: the pane says how to send, in the Composer's words.
    QCOMPARE(composer->history()->responseView()->summary(), QStringLiteral("Nothing sent yet. Send (Ctrl+Return) sends the request."));
    QSignalSpy delivered(composer, &Composer::delivered);
    composer->urlEdit()->setText(QStringLiteral("ftp://example.invalid/"));
    QVERIFY(!composer->send());
    QVERIFY(composer->checkLabel()->text().contains(QLatin1String("ftp://")));
    // Text that is no URL at all is named as such, not taken for an empty field.
    composer->urlEdit()->setText(QStringLiteral("not a url"));
    QVERIFY(!composer->send());
    QVERIFY2(composer->checkLabel()->text().contains(QLatin1String("'not a url'")), qPrintable(composer->checkLabel()->text()));
    QVERIFY(!composer->checkLabel()->text().contains(QLatin1String("empty")));
    composer->urlEdit()->setText(m_window->listenerUrl().toString());
    composer->methodBox()->setCurrentText(QStringLiteral("PO ST"));
    QVERIFY(!composer->send());
    QVERIFY(composer->checkLabel()->text().contains(QLatin1String("method")));
    QTest::qWait(100);
    QCOMPARE(delivered.size(), 0);
    QCOMPARE(m_window->model()->rowCount(), 0);
}

void tst_Composer::shouldSetTheCredentialOnSend()
{
    guitest::Receiver receiver;
    QVERIFY(receiver.start());
    Composer *composer = m_window->composer();
    composer->selectTemplate(QStringLiteral("codewars"), QStringLiteral("code_challenge"), QStringLiteral("created"));
    composer->urlEdit()->setText(receiver.url().toString());
    composer->secretEdit()->setText(QStringLiteral("some-shared-secret"));
    QCOMPARE(http::valueOf(composer->draft().headers, "X-Webhook-Secret"), QByteArray("some-shared-secret"));

    QSignalSpy delivered(composer, &Composer::delivered);
    QVERIFY(composer->send());
    QTRY_COMPARE(delivered.size(), 1);
    QVERIFY(receiver.requests.constFirst().head.contains("X-Webhook-Secret: some-shared-secret"));

    composer->signBox()->setChecked(false);
    composer->headersTable()->setHeaders({{"X-Webhook-Event", "code_challenge"}});
    QVERIFY(!http::contains(composer->draft().headers, "X-Webhook-Secret"));
}

void tst_Composer::shouldSignGithubBodiesAsEdited()
{
    Composer *composer = m_window->composer();
    composer->selectTemplate(QStringLiteral("github"), QStringLiteral("issues"), QStringLiteral("opened"));
    composer->secretEdit()->setText(QStringLiteral("gh-secret"));
    composer->bodyEdit()->setPlainText(composer->bodyEdit()->toPlainText() + u'\n');
    const Draft draft = composer->draft();
    QCOMPARE(http::valueOf(draft.headers, "X-Hub-Signature-256"), catalog::signatureFor(draft.body, "gh-secret"));

    QSignalSpy delivered(composer, &Composer::delivered);
    QVERIFY(composer->send());
    QTRY_COMPARE(m_window->model()->rowCount(), 1);
    QCOMPARE(m_window->model()->eventAt(0), QStringLiteral("issues"));
}

void tst_Composer::shouldSignStandardWebhooksAsEdited()
{
    Composer *composer = m_window->composer();
    composer->providerBox()->setCurrentIndex(composer->providerBox()->findData(QStringLiteral("standard-webhooks")));
    // Only the events it names: "*" stands for the others and is not one to pick.
    QCOMPARE(composer->eventBox()->findData(QStringLiteral("*")), -1);
    composer->selectTemplate(QStringLiteral("standard-webhooks"), QStringLiteral("contact.created"), QString());
    QCOMPARE(composer->eventBox()->currentData().toString(), QStringLiteral("contact.created"));

    composer->secretEdit()->setText(QStringLiteral("not a key!"));
    QVERIFY(!composer->send());
    QVERIFY2(composer->problems().value(0).contains(u"whsec_"), qPrintable(composer->problems().join(u'\n')));

    const QByteArray secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    composer->secretEdit()->setText(QString::fromLatin1(secret));
    composer->bodyEdit()->setPlainText(composer->bodyEdit()->toPlainText() + u'\n');
    const Draft draft = composer->draft();
    QVERIFY(http::valueOf(draft.headers, "webhook-id").startsWith("msg_"));
    QCOMPARE(catalog::signatureVerdict(draft.headers, draft.body, secret), catalog::Verdict::Valid);
    QTRY_VERIFY2(composer->problems().isEmpty(), qPrintable(composer->problems().join(u'\n')));

    QVERIFY(composer->send());
    QTRY_COMPARE(m_window->model()->rowCount(), 1);
    QCOMPARE(m_window->model()->eventAt(0), QStringLiteral("contact.created"));
}

void tst_Composer::shouldEditHeadersAndShowTheResponse()
{
    guitest::Receiver receiver;
    QVERIFY(receiver.start());
    Composer *composer = m_window->composer();
    composer->selectTemplate(QStringLiteral("codewars"), QStringLiteral("webhook"), QStringLiteral("updated"));
    composer->urlEdit()->setText(receiver.url(QStringLiteral("/in")).toString());
    ui::HeadersTable *headers = composer->headersTable();
    const int before = headers->rowCount();
    headers->addHeader(QStringLiteral("X-Extra"), QStringLiteral("one"));
    QCOMPARE(headers->rowCount(), before + 1);
    headers->selectRow(0);   // User-Agent
    headers->removeSelectedHeaders();
    QCOMPARE(headers->rowCount(), before);
    QVERIFY(!http::contains(composer->draft().headers, "User-Agent"));

    QSignalSpy delivered(composer, &Composer::delivered);
    QVERIFY(composer->send());
    QTRY_COMPARE(delivered.size(), 1);
    const QByteArray head = receiver.requests.constFirst().head;
    QVERIFY(head.startsWith("POST /in HTTP/1.1"));
    QVERIFY(head.contains("X-Extra: one"));
    QVERIFY(!head.contains("Codewars Hookbot"));
    ui::HttpMessageView *response = composer->history()->responseView();
    QVERIFY(response->summary().startsWith(QLatin1String("200 OK")));
    QVERIFY(response->summary().contains(QLatin1String("ms")));
    QCOMPARE(http::valueOf(response->headersTable()->headers(), "Content-Type"), QByteArray("text/plain"));
}

void tst_Composer::shouldRememberTemplateAndTarget()
{
    Composer *composer = m_window->composer();
    composer->selectTemplate(QStringLiteral("codewars"), QStringLiteral("user"), QStringLiteral("honor_changed"));
    QTest::keyClicks(composer->urlEdit(), QStringLiteral("x"));   // a typed edit
    const QString typed = composer->urlEdit()->text();
    m_window.reset();

    m_settings = std::make_unique<ui::Settings>();
    m_window = guitest::makeWindow(*m_settings, m_dir->filePath(QStringLiteral("hooks.sqlite")));
    composer = m_window->composer();
    QCOMPARE(composer->eventBox()->currentData().toString(), QStringLiteral("user"));
    QCOMPARE(composer->actionBox()->currentData().toString(), QStringLiteral("honor_changed"));
    QCOMPARE(composer->urlEdit()->text(), typed);
}

void tst_Composer::shouldShowEveryPickerEntryWhole()
{
    Composer *composer = m_window->composer();
    composer->selectTemplate(QStringLiteral("codewars"), QStringLiteral("user"), QStringLiteral("rank_earned"));
    QCoreApplication::processEvents();
    for (QComboBox *box : {composer->providerBox(), composer->eventBox(), composer->actionBox()}) {
        const QFontMetrics metrics(box->font());
        for (int i = 0; i < box->count(); ++i)
            QVERIFY2(box->sizeHint().width() > metrics.horizontalAdvance(box->itemText(i)), qPrintable(box->itemText(i)));
    }
    // The alias's entry, the longest, is there whole and says what it stands for.
    QVERIFY2(composer->actionBox()->currentText().contains(QLatin1String("rank_upgraded")), qPrintable(composer->actionBox()->currentText()));
    QVERIFY(composer->actionBox()->toolTip().startsWith(composer->actionBox()->currentText()));
}

QTEST_MAIN(tst_Composer)
#include "tst_composer.moc"
