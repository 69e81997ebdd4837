#!/bin/sh
# bench/store-bench.sh [messages] [rounds]
# Micro-benchmarks of mailkit-store (structure parser, cached structure, in-memory store) over N messages of
# about 10 KiB (default 5000), best of ROUNDS (default 5). Run from anywhere; builds the module first.
set -e
cd "$(dirname "$0")/.."
CP_FILE=$(mktemp)
mvn -q -B -pl mailkit-store -am test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="mailkit-store/target/classes:mailkit-store/target/test-classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"
exec java -cp "$CP" dev.mailkit.store.bench.StoreBench "${1:-5000}" "${2:-5}"
