#include "bodyview.h"

#include "formtable.h"
#include "jsonhighlighter.h"
#include "jsontree.h"
#include "lineview.h"
#include "prettyjson.h"
#include "xmlbody.h"

#include <QEvent>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSaveFile>
#include <QScopedValueRollback>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ui {

namespace {

QPlainTextEdit *makeEdit(QWidget *parent, QPlainTextEdit::LineWrapMode wrap)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setReadOnly(true);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(wrap);
    edit->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    edit->setFrameShape(QFrame::NoFrame);
    return edit;
}

QString sizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

// Large text goes in without colours: highlighting runs over every line at once.
void setText(QPlainTextEdit *edit, JsonHighlighter *highlighter, const QString &text, bool colour)
{
    highlighter->setDocument(nullptr);
    edit->setPlainText(text);
    if (colour && text.size() <= BodyRendering::HighlightLimit)
        highlighter->setDocument(edit->document());
}

QString kindName(BodyRendering::Kind kind)
{
    switch (kind) {
    case BodyRendering::Kind::Empty: return BodyView::tr("No body");
    case BodyRendering::Kind::Json: return BodyView::tr("JSON");
    case BodyRendering::Kind::Text: return BodyView::tr("Text");
    case BodyRendering::Kind::Binary: return BodyView::tr("Binary");
    case BodyRendering::Kind::Form: return BodyView::tr("Form");
    case BodyRendering::Kind::Multipart: return BodyView::tr("Multipart form");
    case BodyRendering::Kind::Xml: return BodyView::tr("XML");
    }
    return {};
}

} // namespace

BodyView::BodyView(QWidget *parent)
    : QWidget(parent)
    , m_tabs(new QTabWidget(this))
    , m_prettyStack(new QStackedWidget(this))
    , m_treeStack(new QStackedWidget(this))
    , m_rawStack(new QStackedWidget(this))
    , m_pretty(makeEdit(this, QPlainTextEdit::NoWrap))
    , m_prettyPaged(new LineView(this))
    , m_form(new FormTable(this))
    , m_raw(makeEdit(this, QPlainTextEdit::WidgetWidth))
    , m_rawPaged(new LineView(this))
    , m_hex(new LineView(this))
    , m_tree(new JsonTree(this))
    , m_xmlTree(new QTreeWidget(this))
    , m_note(new QLabel(this))
    , m_save(new QToolButton(this))
    , m_prettyHighlighter(new JsonHighlighter(m_pretty->document()))
    , m_rawHighlighter(new JsonHighlighter(m_raw->document()))
    , m_reader(new QTimer(this))
{
    m_prettyStack->addWidget(m_pretty);
    m_prettyStack->addWidget(m_prettyPaged);
    m_prettyStack->addWidget(m_form);
    m_treeStack->addWidget(m_tree);
    m_treeStack->addWidget(m_xmlTree);
    m_rawStack->addWidget(m_raw);
    m_rawStack->addWidget(m_rawPaged);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_prettyStack, tr("Pretty"));
    m_tabs->addTab(m_treeStack, tr("Tree"));
    m_tabs->addTab(m_rawStack, tr("Raw"));
    m_tabs->addTab(m_hex, tr("Hex"));
    m_tree->setFrameShape(QFrame::NoFrame);
    m_xmlTree->setFrameShape(QFrame::NoFrame);
    m_xmlTree->setColumnCount(2);
    m_xmlTree->setHeaderLabels({tr("Element"), tr("Value")});
    m_xmlTree->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_xmlTree->setAlternatingRowColors(true);
    m_xmlTree->header()->resizeSection(0, 260);

    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    m_save->setText(tr("Save…"));
    m_save->setToolTip(tr("Save the body bytes, as received, to a file"));
    m_save->setAutoRaise(true);
    connect(m_save, &QToolButton::clicked, this, &BodyView::saveBody);

    auto *corner = new QWidget(this);
    auto *cornerLayout = new QHBoxLayout(corner);
    cornerLayout->setContentsMargins(0, 0, 4, 0);
    cornerLayout->addWidget(m_note);
    cornerLayout->addWidget(m_save);
    m_tabs->setCornerWidget(corner, Qt::TopRightCorner);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);

    m_reader->setInterval(0);
    connect(m_reader, &QTimer::timeout, this, &BodyView::readOn);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (m_switching || index < 0)
            return;
        m_preferred = Mode(index);
        emit modeChosen(m_preferred);
    });
    clear();
}

BodyView::~BodyView() = default;

BodyView::Mode BodyView::mode() const
{
    return Mode(m_tabs->currentIndex());
}

void BodyView::setPreferredMode(Mode mode)
{
    m_preferred = mode;
    showMode();
}

QString BodyView::note() const
{
    return m_note->text();
}

void BodyView::addNote(const QString &text)
{
    m_note->setText(m_note->text().isEmpty() ? text : m_note->text() + QStringLiteral(" · ") + text);
}

bool BodyView::isReading() const
{
    return m_json && !m_json->isFinished();
}

