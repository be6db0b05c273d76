#!/usr/bin/env bash
# The fleet-scale version of packaging's SshFleetIT: many SSH targets beside black holes, through the real agent and
# real OpenSSH sshd on 127.0.0.1. The test suite runs the same test at a moderate shape (60 + 20 targets) so that it
# proves isolation on a busy CI machine; this command runs it at the shape that measures capacity.
#
#   bench/ssh-fleet.sh                       # 900 good targets + 100 black holes every 12 s
#   bench/ssh-fleet.sh --good 300 --holes 50 --interval 6
#
# Prints the test's own report line (OK and not-OK runs, thread counts, the holes' outcomes). Bounded: the test gives
# up after --limit seconds per phase.
set -euo pipefail
good=900 holes=100 interval=12 runs=3 limit=600
while [ $# -gt 0 ]; do
    case "$1" in
        --good) good=$2; shift 2 ;;
        --holes) holes=$2; shift 2 ;;
        --interval) interval=$2; shift 2 ;;
        --runs-per-target) runs=$2; shift 2 ;;
        --limit) limit=$2; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
cd "$(dirname "$0")/.."
mvn -B -q -pl packaging -am verify -Dtest=NONE -Dit.test=SshFleetIT \
    -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false -Dspotless.check.skip=true \
    -Dfleet.good="$good" -Dfleet.holes="$holes" -Dfleet.interval-seconds="$interval" \
    -Dfleet.runs-per-target="$runs" -Dfleet.limit-seconds="$limit" || status=$?
grep -h "ssh fleet" packaging/target/failsafe-reports/dev.patrol.e2e.SshFleetIT-output.txt 2>/dev/null || true
exit "${status:-0}"
