# shellcheck shell=bash
# Shared by the packaging checks; sourced, not run.
# Exit status 77 tells ctest the check was skipped (SKIP_RETURN_CODE).

skip() {
    printf 'SKIP: %s\n' "$*" >&2
    exit 77
}

fail() {
    printf 'FAIL: %s\n' "$*" >&2
    exit 1
}

# need TOOL PACKAGE: skip unless TOOL is on PATH.
need() {
    command -v "$1" >/dev/null 2>&1 ||
        skip "'$1' not found; install the Debian package '$2' (packaging/install-deps.sh installs it)"
}

# deb_path DIR VERSION: the package that packaging_deb_build made.
deb_path() {
    local arch
    arch=$(dpkg --print-architecture)
    local deb="$1/hookscope_$2_${arch}.deb"
    if [[ -f $1/skipped ]]; then
        skip "no package was built: $(sed 's/^SKIP: //' "$1/skipped")"
    fi
    [[ -f $deb ]] || fail "no package at $deb (packaging_deb_build makes it)"
    printf '%s\n' "$deb"
}
