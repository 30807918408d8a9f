#pragma once

#include "http/headers.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace catalog {
class Catalog;
}
struct Hook;

// One answer rule: which hooks it answers (every part optional, all must hold)
// and how. Read from and written as JSON:
//   {"name": "…", "match": {"provider", "event", "action", "method", "path", "header"},
//    "answer": {"status": 503, "body": "busy", "headers": [["Retry-After", "5"]], "delay_ms": 3000},
//    "times": 2}
struct AnswerRule
{
    QString name;                 // optional; "rule N" where it is not given

    QString provider;
    QString event;
    QString action;               // either spelling of an action with an alias
    QByteArray method;
    QByteArray path;              // the request-target's path; '*' stands for any run of bytes
    QByteArray headerName;        // a field of this name (case-insensitive) ...
    std::optional<QByteArray> headerValue;   // ... with exactly this value, when given

    int status = 200;
    std::optional<QByteArray> body;          // unset: the listener's own body
    http::HeaderList headers;                // added to the answer's own fields
    int delayMs = -1;                        // -1: the listener's delay

    int times = 0;                           // 0: every matching hook; N: the first N, then passed over

    // What the table, Overview and exports say of the rule at this 0-based position.
    QString label(qsizetype index) const;
    // A one-line summary: "event user, action honor_changed → 503 busy, 2 times".
    QString summary() const;
    // The catalog is needed to tell a hook's event and action.
    bool needsRecognition() const { return !provider.isEmpty() || !event.isEmpty() || !action.isEmpty(); }
    // Whether the hook (with its inspection done when needsRecognition()) is one this rule answers.
    bool matches(const Hook &hook, const catalog::Catalog &catalog) const;

    friend bool operator==(const AnswerRule &, const AnswerRule &) = default;
};

// The ordered rules of a listener: the first that applies to a hook answers it.
// Counting (times) is state of the listener that uses them, on its one thread.
class AnswerRules
{
public:
    AnswerRules() = default;
    explicit AnswerRules(QList<AnswerRule> rules) : m_rules(std::move(rules)), m_used(m_rules.size(), 0) {}

    // Reads a rules document; nullopt with *error naming the JSON pointer of the
    // part at fault and why ("/1/match/paht: unknown match key …").
    static std::optional<AnswerRules> parse(QByteArrayView json, QString *error);
    // Reads a rules file; the error starts with the file's name.
    static std::optional<AnswerRules> load(const QString &path, QString *error);
    QByteArray toJson() const;

    const QList<AnswerRule> &rules() const { return m_rules; }
    bool isEmpty() const { return m_rules.isEmpty(); }
    bool needsRecognition() const;

    // The index of the rule that would answer the hook now (times used up are
    // passed over), or -1 for the default answer. Counts nothing.
    qsizetype find(const Hook &hook, const catalog::Catalog &catalog) const;
    // As find(), and counts the answer against the rule's times.
    qsizetype take(const Hook &hook, const catalog::Catalog &catalog);
    int used(qsizetype index) const { return m_used.value(index); }

private:
    QList<AnswerRule> m_rules;
    QList<int> m_used;
};
