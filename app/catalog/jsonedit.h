#pragma once

#include <QByteArray>
#include <QString>

namespace catalog {

// Applies one `--set PATH=VALUE` edit to a JSON body, keeping member order.
// PATH is dot-separated member names; array elements by index ("commits.0.id" or
// "commits[0].id"). Missing objects along the path are created; a new member goes last.
// VALUE is taken as JSON when it parses as JSON (3, true, null, "text", {...}),
// otherwise as a string (language=python). The body is re-written indented.
// On failure the body is unchanged and *error names the path and the problem.
bool applySet(QByteArray *jsonBody, const QString &assignment, QString *error);

} // namespace catalog
