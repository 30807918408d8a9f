#pragma once

#include "theme.h"

#include "capture/hook.h"
#include "catalog/catalog.h"

#include <QWidget>

#include <optional>

class QLabel;
class QPlainTextEdit;
class QStackedLayout;

namespace ui {

class SchemaView;

// What hookscope knows about one hook at a glance: event and action with the
// catalog's words for them, problems against the schema, credential verdicts,
// where and when it came from, and how it was answered.
class OverviewPane : public QWidget
{
    Q_OBJECT

public:
    enum class Field { Request, Provider, Event, Action, Problems, Secret, Signature, Peer, Received, Size, Answer, Count };

    explicit OverviewPane(const catalog::Catalog &catalog, QWidget *parent = nullptr);

    void setHook(const Hook &hook);
    void clear();
    QLabel *field(Field field) const { return m_fields[int(field)]; }
    SchemaView *schemaView() const { return m_schema; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void setField(Field field, const QString &text, std::optional<Tone> tone = std::nullopt);
    void recolour();

    catalog::Catalog m_catalog;
    QLabel *m_fields[int(Field::Count)];
    std::optional<Tone> m_tones[int(Field::Count)];
    SchemaView *m_schema;
    QStackedLayout *m_stack;
    QWidget *m_page;
};

QString verdictDescription(catalog::Verdict verdict, QStringView provider);
std::optional<Tone> verdictTone(catalog::Verdict verdict);

} // namespace ui
