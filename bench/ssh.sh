#!/usr/bin/env bash
# Patrol's SSH benchmark: Patrol's pooled ssh-command checks, Nagios check_by_ssh and OpenSSH ControlMaster against
# the machine's own OpenSSH sshd on 127.0.0.1, CPU per check compared. `bench/ssh.sh --help` for the options.
set -euo pipefail

# `--fleet` (first): every target its own loopback address, several rates, peers side by side; a script of its own.
if [ "${1-}" = --fleet ]; then shift; exec "$(dirname "$0")/fleet/ssh.sh" "$@"; fi

usage() {
    cat <<'EOF'
Usage: bench/ssh.sh [options]

Starts --sshd OpenSSH servers on 127.0.0.1 (generated host and client keys, an empty HOME) and measures, --runs times:
  1. Patrol, 1 target: --single-checks ssh-command checks (command "true") on one target every --interval
  2. Patrol, --targets targets spread over the servers, one such check every --interval
  3. check_by_ssh -C true, --cbs-count times in a sequential loop
  4. ssh -S (ControlMaster) host true, --cm-count times in a sequential loop
then writes the medians as a markdown section. Everything talks to 127.0.0.1 only.

Options:
  --targets N         targets of the Patrol fleet case (default 200)
  --single-checks N   checks on the one target of the single case (default 200)
  --sshd N            sshd instances (default 4)
  --max-sessions N    sshd MaxSessions (default 10, Patrol's max-channels default)
  --interval D        check interval in whole seconds, e.g. 1s (default 1s)
  --warmup S          seconds before each Patrol window (default 60: the JIT's compiling must be over)
  --duration S        seconds in each Patrol window (default 30)
  --cbs-count N       check_by_ssh runs per measurement (default 200)
  --cm-count N        ControlMaster runs per measurement (default 500)
  --runs N            independent runs, fresh processes each (default 3)
  --java-opts "..."   JVM options for Patrol (default "-Xms64m -Xmx256m", as bench/http.sh)
  --ssh-settings "..." more keys for Patrol's patrol.ssh block, e.g. "command-channel = dispatcher"
  --max-load L        before each run, wait (at most --load-wait s) until the 1-minute load is below L (default 1.5)
  --load-wait S       (default 180)
  --patrol PATH       the Patrol launcher (default packaging/target/bin/patrol)
  --note TEXT         what else ran on the machine, for the report
  --out FILE          where the markdown goes (default: the work directory's results-ssh.md)
  --write             also replace the SSH section of docs/BENCHMARKS.md (between its SSH markers) with it
  --profile           after the runs, one more fleet window under Java Flight Recorder (1 ms method sampling) and
                      a table of where the agent's CPU went, appended to the report
  --keep              keep the work directory (configs, logs, raw results)
  --fleet ...         (first) the fleet shape instead: every target its own address, one row per rate;
                      `bench/ssh.sh --fleet --help` lists its options
  -h, --help
EOF
}

targets=200 single_checks=200 sshd_count=4 max_sessions=10 interval=1s warmup=60 duration=30
cbs_count=200 cm_count=500 runs=3 java_opts="-Xms64m -Xmx256m" note="none noted" keep=0 max_load=1.5 load_wait=180 profile=0
write=0 ssh_settings=""
repo=$(cd "$(dirname "$0")/.." && pwd)
patrol="$repo/packaging/target/bin/patrol"
out=""
original_args=$(printf ' %q' "$@")
while [ $# -gt 0 ]; do
    case "$1" in
        --targets) targets=$2; shift 2 ;;
        --single-checks) single_checks=$2; shift 2 ;;
        --sshd) sshd_count=$2; shift 2 ;;
        --max-sessions) max_sessions=$2; shift 2 ;;
        --interval) interval=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --cbs-count) cbs_count=$2; shift 2 ;;
        --cm-count) cm_count=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --java-opts) java_opts=$2; shift 2 ;;
        --ssh-settings) ssh_settings=", $2"; shift 2 ;;
        --max-load) max_load=$2; shift 2 ;;
        --load-wait) load_wait=$2; shift 2 ;;
        --patrol) patrol=$2; shift 2 ;;
        --note) note=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --profile) profile=1; shift ;;
        --write) write=1; shift ;;
        --keep) keep=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done
