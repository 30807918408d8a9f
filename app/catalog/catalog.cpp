#include "catalog.h"

#include "flatjson.h"
#include "orderedjson.h"
#include "schema.h"
#include "standardwebhooks.h"
#include "templatefiller.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <mutex>

namespace catalog {

namespace {

const QByteArray SecretHeader = QByteArrayLiteral("X-Webhook-Secret");
const QByteArray SignatureHeader = QByteArrayLiteral("X-Hub-Signature-256");
const QByteArray Sha1SignatureHeader = QByteArrayLiteral("X-Hub-Signature");

struct HeaderTemplate
{
    QByteArray name;
    QString value;
    bool whenSecret = false;
};

// A catalog file as its schemas are compiled from it: made from the file's tree, without
// its templates, when the first of its actions is compiled.
class SchemaDocument
{
public:
    explicit SchemaDocument(OrderedJson file) : m_file(std::move(file)) {}

    const QJsonValue &document() const { return made().document; }
    const QJsonValue &checked() const { return made().checked; }   // what valijson reads: the schemas without "format"

private:
    struct Made
    {
        QJsonValue document;
        QJsonValue checked;
    };
    const Made &made() const;

    mutable OrderedJson m_file;   // until made
    mutable std::once_flag m_once;
    mutable Made m_made;
};

// Where an action's templates come from, as JSON text (empty: not there): its event's
// "template", and its own "template" or list of "templates" (an event without actions
// has its own only).
struct TemplateSources
{
    QByteArray eventTemplate;
    QByteArray own;
    QByteArray ownList;
};

// What checking and composing an action needs. Compiled when a file loads, except for the
// built-in catalogs, which are compiled action by action on first use (GitHub's would
// take seconds at every start; the tests compile all of them).
struct ActionCheck
{
    std::shared_ptr<const SchemaDocument> document;
    QString where;
    QString eventName;
    QString actionName;
    QStringList schemaPlaces;   // the event's, then the action's own: a hook must satisfy each
    // JSON text until compiled: GitHub's examples take a tenth of the memory so.
    TemplateSources templates;

