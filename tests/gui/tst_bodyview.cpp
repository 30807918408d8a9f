#include "formats/contentcoding.h"
#include "http/formdata.h"
#include "ui/bodyrendering.h"
#include "ui/bodyview.h"
#include "ui/formtable.h"
#include "ui/jsonhighlighter.h"
#include "ui/jsontree.h"
#include "ui/lineview.h"
#include "ui/prettyjson.h"
#include "ui/theme.h"

#include <QFile>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QTreeWidget>

#include <brotli/encode.h>
#include <zlib.h>

namespace {

// windowBits as zlib takes them: 15 + 16 gzip, 15 zlib, -15 raw deflate.
QByteArray deflated(const QByteArray &data, int windowBits)
{
    z_stream z{};
    deflateInit2(&z, 6, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&z, uLong(data.size()))), Qt::Uninitialized);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_FINISH);
    out.resize(qsizetype(z.total_out));
    deflateEnd(&z);
    return out;
}

QByteArray brotlied(const QByteArray &data)
{
    size_t size = BrotliEncoderMaxCompressedSize(size_t(data.size()));
    QByteArray out(qsizetype(size), Qt::Uninitialized);
    BrotliEncoderCompress(BROTLI_DEFAULT_QUALITY, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, size_t(data.size()),
                          reinterpret_cast<const uint8_t *>(data.data()), &size, reinterpret_cast<uint8_t *>(out.data()));
    out.resize(qsizetype(size));
    return out;
}

QByteArray bigJson(int records)
{
    QByteArray body = R"({"records":[)";
    for (int i = 0; i < records; ++i)
        body += (i ? "," : "") + QByteArray(R"({"id":)") + QByteArray::number(i) + R"(,"name":"record number )"
            + QByteArray::number(i) + R"(","tags":["a","b"],"nested":{"ok":true,"none":null}})";
    body += "]}";
    return body;
}

http::HeaderList headersOf(QByteArray contentType, QByteArray coding = {})
{
    http::HeaderList headers{{"Content-Type", contentType}};
    if (!coding.isEmpty())
        headers.append({"Content-Encoding", coding});
    return headers;
}

} // namespace

using namespace Qt::StringLiterals;
using ui::BodyRendering;
using ui::BodyView;

class tst_BodyView : public QObject
{
    Q_OBJECT

private slots:
    void shouldTokeniseXmlLines_data();
    void shouldTokeniseXmlLines();
    void shouldRecogniseKind_data();
    void shouldRecogniseKind();
    void shouldPrettyPrintKeepingMemberOrderAndNumbers();
    void shouldPrettyPrintJsonLineByLine_data();
    void shouldPrettyPrintJsonLineByLine();
    void shouldDumpHex();
    void shouldPageBigBodies();
    void shouldParseUrlEncodedForms_data();
    void shouldParseUrlEncodedForms();
    void shouldParseMultipartForms_data();
    void shouldParseMultipartForms();
    void shouldShowFormFieldsAndSaveAPart();
    void shouldPrettyPrintXmlWithATree();
    void shouldNameWhatIsWrongWithMalformedXml();
    void shouldDecodeContentCodings_data();
    void shouldDecodeContentCodings();
    void shouldShowTextInItsDeclaredCharset_data();
    void shouldShowTextInItsDeclaredCharset();
    void shouldShowABigJsonBodyBeforeItIsAllRead();
    void shouldTurnABigBodyThatIsNotJsonIntoText();
    void shouldPickTheViewThatFitsTheBody();
    void shouldKeepTheUsersModeWhenItFits();
    void shouldBuildTreeChildrenOnlyWhenExpanded();
    void shouldCountABigContainerWhenItIsExpanded();
    void shouldNamePathsOfTreeItems();
    void shouldColourKeysAndStringsFromThePalette();
};

