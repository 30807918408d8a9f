#include "ui/bodyrendering.h"
#include "ui/bodyview.h"
#include "ui/jsonhighlighter.h"
#include "ui/jsontree.h"
#include "ui/theme.h"

#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>

using ui::BodyRendering;
using ui::BodyView;

class tst_BodyView : public QObject
{
    Q_OBJECT

private slots:
    void shouldRecogniseKind_data();
    void shouldRecogniseKind();
    void shouldPrettyPrintKeepingMemberOrderAndNumbers();
    void shouldDumpHex();
    void shouldCapLargeBodies();
    void shouldPickTheViewThatFitsTheBody();
    void shouldKeepTheUsersModeWhenItFits();
    void shouldBuildTreeChildrenOnlyWhenExpanded();
    void shouldNamePathsOfTreeItems();
    void shouldColourKeysAndStringsFromThePalette();
};

void tst_BodyView::shouldRecogniseKind_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("jsonError");
    QTest::newRow("empty body") << QByteArray() << QByteArray("application/json") << int(BodyRendering::Kind::Empty) << false;
    QTest::newRow("object") << QByteArray(R"({"a":1})") << QByteArray() << int(BodyRendering::Kind::Json) << false;
    QTest::newRow("array after whitespace") << QByteArray(" \n[1,2]") << QByteArray() << int(BodyRendering::Kind::Json) << false;
    QTest::newRow("form text") << QByteArray("a=1&b=2") << QByteArray("application/x-www-form-urlencoded") << int(BodyRendering::Kind::Text) << false;
    QTest::newRow("utf-8 text") << QByteArray("h\xc3\xa9llo") << QByteArray("text/plain") << int(BodyRendering::Kind::Text) << false;
    QTest::newRow("broken json said to be json") << QByteArray(R"({"a":)") << QByteArray("application/json") << int(BodyRendering::Kind::Text) << true;
    QTest::newRow("invalid utf-8") << QByteArray("\xff\xfe\x01") << QByteArray() << int(BodyRendering::Kind::Binary) << false;
    QTest::newRow("nul byte") << QByteArray("abc\0def", 7) << QByteArray() << int(BodyRendering::Kind::Binary) << false;
}

void tst_BodyView::shouldRecogniseKind()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(int, kind);
    QFETCH(bool, jsonError);
    const BodyRendering r = ui::renderBody(body, contentType);
    QCOMPARE(int(r.kind), kind);
    QCOMPARE(!r.jsonError.isEmpty(), jsonError);
    QCOMPARE(r.size, body.size());
}

void tst_BodyView::shouldPrettyPrintKeepingMemberOrderAndNumbers()
{
    const BodyRendering r = ui::renderBody(R"({"zeta":1.50,"action":"created","alpha":{"b":true,"a":null}})");
    QCOMPARE(r.kind, BodyRendering::Kind::Json);
    QVERIFY(r.pretty.indexOf(u"zeta") < r.pretty.indexOf(u"action"));
    QVERIFY(r.pretty.indexOf(u"\"b\"") < r.pretty.indexOf(u"\"a\""));
    QVERIFY(r.pretty.contains(u"1.50"));
    QVERIFY(r.pretty.contains(u"\n  \"action\": \"created\""));
    QVERIFY(r.json);
    QCOMPARE(r.json->keys(), QStringList({QStringLiteral("zeta"), QStringLiteral("action"), QStringLiteral("alpha")}));
}

void tst_BodyView::shouldDumpHex()
{
    const QString hex = ui::hexDump(QByteArray("{\"a\":1}\n\x00\xff" "0123456789", 20));
    const QStringList lines = hex.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines.at(0).startsWith(u"00000000  7b 22 61 22 3a 31 7d 0a  00 ff 30 31"));
    QVERIFY(lines.at(0).endsWith(u"|{\"a\":1}...012345|"));
    QVERIFY(lines.at(1).startsWith(u"00000010  36 37 38 39"));
}

void tst_BodyView::shouldCapLargeBodies()
{
    const QByteArray big(BodyRendering::TextLimit + 10, 'x');
    const BodyRendering r = ui::renderBody(big);
    QCOMPARE(r.kind, BodyRendering::Kind::Text);
    QVERIFY(r.textTruncated);
    QVERIFY(r.hexTruncated);
    QCOMPARE(r.text.size(), BodyRendering::TextLimit);
    QCOMPARE(r.hex.count(u'\n'), BodyRendering::HexLimit / 16);

    BodyView view;
    view.setBody(big, r);
    QVERIFY(view.note().contains(QLatin1String("first")));
}

