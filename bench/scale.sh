#!/usr/bin/env bash
# Patrol's scale benchmark: one agent, started with the shipped launcher's JVM options, against a fleet shaped like a
# real one: --http HTTP targets every 15 s, each on its own loopback address (127.10.x.y, one nginx listening on
# 0.0.0.0), plus --ssh SSH targets every 30 s, each on its own address (127.20.x.y, one OpenSSH sshd on 0.0.0.0, one
# connection each), once per patrol.metrics.detail level (--levels; `default` sets no level, for a build without the
# key).
#
#   flock /tmp/patrol-bench.lock bench/scale.sh                    # 10,000 HTTP + 2,000 SSH, every level
#   flock /tmp/patrol-bench.lock bench/scale.sh --ssh 500 --levels standard --histogram /tmp/histo.txt
#   flock /tmp/patrol-bench.lock bench/scale.sh --http 2000 --ssh 0 --levels minimal --heap-dump /tmp/agent
#       (then: python3 bench/lib/heap_owners.py /tmp/agent.minimal.hprof, which field of which class holds the bytes)
#   flock /tmp/patrol-bench.lock bench/scale.sh --write            # and put the table into docs/BENCHMARKS.md
#   flock /tmp/patrol-bench.lock bench/scale.sh --peers-nice 19     # nginx and sshd only get the CPU the agent leaves
#   flock /tmp/patrol-bench.lock bench/scale.sh --keep /tmp/scale-run # keep the scrapes and the agent's log there
#
# --peers-nice N runs nginx and sshd (and every shell sshd forks) at nice N. In a real fleet the targets are other
# machines; here they share the agent's two cores, and 2,000 sshd sessions forking a shell 67 times a second load the
# box to 30 by themselves. At nice 19 they still answer every check, but they no longer take the agent's CPU, so
# lateness and scrape time measure the agent rather than the peers' load. The agent's own CPU is reported either way.
# --nginx-nice N gives nginx a nice value of its own (for example 0 with --peers-nice 19): real web servers do not
# share a machine with the SSH targets' shells.
#
# Per level it reports: peak RSS (VmHWM) over the whole run, start included; the series count and the time of a full
# uncompressed scrape of /metrics at the end; the p99 of patrol_scheduler_lateness_seconds over the measuring window
# (after --warmup); non-OK runs and skips of the first 45 s after start (the cold start: the first result of every
# pair falls in it); the agent's CPU over the window, in cores; and the 1-minute load. Bounded: every wait has a limit, every process started ends with the
# script, and traffic goes only to 127.0.0.0/8.
set -euo pipefail
http_targets=10000 ssh_targets=2000 levels="full standard minimal" warmup=90 duration=60 write=0 histogram="" heap_dump="" peers_nice=0 nginx_nice="" keep=""
repo=$(cd "$(dirname "$0")/.." && pwd)
patrol="$repo/packaging/target/bin/patrol"
while [ $# -gt 0 ]; do
    case "$1" in
        --http) http_targets=$2; shift 2 ;;
        --ssh) ssh_targets=$2; shift 2 ;;
        --levels) levels=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --patrol) patrol=$2; shift 2 ;;
        --histogram) histogram=$2; shift 2 ;;
        --heap-dump) heap_dump=$2; shift 2 ;;
        --peers-nice) peers_nice=$2; shift 2 ;;
        --nginx-nice) nginx_nice=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        --write) write=1; shift ;;
        -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ "$http_targets" -le 60000 ] && [ "$ssh_targets" -le 60000 ] || { echo "at most 60000 targets of each kind" >&2; exit 2; }
[ "$warmup" -ge 45 ] || { echo "--warmup must be at least 45 (the cold-start window)" >&2; exit 2; }
for tool in nginx /usr/sbin/sshd ssh-keygen python3 curl; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
[ -x "$patrol" ] || { echo "no launcher at $patrol: build with mvn -pl packaging -am package -DskipTests" >&2; exit 2; }
# shellcheck source=bench/lib/common.sh
. "$repo/bench/lib/common.sh"