    std::once_flag once;
    QList<Schema> schemas;
    OrderedJson bodyTemplate;
    QString error;
    QStringList warnings;
};

struct CompiledAction
{
    Action info;
    OrderedJson schemaSource;
    std::shared_ptr<ActionCheck> check;
};

struct CompiledEvent
{
    Event info;
    // For an event without actions, a single entry with an empty name.
    QList<CompiledAction> actions;
    QHash<QString, qsizetype> actionIndex; // canonical names and aliases
};

struct CompiledProvider
{
    Provider info;
    QList<HeaderTemplate> headers;
    QList<CompiledEvent> events;
    QHash<QString, qsizetype> eventIndex;
    QStringList warnings;   // keywords of its schemas that are ignored
    std::shared_ptr<const OrderedJson> definitions;   // the file's shared schemas, for showing what a reference names
};

QString quoted(const QString &text)
{
    return u'"' + text + u'"';
}

// Microseconds since the epoch: receivedUs, or now when it is -1.
qint64 orNow(qint64 receivedUs)
{
    return receivedUs >= 0 ? receivedUs : QDateTime::currentMSecsSinceEpoch() * 1000;
}

// The placeholders a header template may use beside the event and the action.
const char *const HeaderValues[] = {"event", "action", "secret", "signature", "signature-sha1",
                                    "message-id", "timestamp", "standard-signature"};

QString knownList(const QStringList &names)
{
    return names.isEmpty() ? QStringLiteral("none") : names.join(QLatin1String(", "));
}

// An action's schema and template extend the event's: objects merge member by
// member (new members go last), lists are joined, other values are replaced.
OrderedJson merged(const OrderedJson &base, const OrderedJson &extra)
{
    if (base.isObject() && extra.isObject()) {
        OrderedJson out = base;
        for (qsizetype i = 0; i < extra.size(); ++i) {
            if (OrderedJson *member = out.member(extra.keys()[i]))
                *member = merged(*member, extra.at(i));
            else
                out.appendMember(extra.keys()[i], extra.at(i));
        }
        return out;
    }
    if (base.isArray() && extra.isArray()) {
        OrderedJson out = base;
        QSet<QByteArray> seen;
        for (qsizetype i = 0; i < base.size(); ++i)
            seen.insert(base.at(i).toJson(0));
        for (qsizetype i = 0; i < extra.size(); ++i) {
            if (!seen.contains(extra.at(i).toJson(0)))
                out.append(extra.at(i));
        }
        return out;
    }
    return extra;
}

// The template of an event or action, or its list of "templates" to try in turn, each
// extending the event's template, with its place in the entry.
// *error names the first text that is not JSON (a built-in catalog's templates are
// only scanned when the file loads).
QList<std::pair<QString, OrderedJson>> templatesOf(const TemplateSources &sources, QString *error)
{
    auto parsed = [error](const QByteArray &text, QLatin1String place) {
        if (text.isEmpty())
            return OrderedJson();
        QString why;
        std::optional<OrderedJson> json = OrderedJson::parse(text, &why);
        if (!json && error->isEmpty())
            *error = place + u": not valid JSON: " + why;
        return json.value_or(OrderedJson());
    };
    const OrderedJson eventTemplate = parsed(sources.eventTemplate, QLatin1String("the event's template"));
    auto extend = [&](const OrderedJson &own) { return eventTemplate.isNull() ? own : merged(eventTemplate, own); };
    QList<std::pair<QString, OrderedJson>> templates;
    if (const OrderedJson list = parsed(sources.ownList, QLatin1String("/templates")); list.isArray()) {
        for (qsizetype i = 0; i < list.size(); ++i)
            templates.append({u"/templates/" + QString::number(i), extend(list.at(i))});
    } else if (!sources.own.isEmpty()) {
        templates.append({QStringLiteral("/template"), extend(parsed(sources.own, QLatin1String("/template")))});
    } else {
        templates.append({QStringLiteral("/template"), eventTemplate});
    }
    return templates;
}

// The catalog file as valijson reads it: each schema in it (shared definitions, events'
// and actions' schemas) through Schema::withoutFormats().
QJsonObject checkedDocument(QJsonObject file)
{
    auto eachSchema = [](QJsonObject map, const auto &change) {
        for (auto it = map.begin(); it != map.end(); ++it)
            *it = change(it.value());
        return map;
    };
    file.insert(QStringLiteral("definitions"), eachSchema(file.value(u"definitions").toObject(), Schema::withoutFormats));
    file.insert(QStringLiteral("events"), eachSchema(file.value(u"events").toObject(), [&](const QJsonValue &event) {
        QJsonObject e = event.toObject();
        if (e.contains(u"schema"))
            e.insert(QStringLiteral("schema"), Schema::withoutFormats(e.value(u"schema")));
        if (e.value(u"actions").isObject()) {
            e.insert(QStringLiteral("actions"), eachSchema(e.value(u"actions").toObject(), [](const QJsonValue &action) {
                QJsonObject a = action.toObject();
                if (a.contains(u"schema"))
                    a.insert(QStringLiteral("schema"), Schema::withoutFormats(a.value(u"schema")));
                return QJsonValue(a);
            }));
        }
        return QJsonValue(e);
    }));
    return file;
}

// The catalog file without its templates: what compiling its schemas later needs kept
// (GitHub's examples are most of its file).
QJsonObject withoutTemplates(QJsonObject file)
{
    QJsonObject events = file.value(u"events").toObject();
    for (auto event = events.begin(); event != events.end(); ++event) {
        QJsonObject e = event.value().toObject();
        e.remove(u"template");
        e.remove(u"templates");
        QJsonObject actions = e.value(u"actions").toObject();
        for (auto action = actions.begin(); action != actions.end(); ++action) {
            QJsonObject a = action.value().toObject();
            a.remove(u"template");
            a.remove(u"templates");
            *action = a;
        }
        if (!actions.isEmpty())
            e.insert(QStringLiteral("actions"), actions);
        *event = e;
    }
    file.insert(QStringLiteral("events"), events);
    return file;
}

const SchemaDocument::Made &SchemaDocument::made() const
{
    std::call_once(m_once, [this] {
        m_made.document = withoutTemplates(m_file.toJsonValue().toObject());
        m_made.checked = checkedDocument(m_made.document.toObject());
        m_file = OrderedJson();
    });
    return m_made;
}

// Reads one provider file, naming the place of every problem.
class ProviderReader
{
public:
    bool read(const OrderedJson &root, CompiledProvider *out);
    QStringList warnings() const { return m_warnings; }
    QString error() const { return m_error; }

private:
    bool fail(const QString &where, const QString &message)
    {
        m_error = where.isEmpty() ? message : where + u": " + message;
        return false;
    }
    bool checkMembers(const OrderedJson &object, const QString &where, std::initializer_list<QLatin1String> allowed);
    bool readText(const OrderedJson &object, QLatin1String key, const QString &where, bool required, QString *out);
    bool readHeaders(const OrderedJson &list, CompiledProvider *out);
    bool readEvent(const QString &name, const OrderedJson &json, const CompiledProvider &provider, CompiledEvent *out);
    // The JSON text of an entry's template member ("template" or "templates"), empty when absent.
    QByteArray templateText(const OrderedJson &entry, const QString &where, QStringView key) const;
    bool compileAction(const QString &where, const QString &eventName, const QString &actionName,
                       const QStringList &schemaPlaces, const OrderedJson &schema, const TemplateSources &templates,
                       CompiledAction *out);

public:
    // Set for a built-in catalog: its actions are compiled on first use, and their
    // templates were kept as text by the parser (rawTemplates()), under their JSON pointers.
    bool lazy = false;
    const QHash<QString, QByteArray> *rawTemplates = nullptr;

private:
    std::shared_ptr<SchemaDocument> m_document;
    QString m_error;
    QStringList m_warnings;
};

bool ProviderReader::checkMembers(const OrderedJson &object, const QString &where,
                                  std::initializer_list<QLatin1String> allowed)
{
    if (!object.isObject())
        return fail(where, QStringLiteral("expected an object"));
    for (const QString &key : object.keys()) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            return fail(where, u"unknown member " + quoted(key));
    }
    return true;
}

bool ProviderReader::readText(const OrderedJson &object, QLatin1String key, const QString &where, bool required,
                              QString *out)
{
    const OrderedJson *value = object.member(QString(key));
    if (!value)
        return !required || fail(where, u"missing " + quoted(key));
    if (!value->isString() || (required && value->toString().isEmpty()))
        return fail(where, quoted(key) + u" must be a non-empty string");
    *out = value->toString();
    return true;
}

bool ProviderReader::read(const OrderedJson &root, CompiledProvider *out)
{
    using namespace Qt::Literals::StringLiterals;
    if (!checkMembers(root, QString(),
                      {"$schema"_L1, "provider"_L1, "name"_L1, "description"_L1, "eventHeader"_L1, "eventMember"_L1, "deliveryIdHeader"_L1,
                       "recognisedBy"_L1, "revisions"_L1, "headers"_L1, "definitions"_L1, "events"_L1}))
        return false;
    m_document = std::make_shared<SchemaDocument>(root);
    out->definitions = std::make_shared<const OrderedJson>(root.member(u"definitions") ? *root.member(u"definitions")
                                                                                     : OrderedJson::makeObject());
    Provider &info = out->info;
    QString eventHeader;
    QString deliveryIdHeader;
    QString recognisedBy;
    if (!readText(root, "provider"_L1, QString(), true, &info.id) || !readText(root, "name"_L1, QString(), true, &info.name)
        || !readText(root, "description"_L1, QString(), false, &info.description)
        || !readText(root, "eventHeader"_L1, QString(), false, &eventHeader)
        || !readText(root, "eventMember"_L1, QString(), false, &info.eventMember)
        || !readText(root, "recognisedBy"_L1, QString(), false, &recognisedBy)
        || !readText(root, "deliveryIdHeader"_L1, QString(), false, &deliveryIdHeader))
        return false;
    if (eventHeader.isEmpty() == info.eventMember.isEmpty())
        return fail(QString(), QStringLiteral("needs one of \"eventHeader\" (the header naming the event) and \"eventMember\" (the body member naming it)"));
    if (!info.eventMember.isEmpty() && recognisedBy.isEmpty())
        return fail(QString(), QStringLiteral("\"eventMember\" needs \"recognisedBy\": the header that marks the provider's hooks"));
    for (const QString &name : {eventHeader, recognisedBy}) {
        if (!name.isEmpty() && !http::isToken(name.toLatin1()))
            return fail(QString(), quoted(name) + u" is not a header name");
    }
    info.eventHeader = eventHeader.toLatin1();
    info.recognisedBy = recognisedBy.isEmpty() ? info.eventHeader : recognisedBy.toLatin1();
    info.deliveryIdHeader = deliveryIdHeader.toLatin1();

    if (const OrderedJson *revisions = root.member(u"revisions")) {
        if (!revisions->isObject())
            return fail(QStringLiteral("/revisions"), QStringLiteral("expected an object of revision id -> description"));
        for (qsizetype i = 0; i < revisions->size(); ++i) {
            if (!revisions->at(i).isString())
                return fail(u"/revisions/" + jsonPointerSegment(revisions->keys()[i]), QStringLiteral("expected a description"));
            info.revisions.append({revisions->keys()[i], revisions->at(i).toString()});
        }
    }

    const OrderedJson *headers = root.member(u"headers");
    if (!headers)
        return fail(QString(), QStringLiteral("missing \"headers\""));
    if (!readHeaders(*headers, out))
        return false;

    const OrderedJson *events = root.member(u"events");
    if (!events || !events->isObject() || events->size() == 0)
        return fail(QStringLiteral("/events"), QStringLiteral("expected an object with at least one event"));
    for (qsizetype i = 0; i < events->size(); ++i) {
        CompiledEvent event;
        if (!readEvent(events->keys()[i], events->at(i), *out, &event))
            return false;
        if (out->eventIndex.contains(event.info.name))
            return fail(u"/events/" + jsonPointerSegment(event.info.name), QStringLiteral("listed twice"));
        out->eventIndex.insert(event.info.name, out->events.size());
        info.events.append(event.info);
        out->events.append(event);
    }
    return true;
}

bool ProviderReader::readHeaders(const OrderedJson &list, CompiledProvider *out)
{
    using namespace Qt::Literals::StringLiterals;
    if (!list.isArray())
        return fail(QStringLiteral("/headers"), QStringLiteral("expected a list of {\"name\", \"value\"}"));
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString where = u"/headers/" + QString::number(i);
        const OrderedJson &entry = list.at(i);
        if (!checkMembers(entry, where, {"name"_L1, "value"_L1, "when"_L1}))
            return false;
        HeaderTemplate header;
        QString name;
        QString when;
        if (!readText(entry, "name"_L1, where, true, &name) || !readText(entry, "when"_L1, where, false, &when))
            return false;
        const OrderedJson *value = entry.member(u"value");
        if (!value || !value->isString())
            return fail(where, QStringLiteral("\"value\" must be a string"));
        if (!when.isEmpty() && when != u"secret")
            return fail(where, QStringLiteral("\"when\" can only be \"secret\" (the header is sent only when a secret is set)"));
        TemplateFiller check;
        for (const char *known : HeaderValues)
            check.setValue(QString::fromLatin1(known), QStringLiteral("x"));
        check.fillText(value->toString());
        if (!check.error().isEmpty())
            return fail(where, check.error());
        header.name = name.toLatin1();
        header.value = value->toString();
        header.whenSecret = !when.isEmpty();
        out->headers.append(header);
    }
    return true;
}

