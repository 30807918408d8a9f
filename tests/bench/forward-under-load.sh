#!/usr/bin/env bash
# The forwarder under load: wrk posts hooks to `hookscope listen --forward-to` a
# local nginx (2 threads, 16 keep-alive connections), side by side with the same
# listener forwarding nothing. Prints hooks captured per second (wrk's answers),
# hooks forwarded per second (the requests nginx answered the forwarder in the same
# window), their ratio, the hooks the forwarder's bounded queue left out (as
# `listen` counts them in its last line), and the listener's resident memory at
# start, at the end of the load and at its peak.
#
#   tests/bench/forward-under-load.sh [path/to/hookscope] [seconds] [rounds]
#
# With several rounds the two runs take turns and the medians are printed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
hookscope=${1:-$here/../../build/app/hookscope}
seconds=${2:-10}
rounds=${3:-1}
connections=16
threads=2

source "$here/nginx.sh"
bench_setup wrk nginx curl
start_nginx "$work" counted
until curl -s -o /dev/null "http://127.0.0.1:$nginx_port/"; do sleep 0.05; done

calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
status_kib() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"; }
answered() { wc -l < "$nginx_access_log"; }

start_listener() {   # $1: store, then listen's options; sets hs_pid, hs_url
    rm -f "$work/listen.pipe"; mkfifo "$work/listen.pipe"
    "$hookscope" listen --port 0 --db "$@" > "$work/listen.pipe" 2> "$work/listen.err" &
    hs_pid=$!
    pids+=($hs_pid)
    exec 3< "$work/listen.pipe"
    read -r first_line <&3 || { echo "hookscope did not start: $(cat "$work/listen.err")" >&2; exit 1; }
    cat <&3 > /dev/null &
    hs_url=${first_line#listening on }
    curl -s -o /dev/null -X POST --data '{}' "${hs_url}warmup"
}
stop_listener() { kill -TERM "$hs_pid"; wait "$hs_pid" 2>/dev/null || true; }
# wrk's answers per second and its measured duration in seconds.
load() {
    wrk -t$threads -c$connections -d"${seconds}s" -s "$here/codewars-post.lua" "${hs_url}codewars/hook" > "$work/wrk.log"
    rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.log")
    took=$(awk '/requests in/ {sub(/s,?$/, "", $4); print $4}' "$work/wrk.log")
}

alone_all=(); captured_all=(); forwarded_all=(); ratio_all=(); dropped_all=()
for ((round = 1; round <= rounds; round++)); do
    start_listener "$work/alone-$round.sqlite"
    load
    alone_all+=("$rps")
    stop_listener

    store="$work/forward-$round.sqlite"
    start_listener "$store" --forward-to "http://127.0.0.1:$nginx_port/forwarded"
    rss_start=$(status_kib "$hs_pid" VmRSS)
    before=$(answered)
    load
    in_window=$(( $(answered) - before ))
    rss_end=$(status_kib "$hs_pid" VmRSS)
    # What is still queued goes out before the listener stops (listen waits for it).
    last=-1
    while [ "$(answered)" != "$last" ]; do last=$(answered); sleep 0.5; done
    hwm=$(status_kib "$hs_pid" VmHWM)
    stop_listener
    forwarded_total=$(( $(answered) - before ))
    stored=$("$hookscope" list --db "$store" --json | wc -l)
    # listen's last words: "forwarded to URL: N answered (M with 2xx), F failed, D not forwarded"
    dropped=$(sed -n 's/.*forwarded to .*, \([0-9]*\) not forwarded$/\1/p' "$work/listen.err" | tail -1)
    if [ -z "$dropped" ]; then   # a build that does not count them: what the store lacks
        dropped=$(( stored - 1 - forwarded_total ))   # less the warm-up hook, which may have gone before the window
        (( dropped < 0 )) && dropped=0
    fi
    forwarded_rps=$(calc "$in_window / $took")
    captured_all+=("$rps"); forwarded_all+=("$forwarded_rps"); dropped_all+=("$dropped")
    ratio_all+=("$(calc "$forwarded_rps / $rps")")
    printf 'round %d: alone %.0f/s; forwarding: captured %.0f/s, forwarded %.0f/s (%s), %d of %d hooks not forwarded;' \
        "$round" "${alone_all[-1]}" "$rps" "$forwarded_rps" "${ratio_all[-1]}" "$dropped" "$stored"
    printf ' RSS %s MiB at start, %s MiB at the end, peak %s MiB\n' "$(mib "$rss_start")" "$(mib "$rss_end")" "$(mib "$hwm")"
done

alone=$(median "${alone_all[@]}")
captured=$(median "${captured_all[@]}")
forwarded=$(median "${forwarded_all[@]}")
label=$([ "$rounds" -gt 1 ] && echo " (median of $rounds)" || true)
printf '\n%-40s %12s\n' "" "hooks/s"
printf '%-40s %12.0f%s\n' "listen alone: captured" "$alone" "$label"
printf '%-40s %12.0f%s\n' "listen --forward-to nginx: captured" "$captured" "$label"
printf '%-40s %12.0f%s\n' "listen --forward-to nginx: forwarded" "$forwarded" "$label"
printf '%-40s %12.2f   (target >= 0.95: the forwarder keeps up)\n' "ratio forwarded / captured" "$(median "${ratio_all[@]}")"
printf '%-40s %12.2f\n' "ratio captured forwarding / alone" "$(calc "$captured / $alone")"
printf '%-40s %12s   (the queue holds 1000 waiting hooks; the oldest are left out and counted)\n' "hooks not forwarded" "$(median "${dropped_all[@]}")"
printf '%-40s %12s MiB at start, %s MiB at the end, peak %s MiB (last round; target <= 64 MiB)\n' \
    "resident memory" "$(mib "$rss_start")" "$(mib "$rss_end")" "$(mib "$hwm")"
