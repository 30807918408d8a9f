#!/usr/bin/env bash
# Throughput of `hookscope listen` (storing every hook durably) against nginx
# answering the same POST from memory, side by side on loopback with wrk:
# keep-alive, 16 connections. Also start-to-first-answer and resident memory.
#
#   tests/bench/listener-vs-nginx.sh [path/to/hookscope] [seconds]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
hookscope=${1:-$here/../../build/app/hookscope}
seconds=${2:-10}
connections=16
threads=2

for tool in wrk nginx curl; do
    command -v "$tool" >/dev/null || { echo "missing $tool (packaging/install-deps.sh installs it)" >&2; exit 2; }
done
[ -x "$hookscope" ] || { echo "no hookscope binary at $hookscope" >&2; exit 2; }

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
rps() { awk '/Requests\/sec/ {print $2}'; }

# nginx: two workers (one per core), no access log, answers the POST from memory.
nginx_port=$(( 20000 + RANDOM % 20000 ))
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$nginx_port;
        location / { return 200 '{"id":1}\n'; }
    }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=($!)

# hookscope: time from exec to the first answered hook.
start_ns=$(date +%s%N)
"$hookscope" listen --port 0 --db "$work/hooks.sqlite" > "$work/listen.out" 2> "$work/listen.err" &
hs_pid=$!
pids+=($hs_pid)
until grep -q '^listening on' "$work/listen.out" 2>/dev/null; do sleep 0.001; done
hs_url=$(sed -n 's/^listening on //p' "$work/listen.out")
until curl -s -o /dev/null -X POST --data '{}' "${hs_url}warmup"; do sleep 0.001; done
first_answer_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
until curl -s -o /dev/null "http://127.0.0.1:$nginx_port/"; do sleep 0.05; done

run() { wrk -t$threads -c$connections -d"${seconds}s" -s "$here/codewars-post.lua" "$1" | tee -a "$work/wrk.log" | rps; }

nginx_rps=$(run "http://127.0.0.1:$nginx_port/codewars/hook")
hs_rps=$(run "${hs_url}codewars/hook")

stored=$("$hookscope" list --db "$work/hooks.sqlite" --json | wc -l)
rss_kib=$(awk '/VmRSS/ {print $2}' /proc/$hs_pid/status)
hwm_kib=$(awk '/VmHWM/ {print $2}' /proc/$hs_pid/status)
kill -TERM $hs_pid; wait $hs_pid || true
answered=$(awk '/requests in/ {print $1}' "$work/wrk.log" | tail -1)

printf '\n%-34s %12s\n' "" "requests/s"
printf '%-34s %12.0f\n' "nginx (return 200, memory)" "$nginx_rps"
printf '%-34s %12.0f\n' "hookscope listen (stored, WAL)" "$hs_rps"
printf '%-34s %12.2f   (target >= 0.50)\n' "ratio hookscope / nginx" "$(calc "$hs_rps / $nginx_rps")"
printf '%-34s %12s ms (target <= 100)\n' "start to first answer" "$first_answer_ms"
printf '%-34s %12s   (wrk counted %s answers)\n' "hooks in the store" "$stored" "$answered"
printf '%-34s %12.1f MiB (peak %.1f MiB; target <= 64 MiB)\n' "resident memory after the run" "$(calc "$rss_kib / 1024")" "$(calc "$hwm_kib / 1024")"
