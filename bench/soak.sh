#!/usr/bin/env bash
# Patrol's soak: a long run of mixed HTTP and SSH checks with failures, reloads and scrape bursts, all on loopback,
# that records whether the agent's threads, file descriptors, sockets and memory stay flat. `bench/soak.sh --help`.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: bench/soak.sh [options]

Starts nginx (200 and 500 pages), one OpenSSH sshd listening on 0.0.0.0 reached as --ssh-hosts distinct addresses
127.0.1.N, a black hole (accepts, never answers) and a closed port, then runs the built agent against them:
  HTTP: --http-hosts targets 127.0.2.N each with a 200 check, a 500 check, plus a black hole and a refused port
  SSH:  every SSH host with an OK echo check, a CRITICAL (exit 2) check and a command that hangs past its deadline
Every --reload-every seconds the config flips between two versions (a check added and removed) and is reloaded
through POST /-/reload; every --burst-every seconds --burst concurrent scrapes of /metrics hit the agent.
After --warmup seconds the agent's threads, fds, TCP sockets and RSS are sampled every minute until --minutes.

Options:
  --minutes N        length of the soak after the warm-up (default 30)
  --warmup S         seconds before the first sample (default 60)
  --http-hosts N     (default 40)      --ssh-hosts N      (default 20)
  --reload-every S   (default 30)      --burst-every S    (default 10)     --burst N   (default 50)
  --java-opts "..."  JVM options for Patrol (default: the launcher's own)
  --patrol PATH      the launcher (default packaging/target/bin/patrol)
  --note TEXT        what else ran on the machine, for the report
  --write            replace the soak section of docs/BENCHMARKS.md (between its soak markers) with the report
  --keep             keep the work directory
EOF
}

minutes=30 warmup=60 http_hosts=40 ssh_hosts=20 reload_every=30 burst_every=10 burst=50 java_opts="" note="none noted"
write=0 keep=0
repo=$(cd "$(dirname "$0")/.." && pwd)
patrol="$repo/packaging/target/bin/patrol"
original_args=$(printf ' %q' "$@")
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) minutes=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --http-hosts) http_hosts=$2; shift 2 ;;
        --ssh-hosts) ssh_hosts=$2; shift 2 ;;
        --reload-every) reload_every=$2; shift 2 ;;
        --burst-every) burst_every=$2; shift 2 ;;
        --burst) burst=$2; shift 2 ;;
        --java-opts) java_opts=$2; shift 2 ;;
        --patrol) patrol=$2; shift 2 ;;
        --note) note=$2; shift 2 ;;
        --write) write=1; shift ;;
        --keep) keep=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done
for tool in nginx /usr/sbin/sshd ssh-keygen python3 curl ss; do
    command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install nginx-light openssh-server curl iproute2)" >&2; exit 2; }
done
[ -x "$patrol" ] || { echo "no Patrol launcher at $patrol: build with mvn -q package -DskipTests" >&2; exit 2; }

work=$(mktemp -d /tmp/patrol-soak.XXXXXX)
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

# ---- peers -----------------------------------------------------------------------------------------------------
http_port=$(free_port) ssh_port=$(free_port) hole_port=$(free_port) closed_port=$(free_port) web_port=$(free_port)

mkdir -p "$work/nginx/html" "$work/nginx/logs" "$work/nginx/tmp"
printf 'ok\n' >"$work/nginx/html/index.html"
{
    [ "$(id -u)" = 0 ] && echo "user root;"
    cat <<EOF
worker_processes 1;
daemon off;
error_log $work/nginx/logs/error.log warn;
pid $work/nginx/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp/client_body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  server {
    listen 0.0.0.0:$http_port;
    root $work/nginx/html;
    location = /fail { return 500 "broken\n"; }
  }
}
EOF
} >"$work/nginx/nginx.conf"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/logs/error.log" &
pids+=("$!")

# The black hole: accepts and never answers; it keeps at most 2,000 sockets (oldest closed first), bounded.
cat >"$work/hole.py" <<'EOF'
import collections, socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(512)
held = collections.deque()
while True:
    c, _ = s.accept(); held.append(c)
    if len(held) > 2000: held.popleft().close()
EOF
python3 "$work/hole.py" "$hole_port" &
pids+=("$!")

start_fleet_sshd "$ssh_port" 10 "$ssh_hosts"

