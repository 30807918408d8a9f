#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# check_deb_contents.sh DEB_DIR VERSION: the package holds the executable and
# every desktop integration file, and nothing meant for developers.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need dpkg-deb dpkg
deb=$(deb_path "$1" "$2")

contents=$(dpkg-deb -c "$deb") || fail "dpkg-deb cannot list $deb"
printf '%s\n' "$contents"
paths=$(awk '{print $6}' <<<"$contents")

id=io.github.hookscope.Hookscope
for path in \
    ./usr/bin/hookscope \
    ./usr/share/applications/$id.desktop \
    ./usr/share/icons/hicolor/scalable/apps/hookscope.svg \
    ./usr/share/metainfo/$id.metainfo.xml \
    ./usr/share/man/man1/hookscope.1.gz \
    ./usr/share/bash-completion/completions/hookscope \
    ./usr/share/doc/hookscope/copyright \
    ./usr/share/doc/hookscope/changelog.gz; do
    grep -q -x -F "$path" <<<"$paths" || fail "$deb does not hold $path"
done
grep -E '^-rwxr-xr-x root/root .* \./usr/bin/hookscope$' <<<"$contents" >/dev/null ||
    fail "./usr/bin/hookscope is not an executable owned by root"
if unwanted=$(grep -E '^\./usr/(include|local)/|\.a$|/cmake/|/pkgconfig/' <<<"$paths"); then
    fail "$deb holds files that do not belong in it: $unwanted"
fi
echo "ok: $deb"
