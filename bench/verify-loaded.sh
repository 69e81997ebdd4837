#!/usr/bin/env bash
# bench/verify-loaded.sh [RUNS] [MAVEN ARGS...]
#
# The flaky-test hunt: runs `CI=true mvn -B -o verify` RUNS times in a row (default 10) while other processes keep
# every core busy (one busy loop per core, at normal priority), and prints per run the result, the time and every
# test that failed or errored (logs in LOGS, default /tmp/mailkit-verify-loaded). Exit status 0 only if every run passed.
# Extra arguments go to Maven, e.g. `bench/verify-loaded.sh 20 -pl mailkit-relay -am` for one module's tests.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}; shift || true
burners=()
cleanup() { for p in "${burners[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT
for _ in $(seq "$(nproc)"); do sh -c 'while :; do :; done' & burners+=($!); done
echo "$(nproc) busy loops running (pids ${burners[*]}); load average $(cut -d' ' -f1-3 /proc/loadavg)"
logs=${LOGS:-/tmp/mailkit-verify-loaded}; mkdir -p "$logs"
failed=0
for r in $(seq "$runs"); do
  start=$(date +%s)
  if CI=true mvn -B -o verify "$@" > "$logs/run-$r.log" 2>&1; then status=passed; else status=FAILED; failed=$((failed + 1)); fi
  echo "run $r: $status in $(( $(date +%s) - start )) s (log $logs/run-$r.log)"
  grep -hE '<<< (FAILURE|ERROR)!' "$logs/run-$r.log" | sed 's/^/    /' | sort -u | head -20
done
echo "$((runs - failed)) of $runs runs passed under load"
[ "$failed" = 0 ]
