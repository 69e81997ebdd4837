#!/usr/bin/env bash
# bench/smtp-relay.sh [messages] [sessions]
#
# Relay throughput, end to end: Postfix's smtp-source submits 10 KiB messages over SMTP (one connection per message,
# via ../shared/bench/smtp-load.sh) to mailkit's SmtpServer, which relays them for a trusted network through its
# durable relay queue (fsync'd before every 250) to Postfix's smtp-sink as the smart host. The clock runs from the
# first submission until smtp-sink has accepted the last message (the queue is empty again): sustained msg/s, with the
# acceptance rate beside it. In the same run, smtp-source straight into smtp-sink gives the machine's ceiling.
# mailkit gets a warm-up load first. Also prints the CPU time mailkit used per message (user+system, from /proc): on
# this shared 2-core machine that number moves much less than msg/s when other work runs beside the benchmark.
# Needs: postfix (smtp-source, smtp-sink), maven, a JDK, Linux /proc. Run from anywhere.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
shared=${SHARED:-$root/../shared/bench}; [ -d "$shared" ] || shared=$root/../../shared/bench  # main or a worktree
m=${1:-20000}; s=${2:-10}
PATH=$PATH:/usr/sbin
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=$root/mailkit-examples/target/mailkit-server.jar
[ -f "$jar" ] || (cd "$root" && mvn -q -B package -DskipTests)
sink_port=2601
mk_pid=
work=$(mktemp -d "${TMPDIR:-/tmp}/mailkit-relay-bench.XXXXXX")
trap 'kill $mk_pid 2>/dev/null; bash "$shared/sink-anchor.sh" stop $sink_port; rm -rf "$work"' EXIT

load_before=$(cut -d' ' -f1 /proc/loadavg)
bash "$shared/sink-anchor.sh" start $sink_port >/dev/null
mkfifo "$work/in"
"$java" -Xms1g -Xmx1g -Dorg.slf4j.simpleLogger.log.dev.mailkit=warn -cp "$jar" \
  dev.mailkit.examples.bench.RelayBenchServer 0 $sink_port "$work/queue" < "$work/in" > "$work/out" 2>"$work/err" &
mk_pid=$!
exec 3>"$work/in"
for i in $(seq 100); do grep -q '^ready' "$work/out" 2>/dev/null && break; sleep 0.1; done
mk_port=$(awk '/^ready/{print $2}' "$work/out")
[ -n "$mk_port" ] || { echo "mailkit did not start:"; cat "$work/err"; exit 1; }

stats() { echo stats >&3; sleep 0.05; tail -1 "$work/out"; }
# waits until N messages were delivered; prints the seconds since $1 (a date +%s.%N)
drained() {
  local start=$1 n=$2
  while :; do
    local st; st=$(stats)
    local d; d=$(awk '{print $2}' <<<"$st")
    [ "$d" -ge "$n" ] && break
    sleep 0.02
  done
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.2f", e-s}'
}
load() { RCPT=rcpt@remote.test bash "$shared/smtp-load.sh" "$@"; }

echo "warm-up: $(load 127.0.0.1:$mk_port $s 5000 10240)"
drained "$(date +%s.%N)" 5000 >/dev/null
echo clear >&3

cpu() { awk '{print ($14+$15)/100}' "/proc/$1/stat"; } # user+system seconds of a process
ceiling=$(load 127.0.0.1:$sink_port $s "$m" 10240)
c0=$(cpu $mk_pid)
t0=$(date +%s.%N)
accepted=$(load 127.0.0.1:$mk_port $s "$m" 10240)
secs=$(drained "$t0" "$m")
c1=$(cpu $mk_pid)
final=$(stats)
ceil_rate=$(awk '{print $(NF-1)}' <<<"$ceiling")
acc_rate=$(awk '{print $(NF-1)}' <<<"$accepted")
printf "%-40s %s\n" "smtp-source -> smtp-sink (ceiling):" "$ceiling"
printf "%-40s %s\n" "smtp-source -> mailkit (accepted, 250):" "$accepted"
awk -v m="$m" -v t="$secs" -v c="$ceil_rate" -v a="$acc_rate" -v s="$s" 'BEGIN{
  printf "%-40s %d msgs in %.2f s = %.0f msg/s\n", "... -> relay queue -> smtp-sink (end to end):", m, t, m/t;
  printf "%d sessions, 10 KiB: relay end-to-end / ceiling = %.2f, accepted / ceiling = %.2f\n", s, (m/t)/c, a/c}'
awk -v a="$c0" -v b="$c1" -v m="$m" 'BEGIN{printf "mailkit CPU: %.2f ms per message (%.0f msg/s per fully used core)\n", (b-a)*1000/m, m/(b-a)}'
echo "load average before the run: $load_before, after: $(cut -d' ' -f1 /proc/loadavg) (the run itself adds about 2;"\
  "well above that, other work shared the 2 cores: rerun)"
echo "mailkit: $final"
