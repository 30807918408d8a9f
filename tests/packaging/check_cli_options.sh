#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# check_cli_options.sh HOOKSCOPE COMPLETION_FILE MANPAGE: every option the built
# executable's commands accept (their --help) is completed and documented.
set -euo pipefail
here=$(dirname "$0")
source "$here/lib.sh"
source "$here/contract.sh"
hookscope=$1
completion=$2
page=$3
need man man-db

# shellcheck source=/dev/null
source "$completion"
export QT_QPA_PLATFORM=offscreen
text=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -E ascii -l "$page" 2>/dev/null | col -b)

failures=0
for command in "${contract_commands[@]}"; do
    help=$("$hookscope" "$command" --help) || fail "'hookscope $command --help' failed"
    # QCommandLineParser lists options as "  -H, --header <Name: value>  text".
    mapfile -t options < <(grep -oE '^ +(-[[:alnum:]], )?--[[:alnum:]-]+' <<<"$help" | sed -E 's/^ +//; s/^-[[:alnum:]], //' | sort -u)
    ((${#options[@]} > 0)) || fail "'hookscope $command --help' lists no options"
    completed=" $(_hookscope_options_for "$command" | xargs) "
    section=$(awk -v name="   $command" '$0 == name {on = 1; next} /^   [a-z]+$/ || /^[A-Z]/ {on = 0} on' <<<"$text")
    for option in "${options[@]}"; do
        if [[ $completed != *" $option "* ]]; then
            printf 'FAIL: the completion does not offer %s for %s\n' "$option" "$command" >&2
            failures=$((failures + 1))
        fi
        [[ $option == --help ]] && continue
        if ! grep -q -E -- "(^|[^-[:alnum:]])$option([^-[:alnum:]]|$)" <<<"$section"; then
            printf 'FAIL: the manual page does not describe %s under %s\n' "$option" "$command" >&2
            failures=$((failures + 1))
        fi
    done
done
((failures == 0)) || fail "$failures option(s) of the executable are not completed or documented"
echo "ok: the options of $hookscope are completed and documented"
