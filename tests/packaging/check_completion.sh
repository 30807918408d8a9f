#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# check_completion.sh COMPLETION_FILE: the bash completion completes every
# command and option of the contract and the values the issue lists.
set -euo pipefail
here=$(dirname "$0")
source "$here/lib.sh"
source "$here/contract.sh"
file=$1

bash -n "$file" || fail "$file is not valid bash"
# Loaded into a clean shell the way bash-completion loads it.
# shellcheck source=/dev/null
source "$file"
complete -p hookscope >/dev/null 2>&1 || fail "$file does not register a completion for hookscope"

# complete_words "WORDS": COMPREPLY for the last of the space-separated WORDS,
# as one line; '' stands for an empty word (the cursor after a space).
complete_words() {
    local word
    COMP_WORDS=()
    for word in $1; do
        [[ $word == "''" ]] && word=''
        COMP_WORDS+=("$word")
    done
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$1
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _hookscope
    printf '%s\n' "${COMPREPLY[*]-}"
}

failures=0
# expect "WORDS" WANTED...: every WANTED word is offered.
expect() {
    local words=$1
    shift
    local got wanted
    got=" $(complete_words "$words") "
    for wanted in "$@"; do
        if [[ $got != *" $wanted "* ]]; then
            printf 'FAIL: [%s<TAB>] offers [%s], not %s\n' "$words" "${got:1:-1}" "$wanted" >&2
            failures=$((failures + 1))
        fi
    done
}
# expect_only "WORDS" EXACT: exactly these words are offered, in any order.
expect_only() {
    local words=$1 want=$2 got
    got=$(complete_words "$words" | tr ' ' '\n' | sort | xargs)
    want=$(tr ' ' '\n' <<<"$want" | sort | xargs)
    if [[ $got != "$want" ]]; then
        printf 'FAIL: [%s<TAB>] offers [%s], wanted [%s]\n' "$words" "$got" "$want" >&2
        failures=$((failures + 1))
    fi
}

expect_only "hookscope ''" "${contract_commands[*]}"
# shellcheck disable=SC2086
expect "hookscope --" ${contract_options[app]}
for command in "${contract_commands[@]}"; do
    # shellcheck disable=SC2086
    expect "hookscope $command -" ${contract_options[$command]}
done
expect_only "hookscope l" 'listen list'
expect_only "hookscope export --format ''" 'har jsonl curl'
expect_only "hookscope export --format = j" 'jsonl'
expect_only "hookscope send --provider ''" 'codewars github standard-webhooks'
expect_only "hookscope send ''" 'code_challenge user webhook'
expect_only "hookscope send --provider github pu''" 'public pull_request pull_request_review pull_request_review_comment pull_request_review_thread push'
expect_only "hookscope send --provider github issues ''" 'assigned closed deleted demilestoned edited labeled locked milestoned opened pinned reopened transferred unassigned unlabeled unlocked unpinned'
expect_only "hookscope send --provider github ping ''" ''
expect_only "hookscope send code_challenge ''" 'created approve_successful approved voted solution_finalized'
expect_only "hookscope send --to http://x --set user.rank=-3 user r" 'rank_upgraded rank_earned'
expect_only "hookscope send webhook ''" 'updated'
expect "hookscope list --event ''" code_challenge user webhook ping
expect_only "hookscope list --event user --action ''" 'rank_upgraded rank_earned honor_changed'
expect_only "hookscope listen --port ''" ''

((failures == 0)) || fail "$failures completion(s) wrong in $file"
echo "ok: $file"
