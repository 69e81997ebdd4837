#!/usr/bin/env bash
# bench/test-startup.sh [cycles] [rounds]
# Start and stop of a throwaway SMTP+IMAP+POP3 test server: mailkit-test vs GreenMail 2.1.8, alternating in one warm
# JVM (medians), and in blocks; then one first start+stop in a fresh JVM for each, and one first start + one message
# sent with Jakarta Mail and read back over IMAP + stop in a fresh JVM (RUNS fresh JVMs each, default 5, alternating,
# all printed, then the medians). Prints the load average before and after.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
mvn -q -B -Pbench package dependency:build-classpath -DskipTests -pl bench/test-suite -am \
  -Dmdep.outputFile=target/suite-cp.txt -Dmdep.includeScope=runtime
cp="bench/test-suite/target/classes:$(cat bench/test-suite/target/suite-cp.txt)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $("$java" -version 2>&1 | head -1)"
"$java" -cp "$cp" dev.mailkit.bench.suite.StartupBench "${1:-50}" "${2:-5}" 2>/dev/null
out=$(mktemp)
for mode in first first-roundtrip; do
  for i in $(seq "${RUNS:-5}"); do
    for server in greenmail mailkit; do
      "$java" -cp "$cp" dev.mailkit.bench.suite.StartupBench $mode $server 2>/dev/null | tee -a "$out"
    done
  done
done
for mode in "first start+stop" "first start + one message"; do
  for server in greenmail mailkit; do
    grep "^$server $mode" "$out" | awk '{print $(NF-1)}' | sort -n | awk -v s="$server" -v m="$mode" \
      '{v[NR]=$1} END {printf "median of %d fresh JVMs, %s, %s: %.1f ms\n", NR, s, m, v[int((NR+1)/2)]}'
  done
done
rm -f "$out"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
