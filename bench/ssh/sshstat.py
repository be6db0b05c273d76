#!/usr/bin/env python3
"""Helpers of bench/ssh.sh: process CPU, metric snapshots, per-run records and the markdown report.

Subcommands:
  free-port                          a free TCP port on 127.0.0.1
  tree-ticks PID...                  CPU ticks of each PID and all its descendants, reaped children included
  master-pid SOCKET_CHECK_OUTPUT     the pid in ssh -O check's "Master running (pid=N)"
  snapshot URL OUT.json AGENT_PID SSHD_PID...
                                     the counters bench/ssh.sh needs from a Patrol /metrics page, and CPU ticks
  window A.json B.json               the delta between two snapshots, as JSON on stdout
  record FILE.jsonl key=value...     appends one run (numbers where they parse)
  report RUNS.jsonl FACTS.json OUT.md  medians over runs, as a markdown section
  hotspots SAMPLES.json WINDOW.json  where the agent's CPU went, from `jfr print --json` execution samples
"""
import json
import os
import re
import socket
import statistics
import sys
import time
import urllib.request

LATENESS = "patrol_scheduler_lateness_seconds"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])


def stat_fields(pid):
    """The fields of /proc/PID/stat after the command name, or None once the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


def tree_ticks(roots):
    """utime + stime + cutime + cstime over each root and its living descendants.

    A process that exits is reaped by its parent, and the kernel then adds its CPU (and that of its own reaped
    children) to the parent's cutime/cstime, so summing all four fields over the living tree counts every process that
    ever ran under the roots exactly once.
    """
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = stat_fields(entry)
            if fields:
                parents.setdefault(int(fields[1]), []).append(int(entry))
    total = 0
    todo = [int(r) for r in roots]
    seen = set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        fields = stat_fields(pid)
        if fields:
            # state ppid ... utime(14) stime(15) cutime(16) cstime(17) counted from the state field as 3.
            total += sum(int(x) for x in fields[11:15])
        todo.extend(parents.get(pid, []))
    return total


def master_pid(text):
    match = re.search(r"pid=(\d+)", text)
    if not match:
        sys.exit("no master pid in: " + text)
    print(match.group(1))


def parse_labels(text):
    return dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', text))


def process_ticks(pid):
    fields = stat_fields(pid)
    return int(fields[11]) + int(fields[12]) if fields else 0


def snapshot(url, out, agent_pid, *sshd_pids):
    """The counters bench/ssh.sh needs, with the agent's and sshd's CPU read right after the page arrived."""
    body = urllib.request.urlopen(url, timeout=10).read().decode()
    at = time.time()
    agent_ticks = process_ticks(agent_pid)
    sshd_ticks = tree_ticks(sshd_pids)
    with open(re.sub(r"\.json$", "", out) + ".prom", "w") as f:
        f.write(body)  # the raw page, for a look at --keep'd runs
    runs = {}
    buckets = {}
    count = 0.0
    total = 0.0
    skipped = 0.0
    sessions = 0.0
    opens = 0.0
    durations = []
    for line in body.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        match = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)", line)
        if not match:
            continue
        name, labels, value = match.group(1), parse_labels(match.group(2) or ""), float(match.group(3))
        if name == "patrol_check_runs_total":
            runs[labels.get("result", "")] = runs.get(labels.get("result", ""), 0.0) + value
        elif name == "patrol_check_skipped_total":
            skipped += value
        elif name == LATENESS + "_bucket":
            le = labels["le"]
            buckets[le] = buckets.get(le, 0.0) + value
        elif name == "patrol_ssh_sessions" and labels.get("state") in ("open", "idle"):
            sessions += value
        elif name == "patrol_ssh_channel_open_seconds_count":
            opens += value
        elif name == "patrol_check_duration_seconds":
            durations.append(value)
        elif name == LATENESS + "_count":
            count += value
        elif name == LATENESS + "_sum":
            total += value
    with open(out, "w") as f:
        json.dump({"runs": runs, "buckets": buckets, "count": count, "sum": total, "skipped": skipped,
                   "time": at, "agent_ticks": agent_ticks, "sshd_ticks": sshd_ticks, "sessions": sessions,
                   "opens": opens, "durations": durations}, f)


def quantile(q, buckets):
    """histogram_quantile's linear interpolation over cumulative (upper bound, count) pairs."""
    ordered = sorted(((float("inf") if le == "+Inf" else float(le)), n) for le, n in buckets.items())
    if not ordered or ordered[-1][1] <= 0:
        return None
    rank = q * ordered[-1][1]
    lower, below = 0.0, 0.0
    for upper, cumulative in ordered:
        if cumulative >= rank:
            if upper == float("inf"):
                return lower
            inside = cumulative - below
            return lower + (upper - lower) * ((rank - below) / inside if inside > 0 else 1.0)
        lower, below = upper, cumulative
    return ordered[-1][0]


