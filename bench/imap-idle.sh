#!/usr/bin/env bash
# bench/imap-idle.sh [connections] [jvm-heap] [maildir|memory]
#
# IDLE at scale: N connections (default 1000) log in, select INBOX and IDLE on one mailkit ImapServer running with a
# heap of at most JVM-HEAP (default 256m); the heap in use is measured after a full collection while they idle;
# then messages are appended one at a time over another connection (default 5) and every idling connection's
# delay until it hears "* n EXISTS" is measured (median, p99, max). The first delivery runs through cold code
# (class loading, the interpreter); the later ones are the steady state. Delays are counted from the moment the APPEND
# connection is opened (so they include the delivery itself: connect, LOGIN, APPEND written durably), and the
# APPEND's own time (until its tagged OK) is printed too. The server (ImapBenchServer: the Maildir store by default,
# or with STORE=memory / a third argument the in-memory store, over 100 messages of 10 KiB) and the client
# (ImapIdleBench, one selector thread) run in separate JVMs. The load average is printed before and after.
# Needs: python3 (for the messages), maven, a JDK. Run from anywhere.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
n=${1:-1000}; heap=${2:-256m}; kind=${3:-${STORE:-maildir}}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
py=/usr/bin/python3; [ -x $py ] || py=python3
work=$(mktemp -d)
trap 'exec 3>&- 4>&- 2>/dev/null; kill $mk_pid $cl_pid 2>/dev/null; rm -rf "$work"' EXIT
mk_pid=; cl_pid=
ulimit -n 65536 2>/dev/null || true
box=$work/data/local.test/rcpt
"$py" "$here/gen-maildir.py" "$box" 100
cp_file=$work/cp
(cd "$root" && mvn -q -B -o -pl mailkit-imap -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null 2>&1 \
  || mvn -q -B -pl mailkit-imap -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null)
cp="$root/mailkit-imap/target/classes:$root/mailkit-imap/target/test-classes:$(cat "$cp_file")"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
mkfifo "$work/sin" "$work/cin"
"$java" -Xms$heap -Xmx$heap ${SERVER_OPTS:-} -cp "$cp" dev.mailkit.imap.bench.ImapBenchServer "$box" 0 "$kind" < "$work/sin" > "$work/sout" 2>"$work/serr" &
mk_pid=$!
[ -n "${SERVER_PID_FILE:-}" ] && echo $mk_pid > "$SERVER_PID_FILE"   # for profilers
exec 3>"$work/sin"
for i in $(seq 600); do grep -q '^ready' "$work/sout" 2>/dev/null && break; sleep 0.1; done
port=$(awk '/^ready/{print $2}' "$work/sout")
[ -n "$port" ] || { cat "$work/serr"; exit 1; }

"$java" -Xmx512m -cp "$cp" dev.mailkit.imap.bench.ImapIdleBench "$port" "$n" "${ROUNDS:-5}" < "$work/cin" > "$work/cout" 2>&1 &
cl_pid=$!
exec 4>"$work/cin"
for i in $(seq 1200); do grep -q '^idling' "$work/cout" 2>/dev/null && break; kill -0 $cl_pid 2>/dev/null || break; sleep 0.1; done
cat "$work/cout"
echo heap >&3
for i in $(seq 300); do grep -q '^heap' "$work/sout" 2>/dev/null && break; sleep 0.1; done
awk '/^heap/{printf "server heap in use with the connections idling: %.1f MiB (max %.0f MiB), %d connections, %d idling\n", $2/1048576, $4/1048576, $6, $8}' "$work/sout"
# the server's CPU time (user and system, clock ticks) over the deliveries
read -r u0 s0 < <(awk '{print $14, $15}' /proc/$mk_pid/stat)
echo go >&4
wait $cl_pid || true
read -r u1 s1 < <(awk '{print $14, $15}' /proc/$mk_pid/stat)
tail -n +2 "$work/cout"
tck=$(getconf CLK_TCK)
echo "server CPU time during the ${ROUNDS:-5} deliveries: $(( (u1 - u0 + s1 - s0) * 1000 / tck )) ms" \
  "(user $(( (u1 - u0) * 1000 / tck )) ms, system $(( (s1 - s0) * 1000 / tck )) ms; each delivery: an APPEND over a" \
  "new connection and its fan-out to $n connections)"
echo "($("$java" -version 2>&1 | head -1); heap limit $heap; store $kind; $(nproc) cores;" \
  "load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after)"