interval_seconds=${interval%s}
case "$interval_seconds" in '' | *[!0-9]*) echo "--interval must be whole seconds such as 1s" >&2; exit 2 ;; esac
check_by_ssh=/usr/lib/nagios/plugins/check_by_ssh
for tool in /usr/sbin/sshd ssh ssh-keygen "$check_by_ssh" /usr/bin/time python3 curl java; do
    command -v "$tool" >/dev/null || {
        echo "missing: $tool (apt-get install openssh-server openssh-client monitoring-plugins-standard time)" >&2
        exit 2
    }
done
[ -x "$patrol" ] || { echo "no Patrol launcher at $patrol: build with mvn -q install -DskipTests" >&2; exit 2; }

stat_py="$repo/bench/ssh/sshstat.py"
work=$(mktemp -d /tmp/patrol-bench-ssh.XXXXXX)
clk_tck=$(getconf CLK_TCK)
user=$(id -un)
pids=()
sshd_pids=()
sshd_ports=()

# shellcheck source=lib/common.sh
. "$repo/bench/lib/common.sh"


cleanup() {
    local pid
    [ -S "$work/cm.sock" ] && ssh -S "$work/cm.sock" -O exit "$user@127.0.0.1" 2>/dev/null || true
    for pid in "${pids[@]}"; do stop_pid "$pid"; done
    if [ "$keep" = 1 ]; then log "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sshd_ticks() { python3 "$stat_py" tree-ticks "${sshd_pids[@]}"; }


wait_ready() { # pid url seconds log
    local i
    for i in $(seq 1 $(($3 * 10))); do
        curl -fsS -o /dev/null --max-time 1 "$2" 2>/dev/null && return 0
        kill -0 "$1" 2>/dev/null || { echo "Patrol exited; log in $4:" >&2; tail -20 "$4" >&2; exit 1; }
        sleep 0.1
    done
    echo "no answer from $2 after $3 s; log in $4" >&2
    exit 1
}

# ---- sshd ------------------------------------------------------------------------------------------------------

start_sshd() {
    local i port conf
    ssh-keygen -q -t ed25519 -N '' -C patrol-bench -f "$work/host_key"
    ssh-keygen -q -t ed25519 -N '' -C patrol-bench -f "$work/id_ed25519"
    cp "$work/id_ed25519.pub" "$work/authorized_keys"
    chmod 644 "$work/authorized_keys"
    # An empty HOME: the remote shell (bash sources ~/.bashrc when sshd starts it) reads nothing.
    mkdir -p "$work/home"
    chmod 755 "$work" "$work/home"
    [ "$(id -u)" = 0 ] && mkdir -p /run/sshd # the privilege separation directory sshd insists on as root
    : >"$work/known_hosts"
    for i in $(seq 1 "$sshd_count"); do
        port=$(python3 "$stat_py" free-port)
        conf="$work/sshd-$i.conf"
        cat >"$conf" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $work/host_key
PidFile none
AuthorizedKeysFile $work/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
MaxSessions $max_sessions
MaxStartups 100:30:200
LogLevel ERROR
SetEnv HOME=$work/home
PrintMotd no
PrintLastLog no
UseDNS no
X11Forwarding no
EOF
        /usr/sbin/sshd -D -e -f "$conf" 2>>"$work/sshd-$i.log" &
        pids+=("$!")
        sshd_pids+=("$!")
        sshd_ports+=("$port")
        echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$work/host_key.pub")" >>"$work/known_hosts"
    done
    for port in "${sshd_ports[@]}"; do
        for i in $(seq 1 100); do
            ssh_base "$port" "$user@127.0.0.1" true 2>/dev/null && break
            [ "$i" = 100 ] && { echo "sshd on port $port does not answer; see $work/sshd-*.log" >&2; exit 1; }
            sleep 0.1
        done
    done
}

ssh_base() { # port args...
    local port=$1
    shift
    ssh -F /dev/null -p "$port" -i "$work/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes \
        -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$work/known_hosts" -o ConnectTimeout=5 "$@"
}

# ---- 1 and 2. Patrol -------------------------------------------------------------------------------------------

write_patrol_config() { # file web-port mode
    local i port
    {
        cat <<EOF
patrol {
  web.listen = "127.0.0.1:$2"
  state-dir = "$work/patrol-state"
  ssh { user = "$user", identity-file = "$work/id_ed25519", known-hosts = "$work/known_hosts"$ssh_settings }
EOF
        if [ "$3" = single ]; then
            echo "  targets { t-1 { host = \"127.0.0.1\", port = ${sshd_ports[0]} } }"
            echo "  checks {"
            for i in $(seq 1 "$single_checks"); do
                printf '    c-%04d { type = ssh-command, targets = "*", command = "true", output = none,' "$i"
                printf ' interval = %s, timeout = 2s }\n' "$interval"
            done
            echo "  }"
        else
            # Every target is 127.0.0.1 here, standing for a host each: lift the per-host cap, as bench/http.sh does.
            echo "  limits { max-in-flight-per-host = 10000 }"
            echo "  targets {"
            for i in $(seq 1 "$targets"); do
                port=${sshd_ports[$(((i - 1) % sshd_count))]}
                printf '    t-%04d { host = "127.0.0.1", port = %d }\n' "$i" "$port"
            done
            echo "  }"
            echo "  checks {"
            echo "    bench { type = ssh-command, targets = \"*\", command = \"true\", output = none,"
            echo "            interval = $interval, timeout = 2s }"
            echo "  }"
        fi
        echo "}"
    } >"$1"
}

measure_patrol() { # run-number mode; appends to record_args
    local port conf pid metrics prefix=$2
    port=$(python3 "$stat_py" free-port)
    conf="$work/patrol-$1-$2.conf"
    write_patrol_config "$conf" "$port" "$2"
    metrics="http://127.0.0.1:$port/metrics"
    log "run $1: Patrol $2, warm-up ${warmup}s, window ${duration}s"
    JAVA_OPTS="$java_opts" "$patrol" run --config "$conf" >"$work/patrol-$1-$2.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    wait_ready "$pid" "http://127.0.0.1:$port/-/ready" 60 "$work/patrol-$1-$2.log"
    sleep "$warmup"
    kill -0 "$pid" || { echo "Patrol exited; log in $work/patrol-$1-$2.log" >&2; exit 1; }
    # Each snapshot reads the agent's and sshd's CPU right after the page, so counts and CPU share one window.
    python3 "$stat_py" snapshot "$metrics" "$work/patrol-$1-$2-a.json" "$pid" "${sshd_pids[@]}"
    sleep "$duration"
    python3 "$stat_py" snapshot "$metrics" "$work/patrol-$1-$2-b.json" "$pid" "${sshd_pids[@]}"
    python3 "$stat_py" window "$work/patrol-$1-$2-a.json" "$work/patrol-$1-$2-b.json" >"$work/patrol-$1-$2-window.json"
    record_args+=" ${prefix}_window=@$work/patrol-$1-$2-window.json"
    log "run $1: Patrol $2: $(cat "$work/patrol-$1-$2-window.json")"
    stop_pid "$pid"
}

# ---- 3. check_by_ssh -------------------------------------------------------------------------------------------

cbs_args() {
    echo "-H 127.0.0.1 -p ${sshd_ports[0]} -l $user -i $work/id_ed25519 -o StrictHostKeyChecking=yes" \
        "-o UserKnownHostsFile=$work/known_hosts -o BatchMode=yes -o IdentitiesOnly=yes -t 10 -C true"
}

# A sequential loop under /usr/bin/time; prints "elapsed user sys ok-count". Bounded by count and by timeout.
timed_loop() { # count seconds-limit command...
    local count=$1 limit=$2
    shift 2
    timeout "$limit" /usr/bin/time -f '%e %U %S' -o "$work/time.txt" \
        bash -c 'ok=0; for i in $(seq 1 "$0"); do "$@" >/dev/null 2>&1 && ok=$((ok + 1)); done; echo $ok' \
        "$count" "$@" >"$work/ok.txt"
    echo "$(cat "$work/time.txt") $(cat "$work/ok.txt")"
}

measure_check_by_ssh() { # run-number
    local elapsed usr sys ok s0
    log "run $1: check_by_ssh x $cbs_count"
    # shellcheck disable=SC2046 # cbs_args is a word list by construction
    timed_loop 5 60 "$check_by_ssh" $(cbs_args) >/dev/null
    s0=$(sshd_ticks)
    # shellcheck disable=SC2046
    read -r elapsed usr sys ok < <(timed_loop "$cbs_count" $((cbs_count * 2 + 60)) "$check_by_ssh" $(cbs_args))
    record_args+=" cbs_n=$cbs_count cbs_sshd0=$s0 cbs_sshd1=$(sshd_ticks) cbs_elapsed=$elapsed cbs_user=$usr"
    record_args+=" cbs_sys=$sys cbs_ok=$ok"
    [ "$ok" = "$cbs_count" ] || log "warning: only $ok of $cbs_count check_by_ssh runs were OK"
}

# ---- 4. ControlMaster ------------------------------------------------------------------------------------------

measure_control_master() { # run-number
    local master elapsed usr sys ok s0 m0 sock="$work/cm.sock"
    log "run $1: ControlMaster, ssh -S x $cm_count"
    ssh_base "${sshd_ports[0]}" -M -S "$sock" -o ControlPersist=no -fN "$user@127.0.0.1"
    master=$(python3 "$stat_py" master-pid "$(ssh -S "$sock" -O check "$user@127.0.0.1" 2>&1)")
    pids+=("$master")
    timed_loop 5 60 ssh -F /dev/null -S "$sock" "$user@127.0.0.1" true >/dev/null
    s0=$(sshd_ticks)
    m0=$(cpu_ticks "$master")
    read -r elapsed usr sys ok < <(timed_loop "$cm_count" $((cm_count + 60)) \
        ssh -F /dev/null -S "$sock" "$user@127.0.0.1" true)
    record_args+=" cm_n=$cm_count cm_sshd0=$s0 cm_sshd1=$(sshd_ticks) cm_master0=$m0 cm_master1=$(cpu_ticks "$master")"
    record_args+=" cm_elapsed=$elapsed cm_user=$usr cm_sys=$sys cm_ok=$ok"
    [ "$ok" = "$cm_count" ] || log "warning: only $ok of $cm_count ControlMaster runs were OK"
    ssh -S "$sock" -O exit "$user@127.0.0.1" 2>/dev/null || true
    stop_pid "$master"
}

measure_floor() {
    local elapsed usr sys ok
    read -r elapsed usr sys ok < <(timed_loop "$cm_count" 120 /bin/true)
    record_args+=" floor_n=$cm_count floor_user=$usr floor_sys=$sys"
}

# ---- profile (optional) ----------------------------------------------------------------------------------------

profile_fleet() {
    local java_home jfc saved=$java_opts
    java_home=$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.home/ {print $2}')
    jfc="$work/sampling.jfc"
    # The JDK's "profile" settings with Java method sampling every 1 ms instead of 10 ms.
    sed '/"jdk.ExecutionSample"/,/<\/event>/ s/>10 ms</>1 ms</' "$java_home/lib/jfr/profile.jfc" >"$jfc"
    java_opts="$java_opts -XX:StartFlightRecording=delay=${warmup}s,duration=$((duration - 5))s"
    java_opts+=",filename=$work/fleet.jfr,settings=$jfc,dumponexit=true"
    wait_for_quiet
    record_args=""
    measure_patrol profile fleet
    java_opts=$saved
    jfr print --json --stack-depth 64 --events jdk.ExecutionSample "$work/fleet.jfr" >"$work/samples.json"
    python3 "$stat_py" hotspots "$work/samples.json" "$work/patrol-profile-fleet-window.json" >"$work/hotspots.md"
}

# ---- main ------------------------------------------------------------------------------------------------------

ulimit -n 65536 2>/dev/null || true
start_sshd
log "sshd on 127.0.0.1 ports ${sshd_ports[*]} (pids ${sshd_pids[*]}), work directory $work"
results="$work/runs.jsonl"
for run in $(seq 1 "$runs"); do
    wait_for_quiet
    record_args="clk_tck=$clk_tck load_before=$(load1)"
    measure_patrol "$run" single
    measure_patrol "$run" fleet
    measure_check_by_ssh "$run"
    measure_control_master "$run"
    measure_floor
    # shellcheck disable=SC2086 # key=value words by construction
    python3 "$stat_py" record "$results" $record_args load_after="$(load1)"
done

mem_kib=$(awk '/^MemTotal/ {print $2}' /proc/meminfo)
python3 "$stat_py" facts "$work/facts.json" \
    "date=$(date -u +%Y-%m-%dT%H:%MZ)" \
    "command=bench/ssh.sh$original_args" \
    "nproc=$(nproc)" \
    "cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)" \
    "ram=$((mem_kib / 1024 / 1024)) GiB" \
    "kernel=$(uname -r)" \
    "java=$(java -version 2>&1 | sed -n 2p)" \
    "openssh=$(/usr/sbin/sshd -V 2>&1 | head -1 | cut -d, -f1)" \
    "plugins=$(dpkg-query -W -f '${Version}' monitoring-plugins-standard 2>/dev/null || echo unknown)" \
    "java_opts=$java_opts" "targets=$targets" "single_checks=$single_checks" "sshd=$sshd_count" \
    "max_sessions=$max_sessions" "interval=$interval" "warmup=$warmup" "duration=$duration" \
    "cbs_count=$cbs_count" "cm_count=$cm_count" "user=$user" "note=$note" "clk_tck=$clk_tck" \
    "fleet_rate_configured=$((targets / interval_seconds))" \
    "cbs_command=check_by_ssh -H 127.0.0.1 -p PORT -l $user -i KEY -o StrictHostKeyChecking=yes -o UserKnownHostsFile=FILE -o BatchMode=yes -o IdentitiesOnly=yes -t 10 -C true"
[ "$profile" = 1 ] && profile_fleet
[ -n "$out" ] || out="$work/results-ssh.md"
python3 "$stat_py" report "$results" "$work/facts.json" "$out"
[ "$profile" = 1 ] && cat "$work/hotspots.md" >>"$out"
cat "$out"
log "wrote $out"
if [ "$write" = 1 ]; then
    python3 - "$repo/docs/BENCHMARKS.md" "$out" <<'PY'
import sys
doc, section = sys.argv[1], sys.argv[2]
begin = "<!-- BEGIN GENERATED by bench/ssh.sh --write: do not edit by hand -->"
end = "<!-- END GENERATED by bench/ssh.sh -->"
text = open(doc).read()
if begin not in text or end not in text:
    sys.exit(doc + ": the markers of the SSH section are missing")
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
body = open(section).read().strip()
open(doc, "w").write(head + begin + "\n\n" + body + "\n\n" + end + tail)
PY
    log "updated docs/BENCHMARKS.md"
fi