# ---- the agent's two configs -----------------------------------------------------------------------------------
write_config() { # file variant
    local i
    {
        cat <<EOF
patrol {
  web.listen = "127.0.0.1:$web_port"
  state-dir = "$work/state"
  ssh { user = "$(id -un)", identity-file = "$work/id_ed25519", known-hosts = "$work/known_hosts" }
  targets {
    hole { host = "127.0.0.1", port = $hole_port, labels { role = "broken" } }
    closed { host = "127.0.0.1", port = $closed_port, labels { role = "broken" } }
EOF
        for i in $(seq 1 "$http_hosts"); do
            echo "    web-$i { host = \"127.0.2.$i\", port = $http_port, labels { role = \"web\", env = \"prod\" } }"
        done
        for i in $(seq 1 "$ssh_hosts"); do echo "    box-$i { host = \"127.0.1.$i\", port = $ssh_port, labels { role = \"box\" } }"; done
        cat <<EOF
  }
  checks {
    home { type = http, targets = { role = ["web", "broken"] }, url = "http://{host}:{port}/", interval = 5s, timeout = 2s }
    broken { type = http, targets = { role = "web" }, url = "http://{host}:{port}/fail", interval = 10s, timeout = 2s }
    echo { type = ssh-command, targets = { role = "box" }, command = "echo 'OK | up=1'", interval = 5s, timeout = 5s }
    exit2 { type = ssh-command, targets = { role = "box" }, command = "echo 'CRIT'; exit 2", interval = 10s }
    hang { type = ssh-command, targets = { role = "box" }, command = "sleep 60", interval = 15s, timeout = 2s }
EOF
        [ "$2" = b ] && echo "    extra { type = http, targets = { role = \"web\" }, url = \"http://{host}:{port}/\", interval = 5s }"
        echo "  }"
        echo "}"
    } >"$1"
}
write_config "$work/a.conf" a
write_config "$work/b.conf" b
cp "$work/a.conf" "$work/patrol.conf"
"$patrol" check-config "$work/patrol.conf" >"$work/check-config.txt" 2>&1 || { cat "$work/check-config.txt" >&2; exit 1; }

JAVA_OPTS="$java_opts" "$patrol" run --config "$work/patrol.conf" >"$work/patrol.log" 2>&1 &
agent=$!
pids+=("$agent")
base="http://127.0.0.1:$web_port"
for i in $(seq 1 300); do
    curl -fsS -o /dev/null --max-time 1 "$base/-/ready" 2>/dev/null && break
    kill -0 "$agent" 2>/dev/null || { echo "Patrol exited:" >&2; tail -20 "$work/patrol.log" >&2; exit 1; }
    [ "$i" = 300 ] && { echo "Patrol not ready after 30 s" >&2; exit 1; }
    sleep 0.1
done
# The launcher execs java, so $agent is the JVM itself.
jvm=$agent

sample() { # label
    local threads fds sockets rss
    threads=$(awk '/^Threads:/ {print $2}' "/proc/$jvm/status")
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$jvm/status")
    fds=$(find "/proc/$jvm/fd" -mindepth 1 -maxdepth 1 | wc -l)
    sockets=$(ss -Htnp state established 2>/dev/null | grep -c "pid=$jvm," || true)
    echo "$1 $(date +%s) $threads $fds $sockets $rss $(load1)" >>"$work/samples.txt"
}

reloads=0 reload_failures=0 bursts=0 scrape_failures=0 last_reload=$(date +%s) last_burst=$(date +%s) variant=a
step() {
    local now i
    now=$(date +%s)
    if [ $((now - last_reload)) -ge "$reload_every" ]; then
        variant=$([ "$variant" = a ] && echo b || echo a)
        cp "$work/$variant.conf" "$work/patrol.conf"
        curl -fsS -o /dev/null --max-time 10 -X POST "$base/-/reload" || reload_failures=$((reload_failures + 1))
        reloads=$((reloads + 1)) last_reload=$now
    fi
    if [ $((now - last_burst)) -ge "$burst_every" ]; then
        for i in $(seq 1 "$burst"); do curl -fsS -o /dev/null --max-time 10 "$base/metrics" & done
        for i in $(seq 1 "$burst"); do wait -n 2>/dev/null || scrape_failures=$((scrape_failures + 1)); done
        bursts=$((bursts + 1)) last_burst=$now
    fi
    kill -0 "$agent" 2>/dev/null || { echo "Patrol died; log:" >&2; tail -30 "$work/patrol.log" >&2; exit 1; }
}

log "warm-up ${warmup}s (agent pid $jvm, work $work)"
end=$(($(date +%s) + warmup))
while [ "$(date +%s)" -lt "$end" ]; do step; sleep 1; done
sample start
log "soak ${minutes} min"
for m in $(seq 1 "$minutes"); do
    end=$(($(date +%s) + 60))
    while [ "$(date +%s)" -lt "$end" ]; do step; sleep 1; done
    sample "min-$m"
done
curl -fsS "$base/metrics" >"$work/metrics-end.txt"
runs=$(awk '/^patrol_check_runs_total/ {s += $NF} END {print s + 0}' "$work/metrics-end.txt")
errors=$(grep -c ' ERROR ' "$work/patrol.log" || true)

report="$work/report.md"
{
    echo "<!-- soak:begin -->"
    echo "### Soak: ${minutes} min of mixed checks, reloads every ${reload_every} s, ${burst} scrapes every ${burst_every} s"
    echo
    echo "\`bench/soak.sh${original_args}\` on $(date -u +%F), $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo);"
    echo "other load: ${note}. ${http_hosts} HTTP hosts (each 127.0.2.N) and ${ssh_hosts} SSH hosts (each 127.0.1.N), checks that"
    echo "pass, fail, hang past their deadline, and a black-holed and a refused target. ${reloads} reloads (${reload_failures} failed),"
    echo "${bursts} scrape bursts (${scrape_failures} scrapes failed), ${runs} check runs in all, ${errors} ERROR log lines."
    echo
    echo "| sample | threads | fds | TCP sockets | RSS MiB | load |"
    echo "|---|---|---|---|---|---|"
    awk '{printf "| %s | %s | %s | %s | %.0f | %s |\n", $1, $3, $4, $5, $6 / 1024, $7}' "$work/samples.txt"
    echo "<!-- soak:end -->"
} >"$report"
cat "$report"
if [ "$write" = 1 ]; then
    replace_doc_section "$repo/docs/BENCHMARKS.md" soak "$report"
    log "docs/BENCHMARKS.md updated"
fi
