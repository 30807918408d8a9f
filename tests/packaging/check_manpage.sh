#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# check_manpage.sh hookscope.1 VERSION: the manual page renders without a
# warning, carries the version and documents the whole command-line contract.
set -euo pipefail
here=$(dirname "$0")
source "$here/lib.sh"
source "$here/contract.sh"
page=$1
version=$2
need man man-db

# The way lintian renders manual pages; anything on stderr is a defect.
warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null) ||
    fail "man cannot render $page: $warnings"
[[ -z $warnings ]] || fail "man warns about $page: $warnings"

text=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -E ascii -l "$page" 2>/dev/null | col -b)
head -n 1 <<<"$text" | grep -q '^HOOKSCOPE(1)' || fail "$page does not start with a HOOKSCOPE(1) header"
grep -q -F "hookscope $version" <<<"$text" || fail "$page does not name version $version"
if grep -q '@[A-Z_]*@' "$page"; then
    fail "$page has unconfigured @VARIABLES@"
fi

for section in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS 'EXIT STATUS' ENVIRONMENT FILES EXAMPLES; do
    grep -q -x "$section" <<<"$text" || fail "$page has no $section section"
done
# shellcheck disable=SC2088 # the page names the paths with a literal tilde
for path in '~/.local/share/hookscope/hooks.sqlite' '~/.config/hookscope/hookscope.conf'; do
    grep -q -F -- "$path" <<<"$text" || fail "$page does not name $path"
done
for value in har jsonl curl codewars github; do
    grep -q -w -- "$value" <<<"$text" || fail "$page does not mention '$value'"
done

# Each command has its own subsection, and each of its options appears in it.
for command in "${contract_commands[@]}"; do
    grep -q -x "   $command" <<<"$text" || fail "$page has no subsection for '$command'"
    grep -q -E "^ +hookscope $command( |$)" <<<"$text" || fail "$page has no synopsis line for '$command'"
    body=$(awk -v name="   $command" '$0 == name {on = 1; next} /^   [a-z]+$/ || /^[A-Z]/ {on = 0} on' <<<"$text")
    for option in ${contract_options[$command]}; do
        grep -q -E -- "(^|[^-[:alnum:]])$option([^-[:alnum:]]|$)" <<<"$body" ||
            fail "$page does not describe $option under '$command'"
    done
done
options=$(awk '/^OPTIONS$/ {on = 1; next} /^[A-Z]/ {on = 0} on' <<<"$text")
for option in ${contract_options[app]}; do
    grep -q -E -- "(^|[^-[:alnum:]])$option([^-[:alnum:]]|$)" <<<"$options" ||
        fail "$page does not describe $option under OPTIONS"
done
echo "ok: $page"
