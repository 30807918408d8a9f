#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# check_install_deps.sh SCRIPT: the dependency script parses, lists the packages
# the build and the checks need, and refuses unknown options. It installs nothing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
script=$1

bash -n "$script" || fail "$script is not valid bash"
[[ -x $script ]] || fail "$script is not executable"
head -n 1 "$script" | grep -q -x '#!/bin/bash' || fail "$script does not start with #!/bin/bash"
grep -q -x 'set -euo pipefail' "$script" || fail "$script does not set -euo pipefail"

listed=" $("$script" --list | xargs) "
for package in cmake ninja-build g++ qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libgl-dev \
    xvfb xauth curl wrk nginx-light desktop-file-utils appstream lintian dpkg-dev file sqlite3 \
    clang libclang-rt-14-dev llvm; do
    [[ $listed == *" $package "* ]] || fail "$script does not install $package"
done

status=0
"$script" --no-such-option >/dev/null 2>&1 || status=$?
((status == 2)) || fail "$script --no-such-option exits $status, not 2"

if command -v shellcheck >/dev/null 2>&1; then
    shellcheck "$script" || fail "shellcheck finds problems in $script"
fi
echo "ok: $script"