void tst_BodyView::shouldPickTheViewThatFitsTheBody()
{
    BodyView view;
    view.setBody(R"({"action":"created"})");
    QCOMPARE(view.mode(), BodyView::Mode::Pretty);
    QVERIFY(view.prettyEdit()->toPlainText().contains(u"\"action\": \"created\""));
    QCOMPARE(view.rawEdit()->toPlainText(), QStringLiteral(R"({"action":"created"})"));

    view.setBody(QByteArray("\x00\x01\x02", 3));
    QCOMPARE(view.mode(), BodyView::Mode::Hex);
    QCOMPARE(view.kind(), BodyRendering::Kind::Binary);
    QVERIFY(view.hexEdit()->toPlainText().startsWith(u"00000000  00 01 02"));
    QVERIFY(view.note().startsWith(QLatin1String("Binary")));

    view.setBody("plain words", "text/plain");
    QCOMPARE(view.mode(), BodyView::Mode::Raw);
    QCOMPARE(view.rawEdit()->toPlainText(), QStringLiteral("plain words"));

    view.clear();
    QCOMPARE(view.kind(), BodyRendering::Kind::Empty);
    QCOMPARE(view.body(), QByteArray());
}

void tst_BodyView::shouldKeepTheUsersModeWhenItFits()
{
    BodyView view;
    view.setPreferredMode(BodyView::Mode::Tree);
    view.setBody(R"({"a":[1,2]})");
    QCOMPARE(view.mode(), BodyView::Mode::Tree);
    view.setBody("just text");
    QCOMPARE(view.mode(), BodyView::Mode::Raw);
    view.setBody(R"([true])");
    QCOMPARE(view.mode(), BodyView::Mode::Tree);
}

void tst_BodyView::shouldBuildTreeChildrenOnlyWhenExpanded()
{
    QByteArray body = R"({"small":{"x":1},"list":[)";
    for (int i = 0; i < 100; ++i)
        body += (i ? "," : "") + QByteArray(R"({"i":)") + QByteArray::number(i) + "}";
    body += "]}";
    const BodyRendering r = ui::renderBody(body);
    ui::JsonTree tree;
    tree.setJson(r.json);
    QCOMPARE(tree.topLevelItemCount(), 1);
    QTreeWidgetItem *root = tree.topLevelItem(0);
    QCOMPARE(root->childCount(), 2);
    QTreeWidgetItem *list = root->child(1);
    QCOMPARE(list->text(0), QStringLiteral("list"));
    QCOMPARE(list->text(1), QStringLiteral("[100 items]"));
    // Too big to open by itself: its children do not exist yet.
    QCOMPARE(list->childCount(), 0);
    list->setExpanded(true);
    QCOMPARE(list->childCount(), 100);
    QCOMPARE(list->child(7)->text(1), QStringLiteral("{1 member}"));
}

void tst_BodyView::shouldNamePathsOfTreeItems()
{
    const BodyRendering r = ui::renderBody(R"({"user":{"ids":["a","b"]}})");
    ui::JsonTree tree;
    tree.setJson(r.json);
    QTreeWidgetItem *user = tree.topLevelItem(0)->child(0);
    user->setExpanded(true);
    QTreeWidgetItem *ids = user->child(0);
    ids->setExpanded(true);
    QCOMPARE(tree.pathOf(user), QStringLiteral("user"));
    QCOMPARE(tree.pathOf(ids->child(1)), QStringLiteral("user.ids[1]"));
    QCOMPARE(ids->child(1)->text(1), QStringLiteral("\"b\""));
}

void tst_BodyView::shouldColourKeysAndStringsFromThePalette()
{
    QPlainTextEdit edit;
    ui::JsonHighlighter highlighter(edit.document());
    for (const QPalette &palette : {ui::lightPalette(), ui::darkPalette()}) {
        highlighter.setPalette(palette);
        edit.setPlainText(QStringLiteral(R"({"key": "value", "n": 12})"));
        highlighter.rehighlight();
        const QList<QTextLayout::FormatRange> formats = edit.document()->firstBlock().layout()->formats();
        QVERIFY(!formats.isEmpty());
        const auto colourAt = [&](int position) {
            for (const QTextLayout::FormatRange &range : formats) {
                if (position >= range.start && position < range.start + range.length)
                    return range.format.foreground().color();
            }
            return QColor();
        };
        QCOMPARE(colourAt(2), highlighter.keyColor());
        QCOMPARE(colourAt(10), highlighter.stringColor());
        QVERIFY(highlighter.keyColor() != highlighter.stringColor());
        // Readable on that palette's background.
        const int base = palette.color(QPalette::Base).lightness();
        QVERIFY2(std::abs(highlighter.keyColor().lightness() - base) > 60, qPrintable(palette.color(QPalette::Base).name()));
    }
}

QTEST_MAIN(tst_BodyView)
#include "tst_bodyview.moc"
