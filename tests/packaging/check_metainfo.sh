#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# check_metainfo.sh FILE.metainfo.xml VERSION: the AppStream metadata validates
# offline and carries this version.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
metainfo=$1
version=$2
need appstreamcli appstream

appstreamcli validate --no-net --explain "$metainfo" || fail "appstreamcli rejects $metainfo"

id=io.github.hookscope.Hookscope
for pattern in \
    "<id>$id</id>" \
    "<launchable type=\"desktop-id\">$id.desktop</launchable>" \
    "<release version=\"$version\" date=\"[0-9]{4}-[0-9]{2}-[0-9]{2}\"" \
    '<content_rating type="oars-1.1"' \
    '<metadata_license>CC0-1.0</metadata_license>' \
    '<project_license>MIT</project_license>' \
    '<url type="homepage">https://' \
    '<image[^>]*>https://[^<]+\.png</image>' \
    '<binary>hookscope</binary>'; do
    grep -q -E "$pattern" "$metainfo" || fail "$metainfo lacks $pattern"
done
if grep -q '@[A-Z_]*@' "$metainfo"; then
    fail "$metainfo has unconfigured @VARIABLES@"
fi
echo "ok: $metainfo"
