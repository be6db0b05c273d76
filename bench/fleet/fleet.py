#!/usr/bin/env python3
"""Helpers of the fleet benchmarks (bench/fleet/http.sh, bench/fleet/ssh.sh, bench/coldstart.sh).

Every target is a loopback address of its own: HTTP targets 127.1.X.Y (nginx on 0.0.0.0:PORT), SSH hosts 127.0.1.N
(one sshd on 0.0.0.0:PORT, see start_fleet_sshd in bench/lib/common.sh).

Subcommands:
  http-addr I                         the address of HTTP target I (1-based): 127.1.X.Y, Y in 1..250
  patrol-config OUT WEB WORK [ssh=N,PORT,USER,INTERVAL] [http=N,PORT,INTERVAL]
                                      a Patrol configuration with those fleets (one check each)
  urls OUT N PORT                     the blackbox_exporter probe paths of N HTTP targets, one a line (for wrk)
  pace RATE SECONDS MAX_IN_FLIGHT HOSTS -- CMD...
                                      runs CMD (its {host} replaced by 127.0.1.I, round robin over 1..HOSTS) RATE
                                      times a second for SECONDS, at most MAX_IN_FLIGHT at once; prints JSON with
                                      the count, the OK count, those not started (in-flight cap) and the children's CPU
  coldstart METRICS_URL PID TARGETS LIMIT SETTLE OUT.json
                                      polls /metrics every 0.25 s from the agent's start until every target's
                                      patrol_check_up is 1 (or LIMIT s), then SETTLE s more; writes what happened
  row KEY=VALUE... [@FILE...]         one JSON line merged from key=value words and JSON files
  table KIND RUNS.jsonl               the Markdown table of KIND (http, ssh, coldstart), medians per rate
"""
import json
import os
import re
import resource
import shlex
import statistics
import subprocess
import sys
import time
import urllib.request

SERIES = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def http_addr(i):
    i = int(i) - 1
    return f"127.1.{i // 250}.{i % 250 + 1}"


def patrol_config(out, web, work, *fleets):
    lines = ["patrol {", f'  web.listen = "127.0.0.1:{web}"', f'  state-dir = "{work}/patrol-state"',
             "  checks {"]
    targets = []
    for fleet in fleets:
        kind, _, spec = fleet.partition("=")
        if kind == "ssh":
            n, port, user, interval = spec.split(",")
            lines[1:1] = [f'  ssh {{ user = "{user}", identity-file = "{work}/id_ed25519",'
                          f' known-hosts = "{work}/known_hosts" }}']
            lines.append(f'    ssh-echo {{ type = ssh-command, targets = {{ role = ssh }}, command = "echo OK",'
                         f' output = none, interval = {interval}, timeout = 5s }}')
            targets += [f'    s-{i:05d} {{ host = "127.0.1.{i}", port = {port}, labels {{ role = ssh }} }}'
                        for i in range(1, int(n) + 1)]
        elif kind == "http":
            n, port, interval = spec.split(",")
            lines.append(f'    http-get {{ type = http, url = "http://{{host}}:{{port}}/", targets = {{ role = http }},'
                         f' interval = {interval}, timeout = 2s }}')
            targets += [f'    h-{i:05d} {{ host = "{http_addr(i)}", port = {port}, labels {{ role = http }} }}'
                        for i in range(1, int(n) + 1)]
        else:
            sys.exit("unknown fleet " + fleet)
    lines += ["  }", "  targets {"] + targets + ["  }", "}"]
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


def urls(out, n, port):
    with open(out, "w") as f:
        for i in range(1, int(n) + 1):
            f.write(f"/probe?module=http_2xx&target=http://{http_addr(i)}:{port}/\n")


