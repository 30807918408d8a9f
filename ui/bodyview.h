#pragma once

#include "bodyrendering.h"

#include <QWidget>

#include <memory>

class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QTabWidget;
class QTimer;
class QToolButton;
class QTreeWidget;

namespace ui {

class FormTable;
class JsonHighlighter;
class JsonTree;
class LineView;
class PrettyJson;

// Shows one body four ways: pretty (indented JSON or XML with colours, or a table
// of form fields), a tree (JSON or XML), the text and a hex dump. A body with a
// content coding is shown decoded; the hex dump and Save keep the bytes as received.
// A big body is shown by paged views that make only the lines in sight, and a big
// JSON body is read on by slices between events, so its first screen comes at once.
class BodyView : public QWidget
{
    Q_OBJECT

public:
    enum class Mode { Pretty, Tree, Raw, Hex };
    static constexpr qsizetype SliceBytes = 512 * 1024;   // JSON read on per event-loop turn

    explicit BodyView(QWidget *parent = nullptr);
    ~BodyView() override;

    void setBody(const QByteArray &body, const BodyRendering &rendering);
    // These look at the body on the calling thread; for small bodies.
    void setBody(const QByteArray &body, const http::HeaderList &headers);
    void setBody(const QByteArray &body, QByteArrayView contentType = {});
    void setLoading(qint64 size);
    void clear();

    Mode mode() const;
    // The mode to show when the body allows it (the user's last choice).
    void setPreferredMode(Mode mode);
    BodyRendering::Kind kind() const { return m_kind; }
    QByteArray body() const { return m_body; }
    // A big JSON body still being read on (its pretty lines and its check are not complete).
    bool isReading() const;

    // Small bodies are in editors, big ones in paged views; the hex dump is always paged.
    QPlainTextEdit *prettyEdit() const { return m_pretty; }
    LineView *prettyView() const { return m_prettyPaged; }
    QPlainTextEdit *rawEdit() const { return m_raw; }
    LineView *rawView() const { return m_rawPaged; }
    LineView *hexView() const { return m_hex; }
    JsonTree *tree() const { return m_tree; }
    QTreeWidget *xmlTree() const { return m_xmlTree; }
    FormTable *formTable() const { return m_form; }
    QString note() const;
    // Adds a remark to the note of the body on display (how it is shown).
    void addNote(const QString &text);
    // The pretty text or the text as shown, whichever view holds it (for tests and copying).
    QString prettyText() const;
    QString rawText() const;

signals:
    // The user picked a mode (not when a body chose one by itself).
    void modeChosen(ui::BodyView::Mode mode);
    // A big JSON body has been read to its end (or to where it stops being JSON).
    void readingFinished();

protected:
    void changeEvent(QEvent *event) override;

private:
    void showMode();
    void saveBody();
    void readOn();
    void updateNote();
    void showRawPaged(const BodyRendering &rendering);

    QTabWidget *m_tabs;
    QStackedWidget *m_prettyStack;
    QStackedWidget *m_treeStack;
    QStackedWidget *m_rawStack;
    QPlainTextEdit *m_pretty;
    LineView *m_prettyPaged;
    FormTable *m_form;
    QPlainTextEdit *m_raw;
    LineView *m_rawPaged;
    LineView *m_hex;
    JsonTree *m_tree;
    QTreeWidget *m_xmlTree;
    QLabel *m_note;
    QToolButton *m_save;
    JsonHighlighter *m_prettyHighlighter;
    JsonHighlighter *m_rawHighlighter;
    QTimer *m_reader;
    QByteArray m_body;
    BodyRendering::Kind m_kind = BodyRendering::Kind::Empty;
    bool m_hasText = false;
    QStringList m_notes;   // what the note says besides reading progress
    QString m_noteTip;
    std::shared_ptr<PrettyJson> m_json;   // a big JSON body being read on
    Mode m_preferred = Mode::Pretty;
    bool m_switching = false;
};

} // namespace ui
