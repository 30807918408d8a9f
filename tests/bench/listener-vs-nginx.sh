#!/usr/bin/env bash
# Throughput of `hookscope listen` (storing every hook durably) against nginx
# answering the same POST from memory, side by side on loopback with wrk:
# 16 connections, three loads (see modes below). Also start-to-first-answer.
#
#   tests/bench/listener-vs-nginx.sh [path/to/hookscope] [seconds] [rounds]
#
# With several rounds, nginx and hookscope take turns (so a machine that drifts
# affects both alike) and the medians are printed with the range of the ratio.
# Needs wrk, nginx, curl and sqlite3.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
hookscope=${1:-$here/../../build/app/hookscope}
seconds=${2:-10}
rounds=${3:-1}
connections=16
threads=2

source "$here/nginx.sh"
bench_setup wrk nginx curl sqlite3

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

# Three loads, each run against nginx and then hookscope in the same round:
#   small   the ~200-byte Codewars POST, keep-alive
#   64k     the same POST padded to 64 KiB of JSON, keep-alive
#   close   the small POST, a new connection per request (Connection: close)
# Only 2xx answers count: wrk's "Non-2xx or 3xx responses" are taken off its
# total (a 503 from a store that is behind is an answer, not a stored hook).
# Each hookscope run starts on a new store, so that one load does not pay for
# the gigabytes another one left.
modes=(${BENCH_MODES:-small 64k close})   # BENCH_MODES="64k" runs one of them
mode_env() {   # $1: mode
    case $1 in
        small) echo "BENCH_BODY_BYTES=0 BENCH_CLOSE=0" ;;
        64k) echo "BENCH_BODY_BYTES=65536 BENCH_CLOSE=0" ;;
        close) echo "BENCH_BODY_BYTES=0 BENCH_CLOSE=1" ;;
    esac
}
# Prints the 2xx answers per second of one wrk run; its whole output goes to $3.
run() {   # $1: mode, $2: url, $3: log
    env $(mode_env "$1") wrk -t$threads -c$connections -d"${seconds}s" -s "$here/codewars-post.lua" "$2" > "$3.last"
    cat "$3.last" >> "$3"
    awk '/requests in/ { total = $1; secs = $4; sub(/s,?$/, "", secs); if (secs ~ /ms$/) { sub(/ms$/, "", secs); secs /= 1000 } }
         /Non-2xx or 3xx responses:/ { bad = $5 }
         END { printf "%.0f %d %d\n", (total - bad) / secs, total, bad }' "$3.last"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
range() { echo "$(printf '%s\n' "$@" | sort -g | head -1)-$(printf '%s\n' "$@" | sort -g | tail -1)"; }

rss_kib=$(awk '/VmRSS/ {print $2}' /proc/$hs_pid/status)
hwm_kib=$(awk '/VmHWM/ {print $2}' /proc/$hs_pid/status)
kill -TERM "$hs_pid"; wait "$hs_pid" 2>/dev/null || true

declare -A nginx_all hs_all ratio_all non2xx_all stored_ok
for ((round = 1; round <= rounds; round++)); do
    for mode in "${modes[@]}"; do
        read -r n _ _ < <(run "$mode" "http://127.0.0.1:$nginx_port/codewars/hook" "$work/wrk-nginx-$mode.log")
        rm -f "$work"/bench.sqlite*
        start_hookscope "$work/bench.sqlite"
        read -r h total bad < <(run "$mode" "${hs_url}codewars/hook" "$work/wrk-hookscope-$mode.log")
        kill -TERM "$hs_pid"; wait "$hs_pid" 2>/dev/null || true
        # Every 2xx answer is a hook in the store (the warm-up hook is one more).
        stored=$(sqlite3 "$work/bench.sqlite" "SELECT count(*) FROM hooks")
        [ "$stored" -ge $((total - bad + 1)) ] && stored_ok[$mode]+="y" || stored_ok[$mode]+="n($stored of $((total - bad + 1)))"
        ratio=$(calc "$h / $n")
        nginx_all[$mode]+="$n "; hs_all[$mode]+="$h "; ratio_all[$mode]+="$ratio "; non2xx_all[$mode]+="$bad "
        printf 'round %d %-6s nginx %6.0f/s, hookscope %6.0f/s 2xx (%d non-2xx of %d), ratio %s\n' \
            "$round" "$mode" "$n" "$h" "$bad" "$total" "$ratio"
    done
done
rm -f "$work"/bench.sqlite*
first_answer_ms=$(median "${first_all[@]}")
first_range=$(range "${first_all[@]}")

printf '\n%-30s %12s %12s %8s %12s %s\n' "2xx answers/s (median of $rounds)" "nginx" "hookscope" "ratio" "range" "non-2xx (hookscope, per round)"
declare -A targets=([small]=0.50 [64k]=0.30 [close]=0.80)
for mode in "${modes[@]}"; do
    read -ra ns <<< "${nginx_all[$mode]}"; read -ra hs <<< "${hs_all[$mode]}"; read -ra rs <<< "${ratio_all[$mode]}"
    printf '%-30s %12.0f %12.0f %8.2f %12s %s  (target >= %s; all 2xx stored: %s)\n' "$mode" "$(median "${ns[@]}")" \
        "$(median "${hs[@]}")" "$(median "${rs[@]}")" "$(range "${rs[@]}")" "${non2xx_all[$mode]}" "${targets[$mode]}" "${stored_ok[$mode]}"
done
printf '%-30s %12s ms (range %s over five starts; target <= 100)\n' "start to first answer" "$first_answer_ms" "$first_range"
printf '%-30s %12.1f MiB (peak %.1f MiB, idle after the first start)\n' "resident memory" "$(calc "$rss_kib / 1024")" "$(calc "$hwm_kib / 1024")"
