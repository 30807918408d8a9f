#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# check_source_tarball.sh CPACK BINARY_DIR OUT_DIR VERSION: the source tarball
# holds the sources and leaves out version control and build directories.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cpack=$1
binary_dir=$2
out_dir=$3
version=$4

rm -rf "$out_dir"
mkdir -p "$out_dir"
"$cpack" --config "$binary_dir/CPackSourceConfig.cmake" -B "$out_dir" || fail "cpack (source) failed"
tarball=$out_dir/hookscope-$version.tar.gz
[[ -f $tarball ]] || fail "no $tarball"

listing=$(tar -tzf "$tarball") || fail "cannot read $tarball"
prefix=hookscope-$version
for path in CMakeLists.txt app/CMakeLists.txt packaging/CMakeLists.txt packaging/install-deps.sh \
    resources/icons/hookscope.svg tests/CMakeLists.txt; do
    grep -q -x -F "$prefix/$path" <<<"$listing" || fail "$tarball lacks $path"
done
if stray=$(grep -v -F "$prefix/" <<<"$listing"); then
    fail "$tarball has entries outside $prefix/: $stray"
fi
if stray=$(grep -E "^$prefix/(\.git(/|$)|build[^/]*/|_build/|Testing/)|/CMakeCache\.txt$" <<<"$listing"); then
    fail "$tarball holds version control or build files: $(head -n 5 <<<"$stray")"
fi
echo "ok: $tarball ($(wc -l <<<"$listing") entries)"