bool ProviderReader::readEvent(const QString &name, const OrderedJson &json, const CompiledProvider &provider,
                               CompiledEvent *out)
{
    using namespace Qt::Literals::StringLiterals;
    const QString where = u"/events/" + jsonPointerSegment(name);
    if (!checkMembers(json, where, {"description"_L1, "schema"_L1, "template"_L1, "templates"_L1, "actions"_L1}))
        return false;
    out->info.name = name;
    if (!readText(json, "description"_L1, where, false, &out->info.description))
        return false;
    const OrderedJson eventSchema = json.member(u"schema") ? *json.member(u"schema") : OrderedJson();
    const QByteArray eventTemplate = templateText(json, where, u"template");
    QStringList eventSchemas;
    if (json.member(u"schema"))
        eventSchemas.append(where + u"/schema");

    const OrderedJson *actions = json.member(u"actions");
    if (!actions) {
        CompiledAction action;
        const TemplateSources own{{}, eventTemplate, templateText(json, where, u"templates")};
        if (!compileAction(where, name, QString(), eventSchemas, eventSchema, own, &action))
            return false;
        out->actions.append(action);
        out->actionIndex.insert(QString(), 0);
        return true;
    }
    if (!actions->isObject() || actions->size() == 0)
        return fail(where + u"/actions", QStringLiteral("expected an object with at least one action"));

    auto knownRevision = [&provider](const QString &revision) {
        return revision.isEmpty()
            || std::any_of(provider.info.revisions.cbegin(), provider.info.revisions.cend(),
                           [&](const Revision &r) { return r.id == revision; });
    };
    for (qsizetype i = 0; i < actions->size(); ++i) {
        const QString actionName = actions->keys()[i];
        const QString actionWhere = where + u"/actions/" + jsonPointerSegment(actionName);
        const OrderedJson &entry = actions->at(i);
        if (!checkMembers(entry, actionWhere,
                          {"description"_L1, "revision"_L1, "aliases"_L1, "schema"_L1, "template"_L1, "templates"_L1}))
            return false;
        if (actionName.isEmpty())
            return fail(actionWhere, QStringLiteral("an action needs a name"));
        CompiledAction action;
        action.info.name = actionName;
        if (!readText(entry, "description"_L1, actionWhere, false, &action.info.description)
            || !readText(entry, "revision"_L1, actionWhere, false, &action.info.revision))
            return false;
        if (!knownRevision(action.info.revision))
            return fail(actionWhere, u"revision " + quoted(action.info.revision) + u" is not listed in \"revisions\"");
        if (const OrderedJson *aliases = entry.member(u"aliases")) {
            if (!aliases->isArray())
                return fail(actionWhere, QStringLiteral("\"aliases\" must be a list of {\"name\", \"revision\"}"));
            for (qsizetype j = 0; j < aliases->size(); ++j) {
                const QString aliasWhere = actionWhere + u"/aliases/" + QString::number(j);
                Alias alias;
                if (!checkMembers(aliases->at(j), aliasWhere, {"name"_L1, "revision"_L1})
                    || !readText(aliases->at(j), "name"_L1, aliasWhere, true, &alias.name)
                    || !readText(aliases->at(j), "revision"_L1, aliasWhere, false, &alias.revision))
                    return false;
                if (!knownRevision(alias.revision))
                    return fail(aliasWhere, u"revision " + quoted(alias.revision) + u" is not listed in \"revisions\"");
                action.info.aliases.append(alias);
            }
        }
        const OrderedJson *schema = entry.member(u"schema");
        QStringList schemas = eventSchemas;
        if (schema)
            schemas.append(actionWhere + u"/schema");
        const TemplateSources templates{eventTemplate, templateText(entry, actionWhere, u"template"),
                                        templateText(entry, actionWhere, u"templates")};
        if (!compileAction(actionWhere, name, actionName, schemas, schema ? merged(eventSchema, *schema) : eventSchema,
                           templates, &action))
            return false;

        const qsizetype index = out->actions.size();
        QStringList spellings{actionName};
        for (const Alias &alias : std::as_const(action.info.aliases))
            spellings.append(alias.name);
        for (const QString &spelling : std::as_const(spellings)) {
            if (out->actionIndex.contains(spelling))
                return fail(actionWhere, quoted(spelling) + u" names two actions");
            out->actionIndex.insert(spelling, index);
        }
        out->info.actions.append(action.info);
        out->actions.append(action);
    }
    return true;
}