void tst_BodyView::shouldRecogniseKind_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("problem");
    QTest::newRow("empty body") << QByteArray() << QByteArray("application/json") << int(BodyRendering::Kind::Empty) << false;
    QTest::newRow("object") << QByteArray(R"({"a":1})") << QByteArray() << int(BodyRendering::Kind::Json) << false;
    QTest::newRow("array after whitespace") << QByteArray(" \n[1,2]") << QByteArray() << int(BodyRendering::Kind::Json) << false;
    QTest::newRow("form") << QByteArray("a=1&b=2") << QByteArray("application/x-www-form-urlencoded") << int(BodyRendering::Kind::Form) << false;
    QTest::newRow("multipart") << QByteArray("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--\r\n")
                               << QByteArray("multipart/form-data; boundary=x") << int(BodyRendering::Kind::Multipart) << false;
    QTest::newRow("xml by type") << QByteArray("<a><b>1</b></a>") << QByteArray("application/xml") << int(BodyRendering::Kind::Xml) << false;
    QTest::newRow("xml by declaration") << QByteArray("<?xml version=\"1.0\"?><a/>") << QByteArray() << int(BodyRendering::Kind::Xml) << false;
    QTest::newRow("malformed xml") << QByteArray("<a><b></a>") << QByteArray("text/xml") << int(BodyRendering::Kind::Text) << true;
    QTest::newRow("utf-8 text") << QByteArray("h\xc3\xa9llo") << QByteArray("text/plain") << int(BodyRendering::Kind::Text) << false;
    QTest::newRow("broken json said to be json") << QByteArray(R"({"a":)") << QByteArray("application/json") << int(BodyRendering::Kind::Text) << true;
    QTest::newRow("invalid utf-8") << QByteArray("\xff\xfe\x01") << QByteArray() << int(BodyRendering::Kind::Binary) << false;
    QTest::newRow("nul byte") << QByteArray("abc\0def", 7) << QByteArray() << int(BodyRendering::Kind::Binary) << false;
    // Big enough to be paged: UTF-8 is checked on the bytes, eight at a time.
    const auto big = [](const QByteArray &inside, qsizetype at) {
        QByteArray body(BodyRendering::PagedThreshold + 13, 'a');
        return body.replace(at, inside.size(), inside);
    };
    const qsizetype end = BodyRendering::PagedThreshold + 13;
    const int text = int(BodyRendering::Kind::Text);
    const int binary = int(BodyRendering::Kind::Binary);
    QTest::newRow("big text with tabs and line ends") << big("a\tb\r\nc\n", 1000) << QByteArray("text/plain") << text << false;
    QTest::newRow("big utf-8 text") << big("h\xc3\xa9llo \xe2\x82\xac", 5001) << QByteArray("text/plain") << text << false;
    QTest::newRow("big text, a control byte mid-word") << big("\x01", 4099) << QByteArray("text/plain") << binary << false;
    QTest::newRow("big text, a control byte in the last bytes") << big("\x1b", end - 2) << QByteArray("text/plain") << binary << false;
    QTest::newRow("big text, a DEL") << big("\x7f", 64) << QByteArray("text/plain") << binary << false;
    QTest::newRow("big text, invalid utf-8") << big("\xc3(", 777) << QByteArray("text/plain") << binary << false;
    QTest::newRow("big latin-1 text") << big("caf\xe9", 100) << QByteArray("text/plain; charset=iso-8859-1") << text << false;
}

void tst_BodyView::shouldRecogniseKind()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(int, kind);
    QFETCH(bool, problem);
    const BodyRendering r = ui::renderBody(body, contentType);
    QCOMPARE(int(r.kind), kind);
    QCOMPARE(!r.jsonError.isEmpty() || !r.xmlError.isEmpty(), problem);
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
    ui::JsonTree tree;
    tree.setJson(r.bytes);
    tree.show();
    QTreeWidgetItem *root = tree.topLevelItem(0);
    QCOMPARE(root->childCount(), 3);
    QCOMPARE(root->child(0)->text(0), QStringLiteral("zeta"));
    QCOMPARE(root->child(0)->text(1), QStringLiteral("1.50"));
    QCOMPARE(root->child(2)->text(0), QStringLiteral("alpha"));
}