QString BodyView::prettyText() const
{
    if (m_prettyStack->currentWidget() == m_prettyPaged) {
        QStringList lines;
        for (qsizetype i = 0; i < m_prettyPaged->lineCount(); ++i)
            lines.append(m_prettyPaged->line(i));
        return lines.join(u'\n');
    }
    return m_pretty->toPlainText();
}

QString BodyView::rawText() const
{
    if (m_rawStack->currentWidget() == m_rawPaged) {
        QString all;
        for (qsizetype i = 0; i < m_rawPaged->lineCount(); ++i)
            all += m_rawPaged->line(i);
        return all;
    }
    return m_raw->toPlainText();
}

void BodyView::clear()
{
    m_reader->stop();
    m_json.reset();
    m_body.clear();
    m_kind = BodyRendering::Kind::Empty;
    m_hasText = false;
    m_pretty->clear();
    m_prettyPaged->clear();
    m_form->setForm({}, false);
    m_raw->clear();
    m_rawPaged->clear();
    m_hex->clear();
    m_tree->clearJson();
    m_xmlTree->clear();
    m_prettyStack->setCurrentWidget(m_pretty);
    m_rawStack->setCurrentWidget(m_raw);
    m_tabs->setTabText(int(Mode::Pretty), tr("Pretty"));
    m_notes = QStringList{tr("No body")};
    m_noteTip.clear();
    updateNote();
    m_save->setEnabled(false);
    showMode();
}

void BodyView::setLoading(qint64 size)
{
    clear();
    m_notes = QStringList{tr("Loading %1…").arg(sizeText(size))};
    updateNote();
    m_pretty->setPlainText(tr("Loading %1…").arg(sizeText(size)));
}

void BodyView::setBody(const QByteArray &body, QByteArrayView contentType)
{
    setBody(body, renderBody(body, contentType));
}

void BodyView::setBody(const QByteArray &body, const http::HeaderList &headers)
{
    setBody(body, renderBody(body, headers));
}

void BodyView::setBody(const QByteArray &body, const BodyRendering &rendering)
{
    clear();
    m_body = body;
    m_kind = rendering.kind;
    const bool json = rendering.kind == BodyRendering::Kind::Json;
    const auto syntax = json ? JsonHighlighter::Syntax::Json : JsonHighlighter::Syntax::Xml;
    m_prettyHighlighter->setSyntax(syntax);
    m_rawHighlighter->setSyntax(syntax);
    const bool form = rendering.kind == BodyRendering::Kind::Form || rendering.kind == BodyRendering::Kind::Multipart;
    m_hasText = rendering.kind != BodyRendering::Kind::Binary && rendering.kind != BodyRendering::Kind::Empty
        && (rendering.paged || !rendering.text.isEmpty());

    // Pretty and Tree.
    if (form) {
        m_form->setForm(rendering.form, rendering.kind == BodyRendering::Kind::Multipart);
        m_prettyStack->setCurrentWidget(m_form);
        m_tabs->setTabText(int(Mode::Pretty), tr("Fields (%1)").arg(rendering.form.fields.size()));
    } else if (json && rendering.paged) {
        m_json = std::make_shared<PrettyJson>(rendering.bytes);
        m_json->advance(SliceBytes);
        const std::weak_ptr<PrettyJson> source = m_json;
        m_prettyPaged->setSource(m_json->lineCount(), [source](qsizetype i) {
            const auto document = source.lock();
            return document ? document->line(i) : QString();
        }, true);
        m_prettyStack->setCurrentWidget(m_prettyPaged);
        m_tree->setJson(rendering.bytes);
        m_treeStack->setCurrentWidget(m_tree);
    } else if (json || rendering.kind == BodyRendering::Kind::Xml) {
        setText(m_pretty, m_prettyHighlighter, rendering.pretty, true);
        if (json) {
            m_tree->setJson(rendering.bytes);
            m_treeStack->setCurrentWidget(m_tree);
        } else {
            fillXmlTree(m_xmlTree, rendering.bytes);
            m_treeStack->setCurrentWidget(m_xmlTree);
        }
    }

    // Raw: the characters (decoded), and Hex: the bytes as received.
    if (m_hasText && rendering.paged) {
        showRawPaged(rendering);
    } else if (m_hasText) {
        setText(m_raw, m_rawHighlighter, rendering.text, json || rendering.kind == BodyRendering::Kind::Xml);
        m_raw->setLineWrapMode(rendering.text.size() <= BodyRendering::HighlightLimit ? QPlainTextEdit::WidgetWidth
                                                                                      : QPlainTextEdit::NoWrap);
    }
    const QByteArray received = body;
    m_hex->setSource((body.size() + 15) / 16, [received](qsizetype i) {
        return hexDump(QByteArrayView(received).sliced(i * 16, std::min<qsizetype>(16, received.size() - i * 16)), i * 16).chopped(1);
    }, false);

    QStringList notes;
    QStringList tips;
    notes.append(rendering.kind == BodyRendering::Kind::Empty ? kindName(rendering.kind)
                                                              : tr("%1, %2").arg(kindName(rendering.kind), sizeText(rendering.size)));
    if (rendering.isDecoded())
        notes.append(tr("%1: %2 decoded").arg(QString::fromLatin1(rendering.coding), sizeText(rendering.decodedSize())));
    if (!rendering.codingError.isEmpty()) {
        notes.append(tr("%1 not decoded").arg(QString::fromLatin1(rendering.coding)));
        tips.append(rendering.codingError);
    }
    if (!rendering.charset.isEmpty() && rendering.charset != "utf-8" && m_hasText)
        notes.append(QString::fromLatin1(rendering.charset));
    if (!rendering.charsetError.isEmpty()) {
        notes.append(tr("unknown charset"));
        tips.append(rendering.charsetError);
    }
    if (!rendering.jsonError.isEmpty()) {
        notes.append(tr("not valid JSON: %1").arg(rendering.jsonError));
        tips.append(rendering.jsonError);
    }
    if (!rendering.xmlError.isEmpty()) {
        notes.append(tr("not well-formed XML: %1").arg(rendering.xmlError));
        tips.append(rendering.xmlError);
    }
    if (!rendering.form.error.isEmpty()) {
        notes.append(rendering.form.error);
        tips.append(rendering.form.error);
    }
    m_notes = notes;
    m_noteTip = tips.join(u'\n');
    updateNote();
    m_save->setEnabled(!body.isEmpty());
    showMode();
    if (m_json) {
        if (m_json->isFinished())
            readOn();
        else
            m_reader->start();
    }
}

