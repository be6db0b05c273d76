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
