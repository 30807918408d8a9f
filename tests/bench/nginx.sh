# Sourced by the benchmarks: start_nginx WORK starts nginx in the background on a
# random loopback port (nginx_port), with two workers (one per core), no access
# log, answering every request with a small JSON body from memory; its pid goes
# to the caller's pids array.
start_nginx() {
    local work=$1
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
}