void BodyView::showRawPaged(const BodyRendering &rendering)
{
    const QByteArray bytes = rendering.bytes;
    const QList<quint32> starts = rendering.lineStarts;
    BodyRendering decoding;
    decoding.charset = rendering.charset;
    m_rawPaged->setSource(starts.size(), [bytes, starts, decoding](qsizetype i) {
        const qsizetype from = starts.at(i);
        const qsizetype to = i + 1 < starts.size() ? qsizetype(starts.at(i + 1)) : bytes.size();
        QString line = decoding.decode(QByteArrayView(bytes).sliced(from, to - from));
        if (line.endsWith(u'\n'))
            line.chop(1);
        if (line.endsWith(u'\r'))
            line.chop(1);
        return line;
    }, false);
    m_rawStack->setCurrentWidget(m_rawPaged);
}

void BodyView::readOn()
{
    if (!m_json)
        return;
    m_json->advance(SliceBytes);
    m_prettyPaged->setLineCount(m_json->lineCount());
    if (!m_json->isFinished()) {
        updateNote();
        return;
    }
    m_reader->stop();
    if (m_json->failed()) {
        const QString error = jsonErrorText(m_json->source());
        m_kind = BodyRendering::Kind::Text;
        m_json.reset();
        m_prettyPaged->clear();
        m_tree->clearJson();
        m_notes[0] = tr("%1, %2").arg(kindName(m_kind), sizeText(m_body.size()));
        m_notes.append(tr("not valid JSON: %1").arg(error));
        m_noteTip = error;
        showMode();
    }
    updateNote();
    emit readingFinished();
}

void BodyView::updateNote()
{
    QStringList notes = m_notes;
    if (isReading())
        notes.append(tr("reading %1 %…").arg(m_json->position() * 100 / std::max<qsizetype>(1, m_json->source().size())));
    m_note->setText(notes.join(QStringLiteral(" · ")));
    m_note->setToolTip(m_noteTip);
}

void BodyView::showMode()
{
    // Enabling and disabling tabs moves the current one: none of that is the user's choice.
    const QScopedValueRollback<bool> switching(m_switching, true);
    using Kind = BodyRendering::Kind;
    const bool structured = m_kind == Kind::Json || m_kind == Kind::Xml;
    const bool form = m_kind == Kind::Form || m_kind == Kind::Multipart;
    m_tabs->setTabEnabled(int(Mode::Pretty), structured || form || m_kind == Kind::Empty);
    m_tabs->setTabEnabled(int(Mode::Tree), structured);
    m_tabs->setTabEnabled(int(Mode::Raw), m_hasText || m_kind == Kind::Empty);
    m_tabs->setTabEnabled(int(Mode::Hex), true);

    Mode mode = m_preferred;
    if (!m_tabs->isTabEnabled(int(mode)))
        mode = structured || form ? Mode::Pretty : m_hasText ? Mode::Raw : m_kind == Kind::Binary ? Mode::Hex : Mode::Pretty;
    m_tabs->setCurrentIndex(int(mode));
}

void BodyView::saveBody()
{
    const QString fileName = QFileDialog::getSaveFileName(this, tr("Save Body"), QString(),
                                                          m_kind == BodyRendering::Kind::Json ? tr("JSON (*.json);;All files (*)")
                                                                                              : tr("All files (*)"));
    if (fileName.isEmpty())
        return;
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_body) != m_body.size() || !file.commit())
        m_note->setText(tr("Cannot write %1: %2").arg(fileName, file.errorString()));
}

void BodyView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        m_prettyHighlighter->setPalette(palette());
        m_rawHighlighter->setPalette(palette());
    }
}

} // namespace ui
