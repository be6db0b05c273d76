#!/usr/bin/env bash
# HTTP at the shape of a fleet: every target its own loopback address (127.1.X.Y), Patrol and blackbox_exporter side
# by side at each of several rates. Run as `bench/http.sh --fleet [options]`; see bench/README.md.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: bench/http.sh --fleet [options]

Starts one nginx on 0.0.0.0:PORT; target I is the address 127.1.X.Y (loopback, a host of its own to the client).
For each rate R (targets every 1 s, so R targets), in one run each:
  1. Patrol: R http targets (host = 127.1.X.Y), --warmup s, then a --duration s window: CPU-ms per check, lateness
  2. blackbox_exporter: wrk drives /probe?target=http://127.1.X.Y:PORT/ cycling through the same R addresses at
     about R probes/s (lib/fleet-paced.lua), --bb-warmup s, then a --duration s window: CPU-ms per probe
and prints one Markdown row per rate (medians over --runs). Traffic goes to 127.0.0.0/8 only.

Options:
  --rates R,R,...     checks per second, one row each (default 50,400,2000)
  --warmup S          Patrol's warm-up before each window (default 30)
  --bb-warmup S       blackbox_exporter's warm-up (default 10)
  --duration S        seconds in each window (default 30)
  --runs N            runs per rate (default 1)
  --java-opts "..."   JVM options for Patrol (default "-Xms64m -Xmx256m", as bench/http.sh)
  --max-load L        wait (at most --load-wait s) for the 1-minute load to fall below L before each run (default 1.5)
  --load-wait S       (default 60)
  --patrol PATH       the launcher (default packaging/target/bin/patrol); run from a private copy
  --patrol-only       skip blackbox_exporter (to compare two Patrol builds or settings)
  --out FILE          where the Markdown table goes (default: the work directory's fleet-http.md)
  --keep              keep the work directory
  -h, --help
EOF
}

rates=50,400,2000 warmup=30 bb_warmup=10 duration=30 runs=1 java_opts="-Xms64m -Xmx256m" max_load=1.5 load_wait=60
keep=0 out="" patrol_only=0
repo=$(cd "$(dirname "$0")/../.." && pwd)
patrol="$repo/packaging/target/bin/patrol"
while [ $# -gt 0 ]; do
    case "$1" in
        --rates) rates=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --bb-warmup) bb_warmup=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --java-opts) java_opts=$2; shift 2 ;;
        --max-load) max_load=$2; shift 2 ;;
        --load-wait) load_wait=$2; shift 2 ;;
        --patrol) patrol=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        --patrol-only) patrol_only=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done
for tool in nginx wrk prometheus-blackbox-exporter python3 curl java; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
[ -x "$patrol" ] || { echo "no Patrol launcher at $patrol: build with mvn -q package -DskipTests" >&2; exit 2; }
IFS=, read -ra rate_list <<<"$rates"
max_rate=0
for r in "${rate_list[@]}"; do
    case "$r" in '' | *[!0-9]* | 0) echo "--rates takes positive whole numbers" >&2; exit 2 ;; esac
    [ "$r" -le 20000 ] || { echo "at most 20000 targets (127.1.0.1 .. 127.1.79.250)" >&2; exit 2; }
    [ "$r" -gt "$max_rate" ] && max_rate=$r
done

fleet_py="$repo/bench/fleet/fleet.py"
stat_py="$repo/bench/lib/benchstat.py"
work=$(mktemp -d /tmp/patrol-bench-fleet-http.XXXXXX)
clk_tck=$(getconf CLK_TCK)
pids=()
# shellcheck source=../lib/common.sh
. "$repo/bench/lib/common.sh"
cleanup() {
    local pid
    for pid in "${pids[@]}"; do stop_pid "$pid"; done
    if [ "$keep" = 1 ]; then log "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_http() { # url seconds
    local i
    for i in $(seq 1 $(($2 * 10))); do
        curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "no answer from $1 after $2 s" >&2
    return 1
}

start_nginx() {
    local prefix="$work/nginx"
    mkdir -p "$prefix/html" "$prefix/tmp" "$prefix/logs"
    printf 'ok: patrol benchmark target\n' >"$prefix/html/index.html"
    {
        [ "$(id -u)" = 0 ] && echo "user root;"
        cat <<EOF
worker_processes 1;
daemon off;
error_log $prefix/logs/error.log warn;
pid $prefix/nginx.pid;
worker_rlimit_nofile $((max_rate * 4 + 8192));
events { worker_connections $((max_rate * 4 + 4096)); }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  client_body_temp_path $prefix/tmp/client_body;
  proxy_temp_path $prefix/tmp/proxy;
  fastcgi_temp_path $prefix/tmp/fastcgi;
  uwsgi_temp_path $prefix/tmp/uwsgi;
  scgi_temp_path $prefix/tmp/scgi;
  types { text/html html; }
  server {
    listen 0.0.0.0:$port;
    root $prefix/html;
    location = /nginx_status { allow 127.0.0.0/8; deny all; stub_status; }
  }
}
EOF
    } >"$prefix/nginx.conf"
    nginx -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/logs/error.log" &
    pids+=("$!")
    wait_http "http://127.0.0.1:$port/" 10
    wait_http "http://$(python3 "$fleet_py" http-addr "$max_rate"):$port/" 5
}

