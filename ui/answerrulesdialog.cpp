#include "answerrulesdialog.h"

#include "theme.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QKeyEvent>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ui {

namespace {

constexpr int RuleRole = Qt::UserRole + 1;   // the rule's JSON object

QComboBox *anyCombo(QWidget *parent, const QString &tip)
{
    auto *combo = new QComboBox(parent);
    combo->setEditable(true);
    combo->setInsertPolicy(QComboBox::NoInsert);
    combo->lineEdit()->setPlaceholderText(QObject::tr("any"));
    combo->lineEdit()->setClearButtonEnabled(true);
    combo->setToolTip(tip);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setMinimumContentsLength(16);
    return combo;
}

void setComboText(QComboBox *combo, const QString &text)
{
    combo->setCurrentIndex(combo->findText(text));
    combo->setEditText(text);
}

} // namespace

AnswerRulesDialog::AnswerRulesDialog(const AnswerRules &rules, const catalog::Catalog &catalog, QWidget *parent)
    : QDialog(parent)
    , m_catalog(catalog)
    , m_list(new QListWidget(this))
    , m_form(new QWidget(this))
    , m_name(new QLineEdit(this))
    , m_provider(anyCombo(this, tr("The provider the catalog recognises the hook as")))
    , m_event(anyCombo(this, tr("The event the hook carries")))
    , m_action(anyCombo(this, tr("The action the hook carries; either spelling of a renamed action")))
    , m_method(anyCombo(this, tr("The request method")))
    , m_path(new QLineEdit(this))
    , m_header(new QLineEdit(this))
    , m_status(new QSpinBox(this))
    , m_body(new QPlainTextEdit(this))
    , m_headers(new QPlainTextEdit(this))
    , m_delay(new QSpinBox(this))
    , m_times(new QSpinBox(this))
    , m_test(new QPushButton(tr("&Test Against Selected Hook"), this))
    , m_testResult(new QLabel(this))
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::Apply, this))
{
    setWindowTitle(tr("Answer Rules"));

    m_list->setDragDropMode(QAbstractItemView::InternalMove);
    m_list->setDefaultDropAction(Qt::MoveAction);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setWordWrap(true);
    m_list->setSpacing(3);
    m_list->setAccessibleName(tr("Rules, first applies first"));
    m_list->setToolTip(tr("The first rule that applies to a hook answers it; drag rules (or Alt+Up/Down) to reorder"));

    auto *add = new QPushButton(tr("&Add"), this);
    auto *duplicate = new QPushButton(tr("D&uplicate"), this);
    auto *remove = new QPushButton(tr("&Remove"), this);
    auto *up = new QPushButton(tr("Move &Up"), this);
    auto *down = new QPushButton(tr("Move Do&wn"), this);
    auto *importButton = new QPushButton(tr("&Import…"), this);
    auto *exportButton = new QPushButton(tr("E&xport…"), this);
    add->setToolTip(tr("A new rule at the end: every hook, answered 503"));
    importButton->setToolTip(tr("Replace these rules with a rules file (the format of hookscope listen --rules)"));
    exportButton->setToolTip(tr("Save these rules as a file for hookscope listen --rules"));
    auto *listButtons = new QHBoxLayout;
    for (QPushButton *button : {add, duplicate, remove, up, down})
        listButtons->addWidget(button);
    listButtons->addStretch();
    listButtons->addWidget(importButton);
    listButtons->addWidget(exportButton);

    for (const QString &provider : m_catalog.providers())
        m_provider->addItem(provider);
    for (const char *method : {"POST", "PUT", "PATCH", "GET", "DELETE"})
        m_method->addItem(QLatin1String(method));
    m_name->setPlaceholderText(tr("rule N"));
    m_name->setToolTip(tr("What the table, the Overview and exports call the rule"));
    m_path->setPlaceholderText(tr("any — e.g. /hooks/*, where * stands for anything"));
    m_path->setClearButtonEnabled(true);
    m_header->setPlaceholderText(tr("any — e.g. X-Webhook-Secret: wrong, or a name alone"));
    m_header->setClearButtonEnabled(true);
    m_status->setRange(200, 599);
    m_body->setPlaceholderText(tr("empty: the listener's own body"));
    m_body->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_body->setTabChangesFocus(true);
    m_body->setMaximumHeight(fontMetrics().height() * 5);
    m_headers->setPlaceholderText(tr("one Name: value a line, e.g. Retry-After: 5"));
    m_headers->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_headers->setTabChangesFocus(true);
    m_headers->setMaximumHeight(fontMetrics().height() * 4);
    m_delay->setRange(-1, 600'000);
    m_delay->setSpecialValueText(tr("the listener's"));
    m_delay->setSuffix(tr(" ms"));
    m_delay->setSingleStep(100);
    m_times->setRange(0, 1'000'000);
    m_times->setSpecialValueText(tr("every matching hook"));
    m_times->setToolTip(tr("Answer the first N matching hooks this way, then pass the rule over"));

    auto *match = new QGroupBox(tr("Hooks it answers (every part given must hold)"), m_form);
    auto *matchForm = new QFormLayout(match);
    matchForm->addRow(tr("Provider:"), m_provider);
    matchForm->addRow(tr("&Event:"), m_event);
    matchForm->addRow(tr("A&ction:"), m_action);
    matchForm->addRow(tr("Method:"), m_method);
    matchForm->addRow(tr("&Path:"), m_path);
    matchForm->addRow(tr("Hea&der:"), m_header);
    auto *answer = new QGroupBox(tr("How"), m_form);
    auto *answerForm = new QFormLayout(answer);
    answerForm->addRow(tr("&Status:"), m_status);
    answerForm->addRow(tr("&Body:"), m_body);
    answerForm->addRow(tr("Headers:"), m_headers);
    answerForm->addRow(tr("Dela&y:"), m_delay);
    answerForm->addRow(tr("&Times:"), m_times);
    auto *formLayout = new QVBoxLayout(m_form);
    formLayout->setContentsMargins(0, 0, 0, 0);
    auto *nameRow = new QFormLayout;
    nameRow->addRow(tr("&Name:"), m_name);
    formLayout->addLayout(nameRow);
    formLayout->addWidget(match);
    formLayout->addWidget(answer);
    formLayout->addStretch();

    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setWordWrap(true);
    m_error->hide();
    QPalette bad = palette();
    bad.setColor(QPalette::WindowText, toneColor(palette(), Tone::Bad));
    m_error->setPalette(bad);

    auto *columns = new QHBoxLayout;
    auto *left = new QVBoxLayout;
    left->addWidget(m_list, 1);
    auto *hint = new QLabel(tr("Hooks no rule applies to get the answer set in Settings ▸ Answer. "
                               "A secret required in Settings is checked first."),
                            this);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);
    left->addWidget(hint);
    columns->addLayout(left, 1);
    columns->addWidget(m_form, 1);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addWidget(m_testResult, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns, 1);
    layout->addLayout(listButtons);
    layout->addLayout(testRow);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    connect(add, &QPushButton::clicked, this, [this] {
        AnswerRule rule;
        rule.status = 503;
        addRule(rule);
        m_name->setFocus();
    });
    connect(duplicate, &QPushButton::clicked, this, [this] {
        if (QListWidgetItem *item = m_list->currentItem()) {
            auto *copy = item->clone();
            m_list->insertItem(m_list->row(item) + 1, copy);
            m_list->setCurrentItem(copy);
            updateSummary(m_list->row(copy));
        }
    });
    connect(remove, &QPushButton::clicked, this, &AnswerRulesDialog::removeRule);
    connect(up, &QPushButton::clicked, this, [this] { moveRule(-1); });
    connect(down, &QPushButton::clicked, this, [this] { moveRule(1); });
    m_list->installEventFilter(this);   // Alt+Up/Down move, Delete removes
    connect(importButton, &QPushButton::clicked, this, &AnswerRulesDialog::importRules);
    connect(exportButton, &QPushButton::clicked, this, &AnswerRulesDialog::exportRules);
    connect(m_list, &QListWidget::currentRowChanged, this, &AnswerRulesDialog::showRule);
    // Drops renumber the rules that have no name of their own.
    connect(m_list->model(), &QAbstractItemModel::rowsMoved, this, [this] {
        for (int row = 0; row < m_list->count(); ++row)
            updateSummary(row);
    });
    connect(m_provider, &QComboBox::currentTextChanged, this, &AnswerRulesDialog::fillEvents);
    connect(m_event, &QComboBox::currentTextChanged, this, &AnswerRulesDialog::fillActions);
    for (QLineEdit *edit : {m_name, m_path, m_header})
        connect(edit, &QLineEdit::textChanged, this, &AnswerRulesDialog::storeRule);
    for (QComboBox *combo : {m_provider, m_event, m_action, m_method})
        connect(combo, &QComboBox::currentTextChanged, this, &AnswerRulesDialog::storeRule);
    for (QPlainTextEdit *edit : {m_body, m_headers})
        connect(edit, &QPlainTextEdit::textChanged, this, &AnswerRulesDialog::storeRule);
    for (QSpinBox *box : {m_status, m_delay, m_times})
        connect(box, &QSpinBox::valueChanged, this, &AnswerRulesDialog::storeRule);
    connect(m_test, &QPushButton::clicked, this, &AnswerRulesDialog::test);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &AnswerRulesDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &AnswerRulesDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this, &AnswerRulesDialog::apply);

    fillEvents();
    for (const AnswerRule &rule : rules.rules())
        addRule(rule);
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
    showRule();
    setTestHook(std::nullopt);
    resize(900, 620);
}

