#pragma once

#include "capture/answerrules.h"
#include "capture/hook.h"
#include "catalog/catalog.h"

#include <QDialog>

#include <optional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QWidget;

namespace ui {

// The listener's answer rules, edited as an ordered list: the first rule that
// applies to a hook answers it. Rules are dragged (or moved with Alt+Up/Down)
// into order; a rule is tried against the hook selected in the window.
class AnswerRulesDialog : public QDialog
{
    Q_OBJECT

public:
    AnswerRulesDialog(const AnswerRules &rules, const catalog::Catalog &catalog, QWidget *parent = nullptr);

    // The hook "Test" tries the rules against; none: the button says to select one.
    void setTestHook(const std::optional<Hook> &hook);
    // The rules as edited; nullopt with *error ("Rule 2: status …") when one does not read.
    std::optional<AnswerRules> rules(QString *error) const;

    QListWidget *list() const { return m_list; }
    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *eventBox() const { return m_event; }
    QComboBox *actionBox() const { return m_action; }
    QLineEdit *pathEdit() const { return m_path; }
    QLineEdit *headerEdit() const { return m_header; }
    QSpinBox *statusBox() const { return m_status; }
    QPlainTextEdit *bodyEdit() const { return m_body; }
    QSpinBox *timesBox() const { return m_times; }
    QPushButton *testButton() const { return m_test; }
    QLabel *testResult() const { return m_testResult; }
    QLabel *errorLabel() const { return m_error; }

    void accept() override;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

signals:
    // OK or Apply with rules that read.
    void applied(const AnswerRules &rules);

private:
    void addRule(const AnswerRule &rule);
    void removeRule();
    void moveRule(int by);
    void importRules();
    void exportRules();
    void showRule();
    void storeRule();
    void updateSummary(int row);
    void fillEvents();
    void fillActions();
    void test();
    bool apply();
    void setError(const QString &error);
    // The JSON object of the rule in the form; what AnswerRules::parse() reads.
    QJsonObject formObject() const;

    catalog::Catalog m_catalog;
    std::optional<Hook> m_hook;
    bool m_loading = false;

    QListWidget *m_list;
    QWidget *m_form;
    QLineEdit *m_name;
    QComboBox *m_provider;
    QComboBox *m_event;
    QComboBox *m_action;
    QComboBox *m_method;
    QLineEdit *m_path;
    QLineEdit *m_header;
    QSpinBox *m_status;
    QPlainTextEdit *m_body;
    QPlainTextEdit *m_headers;
    QSpinBox *m_delay;
    QSpinBox *m_times;
    QPushButton *m_test;
    QLabel *m_testResult;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace ui
