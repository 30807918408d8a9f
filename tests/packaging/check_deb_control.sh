#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# check_deb_control.sh DEB_DIR VERSION: the control fields, with dependencies
# derived by dpkg-shlibdeps plus the Qt plugins nothing links.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need dpkg-deb dpkg
version=$2
deb=$(deb_path "$1" "$version")

dpkg-deb -I "$deb"
field() { dpkg-deb -f "$deb" "$1"; }

[[ $(field Package) == hookscope ]] || fail "Package is '$(field Package)'"
[[ $(field Version) == "$version" ]] || fail "Version is '$(field Version)', not $version"
[[ $(field Architecture) == "$(dpkg --print-architecture)" ]] || fail "Architecture is '$(field Architecture)'"
[[ -n $(field Section) ]] || fail "no Section"
[[ $(field Maintainer) == *'<'*'@'*'>' ]] || fail "Maintainer '$(field Maintainer)' has no address"
[[ $(field Homepage) == https://* ]] || fail "Homepage is '$(field Homepage)'"
[[ $(field Description | wc -l) -gt 2 ]] || fail "the Description has no long text"

depends=$(field Depends)
# Versioned library dependencies are dpkg-shlibdeps' mark: nobody types "(>= 6.x)" for Qt by hand here.
for library in libc6 'libstdc\+\+6' libqt6core6 libqt6network6 libqt6sql6 libqt6widgets6; do
    grep -q -E "(^|, )$library( \(>= [^)]+\))?(,|$)" <<<"$depends" || fail "Depends lacks ${library//\\/}: $depends"
done
grep -q -E 'libqt6core6 \(>= [^)]+\)' <<<"$depends" || fail "Depends was not derived by dpkg-shlibdeps: $depends"
for plugin in libqt6sql6-sqlite libqt6svg6 qt6-qpa-plugins; do
    grep -q -E "(^|, )$plugin(,|$| )" <<<"$depends" || fail "Depends lacks the run-time plugin package $plugin: $depends"
done
echo "ok: $deb"
