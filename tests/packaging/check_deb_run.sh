#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# check_deb_run.sh DEB_DIR VERSION: the executable unpacked from the package runs
# and reports the project version.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need dpkg dpkg
version=$2
deb=$(deb_path "$1" "$version")

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg -x "$deb" "$root"

export QT_QPA_PLATFORM=offscreen
export HOME=$root/home XDG_CONFIG_HOME=$root/home/.config XDG_DATA_HOME=$root/home/.local/share
status=0
output=$(timeout 30 "$root/usr/bin/hookscope" --version 2>"$root/stderr") || status=$?
cat "$root/stderr" >&2
((status == 0)) || fail "hookscope --version exited with $status"
[[ $output == "hookscope $version" ]] || fail "hookscope --version printed '$output', not 'hookscope $version'"
echo "ok: $output"
