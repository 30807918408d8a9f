#pragma once

#include <QUrl>
#include <QWidget>

class QAbstractItemView;
class QAction;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace ui {

// What the capture list shows while it has no row to show: before the first
// hook, where to send one (the URL, a ready curl command, the Composer, a
// public URL); when the filter hides every hook, that it does, and a way out.
// It lies over the list's viewport and follows its size.
class EmptyState : public QWidget
{
    Q_OBJECT

public:
    enum class Mode { Hidden, Waiting, NoMatch };

    EmptyState(QAbstractItemView *view, QAction *compose, QAction *getPublicUrl);

    // The listener's URL and a command that sends a test hook to it (empty: not listening).
    void setTarget(const QUrl &url, const QString &curlCommand);
    void setMode(Mode mode);
    Mode mode() const { return m_mode; }

    QLabel *titleLabel() const { return m_title; }
    QLabel *urlLabel() const { return m_url; }
    QPlainTextEdit *curlEdit() const { return m_curl; }
    QPushButton *copyButton() const { return m_copy; }
    QPushButton *composeButton() const { return m_compose; }
    QPushButton *publicButton() const { return m_public; }
    QPushButton *clearFilterButton() const { return m_clearFilter; }

signals:
    void clearFilterRequested();
    // The curl command was put on the clipboard.
    void copied();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refresh();

    QWidget *m_viewport;
    Mode m_mode = Mode::Hidden;
    QLabel *m_title;
    QLabel *m_text;
    QLabel *m_url;
    QLabel *m_curlLabel;
    QPlainTextEdit *m_curl;
    QPushButton *m_copy;
    QPushButton *m_compose;
    QPushButton *m_public;
    QPushButton *m_clearFilter;
    QUrl m_target;
};

} // namespace ui
