#include "usercatalogs.h"

#include <QDir>
#include <QStandardPaths>

namespace catalog {

QString userCatalogFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/catalogs");
}

namespace {

// Loads one file into *loaded; the error names the file, the place and the reason.
bool loadInto(const QString &path, LoadedCatalog *loaded, QString *error)
{
    const QStringList before = loaded->catalog.providers();
    if (!Catalog::loadFile(path, &loaded->catalog, error, &loaded->warnings))
        return false;
    // The provider the file described: the new id, or the one it replaced.
    for (const QString &id : loaded->catalog.providers()) {
        if (!before.contains(id))
            loaded->origins.insert(id, path);
    }
    if (loaded->catalog.providers() == before) {
        Catalog single;
        if (Catalog::loadFile(path, &single, nullptr) && !single.providers().isEmpty())
            loaded->origins.insert(single.providers().constFirst(), path);
    }
    return true;
}

} // namespace

LoadedCatalog loadCatalogs(const QStringList &files)
{
    LoadedCatalog loaded;
    loaded.catalog = Catalog::builtin();
    for (const QString &id : loaded.catalog.providers())
        loaded.origins.insert(id, QStringLiteral("built-in"));

    const QDir folder(userCatalogFolder());
    for (const QString &name : folder.entryList({QStringLiteral("*.json")}, QDir::Files | QDir::Readable, QDir::Name)) {
        QString error;
        if (!loadInto(folder.filePath(name), &loaded, &error))
            loaded.problems.append(error);
    }
    for (const QString &path : files) {
        QString error;
        if (!loadInto(path, &loaded, &error))
            loaded.refusedFiles.append(error);
    }
    return loaded;
}

} // namespace catalog