def pace(rate, seconds, max_in_flight, hosts, *command):
    command = list(command[1:] if command and command[0] == "--" else command)
    rate, seconds, max_in_flight, hosts = float(rate), float(seconds), int(max_in_flight), int(hosts)
    running, started, ok, dropped, i = [], 0, 0, 0, 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    total = int(rate * seconds)
    while started + dropped < total:
        due = t0 + (started + dropped) / rate
        while True:
            for p in [p for p in running if p.poll() is not None]:
                running.remove(p)
                ok += p.returncode == 0
            wait = due - time.monotonic()
            if wait <= 0:
                break
            time.sleep(min(wait, 0.005))
        if len(running) >= max_in_flight:
            dropped += 1
            continue
        host = f"127.0.1.{i % hosts + 1}"
        i += 1
        running.append(subprocess.Popen([a.replace("{host}", host) for a in command], stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        started += 1
    deadline = time.monotonic() + 60
    for p in running:
        try:
            ok += p.wait(timeout=max(0.1, deadline - time.monotonic())) == 0
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    elapsed = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(json.dumps({"started": started, "ok": ok, "dropped": dropped, "elapsed": elapsed,
                      "client_cpu_s": cpu, "command": shlex.join(command)}))


def scrape(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        text = response.read().decode()
    out = []
    for line in text.splitlines():
        m = SERIES.match(line)
        if m and not line.startswith("#"):
            out.append((m.group(1), dict(LABEL.findall(m.group(2) or "")), float(m.group(3))))
    return out


def coldstart(url, pid, targets, limit, settle, out):
    """Times from the agent's start (this call, made right after the launch) to ready and to all targets up."""
    targets, limit, settle = int(targets), float(limit), float(settle)
    t0 = time.monotonic()
    ready = all_up = None
    first = {}  # (check, target) -> {result or "skipped:reason": count} at the first poll that saw a finished run
    last = []
    max_queued = max_running = 0
    while time.monotonic() - t0 < limit + settle:
        if all_up is not None and time.monotonic() - t0 > all_up + settle:
            break
        try:
            os.kill(int(pid), 0)
        except OSError:
            sys.exit("the agent exited; see its log")
        try:
            last = scrape(url)
        except OSError:
            time.sleep(0.25)
            continue
        now = time.monotonic() - t0
        ready = now if ready is None else ready
        seen, up = {}, 0
        for name, labels, value in last:
            key = (labels.get("check"), labels.get("target"))
            if name == "patrol_check_runs_total" and value:
                seen.setdefault(key, {})[labels["result"]] = value
            elif name == "patrol_check_skipped_total" and value:
                seen.setdefault(key, {})["skipped:" + labels["reason"]] = value
            elif name == "patrol_check_up" and value == 1:
                up += 1
            elif name == "patrol_ssh_handshakes":
                if labels.get("state") == "queued":
                    max_queued = max(max_queued, value)
                elif labels.get("state") == "running":
                    max_running = max(max_running, value)
        for key, results in seen.items():
            # The first poll that shows a finished run of the target: its results, and the skips before (or with) it.
            if key not in first and any(not k.startswith("skipped:") for k in results):
                first[key] = results
        if all_up is None and up >= targets:
            all_up = now
        time.sleep(0.25)
    firsts, skips_before, runs, skipped, connects = {}, {}, {}, {}, {}
    for results in first.values():
        for k, v in results.items():
            if k.startswith("skipped:"):
                skips_before[k[8:]] = skips_before.get(k[8:], 0) + v
            else:
                firsts[k] = firsts.get(k, 0) + v
    for name, labels, value in last:
        if name == "patrol_check_runs_total":
            runs[labels["result"]] = runs.get(labels["result"], 0) + value
        elif name == "patrol_check_skipped_total":
            skipped[labels["reason"]] = skipped.get(labels["reason"], 0) + value
        elif name == "patrol_ssh_connects_total":
            connects[labels["result"]] = connects.get(labels["result"], 0) + value
    with open(out, "w") as f:
        json.dump({"ready_s": ready, "all_up_s": all_up, "observed_s": time.monotonic() - t0,
                   "targets_with_a_first_result": len(first),
                   "first_not_ok": sum(v for k, v in firsts.items() if k != "ok"),
                   "first_by_result": {k: v for k, v in firsts.items() if v},
                   "skips_before_first_result": {k: v for k, v in skips_before.items() if v},
                   "runs_by_result": {k: v for k, v in runs.items() if v},
                   "skipped_by_reason": {k: v for k, v in skipped.items() if v},
                   "ssh_connects": {k: v for k, v in connects.items() if v},
                   "max_handshakes_queued": max_queued, "max_handshakes_running": max_running}, f)


def number(text):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def div(a, b, scale=1.0):
    return None if a is None or not b else a * scale / b


def row(*args):
    """key=value words and @[PREFIX:]FILE.json merged into one row, then the figures the tables show derived."""
    r = {}
    for arg in args:
        if arg.startswith("@"):
            prefix, _, path = arg[1:].rpartition(":")
            with open(path) as f:
                r.update({(prefix + "_" if prefix else "") + k: v for k, v in json.load(f).items()})
        else:
            key, _, value = arg.partition("=")
            r[key] = number(value)
    tick = 1000.0 / r.get("clk_tck", 100)
    if "p_ticks" in r:  # HTTP: benchstat.py's patrol-window plus CPU ticks
        r["patrol_checks_per_s"] = div(r["checks"], r["p_seconds"])
        r["patrol_cpu_ms_per_check"] = div(r["p_ticks"] * tick, r["checks"])
        if "p_jit_ticks" in r:
            r["patrol_cpu_ms_per_check_no_jit"] = div((r["p_ticks"] - r["p_jit_ticks"]) * tick, r["checks"])
        r["patrol_lateness_p99_ms"] = r["lateness_p99_ms"]
        r["patrol_bad"] = sum(r["checks_not_ok"].values()) + r["skipped_total"]
    if "bb_ticks" in r:
        r["bb_probes_per_s"] = div(r["bb_requests"], r["bb_seconds"])
        r["bb_cpu_ms_per_probe"] = div(r["bb_ticks"] * tick, r["bb_requests"])
        r["ratio"] = div(r["bb_cpu_ms_per_probe"], r.get("patrol_cpu_ms_per_check"))
    if "p_agent_ticks" in r:  # SSH: sshstat.py's window, prefixed p_
        r["patrol_checks_per_s"] = div(r["p_checks"], r["p_seconds"])
        r["patrol_cpu_ms_per_check"] = div(r["p_agent_ticks"] * tick, r["p_checks"])
        if "p_jit_ticks" in r:
            r["patrol_cpu_ms_per_check_no_jit"] = div((r["p_agent_ticks"] - r["p_jit_ticks"]) * tick, r["p_checks"])
        r["patrol_sshd_ms_per_check"] = div(r["p_sshd_ticks"] * tick, r["p_checks"])
        r["patrol_lateness_p99_ms"] = r["p_late_p99_ms"]
        r["patrol_bad"] = r["p_checks"] - r["p_ok"] + r["p_skipped"]
    if "cbs_started" in r:
        r["cbs_per_s"] = div(r["cbs_started"], r["cbs_elapsed"])
        r["cbs_cpu_ms"] = div(r["cbs_client_cpu_s"], r["cbs_started"], 1000)
        r["cbs_sshd_ms"] = div(r["cbs_sshd_ticks"] * tick, r["cbs_started"])
    if "cm_started" in r:
        r["cm_per_s"] = div(r["cm_started"], r["cm_elapsed"])
        r["cm_master_ms"] = div(r["cm_master_ticks"] * tick, r["cm_started"])
        r["cm_client_ms"] = div(r["cm_client_cpu_s"], r["cm_started"], 1000)
        r["cm_sshd_ms"] = div(r["cm_sshd_ticks"] * tick, r["cm_started"])
    if "first_by_result" in r:  # cold start
        r["agent_busy"] = r["skipped_by_reason"].get("agent_busy", 0)
        r["overlap"] = r["skipped_by_reason"].get("overlap", 0)
        r["not_ok_runs"] = sum(v for k, v in r["runs_by_result"].items() if k != "ok")
        r["connects"] = sum(r["ssh_connects"].values())
    print(json.dumps(r))


def med(rows, key):
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=2):
    return "n/a" if value is None else f"{value:,.{digits}f}"


def table(kind, path):
    with open(path) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    groups = {}
    for r in rows:
        groups.setdefault(r.get("rate", 0), []).append(r)
    if kind == "http":
        head = ["rate /s", "Patrol checks/s", "Patrol CPU-ms/check", "of it without the JIT compiler",
                "lateness p99 ms", "Patrol not OK + skipped", "blackbox probes/s", "blackbox CPU-ms/probe",
                "blackbox / Patrol", "load (1 min)", "runs"]
        keys = [("patrol_checks_per_s", 1), ("patrol_cpu_ms_per_check", 3), ("patrol_cpu_ms_per_check_no_jit", 3),
                ("patrol_lateness_p99_ms", 1), ("patrol_bad", 0), ("bb_probes_per_s", 1), ("bb_cpu_ms_per_probe", 3),
                ("ratio", 1), ("load", 2)]
    elif kind == "ssh":
        head = ["rate /s", "Patrol checks/s", "Patrol CPU-ms/check", "of it without the JIT compiler",
                "sshd CPU-ms (Patrol)", "lateness p99 ms", "Patrol not OK + skipped", "connects", "check_by_ssh /s",
                "check_by_ssh CPU-ms", "ControlMaster /s", "masters CPU-ms", "ssh -S clients CPU-ms", "load (1 min)",
                "runs"]
        keys = [("patrol_checks_per_s", 1), ("patrol_cpu_ms_per_check", 3), ("patrol_cpu_ms_per_check_no_jit", 3),
                ("patrol_sshd_ms_per_check", 2),
                ("patrol_lateness_p99_ms", 1), ("patrol_bad", 0), ("patrol_connects", 0), ("cbs_per_s", 1),
                ("cbs_cpu_ms", 2), ("cm_per_s", 1), ("cm_master_ms", 3), ("cm_client_ms", 2), ("load", 2)]
    else:
        head = ["SSH hosts", "HTTP hosts", "/metrics up s", "all up s", "first results not OK", "runs not OK",
                "skipped agent_busy", "skipped overlap", "SSH connects", "max handshakes queued",
                "'changed state' lines", "load (1 min)", "runs"]
        keys = [("http", 0), ("ready_s", 1), ("all_up_s", 1), ("first_not_ok", 0), ("not_ok_runs", 0),
                ("agent_busy", 0), ("overlap", 0), ("connects", 0), ("max_handshakes_queued", 0),
                ("changed_state_warnings", 0), ("load", 2)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for rate, rs in sorted(groups.items()):
        cells = [str(rate)] + [fmt(med(rs, k), d) for k, d in keys] + [str(len(rs))]
        lines.append("| " + " | ".join(cells) + " |")
    print("\n".join(lines))


if __name__ == "__main__":
    name, rest = sys.argv[1], sys.argv[2:]
    result = {"http-addr": http_addr, "patrol-config": patrol_config, "urls": urls, "pace": pace,
              "coldstart": coldstart, "row": row, "table": table}[name](*rest)
    if name == "http-addr":
        print(result)