void tst_BodyView::shouldPrettyPrintJsonLineByLine_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("pretty");
    QTest::newRow("scalar") << QByteArray(" 12.50 ") << QStringLiteral("12.50");
    QTest::newRow("empty containers stay on their line") << QByteArray(R"({"a" : { }, "b":[ ]})")
                                                          << QStringLiteral("{\n  \"a\": {},\n  \"b\": []\n}");
    QTest::newRow("nesting") << QByteArray(R"([1,{"k":[true,null]}])")
                             << QStringLiteral("[\n  1,\n  {\n    \"k\": [\n      true,\n      null\n    ]\n  }\n]");
    QTest::newRow("strings keep colons, commas and escapes") << QByteArray(R"({"a:b":"x, \"y\": z"})")
                                                             << QStringLiteral("{\n  \"a:b\": \"x, \\\"y\\\": z\"\n}");
}

void tst_BodyView::shouldPrettyPrintJsonLineByLine()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, pretty);
    ui::PrettyJson document(json);
    QVERIFY(document.advance(json.size()));
    QVERIFY(!document.failed());
    QCOMPARE(document.text(), pretty);
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

void tst_BodyView::shouldPageBigBodies()
{
    QByteArray big;
    for (int i = 0; big.size() <= BodyRendering::PagedThreshold; ++i)
        big += "line " + QByteArray::number(i) + " of a big text body\n";
    const BodyRendering r = ui::renderBody(big, "text/plain");
    QCOMPARE(r.kind, BodyRendering::Kind::Text);
    QVERIFY(r.paged);
    QVERIFY(r.text.isEmpty());   // never held whole

    BodyView view;
    view.resize(800, 600);
    view.show();
    view.setBody(big, r);
    QCOMPARE(view.mode(), BodyView::Mode::Raw);
    QCOMPARE(view.rawView()->line(0), QStringLiteral("line 0 of a big text body"));
    QCOMPARE(view.rawView()->lineCount(), big.count('\n'));
    // Every byte in the hex dump, sixteen a line, but only what is in sight is made.
    QCOMPARE(view.hexView()->lineCount(), (big.size() + 15) / 16);
    QVERIFY(view.hexView()->line(1).startsWith(u"00000010  "));
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY(view.rawView()->linesPainted() > 0);
    QVERIFY(view.rawView()->linesPainted() < 100);
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
    QVERIFY(view.hexView()->line(0).startsWith(u"00000000  00 01 02"));
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
    ui::JsonTree tree;
    tree.setJson(body);
    // Nothing is made before the tree is shown.
    QCOMPARE(tree.topLevelItemCount(), 0);
    tree.show();
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

void tst_BodyView::shouldCountABigContainerWhenItIsExpanded()
{
    QByteArray body = R"({"ref":"main","commits":[)";
    int commits = 0;
    for (; body.size() <= ui::JsonTree::CountLimit; ++commits)
        body += (commits ? "," : "") + QByteArray(R"({"id":")") + QByteArray::number(commits).rightJustified(40, '0') + R"("})";
    body += "]}";
    ui::JsonTree tree;
    tree.setJson(body);
    tree.show();
    // Listed, the big array says its size; the root, read through once opened, its count.
    QTreeWidgetItem *root = tree.topLevelItem(0);
    QCOMPARE(root->text(1), QStringLiteral("{2 members}"));
    QTreeWidgetItem *list = root->child(1);
    QVERIFY2(list->text(1).startsWith(u'[') && list->text(1).contains(QLatin1String("MB")), qPrintable(list->text(1)));
    QCOMPARE(list->childIndicatorPolicy(), QTreeWidgetItem::ShowIndicator);
    list->setExpanded(true);
    QCOMPARE(list->text(1), QStringLiteral("[%1 items]").arg(commits));
    QCOMPARE(list->childCount(), ui::JsonTree::ChildLimit + 1);
    QCOMPARE(list->child(ui::JsonTree::ChildLimit)->text(1), QStringLiteral("%1 more not listed").arg(commits - ui::JsonTree::ChildLimit));
}

void tst_BodyView::shouldNamePathsOfTreeItems()
{
    ui::JsonTree tree;
    tree.setJson(R"({"user":{"ids":["a","b"]}})");
    tree.show();
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

void tst_BodyView::shouldParseUrlEncodedForms_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QStringList>("values");
    QTest::addColumn<bool>("error");
    QTest::newRow("two fields") << QByteArray("token=abc&team_id=T1") << QStringList{u"token"_s, u"team_id"_s} << QStringList{u"abc"_s, u"T1"_s} << false;
    QTest::newRow("escapes and plus signs") << QByteArray("user%5Bname%5D=Ada+Lovelace&city=Z%C3%BCrich")
                                            << QStringList{u"user[name]"_s, u"city"_s} << QStringList{u"Ada Lovelace"_s, u"Zürich"_s} << false;
    QTest::newRow("empty body") << QByteArray() << QStringList{} << QStringList{} << false;
    QTest::newRow("name without value, empty pairs") << QByteArray("flag&&x=") << QStringList{u"flag"_s, u"x"_s} << QStringList{u""_s, u""_s} << false;
    QTest::newRow("malformed escape kept as written") << QByteArray("a=100%&b=%zz") << QStringList{u"a"_s, u"b"_s} << QStringList{u"100%"_s, u"%zz"_s} << true;
}

void tst_BodyView::shouldParseUrlEncodedForms()
{
    QFETCH(QByteArray, body);
    QFETCH(QStringList, names);
    QFETCH(QStringList, values);
    QFETCH(bool, error);
    const http::FormData form = http::parseUrlEncoded(body);
    QStringList gotNames, gotValues;
    for (const http::FormField &field : form.fields) {
        gotNames.append(field.name);
        gotValues.append(field.text());
    }
    QCOMPARE(gotNames, names);
    QCOMPARE(gotValues, values);
    QCOMPARE(!form.error.isEmpty(), error);
}

void tst_BodyView::shouldParseMultipartForms_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QString>("error");   // a part of the message, or empty
    const QByteArray two = "--XyZ\r\nContent-Disposition: form-data; name=\"from\"\r\n\r\nada@example.com\r\n"
                           "--XyZ\r\nContent-Disposition: form-data; name=\"attachment-1\"; filename=\"a b.png\"\r\n"
                           "Content-Type: image/png\r\n\r\n\x89PNG\r\n\x01\x02\r\n--XyZ--\r\n";
    QTest::newRow("a field and a file") << two << QByteArray("multipart/form-data; boundary=XyZ") << QStringList{u"from"_s, u"attachment-1"_s} << QString();
    QTest::newRow("quoted boundary, preamble") << QByteArray("preamble\r\n--a'b\r\nContent-Disposition: form-data; name=x\r\n\r\n1\r\n--a'b--")
                                               << QByteArray("multipart/form-data; boundary=\"a'b\"") << QStringList{u"x"_s} << QString();
    QTest::newRow("no boundary in the type") << two << QByteArray("multipart/form-data") << QStringList{} << QStringLiteral("names no boundary");
    QTest::newRow("boundary not in the body") << two << QByteArray("multipart/form-data; boundary=other") << QStringList{} << QStringLiteral("does not occur");
    QTest::newRow("no closing boundary") << QByteArray("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ncut off")
                                         << QByteArray("multipart/form-data; boundary=XyZ") << QStringList{} << QStringLiteral("no closing boundary");
    QTest::newRow("headers never end") << QByteArray("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n--XyZ--")
                                       << QByteArray("multipart/form-data; boundary=XyZ") << QStringList{} << QStringLiteral("no blank line");
    QTest::newRow("empty body") << QByteArray() << QByteArray("multipart/form-data; boundary=XyZ") << QStringList{} << QStringLiteral("does not occur");
}

void tst_BodyView::shouldParseMultipartForms()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(QStringList, names);
    QFETCH(QString, error);
    const http::FormData form = http::parseMultipart(body, contentType);
    QStringList gotNames;
    for (const http::FormField &field : form.fields)
        gotNames.append(field.name);
    QCOMPARE(gotNames, names);
    if (error.isEmpty())
        QCOMPARE(form.error, QString());
    else
        QVERIFY2(form.error.contains(error), qPrintable(form.error));
    // The view says the same and does not fall over.
    BodyView view;
    view.setBody(body, contentType);
    if (!error.isEmpty() && !body.isEmpty())
        QVERIFY2(view.note().contains(error), qPrintable(view.note()));
}

