#include "overviewpane.h"

#include "headerstable.h"
#include "schemaview.h"
#include "workspace/plural.h"
#include "httpmessageview.h"

#include "formats/bodycoding.h"
#include "formats/jsonl.h"
#include "http/response.h"

#include <QDateTime>
#include <QEvent>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QStackedLayout>
#include <QTimeZone>
#include <QVBoxLayout>

namespace ui {

using workspace::plural;

// A verdict is given when the hook arrives (or is checked again), against the
// secret configured then: it is told in the past tense.
QString verdictDescription(catalog::Verdict verdict, QStringView provider)
{
    switch (verdict) {
    case catalog::Verdict::Valid: return OverviewPane::tr("valid — matched the configured secret");
    case catalog::Verdict::Invalid: return OverviewPane::tr("invalid — did not match the configured secret");
    case catalog::Verdict::Missing: return OverviewPane::tr("missing — a secret was configured, the hook carried none");
    case catalog::Verdict::NotConfigured:
        return OverviewPane::tr("not checked — no secret was configured when it arrived (set one in Settings, then Hook ▸ Check Again)");
    case catalog::Verdict::NotUsed:
        return provider == u"codewars" ? OverviewPane::tr("not used — Codewars sends the secret itself (see Secret)")
                                       : OverviewPane::tr("not used — the sender signs the body instead (see Signature)");
    case catalog::Verdict::Unverifiable:
        return OverviewPane::tr("relayed: the body was re-serialised by the relay, the signature cannot be checked byte-exactly");
    case catalog::Verdict::OutsideTolerance:
        return OverviewPane::tr("timestamp outside the tolerance — the signature matches, but webhook-timestamp is too far "
                                "from the time received (see Problems): a replay or a badly delayed delivery");
    }
    return {};
}

std::optional<Tone> verdictTone(catalog::Verdict verdict)
{
    switch (verdict) {
    case catalog::Verdict::Valid: return Tone::Good;
    case catalog::Verdict::Invalid: return Tone::Bad;
    case catalog::Verdict::Missing:
    case catalog::Verdict::OutsideTolerance:
    case catalog::Verdict::Unverifiable: return Tone::Warning;
    case catalog::Verdict::NotConfigured:
    case catalog::Verdict::NotUsed: return std::nullopt;
    }
    return std::nullopt;
}

OverviewPane::OverviewPane(const catalog::Catalog &catalog, QWidget *parent)
    : QWidget(parent)
    , m_catalog(catalog)
    , m_schema(new SchemaView(this))
    , m_stack(new QStackedLayout(this))
    , m_page(new QWidget(this))
    , m_form(new QFormLayout)
{
    QWidget *page = m_page;
    QFormLayout *form = m_form;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
    const QString names[] = {tr("Request"), tr("Provider"), tr("Event"), tr("Action"), tr("Problems"), tr("Secret"),
                             tr("Signature"), tr("Peer"), tr("Received"), tr("Size"), tr("Coding"), tr("Answer")};
    for (int i = 0; i < int(Field::Count); ++i) {
        auto *label = new QLabel(page);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        label->setTextFormat(Qt::PlainText);
        // Descriptions wrap; one-line facts are cut at the pane's edge instead of widening it.
        const auto field = Field(i);
        const bool wraps = field == Field::Event || field == Field::Action || field == Field::Problems
            || field == Field::Secret || field == Field::Signature || field == Field::Provider;
        label->setWordWrap(wraps);
        if (!wraps)
            label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        m_fields[i] = label;
        auto *name = new QLabel(names[i] + u':', page);
        name->setForegroundRole(QPalette::PlaceholderText);
        form->addRow(name, label);
    }
    m_fields[int(Field::Request)]->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    m_schema->setMinimumHeight(120);

    auto *layout = new QVBoxLayout(page);
    layout->addLayout(form);
    layout->addSpacing(6);
    layout->addWidget(m_schema, 1);

    auto *placeholder = new QLabel(tr("Select a hook to see what it is, where it came from and what the catalog thinks of it."), this);
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setWordWrap(true);
    placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(placeholder);
    // Scrolls rather than claims height: the list above keeps its share of the window.
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(page);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_stack->addWidget(scroll);
    clear();
}

void OverviewPane::setField(Field field, const QString &text, std::optional<Tone> tone)
{
    m_fields[int(field)]->setText(text);
    m_fields[int(field)]->setToolTip(m_fields[int(field)]->wordWrap() ? QString() : text);
    m_tones[int(field)] = tone;
    QPalette p = palette();
    if (tone)
        p.setColor(QPalette::WindowText, toneColor(palette(), *tone));
    m_fields[int(field)]->setPalette(p);
}

void OverviewPane::recolour()
{
    for (int i = 0; i < int(Field::Count); ++i)
        setField(Field(i), m_fields[i]->text(), m_tones[i]);
}

void OverviewPane::clear()
{
    m_form->setRowVisible(int(Field::Coding), false);
    for (int i = 0; i < int(Field::Count); ++i)
        setField(Field(i), QString());
    m_schema->clear();
    m_stack->setCurrentIndex(0);
}

void OverviewPane::setHook(const Hook &hook)
{
    m_stack->setCurrentIndex(1);
    const catalog::Inspection &inspection = hook.inspection;
    setField(Field::Request, QString::fromLatin1(hook.method) + u' ' + headerText(hook.target) + u' ' + QString::fromLatin1(hook.version));

    const auto provider = inspection.provider.isEmpty() ? std::nullopt : m_catalog.provider(inspection.provider);
    setField(Field::Provider, provider ? provider->name : tr("unknown sender"), provider ? std::nullopt : std::optional(Tone::Warning));

    auto event = inspection.event.isEmpty() || !provider ? std::nullopt : m_catalog.event(inspection.provider, inspection.event);
    if (!event && provider && !inspection.event.isEmpty())
        event = m_catalog.event(inspection.provider, u"*");   // a provider that takes any event
    if (inspection.event.isEmpty() && provider && !provider->eventMember.isEmpty())
        setField(Field::Event, tr("none — the body names none in \"%1\"").arg(provider->eventMember), Tone::Warning);
    else if (inspection.event.isEmpty())
        setField(Field::Event, tr("none — no event header"), Tone::Warning);
    else if (event)
        setField(Field::Event, inspection.event + u" — " + event->description);
    else
        setField(Field::Event, tr("%1 — not in the catalog").arg(inspection.event), Tone::Warning);

    QString actionText;
    if (inspection.action.isEmpty()) {
        actionText = event && event->hasActions() ? tr("none") : tr("none (this event has no actions)");
    } else {
        actionText = inspection.action;
        if (!inspection.sentAction.isEmpty()) {
            const std::optional<catalog::Alias> alias = m_catalog.alias(inspection.provider, inspection.event, inspection.sentAction);
            actionText += alias && !alias->revision.isEmpty()
                ? tr(" — sent as %1 (the name in the %2 revision of the documentation)").arg(inspection.sentAction, alias->revision)
                : tr(" — sent as %1").arg(inspection.sentAction);
        }
        if (event) {
            for (const catalog::Action &action : event->actions) {
                if (action.name == inspection.action)
                    actionText += u" — " + action.description;
            }
        }
    }
    setField(Field::Action, actionText);

    if (inspection.problems.isEmpty())
        setField(Field::Problems, event ? tr("none — matches the catalog") : tr("none found"), event ? std::optional(Tone::Good) : std::nullopt);
    else
        setField(Field::Problems, u"• " + inspection.problems.join(u"\n• "), Tone::Bad);

    setField(Field::Secret, verdictDescription(inspection.secret, inspection.provider), verdictTone(inspection.secret));
    setField(Field::Signature, verdictDescription(inspection.signature, inspection.provider), verdictTone(inspection.signature));
    setField(Field::Peer, hook.origin == Hook::Origin::Relayed ? tr("%1 — a smee relay passed it on; the sender's own address is not known").arg(hook.peer())
                                                               : hook.peer());

    const QDateTime received = QDateTime::fromMSecsSinceEpoch(hook.receivedUs / 1000, QTimeZone::utc());
    setField(Field::Received, QLocale().toString(received.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"))
                                  + u"   (" + formats::isoTimestamp(hook.receivedUs) + u')');

    QString size = plural(tr("%n byte(s)", nullptr, int(hook.body.size())), int(hook.body.size()));
    if (hook.body.size() >= 1024)
        size += u" (" + QLocale().formattedDataSize(hook.body.size(), 1, QLocale::DataSizeTraditionalFormat) + u')';
    if (hook.chunked)
        size += tr(", sent chunked");
    if (hook.origin == Hook::Origin::Relayed) {
        const QByteArray original = http::valueOf(hook.headers, "Content-Length");
        size += original.isNull() ? tr(" as the relay re-serialised it")
                                  : tr(" as the relay re-serialised it (the original had %1)").arg(QString::fromLatin1(original));
    }
    if (!hook.trailers.isEmpty())
        size += plural(tr(", %n trailer field(s)", nullptr, int(hook.trailers.size())), int(hook.trailers.size()));
    if (hook.refused())
        size = plural(tr("%n byte(s) kept of what arrived before it was refused (request line and headers included)", nullptr,
                         int(hook.body.size())), int(hook.body.size()));
    setField(Field::Size, size);
    if (hook.refused()) {
        // Nothing of it was checked: it never became a hook.
        setField(Field::Problems, tr("not checked — the listener refused the request"));
        if (inspection.event.isEmpty())
            setField(Field::Event, tr("none — refused before it was read whole"));
    }
    m_form->setRowVisible(int(Field::Coding), false);

    const QString answer = plural(tr("%1, %n byte(s) of body", nullptr, int(hook.answer.body.size())), int(hook.answer.body.size())).arg(hook.answer.status);
    if (hook.refused())
        setField(Field::Answer, tr("%1 %2 — refused: %3").arg(hook.answer.status).arg(QString::fromLatin1(http::reasonPhrase(hook.answer.status)), hook.refusal),
                 Tone::Bad);
    else if (hook.origin == Hook::Origin::Relayed)
        setField(Field::Answer, tr("none from hookscope: the relay answered the sender itself"));
    else
        setField(Field::Answer, hook.answerRule.isEmpty() ? answer : tr("%1 — by the answer rule \"%2\"").arg(answer, hook.answerRule),
                 statusTone(hook.answer.status));

    const QByteArray schema = provider ? m_catalog.schemaJson(inspection.provider, event ? event->name : inspection.event, inspection.action) : QByteArray();
    if (schema.isEmpty() || schema != m_schema->schema()) {
        // The catalog's own template gives the example values: what a well-formed body of this kind holds.
        const QString action = inspection.sentAction.isEmpty() ? inspection.action : inspection.sentAction;
        const auto example = schema.isEmpty() ? std::nullopt : m_catalog.compose(inspection.provider, event ? event->name : inspection.event, action, {}, nullptr);
        m_schema->setSchema(schema, schema.isEmpty() ? QList<catalog::SchemaRow>()
                                                      : m_catalog.schemaOutline(inspection.provider, event ? event->name : inspection.event, inspection.action,
                                                                                example ? QByteArrayView(example->body) : QByteArrayView()));
    }
}

void OverviewPane::setCoding(const formats::DecodedBody &shown)
{
    m_form->setRowVisible(int(Field::Coding), !shown.codings.isEmpty());
    if (shown.codings.isEmpty()) {
        setField(Field::Coding, QString());
        return;
    }
    const QString codings = QString::fromLatin1(shown.codings.join(", "));
    if (shown.ok)
        setField(Field::Coding, tr("%1 — stored as it came, shown decoded (%2) in Body")
                                    .arg(codings, plural(tr("%n byte(s)", nullptr, int(shown.bytes.size())), int(shown.bytes.size()))));
    else
        setField(Field::Coding, tr("%1 — shown as stored: %2").arg(codings, shown.error), Tone::Warning);
}

void OverviewPane::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        recolour();
}

} // namespace ui
