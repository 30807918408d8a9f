#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# check_desktop_file.sh FILE.desktop: the desktop entry validates and launches hookscope.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
desktop=$1
need desktop-file-validate desktop-file-utils

output=$(desktop-file-validate "$desktop" 2>&1) || { printf '%s\n' "$output"; fail "desktop-file-validate rejects $desktop"; }
printf '%s\n' "$output"
# Hints count too: two main categories, say, list the app twice in some menus.
if grep -q -E ': (error|warning|hint): ' <<<"$output"; then
    fail "desktop-file-validate reports warnings or hints for $desktop"
fi

[[ $(basename "$desktop") == io.github.hookscope.Hookscope.desktop ]] || fail "unexpected desktop file id: $(basename "$desktop")"
for line in 'Type=Application' 'Exec=hookscope' 'Icon=hookscope' 'Terminal=false'; do
    grep -q -x -F "$line" "$desktop" || fail "$desktop lacks the line '$line'"
done
grep -q -x -E 'Categories=([^;]+;)*Development;([^;]+;)*' "$desktop" || fail "$desktop is not in the Development category"
grep -q -x -E 'Categories=([^;]+;)*WebDevelopment;([^;]+;)*' "$desktop" || fail "$desktop is not in the WebDevelopment category"
grep -q -x -E 'Keywords=([^;]+;)*webhook;([^;]+;)*' "$desktop" || fail "$desktop has no 'webhook' keyword"
echo "ok: $desktop"
