# Sourced by the benchmarks.

# bench_setup TOOL...: exits 2 naming a tool that is not installed, or the
# hookscope binary ($hookscope) when it is missing; then makes a temporary folder
# ($work) and an array ($pids) of the processes started, which are ended, and the
# folder removed, when the script exits.
bench_setup() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "missing $tool (packaging/install-deps.sh installs it)" >&2; exit 2; }
    done
    [ -x "$hookscope" ] || { echo "no hookscope binary at $hookscope" >&2; exit 2; }
    work=$(mktemp -d)
    pids=()
    trap bench_cleanup EXIT
}
bench_cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }

# start_nginx WORK [counted] starts nginx in the background on a random loopback
# port (nginx_port), with two workers (one per core), answering every request
# with a small JSON body from memory; its pid goes to the caller's pids array.
# No access log, unless "counted": then one line per request in
# $nginx_access_log (to count the requests it answered).
start_nginx() {
    local work=$1 attempt
    local access_log=off
    nginx_access_log=$work/nginx/access.log
    [ "${2:-}" = counted ] && access_log="$nginx_access_log"
    mkdir -p "$work/nginx"
    # A random port may be taken: another one then, until nginx answers.
    for attempt in 1 2 3 4 5; do
        nginx_port=$(( 20000 + RANDOM % 20000 ))
        cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log $access_log;
    client_body_temp_path $work/nginx;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$nginx_port;
        location / { return 200 '{"id":1}\n'; }
    }
}
CONF
        nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
        local pid=$!
        until curl -s -o /dev/null "http://127.0.0.1:$nginx_port/"; do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        if kill -0 "$pid" 2>/dev/null; then
            pids+=($pid)
            [ "$access_log" = off ] || : > "$nginx_access_log"   # not the probe
            return 0
        fi
    done
    echo "nginx did not start: $(tail -1 "$work/nginx/error.log")" >&2
    exit 1
}