// Compiles an action's schemas and picks its template: the first that fills and satisfies
// them, or composing it would send a broken event.
bool compileCheck(ActionCheck &check)
{
    QString notJson;
    const QList<std::pair<QString, OrderedJson>> templates = templatesOf(check.templates, &notJson);
    if (!notJson.isEmpty()) {
        check.error = check.where + (notJson.startsWith(u'/') ? notJson : u": " + notJson);
        return false;
    }
    if (templates.isEmpty() || templates.constFirst().second.isNull()) {
        check.error = check.where + u": no \"template\" here nor on its event";
        return false;
    }
    check.bodyTemplate = templates.constFirst().second;
    for (const QString &place : std::as_const(check.schemaPlaces)) {
        const std::optional<Schema> schema =
            Schema::compile(check.document->document(), check.document->checked(), place, &check.error, &check.warnings);
        if (!schema)
            return false;
        check.schemas.append(*schema);
    }
    QString firstError;
    for (const auto &[place, bodyTemplate] : templates) {
        TemplateFiller filler;
        filler.setValue(QStringLiteral("event"), check.eventName);
        filler.setValue(QStringLiteral("action"), check.actionName);
        const OrderedJson sample = filler.fill(bodyTemplate);
        QStringList problems;
        if (filler.error().isEmpty()) {
            const QByteArray sampleText = sample.toJson(0);
            FlatJson sampleJson;
            if (sampleJson.parse(sampleText)) {
                for (const Schema &compiled : std::as_const(check.schemas))
                    compiled.validate(sampleJson.root(), &problems, 3);
            }
            if (problems.isEmpty()) {
                check.bodyTemplate = bodyTemplate;
                return true;
            }
        }
        if (firstError.isEmpty()) {
            firstError = check.where + place + u": "
                + (filler.error().isEmpty() ? u"does not match the schema: " + problems.join(QLatin1String("; ")) : filler.error());
        }
    }
    if (!templates.constFirst().first.startsWith(u"/templates/")) {
        check.error = firstError;
        return false;
    }
    // A list of "templates" comes from published data, which can hold an action that no
    // payload matches (a schema that contradicts itself): it stays known, its first
    // template is offered, and the load says so.
    check.warnings.append(firstError.section(u':', 0, 0) + u": no template matches the schema; the first is kept ("
                          + firstError.section(u':', 1).trimmed() + u')');
    return true;
}