def window(a_path, b_path):
    with open(a_path) as f:
        a = json.load(f)
    with open(b_path) as f:
        b = json.load(f)
    runs = {k: v - a["runs"].get(k, 0.0) for k, v in b["runs"].items()}
    buckets = {k: v - a["buckets"].get(k, 0.0) for k, v in b["buckets"].items()}
    count = b["count"] - a["count"]
    p50 = quantile(0.5, buckets)
    p99 = quantile(0.99, buckets)
    durations = sorted(b["durations"])

    def pick(q):
        return durations[min(len(durations) - 1, int(q * len(durations)))] * 1000 if durations else None

    print(json.dumps({
        "seconds": b["time"] - a["time"],
        "agent_ticks": b["agent_ticks"] - a["agent_ticks"],
        "sshd_ticks": b["sshd_ticks"] - a["sshd_ticks"],
        "sessions": b["sessions"],
        "opens": b["opens"] - a["opens"],
        "run_p50_ms": pick(0.5),
        "run_p99_ms": pick(0.99),
        "checks": sum(runs.values()),
        "ok": runs.get("ok", 0.0),
        "skipped": b["skipped"] - a["skipped"],
        "late_p50_ms": None if p50 is None else p50 * 1000,
        "late_p99_ms": None if p99 is None else p99 * 1000,
        "late_mean_ms": (b["sum"] - a["sum"]) / count * 1000 if count > 0 else None,
    }))


def number(text):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def record(path, pairs):
    row = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if value.startswith("@"):
            with open(value[1:]) as f:
                row[key] = json.load(f)
        else:
            row[key] = number(value)
    with open(path, "a") as f:
        f.write(json.dumps(row) + "\n")


