#!/usr/bin/env bash
# Cold start at the shape of a fleet: the agent started against --ssh hosts (each its own loopback address and
# connection) and optionally --http hosts; how long until every target is up, what the first results were, how many
# SSH connections it opened. `bench/coldstart.sh --help` for the options; bench/README.md for the method.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: bench/coldstart.sh [options]

Starts one OpenSSH sshd on 0.0.0.0:PORT (host N is 127.0.1.N) and, with --http, one nginx on 0.0.0.0:PORT2 (target I
is 127.1.X.Y). Then, --runs times: a fresh agent (empty state directory) with one `echo OK` ssh-command check on
every SSH host every --ssh-interval and one http check on every HTTP host every --http-interval; /metrics polled
every 0.25 s from the launch until every target's patrol_check_up is 1 (at most --limit s), then --settle s more.
Reports, medians over the runs: seconds to the first /metrics answer and to all up (from the launch), the first
results that were not OK (each target's finished runs at the first poll that saw one, and the skips before them),
runs not OK and skips by reason over the whole watch, SSH connections opened (patrol_ssh_connects_total) against the
number of hosts, and the agent's "changed state" log lines. Traffic goes to 127.0.0.0/8 only.

Options:
  --ssh N             SSH hosts (default 200, at most 254)
  --http N            HTTP hosts (default 0)
  --ssh-interval D    (default 5s)
  --http-interval D   (default 1s)
  --runs N            (default 3)
  --limit S           give up waiting for all up after S s (default 60)
  --settle S          keep watching S s after all up (default 10)
  --java-opts "..."   JVM options for the agent (default "-Xms64m -Xmx256m")
  --set "HOCON"       appended to the agent's configuration, e.g. "patrol.limits.max-ssh-handshakes = 16"
  --openssh-floor P   first, log in to every SSH host once with OpenSSH's ssh (`echo OK`, P logins at a time) and
                      report the seconds it took: what the same sshd and machine allow a C client
  --max-load L        wait (at most --load-wait s) for the 1-minute load to fall below L before each run (default 1.5)
  --load-wait S       (default 60)
  --patrol PATH       the launcher (default packaging/target/bin/patrol); run from a private copy
  --out FILE          where the Markdown goes (default: the work directory's coldstart.md)
  --keep              keep the work directory
  -h, --help
EOF
}

ssh_hosts=200 http_hosts=0 ssh_interval=5s http_interval=1s runs=3 limit=60 settle=10
java_opts="-Xms64m -Xmx256m" extra_config="" floor_parallel=0 max_load=1.5 load_wait=60 keep=0 out=""
repo=$(cd "$(dirname "$0")/.." && pwd)
patrol="$repo/packaging/target/bin/patrol"
while [ $# -gt 0 ]; do
    case "$1" in
        --ssh) ssh_hosts=$2; shift 2 ;;
        --http) http_hosts=$2; shift 2 ;;
        --ssh-interval) ssh_interval=$2; shift 2 ;;
        --http-interval) http_interval=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --limit) limit=$2; shift 2 ;;
        --settle) settle=$2; shift 2 ;;
        --java-opts) java_opts=$2; shift 2 ;;
        --set) extra_config=$2; shift 2 ;;
        --openssh-floor) floor_parallel=$2; shift 2 ;;
        --max-load) max_load=$2; shift 2 ;;
        --load-wait) load_wait=$2; shift 2 ;;
        --patrol) patrol=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done
for tool in /usr/sbin/sshd ssh ssh-keygen python3 curl java; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
[ "$http_hosts" = 0 ] || command -v nginx >/dev/null || { echo "missing: nginx" >&2; exit 2; }
[ -x "$patrol" ] || { echo "no Patrol launcher at $patrol: build with mvn -q package -DskipTests" >&2; exit 2; }
[ "$ssh_hosts" -ge 0 ] && [ "$ssh_hosts" -le 254 ] || { echo "--ssh: 0 to 254" >&2; exit 2; }
[ "$http_hosts" -ge 0 ] && [ "$http_hosts" -le 20000 ] || { echo "--http: 0 to 20000" >&2; exit 2; }
[ $((ssh_hosts + http_hosts)) -gt 0 ] || { echo "no targets" >&2; exit 2; }

fleet_py="$repo/bench/fleet/fleet.py"
work=$(mktemp -d /tmp/patrol-bench-coldstart.XXXXXX)
user=$(id -un)
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

start_nginx() {
    local prefix="$work/nginx" i
    mkdir -p "$prefix/html" "$prefix/tmp" "$prefix/logs"
    printf 'ok: patrol benchmark target\n' >"$prefix/html/index.html"
    {
        [ "$(id -u)" = 0 ] && echo "user root;"
        cat <<EOF
worker_processes 1;
daemon off;
error_log $prefix/logs/error.log warn;
pid $prefix/nginx.pid;
worker_rlimit_nofile $((http_hosts * 4 + 8192));
events { worker_connections $((http_hosts * 4 + 4096)); }
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
  server { listen 0.0.0.0:$http_port; root $prefix/html; }
}
EOF
    } >"$prefix/nginx.conf"
    nginx -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/logs/error.log" &
    pids+=("$!")
    for i in $(seq 1 100); do
        curl -fsS -o /dev/null --max-time 1 "http://$(python3 "$fleet_py" http-addr "$http_hosts"):$http_port/" &&
            return 0
        sleep 0.1
    done
    echo "nginx does not answer" >&2
    exit 1
}