bool AnswerRulesDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_list && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->modifiers() == Qt::AltModifier && (key->key() == Qt::Key_Up || key->key() == Qt::Key_Down)) {
            moveRule(key->key() == Qt::Key_Up ? -1 : 1);
            return true;
        }
        if (key->matches(QKeySequence::Delete)) {
            removeRule();
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void AnswerRulesDialog::setTestHook(const std::optional<Hook> &hook)
{
    m_hook = hook;
    m_test->setEnabled(hook.has_value());
    m_testResult->setText(hook ? tr("Which rule would answer hook #%1?").arg(hook->id)
                               : tr("Select a hook in the window to try the rules against it."));
}

void AnswerRulesDialog::addRule(const AnswerRule &rule)
{
    const QJsonArray array = QJsonDocument::fromJson(AnswerRules({rule}).toJson()).array();
    auto *item = new QListWidgetItem;
    item->setData(RuleRole, array.at(0).toObject());
    item->setFlags(item->flags() | Qt::ItemIsDragEnabled);
    m_list->addItem(item);
    updateSummary(m_list->count() - 1);
    m_list->setCurrentItem(item);
}

void AnswerRulesDialog::removeRule()
{
    const int row = m_list->currentRow();
    if (row < 0)
        return;
    delete m_list->takeItem(row);
    for (int i = row; i < m_list->count(); ++i)
        updateSummary(i);
    showRule();
}

void AnswerRulesDialog::moveRule(int by)
{
    const int row = m_list->currentRow();
    const int to = row + by;
    if (row < 0 || to < 0 || to >= m_list->count())
        return;
    QListWidgetItem *item = m_list->takeItem(row);
    m_list->insertItem(to, item);
    m_list->setCurrentItem(item);
    updateSummary(row);
    updateSummary(to);
}

void AnswerRulesDialog::updateSummary(int row)
{
    QListWidgetItem *item = m_list->item(row);
    if (!item)
        return;
    QString error;
    const QJsonObject object = item->data(RuleRole).toJsonObject();
    const std::optional<AnswerRules> one = AnswerRules::parse(QJsonDocument(QJsonArray{object}).toJson(), &error);
    if (!one) {
        item->setText(tr("%1. (does not read: %2)").arg(row + 1).arg(error.section(QStringLiteral(": "), 1)));
        item->setForeground(toneColor(palette(), Tone::Bad));
        return;
    }
    const AnswerRule &rule = one->rules().constFirst();
    item->setText(tr("%1. %2\n%3").arg(row + 1).arg(rule.label(row), rule.summary()));
    item->setData(Qt::ForegroundRole, QVariant());
}

void AnswerRulesDialog::showRule()
{
    QListWidgetItem *item = m_list->currentItem();
    m_form->setEnabled(item != nullptr);
    const QJsonObject rule = item ? item->data(RuleRole).toJsonObject() : QJsonObject();
    const QJsonObject match = rule.value(QStringLiteral("match")).toObject();
    const QJsonObject answer = rule.value(QStringLiteral("answer")).toObject();
    m_loading = true;
    m_name->setText(rule.value(QStringLiteral("name")).toString());
    setComboText(m_provider, match.value(QStringLiteral("provider")).toString());
    setComboText(m_event, match.value(QStringLiteral("event")).toString());
    setComboText(m_action, match.value(QStringLiteral("action")).toString());
    setComboText(m_method, match.value(QStringLiteral("method")).toString());
    m_path->setText(match.value(QStringLiteral("path")).toString());
    m_header->setText(match.value(QStringLiteral("header")).toString());
    m_status->setValue(answer.value(QStringLiteral("status")).toInt(200));
    const QJsonValue body = answer.value(QStringLiteral("body"));
    m_body->setPlainText(body.isString() ? body.toString()
                         : body.isObject() ? QString::fromUtf8(QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact))
                         : body.isArray() ? QString::fromUtf8(QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact))
                                          : QString());
    QStringList headers;
    for (const QJsonValue &pair : answer.value(QStringLiteral("headers")).toArray())
        headers.append(pair.toArray().at(0).toString() + QStringLiteral(": ") + pair.toArray().at(1).toString());
    m_headers->setPlainText(headers.join(u'\n'));
    m_delay->setValue(answer.value(QStringLiteral("delay_ms")).toInt(-1));
    m_times->setValue(rule.value(QStringLiteral("times")).toInt(0));
    m_loading = false;
}