// The compiled check of an action, compiling it now if the catalog was loaded lazily.
const ActionCheck &checked(const CompiledAction &action)
{
    ActionCheck &check = *action.check;
    std::call_once(check.once, [&check] {
        if (!compileCheck(check))
            qWarning("hookscope: built-in catalog: %s", qUtf8Printable(check.error));
        for (const QString &warning : std::as_const(check.warnings))
            qWarning("hookscope: built-in catalog: %s", qUtf8Printable(warning));
        check.templates = {};
    });
    return check;
}

QByteArray ProviderReader::templateText(const OrderedJson &entry, const QString &where, QStringView key) const
{
    if (rawTemplates)
        return rawTemplates->value(where + u'/' + key);
    const OrderedJson *member = entry.member(key);
    return member ? member->toJson(0) : QByteArray();
}

bool ProviderReader::compileAction(const QString &where, const QString &eventName, const QString &actionName,
                                   const QStringList &schemaPlaces, const OrderedJson &schema,
                                   const TemplateSources &templates, CompiledAction *out)
{
    if (schemaPlaces.isEmpty())
        return fail(where, QStringLiteral("no \"schema\" here nor on its event"));
    auto check = std::make_shared<ActionCheck>();
    check->document = m_document;
    check->where = where;
    check->eventName = eventName;
    check->actionName = actionName;
    check->schemaPlaces = schemaPlaces;
    check->templates = templates;
    out->schemaSource = schema;
    out->check = check;
    if (lazy)
        return true;
    bool ok = false;
    std::call_once(check->once, [&] {
        ok = compileCheck(*check);
        check->templates = {};
    });
    m_warnings += check->warnings;
    return ok || fail(QString(), check->error);
}

} // namespace

struct Catalog::Data
{
    QList<CompiledProvider> providers;
    QStringList warnings;   // of every file loaded, each naming the file

    const CompiledProvider *provider(QStringView id) const
    {
        for (const CompiledProvider &p : providers) {
            if (p.info.id == id)
                return &p;
        }
        return nullptr;
    }

    const CompiledEvent *event(QStringView providerId, QStringView name) const
    {
        const CompiledProvider *p = provider(providerId);
        if (!p)
            return nullptr;
        const auto it = p->eventIndex.constFind(name.toString());
        return it == p->eventIndex.constEnd() ? nullptr : &p->events[it.value()];
    }

    const CompiledAction *action(QStringView providerId, QStringView eventName, QStringView name) const
    {
        const CompiledEvent *e = event(providerId, eventName);
        if (!e)
            return nullptr;
        const auto it = e->actionIndex.constFind(name.toString());
        return it == e->actionIndex.constEnd() ? nullptr : &e->actions[it.value()];
    }
};

Catalog::Catalog()
    : d(std::make_shared<const Data>())
{
}

namespace {
// Set while builtin() loads its files, on the thread that does.
thread_local bool builtinLoading = false;
} // namespace

Catalog Catalog::builtin()
{
    // Thread-safe initialisation; every later call shares the loaded data.
    static const Catalog loaded = [] {
        Catalog catalog;
        // The built-in files are checked whole by the tests; here each action is compiled on first use.
        builtinLoading = true;
        const QDir dir(QStringLiteral(":/catalog"));
        const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
        if (files.isEmpty())
            qCritical("hookscope: no built-in event catalog found under :/catalog");
        for (const QString &file : files) {
            QString error;
            if (!loadFile(dir.filePath(file), &catalog, &error))
                qCritical("hookscope: built-in catalog: %s", qUtf8Printable(error));
        }
        builtinLoading = false;
        return catalog;
    }();
    return loaded;
}

bool Catalog::loadFile(const QString &path, Catalog *into, QString *error, QStringList *warnings)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = path + u": cannot read: " + file.errorString();
        return false;
    }
    return loadData(file.readAll(), path, into, error, warnings);
}

bool Catalog::loadData(QByteArrayView json, const QString &origin, Catalog *into, QString *error, QStringList *warnings)
{
    QString parseError;
    // A built-in catalog keeps its templates (most of GitHub's 5 MB) as text until an
    // action is first used: the five places a template can be, as JSON pointers.
    QHash<QString, QByteArray> templates;
    OrderedJson::RawMembers raw;
    raw.maxDepth = 5;
    raw.texts = &templates;
    raw.wanted = [](QStringView pointer) {
        if (!pointer.endsWith(u"/template") && !pointer.endsWith(u"/templates"))
            return false;
        const qsizetype segments = pointer.count(u'/');
        return pointer.startsWith(u"/events/")
            && (segments == 3 || (segments == 5 && pointer.toString().section(u'/', 3, 3) == u"actions"));
    };
    const std::optional<OrderedJson> root = OrderedJson::parse(json, &parseError, builtinLoading ? &raw : nullptr);
    if (!root) {
        if (error)
            *error = origin + u": not valid JSON: " + parseError;
        return false;
    }
    ProviderReader reader;
    reader.lazy = builtinLoading;
    reader.rawTemplates = builtinLoading ? &templates : nullptr;
    CompiledProvider provider;
    if (!reader.read(*root, &provider)) {
        if (error)
            *error = origin + u": " + reader.error();
        return false;
    }
    QStringList found;
    for (const QString &warning : reader.warnings())
        found.append(origin + u": " + warning);
    if (warnings)
        *warnings += found;
    auto data = std::make_shared<Data>(*into->d);
    const auto same = std::find_if(data->providers.begin(), data->providers.end(),
                                   [&](const CompiledProvider &p) { return p.info.id == provider.info.id; });
    if (same != data->providers.end())
        *same = provider;
    else
        data->providers.append(provider);
    data->warnings += found;
    into->d = std::move(data);
    return true;
}

