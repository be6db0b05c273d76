#!/usr/bin/env bash
# SSH at the shape of a fleet: --hosts hosts, each its own loopback address (127.0.1.N) and connection, one `echo OK`
# check each, at several rates; Patrol, check_by_ssh and OpenSSH ControlMaster side by side at the same rate.
# Run as `bench/ssh.sh --fleet [options]`; see bench/README.md.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: bench/ssh.sh --fleet [options]

Starts one OpenSSH sshd on 0.0.0.0:PORT; host N is the address 127.0.1.N (known_hosts lists each). For each rate R
(every host checked every --hosts / R seconds), in one run each:
  1. Patrol: --hosts ssh-command targets, command "echo OK", --warmup s, then a --duration s window:
     agent CPU-ms per check, sshd CPU-ms per check, lateness p99, connections opened
  2. check_by_ssh -H 127.0.1.N -C 'echo OK' started R times a second round robin over the hosts, --cbs-duration s:
     CPU-ms per check of check_by_ssh and its ssh (sshd's too, in the raw rows)
  3. ControlMaster: one master per host (opened once, before the runs), `ssh -S` to each in turn R times a second
     for --cbs-duration s: the masters' CPU-ms per command and the ssh -S clients' separately
and prints one Markdown row per rate (medians over --runs). Traffic goes to 127.0.0.0/8 only.

Options:
  --hosts N           hosts (default 200, at most 254)
  --rates R,R,...     checks per second, one row each; --hosts / R must be whole seconds (default 40,10)
  --warmup S          Patrol's warm-up before each window (default 40)
  --duration S        Patrol's window (default 40)
  --cbs-duration S    check_by_ssh's and ControlMaster's window (default 15)
  --runs N            runs per rate (default 1)
  --java-opts "..."   JVM options for Patrol (default "-Xms64m -Xmx256m")
  --max-load L        wait (at most --load-wait s) for the 1-minute load to fall below L before each run (default 1.5)
  --load-wait S       (default 60)
  --patrol PATH       the launcher (default packaging/target/bin/patrol); run from a private copy
  --out FILE          where the Markdown table goes (default: the work directory's fleet-ssh.md)
  --keep              keep the work directory
  -h, --help
EOF
}

hosts=200 rates=40,10 warmup=40 duration=40 cbs_duration=15 runs=1 java_opts="-Xms64m -Xmx256m" max_load=1.5
load_wait=60 keep=0 out=""
repo=$(cd "$(dirname "$0")/../.." && pwd)
patrol="$repo/packaging/target/bin/patrol"
while [ $# -gt 0 ]; do
    case "$1" in
        --hosts) hosts=$2; shift 2 ;;
        --rates) rates=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --cbs-duration) cbs_duration=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --java-opts) java_opts=$2; shift 2 ;;
        --max-load) max_load=$2; shift 2 ;;
        --load-wait) load_wait=$2; shift 2 ;;
        --patrol) patrol=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done
check_by_ssh=/usr/lib/nagios/plugins/check_by_ssh
for tool in /usr/sbin/sshd ssh ssh-keygen "$check_by_ssh" python3 curl java; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
[ -x "$patrol" ] || { echo "no Patrol launcher at $patrol: build with mvn -q package -DskipTests" >&2; exit 2; }
[ "$hosts" -ge 1 ] && [ "$hosts" -le 254 ] || { echo "--hosts: 1 to 254 (127.0.1.1 .. 127.0.1.254)" >&2; exit 2; }
IFS=, read -ra rate_list <<<"$rates"
for r in "${rate_list[@]}"; do
    case "$r" in '' | *[!0-9]* | 0) echo "--rates takes positive whole numbers" >&2; exit 2 ;; esac
    [ $((hosts % r)) = 0 ] || { echo "--hosts / $r is not a whole number of seconds" >&2; exit 2; }
done

