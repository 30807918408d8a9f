#!/usr/bin/env bash
# The forwarder under load: wrk posts hooks to `hookscope listen --forward-to` a
# local nginx (2 threads, 16 keep-alive connections), side by side with the same
# listener forwarding nothing. Prints hooks captured per second (wrk's answers),
# hooks forwarded per second (the requests nginx answered the forwarder in the same
# window), their ratio, the hooks the forwarder's bounded queue left out (as
# `listen` counts them in its last line), and the listener's resident memory at
# start, at the end of the load and at its peak.
#
# wrk sends as fast as the listener answers, which on a small machine is more
# than libcurl can forward (tests/bench/replay-vs-curl.sh measures curl's own
# rate); so the forwarding listener also takes paced loads, each connection
# waiting between an answer and its next request, at the rates in
# BENCH_FORWARD_RATES (hooks per second offered; default "2000 5000 10000"):
# below its ceiling the forwarder must keep up (forwarded / captured >= 0.95,
# nothing left out).
#
#   tests/bench/forward-under-load.sh [path/to/hookscope] [seconds] [rounds]
#
# With several rounds the runs take turns and the medians are printed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
hookscope=${1:-$here/../../build/app/hookscope}
seconds=${2:-10}
rounds=${3:-1}
connections=16
threads=2
rates=(${BENCH_FORWARD_RATES:-2000 5000 10000})

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
load() {   # $1: the hooks per second to offer, or nothing for as many as are answered
    local pause=0
    [ -n "${1:-}" ] && pause=$(( (connections * 1000 + $1 / 2) / $1 ))
    [ -n "${1:-}" ] && (( pause == 0 )) && pause=1
    BENCH_DELAY_MS=$pause wrk -t$threads -c$connections -d"${seconds}s" -s "$here/codewars-post.lua" "${hs_url}codewars/hook" > "$work/wrk.log"
    rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.log")
    took=$(awk '/requests in/ {sub(/s,?$/, "", $4); print $4}' "$work/wrk.log")
}

# forward_run LABEL [RATE]: one run of the forwarding listener; appends to the
# arrays named after LABEL and prints a line.
forward_run() {
    local label=$1 rate=${2:-}
    local store="$work/forward-$label-$round.sqlite"
    start_listener "$store" --forward-to "http://127.0.0.1:$nginx_port/forwarded"
    rss_start=$(status_kib "$hs_pid" VmRSS)
    local before in_window last stored dropped forwarded_rps
    before=$(answered)
    load "$rate"
    in_window=$(( $(answered) - before ))
    rss_end=$(status_kib "$hs_pid" VmRSS)
    # What is still queued goes out before the listener stops (listen waits for it).
    last=-1
    while [ "$(answered)" != "$last" ]; do last=$(answered); sleep 0.5; done
    hwm=$(status_kib "$hs_pid" VmHWM)
    stop_listener
    stored=$("$hookscope" list --db "$store" --json | wc -l)
    # listen's last words: "forwarded to URL: N answered (M with 2xx), F failed, D not forwarded"
    dropped=$(sed -n 's/.*forwarded to .*, \([0-9]*\) not forwarded$/\1/p' "$work/listen.err" | tail -1)
    forwarded_rps=$(calc "$in_window / $took")
    eval "captured_$label+=(\"$rps\"); forwarded_$label+=(\"$forwarded_rps\"); dropped_$label+=(\"${dropped:-?}\")"
    eval "ratio_$label+=(\"$(calc "$forwarded_rps / $rps")\")"
    printf 'round %d, %s: captured %.0f/s, forwarded %.0f/s (%s), %s of %d hooks not forwarded;' "$round" \
        "$([ -n "$rate" ] && echo "paced for $rate/s" || echo "as fast as answered")" "$rps" "$forwarded_rps" \
        "$(calc "$forwarded_rps / $rps")" "${dropped:-?}" "$stored"
    printf ' RSS %s MiB at start, %s MiB at the end, peak %s MiB\n' "$(mib "$rss_start")" "$(mib "$rss_end")" "$(mib "$hwm")"
}

alone_all=()
for label in full "${rates[@]/#/paced}"; do
    eval "captured_$label=(); forwarded_$label=(); ratio_$label=(); dropped_$label=()"
done
for ((round = 1; round <= rounds; round++)); do
    start_listener "$work/alone-$round.sqlite"
    load
    alone_all+=("$rps")
    stop_listener
    printf 'round %d: listen alone %.0f/s\n' "$round" "$rps"
    forward_run full
    for rate in "${rates[@]}"; do forward_run "paced$rate" "$rate"; done
done

label=$([ "$rounds" -gt 1 ] && echo "median of $rounds" || echo "one run")
printf '\nlisten alone, as fast as answered: %.0f hooks/s captured (%s)\n\n' "$(median "${alone_all[@]}")" "$label"
printf '%-34s %10s %10s %10s %14s\n' "listen --forward-to nginx" "captured/s" "forwarded/s" "ratio" "not forwarded"
row() {   # $1: label suffix, $2: description
    local c f r d
    eval "c=\$(median \"\${captured_$1[@]}\"); f=\$(median \"\${forwarded_$1[@]}\")"
    eval "r=\$(median \"\${ratio_$1[@]}\"); d=\$(median \"\${dropped_$1[@]}\")"
    printf '%-34s %10.0f %10.0f %10.2f %14s\n' "$2" "$c" "$f" "$r" "$d"
}
row full "as fast as answered"
for rate in "${rates[@]}"; do row "paced$rate" "paced for $rate/s"; done
printf '(%s; target: ratio >= 0.95 and nothing left out wherever the forwarder is not past its ceiling;\n' "$label"
printf ' the queue holds 1000 waiting hooks, the oldest are left out and counted)\n'
printf 'resident memory, last run: %s MiB at start, %s MiB at the end, peak %s MiB\n' \
    "$(mib "$rss_start")" "$(mib "$rss_end")" "$(mib "$hwm")"