QStringList Catalog::warnings() const
{
    return d->warnings;
}

bool Catalog::isEmpty() const
{
    return d->providers.isEmpty();
}

QStringList Catalog::providers() const
{
    QStringList ids;
    for (const CompiledProvider &p : d->providers)
        ids.append(p.info.id);
    return ids;
}

std::optional<Provider> Catalog::provider(QStringView id) const
{
    const CompiledProvider *p = d->provider(id);
    return p ? std::optional<Provider>(p->info) : std::nullopt;
}

QList<Event> Catalog::events(QStringView provider) const
{
    const CompiledProvider *p = d->provider(provider);
    return p ? p->info.events : QList<Event>();
}

std::optional<Event> Catalog::event(QStringView provider, QStringView event) const
{
    const CompiledEvent *e = d->event(provider, event);
    return e ? std::optional<Event>(e->info) : std::nullopt;
}

std::optional<QString> Catalog::resolveAction(QStringView provider, QStringView event, QStringView action) const
{
    const CompiledAction *a = d->action(provider, event, action);
    return a ? std::optional<QString>(a->info.name) : std::nullopt;
}

std::optional<Alias> Catalog::alias(QStringView provider, QStringView event, QStringView spelling) const
{
    const CompiledAction *a = d->action(provider, event, spelling);
    if (!a)
        return std::nullopt;
    for (const Alias &alias : a->info.aliases) {
        if (alias.name == spelling)
            return alias;
    }
    return std::nullopt;
}

// The schema of an action as shown: one that only names a shared schema
// ({"$ref": "#/definitions/push$event"}) is shown as that one. Null when unknown.
static const OrderedJson *shownSchema(const CompiledProvider *provider, const CompiledAction *action)
{
    if (!provider || !action)
        return nullptr;
    const OrderedJson &source = action->schemaSource;
    const QLatin1String prefix("#/definitions/");
    if (source.isObject() && source.size() == 1 && source.keys().front() == u"$ref" && source.at(0).isString()
        && source.at(0).toString().startsWith(prefix)) {
        const QString name = source.at(0).toString().sliced(prefix.size()).replace(QLatin1String("~1"), QLatin1String("/"))
                                 .replace(QLatin1String("~0"), QLatin1String("~"));
        if (const OrderedJson *shared = provider->definitions->member(name))
            return shared;
    }
    return &source;
}

QByteArray Catalog::schemaJson(QStringView provider, QStringView event, QStringView action) const
{
    const OrderedJson *schema = shownSchema(d->provider(provider), d->action(provider, event, action));
    return schema ? schema->toJson(2) : QByteArray();
}

QList<SchemaRow> Catalog::schemaOutline(QStringView provider, QStringView event, QStringView action, QByteArrayView example) const
{
    const CompiledProvider *p = d->provider(provider);
    const OrderedJson *schema = shownSchema(p, d->action(provider, event, action));
    if (!schema)
        return {};
    QString error;
    const std::optional<OrderedJson> body = example.isEmpty() ? std::nullopt : OrderedJson::parse(example, &error);
    return catalog::schemaOutline(*schema, p->definitions.get(), body ? &*body : nullptr);
}

// The provider's headers for a body, with a fresh delivery id, message id and timestamp.
static bool fillHeaders(const CompiledProvider &provider, QByteArrayView body, const QByteArray &secret,
                        TemplateFiller *filler, http::HeaderList *out, QString *error)
{
    const QByteArray messageId = standardwebhooks::newMessageId();
    const QByteArray timestamp = QByteArray::number(QDateTime::currentSecsSinceEpoch());
    QByteArray standardSignature;
    const bool signsStandard = std::any_of(provider.headers.cbegin(), provider.headers.cend(), [](const HeaderTemplate &h) {
        return h.value.contains(QLatin1String("{{standard-signature}}"));
    });
    if (signsStandard && !secret.isEmpty()) {
        const std::optional<QByteArray> key = standardwebhooks::keyOf(secret);
        if (!key) {
            if (error)
                *error = u"secret: " + standardwebhooks::secretProblem(secret);
            return false;
        }
        standardSignature = standardwebhooks::signature(*key, messageId, timestamp, body);
    }
    filler->setValue(QStringLiteral("secret"), QString::fromUtf8(secret));
    filler->setValue(QStringLiteral("signature"), QString::fromLatin1(signatureFor(body, secret)));
    filler->setValue(QStringLiteral("signature-sha1"), QString::fromLatin1(sha1SignatureFor(body, secret)));
    filler->setValue(QStringLiteral("message-id"), QString::fromLatin1(messageId));
    filler->setValue(QStringLiteral("timestamp"), QString::fromLatin1(timestamp));
    filler->setValue(QStringLiteral("standard-signature"), QString::fromLatin1(standardSignature));
    for (const HeaderTemplate &header : provider.headers) {
        if (!header.whenSecret || !secret.isEmpty())
            out->append({header.name, filler->fillText(header.value).toUtf8()});
    }
    return true;
}

