#include "schemaoutline.h"

#include "orderedjson.h"

#include <QSet>

namespace catalog {

namespace {

constexpr int MaxDepth = 16;
constexpr qsizetype MaxRows = 5000;
constexpr qsizetype MaxValuesShown = 8;

QString valueText(const OrderedJson &value)
{
    switch (value.type()) {
    case OrderedJson::Type::String: return value.toString();
    case OrderedJson::Type::Array: return value.size() == 1 ? QStringLiteral("[1 item]") : QStringLiteral("[%1 items]").arg(value.size());
    case OrderedJson::Type::Object: return QString();
    default: return QString::fromUtf8(value.toJson(0));
    }
}

QString jsonTypeOf(const OrderedJson &value)
{
    switch (value.type()) {
    case OrderedJson::Type::Null: return QStringLiteral("null");
    case OrderedJson::Type::Bool: return QStringLiteral("boolean");
    case OrderedJson::Type::Number: return value.numberText().contains('.') ? QStringLiteral("number") : QStringLiteral("integer");
    case OrderedJson::Type::String: return QStringLiteral("string");
    case OrderedJson::Type::Array: return QStringLiteral("array");
    case OrderedJson::Type::Object: return QStringLiteral("object");
    }
    return {};
}

// "1 item", "2 items": n is a number as the schema wrote it.
QString counted(const QString &n, const QString &one, const QString &many)
{
    return n + u' ' + (n == u"1" ? one : many);
}

void appendOnce(QStringList *list, const QString &text)
{
    if (!text.isEmpty() && !list->contains(text))
        list->append(text);
}

class Outliner
{
public:
    Outliner(const OrderedJson &root, const OrderedJson *definitions) : m_root(root), m_definitions(definitions) {}

    QList<SchemaRow> rows;

    void members(const OrderedJson &schema, const QString &path, int depth, const OrderedJson *example)
    {
        if (depth > MaxDepth)
            return;
        const OrderedJson *node = enter(schema);
        if (!node)
            return;
        QSet<QString> required;
        for (const OrderedJson *part : parts(*node, true)) {
            if (const OrderedJson *names = part->member(u"required"); names && names->isArray()) {
                for (qsizetype i = 0; i < names->size(); ++i)
                    required.insert(names->at(i).toString());
            }
        }
        QStringList seen;
        for (const OrderedJson *part : parts(*node, false)) {
            const OrderedJson *properties = part->member(u"properties");
            if (!properties || !properties->isObject())
                continue;
            for (qsizetype i = 0; i < properties->size() && rows.size() < MaxRows; ++i) {
                const QString &name = properties->keys().at(i);
                if (seen.contains(name))
                    continue;
                seen.append(name);
                const OrderedJson *value = example && example->isObject() ? example->member(name) : nullptr;
                member(properties->at(i), name, path.isEmpty() ? name : path + u'.' + name, depth, required.contains(name), value);
            }
        }
        leave();
    }

private:
    void member(const OrderedJson &schema, const QString &name, const QString &path, int depth, bool required,
                const OrderedJson *example)
    {
        SchemaRow row;
        row.depth = depth;
        row.name = name;
        row.path = path;
        row.required = required;
        row.example = example ? valueText(*example) : QString();
        const QString ref = refOf(schema);
        if (!ref.isEmpty() && m_chain.contains(ref)) {
            row.type = QStringLiteral("object");
            row.rule = u"the same as " + ref + u" above";
            rows.append(row);
            return;
        }
        const OrderedJson *node = enter(schema);
        if (!node) {
            row.type = QStringLiteral("any");
            row.rule = ref.isEmpty() ? QString() : u"refers to " + ref + u", which is not in the schema";
            rows.append(row);
            return;
        }
        row.type = typeOf(*node);
        row.rule = rulesOf(*node);
        rows.append(row);
        if (hasProperties(*node))
            members(schema, path, depth + 1, example);
        if (const OrderedJson *items = itemsOf(*node)) {
            const OrderedJson *first = example && example->isArray() && example->size() > 0 ? &example->at(0) : nullptr;
            member(*items, QStringLiteral("[ ]"), path + u"[]", depth + 1, false, first);
        }
        leave();
    }

    static QString refOf(const OrderedJson &schema)
    {
        const OrderedJson *ref = schema.isObject() ? schema.member(u"$ref") : nullptr;
        return ref && ref->isString() ? ref->toString() : QString();
    }

