#!/usr/bin/env bash
# Delivery speed: `hookscope replay --parallel 16` of N stored small hooks to a
# local nginx, against `curl --parallel --parallel-max 16` sending the same N
# bodies to the same nginx. Prints both rates and their ratio.
#
#   tests/bench/replay-vs-curl.sh [path/to/hookscope] [hooks]
#
# hookscope opens a fresh connection per delivery (a webhook is never resent on
# a reused connection) and stores every delivery; curl reuses its connections
# and stores nothing: the ratio includes both costs.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
hookscope=${1:-$here/../../build/app/hookscope}
hooks=${2:-10000}
parallel=16

source "$here/nginx.sh"
bench_setup nginx curl python3
start_nginx "$work"
port=$nginx_port
until curl -s -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.05; done

# The same small Codewars hook N times, into a store through a HAR import, and
# the same body for curl.
body='{"action":"rank_earned","user":{"id":"5c0a4d8ee8d8f20c3e1c3c9e","honor":4105,"rank":-3}}'
printf '%s' "$body" > "$work/body.json"
python3 - "$work/hooks.har" "$hooks" "$body" <<'PY'
import json, sys
path, count, body = sys.argv[1], int(sys.argv[2]), sys.argv[3]
entry = {
    "startedDateTime": "2026-12-01T12:00:00.000Z", "time": 0,
    "request": {"method": "POST", "url": "http://127.0.0.1/hooks", "httpVersion": "HTTP/1.1",
                "headers": [{"name": "User-Agent", "value": "Codewars Hookbot"},
                            {"name": "Content-Type", "value": "application/json"},
                            {"name": "X-Webhook-Event", "value": "user"}],
                "queryString": [], "cookies": [], "headersSize": -1, "bodySize": len(body),
                "postData": {"mimeType": "application/json", "text": body}},
    "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "headers": [], "cookies": [],
                 "content": {"size": 0, "mimeType": "text/plain"}, "redirectURL": "", "headersSize": -1, "bodySize": 0},
    "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0}}
json.dump({"log": {"version": "1.2", "creator": {"name": "bench", "version": "1"}, "entries": [entry] * count}},
          open(path, "w"))
PY
"$hookscope" import --db "$work/hooks.sqlite" "$work/hooks.har" > /dev/null
for ((i = 1; i <= hooks; i++)); do
    ((i > 1)) && echo next
    printf 'url = "http://127.0.0.1:%s/hooks"\ndata-binary = "@%s"\nheader = "Content-Type: application/json"\noutput = "/dev/null"\n' \
        "$port" "$work/body.json"
done > "$work/curl.conf"

now_ns() { date +%s%N; }
start=$(now_ns)
"$hookscope" replay --db "$work/hooks.sqlite" $(seq 1 "$hooks") --to "http://127.0.0.1:$port/" --parallel "$parallel" \
    > "$work/replay.out"
hs_ns=$(( $(now_ns) - start ))
delivered=$(grep -c -- '-> 200 OK' "$work/replay.out" || true)

start=$(now_ns)
curl --parallel --parallel-max "$parallel" --no-progress-meter -K "$work/curl.conf"
curl_ns=$(( $(now_ns) - start ))

awk -v n="$hooks" -v ok="$delivered" -v hs="$hs_ns" -v cu="$curl_ns" -v p="$parallel" 'BEGIN {
    hr = n / (hs / 1e9); cr = n / (cu / 1e9)
    printf "hookscope replay --parallel %d: %d hooks in %.2f s, %.0f/s (%d answered 200)\n", p, n, hs / 1e9, hr, ok
    printf "curl --parallel-max %d:          %d bodies in %.2f s, %.0f/s\n", p, n, cu / 1e9, cr
    printf "ratio hookscope/curl: %.2f\n", hr / cr
}'