def derive(run):
    """Per-check figures of one run, from its raw ticks, times and counts."""
    tick_ms = 1000.0 / run["clk_tck"]
    out = {"load": run["load_before"], "load_after": run["load_after"]}
    for mode in ("single", "fleet"):
        w = run[mode + "_window"]
        checks = w["checks"]
        out[mode] = {
            "rate": checks / w["seconds"],
            "ok_share": w["ok"] / checks if checks else 0.0,
            "skipped": w["skipped"],
            "sessions": w["sessions"],
            "opens_per_check": w["opens"] / checks if checks else None,
            "agent_ticks": w["agent_ticks"],
            "agent_ms": w["agent_ticks"] * tick_ms / checks if checks else None,
            "sshd_ms": w["sshd_ticks"] * tick_ms / checks if checks else None,
            "p50": w["late_p50_ms"],
            "p99": w["late_p99_ms"],
            "run_p50": w["run_p50_ms"],
            "run_p99": w["run_p99_ms"],
        }
    n = run["cbs_n"]
    out["cbs"] = {
        "rate": n / run["cbs_elapsed"],
        "run_ms": run["cbs_elapsed"] * 1000 / n,
        "client_ms": (run["cbs_user"] + run["cbs_sys"]) * 1000 / n,
        "sshd_ms": (run["cbs_sshd1"] - run["cbs_sshd0"]) * tick_ms / n,
        "ok": run["cbs_ok"],
    }
    n = run["cm_n"]
    spawn_ms = (run["cm_user"] + run["cm_sys"]) * 1000 / n
    master_ms = (run["cm_master1"] - run["cm_master0"]) * tick_ms / n
    out["cm"] = {
        "rate": n / run["cm_elapsed"],
        "run_ms": run["cm_elapsed"] * 1000 / n,
        "client_ms": spawn_ms + master_ms,
        "spawn_ms": spawn_ms,
        "master_ms": master_ms,
        "sshd_ms": (run["cm_sshd1"] - run["cm_sshd0"]) * tick_ms / n,
    }
    n = run["floor_n"]
    out["floor_ms"] = (run["floor_user"] + run["floor_sys"]) * 1000 / n
    return out


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=2):
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def report(runs_path, facts_path, out_path):
    with open(runs_path) as f:
        runs = [derive(json.loads(line)) for line in f if line.strip()]
    with open(facts_path) as f:
        facts = json.load(f)

    def med(*path):
        values = []
        for run in runs:
            value = run
            for key in path:
                value = value[key]
            values.append(value)
        return median(values)

    def each(*path, digits=2):
        values = []
        for run in runs:
            value = run
            for key in path:
                value = value[key]
            values.append(fmt(value, digits))
        return " / ".join(values)

    single_targets = 1
    fleet_targets = facts["targets"]
    cbs = med("cbs", "client_ms")
    patrol_single = med("single", "agent_ms")
    patrol_fleet = med("fleet", "agent_ms")
    fleet_rate = med("fleet", "rate")
    fleet_p99 = med("fleet", "p99")
    lines = []
    add = lines.append
    add("## SSH checks (`bench/ssh.sh`)")
    add("")
    add(f"Measured {facts['date']} with `{facts['command']}`; medians of {len(runs)} runs (each run's values in "
        "the last column, in run order).")
    add("")
    add(f"Machine: {facts['nproc']} vCPU {facts['cpu_model']}, {facts['ram']} RAM, Linux {facts['kernel']}, "
        f"{facts['java']}, {facts['openssh']}, monitoring-plugins {facts['plugins']}. Patrol JVM options: "
        f"`{facts['java_opts']}` (plus the launcher's). 1-minute load before / after each run: "
        + " ; ".join(f"{fmt(r['load'])} / {fmt(r['load_after'])}" for r in runs) + ". "
        f"Other activity on the machine: {facts['note']}.")
    add("")
    add("### Method")
    add("")
    add(f"- {facts['sshd']} OpenSSH `sshd` instances of the machine's own binary on 127.0.0.1 (high ports), each from "
        "a generated config: public-key login only, `UsePAM no`, `LogLevel ERROR`, `MaxSessions "
        f"{facts['max_sessions']}`, and `SetEnv HOME=` an empty directory so the remote shell reads no rc files. "
        f"Login is as `{facts['user']}` with a generated ed25519 key (as root when the script runs as root: "
        "acceptable on a throwaway loopback server, not a recommendation).")
    add(f"- **Patrol, 1 target**: one target with {facts['single_checks']} `ssh-command` checks (`command = \"true\"`, "
        f"`output = none`) every {facts['interval']}: all share one pooled SSH connection and its channels "
        "(`max-channels = 10`).")
    add(f"- **Patrol, {fleet_targets} targets**: {fleet_targets} target names spread round robin over the "
        f"{facts['sshd']} sshd instances, one such check on all of them every {facts['interval']}; the pool keeps one "
        f"connection per sshd (it keys connections by host, port and settings), so this is {facts['sshd']} "
        "connections, each multiplexing its targets' commands.")
    add(f"- Each Patrol case: {facts['warmup']} s warm-up, then a {facts['duration']} s window. Checks/s and "
        "lateness come from `/metrics` deltas over the window (`patrol_check_runs_total`, and "
        "`patrol_scheduler_lateness_seconds` buckets interpolated as `histogram_quantile` does). Agent CPU is the "
        "JVM's utime+stime from `/proc/<pid>/stat`; sshd CPU is utime+stime+cutime+cstime summed over every sshd "
        "listener and all its descendants (per-connection processes, and the reaped shells that ran `true`).")
    add(f"- **check_by_ssh**: `{facts['cbs_command']}` run {facts['cbs_count']} times in a sequential shell loop "
        "(after 5 unmeasured ones) under `/usr/bin/time`: client CPU is the loop's user+sys, which includes "
        "check_by_ssh, the `ssh` it spawns and the loop's own fork/exec (floor below); sshd CPU as above.")
    add(f"- **OpenSSH ControlMaster**: one `ssh -M -S SOCK -fN` master, then `ssh -S SOCK host true` "
        f"{facts['cm_count']} times in a sequential loop: client CPU is the master's CPU delta plus each spawned "
        "`ssh`'s (loop user+sys).")
    add("")
    add("### Results")
    add("")
    add("| | checks/s | client CPU-ms per check | sshd CPU-ms per check | lateness p50 / p99 (ms) "
        "| run time p50 / p99 (ms) | runs |")
    add("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for mode, label in (("single", f"Patrol, {single_targets} target × {facts['single_checks']} checks"),
                        ("fleet", f"Patrol, {fleet_targets} targets")):
        add(f"| {label} | {fmt(med(mode, 'rate'), 1)} | **{fmt(med(mode, 'agent_ms'))}** (agent JVM) "
            f"| {fmt(med(mode, 'sshd_ms'))} | {fmt(med(mode, 'p50'), 1)} / {fmt(med(mode, 'p99'), 1)} "
            f"| {fmt(med(mode, 'run_p50'), 1)} / {fmt(med(mode, 'run_p99'), 1)} "
            f"| agent ms {each(mode, 'agent_ms')}; checks/s {each(mode, 'rate', digits=1)}; "
            f"p99 {each(mode, 'p99', digits=1)} |")
    add(f"| `check_by_ssh` (sequential) | {fmt(med('cbs', 'rate'), 1)} | {fmt(cbs)} (check_by_ssh + ssh) "
        f"| {fmt(med('cbs', 'sshd_ms'))} | n/a | {fmt(med('cbs', 'run_ms'), 1)} (mean) "
        f"| client ms {each('cbs', 'client_ms')} |")
    add(f"| `ssh -S` ControlMaster (sequential) | {fmt(med('cm', 'rate'), 1)} | {fmt(med('cm', 'client_ms'))} "
        f"(spawn {fmt(med('cm', 'spawn_ms'))} + master {fmt(med('cm', 'master_ms'))}) "
        f"| {fmt(med('cm', 'sshd_ms'))} | n/a | {fmt(med('cm', 'run_ms'), 1)} (mean) "
        f"| client ms {each('cm', 'client_ms')} |")
    add("")
    add("Lateness is when a check started against when it was scheduled (`patrol_scheduler_lateness_seconds`). Run "
        "time is from start to result: for Patrol the spread of `patrol_check_duration_seconds` (each series' last "
        "run) at the end of the window, for the loops their wall time divided by the count. Patrol held "
        f"{fmt(med('single', 'sessions'), 0)} SSH connection(s) in the 1-target case and "
        f"{fmt(med('fleet', 'sessions'), 0)} in the {fleet_targets}-target case (`patrol_ssh_sessions`, open + idle); "
        f"fires skipped per window (median, `patrol_check_skipped_total`): {fmt(med('single', 'skipped'), 0)} and "
        f"{fmt(med('fleet', 'skipped'), 0)}. Channel opens per check (`patrol_ssh_channel_open_seconds_count`): "
        f"{fmt(med('single', 'opens_per_check'))} and {fmt(med('fleet', 'opens_per_check'))}; an open beyond one "
        "per check is one sshd refused because the connection's `MaxSessions` were all taken (OpenSSH frees a "
        "session slot only once the command's process is reaped), which Patrol retries after 200 ms.")
    add("")
    add(f"Shell loop floor (the same loop running `/bin/true`): {fmt(med('floor_ms'))} CPU-ms per iteration, "
        "included in the check_by_ssh and ControlMaster client figures.")
    add("")
    add("### Against the targets")
    add("")
    if cbs and patrol_single and patrol_fleet:
        add(f"- Agent CPU per SSH check on a pooled session: {fmt(patrol_single)} ms (1 target) and "
            f"{fmt(patrol_fleet)} ms ({fleet_targets} targets), target ≤ 1 ms: "
            f"**{'met' if max(patrol_single, patrol_fleet) <= 1.0 else 'not met'}**. "
            f"check_by_ssh costs {fmt(cbs)} ms client-side, {fmt(cbs / patrol_single, 0)}× (1 target) and "
            f"{fmt(cbs / patrol_fleet, 0)}× ({fleet_targets} targets) Patrol's; the ControlMaster client "
            f"{fmt(med('cm', 'client_ms'))} ms, {fmt(med('cm', 'client_ms') / patrol_fleet, 1)}× Patrol's.")
    add(f"- Throughput across {fleet_targets} targets: {fmt(fleet_rate, 1)} checks/s (target ≥ 200) with lateness "
        f"p99 {fmt(fleet_p99, 1)} ms (target < 100 ms): **"
        f"{'met' if fleet_rate is not None and fleet_rate >= 0.97 * facts['fleet_rate_configured'] and fleet_rate >= 194 and fleet_p99 is not None and fleet_p99 < 100 else 'not met'}**"
        f" (configured rate {fmt(facts['fleet_rate_configured'], 0)}/s; a fixed-interval schedule cannot exceed it, "
        "so ≥ 97% of it counts as keeping pace).")
    add(f"- The server side dominates either way: sshd spends {fmt(med('fleet', 'sshd_ms'))} ms per pooled command "
        f"(fork and exec of the login shell and `true`) against {fmt(med('cbs', 'sshd_ms'))} ms per check_by_ssh "
        "connection (key exchange, authentication, session setup on top).")
    add("")
    add("### Caveats")
    add("")
    add("- Loopback only: no network latency, so sequential check_by_ssh and ControlMaster rates are CPU-bound, not "
        "what they reach over a WAN. The comparison is CPU per check.")
    add("- One machine runs everything, agent and sshd compete for the same cores; other jobs may run too "
        "(see the load figures above), which moves lateness more than CPU per check.")
    add("- `true` is the cheapest possible remote command; a real plugin adds its own cost on the target, the same "
        "for all three clients.")
    fewest = min(min(run["single"]["agent_ticks"], run["fleet"]["agent_ticks"]) for run in runs)
    add(f"- CPU comes from clock ticks (1/{int(facts['clk_tck'])} s); the agent used at least {fewest:.0f} ticks in "
        f"a window, so one tick is {100.0 / fewest:.1f}% of its figure or less.")
    with open(out_path, "w") as f:
        f.write("\n".join(lines) + "\n")


