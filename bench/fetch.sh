#!/usr/bin/env bash
# Patrol's fetch benchmark: `patrol run-job` downloads one large file over SFTP with the agent's heap capped, next to
# `scp` of the same file as the reference. `bench/fetch.sh --help` for the options.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: bench/fetch.sh [options]

Writes one random file of --size, starts one OpenSSH sshd listening on 127.0.1.1 only, then:
  0. Once, a 1 MiB fetch: the agent's peak RSS for a tiny file, the baseline the big fetch is compared against
     (memory flat = the same peak whatever the file's size).
  and --runs times:
  1. Patrol: `patrol run-job` of a `type = fetch` job for the file (JVM start, SSH login, SFTP transfer, the
     target's checksum (openssl or sha256sum), fsync and rename all included); wall time, agent CPU (utime + stime)
     and peak RSS from
     /usr/bin/time, the job's own figure for the target ("ok in S s"); exit status 0 and the copy's SHA-256 checked.
  2. scp: `scp -q -o ControlMaster=no` of the same file into the work directory, same key and known_hosts; wall
     time and CPU, SHA-256 checked.
  For both, the server's side too: CPU of the sshd processes that served the command (with their internal-sftp and,
  for Patrol, the target's checksum), read from the listener's reaped children.
MB/s (10^6 bytes a second) for both and Patrol's share of scp's throughput, medians of the runs. Everything talks
to 127.0.0.0/8 only; every step has a time limit.

Options:
  --size SIZE        the file's size, as head -c takes it (default 1GiB)
  --runs N           (default 3)
  --java-opts "..."  JVM options for Patrol, after the launcher's own (default: -Xmx128m)
  --max-load L       before each run, wait for the 1-minute load to fall below L (default 1.5) ...
  --load-wait S      ... for at most S seconds, then measure anyway; the load is reported (default 120)
  --ciphers LIST     sshd's Ciphers line, so both clients negotiate one of these (default: OpenSSH's own list,
                     where each client takes its first choice: chacha20-poly1305 for scp, aes128-gcm for Patrol)
  --limit S          give up a transfer after S seconds (default 900)
  --patrol PATH      the launcher (default packaging/target/bin/patrol)
  --note TEXT        what else ran on the machine, for the report
  --link-rate RATE   shape the loopback interface to RATE (tc's units: 1gbit, 100mbit) with a token bucket for the
                     benchmark's duration, so both clients cross a link of that speed as a backup to another
                     machine would; needs root and no other queueing discipline on lo (default: none, loopback's speed)
  --agent N          also start one agent (`patrol run`) and start the same job N times through
                     POST /-/jobs/bench-fetch/run: a nightly backup's path, with the JIT warm after the first runs;
                     reports each run's own time (patrol_job_duration_seconds) and agent CPU (default 0: not run)
  --threads          with --agent: also sample the agent's threads every 0.2 s during each run and report the CPU
                     each kind of thread used (the download's reader, its writer, MINA's I/O, the JIT, ...)
  --write            replace the fetch section of docs/BENCHMARKS.md (between its fetch markers) with the report
  --keep             keep the work directory
EOF
}

size=1GiB ciphers="" link_rate="" agent_runs=0 threads=0 runs=3 java_opts="-Xmx128m" limit=900 note="none noted" write=0 keep=0
max_load=1.5 load_wait=120
repo=$(cd "$(dirname "$0")/.." && pwd)
patrol="$repo/packaging/target/bin/patrol"
original_args=$(printf ' %q' "$@")
while [ $# -gt 0 ]; do
    case "$1" in
        --size) size=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --java-opts) java_opts=$2; shift 2 ;;
        --limit) limit=$2; shift 2 ;;
        --ciphers) ciphers=$2; shift 2 ;;
        --link-rate) link_rate=$2; shift 2 ;;
        --agent) agent_runs=$2; shift 2 ;;
        --max-load) max_load=$2; shift 2 ;;
        --load-wait) load_wait=$2; shift 2 ;;
        --patrol) patrol=$2; shift 2 ;;
        --note) note=$2; shift 2 ;;
        --write) write=1; shift ;;
        --keep) keep=1; shift ;;
        --threads) threads=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done