QJsonObject AnswerRulesDialog::formObject() const
{
    QJsonObject rule;
    if (!m_name->text().trimmed().isEmpty())
        rule.insert(QStringLiteral("name"), m_name->text().trimmed());
    QJsonObject match;
    const auto put = [&match](const char *key, const QString &value) {
        if (!value.trimmed().isEmpty())
            match.insert(QLatin1String(key), value.trimmed());
    };
    put("provider", m_provider->currentText());
    put("event", m_event->currentText());
    put("action", m_action->currentText());
    put("method", m_method->currentText());
    put("path", m_path->text());
    put("header", m_header->text());
    if (!match.isEmpty())
        rule.insert(QStringLiteral("match"), match);
    QJsonObject answer;
    answer.insert(QStringLiteral("status"), m_status->value());
    if (!m_body->toPlainText().isEmpty())
        answer.insert(QStringLiteral("body"), m_body->toPlainText());
    QJsonArray headers;
    for (const QString &line : m_headers->toPlainText().split(u'\n', Qt::SkipEmptyParts)) {
        const qsizetype colon = line.indexOf(u':');
        // A line without a colon goes in as it is, so that the rule says what is wrong with it.
        headers.append(colon < 0 ? QJsonArray{line.trimmed()} : QJsonArray{line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    if (!headers.isEmpty())
        answer.insert(QStringLiteral("headers"), headers);
    if (m_delay->value() >= 0)
        answer.insert(QStringLiteral("delay_ms"), m_delay->value());
    rule.insert(QStringLiteral("answer"), answer);
    if (m_times->value() > 0)
        rule.insert(QStringLiteral("times"), m_times->value());
    return rule;
}

void AnswerRulesDialog::storeRule()
{
    QListWidgetItem *item = m_list->currentItem();
    if (m_loading || !item)
        return;
    item->setData(RuleRole, formObject());
    updateSummary(m_list->row(item));
}

void AnswerRulesDialog::fillEvents()
{
    const QString provider = m_provider->currentText().trimmed();
    const QString event = m_event->currentText();
    const bool loading = std::exchange(m_loading, true);
    m_event->clear();
    QStringList names;
    for (const QString &id : m_catalog.providers()) {
        if (!provider.isEmpty() && id != provider)
            continue;
        for (const catalog::Event &e : m_catalog.events(id)) {
            if (!names.contains(e.name))
                names.append(e.name);
        }
    }
    m_event->addItems(names);
    setComboText(m_event, event);
    m_loading = loading;
    fillActions();
}

void AnswerRulesDialog::fillActions()
{
    const QString provider = m_provider->currentText().trimmed();
    const QString event = m_event->currentText().trimmed();
    const QString action = m_action->currentText();
    const bool loading = std::exchange(m_loading, true);
    m_action->clear();
    QStringList names;
    for (const QString &id : m_catalog.providers()) {
        if (!provider.isEmpty() && id != provider)
            continue;
        for (const catalog::Event &e : m_catalog.events(id)) {
            if (!event.isEmpty() && e.name != event)
                continue;
            for (const catalog::Action &a : e.actions) {
                if (!names.contains(a.name))
                    names.append(a.name);
                for (const catalog::Alias &alias : a.aliases) {
                    if (!names.contains(alias.name))
                        names.append(alias.name);
                }
            }
        }
    }
    m_action->addItems(names);
    setComboText(m_action, action);
    m_loading = loading;
}

std::optional<AnswerRules> AnswerRulesDialog::rules(QString *error) const
{
    QJsonArray array;
    for (int row = 0; row < m_list->count(); ++row)
        array.append(m_list->item(row)->data(RuleRole).toJsonObject());
    QString reason;
    std::optional<AnswerRules> rules = AnswerRules::parse(QJsonDocument(array).toJson(), &reason);
    if (!rules) {
        // "/1/answer/status: …" reads as "Rule 2, answer/status: …".
        static const QRegularExpression pointer(QStringLiteral("^/(\\d+)/?([^:]*): "));
        const QRegularExpressionMatch m = pointer.match(reason);
        *error = m.hasMatch() ? tr("Rule %1, %2: %3").arg(m.captured(1).toInt() + 1).arg(m.captured(2), reason.mid(m.capturedLength()))
                              : reason;
    }
    return rules;
}

void AnswerRulesDialog::test()
{
    if (!m_hook)
        return;
    QString error;
    const std::optional<AnswerRules> rules = this->rules(&error);
    if (!rules) {
        setError(error);
        return;
    }
    setError({});
    const qsizetype index = rules->find(*m_hook, m_catalog);
    if (index < 0) {
        m_testResult->setText(tr("Hook #%1 would get the default answer: no rule applies.").arg(m_hook->id));
        return;
    }
    const AnswerRule &rule = rules->rules().at(index);
    m_testResult->setText(tr("Hook #%1 would be answered %2 by %3.").arg(m_hook->id).arg(rule.status).arg(rule.label(index)));
    m_list->setCurrentRow(int(index));
}

void AnswerRulesDialog::importRules()
{
    const QString fileName = QFileDialog::getOpenFileName(this, tr("Import Answer Rules"), QString(), tr("Rules (*.json);;All files (*)"));
    if (fileName.isEmpty())
        return;
    QString error;
    const std::optional<AnswerRules> rules = AnswerRules::load(fileName, &error);
    if (!rules) {
        setError(error);
        return;
    }
    setError({});
    m_list->clear();
    for (const AnswerRule &rule : rules->rules())
        addRule(rule);
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
    showRule();
}

void AnswerRulesDialog::exportRules()
{
    QString error;
    const std::optional<AnswerRules> rules = this->rules(&error);
    if (!rules) {
        setError(error);
        return;
    }
    const QString fileName = QFileDialog::getSaveFileName(this, tr("Export Answer Rules"), QStringLiteral("rules.json"),
                                                          tr("Rules (*.json)"));
    if (fileName.isEmpty())
        return;
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly) || file.write(rules->toJson()) < 0 || !file.commit()) {
        setError(tr("Could not write %1: %2").arg(fileName, file.errorString()));
        return;
    }
    setError({});
}

void AnswerRulesDialog::setError(const QString &error)
{
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
}

bool AnswerRulesDialog::apply()
{
    QString error;
    const std::optional<AnswerRules> rules = this->rules(&error);
    setError(rules ? QString() : error);
    if (!rules)
        return false;
    emit applied(*rules);
    return true;
}

void AnswerRulesDialog::accept()
{
    if (apply())
        QDialog::accept();
}

} // namespace ui
