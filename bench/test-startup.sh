#!/usr/bin/env bash
# bench/test-startup.sh [cycles] [rounds]
# Start and stop of a throwaway SMTP+IMAP+POP3 test server: mailkit-test vs GreenMail 2.1.8, alternating in one warm
# JVM (medians), then one first start in a fresh JVM for each (three fresh JVMs each, all printed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
mvn -q -B -Pbench package dependency:build-classpath -DskipTests -pl bench/test-suite -am \
  -Dmdep.outputFile=target/suite-cp.txt -Dmdep.includeScope=runtime
cp="bench/test-suite/target/classes:$(cat bench/test-suite/target/suite-cp.txt)"
"$java" -cp "$cp" dev.mailkit.bench.suite.StartupBench "${1:-50}" "${2:-5}"
for i in 1 2 3; do
  "$java" -cp "$cp" dev.mailkit.bench.suite.StartupBench first greenmail
  "$java" -cp "$cp" dev.mailkit.bench.suite.StartupBench first mailkit
done
