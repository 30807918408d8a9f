# shellcheck shell=bash disable=SC2034 # the variables are used by the scripts that source this file
# The command-line contract (ARCHITECTURE.md, "Command line"): each command and
# the options it takes. The manual page and the completion must cover all of it.
# Sourced, not run.

contract_commands=(listen list show send replay export import events)

declare -A contract_options=(
    [app]='--bind --port --db --version --help'
    [listen]='--bind --port --db --secret --require-secret --status --body --delay --forward-to --max-body --jsonl'
    [list]='--db --event --action --search --limit --json'
    [show]='--db --raw'
    [send]='--provider --to --secret --data --set -H'
    [replay]='--db --to'
    [export]='--db --format --out'
    [import]='--db'
    [events]='--json'
)
