#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# check_lintian.sh DEB_DIR VERSION: lintian finds no error in the package.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need lintian lintian
deb=$(deb_path "$1" "$2")

status=0
report=$(lintian --display-info --tag-display-limit 0 --fail-on error "$deb" 2>&1) || status=$?
printf '%s\n' "$report"
if errors=$(grep -E '^E: ' <<<"$report"); then
    fail "lintian reports errors: $errors"
fi
((status == 0)) || fail "lintian exited with $status"
echo "ok: $deb"
