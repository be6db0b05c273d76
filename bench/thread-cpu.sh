#!/usr/bin/env bash
# CPU of a running process per thread name over a window: how the per-thread figures in docs/BENCHMARKS.md were
# taken ("Where the CPU goes at low rates", log tailing, fetch). Threads are grouped by name with digits replaced by
# N (patrol-http-1 and patrol-http-2 are patrol-http-N); a thread that ends inside the window is not counted.
#
#   bench/thread-cpu.sh PID [SECONDS]        # default 30 s; prints ms of CPU per second, per thread group
#
# Pair it with a benchmark's --keep work directory: start the agent on its config, wait out a warm-up, then run this.
set -euo pipefail
pid=${1:?usage: bench/thread-cpu.sh PID [SECONDS]}
seconds=${2:-30}
[ -d "/proc/$pid" ] || { echo "no process $pid" >&2; exit 1; }
[ "$seconds" -ge 1 ] && [ "$seconds" -le 3600 ] || { echo "SECONDS must be 1..3600" >&2; exit 1; }
hz=$(getconf CLK_TCK)

snapshot() { # "name|ticks" per live thread; the name may contain spaces, so stat is read after its ") "
    local task
    for task in /proc/"$pid"/task/*; do
        printf '%s|%s\n' "$(cat "$task/comm" 2>/dev/null)" \
            "$(sed 's/.*) //' "$task/stat" 2>/dev/null | awk '{print $12 + $13}')"
    done
}
before=$(snapshot)
total0=$(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')
sleep "$seconds"
after=$(snapshot)
total1=$(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')

python3 - "$hz" "$seconds" "$total0" "$total1" <<PY
import collections, re, sys
hz, seconds, t0, t1 = (float(a) for a in sys.argv[1:])
def groups(text):
    out = collections.Counter()
    for line in text.splitlines():
        name, _, ticks = line.rpartition("|")
        if ticks.strip():
            out[re.sub(r"\d+", "N", name)] += int(ticks)
    return out
a, b = groups("""$before"""), groups("""$after""")
print(f"process: {(t1 - t0) * 1000 / hz / seconds:.1f} ms of CPU per second over {seconds:.0f} s")
for name in sorted(b, key=lambda n: a[n] - b[n]):
    delta = b[name] - a[name]
    if delta > 0:
        print(f"  {name:24s} {delta * 1000 / hz / seconds:8.1f} ms/s")
PY