cold_start() { # run
    local web conf pid fleets=() prefix="$work/patrol-$1"
    rm -rf "$work/patrol-state"
    web=$(free_port)
    conf="$prefix.conf"
    [ "$ssh_hosts" = 0 ] || fleets+=("ssh=$ssh_hosts,$ssh_port,$user,$ssh_interval")
    [ "$http_hosts" = 0 ] || fleets+=("http=$http_hosts,$http_port,$http_interval")
    python3 "$fleet_py" patrol-config "$conf" "$web" "$work" "${fleets[@]}"
    [ -z "$extra_config" ] || printf '%s\n' "$extra_config" >>"$conf"
    log "run $1: agent started against $ssh_hosts SSH + $http_hosts HTTP hosts"
    JAVA_OPTS="$java_opts" "$work/patrol/bin/patrol" run --config "$conf" >"$prefix.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    python3 "$fleet_py" coldstart "http://127.0.0.1:$web/metrics" "$pid" $((ssh_hosts + http_hosts)) "$limit" \
        "$settle" "$prefix.json"
    stop_pid "$pid"
    # shellcheck disable=SC2046 # key=value words
    python3 "$fleet_py" row "rate=$ssh_hosts" "http=$http_hosts" "run=$1" "load=$load" \
        "changed_state_warnings=$(grep -c 'changed state' "$prefix.log" || true)" "@$prefix.json" |
        tee -a "$work/runs.jsonl" >&2
}

ulimit -n 65536 2>/dev/null || true
patrol_home=$(cd "$(dirname "$(readlink -f "$patrol")")/.." && pwd)
mkdir -p "$work/patrol"
cp -r "$patrol_home/bin" "$patrol_home/lib" "$patrol_home/patrol.jar" "$work/patrol/"
ssh_port=$(free_port)
http_port=$(free_port)
if [ "$ssh_hosts" -gt 0 ]; then
    start_fleet_sshd "$ssh_port" 10 "$ssh_hosts"
    for i in $(seq 1 100); do
        ssh -F /dev/null -p "$ssh_port" -i "$work/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes \
            -o UserKnownHostsFile="$work/known_hosts" "$user@127.0.1.$ssh_hosts" true 2>/dev/null && break
        [ "$i" = 100 ] && { echo "sshd does not answer; see $work/sshd.log" >&2; exit 1; }
        sleep 0.1
    done
fi
[ "$http_hosts" = 0 ] || start_nginx
floor=""
if [ "$floor_parallel" -gt 0 ] && [ "$ssh_hosts" -gt 0 ]; then
    wait_for_quiet
    started=$(date +%s.%N)
    # shellcheck disable=SC2016 # expanded by the inner shell
    seq 1 "$ssh_hosts" | timeout 300 xargs -P "$floor_parallel" -I{} sh -c 'ssh -F /dev/null -p "$0" -i "$1/id_ed25519" \
        -o IdentitiesOnly=yes -o BatchMode=yes -o ControlMaster=no -o UserKnownHostsFile="$1/known_hosts" \
        "$2@127.0.1.{}" echo OK >/dev/null' "$ssh_port" "$work" "$user"
    floor=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$started" "$(date +%s.%N)")
    log "OpenSSH floor: $ssh_hosts logins with echo OK, $floor_parallel at a time: $floor s (load $(load1))"
fi
log "sshd 0.0.0.0:$ssh_port (127.0.1.1 ..), nginx 0.0.0.0:$http_port (127.1.0.1 ..), work directory $work"
for run in $(seq 1 "$runs"); do
    wait_for_quiet
    load=$(load1)
    cold_start "$run"
done
[ -n "$out" ] || out="$work/coldstart.md"
{
    echo "bench/coldstart.sh --ssh $ssh_hosts --http $http_hosts --ssh-interval $ssh_interval" \
        "--http-interval $http_interval --runs $runs, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores," \
        "commit $(git -C "$repo" rev-parse --short HEAD)"
    [ -z "$extra_config" ] || echo "Configuration added: \`$extra_config\`"
    [ -z "$floor" ] || echo "OpenSSH floor: $ssh_hosts logins with \`ssh ... echo OK\`, $floor_parallel at a time: $floor s"
    echo
    python3 "$fleet_py" table coldstart "$work/runs.jsonl"
    echo
    echo "Per run (first results by result, all runs by result, skips by reason, SSH connects by result):"
    echo
    python3 - "$work/runs.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(f"- run {r['run']} (load {r['load']}): all up {r['all_up_s']} s; first results {r['first_by_result']}"
          f" (skips before them {r.get('skips_before_first_result')});"
          f" runs {r['runs_by_result']}; skipped {r['skipped_by_reason']}; connects {r['ssh_connects']};"
          f" 'changed state' log lines {r['changed_state_warnings']}")
PY
} >"$out"
cat "$out"
