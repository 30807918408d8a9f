#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# check_completion_catalog.sh COMPLETION_FILE CATALOG_DIR...: the events and actions
# the completion offers are those of the catalog files in the folders (aliases included).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
file=$1
shift
catalog_dirs=("$@")
need python3 python3

# shellcheck source=/dev/null
source "$file"

# One line per provider, event and action: "provider event action" (action empty for none).
from_completion() {
    local provider event action
    local -a actions
    for provider in codewars github standard-webhooks; do
        for event in $(_hookscope_events "$provider"); do
            mapfile -t actions < <(_hookscope_actions "$provider" "$event")
            if ((${#actions[@]} == 0)); then
                printf '%s %s -\n' "$provider" "$event"
            fi
            for action in "${actions[@]}"; do
                printf '%s %s %s\n' "$provider" "$event" "$action"
            done
        done
    done
}

from_catalog() {
    python3 - "${catalog_dirs[@]}" <<'PY'
import json, pathlib, sys
rows = []
for path in sorted(p for folder in sys.argv[1:] for p in pathlib.Path(folder).glob("*.json")
                   if "events" in json.loads(p.read_text(encoding="utf-8"))):
    catalog = json.loads(path.read_text(encoding="utf-8"))
    for event, spec in catalog["events"].items():
        if event == "*":   # any event: nothing to complete
            continue
        actions = spec.get("actions") or {}
        if not actions:
            rows.append(f"{catalog['provider']} {event} -")
        for action, detail in actions.items():
            rows.append(f"{catalog['provider']} {event} {action}")
            for alias in (detail or {}).get("aliases", []):
                rows.append(f"{catalog['provider']} {event} {alias['name']}")
print("\n".join(sorted(rows)))
PY
}

completion=$(from_completion)
catalog=$(LC_ALL=C from_catalog | LC_ALL=C sort)
completion=$(LC_ALL=C sort <<<"$completion")
if [[ $completion != "$catalog" ]]; then
    diff <(printf '%s\n' "$catalog") <(printf '%s\n' "$completion") | sed 's/^</catalog only:/; s/^>/completion only:/' >&2 || true
    fail "the events in $file differ from ${catalog_dirs[*]}"
fi
echo "ok: $file knows $(wc -l <<<"$completion") event/action pairs of ${catalog_dirs[*]}"
