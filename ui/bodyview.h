#pragma once

#include "bodyrendering.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QToolButton;

namespace ui {

class JsonHighlighter;
class JsonTree;

// Shows one body four ways: pretty JSON with colours, a collapsible JSON tree,
// the raw text and a hex dump. It takes a finished rendering, so the work for a
// large body can happen elsewhere (see StoreReader).
class BodyView : public QWidget
{
    Q_OBJECT

public:
    enum class Mode { Pretty, Tree, Raw, Hex };

    explicit BodyView(QWidget *parent = nullptr);

    void setBody(const QByteArray &body, const BodyRendering &rendering);
    // Renders on the calling thread; for small bodies.
    void setBody(const QByteArray &body, QByteArrayView contentType = {});
    void setLoading(qint64 size);
    void clear();

    Mode mode() const;
    // The mode to show when the body allows it (the user's last choice).
    void setPreferredMode(Mode mode);
    BodyRendering::Kind kind() const { return m_kind; }
    QByteArray body() const { return m_body; }

    QPlainTextEdit *prettyEdit() const { return m_pretty; }
    QPlainTextEdit *rawEdit() const { return m_raw; }
    QPlainTextEdit *hexEdit() const { return m_hex; }
    JsonTree *tree() const { return m_tree; }
    QString note() const;
    // Adds a remark to the note of the body on display (how it is shown).
    void addNote(const QString &text);

signals:
    // The user picked a mode (not when a body chose one by itself).
    void modeChosen(ui::BodyView::Mode mode);

protected:
    void changeEvent(QEvent *event) override;

private:
    void showMode();
    void saveBody();

    QTabWidget *m_tabs;
    QPlainTextEdit *m_pretty;
    QPlainTextEdit *m_raw;
    QPlainTextEdit *m_hex;
    JsonTree *m_tree;
    QLabel *m_note;
    QToolButton *m_save;
    JsonHighlighter *m_prettyHighlighter;
    JsonHighlighter *m_rawHighlighter;
    QByteArray m_body;
    BodyRendering::Kind m_kind = BodyRendering::Kind::Empty;
    Mode m_preferred = Mode::Pretty;
    bool m_switching = false;
};

} // namespace ui
