#!/bin/bash
# Installs every Debian 12 package needed to build hookscope, run its tests and
# its checks, then the published data the build reads from npm (packaging/npm,
# pinned by its package-lock.json, into packaging/npm/node_modules). Runs apt-get
# and npm ci only when something is missing, so a second run is quick. Uses sudo
# when not run as root.
#
#   packaging/install-deps.sh          install what is missing
#   packaging/install-deps.sh --check  list what is missing; exit 1 if anything is
#   packaging/install-deps.sh --list   print the package names, one a line
set -euo pipefail

build_packages=(
    cmake
    ninja-build
    g++
    qt6-base-dev
    qt6-base-dev-tools
    libqt6sql6-sqlite
    libcurl4-openssl-dev
    libgl-dev
    libvalijson-dev
    zlib1g-dev
    libbrotli-dev
    pkgconf
    libxxhash-dev
    python3
    npm
)

# Loaded at run time by Qt (platform, SVG icons), so nothing links them.
runtime_packages=(
    qt6-qpa-plugins
    libqt6svg6
)

test_packages=(
    xvfb
    xauth
    curl
    wrk
    nginx-light
    imagemagick
    sqlite3
    file
    json-schema-test-suite
    # a private session bus for the desktop notification test
    dbus-daemon
    # fuzzing and sanitizer builds
    clang
    libclang-rt-14-dev
    llvm
)

check_packages=(
    desktop-file-utils
    appstream
    lintian
    dpkg-dev
    man-db
    gzip
    python3
)

packages=("${build_packages[@]}" "${runtime_packages[@]}" "${test_packages[@]}" "${check_packages[@]}")

missing_packages() {
    local package status
    for package in "${packages[@]}"; do
        # An npm that came with another Node.js (NodeSource's bundles its own) will do.
        if [[ $package == npm ]] && command -v npm >/dev/null 2>&1; then
            continue
        fi
        status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
        if [[ $status != installed ]]; then
            printf '%s\n' "$package"
        fi
    done
}

usage() {
    sed -n '2,10s/^# \{0,1\}//p' "$0"
}

npm_dir=$(cd "$(dirname "$0")" && pwd)/npm
npm_stamp=$npm_dir/node_modules/.installed-package-lock.json

npm_data_missing() {
    ! cmp -s "$npm_dir/package-lock.json" "$npm_stamp"
}

# GitHub's webhook schemas and example payloads, which the build turns into the GitHub catalog.
install_npm_data() {
    if ! npm_data_missing; then
        echo 'The npm data is installed.'
        return
    fi
    echo "Installing the npm data in $npm_dir (npm ci)"
    (cd "$npm_dir" && npm ci --ignore-scripts --no-audit --no-fund)
    cp "$npm_dir/package-lock.json" "$npm_stamp"
}

mode=install
case ${1-} in
    '') ;;
    --check) mode=check ;;
    --list) mode=list ;;
    -h | --help) usage; exit 0 ;;
    *) printf 'install-deps.sh: unknown option: %s\n' "$1" >&2; usage >&2; exit 2 ;;
esac

if [[ $mode == list ]]; then
    printf '%s\n' "${packages[@]}"
    exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo 'install-deps.sh: dpkg-query not found; this script is for Debian 12 (bookworm) and derivatives' >&2
    exit 1
fi

mapfile -t missing < <(missing_packages)

if [[ $mode == check ]]; then
    status=0
    if ((${#missing[@]} == 0)); then
        echo 'All packages are installed.'
    else
        printf 'Missing: %s\n' "${missing[*]}"
        status=1
    fi
    if npm_data_missing; then
        echo "Missing: the npm data in $npm_dir (npm ci)"
        status=1
    fi
    exit $status
fi

if ((${#missing[@]} == 0)); then
    echo 'All packages are installed.'
    install_npm_data
    exit 0
fi

as_root=()
if ((EUID != 0)); then
    if ! command -v sudo >/dev/null 2>&1; then
        printf 'install-deps.sh: not root and sudo is not available; as root run:\n  apt-get install %s\n' "${missing[*]}" >&2
        exit 1
    fi
    as_root=(sudo)
fi

printf 'Installing: %s\n' "${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"

mapfile -t still_missing < <(missing_packages)
if ((${#still_missing[@]} != 0)); then
    printf 'install-deps.sh: still missing after apt-get: %s\n' "${still_missing[*]}" >&2
    exit 1
fi
echo 'All packages are installed.'
install_npm_data
