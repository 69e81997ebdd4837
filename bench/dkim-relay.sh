#!/usr/bin/env bash
# bench/dkim-relay.sh [messages] [sessions]
#
# Relaying with DKIM signing, end to end, side by side in one run: Postfix's smtp-source submits 10 KiB messages from
# sender@load.test (one connection per message) and the signed mail goes to Postfix's smtp-sink as the smart host.
#   - mailkit: SmtpServer + durable RelayQueue with a DkimSigner (RelayBenchServer), RSA-2048 and Ed25519 keys
#   - Postfix (../shared/bench/postfix-anchor.sh, fsync'd queue) with OpenDKIM (Debian opendkim) as its milter,
#     signing with the same RSA-2048 key, relaxed/relaxed
# The clock runs from the first submission until the relay has handed the last message to smtp-sink (mailkit: its
# delivery count; Postfix: its queue is empty again). mailkit is measured cold (the first load after a fresh start)
# and warm (the next load in the same JVM); Postfix and OpenDKIM are native and measured twice. Before the timed
# runs, three messages through each relay go to a smtp-sink that keeps them, and the script checks that each carries
# a DKIM-Signature (a=rsa-sha256 / ed25519-sha256, c=relaxed/relaxed, d=load.test).
# Also prints CPU time per message: mailkit's JVM, and OpenDKIM's process (the signing alone, Postfix's processes
# come and go and are not counted).
# MK_JAVA_OPTS adds JVM options to mailkit (a JFR recording, or -XX:AOTCache=FILE on JDK 25).
# Needs: postfix, opendkim, openssl, maven, a JDK, root (Postfix). Run from anywhere.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
shared=${SHARED:-$root/../shared/bench}; [ -d "$shared" ] || shared=$root/../../shared/bench
m=${1:-10000}; s=${2:-10}
PATH=$PATH:/usr/sbin
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=${JAR:-$root/mailkit-examples/target/mailkit-server.jar}
[ -f "$jar" ] || (cd "$root" && mvn -q -B -o package -DskipTests -pl mailkit-examples -am)
command -v opendkim >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q opendkim opendkim-tools >/dev/null
sink=2601; dump=2603
work=$(mktemp -d "${TMPDIR:-/tmp}/mailkit-dkim-bench.XXXXXX")
mk_pid=; od_pid=
cleanup() {
  [ -n "$mk_pid" ] && kill $mk_pid 2>/dev/null || true
  [ -n "$od_pid" ] && kill $od_pid 2>/dev/null || true
  bash "$shared/postfix-anchor.sh" stop || true
  bash "$shared/sink-anchor.sh" stop $sink || true
  [ -f "$work/dump.pid" ] && kill "$(cat "$work/dump.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/rsa.pem" 2>/dev/null
openssl genpkey -algorithm ed25519 -out "$work/ed25519.pem" 2>/dev/null
bash "$shared/sink-anchor.sh" start $sink >/dev/null
smtp-sink -u root -D "$work/dump.txt" 127.0.0.1:$dump 100 >/dev/null 2>&1 & echo $! > "$work/dump.pid"

cpu() { awk '{print ($14+$15)/100}' "/proc/$1/stat"; } # user+system seconds of a process
load() { RCPT=rcpt@remote.test FROM=sender@load.test bash "$shared/smtp-load.sh" "$@"; }
since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN{printf "%.2f", e-s}'; }

# --- mailkit ---
mk_start() { # $1 = smart host port, $2 = key file
  rm -rf "$work/queue" "$work/in"; mkfifo "$work/in"
  "$java" -Xms1g -Xmx1g ${MK_JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.log.dev.mailkit=warn -cp "$jar" \
    dev.mailkit.examples.bench.RelayBenchServer 0 "$1" "$work/queue" "$2" < "$work/in" > "$work/out" 2>"$work/err" &
  mk_pid=$!
  exec 3>"$work/in"
  for i in $(seq 200); do grep -q '^ready' "$work/out" 2>/dev/null && break; sleep 0.05; done
  mk_port=$(awk '/^ready/{print $2}' "$work/out")
  [ -n "$mk_port" ] || { echo "mailkit did not start:"; cat "$work/err"; exit 1; }
}
mk_stop() { exec 3>&-; wait $mk_pid 2>/dev/null || true; mk_pid=; }
mk_delivered() { echo stats >&3; sleep 0.02; tail -1 "$work/out" | awk '{print $2}'; }
mk_drain() { # $1 = count
  while [ "$(mk_delivered)" -lt "$1" ]; do sleep 0.02; done
}
mk_run() { # $1 = label; one timed load of $m, prints msg/s and CPU per message
  echo clear >&3; sleep 0.05
  local c0 t0 secs c1; c0=$(cpu $mk_pid); t0=$(date +%s.%N)
  load 127.0.0.1:$mk_port $s $m 10240 >/dev/null
  mk_drain $m; secs=$(since "$t0"); c1=$(cpu $mk_pid)
  awk -v l="$1" -v m=$m -v t=$secs -v a=$c0 -v b=$c1 \
    'BEGIN{printf "%-34s %6.0f msg/s   mailkit CPU %.3f ms/msg\n", l, m/t, (b-a)*1000/m}'
}

# --- Postfix + OpenDKIM ---
od_start() {
  cat > "$work/opendkim.conf" <<EOF
Syslog no
Mode s
Domain load.test
Selector bench
KeyFile $work/rsa.pem
Canonicalization relaxed/relaxed
SignatureAlgorithm rsa-sha256
Socket local:/var/spool/postfix/opendkim-bench.sock
UMask 000
RequireSafeKeys false
PidFile $work/opendkim.pid
EOF
  opendkim -f -x "$work/opendkim.conf" >"$work/opendkim.log" 2>&1 &
  od_pid=$!
  for i in $(seq 100); do [ -S /var/spool/postfix/opendkim-bench.sock ] && break; sleep 0.05; done
}
pf_start() { # $1 = relay port
  RELAYHOST=127.0.0.1:$1 bash "$shared/postfix-anchor.sh" start >/dev/null
  # a Unix socket inside Postfix's chroot, as Debian sets OpenDKIM up: over a TCP socket each message waited on
  # delayed ACKs (97 msg/s where the Unix socket gives 271 in the same minute)
  postconf -e "smtpd_milters = unix:/opendkim-bench.sock" "non_smtpd_milters = unix:/opendkim-bench.sock" \
    "milter_default_action = tempfail" "milter_protocol = 6"
  postfix reload >/dev/null 2>&1; sleep 1
}
pf_queued() { find /var/spool/postfix/maildrop /var/spool/postfix/incoming /var/spool/postfix/active \
  /var/spool/postfix/deferred -type f 2>/dev/null | wc -l; }
pf_drain() { while [ "$(pf_queued)" -gt 0 ]; do sleep 0.05; done; }
pf_run() { # $1 = label
  local c0 t0 secs c1; c0=$(cpu $od_pid); t0=$(date +%s.%N)
  load 127.0.0.1:2525 $s $m 10240 >/dev/null
  pf_drain; secs=$(since "$t0"); c1=$(cpu $od_pid)
  awk -v l="$1" -v m=$m -v t=$secs -v a=$c0 -v b=$c1 \
    'BEGIN{printf "%-34s %6.0f msg/s   OpenDKIM CPU %.3f ms/msg\n", l, m/t, (b-a)*1000/m}'
}

# --- check that both really sign ---
mk_start $dump "$work/rsa.pem"; load 127.0.0.1:$mk_port 1 3 10240 >/dev/null; mk_drain 3; mk_stop
mk_start $dump "$work/ed25519.pem"; load 127.0.0.1:$mk_port 1 3 10240 >/dev/null; mk_drain 3; mk_stop
od_start; pf_start $dump; load 127.0.0.1:2525 1 3 10240 >/dev/null; pf_drain
for i in $(seq 100); do [ "$(grep -c '^DKIM-Signature:' "$work/dump.txt" 2>/dev/null)" -ge 9 ] && break; sleep 0.1; done
rsa=$(grep -A3 '^DKIM-Signature:' "$work/dump.txt" | tr -d '\n\t ' | grep -o 'a=rsa-sha256' | wc -l)
ed=$(grep -A3 '^DKIM-Signature:' "$work/dump.txt" | tr -d '\n\t ' | grep -o 'a=ed25519-sha256' | wc -l)
relaxed=$(grep -A3 '^DKIM-Signature:' "$work/dump.txt" | tr -d '\n\t ' | grep -o 'c=relaxed/relaxed' | wc -l)
echo "signatures seen: rsa-sha256 $rsa (want 6), ed25519-sha256 $ed (want 3), relaxed/relaxed $relaxed (want 9)"
[ "$rsa" -ge 6 ] && [ "$ed" -ge 3 ] && [ "$relaxed" -ge 9 ] || { echo "a relay did not sign; see $work"; trap - EXIT; exit 1; }

echo "$m messages of 10 KiB, $s sessions, one connection per message; load average $(cut -d' ' -f1 /proc/loadavg)"
# Postfix first (warms the page cache the same for both), then mailkit, then Postfix again
pf_start $sink
pf_run "Postfix + OpenDKIM (RSA-2048) 1"
for key in rsa ed25519; do
  mk_start $sink "$work/$key.pem"
  mk_run "mailkit ($key) cold"
  mk_run "mailkit ($key) warm"
  mk_stop
done
mk_start $sink ""
mk_run "mailkit (no DKIM) cold"; mk_run "mailkit (no DKIM) warm"; mk_stop
pf_run "Postfix + OpenDKIM (RSA-2048) 2"
echo "load average after: $(cut -d' ' -f1 /proc/loadavg)"