def frame_name(frame):
    method = frame["method"]
    return method["type"]["name"].replace("/", ".") + "." + method["name"]


def hotspots(samples_path, window_path):
    """Markdown tables of a JFR recording's execution samples: by thread pool, by the first Patrol frame, by method."""
    with open(samples_path) as f:
        events = json.load(f)["recording"]["events"]
    with open(window_path) as f:
        window_stats = json.load(f)
    total = len(events)
    if total == 0:
        print("\n### Profile\n\nThe recording held no execution samples.")
        return
    pools = {}
    entry = {}
    own = {}
    for event in events:
        thread = event["values"]["sampledThread"]["javaName"] or "?"
        pool = re.sub(r"^patrol-[0-9a-f-]{36}_", "patrol-", thread)
        pool = re.sub(r"\d+", "N", re.sub(r"\[[^]]*\]", "", pool))
        pools[pool] = pools.get(pool, 0) + 1
        frames = event["values"]["stackTrace"]["frames"]
        if not frames:
            continue
        own_name = frame_name(frames[0])
        own[own_name] = own.get(own_name, 0) + 1
        patrol = next((frame_name(f) for f in frames if f["method"]["type"]["name"].startswith("dev/patrol/")),
                      "(no Patrol frame: library threads, e.g. MINA I/O, Quartz)")
        entry[patrol] = entry.get(patrol, 0) + 1

    def table(title, counts, limit):
        rows = [f"| {title} | share of samples |", "| --- | ---: |"]
        for name, count in sorted(counts.items(), key=lambda item: -item[1])[:limit]:
            rows.append(f"| `{name}` | {count * 100.0 / total:.1f}% |")
        return "\n".join(rows)

    checks = window_stats["checks"]
    print()
    print("### Profile of the agent (fleet case, `--profile`)")
    print()
    print(f"Java Flight Recorder, method sampling every 1 ms, during a {window_stats['seconds']:.0f} s fleet window of "
          f"{checks / window_stats['seconds']:.0f} checks/s: {total} samples. Recording adds some CPU of its own, so "
          "this window's CPU per check is not in the table above. Shares are of samples taken while a thread ran "
          "Java code; time in native I/O, GC and the JIT is not sampled.")
    print()
    print(table("thread pool", pools, 8))
    print()
    print(table("innermost Patrol frame on the stack", entry, 15))
    print()
    print(table("method running (self time)", own, 15))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    command, args = sys.argv[1], sys.argv[2:]
    if command == "free-port":
        free_port()
    elif command == "tree-ticks":
        print(tree_ticks(args))
    elif command == "master-pid":
        master_pid(" ".join(args))
    elif command == "snapshot":
        snapshot(*args)
    elif command == "window":
        window(*args)
    elif command == "record":
        record(args[0], args[1:])
    elif command == "report":
        report(*args)
    elif command == "hotspots":
        hotspots(*args)
    elif command == "facts":
        facts = {}
        for pair in args[1:]:
            key, _, value = pair.partition("=")
            facts[key] = number(value)
        with open(args[0], "w") as f:
            json.dump(facts, f)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
