#!/usr/bin/env bash
# bench/smtp-receiver.sh [messages-10-sessions] [messages-1-session]
#
# SMTP receiver throughput, side by side in one run, with the same load generator (Postfix's smtp-source via
# ../shared/bench/smtp-load.sh: 10 KiB messages, one connection per message):
#   - mailkit's SmtpServer recording into its in-memory sink (SmtpReceiverBenchServer, JDK of $JAVA_HOME or java)
#   - Postfix's smtp-sink, the practical ceiling (../shared/bench/sink-anchor.sh)
#   - GreenMail 2.1.8, the incumbent test mail server (../shared/bench/greenmail-anchor.sh)
# with 10 sessions and with 1 session. mailkit gets a warm-up load first (a JVM is measured warm, as in a test suite
# or a server that has run for a while; WARMUP=N messages, default 5000). Prints msg/s and mailkit's ratio to smtp-sink, and the CPU time (user and
# system, from /proc) that mailkit and smtp-sink spent per message in the 10-session load: on a machine shared with
# other work the rates move from run to run, the CPU per message much less.
# MK_JAVA_OPTS adds JVM options to mailkit's server (a JFR recording, for instance:
#   MK_JAVA_OPTS=-XX:StartFlightRecording=filename=/tmp/receiver.jfr,settings=profile).
# Needs: postfix (for smtp-source/smtp-sink), maven, a JDK. Run from anywhere.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here"); shared=${SHARED:-$root/../shared/bench}
m10=${1:-20000}; m1=${2:-5000}
gm10=$(( m10 / 10 )); gm1=$(( m1 / 10 ))
PATH=$PATH:/usr/sbin
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=${JAR:-$root/mailkit-examples/target/mailkit-server.jar} # JAR=another build's server jar, to compare builds
[ -f "$jar" ] || (cd "$root" && mvn -q -B package -DskipTests)
work=$(mktemp -d); trap 'kill $mk_pid 2>/dev/null; bash "$shared/sink-anchor.sh" stop 2600; bash "$shared/greenmail-anchor.sh" stop; rm -rf "$work"' EXIT

mkfifo "$work/in"
"$java" -Xms2g -Xmx2g ${MK_JAVA_OPTS:-} -cp "$jar" dev.mailkit.examples.bench.SmtpReceiverBenchServer 0 < "$work/in" > "$work/out" 2>"$work/err" &
mk_pid=$!
exec 3>"$work/in"
for i in $(seq 100); do grep -q '^ready' "$work/out" 2>/dev/null && break; sleep 0.1; done
mk_port=$(awk '/^ready/{print $2}' "$work/out")
bash "$shared/sink-anchor.sh" start 2600 >/dev/null
bash "$shared/greenmail-anchor.sh" start >/dev/null

rate() { awk '{print $(NF-1)}' <<<"$1"; }
cpu() { awk '{print ($14+$15)/100}' "/proc/$1/stat"; } # user+system seconds of a process
sink_pid=$(cat /tmp/mailkit-sink-2600.pid)
load() { bash "$shared/smtp-load.sh" "$@"; }

echo "warm-up: $(load 127.0.0.1:$mk_port 10 ${WARMUP:-5000} 10240)"
echo clear >&3

printf "%-12s %-9s %10s %12s\n" target sessions messages msg/s
declare -A r
for s in 10 1; do
  m=$([ $s = 10 ] && echo $m10 || echo $m1); gm=$([ $s = 10 ] && echo $gm10 || echo $gm1)
  c0=$(cpu $sink_pid)
  out=$(load 127.0.0.1:2600 $s $m 10240);          r[sink,$s]=$(rate "$out"); printf "%-12s %-9s %10s %12s\n" smtp-sink $s $m "${r[sink,$s]}"
  c1=$(cpu $sink_pid); k0=$(cpu $mk_pid)
  out=$(load 127.0.0.1:$mk_port $s $m 10240);      r[mk,$s]=$(rate "$out");   printf "%-12s %-9s %10s %12s\n" mailkit $s $m "${r[mk,$s]}"
  k1=$(cpu $mk_pid)
  [ $s = 10 ] && awk -v a="$c0" -v b="$c1" -v c="$k0" -v d="$k1" -v m="$m" 'BEGIN{printf "CPU per message: smtp-sink %.3f ms, mailkit %.3f ms (%.2fx)\n", (b-a)*1000/m, (d-c)*1000/m, (d-c)/(b-a)}' >&2
  out=$(load 127.0.0.1:3025 $s $gm 10240);         r[gm,$s]=$(rate "$out");   printf "%-12s %-9s %10s %12s\n" greenmail $s $gm "${r[gm,$s]}"
done
echo count >&3; sleep 0.5
echo "mailkit recorded: $(tail -1 "$work/out")"
for s in 10 1; do
  awk -v a="${r[mk,$s]}" -v b="${r[sink,$s]}" -v g="${r[gm,$s]}" -v s=$s \
    'BEGIN{printf "%s session(s): mailkit/smtp-sink = %.2f   mailkit/greenmail = %.1f\n", s, a/b, a/g}'
done