fleet_py="$repo/bench/fleet/fleet.py"
ssh_py="$repo/bench/ssh/sshstat.py"
work=$(mktemp -d /tmp/patrol-bench-fleet-ssh.XXXXXX)
clk_tck=$(getconf CLK_TCK)
user=$(id -un)
pids=()
masters=()
# shellcheck source=../lib/common.sh
. "$repo/bench/lib/common.sh"
cleanup() {
    local pid sock
    [ "${#masters[@]}" = 0 ] || kill -TERM "${masters[@]}" 2>/dev/null || true # all at once, then each waited for
    for sock in "$work"/cm/*; do # masters not recorded yet (interrupted while they were starting)
        [ -S "$sock" ] && ssh -S "$sock" -O exit "${sock##*/}" 2>/dev/null || true
    done
    for pid in "${masters[@]}" "${pids[@]}"; do stop_pid "$pid"; done
    if [ "$keep" = 1 ]; then log "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ssh_opts=(-F /dev/null -i "$work/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes
    -o UserKnownHostsFile="$work/known_hosts" -o ConnectTimeout=10)
sshd_ticks() { python3 "$ssh_py" tree-ticks "$sshd_pid"; }

wait_ready() { # pid url seconds log
    local i
    for i in $(seq 1 $(($3 * 10))); do
        curl -fsS -o /dev/null --max-time 1 "$2" 2>/dev/null && return 0
        kill -0 "$1" 2>/dev/null || { echo "Patrol exited; log in $4" >&2; exit 1; }
        sleep 0.1
    done
    echo "no answer from $2 after $3 s; log in $4" >&2
    exit 1
}

measure_patrol() { # rate run
    local web conf pid metrics prefix="$work/patrol-$1-$2"
    web=$(free_port)
    conf="$prefix.conf"
    rm -rf "$work/patrol-state"
    python3 "$fleet_py" patrol-config "$conf" "$web" "$work" "ssh=$hosts,$port,$user,$((hosts / $1))s"
    metrics="http://127.0.0.1:$web/metrics"
    log "rate $1 run $2: Patrol, $hosts hosts every $((hosts / $1))s, warm-up ${warmup}s, window ${duration}s"
    JAVA_OPTS="$java_opts" "$work/patrol/bin/patrol" run --config "$conf" >"$prefix.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    wait_ready "$pid" "http://127.0.0.1:$web/-/ready" 60 "$prefix.log"
    sleep "$warmup"
    kill -0 "$pid" || { echo "Patrol exited; log in $prefix.log" >&2; exit 1; }
    python3 "$ssh_py" snapshot "$metrics" "$prefix-a.json" "$pid" "$sshd_pid"
    jit_thread_ticks "$pid" >"$prefix-jit-a.txt"
    sleep "$duration"
    python3 "$ssh_py" snapshot "$metrics" "$prefix-b.json" "$pid" "$sshd_pid"
    row_args+=" p_jit_ticks=$(jit_ticks_since "$prefix-jit-a.txt" "$pid")"
    python3 "$ssh_py" window "$prefix-a.json" "$prefix-b.json" >"$prefix-window.json"
    row_args+=" @p:$prefix-window.json"
    row_args+=" patrol_connects=$(awk '/^patrol_ssh_connects_total/ {s += $2} END {print s + 0}' "$prefix-b.prom")"
    stop_pid "$pid"
}

measure_paced() { # name rate run command...
    local name=$1 rate=$2 s0 m0=0 pid
    shift 3
    s0=$(sshd_ticks)
    for pid in "${masters[@]}"; do m0=$((m0 + $(cpu_ticks "$pid"))); done
    python3 "$fleet_py" pace "$rate" "$cbs_duration" 100 "$hosts" -- "$@" >"$work/$name-$rate.json"
    row_args+=" @$name:$work/$name-$rate.json ${name}_sshd_ticks=$(($(sshd_ticks) - s0))"
    if [ "$name" = cm ]; then
        local m1=0
        for pid in "${masters[@]}"; do m1=$((m1 + $(cpu_ticks "$pid"))); done
        row_args+=" cm_master_ticks=$((m1 - m0))"
    fi
    log "$name at $rate/s: $(cat "$work/$name-$rate.json")"
}