for tool in /usr/sbin/sshd ssh scp ssh-keygen python3 sha256sum timeout /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install openssh-server openssh-client time)" >&2; exit 2; }
done
if [ "$agent_runs" -gt 0 ]; then
    command -v curl >/dev/null || { echo "--agent needs curl" >&2; exit 2; }
fi
[ -x "$patrol" ] || { echo "no Patrol launcher at $patrol: build with mvn -q package -DskipTests" >&2; exit 2; }

work=$(mktemp -d /tmp/patrol-bench-fetch.XXXXXX)
pids=()
# shellcheck source=lib/common.sh
. "$repo/bench/lib/common.sh"
shaped=0
cleanup() {
    local pid
    for pid in "${pids[@]}"; do stop_pid "$pid"; done
    if [ "$shaped" = 1 ]; then tc qdisc del dev lo root || log "could not remove the token bucket on lo: tc qdisc del dev lo root"; fi
    if [ "$keep" = 1 ]; then log "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "$link_rate" ]; then
    command -v tc >/dev/null || { echo "--link-rate needs tc (apt-get install iproute2)" >&2; exit 2; }
    tc qdisc show dev lo | grep -q '^qdisc noqueue' \
        || { echo "lo already has a queueing discipline; not replacing it: $(tc qdisc show dev lo)" >&2; exit 2; }
    # A burst of 1 MB lets a stream reach the rate; 50 ms of queue keeps the delay a real link would add.
    tc qdisc add dev lo root tbf rate "$link_rate" burst 1mb latency 50ms
    shaped=1
    log "loopback shaped to $link_rate: $(tc qdisc show dev lo)"
fi

# ---- the file --------------------------------------------------------------------------------------------------
mkdir -p "$work/src"
log "writing $size of random bytes"
head -c "$size" /dev/urandom >"$work/src/big.bin"
head -c 1MiB /dev/urandom >"$work/src/small.bin"
bytes=$(stat -c %s "$work/src/big.bin")
[ "$bytes" -gt 0 ] || { echo "--size $size gave an empty file" >&2; exit 2; }
sha=$(sha256sum "$work/src/big.bin" | cut -d' ' -f1)

# ---- sshd on 127.0.1.1 -----------------------------------------------------------------------------------------
ssh_port=$(free_port)
sshd_extra=${ciphers:+"Ciphers $ciphers"}
start_fleet_sshd "$ssh_port" 10 1 127.0.1.1
sshd_pid=${pids[-1]}
host=127.0.1.1
user=$(id -un)
ssh_opts=(-F /dev/null -i "$work/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes
    -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$work/known_hosts" -o ConnectTimeout=10 -o ControlMaster=no)
for i in $(seq 1 100); do
    ssh "${ssh_opts[@]}" -p "$ssh_port" "$user@$host" true 2>/dev/null && break
    [ "$i" = 100 ] && { echo "sshd does not answer; see $work/sshd.log" >&2; exit 1; }
    sleep 0.1
done

# CPU seconds (user + system) of every sshd process that served a connection and has ended, with their children
# (the checksum, internal-sftp): the listener's reaped children, once the last session is gone (at most 10 s).
sshd_children_cpu() {
    local i
    for i in $(seq 1 100); do pgrep -P "$sshd_pid" >/dev/null || break; sleep 0.1; done
    awk -v ticks="$(reaped_children_ticks "$sshd_pid")" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f\n", ticks / hz}'
}

# ---- 1. Patrol: run-job of a fetch job -------------------------------------------------------------------------
# Prints "wall_s cpu_s peak_rss_kib target_s sshd_cpu_s" for one run-job of the file NAME (under $work/src).
run_patrol() { # tag name expected-sha256
    local tag=$1 name=$2 expected=$3 conf="$work/patrol-$1.conf" dest="$work/dest-$1" rc copy target_s sshd_before
    cat >"$conf" <<CONF
patrol {
  state-dir = "$work/state-$tag"
  ssh { user = "$user", identity-file = "$work/id_ed25519", known-hosts = "$work/known_hosts" }
  targets { h { host = "$host", port = $ssh_port } }
  jobs {
    bench-fetch {
      type = fetch
      targets = "*"
      paths = ["$work/src/$name"]
      destination = "$dest"
      timeout = ${limit}s
    }
  }
}
CONF
    rc=0 sshd_before=$(sshd_children_cpu)
    JAVA_OPTS="$java_opts" /usr/bin/time -f '%e %U %S %M' -o "$work/time-$tag" \
        timeout --kill-after=10 "$((limit + 30))" "$patrol" run-job --config "$conf" bench-fetch \
        >"$work/patrol-$tag.log" 2>&1 || rc=$?
    [ "$rc" = 0 ] || { echo "patrol run-job exited $rc; see $work/patrol-$tag.log" >&2; tail -20 "$work/patrol-$tag.log" >&2; exit 1; }
    copy=$(find "$dest/bench-fetch/h" -mindepth 2 -maxdepth 2 -type f -name "$name")
    [ -n "$copy" ] && [ "$(sha256sum "$copy" | cut -d' ' -f1)" = "$expected" ] \
        || { echo "Patrol's copy ($copy) is missing or its SHA-256 differs" >&2; exit 1; }
    target_s=$(sed -n 's/^  h: ok in \([0-9.]*\) s.*/\1/p' "$work/patrol-$tag.log")
    [ -n "$target_s" ] || { echo "no 'h: ok in' line in $work/patrol-$tag.log" >&2; exit 1; }
    rm -rf "$dest" "$work/state-$tag"
    awk -v t="$target_s" -v s="$(sshd_children_cpu)" -v b="$sshd_before" \
        '{printf "%s %.2f %s %s %.2f\n", $1, $2 + $3, $4, t, s - b}' "$work/time-$tag"
}

# ---- 2. scp ----------------------------------------------------------------------------------------------------
run_scp() { # tag -> prints "wall_s cpu_s sshd_cpu_s"
    local tag=$1 rc=0 sshd_before
    sshd_before=$(sshd_children_cpu)
    /usr/bin/time -f '%e %U %S' -o "$work/time-scp-$tag" \
        timeout --kill-after=10 "$limit" scp -q "${ssh_opts[@]}" -P "$ssh_port" "$user@$host:$work/src/big.bin" "$work/scp-copy.bin" \
        || rc=$?
    [ "$rc" = 0 ] || { echo "scp exited $rc" >&2; exit 1; }
    [ "$(sha256sum "$work/scp-copy.bin" | cut -d' ' -f1)" = "$sha" ] || { echo "scp's copy differs" >&2; exit 1; }
    rm -f "$work/scp-copy.bin"
    awk -v s="$(sshd_children_cpu)" -v b="$sshd_before" '{printf "%s %.2f %.2f\n", $1, $2 + $3, s - b}' "$work/time-scp-$tag"
}

log "baseline: Patrol fetching a 1 MiB file"
small=$(run_patrol small small.bin "$(sha256sum "$work/src/small.bin" | cut -d' ' -f1)")
log "baseline: $small (wall s, CPU s, peak RSS KiB, target s, sshd CPU s)"
: >"$work/results.txt"
for r in $(seq 1 "$runs"); do
    wait_for_quiet
    log "run $r: Patrol fetching $bytes bytes"
    p=$(run_patrol "$r" big.bin "$sha")
    log "run $r: scp"
    s=$(run_scp "$r")
    echo "$r $p $s $(load1)" | tee -a "$work/results.txt" >&2
done

# ---- 3. a running agent ----------------------------------------------------------------------------------------
# Prints "target_s agent_cpu_s" per run of the job started over HTTP on one agent.
run_agent() {
    local conf="$work/patrol-agent.conf" port pid before now i r cpu0 cpu1 copy sampler
    # CPU seconds (all, and in the kernel) per kind of thread of process $1 until file $2 appears or the process ends.
    # A thread that ends during the run (a download's reader and writer) counts up to its last sample, so up to 0.2 s
    # of its CPU may be missing.
    cat >"$work/thread-cpu.py" <<'PY'
import os, re, sys, time
pid, stop = sys.argv[1], sys.argv[2]
hz = os.sysconf("SC_CLK_TCK")
def sample():
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        sys.exit(0)  # the agent is gone: the benchmark failed and is cleaning up
    for tid in tids:
        try:
            stat = open(f"/proc/{pid}/task/{tid}/stat").read()
        except OSError:
            continue  # the thread ended between the listing and the read
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        out[tid] = (re.sub(r"[-_ ]?\d+$", "", name).replace(" ", "_"), int(fields[11]), int(fields[12]))
    return out
first = sample()
last = dict(first)
while not os.path.exists(stop):
    time.sleep(0.2)
    last.update(sample())
by_name = {}
for tid, (name, user, system) in last.items():
    _, user0, system0 = first.get(tid, (name, 0, 0))
    total, kernel = by_name.get(name, (0, 0))
    by_name[name] = (total + user - user0 + system - system0, kernel + system - system0)
for name, (total, kernel) in sorted(by_name.items(), key=lambda kv: -kv[1][0]):
    if total > 0:
        print(name, f"{total / hz:.2f}", f"{kernel / hz:.2f}")
PY
    port=$(free_port)
    cat >"$conf" <<CONF
patrol {
  state-dir = "$work/state-agent"
  web { listen = "127.0.0.1:$port" }
  ssh { user = "$user", identity-file = "$work/id_ed25519", known-hosts = "$work/known_hosts" }
  targets { h { host = "$host", port = $ssh_port } }
  jobs { bench-fetch { type = fetch, targets = "*", paths = ["$work/src/big.bin"], destination = "$work/dest-agent", timeout = ${limit}s, keep { count = 1 } } }
}
CONF
    JAVA_OPTS="$java_opts" "$patrol" run --config "$conf" >"$work/patrol-agent.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    for i in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/metrics" >/dev/null && break; sleep 0.2; done
    ok_runs() { curl -s "http://127.0.0.1:$port/metrics" | awk '/^patrol_job_runs_total\{.*result="ok"/ {s += $2} END {print s + 0}'; }
    for r in $(seq 1 "$agent_runs"); do
        wait_for_quiet
        before=$(ok_runs)
        cpu0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        [ "$threads" = 1 ] && { python3 "$work/thread-cpu.py" "$pid" "$work/threads-$r.stop" >"$work/threads-$r.txt" & sampler=$! pids+=("$!"); }
        curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/-/jobs/bench-fetch/run" \
            || { echo "POST /-/jobs/bench-fetch/run failed; see $work/patrol-agent.log" >&2; exit 1; }
        for i in $(seq 1 $((limit * 10))); do
            now=$(ok_runs)
            [ "$now" -gt "$before" ] && break
            sleep 0.1
        done
        [ "$now" -gt "$before" ] || { echo "the agent's run $r did not end OK; see $work/patrol-agent.log" >&2; exit 1; }
        cpu1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        [ "$threads" = 1 ] && { touch "$work/threads-$r.stop"; wait "$sampler"; }
        copy=$(find "$work/dest-agent/bench-fetch/h" -mindepth 2 -maxdepth 2 -type f -name big.bin)
        [ "$(sha256sum "$copy" | cut -d' ' -f1)" = "$sha" ] || { echo "the agent's copy differs" >&2; exit 1; }
        echo "$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^patrol_job_duration_seconds\{/ {print $2}') $(awk -v a="$cpu0" -v b="$cpu1" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", (b - a) / hz}')"
    done
    stop_pid "$pid"
}
: >"$work/agent.txt"
if [ "$agent_runs" -gt 0 ]; then
    log "a running agent: the job started $agent_runs times over HTTP"
    run_agent >"$work/agent.txt" # not in a pipeline: a failure must leave the agent's pid to the cleanup
    cat "$work/agent.txt" >&2
fi

report="$work/report.md"
python3 - "$work/results.txt" "$bytes" "$small" "$work/agent.txt" "$work" >"$work/table.md" <<'EOF'
import os, statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
agent = [list(map(float, l.split())) for l in open(sys.argv[4]) if l.strip()]
size, small = int(sys.argv[2]), sys.argv[3].split()
med = lambda i: statistics.median(r[i] for r in rows)
p_s, p_cpu, p_rss, p_t, p_sshd, s_s, s_cpu, s_sshd = (med(i) for i in range(1, 9))
mb = lambda s: size / s / 1e6
print("| | wall s | MB/s | share of scp's MB/s | client CPU s | sshd CPU s | peak RSS MiB |")
print("|---|---|---|---|---|---|---|")
print(f"| Patrol `run-job` (whole command: JVM start to exit) | {p_s:.1f} | {mb(p_s):.1f} | {mb(p_s) / mb(s_s):.0%} | {p_cpu:.1f} | {p_sshd:.1f} | {p_rss / 1024:.0f} |")
print(f"| Patrol, the target's own time (login to verified file) | {p_t:.1f} | {mb(p_t):.1f} | {mb(p_t) / mb(s_s):.0%} | | | |")
if len(agent) > 2:  # the first two runs compile the transfer path; the rest show the agent as it runs every night
    a_t, a_cpu = (statistics.median(r[i] for r in agent[2:]) for i in (0, 1))
    print(f"| Patrol, a running agent's job (runs 3 to {len(agent)} of {len(agent)}, started over HTTP) | {a_t:.1f} | {mb(a_t):.1f} | {mb(a_t) / mb(s_s):.0%} | {a_cpu:.1f} | | |")
print(f"| `scp` | {s_s:.1f} | {mb(s_s):.1f} | 100% | {s_cpu:.1f} | {s_sshd:.1f} | |")
print()
print(f"Peak RSS of the same command fetching a 1 MiB file: {float(small[2]) / 1024:.0f} MiB.")
print()
print("Per run (Patrol wall s, CPU s, peak RSS KiB, target s, sshd CPU s | scp wall s, CPU s, sshd CPU s | load): " + "; ".join(
    f"{r[1]:.1f}, {r[2]:.1f}, {r[3]:.0f}, {r[4]:.1f}, {r[5]:.1f} | {r[6]:.1f}, {r[7]:.1f}, {r[8]:.1f} | {r[9]}" for r in rows))
if agent:
    print()
    print("The running agent's runs (own time s, agent CPU s): " + "; ".join(f"{r[0]:.1f}, {r[1]:.1f}" for r in agent))
sampled = [f"{sys.argv[5]}/threads-{r}.txt" for r in range(3, len(agent) + 1)]
rows_t = []
if sampled and all(os.path.exists(f) for f in sampled):
    cpu, kernel = {}, {}
    for f in sampled:
        for line in open(f):
            name, total, system = line.split()
            cpu.setdefault(name, []).append(float(total))
            kernel.setdefault(name, []).append(float(system))
    med0 = lambda v: statistics.median(v + [0.0] * (len(sampled) - len(v)))  # a run where the thread used nothing
    rows_t = [t for t in sorted(((med0(v), med0(kernel[n]), n) for n, v in cpu.items()), reverse=True) if t[0] >= 0.05]
if rows_t:
    print()
    print(f"The running agent's CPU s by thread, runs 3 to {len(agent)}, medians, in brackets the kernel's part (`--threads`;"
          + " names as /proc shows them, cut at 15 characters): " + ", ".join(f"{n} {m:.2f} ({k:.2f})" for m, k, n in rows_t))
EOF
{
    echo "<!-- fetch:begin -->"
    echo "## Fetch jobs: one ${bytes}-byte file over SFTP, heap capped (\`bench/fetch.sh\`)"
    echo
    echo "\`bench/fetch.sh${original_args}\` on $(date -u +%F), $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo);"
    echo "other load: ${note}. JVM options \`${java_opts}\` after the launcher's; medians of ${runs} runs; one OpenSSH sshd"
    echo "($(ssh -V 2>&1 | cut -d, -f1)) on 127.0.1.1, the file in the page cache, both copies written to the same disk."
    if [ -n "$link_rate" ]; then
        echo "The loopback interface was shaped to ${link_rate} (tc tbf, burst 1 MB, 50 ms queue) for the whole run."
    fi
    echo "sshd's Ciphers: ${ciphers:-the OpenSSH default list (scp then takes chacha20-poly1305@openssh.com, Patrol aes128-gcm@openssh.com)}."
    echo "Patrol's time includes what \`scp\` does not do: the target's checksum (\`openssl dgst\` or \`sha256sum\`), the local SHA-256, fsync and rename."
    echo "sshd CPU s: the server's processes for that command (internal-sftp, and Patrol's checksum)."
    echo "Each run checks \`run-job\` exited 0 and both copies' SHA-256."
    echo
    cat "$work/table.md"
    echo "<!-- fetch:end -->"
} >"$report"
cat "$report"
if [ "$write" = 1 ]; then
    replace_doc_section "$repo/docs/BENCHMARKS.md" fetch "$report"
    log "docs/BENCHMARKS.md updated"
fi
