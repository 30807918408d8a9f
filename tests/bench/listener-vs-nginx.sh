#!/usr/bin/env bash
# Throughput of `hookscope listen` (storing every hook durably) against nginx
# answering the same POST from memory, side by side on loopback with wrk:
# keep-alive, 16 connections. Also start-to-first-answer and resident memory.
#
#   tests/bench/listener-vs-nginx.sh [path/to/hookscope] [seconds] [rounds]
#
# With several rounds, nginx and hookscope take turns (so a machine that drifts
# affects both alike) and the medians are printed with the range of the ratio.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
hookscope=${1:-$here/../../build/app/hookscope}
seconds=${2:-10}
rounds=${3:-1}
connections=16
threads=2

source "$here/nginx.sh"
bench_setup wrk nginx curl

calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
rps() { awk '/Requests\/sec/ {print $2}'; }

# nginx: two workers (one per core), no access log, answers the POST from memory.
start_nginx "$work"

# hookscope: time from exec to the first answered hook, on a new store. The first
# line is read from a pipe as soon as it is written (polling a file would add its
# own delay), and one curl sends the first hook. Five starts, as one start can
# be held up by whatever else the machine does; the last one stays for wrk.
start_hookscope() {   # $1: store; sets hs_pid, hs_url, first_ms
    rm -f "$work/listen.pipe"; mkfifo "$work/listen.pipe"
    local start_ns; start_ns=$(date +%s%N)
    "$hookscope" listen --port 0 --db "$1" > "$work/listen.pipe" 2> "$work/listen.err" &
    hs_pid=$!
    pids+=($hs_pid)
    exec 3< "$work/listen.pipe"
    read -r first_line <&3 || { echo "hookscope did not start: $(cat "$work/listen.err")" >&2; exit 1; }
    cat <&3 > "$work/listen.out" &
    hs_url=${first_line#listening on }
    curl -s -o /dev/null -X POST --data '{}' "${hs_url}warmup"
    first_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
}
first_all=()
for start in 1 2 3 4 5; do
    store="$work/hooks.sqlite"
    [ "$start" -lt 5 ] && store="$work/start-$start.sqlite"
    start_hookscope "$store"
    first_all+=("$first_ms")
    if [ "$start" -lt 5 ]; then kill -TERM "$hs_pid"; wait "$hs_pid" 2>/dev/null || true; fi
done
until curl -s -o /dev/null "http://127.0.0.1:$nginx_port/"; do sleep 0.05; done

run() { wrk -t$threads -c$connections -d"${seconds}s" -s "$here/codewars-post.lua" "$1" | tee -a "$2" | rps; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

nginx_all=(); hs_all=(); ratio_all=()
for ((round = 1; round <= rounds; round++)); do
    n=$(run "http://127.0.0.1:$nginx_port/codewars/hook" "$work/wrk-nginx.log")
    h=$(run "${hs_url}codewars/hook" "$work/wrk-hookscope.log")
    nginx_all+=("$n"); hs_all+=("$h"); ratio_all+=("$(calc "$h / $n")")
    [ "$rounds" -gt 1 ] && printf 'round %d: nginx %.0f, hookscope %.0f, ratio %s\n' "$round" "$n" "$h" "${ratio_all[-1]}"
done
first_answer_ms=$(median "${first_all[@]}")
first_range="$(printf '%s\n' "${first_all[@]}" | sort -g | head -1)-$(printf '%s\n' "${first_all[@]}" | sort -g | tail -1)"
nginx_rps=$(median "${nginx_all[@]}")
hs_rps=$(median "${hs_all[@]}")
ratio=$(median "${ratio_all[@]}")
ratio_range="$(printf '%s\n' "${ratio_all[@]}" | sort -g | head -1)-$(printf '%s\n' "${ratio_all[@]}" | sort -g | tail -1)"

stored=$("$hookscope" list --db "$work/hooks.sqlite" --json | wc -l)
rss_kib=$(awk '/VmRSS/ {print $2}' /proc/$hs_pid/status)
hwm_kib=$(awk '/VmHWM/ {print $2}' /proc/$hs_pid/status)
kill -TERM $hs_pid; wait $hs_pid || true
answered=$(awk '/requests in/ {sum += $1} END {print sum}' "$work/wrk-hookscope.log")

printf '\n%-34s %12s\n' "" "requests/s"
label=$([ "$rounds" -gt 1 ] && echo " (median of $rounds)" || true)
printf '%-34s %12.0f%s\n' "nginx (return 200, memory)" "$nginx_rps" "$label"
printf '%-34s %12.0f%s\n' "hookscope listen (stored, WAL)" "$hs_rps" "$label"
printf '%-34s %12.2f   (range %s; target >= 0.50)\n' "ratio hookscope / nginx" "$ratio" "$ratio_range"
printf '%-34s %12s ms (range %s over five starts; target <= 100)\n' "start to first answer" "$first_answer_ms" "$first_range"
printf '%-34s %12s   (wrk counted %s answers)\n' "hooks in the store" "$stored" "$answered"
printf '%-34s %12.1f MiB (peak %.1f MiB; target <= 64 MiB)\n' "resident memory after the run" "$(calc "$rss_kib / 1024")" "$(calc "$hwm_kib / 1024")"
