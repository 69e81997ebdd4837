#!/usr/bin/env bash
# bench/heap-sessions.sh [messages]
#
# The heap of the durable delivery path (SMTP in, DeliveryAgent, MaildirMailStore with fsync:
# MaildirDeliveryBenchServer, -Xmx1g or HEAP=...) under load from Postfix's smtp-source (10 KiB messages, one connection per
# message) with 10 sessions and with 1 000 sessions at once. While each load runs, jstat samples the heap every
# 100 ms; the script prints the highest heap in use seen (young and old generations, what the collector had not yet
# freed) and the old generation's highest (what survived collections: the live set's ceiling), then the heap in use
# after a full collection once the load is over (what the server keeps). Needs: postfix (smtp-source), a JDK with
# jstat and jcmd, maven.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
shared=${SHARED:-}; for c in "$root/../shared/bench" "$root/../../shared/bench"; do [ -z "$shared" ] && [ -d "$c" ] && shared=$c; done
m=${1:-10000}
PATH=$PATH:/usr/sbin
jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
jar=${JAR:-$root/mailkit-examples/target/mailkit-server.jar}
[ -f "$jar" ] || (cd "$root" && mvn -q -B -o package -DskipTests -pl mailkit-examples -am)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true # 1 000 sessions need more descriptors than the usual soft limit
work=$(mktemp -d); mk_pid=
trap 'exec 3>&- 2>/dev/null || true; [ -n "$mk_pid" ] && kill $mk_pid 2>/dev/null; rm -rf "$work"' EXIT
mkfifo "$work/in"
"$jdk/bin/java" -Xms${HEAP:-1g} -Xmx${HEAP:-1g} -cp "$jar" dev.mailkit.examples.bench.MaildirDeliveryBenchServer 0 "$work/data" \
  < "$work/in" > "$work/out" 2>"$work/err" &
mk_pid=$!
exec 3>"$work/in"
for i in $(seq 300); do grep -q '^ready' "$work/out" 2>/dev/null && break; sleep 0.1; done
port=$(awk '/^ready/{print $2}' "$work/out")
[ -n "$port" ] || { cat "$work/err"; exit 1; }
load() { bash "$shared/smtp-load.sh" 127.0.0.1:$port "$@"; }
mib() { awk '{printf "%.0f MiB", $1/1024}' <<<"$1"; }
# jstat -gc columns: S0C S1C S0U S1U EC EU OC OU ...
measure() { # $1 = sessions, $2 = messages
  "$jdk/bin/jstat" -gc $mk_pid 100 > "$work/jstat.$1" & local js=$!
  local r; r=$(load "$1" "$2" 10240)
  kill $js; wait $js 2>/dev/null || true
  local used old
  used=$(awk 'NR>1 && $1 ~ /^[0-9.]+$/ {u=$3+$4+$6+$8; if (u>m) m=u} END{print m}' "$work/jstat.$1")
  old=$(awk 'NR>1 && $1 ~ /^[0-9.]+$/ {if ($8>m) m=$8} END{print m}' "$work/jstat.$1")
  "$jdk/bin/jcmd" $mk_pid GC.run >/dev/null
  local after; after=$("$jdk/bin/jstat" -gc $mk_pid | awk 'NR==2{print $3+$4+$6+$8}')
  printf "%5s sessions: %-34s highest heap in use %s, old generation at most %s, after a full GC %s\n" \
    "$1" "$r" "$(mib "$used")" "$(mib "$old")" "$(mib "$after")"
}
load 10 5000 10240 >/dev/null   # warm-up
echo "heap of the SMTP-to-Maildir path, -Xmx${HEAP:-1g}, $("$jdk/bin/java" -version 2>&1 | head -1), load average $(cut -d' ' -f1 /proc/loadavg)"
measure 10 "$m"
measure 1000 "$m"
measure 10 "$m"
