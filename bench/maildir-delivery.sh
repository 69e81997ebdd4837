#!/usr/bin/env bash
# bench/maildir-delivery.sh [messages] [rounds]
#
# End-to-end delivery throughput (SMTP in, durable in a Maildir), side by side in one run, with the same load
# generator (Postfix's smtp-source via ../shared/bench/smtp-load.sh: 10 sessions, 10 KiB messages, one connection
# per message):
#   - mailkit: SmtpServer + DeliveryAgent + MaildirMailStore with fsync (MaildirDeliveryBenchServer): 250 only after
#     the message is written, fsync'd, renamed into new/ and the directory fsync'd;
#   - Postfix delivering into a Maildir (../shared/bench/postfix-anchor.sh: 250 after its fsync'd queue file, then
#     its virtual agent writes the Maildir file).
# Each round runs Postfix then mailkit with MESSAGES messages (default 10000), ROUNDS rounds (default 3), after a
# warm-up of mailkit (a JVM is measured warm; WARMUP=N messages, default 6000, 0 for cold). msg/s is smtp-source's rate; "all in Maildir" is the time until every
# message of the round is a file in the Maildir (for Postfix later than its 250s). Prints the ratios.
# Needs: root (postfix-anchor.sh rewrites /etc/postfix/main.cf and starts Postfix on 127.0.0.1:2525), postfix,
# maven, a JDK. MK_JAVA_OPTS adds JVM options to mailkit (a JFR recording). The data directories are on $TMPDIR's file system (default /tmp), like Postfix's. Run from anywhere.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
shared=${SHARED:-}; for c in "$root/../shared/bench" "$root/../../shared/bench"; do [ -z "$shared" ] && [ -d "$c" ] && shared=$c; done
m=${1:-10000}; rounds=${2:-3}
PATH=$PATH:/usr/sbin
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=${JAR:-$root/mailkit-examples/target/mailkit-server.jar} # JAR=another build's server jar, to compare builds
[ -f "$jar" ] || (cd "$root" && mvn -q -B package -DskipTests)
work=$(mktemp -d); pf=/tmp/postfix-anchor/maildir/local.test/rcpt
cleanup() { exec 3>&- 2>/dev/null || true; kill "$mk_pid" 2>/dev/null || true; bash "$shared/postfix-anchor.sh" stop; rm -rf "$work"; }
trap cleanup EXIT

mkfifo "$work/in"
"$java" -Xms1g -Xmx1g ${MK_JAVA_OPTS:-} -cp "$jar" dev.mailkit.examples.bench.MaildirDeliveryBenchServer 0 "$work/data" \
  < "$work/in" > "$work/out" 2>"$work/err" &
mk_pid=$!
exec 3>"$work/in"
for i in $(seq 100); do grep -q '^ready' "$work/out" 2>/dev/null && break; sleep 0.1; done
mk_port=$(awk '/^ready/{print $2}' "$work/out")
bash "$shared/postfix-anchor.sh" start >/dev/null
rm -rf "$pf"/new/* "$pf"/cur/* 2>/dev/null || true

mk_count() { echo count >&3; sleep 0.2; awk '/^count/{c=$2} END{print c+0}' "$work/out"; }
pf_count() { bash "$shared/postfix-anchor.sh" count; }
rate() { awk '{print $(NF-1)}' <<<"$1"; }
# seconds until the Maildir holds $2 messages (polled every 0.1 s), counted from $3 (epoch seconds with fraction)
until_count() { local f=$1 want=$2 t0=$3; while [ "$($f)" -lt "$want" ]; do sleep 0.1; done
  awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}'; }

# WARMUP=0 measures mailkit cold: its first load after start is round 1
[ "${WARMUP:-6000}" -gt 0 ] && echo "warm-up: $(bash "$shared/smtp-load.sh" 127.0.0.1:$mk_port 10 "${WARMUP:-6000}" 10240)"
echo "load: $(cat /proc/loadavg)   cores: $(nproc)"
printf "%-8s %-7s %9s %10s %16s\n" round target messages msg/s "all in Maildir"
declare -a pr mr
for r in $(seq "$rounds"); do
  base=$(pf_count); t0=$(date +%s.%N)
  out=$(bash "$shared/smtp-load.sh" 127.0.0.1:2525 10 "$m" 10240); pr[$r]=$(rate "$out")
  done_s=$(until_count pf_count $((base + m)) "$t0")
  printf "%-8s %-7s %9s %10s %15ss\n" "$r" postfix "$m" "${pr[$r]}" "$done_s"
  base=$(mk_count); t0=$(date +%s.%N)
  out=$(bash "$shared/smtp-load.sh" 127.0.0.1:$mk_port 10 "$m" 10240); mr[$r]=$(rate "$out")
  done_s=$(until_count mk_count $((base + m)) "$t0")
  printf "%-8s %-7s %9s %10s %15ss\n" "$r" mailkit "$m" "${mr[$r]}" "$done_s"
done
echo "load: $(cat /proc/loadavg)"
echo "Maildir files: postfix $(pf_count), mailkit $(find "$work/data/local.test/rcpt/new" "$work/data/local.test/rcpt/cur" -type f | wc -l)"
for r in $(seq "$rounds"); do
  awk -v a="${mr[$r]}" -v b="${pr[$r]}" -v r="$r" 'BEGIN{printf "round %s: mailkit/postfix = %.2f\n", r, a/b}'
done
printf '%s\n' "${mr[@]}" | sort -n | awk '{a[NR]=$1} END{m=a[int((NR+1)/2)]; print "mailkit median " m " msg/s"}'
printf '%s\n' "${pr[@]}" | sort -n | awk '{a[NR]=$1} END{m=a[int((NR+1)/2)]; print "postfix median " m " msg/s"}'
