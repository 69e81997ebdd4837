#!/usr/bin/env bash
# bench/test-suite.sh [rounds]
# The same JUnit test class (100 tests; each sends one message with Jakarta Mail and reads it back over IMAP, with a
# fresh server per test) on mailkit-test and on GreenMail 2.1.8, in one JVM, alternating, after a warm-up round each.
# Prints the median wall time of each and the ratio. Needs Maven (downloads GreenMail the first time) and a JDK.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
mvn -q -B -Pbench package dependency:build-classpath -DskipTests -pl bench/test-suite -am \
  -Dmdep.outputFile=target/suite-cp.txt -Dmdep.includeScope=runtime
cp="bench/test-suite/target/classes:$(cat bench/test-suite/target/suite-cp.txt)"
"$java" -Xmx1g -cp "$cp" dev.mailkit.bench.suite.SuiteBench "${1:-5}"
