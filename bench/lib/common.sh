# Shell functions shared by the benchmarks; sourced, not run. Callers set $load_wait and $max_load.

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }

# TERM, then KILL after 5 s: every process a benchmark starts ends with it.
stop_pid() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# utime + stime of a process (or /proc/PID/task/TID), in clock ticks.
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

# cutime + cstime of a process: the CPU of its children that have ended and been waited for (and of theirs), in
# clock ticks.
reaped_children_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $14 + $15}'; }

# "TID ticks" of a JVM's JIT compiler threads (C1 and C2), one line each. A JVM at a few checks a second is still
# compiling minutes after its start, so a window's CPU is also shown without what these threads spent in it.
jit_thread_ticks() {
    local task
    for task in /proc/"$1"/task/*; do
        case "$(cat "$task/comm" 2>/dev/null)" in
            C1\ CompilerThre* | C2\ CompilerThre*) printf '%s %s\n' "${task##*/}" "$(cpu_ticks "${task#/proc/}" 2>/dev/null || echo 0)" ;;
        esac
    done
}

# Ticks the JIT threads listed in file $1 (jit_thread_ticks at the window's start) spent until now, in process $2; a
# compiler thread started in the window counts from 0, one that ended in it is not counted.
jit_ticks_since() {
    jit_thread_ticks "$2" | awk -v before="$1" 'BEGIN { while ((getline line < before) > 0) { split(line, f, " "); t[f[1]] = f[2] } }
        { sum += $2 - ($1 in t ? t[$1] : 0) } END { print sum + 0 }'
}

load1() { cut -d' ' -f1 /proc/loadavg; }

# Waits at most $load_wait seconds for the 1-minute load to fall below $max_load, then measures anyway: the load is
# recorded with the results, so a busy machine shows in the report instead of blocking it.
wait_for_quiet() {
    local i
    for i in $(seq 1 "$load_wait"); do
        awk -v l="$(load1)" -v m="$max_load" 'BEGIN {exit !(l < m)}' && return 0
        [ $((i % 15)) = 1 ] && log "load $(load1) >= $max_load, waiting (at most ${load_wait}s)"
        sleep 1
    done
    log "load still $(load1) after ${load_wait}s; measuring anyway (see the load in the results)"
}

# A free TCP port on 127.0.0.1 (the kernel's choice; a benchmark binds it moments later).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Starts one OpenSSH sshd on LISTEN:PORT (LISTEN 0.0.0.0 unless given) with fresh host and client keys in $work
# (host_key, id_ed25519), an empty HOME, MaxSessions MAX_SESSIONS and the internal SFTP subsystem, and appends its pid
# to $pids. Each address 127.0.1.1 .. 127.0.1.HOSTS then stands for a host of its own: known_hosts lists every one of
# them (with LISTEN 0.0.0.0; a single-address LISTEN such as 127.0.1.1 serves only that host). $sshd_extra, if set,
# is appended to sshd's configuration (e.g. "Ciphers aes128-gcm@openssh.com").
start_fleet_sshd() { # port max-sessions hosts [listen]
    local port=$1 max_sessions=$2 hosts=$3 listen=${4:-0.0.0.0} i
    ssh-keygen -q -t ed25519 -N '' -C patrol-bench -f "$work/host_key"
    ssh-keygen -q -t ed25519 -N '' -C patrol-bench -f "$work/id_ed25519"
    cp "$work/id_ed25519.pub" "$work/authorized_keys"
    mkdir -p "$work/home" && chmod 755 "$work" "$work/home" && chmod 644 "$work/authorized_keys"
    [ "$(id -u)" = 0 ] && mkdir -p /run/sshd
    cat >"$work/sshd.conf" <<CONF
Port $port
ListenAddress $listen
HostKey $work/host_key
PidFile none
AuthorizedKeysFile $work/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
MaxSessions $max_sessions
MaxStartups 200:30:400
LogLevel ERROR
SetEnv HOME=$work/home
Subsystem sftp internal-sftp
PrintMotd no
UseDNS no
${sshd_extra:-}
CONF
    /usr/sbin/sshd -D -e -f "$work/sshd.conf" 2>>"$work/sshd.log" &
    pids+=("$!")
    : >"$work/known_hosts"
    for i in $(seq 1 "$hosts"); do
        echo "[127.0.1.$i]:$port $(cut -d' ' -f1,2 "$work/host_key.pub")" >>"$work/known_hosts"
    done
}

# Replaces the part of DOC between "<!-- NAME:begin -->" and "<!-- NAME:end -->" with the file SECTION (which carries
# those markers itself), or appends SECTION when DOC has no such part yet.
replace_doc_section() { # doc name section
    python3 - "$1" "$2" "$3" <<'PY'
import re, sys
doc, name, section = open(sys.argv[1]).read(), sys.argv[2], open(sys.argv[3]).read().strip()
pattern = re.compile(r"<!-- %s:begin -->.*?<!-- %s:end -->" % (name, name), re.S)
doc = pattern.sub(lambda _: section, doc) if pattern.search(doc) else doc.rstrip() + "\n\n" + section + "\n"
open(sys.argv[1], "w").write(doc)
PY
}
