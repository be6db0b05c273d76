#!/usr/bin/env bash
# Patrol's log-tail benchmark: the agent catches up a backlog of log files on many SSH hosts into its spool, next to
# `ssh -S host cat FILE` over OpenSSH ControlMaster connections as the floor. `bench/logs.sh --help` for the options.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: bench/logs.sh [options]

Writes --targets files of --lines numbered lines each (~100 bytes a line), starts one OpenSSH sshd listening on
0.0.0.0 reached as --targets distinct hosts 127.0.1.N, then, --runs times:
  1. Patrol: a fresh agent with one log-tail check per host (start-at = beginning, every 1 s) catches the whole
     backlog up into its spool; time until every line is spooled, agent CPU (utime + stime), peak RSS. Then as many
     lines again are appended to every file at once and the same, running agent's second catch-up is timed the same
     way (JIT warm, connected); the spool must then hold every line exactly once.
  2. The floor: one ControlMaster connection per host, then `ssh -S ... cat FILE > /dev/null` for every file, all
     hosts at once; wall time and the ssh clients' CPU.
Lines per second and CPU-seconds per million lines are compared. Everything talks to 127.0.0.0/8 only.

Options:
  --targets N        hosts, one file each (default 50)
  --lines N          lines per file (default 200000: 50 x 200,000 lines of ~100 bytes are ~1 GB)
  --runs N           (default 3)
  --java-opts "..."  JVM options for Patrol (default: the launcher's own, -Xmx256m)
  --limit S          give up a catch-up after S seconds (default 600)
  --patrol PATH      the launcher (default packaging/target/bin/patrol)
  --note TEXT        what else ran on the machine, for the report
  --write            replace the logs section of docs/BENCHMARKS.md (between its logs markers) with the report
  --keep             keep the work directory
EOF
}

targets=50 lines=200000 runs=3 java_opts="" limit=600 note="none noted" write=0 keep=0
repo=$(cd "$(dirname "$0")/.." && pwd)
patrol="$repo/packaging/target/bin/patrol"
original_args=$(printf ' %q' "$@")
while [ $# -gt 0 ]; do
    case "$1" in
        --targets) targets=$2; shift 2 ;;
        --lines) lines=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --java-opts) java_opts=$2; shift 2 ;;
        --limit) limit=$2; shift 2 ;;
        --patrol) patrol=$2; shift 2 ;;
        --note) note=$2; shift 2 ;;
        --write) write=1; shift ;;
        --keep) keep=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done
for tool in /usr/sbin/sshd ssh ssh-keygen python3 curl; do
    command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install openssh-server openssh-client curl)" >&2; exit 2; }
done
[ -x "$patrol" ] || { echo "no Patrol launcher at $patrol: build with mvn -q package -DskipTests" >&2; exit 2; }