# One master per host, 10 handshakes at a time (sequentially, 200 take minutes on a busy machine).
start_masters() {
    local i j sock out batch
    mkdir -p "$work/cm"
    for i in $(seq 1 10 "$hosts"); do
        batch=()
        for j in $(seq "$i" $((i + 9 > hosts ? hosts : i + 9))); do
            ssh "${ssh_opts[@]}" -p "$port" -M -S "$work/cm/127.0.1.$j" -o ControlPersist=no -fN "$user@127.0.1.$j" &
            batch+=("$!")
        done
        wait "${batch[@]}" # ssh -f returns once logged in, its master going on in the background
    done
    for i in $(seq 1 "$hosts"); do
        sock="$work/cm/127.0.1.$i"
        if ! ssh -S "$sock" -O check "$user@127.0.1.$i" 2>/dev/null; then # a login that timed out: once more
            ssh "${ssh_opts[@]}" -p "$port" -M -S "$sock" -o ControlPersist=no -fN "$user@127.0.1.$i"
        fi
        out=$(ssh -S "$sock" -O check "$user@127.0.1.$i" 2>&1) || { echo "no master for 127.0.1.$i: $out" >&2; exit 1; }
        out=${out##*pid=}
        masters+=("${out%%)*}")
    done
}

ulimit -n 65536 2>/dev/null || true
patrol_home=$(cd "$(dirname "$(readlink -f "$patrol")")/.." && pwd)
mkdir -p "$work/patrol"
cp -r "$patrol_home/bin" "$patrol_home/lib" "$patrol_home/patrol.jar" "$work/patrol/"
port=$(free_port)
start_fleet_sshd "$port" 10 "$hosts"
sshd_pid=${pids[-1]}
for i in $(seq 1 100); do
    ssh "${ssh_opts[@]}" -p "$port" "$user@127.0.1.$hosts" true 2>/dev/null && break
    [ "$i" = 100 ] && { echo "sshd does not answer; see $work/sshd.log" >&2; exit 1; }
    sleep 0.1
done
log "sshd on 0.0.0.0:$port (pid $sshd_pid), hosts 127.0.1.1 .. 127.0.1.$hosts, work directory $work"
start_masters
log "$hosts ControlMasters open"
cbs=("$check_by_ssh" -H "{host}" -p "$port" -l "$user" -i "$work/id_ed25519" -o StrictHostKeyChecking=yes
    -o "UserKnownHostsFile=$work/known_hosts" -o BatchMode=yes -o IdentitiesOnly=yes -t 10 -C "echo OK")
cm=(ssh -F /dev/null -S "$work/cm/{host}" -o ControlMaster=no -o BatchMode=yes -p "$port" "$user@{host}" echo OK)
for rate in "${rate_list[@]}"; do
    for run in $(seq 1 "$runs"); do
        wait_for_quiet
        row_args="rate=$rate run=$run clk_tck=$clk_tck hosts=$hosts load=$(load1)"
        measure_patrol "$rate" "$run"
        measure_paced cbs "$rate" "$run" "${cbs[@]}"
        measure_paced cm "$rate" "$run" "${cm[@]}"
        # shellcheck disable=SC2086 # key=value words by construction
        python3 "$fleet_py" row $row_args load_after="$(load1)" | tee -a "$work/runs.jsonl" >&2
    done
done
[ -n "$out" ] || out="$work/fleet-ssh.md"
{
    echo "bench/ssh.sh --fleet --hosts $hosts --rates $rates --warmup $warmup --duration $duration" \
        "--cbs-duration $cbs_duration --runs $runs, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores," \
        "commit $(git -C "$repo" rev-parse --short HEAD)"
    echo
    python3 "$fleet_py" table ssh "$work/runs.jsonl"
} >"$out"
cat "$out"