measure_patrol() { # rate run
    local web conf pid metrics t0 c0 prefix="$work/patrol-$1-$2"
    web=$(free_port)
    conf="$prefix.conf"
    rm -rf "$work/patrol-state"
    python3 "$fleet_py" patrol-config "$conf" "$web" "$work" "http=$1,$port,1s"
    metrics="http://127.0.0.1:$web/metrics"
    log "rate $1 run $2: Patrol, $1 targets (127.1.0.1 ..) every 1s, warm-up ${warmup}s, window ${duration}s"
    JAVA_OPTS="$java_opts" "$work/patrol/bin/patrol" run --config "$conf" >"$prefix.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    wait_http "http://127.0.0.1:$web/-/ready" 60
    sleep "$warmup"
    kill -0 "$pid" || { echo "Patrol exited; log in $prefix.log" >&2; exit 1; }
    python3 "$stat_py" snapshot "$metrics" "$prefix-a.json"
    t0=$(date +%s.%N) c0=$(cpu_ticks "$pid")
    jit_thread_ticks "$pid" >"$prefix-jit-a.txt"
    sleep "$duration"
    python3 "$stat_py" snapshot "$metrics" "$prefix-b.json"
    row_args+=" p_seconds=$(echo "$(date +%s.%N) - $t0" | bc) p_ticks=$(($(cpu_ticks "$pid") - c0))"
    row_args+=" p_jit_ticks=$(jit_ticks_since "$prefix-jit-a.txt" "$pid")"
    python3 "$stat_py" patrol-window "$prefix-a.json" "$prefix-b.json" >"$prefix-window.json"
    row_args+=" @$prefix-window.json"
    stop_pid "$pid"
}

measure_blackbox() { # rate run
    local web pid connections delay c0 n0 requests seconds failed prefix="$work/blackbox-$1-$2"
    web=$(free_port)
    printf 'modules:\n  http_2xx:\n    prober: http\n    timeout: 5s\n    http:\n      preferred_ip_protocol: ip4\n' \
        >"$work/blackbox.yml"
    prometheus-blackbox-exporter --config.file="$work/blackbox.yml" --web.listen-address="127.0.0.1:$web" \
        >"$prefix.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    wait_http "http://127.0.0.1:$web/-/healthy" 20
    python3 "$fleet_py" urls "$work/urls-$1.txt" "$1" "$port"
    curl -fsS "http://127.0.0.1:$web$(head -1 "$work/urls-$1.txt")" | grep -q '^probe_success 1' ||
        { echo "blackbox_exporter's probe of the first target fails" >&2; exit 1; }
    # Each connection pauses DELAY ms before a request that takes about 2 ms: CONNECTIONS * 1000 / (DELAY + 2) /s.
    connections=$((($1 * 12 + 999) / 1000))
    delay=$((connections * 1000 / $1 - 2))
    [ "$delay" -ge 0 ] || delay=0
    log "rate $1 run $2: blackbox_exporter, wrk -c $connections pausing ${delay} ms over $1 addresses"
    export BENCH_DELAY_MS=$delay BENCH_URLS="$work/urls-$1.txt"
    timeout $((bb_warmup + 30)) wrk -t1 -c"$connections" -d"${bb_warmup}s" -s "$repo/bench/lib/fleet-paced.lua" \
        "http://127.0.0.1:$web" >/dev/null
    c0=$(cpu_ticks "$pid") n0=$(python3 "$stat_py" nginx-requests "http://127.0.0.1:$port/nginx_status")
    timeout $((duration + 30)) wrk -t1 -c"$connections" -d"${duration}s" --timeout 10s \
        -s "$repo/bench/lib/fleet-paced.lua" "http://127.0.0.1:$web" >"$prefix-wrk.txt"
    read -r requests seconds failed < <(python3 "$stat_py" wrk-requests "$prefix-wrk.txt")
    row_args+=" bb_ticks=$(($(cpu_ticks "$pid") - c0)) bb_requests=$requests bb_seconds=$seconds bb_failed=$failed"
    row_args+=" bb_nginx_requests=$(($(python3 "$stat_py" nginx-requests "http://127.0.0.1:$port/nginx_status") - n0))"
    stop_pid "$pid"
}

ulimit -n 65536 2>/dev/null || true
patrol_home=$(cd "$(dirname "$(readlink -f "$patrol")")/.." && pwd)
mkdir -p "$work/patrol"
cp -r "$patrol_home/bin" "$patrol_home/lib" "$patrol_home/patrol.jar" "$work/patrol/"
port=$(free_port)
start_nginx
log "nginx on 0.0.0.0:$port, targets 127.1.0.1 .. $(python3 "$fleet_py" http-addr "$max_rate"), work directory $work"
for rate in "${rate_list[@]}"; do
    for run in $(seq 1 "$runs"); do
        wait_for_quiet
        row_args="rate=$rate run=$run clk_tck=$clk_tck load=$(load1)"
        measure_patrol "$rate" "$run"
        [ "$patrol_only" = 1 ] || measure_blackbox "$rate" "$run"
        # shellcheck disable=SC2086 # key=value words by construction
        python3 "$fleet_py" row $row_args load_after="$(load1)" | tee -a "$work/runs.jsonl" >&2
    done
done
[ -n "$out" ] || out="$work/fleet-http.md"
{
    echo "bench/http.sh --fleet --rates $rates --warmup $warmup --bb-warmup $bb_warmup --duration $duration" \
        "--runs $runs, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, commit $(git -C "$repo" rev-parse --short HEAD)"
    echo
    python3 "$fleet_py" table http "$work/runs.jsonl"
} >"$out"
cat "$out"
