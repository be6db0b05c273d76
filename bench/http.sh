#!/usr/bin/env bash
# Patrol's HTTP benchmark: Patrol, blackbox_exporter and bare wrk against one local nginx, CPU per check compared.
# See bench/README.md for the method; `bench/http.sh --help` for the options.
set -euo pipefail

# `--fleet` (first): every target its own loopback address, several rates, peers side by side; a script of its own.
if [ "${1-}" = --fleet ]; then shift; exec "$(dirname "$0")/fleet/http.sh" "$@"; fi

usage() {
    cat <<'EOF'
Usage: bench/http.sh [options]

Starts nginx on 127.0.0.1 and measures, in one run each:
  1. Patrol: --targets HTTP targets at --interval (all pointing at that nginx), --warmup, then a --duration window
  2. blackbox_exporter: wrk drives /probe?module=http_2xx at that nginx with --bb-connections concurrent probes
  3. wrk straight at nginx with keep-alive (the client CPU floor)
and prints the medians over --runs runs. Everything listens on 127.0.0.1 only.

Options:
  --targets N           HTTP targets, one check each (default 2000)
  --interval D          check interval, HOCON duration in whole seconds (default 1s)
  --warmup S            seconds before each measured window (default 30; blackbox and wrk get a third of it)
  --duration S          seconds in each measured window (default 60)
  --runs N              independent runs, fresh processes each (default 3)
  --bb-rate R           probes per second driven into blackbox_exporter (default: targets / interval, Patrol's
                        rate): wrk connections that pause 10 ms before each request, R * 12 ms of them (a probe
                        takes about 2 ms here); 0 drives 8 connections as fast as blackbox_exporter goes
  --bb-connections N    override that number of connections
  --wrk-connections N   keep-alive connections of the wrk floor run (default 16)
  --one-port            point every target at one nginx port; by default each target gets its own port (nginx
                        listens on all of them), so Patrol keeps one connection per target as with distinct hosts
  --java-opts "..."     JVM options for Patrol (default: $JAVA_OPTS; see DEFAULT_JAVA_OPTS below)
  --max-load L          before each run, wait (at most --load-wait s) until the 1-minute load is below L (default 1.0)
  --load-wait S         (default 120)
  --patrol-only         skip blackbox_exporter and wrk (for profiling)
  --patrol PATH         the Patrol launcher (default packaging/target/bin/patrol)
  --keep                keep the work directory (configs, logs, raw results)
  --write               write the results into docs/BENCHMARKS.md (between its generated-section markers)
  --fleet ...         (first) the fleet shape instead: every target its own address, one row per rate;
                      `bench/http.sh --fleet --help` lists its options
  -h, --help
EOF
}

# A bounded heap keeps the resident set near what a real deployment would see; why these: bench/README.md.
DEFAULT_JAVA_OPTS="-Xms64m -Xmx256m"

targets=2000 interval=1s warmup=30 duration=60 runs=3 bb_connections="" bb_rate="" wrk_connections=16
java_opts="${JAVA_OPTS-$DEFAULT_JAVA_OPTS}" max_load=1.0 load_wait=120 patrol_only=0 one_port=0 keep=0 write=0
repo=$(cd "$(dirname "$0")/.." && pwd)
patrol="$repo/packaging/target/bin/patrol"
original_args="$*"
while [ $# -gt 0 ]; do
    case "$1" in
        --targets) targets=$2; shift 2 ;;
        --interval) interval=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --bb-connections) bb_connections=$2; shift 2 ;;
        --bb-rate) bb_rate=$2; shift 2 ;;
        --wrk-connections) wrk_connections=$2; shift 2 ;;
        --java-opts) java_opts=$2; shift 2 ;;
        --max-load) max_load=$2; shift 2 ;;
        --load-wait) load_wait=$2; shift 2 ;;
        --patrol-only) patrol_only=1; shift ;;
        --one-port) one_port=1; shift ;;
        --patrol) patrol=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        --write) write=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done
interval_seconds=${interval%s}
case "$interval_seconds" in '' | *[!0-9]*) echo "--interval must be whole seconds such as 1s" >&2; exit 2 ;; esac
for tool in nginx wrk prometheus-blackbox-exporter python3 curl java; do
    command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install nginx-light wrk prometheus-blackbox-exporter)" >&2; exit 2; }
