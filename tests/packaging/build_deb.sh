#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# build_deb.sh CPACK BINARY_DIR OUT_DIR VERSION: makes the Debian package with
# CPack from the (already built) build tree, the fixture of the deb checks.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cpack=$1
binary_dir=$2
out_dir=$3
version=$4
rm -rf "$out_dir"
mkdir -p "$out_dir"
# A skipped build leaves its reason behind, so the checks that need the package skip too.
for tool in dpkg-deb:dpkg dpkg-shlibdeps:dpkg-dev file:file; do
    (need "${tool%%:*}" "${tool#*:}") >"$out_dir/skipped" 2>&1 || skip "$(sed 's/^SKIP: //' "$out_dir/skipped")"
done
rm -f "$out_dir/skipped"
"$cpack" -G DEB --config "$binary_dir/CPackConfig.cmake" -B "$out_dir" ||
    fail "cpack -G DEB failed"
deb=$(deb_path "$out_dir" "$version")
echo "ok: $deb"