void tst_BodyView::shouldShowFormFieldsAndSaveAPart()
{
    const QByteArray png("\x89PNG\r\n\x00\x01", 8);
    const QByteArray body = "--XyZ\r\nContent-Disposition: form-data; name=\"from\"\r\n\r\nada@example.com\r\n"
                            "--XyZ\r\nContent-Disposition: form-data; name=\"attachment-1\"; filename=\"a.png\"\r\n"
                            "Content-Type: image/png\r\n\r\n" + png + "\r\n--XyZ--\r\n";
    BodyView view;
    view.setBody(body, "multipart/form-data; boundary=XyZ");
    QCOMPARE(view.kind(), BodyRendering::Kind::Multipart);
    QCOMPARE(view.mode(), BodyView::Mode::Pretty);
    ui::FormTable *table = view.formTable();
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->item(0, ui::FormTable::ValueColumn)->text(), QStringLiteral("ada@example.com"));
    QCOMPARE(table->item(1, ui::FormTable::NameColumn)->text(), QStringLiteral("attachment-1"));
    QVERIFY(table->item(1, ui::FormTable::ValueColumn)->text().contains(u"a.png"));
    QCOMPARE(table->item(1, ui::FormTable::TypeColumn)->text(), QStringLiteral("image/png"));
    QCOMPARE(table->item(1, ui::FormTable::SizeColumn)->text(), QLocale().formattedDataSize(8, 1, QLocale::DataSizeTraditionalFormat));
    QVERIFY(table->item(1, ui::FormTable::HeadersColumn)->text().contains(u"Content-Type: image/png"));

    QTemporaryDir dir;
    QString error;
    QVERIFY(table->saveField(1, dir.filePath(QStringLiteral("part.png")), &error));
    QFile saved(dir.filePath(QStringLiteral("part.png")));
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(saved.readAll(), png);
    QVERIFY(!table->saveField(1, dir.filePath(QStringLiteral("no/such/dir/x")), &error));
    QVERIFY(error.contains(u"no/such/dir"));

    view.setBody("text=hello+world&channel_id=C2147483705", "application/x-www-form-urlencoded");
    QCOMPARE(view.kind(), BodyRendering::Kind::Form);
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->item(0, ui::FormTable::ValueColumn)->text(), QStringLiteral("hello world"));
    QVERIFY(table->isColumnHidden(ui::FormTable::HeadersColumn));
    // The text as received is one tab away.
    QCOMPARE(view.rawText(), QStringLiteral("text=hello+world&channel_id=C2147483705"));
}