std::optional<Composed> Catalog::compose(const QString &provider, const QString &event, const QString &action,
                                         const QByteArray &secret, QString *error) const
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const CompiledProvider *p = d->provider(provider);
    if (!p)
        return fail(u"unknown provider " + quoted(provider) + u" (known: " + knownList(providers()) + u')');
    const CompiledEvent *e = d->event(provider, event);
    if (event == u"*")
        return fail(u"event \"*\" of " + p->info.name + u" stands for any event not listed: name the event to send");
    if (!e && !event.isEmpty())
        e = d->event(provider, u"*");
    if (!e) {
        QStringList names;
        for (const Event &known : p->info.events)
            names.append(known.name);
        return fail(u"unknown event " + quoted(event) + u" of " + p->info.name + u" (known: " + knownList(names) + u')');
    }
    QStringList actionNames;
    for (const Action &known : e->info.actions)
        actionNames.append(known.name);
    if (!e->info.hasActions() && !action.isEmpty())
        return fail(u"event " + quoted(event) + u" of " + p->info.name + u" has no actions, got " + quoted(action));
    if (e->info.hasActions() && action.isEmpty())
        return fail(u"event " + quoted(event) + u" needs an action: " + knownList(actionNames));
    const auto index = e->actionIndex.constFind(action);
    if (index == e->actionIndex.constEnd())
        return fail(u"unknown action " + quoted(action) + u" of event " + quoted(event) + u" (known: " + knownList(actionNames) + u')');
    const CompiledAction &compiled = e->actions[index.value()];

    TemplateFiller filler;
    filler.setValue(QStringLiteral("event"), event);
    filler.setValue(QStringLiteral("action"), action);
    Composed composed;
    composed.body = filler.fill(checked(compiled).bodyTemplate).toJson(2);
    QString headerError;
    if (!fillHeaders(*p, composed.body, secret, &filler, &composed.headers, &headerError))
        return fail(headerError);
    return composed;
}

std::optional<http::HeaderList> Catalog::headersFor(const QString &provider, const QString &event, QByteArrayView body,
                                                    const QByteArray &secret, QString *error) const
{
    const CompiledProvider *p = d->provider(provider);
    if (!p) {
        if (error)
            *error = u"unknown provider " + quoted(provider) + u" (known: " + knownList(providers()) + u')';
        return std::nullopt;
    }
    TemplateFiller filler;
    filler.setValue(QStringLiteral("event"), event);
    http::HeaderList headers;
    if (!fillHeaders(*p, body, secret, &filler, &headers, error))
        return std::nullopt;
    return headers;
}

Verdict secretVerdict(const http::HeaderList &headers, const QByteArray &secret)
{
    if (secret.isEmpty())
        return Verdict::NotConfigured;
    const QByteArray received = http::valueOf(headers, SecretHeader);
    if (received.isNull())
        return Verdict::Missing;
    return constantTimeEquals(received, secret) ? Verdict::Valid : Verdict::Invalid;
}

// One signature header against the body; Missing when the header is absent.
static Verdict oneSignatureVerdict(const http::HeaderList &headers, const QByteArray &name, const QByteArray &expected)
{
    const QByteArray received = http::valueOf(headers, name);
    if (received.isNull())
        return Verdict::Missing;
    // Hex digits may come in either case; the comparison itself stays constant-time.
    return constantTimeEquals(received.trimmed().toLower(), expected) ? Verdict::Valid : Verdict::Invalid;
}

// Both GitHub signatures: valid only when every one present is; a request with
// only one of them is judged by that one.
Verdict signatureVerdict(const http::HeaderList &headers, QByteArrayView body, const QByteArray &secret, qint64 receivedUs)
{
    if (secret.isEmpty())
        return Verdict::NotConfigured;
    if (standardwebhooks::isUsedBy(headers))
        return standardwebhooks::verdict(headers, body, secret, orNow(receivedUs) / 1000000);
    const Verdict sha256 = oneSignatureVerdict(headers, SignatureHeader, signatureFor(body, secret));
    const Verdict sha1 = oneSignatureVerdict(headers, Sha1SignatureHeader, sha1SignatureFor(body, secret));
    if (sha256 == Verdict::Invalid || sha1 == Verdict::Invalid)
        return Verdict::Invalid;
    if (sha256 == Verdict::Valid || sha1 == Verdict::Valid)
        return Verdict::Valid;
    return Verdict::Missing;
}

// A problem when both signatures are present and only one of them is right: the
// sender signed different bytes, or with different keys.
static std::optional<QString> signatureMismatch(const http::HeaderList &headers, QByteArrayView body, const QByteArray &secret)
{
    if (secret.isEmpty())
        return std::nullopt;
    const Verdict sha256 = oneSignatureVerdict(headers, SignatureHeader, signatureFor(body, secret));
    const Verdict sha1 = oneSignatureVerdict(headers, Sha1SignatureHeader, sha1SignatureFor(body, secret));
    if (sha256 == Verdict::Missing || sha1 == Verdict::Missing || sha256 == sha1)
        return std::nullopt;
    return sha256 == Verdict::Valid ? QStringLiteral("X-Hub-Signature does not match the body while X-Hub-Signature-256 does")
                                    : QStringLiteral("X-Hub-Signature-256 does not match the body while X-Hub-Signature does");
}

Inspection Catalog::inspect(const http::HeaderList &headers, QByteArrayView body, const QByteArray &secret,
                            qint64 receivedUs) const
{
    return inspect(headers, body, body, secret, receivedUs);
}

Inspection Catalog::inspect(const http::HeaderList &headers, QByteArrayView receivedBody, QByteArrayView meantBody,
                            const QByteArray &secret, qint64 receivedUs) const
{
    Inspection result;
    result.secret = secretVerdict(headers, secret);
    result.signature = signatureVerdict(headers, receivedBody, secret, receivedUs);
    recognise(headers, meantBody, &result, receivedUs);
    if (const std::optional<QString> mismatch = signatureMismatch(headers, receivedBody, secret))
        result.problems.append(*mismatch);
    return result;
}

