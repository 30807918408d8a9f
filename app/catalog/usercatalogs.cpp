#include "usercatalogs.h"

#include <QDir>
#include <QStandardPaths>

namespace catalog {

QString userCatalogFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/catalogs");
}

LoadedCatalog loadCatalogs(const QStringList &files)
{
    LoadedCatalog loaded;
    loaded.catalog = Catalog::builtin();
    for (const QString &id : loaded.catalog.providers())
        loaded.origins.insert(id, QStringLiteral("built-in"));

    QStringList paths;
    const QDir folder(userCatalogFolder());
    for (const QString &name : folder.entryList({QStringLiteral("*.json")}, QDir::Files | QDir::Readable, QDir::Name))
        paths.append(folder.filePath(name));
    paths += files;

    for (const QString &path : std::as_const(paths)) {
        const QStringList before = loaded.catalog.providers();
        QString error;
        if (!Catalog::loadFile(path, &loaded.catalog, &error, &loaded.warnings)) {
            loaded.problems.append(error);
            continue;
        }
        // The provider the file described: the new id, or the one it replaced.
        for (const QString &id : loaded.catalog.providers()) {
            if (!before.contains(id))
                loaded.origins.insert(id, path);
        }
        if (loaded.catalog.providers() == before) {
            QString replaced;
            Catalog single;
            if (Catalog::loadFile(path, &single, nullptr) && !single.providers().isEmpty())
                replaced = single.providers().constFirst();
            loaded.origins.insert(replaced, path);
        }
    }
    return loaded;
}

} // namespace catalog