void tst_BodyView::shouldPrettyPrintXmlWithATree()
{
    BodyView view;
    view.setBody(R"(<?xml version="1.0"?><Response><Message to="+1555">Hi &amp; bye</Message><Empty/></Response>)", "text/xml; charset=utf-8");
    QCOMPARE(view.kind(), BodyRendering::Kind::Xml);
    QCOMPARE(view.mode(), BodyView::Mode::Pretty);
    const QString pretty = view.prettyText();
    QVERIFY2(pretty.contains(u"\n  <Message to=\"+1555\">Hi &amp; bye</Message>"), qPrintable(pretty));
    QVERIFY(pretty.contains(u"\n  <Empty/>"));
    QTreeWidget *tree = view.xmlTree();
    QCOMPARE(tree->topLevelItemCount(), 1);
    QTreeWidgetItem *root = tree->topLevelItem(0);
    QCOMPARE(root->text(0), QStringLiteral("Response"));
    QTreeWidgetItem *message = root->child(0);
    QCOMPARE(message->text(0), QStringLiteral("Message"));
    QCOMPARE(message->text(1), QStringLiteral("Hi & bye"));
    QCOMPARE(message->child(0)->text(0), QStringLiteral("@to"));
    QCOMPARE(message->child(0)->text(1), QStringLiteral("+1555"));

    // Namespaces as written: the default one stays the default, prefixes stay theirs; the declaration whole.
    view.setBody(R"(<?xml version="1.0" encoding="UTF-8"?><n xmlns="urn:a" xmlns:p="urn:b"><p:e p:k="v"/></n>)", "application/xml");
    QCOMPARE(view.prettyText(),
             QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<n xmlns=\"urn:a\" xmlns:p=\"urn:b\">\n  <p:e p:k=\"v\"/>\n</n>"));
    QTreeWidgetItem *n = view.xmlTree()->topLevelItem(0);
    QVERIFY(n && n->childCount() > 0);
    QCOMPARE(n->child(n->childCount() - 1)->text(0), QStringLiteral("p:e"));
}