work=$(mktemp -d /tmp/patrol-scale.XXXXXX)
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do stop_pid "$pid"; done
    # --keep DIR: the scrapes (cold-, a-, b-LEVEL.txt), the agent's log and config, for a look at what failed.
    [ -n "$keep" ] && mkdir -p "$keep" && cp "$work"/*.txt "$work"/patrol-* "$work"/nginx/logs/error.log "$keep"/ 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The n-th address (1-based) of a /16 under 127.0.0.0/8: 127.PREFIX.x.y, y never 0 or 255.
address() { echo "127.$1.$((($2 - 1) / 254)).$((($2 - 1) % 254 + 1))"; }

# ---- peers -----------------------------------------------------------------------------------------------------
http_port=$(free_port)
mkdir -p "$work/nginx/html" "$work/nginx/tmp" "$work/nginx/logs"
echo ok >"$work/nginx/html/index.html"
{
    [ "$(id -u)" = 0 ] && echo "user root;"
    cat <<EOF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
worker_rlimit_nofile $((http_targets * 2 + 4096));
events { worker_connections $((http_targets * 2 + 2048)); }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  client_body_temp_path $work/nginx/tmp/client_body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  types { text/html html; }
  server { listen 0.0.0.0:$http_port; root $work/nginx/html; }
}
EOF
} >"$work/nginx/nginx.conf"
nginx_nice=${nginx_nice:-$peers_nice}
nice -n "$nginx_nice" nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/logs/error.log" &
pids+=("$!")

ssh_port=$(free_port)
if [ "$ssh_targets" -gt 0 ]; then
    start_fleet_sshd "$ssh_port" 10 0
    # The listener's children (a process per session, a shell per command) inherit its nice value.
    renice -n "$peers_nice" -p "${pids[-1]}" >/dev/null
    host_key=$(cut -d' ' -f1,2 "$work/host_key.pub")
    for i in $(seq 1 "$ssh_targets"); do
        echo "[127.20.$(((i - 1) / 254)).$(((i - 1) % 254 + 1))]:$ssh_port $host_key"
    done >"$work/known_hosts"
fi
for i in $(seq 1 50); do
    curl -fsS -o /dev/null "http://$(address 10 "$http_targets"):$http_port/" && break
    [ "$i" = 50 ] && { echo "nginx did not answer" >&2; exit 1; }
    sleep 0.2
done

write_config() { # file web-port level
    {
        cat <<EOF
patrol {
  web.listen = "127.0.0.1:$2"
  state-dir = "$work/state"
$([ "$3" = default ] || echo "  metrics.detail = $3")
  ssh { user = "$(id -un)", identity-file = "$work/id_ed25519", known-hosts = "$work/known_hosts" }
  targets {
EOF
        for i in $(seq 1 "$http_targets"); do
            printf '    h%05d { host = "127.10.%d.%d", labels { kind = web } }\n' "$i" $(((i - 1) / 254)) $(((i - 1) % 254 + 1))
        done
        for i in $(seq 1 "$ssh_targets"); do
            printf '    s%05d { host = "127.20.%d.%d", port = %d, labels { kind = ssh } }\n' "$i" $(((i - 1) / 254)) $(((i - 1) % 254 + 1)) "$ssh_port"
        done
        echo "  }"
        echo "  checks {"
        if [ "$http_targets" -gt 0 ]; then
            echo "    web { type = http, url = \"http://{host}:$http_port/\", targets { kind = web }, interval = 15s, timeout = 5s }"
        fi
        if [ "$ssh_targets" -gt 0 ]; then
            echo "    shell { type = ssh-command, command = \"echo OK\", targets { kind = ssh }, interval = 30s, timeout = 10s }"
        fi
        echo "  }"
        echo "}"
    } >"$1"
}

# Sum of the counter family's samples (any labels) whose label set contains FILTER; 0 when none.
sum_series() { # metrics-file name [filter-regex]
    { grep "^$2[{ ]" "$1" || true; } | { grep -E -- "${3:-.}" || true; } | awk '{s += $NF} END {printf "%d\n", s}'
}

# p99 of a histogram over the window between two scrapes, interpolated within the bucket as histogram_quantile does.
lateness_p99() { # before-file after-file
    python3 - "$1" "$2" <<'PY'
import re, sys
def buckets(path):
    out = {}
    for line in open(path):
        m = re.match(r'patrol_scheduler_lateness_seconds_bucket\{le="([^"]+)",?\} (\S+)', line)
        if m:
            out[float(m.group(1))] = float(m.group(2))
    return out
a, b = buckets(sys.argv[1]), buckets(sys.argv[2])
if not b:
    print("n/a"); sys.exit()
les = sorted(b)
counts = [b[le] - a.get(le, 0) for le in les]
total = counts[-1]
if total <= 0:
    print("n/a"); sys.exit()
rank, prev_le, prev_c = 0.99 * total, 0.0, 0.0
for le, c in zip(les, counts):
    if c >= rank:
        if le == float("inf"):
            print(">%g s" % prev_le); break
        print("%.0f ms" % (1000 * (prev_le + (le - prev_le) * (rank - prev_c) / max(c - prev_c, 1e-9)))); break
    prev_le, prev_c = le, c
PY
}

results="$work/results.md"
: >"$results"
for level in $levels; do
    port=$(free_port)
    conf="$work/patrol-$level.conf"
    write_config "$conf" "$port" "$level"
    log "level $level: starting Patrol against $http_targets HTTP + $ssh_targets SSH targets (load $(load1))"
    "$patrol" run --config "$conf" >"$work/patrol-$level.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    started=$(date +%s)
    metrics="http://127.0.0.1:$port/metrics"
    for i in $(seq 1 240); do
        curl -fsS -o /dev/null "http://127.0.0.1:$port/-/ready" 2>/dev/null && break
        kill -0 "$pid" 2>/dev/null || { tail -20 "$work/patrol-$level.log" >&2; exit 1; }
        [ "$i" = 240 ] && { echo "Patrol not ready after 120 s" >&2; exit 1; }
        sleep 0.5
    done
    # A scrape that cannot finish in 120 s is a result too ("failed"), not the end of the run.
    scrape() { curl -fsS --max-time 120 -o "$1" -w '%{time_total}' "$metrics" 2>/dev/null || { : >"$1"; echo failed; }; }
    sleep $((started + 45 - $(date +%s) > 0 ? started + 45 - $(date +%s) : 0))
    cold_s=$(scrape "$work/cold-$level.txt")
    sleep $((started + warmup - $(date +%s) > 0 ? started + warmup - $(date +%s) : 0))
    scrape "$work/a-$level.txt" >/dev/null
    # An agent that has exited has no /proc entry: the check below reports it, so an empty reading must not end the
    # script here (set -e).
    ticks_a=$(cpu_ticks "$pid" 2>/dev/null) || ticks_a=""
    sleep "$duration"
    ticks_b=$(cpu_ticks "$pid" 2>/dev/null) || ticks_b=""
    scrape_s=$(scrape "$work/b-$level.txt")
    if ! kill -0 "$pid" 2>/dev/null; then
        log "level $level: Patrol exited; last lines of its log:"
        tail -20 "$work/patrol-$level.log" >&2
        printf '| %s | exited: %s |\n' "$level" "$(grep -m1 -E 'OutOfMemory|Exception' "$work/patrol-$level.log" | cut -c1-80)" >>"$results"
        continue
    fi
    [ -n "$histogram" ] && jcmd "$pid" GC.class_histogram >"$histogram.$level" 2>&1 || true
    [ -n "$histogram" ] && jcmd "$pid" GC.heap_info >"$histogram.$level.heap" 2>&1 || true
    [ -n "$heap_dump" ] && jcmd "$pid" GC.heap_dump "$heap_dump.$level.hprof" >/dev/null 2>&1 || true
    hwm_kib=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
    rss_kib=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
    series=$(grep -vc '^#' "$work/b-$level.txt" || true)
    check_series=$(grep -c '^patrol_check_' "$work/b-$level.txt" || true)
    bytes=$(wc -c <"$work/b-$level.txt")
    p99=$(lateness_p99 "$work/a-$level.txt" "$work/b-$level.txt")
    cold_bad=$(sum_series "$work/cold-$level.txt" patrol_check_runs_total 'result="(warning|critical|unknown|timeout|error)"')
    cold_ok=$(sum_series "$work/cold-$level.txt" patrol_check_runs_total 'result="ok"')
    cold_skips=$(sum_series "$work/cold-$level.txt" patrol_check_skipped_total)
    window_bad=$(($(sum_series "$work/b-$level.txt" patrol_check_runs_total 'result="(warning|critical|unknown|timeout|error)"') \
        - $(sum_series "$work/a-$level.txt" patrol_check_runs_total 'result="(warning|critical|unknown|timeout|error)"')))
    load=$(load1)
    # The agent's CPU over the window (between the two scrapes, so neither is in it), in cores.
    cores=$(awk -v t=$((ticks_b - ticks_a)) -v hz="$(getconf CLK_TCK)" -v d="$duration" 'BEGIN {printf "%.2f", t / hz / d}')
    stop_pid "$pid"
    printf '| %s | %d MiB | %d MiB | %d (%d `patrol_check_*`) | %.1f MiB | %s s | %s | %d of %d (scrape %s s) | %d | %d | %s | %s |\n' \
        "$level" $((hwm_kib / 1024)) $((rss_kib / 1024)) "$series" "$check_series" "$(awk -v b="$bytes" 'BEGIN {print b / 1048576}')" \
        "$scrape_s" "$p99" "$cold_bad" $((cold_bad + cold_ok)) "$cold_s" "$cold_skips" "$window_bad" "$cores" "$load" >>"$results"
    log "level $level: $(tail -1 "$results")"
done

launcher_opts=$(sed -n 's/^exec "$JAVA" \(.*\) $JAVA_OPTS .*/\1/p' "$patrol")
{
    echo "<!-- scale:begin -->"
    echo "## Scale: $http_targets HTTP targets every 15 s + $ssh_targets SSH targets every 30 s, per metrics detail level"
    echo
    echo "\`bench/scale.sh --http $http_targets --ssh $ssh_targets\` ($(date -u +%F), $(nproc) cores, $(java -version 2>&1 | sed -n 2p | cut -c1-60)),"
    echo "JVM options of the shipped launcher (\`$launcher_opts\`), each target its own loopback address, warm-up ${warmup} s,"
    echo "window ${duration} s. Peak RSS is VmHWM over the whole run, start included. Cold start = the first 45 s after"
    echo "start: non-OK runs of all runs finished by then, and skips (\`agent_busy\`, \`limit\`, ...). Peers (nginx, sshd and"
    if [ "$nginx_nice" = "$peers_nice" ]; then
        echo "its children) at nice $peers_nice."
    else
        echo "its children) at nice $peers_nice, nginx at nice $nginx_nice."
    fi
    echo
    echo "| detail | peak RSS | RSS at end | series on /metrics | /metrics size | full scrape | lateness p99 (window) | non-OK runs, first 45 s | skips, first 45 s | non-OK runs in window | agent CPU (cores) | load (1 min) |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
    cat "$results"
    echo "<!-- scale:end -->"
} >"$work/section.md"
cat "$work/section.md"
[ "$write" = 1 ] && replace_doc_section "$repo/docs/BENCHMARKS.md" scale "$work/section.md"
exit 0
