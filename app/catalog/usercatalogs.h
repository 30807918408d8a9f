#pragma once

#include "catalog/catalog.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace catalog {

// The built-in catalog with the user's own beside it.
struct LoadedCatalog
{
    Catalog catalog;
    QHash<QString, QString> origins;   // provider id -> "built-in" or the file it came from
    QStringList problems;              // one line per file of the folder refused, naming it, the place and the reason
    QStringList refusedFiles;          // the same for the files given explicitly: an error for whoever named them
    QStringList warnings;              // what loading reported without refusing
};

// The folder the user's catalogs are read from: "catalogs" in the application's data
// folder (~/.local/share/hookscope/catalogs, following $XDG_DATA_HOME).
QString userCatalogFolder();

// The built-in catalog, then every *.json of userCatalogFolder() in name order, then the
// files given (--catalog). A file that cannot be read or is not a catalog is left out and
// reported (in problems, or refusedFiles for one given); the others load. A provider of a
// later file replaces one of the same id.
LoadedCatalog loadCatalogs(const QStringList &files = {});

} // namespace catalog