void tst_BodyView::shouldNameWhatIsWrongWithMalformedXml()
{
    BodyView view;
    view.setBody("<a>\n<b></a>", "application/xml");
    QCOMPARE(view.kind(), BodyRendering::Kind::Text);
    QCOMPARE(view.mode(), BodyView::Mode::Raw);
    QVERIFY2(view.note().contains(u"not well-formed XML: line 2"), qPrintable(view.note()));
}

void tst_BodyView::shouldDecodeContentCodings_data()
{
    QTest::addColumn<QByteArray>("coding");
    QTest::addColumn<QByteArray>("encoded");
    QTest::addColumn<bool>("decoded");
    const QByteArray json = R"({"zen":"Design for failure.","hook_id":1})";
    QTest::newRow("gzip") << QByteArray("gzip") << deflated(json, 15 + 16) << true;
    QTest::newRow("x-gzip") << QByteArray("x-gzip") << deflated(json, 15 + 16) << true;
    QTest::newRow("deflate (zlib)") << QByteArray("deflate") << deflated(json, 15) << true;
    QTest::newRow("deflate (raw, as some send it)") << QByteArray("deflate") << deflated(json, -15) << true;
    QTest::newRow("br") << QByteArray("br") << brotlied(json) << true;
    QTest::newRow("gzip then br") << QByteArray("gzip, br") << brotlied(deflated(json, 15 + 16)) << true;
    QTest::newRow("corrupt gzip") << QByteArray("gzip") << QByteArray("\x1f\x8bnot really") << false;
    QTest::newRow("cut-off gzip") << QByteArray("gzip") << deflated(json, 15 + 16).chopped(12) << false;
    QTest::newRow("unknown coding") << QByteArray("zstd") << json << false;
}

void tst_BodyView::shouldDecodeContentCodings()
{
    QFETCH(QByteArray, coding);
    QFETCH(QByteArray, encoded);
    QFETCH(bool, decoded);
    const QByteArray json = R"({"zen":"Design for failure.","hook_id":1})";
    const BodyRendering r = ui::renderBody(encoded, headersOf("application/json", coding));
    QCOMPARE(r.size, encoded.size());
    QCOMPARE(r.isDecoded(), decoded);
    BodyView view;
    view.setBody(encoded, r);
    // The stored bytes stay as received: the hex dump and Save have them.
    QCOMPARE(view.body(), encoded);
    QCOMPARE(view.hexView()->lineCount(), (encoded.size() + 15) / 16);
    if (decoded) {
        QCOMPARE(r.bytes, json);
        QCOMPARE(view.kind(), BodyRendering::Kind::Json);
        QVERIFY(view.prettyText().contains(u"\"zen\": \"Design for failure.\""));
        // Both sizes.
        const QLocale locale;
        QVERIFY2(view.note().contains(locale.formattedDataSize(encoded.size(), 1, QLocale::DataSizeTraditionalFormat)), qPrintable(view.note()));
        QVERIFY2(view.note().contains(locale.formattedDataSize(json.size(), 1, QLocale::DataSizeTraditionalFormat) + QStringLiteral(" decoded")),
                 qPrintable(view.note()));
    } else {
        QVERIFY(!r.codingError.isEmpty());
        QCOMPARE(view.kind(), BodyRendering::Kind::Binary);
        QVERIFY2(view.note().contains(QString::fromLatin1(coding) + QStringLiteral(" not decoded")), qPrintable(view.note()));
    }
    // A bomb is stopped at the limit, with a reason.
    const formats::Decoded limited = formats::decode(deflated(QByteArray(4096, 'a'), 15 + 16), "gzip", 1000);
    QVERIFY(!limited.ok());
    QVERIFY(limited.error.contains(u"1000"));
}

