#pragma once

#include <Qt>

namespace HookColumns {

enum Column : int {
    Id,
    Time,
    Method,
    Path,
    Event,
    Action,
    Verdict,
    Size,
    Status,
    Rule,
    Forward,
    Count
};

enum Role : int {
    RawRole = Qt::UserRole + 1,   // the raw value to sort on: numbers as numbers, times as µs
    IdRole,                       // the hook id of the row, whatever the column
    ProblemsRole,                 // number of catalog problems of the hook
    VerdictRole,                  // catalog::Verdict as int
    RefusedRole,                  // bool: the listener refused the request (it is kept as far as it was read)
};

} // namespace HookColumns
