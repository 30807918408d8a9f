#include "composer.h"

#include "catalog/standardwebhooks.h"

#include "deliveriespane.h"
#include "workspace/plural.h"
#include "headerstable.h"
#include "icons.h"
#include "bodyrendering.h"
#include "jsonhighlighter.h"
#include "workspace/settings.h"
#include "theme.h"

#include "catalog/orderedjson.h"
#include "delivery/replay.h"
#include "delivery/sender.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QLocale>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QThreadPool>
#include <QToolButton>
#include <QVBoxLayout>

namespace ui {

using workspace::plural;

namespace {

// Bodies above this, or that are not UTF-8 text, stay out of the editor: a text
// editor takes minutes over 25 MB on one line, and would change bytes that are not text.
constexpr qsizetype EditableBodyBytes = 1024 * 1024;
// Bodies above this are checked on a worker thread: a schema over 25 MB takes seconds.
constexpr qsizetype CheckedHereBytes = 256 * 1024;

void setCurrentData(QComboBox *box, const QString &data)
{
    const int index = box->findData(data);
    if (index >= 0)
        box->setCurrentIndex(index);
}

} // namespace

Composer::Composer(workspace::Workspace *workspace, Settings &settings, QWidget *parent)
    : QWidget(parent)
    , m_catalog(workspace->catalog())
    , m_settings(settings)
    , m_workspace(workspace)
    , m_provider(new QComboBox(this))
    , m_event(new QComboBox(this))
    , m_action(new QComboBox(this))
    , m_regenerate(new QPushButton(tr("New Payload"), this))
    , m_method(new QComboBox(this))
    , m_url(new QLineEdit(this))
    , m_send(new QPushButton(tr("Send"), this))
    , m_sendAction(new QAction(tr("Send"), this))
    , m_origin(new QLabel(this))
    , m_requestTabs(new QTabWidget(this))
    , m_bodyStack(new QStackedWidget(this))
    , m_body(new QPlainTextEdit(this))
    , m_highlighter(new JsonHighlighter(m_body->document()))
    , m_keptNote(new QLabel(this))
    , m_editAsText(new QPushButton(tr("Edit as Text"), this))
    , m_format(new QPushButton(tr("Format JSON"), this))
    , m_check(new QLabel(this))
    , m_problemList(new QListWidget(this))
    , m_headers(new HeadersTable(this))
    , m_secret(new QLineEdit(this))
    , m_sign(new QCheckBox(tr("Set the credential on send"), this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_history(new DeliveriesPane(workspace, this))
{
    m_provider->setToolTip(tr("Whose webhooks to imitate"));
    m_event->setToolTip(tr("The event to send"));
    m_action->setToolTip(tr("The action of the event"));
    // Each picker is as wide as its longest entry (the row has room to spare); the
    // chosen entry's description is its tooltip.
    for (QComboBox *box : {m_provider, m_event, m_action}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        connect(box, &QComboBox::currentIndexChanged, box, [box] {
            const QString description = box->currentData(Qt::ToolTipRole).toString();
            box->setToolTip(description.isEmpty() ? box->currentText() : box->currentText() + u'\n' + description);
        });
    }
    m_provider->setMinimumContentsLength(10);
    m_event->setMinimumContentsLength(16);
    m_action->setMinimumContentsLength(22);
    m_regenerate->setToolTip(tr("A fresh payload from the template: new ids and values"));
    m_method->setEditable(true);
    m_method->addItems({QStringLiteral("POST"), QStringLiteral("PUT"), QStringLiteral("PATCH"), QStringLiteral("GET"),
                        QStringLiteral("DELETE")});
    m_method->setMinimumContentsLength(7);
    m_method->setToolTip(tr("The request method; type another one if it is not listed"));
    m_url->setPlaceholderText(tr("Target URL (default: hookscope's own listener)"));
    m_url->setClearButtonEnabled(true);
    m_url->setToolTip(tr("Where to send the request. Cleared, it goes to hookscope's own listener."));
    m_send->setDefault(true);
    m_send->setIcon(themedIcon(QStringLiteral("compose"), palette()));
    m_regenerate->setIcon(themedIcon(QStringLiteral("regenerate"), palette()));
    m_sendAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_sendAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_sendAction->setToolTip(tr("Send the request (Ctrl+Return)"));
    m_send->setToolTip(m_sendAction->toolTip());
    addAction(m_sendAction);
    connect(m_sendAction, &QAction::triggered, this, &Composer::send);
    connect(m_send, &QPushButton::clicked, m_sendAction, &QAction::trigger);
    m_origin->setForegroundRole(QPalette::PlaceholderText);
    m_origin->setWordWrap(true);

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_body->setFont(mono);
    m_body->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_body->setTabStopDistance(QFontMetricsF(mono).horizontalAdvance(QLatin1Char(' ')) * 2);
    // Tab moves on to the next field, as everywhere else in the window; the template indents with spaces.
    m_body->setTabChangesFocus(true);
    m_body->setPlaceholderText(tr("Request body"));
    m_format->setToolTip(tr("Indent the JSON body, keeping member order"));
    m_check->setWordWrap(true);
    m_problemList->setFont(mono);
    m_problemList->setMaximumHeight(fontMetrics().height() * 6);
    m_problemList->setAlternatingRowColors(true);
    m_headers->setEditable(true);
    m_secret->setPlaceholderText(tr("Shared secret (optional)"));
    m_secret->setToolTip(tr("Codewars sends it in X-Webhook-Secret; GitHub signs the body with it (X-Hub-Signature-256);"
                            " Standard Webhooks signs id, time and body with it (whsec_…, webhook-signature)"));
    m_sign->setChecked(true);
    m_sign->setToolTip(tr("Before sending, set X-Webhook-Secret or recompute X-Hub-Signature-256 or webhook-signature for the body as it is"));

    // Pickers and the request line.
    auto *pickers = new QHBoxLayout;
    pickers->addWidget(new QLabel(tr("Provider:"), this));
    pickers->addWidget(m_provider);
    pickers->addSpacing(8);
    pickers->addWidget(new QLabel(tr("Event:"), this));
    pickers->addWidget(m_event);
    pickers->addSpacing(8);
    pickers->addWidget(new QLabel(tr("Action:"), this));
    pickers->addWidget(m_action);
    pickers->addWidget(m_regenerate);
    pickers->addStretch(1);
    auto *requestLine = new QHBoxLayout;
    requestLine->addWidget(m_method);
    requestLine->addWidget(m_url, 1);
    requestLine->addWidget(m_send);

    // Body tab: editor, then the live check.
    auto *bodyPage = new QWidget(this);
    auto *bodyLayout = new QVBoxLayout(bodyPage);
    bodyLayout->setContentsMargins(0, 4, 0, 0);
    auto *keptPage = new QWidget(this);
    auto *keptLayout = new QVBoxLayout(keptPage);
    m_keptNote->setWordWrap(true);
    m_keptNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    keptLayout->addWidget(m_keptNote);
    auto *keptButtons = new QHBoxLayout;
    keptButtons->addWidget(m_editAsText);
    keptButtons->addStretch(1);
    keptLayout->addLayout(keptButtons);
    keptLayout->addStretch(1);
    connect(m_editAsText, &QPushButton::clicked, this, &Composer::editKeptBody);
    m_bodyStack->addWidget(m_body);
    m_bodyStack->addWidget(keptPage);
    bodyLayout->addWidget(m_bodyStack, 1);
    auto *checkRow = new QHBoxLayout;
    checkRow->addWidget(m_check, 1);
    checkRow->addWidget(m_format);
    bodyLayout->addLayout(checkRow);
    bodyLayout->addWidget(m_problemList);

    // Headers tab: table with add and remove.
    auto *headersPage = new QWidget(this);
    auto *headersLayout = new QVBoxLayout(headersPage);
    headersLayout->setContentsMargins(0, 4, 0, 0);
    headersLayout->addWidget(m_headers, 1);
    auto *headerButtons = new QHBoxLayout;
    auto *addHeader = new QToolButton(this);
    addHeader->setText(tr("Add Header"));
    addHeader->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    addHeader->setIcon(themedIcon(QStringLiteral("add"), palette()));
    auto *removeHeader = new QToolButton(this);
    removeHeader->setText(tr("Remove"));
    removeHeader->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    removeHeader->setIcon(themedIcon(QStringLiteral("remove"), palette()));
    headerButtons->addWidget(addHeader);
    headerButtons->addWidget(removeHeader);
    headerButtons->addStretch(1);
    auto *hostNote = new QLabel(tr("Host and Content-Length are set when sending."), this);
    hostNote->setForegroundRole(QPalette::PlaceholderText);
    headerButtons->addWidget(hostNote);
    headersLayout->addLayout(headerButtons);
    connect(addHeader, &QToolButton::clicked, this, [this] { m_headers->addHeader(); });
    connect(removeHeader, &QToolButton::clicked, m_headers, &HeadersTable::removeSelectedHeaders);

    m_requestTabs->setDocumentMode(true);
    m_requestTabs->addTab(bodyPage, tr("Body"));
    m_requestTabs->addTab(headersPage, tr("Headers"));

    auto *requestPane = new QWidget(this);
    auto *requestLayout = new QVBoxLayout(requestPane);
    requestLayout->setContentsMargins(0, 0, 4, 0);
    requestLayout->addWidget(m_requestTabs, 1);
    auto *secretRow = new QHBoxLayout;
    secretRow->addWidget(new QLabel(tr("Secret:"), this));
    secretRow->addWidget(m_secret, 1);
    secretRow->addWidget(m_sign);
    requestLayout->addLayout(secretRow);

    auto *responseTitle = new QLabel(tr("Sent requests and their responses"), this);
    responseTitle->setForegroundRole(QPalette::PlaceholderText);
    auto *responsePane = new QWidget(this);
    auto *responseLayout = new QVBoxLayout(responsePane);
    responseLayout->setContentsMargins(4, 0, 0, 0);
    responseLayout->addWidget(responseTitle);
    m_history->setEmptyText(tr("Nothing sent yet. Send (Ctrl+Return) sends the request."));
    responseLayout->addWidget(m_history, 1);

    m_splitter->addWidget(requestPane);
    m_splitter->addWidget(responsePane);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->restoreState(m_settings.composerSplitterState());

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(pickers);
    layout->addWidget(m_origin);
    layout->addLayout(requestLine);
    layout->addWidget(m_splitter, 1);

    m_validateTimer.setSingleShot(true);
    m_validateTimer.setInterval(150);
    connect(&m_validateTimer, &QTimer::timeout, this, &Composer::validate);
    connect(m_body, &QPlainTextEdit::textChanged, this, [this] { m_validateTimer.start(); });
    connect(m_headers, &HeadersTable::headersEdited, this, [this] { m_validateTimer.start(); });
    connect(m_secret, &QLineEdit::textChanged, this, [this] { m_validateTimer.start(); });
    connect(m_sign, &QCheckBox::toggled, this, [this] { m_validateTimer.start(); });
    connect(m_method, &QComboBox::currentTextChanged, this, [this] { m_validateTimer.start(); });
    connect(m_url, &QLineEdit::textChanged, this, [this] { m_validateTimer.start(); });
    connect(m_url, &QLineEdit::textEdited, this, [this](const QString &text) {
        // Only what the user typed becomes the remembered target.
        m_settings.setComposerTarget(text.trimmed() == m_listenerUrl.toString() ? QString() : text.trimmed());
    });
    connect(m_format, &QPushButton::clicked, this, &Composer::formatBody);
    connect(m_regenerate, &QPushButton::clicked, this, &Composer::regenerate);
    connect(m_provider, &QComboBox::currentIndexChanged, this, [this] {
        if (m_filling)
            return;
        fillEvents();
        regenerate();
    });
    connect(m_event, &QComboBox::currentIndexChanged, this, [this] {
        if (m_filling)
            return;
        fillActions();
        regenerate();
    });
    connect(m_action, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_filling)
            regenerate();
    });
    connect(m_history, &DeliveriesPane::activated, this, [this](const Delivery &delivery) {
        Draft draft;
        draft.method = delivery.method;
        draft.url = QUrl(delivery.url);
        draft.headers = delivery.requestHeaders;
        draft.body = delivery.requestBody;
        loadDraft(draft, delivery.hookId);
    });

    m_secret->setText(QString::fromUtf8(m_settings.composerSecret()));
    fillProviders();
    selectTemplate(m_settings.composerProvider(), m_settings.composerEvent(), m_settings.composerAction());
}

Composer::~Composer()
{
    m_settings.setComposerSplitterState(m_splitter->saveState());
    m_settings.setComposerSecret(m_secret->text().toUtf8());
}

void Composer::fillProviders()
{
    const bool filling = std::exchange(m_filling, true);
    m_provider->clear();
    for (const QString &id : m_catalog.providers()) {
        const auto provider = m_catalog.provider(id);
        m_provider->addItem(provider ? provider->name : id, id);
        if (provider)
            m_provider->setItemData(m_provider->count() - 1, provider->description, Qt::ToolTipRole);
    }
    m_filling = filling;
    fillEvents();
}

void Composer::fillEvents()
{
    const bool filling = std::exchange(m_filling, true);
    const QString previous = m_event->currentData().toString();
    m_event->clear();
    if (const auto provider = m_catalog.provider(m_provider->currentData().toString())) {
        for (const catalog::Event &event : provider->events) {
            // "*" stands for events the catalog does not list: there is nothing to name it by here.
            if (event.name == u"*")
                continue;
            m_event->addItem(event.name, event.name);
            m_event->setItemData(m_event->count() - 1, event.description, Qt::ToolTipRole);
        }
    }
    setCurrentData(m_event, previous);
    m_filling = filling;
    fillActions();
}

void Composer::fillActions()
{
    const bool filling = std::exchange(m_filling, true);
    const QString previous = m_action->currentData().toString();
    m_action->clear();
    const auto event = m_catalog.event(m_provider->currentData().toString(), m_event->currentData().toString());
    if (event && event->hasActions()) {
        for (const catalog::Action &action : event->actions) {
            m_action->addItem(action.name, action.name);
            m_action->setItemData(m_action->count() - 1, action.description, Qt::ToolTipRole);
            for (const catalog::Alias &alias : action.aliases) {
                m_action->addItem(tr("%1 (as the %2 revision names %3)").arg(alias.name, alias.revision, action.name), alias.name);
                m_action->setItemData(m_action->count() - 1, action.description, Qt::ToolTipRole);
            }
        }
        m_action->setEnabled(true);
    } else {
        m_action->addItem(tr("(no action)"), QString());
        m_action->setEnabled(false);
    }
    setCurrentData(m_action, previous);
    m_filling = filling;
}

void Composer::selectTemplate(const QString &provider, const QString &event, const QString &action)
{
    m_filling = true;
    setCurrentData(m_provider, provider);
    fillEvents();
    setCurrentData(m_event, event);
    fillActions();
    setCurrentData(m_action, action);
    m_filling = false;
    regenerate();
}

void Composer::regenerate()
{
    const QString provider = m_provider->currentData().toString();
    const QString event = m_event->currentData().toString();
    const QString action = m_action->currentData().toString();
    m_settings.setComposerSelection(provider, event, action);
    QString error;
    const auto composed = m_catalog.compose(provider, event, action, m_secret->text().toUtf8(), &error);
    m_hookId = 0;
    m_pickersFromCheck = false;   // chosen here, not read from a loaded request
    if (!composed) {
        m_check->setText(tr("Cannot compose %1/%2: %3").arg(event, action, error));
        return;
    }
    m_method->setCurrentText(QStringLiteral("POST"));
    m_headers->setHeaders(composed->headers);
    setBody(composed->body);

    QString description;
    if (const auto e = m_catalog.event(provider, event)) {
        description = e->description;
        for (const catalog::Action &a : e->actions) {
            if (a.name == action || std::any_of(a.aliases.cbegin(), a.aliases.cend(), [&](const catalog::Alias &alias) { return alias.name == action; }))
                description = a.description + u" — " + e->description;
        }
    }
    m_origin->setText(description);
    if (m_url->text().isEmpty() || m_settings.composerTarget().isEmpty())
        setTarget(m_settings.composerTarget().isEmpty() ? m_listenerUrl : QUrl(m_settings.composerTarget()));
    validate();
}

void Composer::setListenerUrl(const QUrl &url)
{
    const bool following = m_url->text().isEmpty() || m_url->text() == m_listenerUrl.toString();
    m_listenerUrl = url;
    if (following && m_settings.composerTarget().isEmpty() && m_hookId == 0)
        setTarget(url);
}

void Composer::setTarget(const QUrl &url)
{
    m_url->setText(url.toString());
}

void Composer::loadDraft(const Draft &draft, qint64 hookId)
{
    // The pickers say what the request is, not what was composed last: the check
    // of it sets them.
    m_pickersFromCheck = true;
    m_method->setCurrentText(QString::fromLatin1(draft.method));
    setTarget(draft.url);
    m_headers->setHeaders(draft.headers);
    setBody(draft.body);
    m_hookId = hookId;
    m_origin->setText(hookId > 0 ? tr("Edit & Replay of hook #%1: change anything, then Send (Ctrl+Return).").arg(hookId)
                                 : tr("A request sent before: change anything, then Send (Ctrl+Return)."));
    validate();
    if (m_keepsBody)
        m_editAsText->setFocus();
    else
        m_body->setFocus();
}

void Composer::setBody(const QByteArray &body)
{
    m_bodyBytes = body;
    m_keepsBody = body.size() > EditableBodyBytes || !QByteArrayView(body).isValidUtf8() || body.contains('\0');
    m_format->setEnabled(!m_keepsBody);
    if (!m_keepsBody) {
        m_highlighter->setDocument(m_body->document());
        m_body->setPlainText(QString::fromUtf8(body));
        m_bodyText = m_body->toPlainText();
        m_bodyStack->setCurrentWidget(m_body);
        return;
    }
    m_body->clear();
    m_bodyText.clear();
    const QString size = QLocale().formattedDataSize(body.size(), 1, QLocale::DataSizeTraditionalFormat);
    m_keptNote->setText(body.size() > EditableBodyBytes
                            ? tr("The body is %1: it is sent as it is, byte for byte, and checked against the catalog as you"
                                 " change the rest. Editing it as text is slow at this size, and JSON opens indented.").arg(size)
                            : tr("The body is %1 that is not plain text (not UTF-8, or with NUL bytes): it is sent as it is,"
                                 " byte for byte. Editing it as text replaces the bytes that are not text.").arg(size));
    m_bodyStack->setCurrentIndex(1);
}

// The kept body in the editor all the same: JSON indented (an editor copes with many
// short lines, not with one long one), anything else as UTF-8.
void Composer::editKeptBody()
{
    if (!m_keepsBody)
        return;
    QString text;
    if (m_bodyBytes.size() > EditableBodyBytes) {
        if (const auto json = catalog::OrderedJson::parse(m_bodyBytes, nullptr))
            text = QString::fromUtf8(json->toJson(2));
    }
    if (text.isEmpty())
        text = QString::fromUtf8(m_bodyBytes);
    m_keepsBody = false;
    m_format->setEnabled(true);
    m_highlighter->setDocument(nullptr);
    m_body->setPlainText(text);
    if (text.size() <= BodyRendering::HighlightLimit)
        m_highlighter->setDocument(m_body->document());
    // Shown as text now: what the editor holds is the body, changed or not.
    m_bodyText.clear();
    m_bodyStack->setCurrentWidget(m_body);
    m_body->setFocus();
    m_validateTimer.start();
}

void Composer::setHistory(const QList<DeliveryRow> &deliveries)
{
    m_history->setDeliveries(deliveries);
}

Draft Composer::draft() const
{
    Draft draft;
    draft.method = m_method->currentText().trimmed().toLatin1();
    const QString url = m_url->text().trimmed();
    draft.url = url.isEmpty() ? m_listenerUrl : QUrl::fromUserInput(url);
    if (!url.isEmpty() && draft.url.isEmpty())
        draft.url = QUrl(url);   // not a URL at all: the check then says what is wrong with it
    draft.headers = m_headers->headers();
    if (m_keepsBody) {
        draft.body = m_bodyBytes;
    } else {
        const QString text = m_body->toPlainText();
        draft.body = !m_bodyText.isNull() && text == m_bodyText ? m_bodyBytes : text.toUtf8();
    }
    const QByteArray secret = m_secret->text().toUtf8();
    if (m_sign->isChecked() && !secret.isEmpty())
        resignDraft(&draft, secret);
    return draft;
}

void Composer::validate()
{
    m_validateTimer.stop();
    const Draft request = draft();
    const QByteArray secret = m_secret->text().toUtf8();
    const quint64 check = ++m_checks;
    if (request.body.size() <= CheckedHereBytes) {
        showCheck(request, m_catalog.inspect(request.headers, request.body, secret));
        return;
    }
    m_check->setText(tr("Checking the body against the catalog…"));
    m_check->setPalette(palette());
    QPointer<Composer> self(this);
    QThreadPool::globalInstance()->start([self, catalog = m_catalog, request, secret, check] {
        const catalog::Inspection inspection = catalog.inspect(request.headers, request.body, secret);
        // Back on the window's thread, for the request still being edited only.
        QCoreApplication *app = QCoreApplication::instance();
        if (!app)
            return;   // the application is ending
        QMetaObject::invokeMethod(app, [self, request, inspection, check] {
            if (self && self->m_checks == check)
                self->showCheck(request, inspection);
        }, Qt::QueuedConnection);
    });
}

void Composer::showCheck(const Draft &request, const catalog::Inspection &inspection)
{
    if (std::exchange(m_pickersFromCheck, false) && !inspection.provider.isEmpty()) {
        const bool filling = std::exchange(m_filling, true);
        setCurrentData(m_provider, inspection.provider);
        fillEvents();
        setCurrentData(m_event, inspection.event);
        fillActions();
        setCurrentData(m_action, inspection.sentAction.isEmpty() ? inspection.action : inspection.sentAction);
        m_filling = filling;
    }
    m_problems = inspection.problems;
    QString error;
    if (!request.validate(&error))
        m_problems.prepend(error);
    if (const QString secretError = secretProblem(request); !secretError.isEmpty())
        m_problems.prepend(secretError);

    m_problemList->clear();
    m_problemList->addItems(m_problems);
    m_problemList->setVisible(!m_problems.isEmpty());
    QString recognised = inspection.event.isEmpty() ? tr("no event recognised")
                                                    : inspection.action.isEmpty() ? inspection.event
                                                                                  : inspection.event + u" / " + inspection.action;
    if (inspection.authenticity() != catalog::Verdict::NotConfigured)
        recognised += tr(", secret %1").arg(catalog::verdictText(inspection.authenticity()));
    QPalette p = palette();
    if (m_problems.isEmpty()) {
        m_check->setText(tr("✓ Matches the catalog (%1)").arg(recognised));
        p.setColor(QPalette::WindowText, toneColor(palette(), Tone::Good));
    } else {
        m_check->setText(plural(tr("%n problem(s) (%1):", nullptr, int(m_problems.size())), int(m_problems.size())).arg(recognised));
        p.setColor(QPalette::WindowText, toneColor(palette(), Tone::Warning));
    }
    m_check->setPalette(p);
}

void Composer::formatBody()
{
    QString error;
    const QByteArray body = m_body->toPlainText().toUtf8();
    if (const auto json = catalog::OrderedJson::parse(body, &error))
        m_body->setPlainText(QString::fromUtf8(json->toJson(2)));
    else
        m_check->setText(tr("Not JSON: %1").arg(error));
}

// What is wrong with the secret for this request: a Standard Webhooks draft is signed
// with a whsec_ key and cannot be with anything else.
QString Composer::secretProblem(const Draft &request) const
{
    const QByteArray secret = m_secret->text().toUtf8();
    if (secret.isEmpty() || !catalog::standardwebhooks::isUsedBy(request.headers) || catalog::standardwebhooks::keyOf(secret))
        return QString();
    return tr("Secret: %1").arg(catalog::standardwebhooks::secretProblem(secret));
}

bool Composer::send()
{
    if (m_validateTimer.isActive())
        validate();   // what changed since the last check
    const Draft request = draft();
    QString error;
    if (m_sign->isChecked())
        error = secretProblem(request);
    if (!error.isEmpty() || !request.validate(&error)) {
        ++m_checks;   // a check still running does not write over the reason
        m_check->setText(tr("Not sent: %1").arg(error));
        QPalette p = palette();
        p.setColor(QPalette::WindowText, toneColor(palette(), Tone::Bad));
        m_check->setPalette(p);
        return false;
    }
    ++m_pending;
    workspace::whenReady(m_workspace->send(request, Delivery::Kind::Compose, m_hookId), this,
                         [this](const Delivery &delivery) { onFinished(delivery); });
    m_send->setText(tr("Sending…"));
    return true;
}

int Composer::pending() const
{
    return m_pending;
}

void Composer::onFinished(const Delivery &delivery)
{
    if (--m_pending == 0)
        m_send->setText(tr("Send"));
    m_history->addDelivery(delivery);
    emit delivered(delivery);
}

void Composer::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        m_highlighter->setPalette(palette());
        validate();
    }
}

} // namespace ui