void tst_BodyView::shouldShowTextInItsDeclaredCharset_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QString>("text");
    QTest::newRow("ISO-8859-1") << QByteArray("caf\xe9 cr\xe8me") << QByteArray("text/plain; charset=ISO-8859-1") << QStringLiteral("café crème");
    QTest::newRow("quoted latin1 form") << QByteArray("name=Fran\xe7ois") << QByteArray("text/plain; charset=\"latin1\"") << QStringLiteral("name=François");
    QTest::newRow("UTF-16LE") << QByteArray("h\0i\0", 4) << QByteArray("text/plain; charset=utf-16le") << QStringLiteral("hi");
    QTest::newRow("UTF-8 by default") << QByteArray("caf\xc3\xa9") << QByteArray("text/plain") << QStringLiteral("café");
}

void tst_BodyView::shouldShowTextInItsDeclaredCharset()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(QString, text);
    BodyView view;
    view.setBody(body, contentType);
    QCOMPARE(view.kind(), BodyRendering::Kind::Text);
    QCOMPARE(view.rawText(), text);

    const BodyRendering unknown = ui::renderBody("abc", "text/plain; charset=x-no-such-charset");
    QCOMPARE(unknown.text, QStringLiteral("abc"));
    QVERIFY(unknown.charsetError.contains(u"x-no-such-charset"));
}

void tst_BodyView::shouldShowABigJsonBodyBeforeItIsAllRead()
{
    const QByteArray body = bigJson(40000);
    QVERIFY(body.size() > 4 * BodyView::SliceBytes);
    const BodyRendering r = ui::renderBody(body, "application/json");
    QCOMPARE(r.kind, BodyRendering::Kind::Json);
    QVERIFY(r.paged);
    QVERIFY(r.pretty.isEmpty());

    BodyView view;
    view.resize(900, 700);
    view.show();
    QSignalSpy finished(&view, &BodyView::readingFinished);
    view.setBody(body, r);
    // The first screen is there, the end is not yet.
    QCOMPARE(view.mode(), BodyView::Mode::Pretty);
    QVERIFY(view.isReading());
    const qsizetype early = view.prettyView()->lineCount();
    QVERIFY(early > 100);
    QCOMPARE(view.prettyView()->line(0), QStringLiteral("{"));
    QCOMPARE(view.prettyView()->line(1), QStringLiteral("  \"records\": ["));
    QCOMPARE(view.prettyView()->line(3), QStringLiteral("      \"id\": 0,"));
    QVERIFY(view.note().contains(u"reading"));

    // The tree has its root and the root's children, none of theirs.
    view.setPreferredMode(BodyView::Mode::Tree);
    QTreeWidgetItem *root = view.tree()->topLevelItem(0);
    QVERIFY(root);
    QTreeWidgetItem *records = root->child(0);
    QVERIFY2(records->text(1).contains(QLatin1String("MB")), qPrintable(records->text(1)));   // counted when opened
    QCOMPARE(records->childCount(), 0);
    records->setExpanded(true);
    QCOMPARE(records->text(1), QStringLiteral("[40000 items]"));
    QCOMPARE(records->childCount(), ui::JsonTree::ChildLimit + 1);
    QCOMPARE(records->child(0)->childCount(), 0);

    QVERIFY(finished.wait(20000));
    QVERIFY(!view.isReading());
    QVERIFY(view.prettyView()->lineCount() > early);
    QCOMPARE(view.prettyView()->line(view.prettyView()->lineCount() - 1), QStringLiteral("}"));
    QCOMPARE(view.kind(), BodyRendering::Kind::Json);
    QVERIFY(!view.note().contains(u"reading"));
}

