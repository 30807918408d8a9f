#pragma once

#include "theme.h"

#include "capture/hook.h"
#include "catalog/catalog.h"

#include <QWidget>

#include <optional>

class QFormLayout;
class QLabel;

namespace formats {
struct DecodedBody;
}
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
    enum class Field { Request, Provider, Event, Action, Problems, Secret, Signature, Peer, Received, Size, Coding, Answer, Count };

    explicit OverviewPane(const catalog::Catalog &catalog, QWidget *parent = nullptr);

    void setHook(const Hook &hook);
    // How the body was coded and how the body views show it; the row is hidden for a body sent as it is.
    void setCoding(const formats::DecodedBody &shown);
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
    QFormLayout *m_form;
};

QString verdictDescription(catalog::Verdict verdict, QStringView provider);
std::optional<Tone> verdictTone(catalog::Verdict verdict);

} // namespace ui