// The action and the event's schema against a body that is a JSON object, read
// by QJsonDocument (a QJsonValue) or by FlatJson (a FlatJson::Value).
template<typename Value> void checkBody(const CompiledEvent &event, const Value &body, Inspection &result)
{
    const auto object = body.toObject();
    const CompiledAction *action = &event.actions.front();
    if (event.info.hasActions()) {
        const auto actionValue = object.value(QLatin1String("action"));
        if (actionValue.isUndefined()) {
            result.problems.append(QStringLiteral("/action: missing"));
            return;
        }
        if (!actionValue.isString()) {
            result.problems.append(u"/action: expected a string, got " + describeJsonValue(actionValue));
            return;
        }
        const QString actionName = actionValue.toString();
        const auto actionIt = event.actionIndex.constFind(actionName);
        if (actionIt == event.actionIndex.constEnd()) {
            result.problems.append(u"action " + quoted(actionName) + u" is not an action of event " + quoted(result.event));
            return;
        }
        action = &event.actions[actionIt.value()];
        result.action = action->info.name;
        if (actionName != action->info.name)
            result.sentAction = actionName;
    }
    for (const Schema &schema : checked(*action).schemas) {
        QStringList problems;
        schema.validate(body, &problems);
        for (const QString &problem : std::as_const(problems)) {
            if (!result.problems.contains(problem))
                result.problems.append(problem);
        }
    }
}

void Catalog::recognise(const http::HeaderList &headers, QByteArrayView body, Inspection *inspection,
                        qint64 receivedUs) const
{
    inspection->provider.clear();
    inspection->event.clear();
    inspection->action.clear();
    inspection->sentAction.clear();
    inspection->problems.clear();
    Inspection &result = *inspection;
    if (const std::optional<QString> problem = standardwebhooks::timestampProblem(headers, orNow(receivedUs) / 1000000))
        result.problems.append(*problem);

    // The last provider loaded that the hook carries the mark of: a user's catalog
    // comes after the built-in ones, so a specific provider wins over a general one.
    const CompiledProvider *provider = nullptr;
    for (auto p = d->providers.crbegin(); p != d->providers.crend(); ++p) {
        if (http::contains(headers, p->info.recognisedBy)) {
            provider = &*p;
            break;
        }
    }
    if (!provider) {
        QStringList names;
        for (const CompiledProvider &p : d->providers)
            names.append(QString::fromLatin1(p.info.recognisedBy));
        result.problems.append(u"no event header (" + names.join(QLatin1String(" or ")) + u')');
        return;
    }
    result.provider = provider->info.id;
    result.markUnusedCredentials();
    if (!provider->info.eventHeader.isEmpty()) {
        result.event = QString::fromUtf8(http::valueOf(headers, provider->info.eventHeader).trimmed());
        if (result.event.isEmpty()) {
            result.problems.append(QString::fromLatin1(provider->info.eventHeader) + u" is empty");
            return;
        }
    }

    // Read once, without copying the body: a well-formed text (nearly every hook)
    // by FlatJson, which allocates next to nothing; anything else by QJsonDocument,
    // which also says what is wrong with it.
    FlatJson flat;
    QJsonParseError parseError;
    QJsonDocument document;
    if (body.trimmed().isEmpty()) {
        result.problems.append(QStringLiteral("body is empty, expected JSON"));
    } else if (flat.parse(body)) {
        if (!flat.root().isObject())
            result.problems.append(u"body: expected an object, got " + describeJsonValue(flat.root()));
    } else {
        document = QJsonDocument::fromJson(QByteArray::fromRawData(body.data(), body.size()), &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            const QString why = jsonSyntaxError(body);
            result.problems.append(u"body is not JSON: "
                                   + (why.isEmpty() ? parseError.errorString() + u" at offset " + QString::number(parseError.offset) : why));
        } else if (!document.isObject()) {
            result.problems.append(u"body: expected an object, got "
                                   + describeJsonValue(document.isArray() ? QJsonValue(document.array()) : QJsonValue()));
        }
    }

    if (!provider->info.eventMember.isEmpty()) {
        // The event is named in the body: no event without an object to read it from.
        const QString member = provider->info.eventMember;
        const QString where = u'/' + jsonPointerSegment(member);
        auto readEvent = [&](const auto &value) {
            if (value.isUndefined())
                result.problems.append(where + u": missing, expected the event's name");
            else if (!value.isString() || value.toString().isEmpty())
                result.problems.append(where + u": expected the event's name, got " + describeJsonValue(value));
            else
                result.event = value.toString();
        };
        if (flat.root().isObject())
            readEvent(flat.root().toObject().value(member));
        else if (document.isObject())
            readEvent(QJsonValue(document.object().value(member)));
        if (result.event.isEmpty())
            return;
    }

    auto eventIt = provider->eventIndex.constFind(result.event);
    if (eventIt == provider->eventIndex.constEnd())
        eventIt = provider->eventIndex.constFind(QStringLiteral("*"));
    if (eventIt == provider->eventIndex.constEnd()) {
        result.problems.append(u"event " + quoted(result.event) + u" is not an event of " + provider->info.name);
        return;
    }
    const CompiledEvent &event = provider->events[eventIt.value()];
    // At most one of them read the body.
    if (flat.root().isObject())
        checkBody(event, flat.root(), result);
    else if (document.isObject())
        checkBody(event, QJsonValue(document.object()), result);
}

} // namespace catalog