done
[ -n "$bb_rate" ] || bb_rate=$((targets / interval_seconds))
# Paced like Patrol's load (many slow clients) rather than saturated; the rate reached is reported, not assumed.
if [ "$bb_rate" -gt 0 ]; then
    bb_delay_ms=10
    [ -n "$bb_connections" ] || bb_connections=$(((bb_rate * 12 + 999) / 1000))
else
    bb_delay_ms=0
    [ -n "$bb_connections" ] || bb_connections=8
fi
[ -x "$patrol" ] || { echo "no Patrol launcher at $patrol: build with mvn -q package -DskipTests" >&2; exit 2; }
patrol_home=$(cd "$(dirname "$(readlink -f "$patrol")")/.." && pwd)

stat_py="$repo/bench/lib/benchstat.py"
work=$(mktemp -d /tmp/patrol-bench.XXXXXX)
clk_tck=$(getconf CLK_TCK)
pids=()

# shellcheck source=lib/common.sh
. "$repo/bench/lib/common.sh"


cleanup() {
    local pid
    for pid in "${pids[@]}"; do stop_pid "$pid"; done
    if [ "$keep" = 1 ]; then log "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# utime + stime per thread, "name ticks" lines; thread names tell Quartz, HTTP, GC and JIT threads apart.
thread_ticks() {
    local task
    for task in /proc/"$1"/task/*; do
        printf '%s\t%s\n' "$(cat "$task/comm" 2>/dev/null)" "$(cpu_ticks "${task#/proc/}" 2>/dev/null || echo 0)"
    done
}
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
# Busy ticks of the whole machine: user nice system irq softirq steal.
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
now() { date +%s.%N; }

wait_http() { # url seconds
    local i
    for i in $(seq 1 $(($2 * 10))); do
        curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "no answer from $1 after $2 s" >&2
    return 1
}


# ---- nginx -----------------------------------------------------------------------------------------------------

# Each target gets its own port unless --one-port: the JDK client pools connections per (host, port), so this gives
# one kept-alive connection per target, as a fleet of distinct hosts would, rather than however many the start-up
# burst happened to open.
if [ "$one_port" = 1 ]; then read -ra target_ports < <(python3 "$stat_py" free-port 1)
else read -ra target_ports < <(python3 "$stat_py" free-port "$targets"); fi
nginx_port=${target_ports[0]}
nginx_url="http://127.0.0.1:$nginx_port"
start_nginx() {
    local prefix="$work/nginx" port
    mkdir -p "$prefix/html" "$prefix/tmp" "$prefix/logs"
    printf 'ok: patrol benchmark target\n' >"$prefix/html/index.html"
    {
        [ "$(id -u)" = 0 ] && echo "user root;"
        cat <<EOF
worker_processes 1;
daemon off;
error_log $prefix/logs/error.log warn;
pid $prefix/nginx.pid;
worker_rlimit_nofile $((${#target_ports[@]} * 2 + 8192));
events { worker_connections $((${#target_ports[@]} * 2 + 4096)); }
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
EOF
        for port in "${target_ports[@]}"; do echo "    listen 127.0.0.1:$port;"; done
        cat <<EOF
    root $prefix/html;
    location = /nginx_status { stub_status; }
  }
}
EOF
    } >"$prefix/nginx.conf"
    nginx -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/logs/error.log" &
    nginx_pid=$!
    pids+=("$nginx_pid")
    wait_http "$nginx_url/" 10
    nginx_worker=$(pgrep -P "$nginx_pid" | head -1)
    [ -n "$nginx_worker" ] || { echo "nginx has no worker process" >&2; exit 1; }
}
nginx_requests() { python3 "$stat_py" nginx-requests "$nginx_url/nginx_status"; }

# ---- 1. Patrol -------------------------------------------------------------------------------------------------

write_patrol_config() { # file port
    local i
    {
        cat <<EOF
patrol {
  web.listen = "127.0.0.1:$2"
  state-dir = "$work/patrol-state"
  limits { max-in-flight = 10000, max-in-flight-per-host = 10000, max-in-flight-per-check = 10000 }
  checks {
    bench { type = http, url = "http://{host}:{port}/", targets = { role = bench }, interval = $interval, timeout = 2s }
  }
  targets {
EOF
        for i in $(seq 1 "$targets"); do
            printf '    t-%05d { host = "127.0.0.1", port = %d, labels { role = bench } }\n' \
                "$i" "${target_ports[$(((i - 1) % ${#target_ports[@]}))]}"
        done
        echo "  }"
        echo "}"
    } >"$1"
}

measure_patrol() { # run-number; sets patrol_args
    local port conf pid rss max_rss i metrics
    port=$(python3 "$stat_py" free-port)
    conf="$work/patrol-$1.conf"
    write_patrol_config "$conf" "$port"
    metrics="http://127.0.0.1:$port/metrics"
    log "run $1: Patrol, $targets targets every $interval, warm-up ${warmup}s"
    JAVA_OPTS="$java_opts" "$work/patrol/bin/patrol" run --config "$conf" >"$work/patrol-$1.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    wait_http "http://127.0.0.1:$port/-/ready" 60
    sleep "$warmup"
    kill -0 "$pid" || { echo "Patrol exited; log in $work/patrol-$1.log" >&2; exit 1; }
    patrol_args="p_t0=$(now) p_cpu0=$(cpu_ticks "$pid") sys_busy0=$(busy_ticks)"
    patrol_args+=" np_cpu0=$(cpu_ticks "$nginx_worker") np_req0=$(nginx_requests)"
    thread_ticks "$pid" >"$work/patrol-$1-threads-a.tsv"
    python3 "$stat_py" snapshot "$metrics" "$work/patrol-$1-a.json"
    max_rss=0
    for i in $(seq 1 "$duration"); do
        sleep 1
        rss=$(rss_kib "$pid" 2>/dev/null || echo 0)
        if [ "$rss" -gt "$max_rss" ]; then max_rss=$rss; fi
    done
    patrol_args+=" p_t1=$(now) p_cpu1=$(cpu_ticks "$pid") sys_busy1=$(busy_ticks)"
    thread_ticks "$pid" >"$work/patrol-$1-threads-b.tsv"
    patrol_args+=" np_cpu1=$(cpu_ticks "$nginx_worker") np_req1=$(nginx_requests) p_rss_kib=$max_rss"
    patrol_args+=" p_connections=$(ss -Htnp state established | grep -c "pid=$pid,")"
    patrol_args+=" p_threads=$(ls "/proc/$pid/task" | wc -l)"
    python3 "$stat_py" snapshot "$metrics" "$work/patrol-$1-b.json"
    python3 "$stat_py" patrol-window "$work/patrol-$1-a.json" "$work/patrol-$1-b.json" \
        "$work/patrol-$1-threads-a.tsv" "$work/patrol-$1-threads-b.tsv" >"$work/patrol-$1-window.json"
    stop_pid "$pid"
}

# ---- 2. blackbox_exporter --------------------------------------------------------------------------------------

measure_blackbox() { # run-number; sets bb_args
    local port pid wrk_pid max_rss rss i url
    port=$(python3 "$stat_py" free-port)
    cat >"$work/blackbox.yml" <<'EOF'
modules:
  http_2xx:
    prober: http
    timeout: 5s
    http:
      preferred_ip_protocol: ip4
      ip_protocol_fallback: false
EOF
    log "run $1: blackbox_exporter, wrk -c $bb_connections (pause ${bb_delay_ms} ms) on /probe, warm-up $((warmup / 3))s"
    prometheus-blackbox-exporter --config.file="$work/blackbox.yml" --web.listen-address="127.0.0.1:$port" \
        >"$work/blackbox-$1.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    url="http://127.0.0.1:$port/probe?module=http_2xx&target=$nginx_url/"
    wait_http "http://127.0.0.1:$port/-/healthy" 20
    curl -fsS "$url" | grep -q '^probe_success 1' || { echo "blackbox probe of $nginx_url/ fails" >&2; exit 1; }
    BENCH_DELAY_MS=$bb_delay_ms timeout $((warmup / 3 + 30)) \
        wrk -t1 -c"$bb_connections" -d"$((warmup / 3))s" -s "$repo/bench/lib/paced.lua" "$url" >/dev/null
    bb_args="bb_cpu0=$(cpu_ticks "$pid") nb_cpu0=$(cpu_ticks "$nginx_worker") nb_req0=$(nginx_requests)"
    BENCH_DELAY_MS=$bb_delay_ms timeout $((duration + 30)) wrk -t1 -c"$bb_connections" -d"${duration}s" \
        --timeout 10s -s "$repo/bench/lib/paced.lua" "$url" >"$work/blackbox-$1-wrk.txt" &
    wrk_pid=$!
    max_rss=0
    for i in $(seq 1 $((duration * 2 + 60))); do
        kill -0 "$wrk_pid" 2>/dev/null || break
        rss=$(rss_kib "$pid" 2>/dev/null || echo 0)
        if [ "$rss" -gt "$max_rss" ]; then max_rss=$rss; fi
        sleep 0.5
    done
    wait "$wrk_pid"
    bb_args+=" bb_cpu1=$(cpu_ticks "$pid") nb_cpu1=$(cpu_ticks "$nginx_worker") nb_req1=$(nginx_requests)"
    bb_args+=" bb_rss_kib=$max_rss"
    read -r requests seconds failed < <(python3 "$stat_py" wrk-requests "$work/blackbox-$1-wrk.txt")
    bb_args+=" bb_requests=$requests bb_seconds=$seconds bb_failed=$failed"
    stop_pid "$pid"
}

# ---- 3. wrk straight at nginx ----------------------------------------------------------------------------------

measure_wrk() { # run-number; sets wrk_args
    local user sys
    log "run $1: wrk -t1 -c $wrk_connections straight at nginx"
    timeout $((warmup / 3 + 30)) wrk -t1 -c"$wrk_connections" -d"$((warmup / 3))s" "$nginx_url/" >/dev/null
    wrk_args="nw_cpu0=$(cpu_ticks "$nginx_worker") nw_req0=$(nginx_requests)"
    /usr/bin/time -f '%U %S' -o "$work/wrk-$1.time" \
        timeout $((duration + 30)) wrk -t1 -c"$wrk_connections" -d"${duration}s" "$nginx_url/" >"$work/wrk-$1.txt"
    wrk_args+=" nw_cpu1=$(cpu_ticks "$nginx_worker") nw_req1=$(nginx_requests)"
    read -r user sys <"$work/wrk-$1.time"
    read -r requests seconds failed < <(python3 "$stat_py" wrk-requests "$work/wrk-$1.txt")
    wrk_args+=" wrk_user=$user wrk_sys=$sys wrk_requests=$requests wrk_seconds=$seconds wrk_failed=$failed"
}

# ---- main ------------------------------------------------------------------------------------------------------

ulimit -n 65536 2>/dev/null || true
# A private copy, so that a rebuild of packaging/target during the benchmark cannot change what is measured.
mkdir -p "$work/patrol"
cp -r "$patrol_home/bin" "$patrol_home/lib" "$patrol_home/patrol.jar" "$work/patrol/"
"$work/patrol/bin/patrol" --version >/dev/null
start_nginx
log "nginx $nginx_url (worker pid $nginx_worker), work directory $work"
results="$work/runs.jsonl"
for run in $(seq 1 "$runs"); do
    wait_for_quiet
    load_before=$(load1)
    measure_patrol "$run"
    bb_args="" wrk_args=""
    if [ "$patrol_only" = 0 ]; then
        measure_blackbox "$run"
        measure_wrk "$run"
    fi
    # shellcheck disable=SC2086 # the argument lists are key=value words by construction
    python3 "$stat_py" record "$results" "$work/patrol-$run-window.json" clk_tck="$clk_tck" \
        load_before="$load_before" $patrol_args $bb_args $wrk_args
done

mem_kib=$(awk '/^MemTotal/ {print $2}' /proc/meminfo)
python3 "$stat_py" facts "$work/facts.json" \
    "date=$(date -u +%Y-%m-%dT%H:%MZ)" \
    "command=bench/http.sh${original_args:+ $original_args}" \
    "nproc=$(nproc)" \
    "cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)" \
    "ram=$((mem_kib / 1024 / 1024)) GiB" \
    "kernel=$(uname -r)" \
    "java=$(java -version 2>&1 | sed -n 2p)" \
    "nginx=$(nginx -v 2>&1 | sed 's/.*nginx\///')" \
    "blackbox=$(prometheus-blackbox-exporter --version 2>&1 | awk 'NR == 1 {print $3}')" \
    "wrk=$(wrk -v 2>&1 | awk 'NR == 1 {print $2}')" \
    "launcher_opts=$(sed -n 's/^exec "$JAVA" \(.*\) $JAVA_OPTS .*/\1/p' "$work/patrol/bin/patrol")" \
    "java_opts=$java_opts" "targets=$targets" "interval=$interval" "interval_seconds=$interval_seconds" \
    "warmup=$warmup" "duration=$duration" "bb_connections=$bb_connections" "bb_delay_ms=$bb_delay_ms" "wrk_connections=$wrk_connections"
python3 "$stat_py" report "$results" "$work/facts.json" "$work/section.md"
cat "$work/section.md"
if [ "$write" = 1 ]; then
    python3 "$stat_py" splice "$repo/docs/BENCHMARKS.md" "$work/section.md"
    log "updated docs/BENCHMARKS.md"
fi
