#!/usr/bin/env bash
# Agent CPU and context switches per SSH check at fleet shape, exec channels against the command dispatcher
# (patrol.ssh.command-channel), side by side in one run, with OpenSSH ControlMaster paced at the same rate.
#
#   flock /tmp/patrol-bench.lock bench/ssh-dispatch.sh                  # 200 hosts at 40/s and at 10/s
#   flock /tmp/patrol-bench.lock bench/ssh-dispatch.sh --rates "40" --warmup 60 --window 30
#
# One sshd on 0.0.0.0 (high port); each target is its own loopback address 127.0.1.N, so the agent holds one
# connection per target. Per case: the packaged agent with one `echo OK` check on every target, --warmup seconds,
# then a --window: agent CPU (utime+stime of the JVM) and context switches (voluntary and not, summed over its
# threads, /proc/PID/task/*/status) divided by the checks run in the window (patrol_check_runs_total), and the CPU
# of sshd and everything it forked (sessions, shells, dispatchers, commands; reaped children included) per check.
# Bounded: every process it starts is stopped on exit. Prints a markdown table.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/common.sh
. "$repo/bench/lib/common.sh"
hosts=200 rates="40 10" warmup=45 window=30 patrol="$repo/packaging/target/bin/patrol" java_opts="-Xms64m -Xmx256m"
while [ $# -gt 0 ]; do
    case "$1" in
        --hosts) hosts=$2; shift 2 ;;
        --rates) rates=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --window) window=$2; shift 2 ;;
        --patrol) patrol=$2; shift 2 ;;
        -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done
[ -x "$patrol" ] || { echo "no Patrol launcher at $patrol: build packaging first" >&2; exit 2; }
work=$(mktemp -d /tmp/patrol-bench-dispatch.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do stop_pid "$p"; done; rm -rf "$work"; }
trap cleanup EXIT
user=$(id -un)
sshd_port=$(free_port)
start_fleet_sshd "$sshd_port" 10 "$hosts"
sshd_pid=${pids[0]}
sleep 1

ctxt() { # pid: voluntary + nonvoluntary context switches of all its threads
    cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^(non)?voluntary_ctxt_switches/ {s += $2} END {print s}'
}
runs() { # metrics url: check runs so far
    curl -s "$1" | awk '/^patrol_check_runs_total\{/ {s += $2} END {printf "%d\n", s}'
}
not_ok() { # metrics url: check runs so far that were not OK
    curl -s "$1" | awk '/^patrol_check_runs_total\{/ && !/result="ok"/ {s += $2} END {printf "%d\n", s}'
}
# CPU ticks of sshd and every process it forked (its sessions, their shells, the dispatchers and their commands)
sshd_ticks() { python3 "$repo/bench/ssh/sshstat.py" tree-ticks "$sshd_pid"; }

measure() { # mode rate
    local mode=$1 rate=$2 interval port conf pid url c0 c1 x0 x1 n0 n1 b0 b1 s0 s1 t0 t1 w i
    interval=$((hosts / rate))
    port=$(free_port)
    conf="$work/patrol-$mode-$rate.conf"
    {
        echo "patrol {"
        echo "  web.listen = \"127.0.0.1:$port\""
        echo "  state-dir = \"$work/state-$mode-$rate\""
        echo "  ssh { user = \"$user\", identity-file = \"$work/id_ed25519\", known-hosts = \"$work/known_hosts\","
        echo "        command-channel = $mode }"
        echo "  targets {"
        for i in $(seq 1 "$hosts"); do printf '    t-%03d { host = "127.0.1.%d", port = %d }\n' "$i" "$i" "$sshd_port"; done
        echo "  }"
        echo "  checks { ok { type = ssh-command, targets = \"*\", command = \"echo OK\", interval = ${interval}s, timeout = 4s } }"
        echo "}"
    } >"$conf"
    JAVA_OPTS="$java_opts" "$patrol" run --config "$conf" >"$work/patrol-$mode-$rate.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    url="http://127.0.0.1:$port/metrics"
    for i in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null && break; sleep 0.1; done
    sleep "$warmup"
    # The window's length is measured, not assumed: on a saturated machine the readings themselves take seconds.
    t0=$(date +%s.%N); n0=$(runs "$url"); b0=$(not_ok "$url"); c0=$(cpu_ticks "$pid"); x0=$(ctxt "$pid"); s0=$(sshd_ticks)
    sleep "$window"
    t1=$(date +%s.%N); n1=$(runs "$url"); b1=$(not_ok "$url"); c1=$(cpu_ticks "$pid"); x1=$(ctxt "$pid"); s1=$(sshd_ticks)
    stop_pid "$pid"
    w=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')
    awk -v m="$mode" -v r="$rate" -v n=$((n1 - n0)) -v c=$((c1 - c0)) -v x=$((x1 - x0)) -v w="$w" \
        -v b=$((b1 - b0)) -v bw="$b1" -v s=$((s1 - s0)) -v hz="$(getconf CLK_TCK)" -v l="$(load1)" 'BEGIN {
        printf "| %s | %d/s | %.1f | **%.2f** | %.1f | %.2f | %d (%d) | %s |\n", m, r, n / w, c * 1000 / hz / n, x / n,
            s * 1000 / hz / n, b, bw, l }'
}

control_master() { # rate: ssh -S host echo OK, paced at rate for window seconds; master CPU per command
    local rate=$1 sock="$work/cm.sock" master m0 m1 n i
    ssh -F /dev/null -p "$sshd_port" -i "$work/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes \
        -o UserKnownHostsFile="$work/known_hosts" -M -S "$sock" -o ControlPersist=no -fN "$user@127.0.1.1"
    master=$(ssh -S "$sock" -O check "$user@127.0.1.1" 2>&1 | sed -n 's/.*pid=\([0-9]*\).*/\1/p')
    pids+=("$master")
    n=$((rate * 10))
    m0=$(cpu_ticks "$master")
    local clients=() pause
    pause=$(awk -v r="$rate" 'BEGIN {print 1 / r}')
    for i in $(seq 1 "$n"); do
        timeout 20 ssh -F /dev/null -S "$sock" "$user@127.0.1.1" echo OK >/dev/null 2>&1 &
        clients+=("$!")
        sleep "$pause"
    done
    for i in "${clients[@]}"; do wait "$i" 2>/dev/null || true; done
    m1=$(cpu_ticks "$master")
    ssh -S "$sock" -O exit "$user@127.0.1.1" 2>/dev/null || true
    awk -v r="$rate" -v n="$n" -v c=$((m1 - m0)) -v hz="$(getconf CLK_TCK)" -v l="$(load1)" 'BEGIN {
        printf "| ControlMaster (master process only) | %d/s | %.1f | %.2f | | | | %s |\n", r, r, c * 1000 / hz / n, l }'
}

echo "| command channel | rate | checks/s measured | agent CPU-ms per check | context switches per check | sshd CPU-ms per check | not-OK runs in the window (since start) | load (1 min) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for rate in $rates; do
    for mode in exec dispatcher; do
        measure "$mode" "$rate"
    done
    control_master "$rate"
done