    // The schema itself, or what its local $ref points at; null when it points nowhere.
    const OrderedJson *resolve(const OrderedJson &schema) const
    {
        const QString ref = refOf(schema);
        if (ref.isEmpty())
            return schema.isObject() ? &schema : nullptr;
        if (!ref.startsWith(u"#"))
            return nullptr;
        const OrderedJson *node = &m_root;
        QStringList steps = ref.mid(1).split(u'/', Qt::SkipEmptyParts);
        if (m_definitions && steps.size() > 1 && steps.constFirst() == u"definitions" && !m_root.member(u"definitions")) {
            node = m_definitions;
            steps.removeFirst();
        }
        for (QString step : steps) {
            step.replace(QStringLiteral("~1"), QStringLiteral("/")).replace(QStringLiteral("~0"), QStringLiteral("~"));
            if (node->isObject()) {
                node = node->member(step);
            } else if (node->isArray()) {
                bool ok = false;
                const int index = step.toInt(&ok);
                node = ok && index >= 0 && index < node->size() ? &node->at(index) : nullptr;
            } else {
                node = nullptr;
            }
            if (!node)
                return nullptr;
        }
        return node->isObject() ? node : nullptr;
    }

    // Resolves and remembers the reference being expanded (for cycles); leave() after a non-null answer.
    const OrderedJson *enter(const OrderedJson &schema)
    {
        const OrderedJson *node = resolve(schema);
        if (node)
            m_chain.append(refOf(schema));
        return node;
    }

    void leave() { m_chain.removeLast(); }

    // The node and its alternatives (anyOf, oneOf; allOf always), each resolved.
    QList<const OrderedJson *> parts(const OrderedJson &node, bool allOfOnly) const
    {
        QList<const OrderedJson *> result{&node};
        const QList<QStringView> keys = allOfOnly ? QList<QStringView>{u"allOf"} : QList<QStringView>{u"allOf", u"anyOf", u"oneOf"};
        for (QStringView key : keys) {
            if (const OrderedJson *list = node.member(key); list && list->isArray()) {
                for (qsizetype i = 0; i < list->size(); ++i) {
                    if (!refOf(list->at(i)).isEmpty() && m_chain.contains(refOf(list->at(i))))
                        continue;
                    if (const OrderedJson *part = resolve(list->at(i)))
                        result.append(part);
                }
            }
        }
        return result;
    }

    bool hasProperties(const OrderedJson &node) const
    {
        for (const OrderedJson *part : parts(node, false)) {
            if (const OrderedJson *properties = part->member(u"properties"); properties && properties->isObject() && properties->size() > 0)
                return true;
        }
        return false;
    }

    const OrderedJson *itemsOf(const OrderedJson &node) const
    {
        for (const OrderedJson *part : parts(node, false)) {
            if (const OrderedJson *items = part->member(u"items"); items && items->isObject())
                return items;
        }
        return nullptr;
    }

    QString typeOf(const OrderedJson &node) const
    {
        QStringList types;
        if (const OrderedJson *type = node.member(u"type")) {
            if (type->isString())
                appendOnce(&types, type->toString());
            for (qsizetype i = 0; type->isArray() && i < type->size(); ++i)
                appendOnce(&types, type->at(i).toString());
        } else if (const OrderedJson *constant = node.member(u"const")) {
            appendOnce(&types, jsonTypeOf(*constant));
        } else if (const OrderedJson *values = node.member(u"enum"); values && values->isArray()) {
            for (qsizetype i = 0; i < values->size(); ++i)
                appendOnce(&types, jsonTypeOf(values->at(i)));
        } else {
            const QList<const OrderedJson *> alternatives = parts(node, false);
            for (qsizetype i = 1; i < alternatives.size(); ++i) {
                for (const QString &alternative : typeOf(*alternatives.at(i)).split(QStringLiteral(" or ")))
                    if (alternative != u"any")
                        appendOnce(&types, alternative);
            }
            if (types.isEmpty() && hasProperties(node))
                types.append(QStringLiteral("object"));
            if (types.isEmpty() && itemsOf(node))
                types.append(QStringLiteral("array"));
        }
        if (types.isEmpty())
            return QStringLiteral("any");
        if (types.size() == 1 && types.constFirst() == u"array") {
            if (const OrderedJson *items = itemsOf(node)) {
                if (const OrderedJson *resolved = resolve(*items); resolved && !hasProperties(*resolved))
                    return u"array of " + typeOf(*resolved);
            }
        }
        return types.join(QStringLiteral(" or "));
    }

