# shellcheck shell=bash disable=SC2034 # the variables are used by the scripts that source this file
# The command-line contract (ARCHITECTURE.md, "Command line"): each command and
# the options it takes. The manual page and the completion must cover all of it.
# Sourced, not run.

contract_commands=(listen list show send replay diff delete clear prune recheck export import events)

declare -A contract_options=(
    [app]='--bind --port --db --version --help'
    [listen]='--bind --port --db --secret --require-secret --status --body --delay --rules --forward-to --max-body --jsonl'
    [list]='--db --provider --event --action --search --header --status --problems --verdict --since --until --limit --json'
    [show]='--db --raw --json'
    [send]='--provider --to --db --secret --data --set -H --header'
    [replay]='--db --to --fresh-id --same-id --retry --speed'
    [diff]='--db --json'
    [delete]='--db'
    [clear]='--db --yes'
    [prune]='--db --older-than --keep'
    [recheck]='--db --secret --all'
    [export]='--db --format --out'
    [import]='--db'
    [events]='--json'
)