work=$(mktemp -d /tmp/patrol-bench-logs.XXXXXX)
pids=()
# shellcheck source=lib/common.sh
. "$repo/bench/lib/common.sh"
cleanup() {
    local pid
    for pid in "${pids[@]}"; do stop_pid "$pid"; done
    for i in $(seq 1 "$targets"); do
        [ -S "$work/cm-$i.sock" ] && ssh -S "$work/cm-$i.sock" -O exit "x@127.0.1.$i" 2>/dev/null || true
    done
    if [ "$keep" = 1 ]; then log "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
clk_tck=$(getconf CLK_TCK)

# ---- the backlog -----------------------------------------------------------------------------------------------
log "writing $targets files of $lines lines"
mkdir -p "$work/logs"
python3 - "$work/logs" "$targets" "$lines" <<'EOF'
import sys
folder, targets, lines = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
pad = "x" * 60
for t in range(1, targets + 1):
    with open(f"{folder}/t-{t}.log", "w") as f:
        f.writelines(f"2026-12-01T00:00:00Z host-{t:03d} line {n:09d} GET /api/v1/items {pad}\n" for n in range(lines))
    # The same again, numbered on: appended while the agent runs, for the running agent's figures.
    with open(f"{folder}/t-{t}.more", "w") as f:
        f.writelines(
            f"2026-12-01T00:00:00Z host-{t:03d} line {n:09d} GET /api/v1/items {pad}\n" for n in range(lines, 2 * lines))
EOF
total_lines=$((targets * lines))
declare -A sizes
for i in $(seq 1 "$targets"); do sizes[$i]=$(stat -c %s "$work/logs/t-$i.log"); done
total_bytes=$(du -cb "$work"/logs/*.log | tail -1 | cut -f1)

# ---- sshd ------------------------------------------------------------------------------------------------------
ssh_port=$(free_port)
start_fleet_sshd "$ssh_port" 20 "$targets"
user=$(id -un)
ssh_opts=(-F /dev/null -p "$ssh_port" -i "$work/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes
    -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$work/known_hosts" -o ConnectTimeout=10)
for i in $(seq 1 100); do
    ssh "${ssh_opts[@]}" "$user@127.0.1.1" true 2>/dev/null && break
    [ "$i" = 100 ] && { echo "sshd does not answer; see $work/sshd.log" >&2; exit 1; }
    sleep 0.1
done

# ---- 1. Patrol -------------------------------------------------------------------------------------------------
# Waits until /metrics counts $2 lines spooled by agent $1 on port $3, sampling its RSS into $peak.
await_spooled() {
    local agent=$1 want=$2 port=$3 start spooled rss now
    start=$(date +%s.%N)
    while :; do
        sleep 0.5
        kill -0 "$agent" 2>/dev/null || { echo "Patrol exited; see $work/patrol-*.log" >&2; exit 1; }
        rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$agent/status")
        [ "$rss" -gt "$peak" ] && peak=$rss
        spooled=$(curl -fsS --max-time 5 "http://127.0.0.1:$port/metrics?name[]=patrol_log_lines_total" 2>/dev/null \
            | awk '/^patrol_log_lines_total/ {s += $NF} END {printf "%d", s}')
        [ "${spooled:-0}" -ge "$want" ] && break
        now=$(date +%s.%N)
        awk -v n="$now" -v s="$start" -v l="$limit" 'BEGIN {exit !(n - s > l)}' && {
            echo "Patrol spooled ${spooled:-0} of $want lines in ${limit}s; giving up" >&2; exit 1; }
    done
}

# Two catch-ups per run: the backlog from the agent's start (JVM start and logins included), then, in the same
# agent, the same number of lines appended to every file at once (the running agent: JIT compiled, connected).
run_patrol() { # run-number -> prints "seconds cpu_seconds peak_rss_kib seconds2 cpu_seconds2 peak_rss_kib_first"
    local state="$work/state-$1" port conf agent i start now now2 start2 ticks0 ticks1 ticks2 ticks3 spooled peak=0 peak1
    port=$(free_port)
    conf="$work/patrol-$1.conf"
    {
        echo "patrol {"
        echo "  web.listen = \"127.0.0.1:$port\""
        echo "  state-dir = \"$state\""
        echo "  ssh { user = \"$user\", identity-file = \"$work/id_ed25519\", known-hosts = \"$work/known_hosts\" }"
        echo "  targets {"
        for i in $(seq 1 "$targets"); do echo "    h-$i { host = \"127.0.1.$i\", port = $ssh_port }"; done
        echo "  }"
        echo "  checks {"
        for i in $(seq 1 "$targets"); do
            printf '    logs-%d { type = log-tail, targets = ["h-%d"], paths = ["%s"], start-at = beginning,' \
                "$i" "$i" "$work/logs/t-$i.log"
            printf ' interval = 1s, timeout = 30s, spool.max-bytes = 4GiB, patterns { errors = "(?i)\\\\berror\\\\b" } }\n'
        done
        echo "  }"
        echo "}"
    } >"$conf"
    JAVA_OPTS="$java_opts" "$patrol" run --config "$conf" >"$work/patrol-$1.log" 2>&1 &
    agent=$!
    pids+=("$agent")
    ticks0=$(cpu_ticks "$agent")
    start=$(date +%s.%N)
    await_spooled "$agent" "$total_lines" "$port"
    now=$(date +%s.%N)
    ticks1=$(cpu_ticks "$agent")
    peak1=$peak
    sleep 3 # a few idle polls: the agent settles
    ticks2=$(cpu_ticks "$agent")
    start2=$(date +%s.%N)
    local appenders=()
    for i in $(seq 1 "$targets"); do cat "$work/logs/t-$i.more" >>"$work/logs/t-$i.log" & appenders+=($!); done
    wait "${appenders[@]}"
    await_spooled "$agent" $((2 * total_lines)) "$port"
    now2=$(date +%s.%N)
    ticks3=$(cpu_ticks "$agent")
    stop_pid "$agent"
    for i in $(seq 1 "$targets"); do truncate -s "${sizes[$i]}" "$work/logs/t-$i.log"; done
    # The spool must hold every line exactly once.
    spooled=$(find "$state/spool" -type f ! -name '.*' -print0 | xargs -0 cat | wc -l)
    [ "$spooled" = $((2 * total_lines)) ] || { echo "spool holds $spooled lines, expected $((2 * total_lines))" >&2; exit 1; }
    spooled=$(find "$state/spool" -type f ! -name '.*' -print0 | xargs -0 cat | sort -u | wc -l)
    [ "$spooled" = $((2 * total_lines)) ] || { echo "spool holds $spooled distinct lines, expected $((2 * total_lines))" >&2; exit 1; }
    rm -rf "$state"
    awk -v n="$now" -v s="$start" -v t0="$ticks0" -v t1="$ticks1" -v hz="$clk_tck" -v p="$peak" -v p1="$peak1" \
        -v n2="$now2" -v s2="$start2" -v t2="$ticks2" -v t3="$ticks3" \
        'BEGIN {printf "%.2f %.2f %d %.2f %.2f %d\n", n - s, (t1 - t0) / hz, p, n2 - s2, (t3 - t2) / hz, p1}'
}

# ---- 2. the floor: ControlMaster + cat -------------------------------------------------------------------------
run_floor() { # -> prints "seconds cpu_seconds"
    local i start now cpu
    for i in $(seq 1 "$targets"); do
        ssh "${ssh_opts[@]}" -o ControlMaster=yes -o ControlPersist=60 -S "$work/cm-$i.sock" -N -f "$user@127.0.1.$i"
    done
    start=$(date +%s.%N)
    cpu=$( { /usr/bin/env TIMEFORMAT='%U %S' bash -c '
        time (for i in $(seq 1 '"$targets"'); do
            ssh -S '"$work"'/cm-$i.sock x@127.0.1.$i cat '"$work"'/logs/t-$i.log >/dev/null &
        done; wait)' ; } 2>&1 | tail -1 | awk '{print $1 + $2}')
    now=$(date +%s.%N)
    for i in $(seq 1 "$targets"); do ssh -S "$work/cm-$i.sock" -O exit "x@127.0.1.$i" 2>/dev/null || true; done
    awk -v n="$now" -v s="$start" -v c="$cpu" 'BEGIN {printf "%.2f %.2f\n", n - s, c}'
}

: >"$work/results.txt"
for r in $(seq 1 "$runs"); do
    log "run $r: Patrol catching up $total_lines lines ($((total_bytes / 1048576)) MiB) from $targets hosts"
    p=$(run_patrol "$r")
    log "run $r: ControlMaster + cat"
    f=$(run_floor)
    echo "$r $p $f $(load1)" | tee -a "$work/results.txt" >&2
done

report="$work/report.md"
python3 - "$work/results.txt" "$total_lines" "$total_bytes" >"$work/table.md" <<'EOF'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
lines, size = int(sys.argv[2]), int(sys.argv[3])
med = lambda i: statistics.median(r[i] for r in rows)
p_s, p_cpu, p_rss, p2_s, p2_cpu, p_rss1, f_s, f_cpu = (med(i) for i in range(1, 9))
print("| | wall s | lines/s | CPU-s per million lines | peak RSS MiB |")
print("|---|---|---|---|---|")
print(f"| Patrol, from the agent's start (JVM start, logins, JIT warm-up included) | {p_s:.1f} | {lines / p_s:,.0f} | {p_cpu / lines * 1e6:.2f} | {p_rss1 / 1024:.0f} |")
print(f"| Patrol, the running agent: as many lines again, appended to every file at once | {p2_s:.1f} | {lines / p2_s:,.0f} | {p2_cpu / lines * 1e6:.2f} | {p_rss / 1024:.0f} (whole run) |")
print(f"| `ssh -S` (ControlMaster) `cat` to /dev/null | {f_s:.1f} | {lines / f_s:,.0f} | {f_cpu / lines * 1e6:.2f} (ssh clients) | - |")
print()
print("Per run (s, agent CPU-s, peak RSS KiB at the end of the first catch-up | second catch-up s, agent CPU-s, peak RSS KiB over both | floor s, floor CPU-s | load): " + "; ".join(
    f"{r[1]:.1f}, {r[2]:.1f}, {r[6]:.0f} | {r[4]:.1f}, {r[5]:.1f}, {r[3]:.0f} | {r[7]:.1f}, {r[8]:.2f} | {r[9]}" for r in rows))
EOF
{
    echo "<!-- logs:begin -->"
    echo "## Log tailing (\`bench/logs.sh\`): a ${total_bytes}-byte backlog from ${targets} SSH hosts"
    echo
    echo "\`bench/logs.sh${original_args}\` on $(date -u +%F), $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo);"
    echo "other load: ${note}. ${targets} hosts (each 127.0.1.N, one sshd), one file of ${lines} lines each, medians of ${runs} runs."
    echo "Patrol's first time runs from the agent's start (JVM start, ${targets} SSH logins included) until /metrics counts"
    echo "every line spooled; then the same number of lines is appended to every file at once and the same agent's second"
    echo "catch-up is timed; each run then checks the spool holds every one of the $((2 * total_lines)) lines exactly once."
    echo
    cat "$work/table.md"
    echo "<!-- logs:end -->"
} >"$report"
cat "$report"
if [ "$write" = 1 ]; then
    replace_doc_section "$repo/docs/BENCHMARKS.md" logs "$report"
    log "docs/BENCHMARKS.md updated"
fi