    QString rulesOf(const OrderedJson &node) const
    {
        QStringList rules;
        const auto number = [&node](QStringView key) {
            const OrderedJson *value = node.member(key);
            return value && value->isNumber() ? QString::fromLatin1(value->numberText()) : QString();
        };
        if (const OrderedJson *values = node.member(u"enum"); values && values->isArray()) {
            QStringList shown;
            for (qsizetype i = 0; i < values->size() && i < MaxValuesShown; ++i)
                shown.append(values->at(i).isString() ? values->at(i).toString() : QString::fromUtf8(values->at(i).toJson(0)));
            if (values->size() > MaxValuesShown)
                shown.append(QStringLiteral("… (%1 in all)").arg(values->size()));
            rules.append(u"one of " + shown.join(QStringLiteral(", ")));
        }
        if (const OrderedJson *constant = node.member(u"const"))
            rules.append(u"always " + QString::fromUtf8(constant->toJson(0)));
        if (const OrderedJson *pattern = node.member(u"pattern"); pattern && pattern->isString())
            rules.append(u"matches " + pattern->toString());
        if (const OrderedJson *format = node.member(u"format"); format && format->isString())
            rules.append(u"format " + format->toString());
        if (const QString min = number(u"minimum"); !min.isEmpty())
            rules.append(u"≥ " + min);
        if (const QString min = number(u"exclusiveMinimum"); !min.isEmpty())
            rules.append(u"> " + min);
        if (const QString max = number(u"maximum"); !max.isEmpty())
            rules.append(u"≤ " + max);
        if (const QString max = number(u"exclusiveMaximum"); !max.isEmpty())
            rules.append(u"< " + max);
        if (const OrderedJson *never = node.member(u"not"); never && never->isObject()) {
            if (const OrderedJson *constant = never->member(u"const"))
                rules.append(u"not " + QString::fromUtf8(constant->toJson(0)));
            else if (const OrderedJson *values = never->member(u"enum"); values && values->isArray())
                rules.append(u"none of " + QString::fromUtf8(values->toJson(0)).mid(1).chopped(1).replace(u',', QStringLiteral(", ")));
        }
        if (const QString step = number(u"multipleOf"); !step.isEmpty())
            rules.append(u"a multiple of " + step);
        const QString minLength = number(u"minLength"), maxLength = number(u"maxLength");
        const auto characters = [](const QString &n) { return counted(n, QStringLiteral("character"), QStringLiteral("characters")); };
        if (!minLength.isEmpty() && minLength == maxLength)
            rules.append(u"exactly " + characters(minLength));
        else if (!minLength.isEmpty() && !maxLength.isEmpty())
            rules.append(minLength + u"–" + maxLength + u" characters");
        else if (!minLength.isEmpty() && minLength != u"0")
            rules.append(u"at least " + characters(minLength));
        else if (!maxLength.isEmpty())
            rules.append(u"at most " + characters(maxLength));
        if (const QString minItems = number(u"minItems"); !minItems.isEmpty() && minItems != u"0")
            rules.append(u"at least " + counted(minItems, QStringLiteral("item"), QStringLiteral("items")));
        if (const QString maxItems = number(u"maxItems"); !maxItems.isEmpty())
            rules.append(u"at most " + counted(maxItems, QStringLiteral("item"), QStringLiteral("items")));
        if (const OrderedJson *unique = node.member(u"uniqueItems"); unique && unique->isBool() && unique->toBool())
            rules.append(QStringLiteral("no repeated items"));
        if (const OrderedJson *others = node.member(u"additionalProperties"); others && others->isBool() && !others->toBool())
            rules.append(QStringLiteral("no other members"));
        // The alternatives' own rules ("integer ≥ 1 or null" reads as "≥ 1").
        const QList<const OrderedJson *> alternatives = parts(node, false);
        for (qsizetype i = 1; i < alternatives.size(); ++i) {
            if (!hasProperties(*alternatives.at(i)))
                appendOnce(&rules, rulesOf(*alternatives.at(i)));
        }
        return rules.join(QStringLiteral("; "));
    }

    const OrderedJson &m_root;
    const OrderedJson *m_definitions;
    // The references being expanded, outermost first (empty entries for plain schemas).
    QStringList m_chain;
};

} // namespace

QList<SchemaRow> schemaOutline(QByteArrayView schemaJson, QByteArrayView exampleJson)
{
    QString error;
    const std::optional<OrderedJson> schema = OrderedJson::parse(schemaJson, &error);
    if (!schema)
        return {};
    const std::optional<OrderedJson> example = exampleJson.isEmpty() ? std::nullopt : OrderedJson::parse(exampleJson, &error);
    return schemaOutline(*schema, nullptr, example ? &*example : nullptr);
}

QList<SchemaRow> schemaOutline(const OrderedJson &schema, const OrderedJson *definitions, const OrderedJson *example)
{
    if (!schema.isObject())
        return {};
    Outliner outliner(schema, definitions);
    outliner.members(schema, QString(), 0, example);
    return outliner.rows;
}

} // namespace catalog