void tst_BodyView::shouldTurnABigBodyThatIsNotJsonIntoText()
{
    const QByteArray body = bigJson(20000) + "garbage";
    BodyView view;
    QSignalSpy finished(&view, &BodyView::readingFinished);
    view.setBody(body, ui::renderBody(body, "application/json"));
    QCOMPARE(view.kind(), BodyRendering::Kind::Json);
    QVERIFY(finished.wait(20000));
    QCOMPARE(view.kind(), BodyRendering::Kind::Text);
    QCOMPARE(view.mode(), BodyView::Mode::Raw);
    QVERIFY2(view.note().contains(u"not valid JSON: unexpected text after the JSON value at offset " + QString::number(body.size() - 7)),
             qPrintable(view.note()));
}

QTEST_MAIN(tst_BodyView)
#include "tst_bodyview.moc"

// A line's tokens written as text: K element name, A attribute name, S attribute value,
// P markup (and comments, CDATA, declarations); what is not a token stays a space.
static QString xmlTokenMap(QStringView line, int &state)
{
    QString map(line.size(), u' ');
    for (const ui::JsonTokenRange &token : ui::xmlTokens(line, state)) {
        const QChar mark = token.token == ui::JsonToken::Key      ? u'K'
                           : token.token == ui::JsonToken::Number ? u'A'
                           : token.token == ui::JsonToken::String ? u'S'
                                                                  : u'P';
        for (qsizetype i = token.start; i < token.start + token.length; ++i)
            map[i] = mark;
    }
    return map;
}

void tst_BodyView::shouldTokeniseXmlLines_data()
{
    QTest::addColumn<QStringList>("lines");
    QTest::addColumn<QStringList>("maps");
    QTest::newRow("element with text") << QStringList{QStringLiteral("<a>text</a>")} << QStringList{QStringLiteral("PKP    PPKP")};
    QTest::newRow("attributes, both quotes")
        << QStringList{QStringLiteral("<x:e id=\"1\" k='v'/>")} << QStringList{QStringLiteral("PKKK AAPSSS APSSSPP")};
    QTest::newRow("declaration") << QStringList{QStringLiteral("<?xml version=\"1.0\"?>")}
                                 << QStringList{QStringLiteral("PPPPPPPPPPPPPPPPPPPPP")};
    QTest::newRow("comment across lines") << QStringList{QStringLiteral("<!-- a <b>"), QStringLiteral("c --><d/>")}
                                          << QStringList{QStringLiteral("PPPPPPPPPP"), QStringLiteral("PPPPPPKPP")};
    QTest::newRow("cdata keeps markup as text") << QStringList{QStringLiteral("<![CDATA[<a>]]>x")}
                                                << QStringList{QStringLiteral("PPPPPPPPPPPPPPP ")};
    QTest::newRow("tag across lines") << QStringList{QStringLiteral("<e a=\"1\""), QStringLiteral("   b=\"2\">t")}
                                      << QStringList{QStringLiteral("PK APSSS"), QStringLiteral("   APSSSP ")};
}

void tst_BodyView::shouldTokeniseXmlLines()
{
    QFETCH(QStringList, lines);
    QFETCH(QStringList, maps);
    int state = 0;
    for (qsizetype i = 0; i < lines.size(); ++i)
        QCOMPARE(xmlTokenMap(lines.at(i), state), maps.at(i));
    QCOMPARE(state, 0);
}
