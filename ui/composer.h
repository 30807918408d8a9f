#pragma once

#include "workspace/settings.h"
#include "workspace/workspace.h"

#include "capture/delivery.h"
#include "catalog/catalog.h"
#include "delivery/draft.h"

#include <QTimer>
#include <QUrl>
#include <QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTabWidget;

namespace ui {

using workspace::Settings;

class DeliveriesPane;
class HeadersTable;
class JsonHighlighter;

// Composes a request from the catalog (or takes one from a captured hook for
// Edit & Replay), checks it live against the action's schema, sends it and
// shows what came back, with the history of what was sent.
class Composer : public QWidget
{
    Q_OBJECT

public:
    Composer(workspace::Workspace *workspace, Settings &settings, QWidget *parent = nullptr);
    ~Composer() override;

    // hookscope's own listener: the target while the user has not chosen another.
    void setListenerUrl(const QUrl &url);
    // Deliveries sent before (oldest first), for the history.
    void setHistory(const QList<DeliveryRow> &deliveries);
    // A request to edit and send; hookId: the captured hook it replays (0: none).
    void loadDraft(const Draft &draft, qint64 hookId);

    void selectTemplate(const QString &provider, const QString &event, const QString &action);
    // A fresh body and headers from the chosen template (new ids, new numbers).
    void regenerate();
    // The request as the editors hold it, with the credential set when asked for.
    Draft draft() const;
    // Checks and sends; false (with the reason shown) when the request cannot go.
    bool send();
    // The catalog's verdict on the request as it stands (updated live).
    QStringList problems() const { return m_problems; }
    int pending() const;
    qint64 replayOf() const { return m_hookId; }

    QComboBox *providerBox() const { return m_provider; }
    QComboBox *eventBox() const { return m_event; }
    QComboBox *actionBox() const { return m_action; }
    QComboBox *methodBox() const { return m_method; }
    QLineEdit *urlEdit() const { return m_url; }
    QPlainTextEdit *bodyEdit() const { return m_body; }
    // Whether the body is kept out of the editor (too big to edit as text, or not
    // UTF-8 text) and sent as its bytes; Edit as Text puts it in the editor.
    bool keepsBody() const { return m_keepsBody; }
    QPushButton *editAsTextButton() const { return m_editAsText; }
    HeadersTable *headersTable() const { return m_headers; }
    QLineEdit *secretEdit() const { return m_secret; }
    QCheckBox *signBox() const { return m_sign; }
    QLabel *checkLabel() const { return m_check; }
    QListWidget *problemList() const { return m_problemList; }
    DeliveriesPane *history() const { return m_history; }
    QAction *sendAction() const { return m_sendAction; }

signals:
    // A request finished (answered or failed): to be stored and listed.
    void delivered(const Delivery &delivery);

protected:
    void changeEvent(QEvent *event) override;

private:
    QString secretProblem(const Draft &request) const;
    void fillProviders();
    void fillEvents();
    void fillActions();
    void validate();
    void showCheck(const Draft &request, const catalog::Inspection &inspection);
    void formatBody();
    void setBody(const QByteArray &body);
    void editKeptBody();
    void setTarget(const QUrl &url);
    void onFinished(const Delivery &delivery);

    catalog::Catalog m_catalog;
    Settings &m_settings;
    workspace::Workspace *m_workspace;
    int m_pending = 0;
    QComboBox *m_provider;
    QComboBox *m_event;
    QComboBox *m_action;
    QPushButton *m_regenerate;
    QComboBox *m_method;
    QLineEdit *m_url;
    QPushButton *m_send;
    QAction *m_sendAction;
    QLabel *m_origin;
    QTabWidget *m_requestTabs;
    QStackedWidget *m_bodyStack;
    QPlainTextEdit *m_body;
    JsonHighlighter *m_highlighter;
    QLabel *m_keptNote;
    QPushButton *m_editAsText;
    // The body as loaded: sent byte for byte while the editor shows it unchanged
    // (an editor turns CR LF into LF) or while it is kept out of the editor.
    QByteArray m_bodyBytes;
    QString m_bodyText;   // the editor's text when the bytes were put in it
    bool m_keepsBody = false;
    quint64 m_checks = 0;            // checks started: only the last one's result is shown
    bool m_pickersFromCheck = false; // a loaded request: the next check sets the pickers
    QPushButton *m_format;
    QLabel *m_check;
    QListWidget *m_problemList;
    HeadersTable *m_headers;
    QLineEdit *m_secret;
    QCheckBox *m_sign;
    QSplitter *m_splitter;
    DeliveriesPane *m_history;
    QTimer m_validateTimer;
    QStringList m_problems;
    QUrl m_listenerUrl;
    qint64 m_hookId = 0;
    bool m_filling = false;
};

} // namespace ui
