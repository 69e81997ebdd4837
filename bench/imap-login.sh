#!/usr/bin/env bash
# bench/imap-login.sh [logins]
#
# IMAP login cost, side by side in one run, with the same client (bench/imap-login.py, Python's imaplib; one new
# connection per login: connect, LOGIN, LOGOUT), sequentially and 4 at a time:
#   - Dovecot (../shared/bench/dovecot-anchor.sh, a private copy) with its usual stored hash, {SHA512-CRYPT} written
#     by `doveadm pw` (5 000 rounds), and its auth cache off (Dovecot's default);
#   - mailkit's ImapServer with a PBKDF2-SHA256 hash at 100 000 iterations (the default), with the cache of
#     successful verifications (VerificationCache, the default) and without it.
# mailkit gets a warm-up of 200 logins first (a JVM is measured warm). Prints median and 90th percentile per login
# and logins per second. Needs: dovecot-imapd, dovecot-core (doveadm), python3, maven, a JDK, root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
shared=${SHARED_BENCH:-}
for d in "$root/../shared/bench" /work/shared/bench; do [ -z "$shared" ] && [ -f "$d/dovecot-anchor.sh" ] && shared=$d; done
n=${1:-300}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
py=/usr/bin/python3
work=$(mktemp -d); chmod 755 "$work"
free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
dv_port=$(free_port)
pids=()
anchor=$work/dovecot-anchor.sh
hash=$(doveadm pw -s SHA512-CRYPT -p secret)
sed -e "s#^\(cmd=.*\)d=/tmp/dovecot-anchor\$#\1d=$work/dovecot-run#" \
    -e "s#echo \"rcpt@local.test:{PLAIN}secret\"#echo 'rcpt@local.test:$hash'#" "$shared/dovecot-anchor.sh" > "$anchor"
grep -q "SHA512-CRYPT" "$anchor" || { echo "cannot make a private copy of $shared/dovecot-anchor.sh"; exit 1; }
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; bash "$anchor" stop "$work/dovecot" >/dev/null 2>&1; rm -rf "$work"' EXIT
mkdir -p "$work/dovecot/local.test/rcpt/"{cur,new,tmp}
bash "$anchor" start "$work/dovecot" "$dv_port" 0 >/dev/null

cp_file=$work/cp
(cd "$root" && mvn -q -B -o -pl mailkit-imap -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null)
cp="$root/mailkit-imap/target/classes:$root/mailkit-imap/target/test-classes:$(cat "$cp_file")"
start_mk() { # $1 = cache|nocache; sets port_$1
  mkfifo "$work/in-$1"
  "$java" -cp "$cp" dev.mailkit.imap.bench.ImapLoginBenchServer 0 "$1" < "$work/in-$1" > "$work/out-$1" 2>"$work/err-$1" &
  pids+=($!)
  exec {fd}>"$work/in-$1"
  for i in $(seq 300); do grep -q '^ready' "$work/out-$1" 2>/dev/null && break; sleep 0.1; done
  eval "port_$1=$(awk '/^ready/{print $2}' "$work/out-$1")"
}
start_mk cache; start_mk nocache
for p in $port_cache $port_nocache; do "$py" "$here/imap-login.py" 127.0.0.1 $p rcpt@local.test secret 200 2 >/dev/null; done
"$py" "$here/imap-login.py" 127.0.0.1 $dv_port rcpt@local.test secret 20 >/dev/null
echo "$n logins each; load average $(cut -d' ' -f1 /proc/loadavg); $("$java" -version 2>&1 | head -1)"
for par in 1 4; do
  printf "%-46s %s\n" "Dovecot, SHA512-CRYPT, no auth cache:" "$("$py" "$here/imap-login.py" 127.0.0.1 $dv_port rcpt@local.test secret $n $par)"
  printf "%-46s %s\n" "mailkit, PBKDF2 100 000, verification cache:" "$("$py" "$here/imap-login.py" 127.0.0.1 $port_cache rcpt@local.test secret $n $par)"
  printf "%-46s %s\n" "mailkit, PBKDF2 100 000, no cache:" "$("$py" "$here/imap-login.py" 127.0.0.1 $port_nocache rcpt@local.test secret $n $par)"
done
