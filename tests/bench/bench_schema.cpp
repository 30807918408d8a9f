// What checking a hook against the catalog costs, per hook, on the two roads to valijson:
//   flat:  Catalog::recognise: the body read by FlatJson, validated through hookscope's FlatJson adapter
//   qt:    QJsonDocument::fromJson, then validated through valijson's own Qt adapter (the reference)
// for a small Codewars hook, a GitHub push and a Standard Webhooks event.
//
//   bench_schema [hooks]   (default 20,000)

#include "catalog/catalog.h"

#define VALIJSON_USE_EXCEPTIONS 1
#include <valijson/adapters/qtjson_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <memory>
#include <vector>

namespace {

struct Sample
{
    const char *name;
    QString provider;
    QString event;
    QString action;
    QStringList schemaPointers;   // in the provider's catalog file
};

// Without "format", as the catalog gives its schemas to valijson (its date-time check builds a regex per value).
QJsonValue withoutFormats(const QJsonValue &value)
{
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue &item : value.toArray())
            out.append(withoutFormats(item));
        return out;
    }
    if (!value.isObject())
        return value;
    QJsonObject out;
    const QJsonObject object = value.toObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (it.key() != u"format")
            out.insert(it.key(), withoutFormats(it.value()));
    }
    return out;
}

std::vector<std::unique_ptr<valijson::Schema>> parseSchemas(const QJsonObject &file, const QStringList &pointers)
{
    std::vector<std::unique_ptr<valijson::Schema>> schemas;
    for (const QString &pointer : pointers) {
        QJsonObject wrapper = withoutFormats(file).toObject();
        wrapper.insert(QStringLiteral("$ref"), QString(u'#' + pointer));
        auto schema = std::make_unique<valijson::Schema>();
        valijson::SchemaParser(valijson::SchemaParser::kDraft7).populateSchema(valijson::adapters::QtJsonAdapter(wrapper), *schema);
        schemas.push_back(std::move(schema));
    }
    return schemas;
}

double perHookUs(qint64 ns, int hooks)
{
    return double(ns) / 1000.0 / hooks;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int hooks = argc > 1 ? QByteArray(argv[1]).toInt() : 20000;
    const catalog::Catalog catalog = catalog::Catalog::builtin();

    const Sample samples[] = {
        {"codewars user/rank_upgraded", QStringLiteral("codewars"), QStringLiteral("user"), QStringLiteral("rank_upgraded"),
         {QStringLiteral("/events/user/schema"), QStringLiteral("/events/user/actions/rank_upgraded/schema")}},
        {"github push", QStringLiteral("github"), QStringLiteral("push"), QString(), {QStringLiteral("/events/push/schema")}},
        {"standard-webhooks contact.created", QStringLiteral("standard-webhooks"), QStringLiteral("contact.created"), QString(),
         {QStringLiteral("/events/contact.created/schema")}},
    };
    std::printf("%-36s %12s %12s %8s\n", "hook", "flat us/hook", "qt us/hook", "qt/flat");
    for (const Sample &sample : samples) {
        QString error;
        const std::optional<catalog::Composed> composed = catalog.compose(sample.provider, sample.event, sample.action, {}, &error);
        if (!composed) {
            std::fprintf(stderr, "bench_schema: %s\n", qPrintable(error));
            return 1;
        }
        QFile file(u":/catalog/" + sample.provider + u".json");
        if (!file.open(QIODevice::ReadOnly))
            return 1;
        const QJsonObject catalogFile = QJsonDocument::fromJson(file.readAll()).object();
        const auto schemas = parseSchemas(catalogFile, sample.schemaPointers);

        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < hooks; ++i) {
            catalog::Inspection inspection;
            catalog.recognise(composed->headers, composed->body, &inspection);
            if (!inspection.problems.isEmpty()) {
                std::fprintf(stderr, "bench_schema: unexpected problem: %s\n", qPrintable(inspection.problems.front()));
                return 1;
            }
        }
        const qint64 flat = timer.nsecsElapsed();

        valijson::Validator validator;
        timer.restart();
        for (int i = 0; i < hooks; ++i) {
            const QJsonDocument document = QJsonDocument::fromJson(composed->body);
            const valijson::adapters::QtJsonAdapter target(document.object());
            for (const auto &schema : schemas) {
                if (!validator.validate(*schema, target, nullptr)) {
                    std::fprintf(stderr, "bench_schema: the Qt road refuses the %s hook\n", sample.name);
                    return 1;
                }
            }
        }
        const qint64 qt = timer.nsecsElapsed();
        std::printf("%-36s %12.2f %12.2f %8.2f\n", sample.name, perHookUs(flat, hooks), perHookUs(qt, hooks),
                    double(qt) / double(flat));
    }
    return 0;
}
