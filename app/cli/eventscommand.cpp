#include "clicommon.h"
#include "commands.h"

#include "catalog/catalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace cli {

namespace {

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonObject providerToJson(const catalog::Provider &provider)
{
    QJsonArray revisions;
    for (const catalog::Revision &revision : provider.revisions)
        revisions.append(QJsonObject{{QStringLiteral("id"), revision.id}, {QStringLiteral("description"), revision.description}});
    QJsonArray events;
    for (const catalog::Event &event : provider.events) {
        QJsonArray actions;
        for (const catalog::Action &action : event.actions) {
            QJsonArray aliases;
            for (const catalog::Alias &alias : action.aliases)
                aliases.append(QJsonObject{{QStringLiteral("name"), alias.name}, {QStringLiteral("revision"), textOrNull(alias.revision)}});
            actions.append(QJsonObject{
                {QStringLiteral("name"), action.name},
                {QStringLiteral("description"), action.description},
                {QStringLiteral("revision"), textOrNull(action.revision)},
                {QStringLiteral("aliases"), aliases},
            });
        }
        events.append(QJsonObject{
            {QStringLiteral("name"), event.name},
            {QStringLiteral("description"), event.description},
            {QStringLiteral("actions"), actions},
        });
    }
    return QJsonObject{
        {QStringLiteral("id"), provider.id},
        {QStringLiteral("name"), provider.name},
        {QStringLiteral("description"), provider.description},
        {QStringLiteral("event_header"), textOrNull(QString::fromLatin1(provider.eventHeader))},
        {QStringLiteral("event_member"), textOrNull(provider.eventMember)},
        {QStringLiteral("recognised_by"), QString::fromLatin1(provider.recognisedBy)},
        {QStringLiteral("revisions"), revisions},
        {QStringLiteral("events"), events},
    };
}

QString providerToText(const catalog::Provider &provider, const QString &origin)
{
    constexpr int NameWidth = 24;
    const QString from = origin == u"built-in" ? origin : u"from " + origin;
    const QString eventIn = provider.eventMember.isEmpty()
        ? QString::fromLatin1(provider.eventHeader)
        : QStringLiteral("the body's \"%1\" (a hook with %2)").arg(provider.eventMember, QString::fromLatin1(provider.recognisedBy));
    QString text = QStringLiteral("%1 (%2) - event in %3 - %4\n").arg(provider.id, provider.name, eventIn, from);
    for (const catalog::Event &event : provider.events) {
        const QString name = event.name == u"*" ? QStringLiteral("* (any other)") : event.name;
        text += QStringLiteral("  %1 %2\n").arg(name, -NameWidth).arg(event.description);
        for (const catalog::Action &action : event.actions) {
            QString description = action.description;
            if (!action.revision.isEmpty())
                description += QStringLiteral(" [%1]").arg(action.revision);
            text += QStringLiteral("    %1 %2\n").arg(action.name, -(NameWidth - 2)).arg(description);
            for (const catalog::Alias &alias : action.aliases) {
                const QString revision = alias.revision.isEmpty() ? QString() : QStringLiteral(" [%1]").arg(alias.revision);
                text += QStringLiteral("    %1 alias of %2%3\n").arg(alias.name, -(NameWidth - 2)).arg(action.name, revision);
            }
        }
    }
    return text;
}

} // namespace

int eventsCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List the events and actions 'hookscope send' can compose, per provider."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print the catalog as one JSON document.")});
    parser.addOption(catalogOption());
    int exitCode = Success;
    if (!parse(parser, args, QStringLiteral("events"), &exitCode))
        return exitCode;
    if (!parser.positionalArguments().isEmpty()) {
        err(QStringLiteral("events: unexpected argument '%1'").arg(parser.positionalArguments().constFirst()));
        return UsageError;
    }
    catalog::LoadedCatalog loaded;
    if (!loadCatalogs(parser, &loaded))
        return UsageError;
    const catalog::Catalog &catalog = loaded.catalog;
    QList<catalog::Provider> providers;
    for (const QString &id : catalog.providers()) {
        if (std::optional<catalog::Provider> provider = catalog.provider(id))
            providers.append(*provider);
    }

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const catalog::Provider &provider : std::as_const(providers)) {
            QJsonObject object = providerToJson(provider);
            object.insert(QStringLiteral("origin"), loaded.origins.value(provider.id));
            array.append(object);
        }
        out(QByteArrayView(QJsonDocument(QJsonObject{{QStringLiteral("providers"), array}}).toJson(QJsonDocument::Indented)));
        return Success;
    }
    QStringList blocks;
    for (const catalog::Provider &provider : std::as_const(providers))
        blocks.append(providerToText(provider, loaded.origins.value(provider.id)));
    out(blocks.join(u'\n'));
    return Success;
}

} // namespace cli
