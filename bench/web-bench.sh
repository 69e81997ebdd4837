#!/bin/sh
# bench/web-bench.sh [messages] [requests-per-client]
# mailkit-web with MESSAGES messages in one mailbox (default 10 000): the first request (index build), list pages,
# searches and message summaries under 10 concurrent keep-alive clients (p50/p99, requests/s), then the delay from
# the SMTP server's 250 to the message's appearance in an open headless Chromium (Debian's chromium and
# chromium-driver, as .ci/run installs them). Run from anywhere; builds the module first.
set -e
cd "$(dirname "$0")/.."
CP_FILE=$(mktemp)
mvn -q -B -pl mailkit-web -am test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="mailkit-web/target/classes:mailkit-web/target/test-classes:mailkit-core/target/test-classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"
exec java -Xmx1g -cp "$CP" dev.mailkit.web.WebBench "${1:-10000}" "${2:-2000}"
