#include "bodyview.h"

#include "jsonhighlighter.h"
#include "jsontree.h"

#include <QEvent>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSaveFile>
#include <QScopedValueRollback>
#include <QTabWidget>
#include <QToolButton>
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

} // namespace

BodyView::BodyView(QWidget *parent)
    : QWidget(parent)
    , m_tabs(new QTabWidget(this))
    , m_pretty(makeEdit(this, QPlainTextEdit::NoWrap))
    , m_raw(makeEdit(this, QPlainTextEdit::WidgetWidth))
    , m_hex(makeEdit(this, QPlainTextEdit::NoWrap))
    , m_tree(new JsonTree(this))
    , m_note(new QLabel(this))
    , m_save(new QToolButton(this))
    , m_prettyHighlighter(new JsonHighlighter(m_pretty->document()))
    , m_rawHighlighter(new JsonHighlighter(m_raw->document()))
{
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_pretty, tr("Pretty"));
    m_tabs->addTab(m_tree, tr("Tree"));
    m_tabs->addTab(m_raw, tr("Raw"));
    m_tabs->addTab(m_hex, tr("Hex"));
    m_tree->setFrameShape(QFrame::NoFrame);

    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    m_save->setText(tr("Save…"));
    m_save->setToolTip(tr("Save the body bytes to a file"));
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

    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (m_switching || index < 0)
            return;
        m_preferred = Mode(index);
        emit modeChosen(m_preferred);
    });
    clear();
}

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

void BodyView::clear()
{
    m_body.clear();
    m_kind = BodyRendering::Kind::Empty;
    m_pretty->clear();
    m_raw->clear();
    m_hex->clear();
    m_tree->clearJson();
    m_note->setText(tr("No body"));
    m_save->setEnabled(false);
    showMode();
}

void BodyView::setLoading(qint64 size)
{
    clear();
    m_note->setText(tr("Loading %1…").arg(sizeText(size)));
    m_pretty->setPlainText(tr("Loading %1…").arg(sizeText(size)));
}

void BodyView::setBody(const QByteArray &body, QByteArrayView contentType)
{
    setBody(body, renderBody(body, contentType));
}

void BodyView::setBody(const QByteArray &body, const BodyRendering &rendering)
{
    m_body = body;
    m_kind = rendering.kind;
    const bool json = rendering.kind == BodyRendering::Kind::Json;
    setText(m_pretty, m_prettyHighlighter, rendering.pretty, true);
    setText(m_raw, m_rawHighlighter, rendering.text, json);
    m_raw->setLineWrapMode(rendering.text.size() <= BodyRendering::HighlightLimit ? QPlainTextEdit::WidgetWidth
                                                                                  : QPlainTextEdit::NoWrap);
    m_hex->setPlainText(rendering.hex);
    if (json)
        m_tree->setJson(rendering.json);
    else
        m_tree->clearJson();

    QStringList notes;
    switch (rendering.kind) {
    case BodyRendering::Kind::Empty: notes.append(tr("No body")); break;
    case BodyRendering::Kind::Json: notes.append(tr("JSON, %1").arg(sizeText(rendering.size))); break;
    case BodyRendering::Kind::Text: notes.append(tr("Text, %1").arg(sizeText(rendering.size))); break;
    case BodyRendering::Kind::Binary: notes.append(tr("Binary, %1").arg(sizeText(rendering.size))); break;
    }
    if (!rendering.jsonError.isEmpty())
        notes.append(tr("not valid JSON: %1").arg(rendering.jsonError));
    if (rendering.textTruncated)
        notes.append(tr("text shows the first %1").arg(sizeText(BodyRendering::TextLimit)));
    if (rendering.hexTruncated)
        notes.append(tr("hex shows the first %1").arg(sizeText(BodyRendering::HexLimit)));
    m_note->setText(notes.join(QStringLiteral(" · ")));
    m_note->setToolTip(rendering.jsonError);
    m_save->setEnabled(!body.isEmpty());
    showMode();
}

void BodyView::showMode()
{
    // Enabling and disabling tabs moves the current one: none of that is the user's choice.
    const QScopedValueRollback<bool> switching(m_switching, true);
    const bool json = m_kind == BodyRendering::Kind::Json;
    const bool text = json || m_kind == BodyRendering::Kind::Text;
    m_tabs->setTabEnabled(int(Mode::Pretty), json || m_kind == BodyRendering::Kind::Empty);
    m_tabs->setTabEnabled(int(Mode::Tree), json);
    m_tabs->setTabEnabled(int(Mode::Raw), text || m_kind == BodyRendering::Kind::Empty);
    m_tabs->setTabEnabled(int(Mode::Hex), true);

    Mode mode = m_preferred;
    if (!m_tabs->isTabEnabled(int(mode)))
        mode = json ? Mode::Pretty : text ? Mode::Raw : m_kind == BodyRendering::Kind::Binary ? Mode::Hex : Mode::Pretty;
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
