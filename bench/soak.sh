#!/usr/bin/env bash
# bench/soak.sh [SECONDS] [HEAP]
#
# A long soak of the runnable server (default 1800 s, heap capped at 256m): SMTP in to five local users (3 clients),
# submissions relayed out through the durable queue to Postfix's smtp-sink as the smart host (2), IMAP sessions that
# read, flag, delete and expunge (2) and POP3 downloads (1), all at once, while the server is killed with SIGKILL
# and restarted every 20 to 60 s (SOAK_KILL_MIN, SOAK_KILL_MAX; SOAK_SEED for another sequence; a start may take
# SOAK_START_TIMEOUT seconds, default 600: a loaded machine). At the end it
# checks that every message the server acknowledged with 250 is in its mailbox (unless the IMAP client deleted it)
# or reached smtp-sink (duplicates are counted: a kill between the smart host's 250 and the queue's record sends
# again, as with every MTA), that heap, descriptors and threads after each restart level off (printed per restart),
# and that no server log line holds ERROR or an exception. Needs smtp-sink (Debian package postfix), python3 and a
# JDK 21+ (JAVA, default the newest under /usr/lib/jvm). Exit status 0 only if nothing acknowledged was lost.
#
# The server's logs (server-N.out and server-N.err per start) and the soak's report (soak.log) are kept in SOAK_OUT
# (default target/soak/<date>-<time>); the rest of the work directory (data, classes, smtp-sink's files) is deleted.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
seconds=${1:-1800}; heap=${2:-256m}
java=${JAVA:-$( (ls -d /usr/lib/jvm/temurin-2[1-9]* /usr/lib/jvm/java-2[1-9]* 2>/dev/null || true) | sort -V | tail -1)/bin/java}
[ -x "$java" ] || { echo "needs a JDK 21+: set JAVA" >&2; exit 2; }
sink_bin=$(command -v smtp-sink || echo /usr/sbin/smtp-sink)
[ -x "$sink_bin" ] || { echo "needs smtp-sink (apt-get install postfix)" >&2; exit 2; }
work=$(mktemp -d)
out=${SOAK_OUT:-$root/target/soak/$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$out"
keep_logs() { cp "$work"/server-*.out "$work"/server-*.err "$out/" 2>/dev/null || true; }
sink=; trap '[ -n "$sink" ] && kill $sink 2>/dev/null; wait 2>/dev/null; keep_logs; rm -rf "$work"' EXIT
cp_file=$root/mailkit-examples/target/bench-classpath.txt
# test-compile, not compile: mailkit-postgres's test-jar dependency on mailkit-relay resolves only in the reactor then
(cd "$root" && mvn -q -B -o -pl mailkit-examples -am test-compile dependency:build-classpath \
   -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime >"$out/build.log" 2>&1) \
   || { echo "the build failed (mvn -o); its output:" >&2; tail -40 "$out/build.log" >&2; exit 2; }
cp=; i=0 # a private copy of the classes: a build in this tree during the soak must not change them
for e in $root/mailkit-examples/target/classes $(tr ':' ' ' < "$cp_file"); do
  if [ -d "$e" ]; then i=$((i + 1)); mkdir -p "$work/cp/$i"; cp -r "$e/." "$work/cp/$i/"; e=$work/cp/$i; fi
  cp=${cp:+$cp:}$e
done
sink_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/sink"
user=(); [ "$(id -u)" = 0 ] && user=(-u root)
"$sink_bin" "${user[@]}" -d "$work/sink/%s." "127.0.0.1:$sink_port" 100 &
sink=$!
SOAK_SECONDS=$seconds SOAK_HEAP=$heap SOAK_JAVA=$java SOAK_CP=$cp SOAK_WORK=$work SOAK_SINK_PORT=$sink_port \
  SOAK_SINK_DIR=$work/sink python3 -u "$here/soak.py" 2>&1 | tee "$out/soak.log"
status=${PIPESTATUS[0]}
echo "server logs and this report: $out"
exit "$status"
