#!/usr/bin/env bash
# bench/imap-bench.sh [messages] [rounds]
#
# IMAP server speed, side by side in one run, with the same client (../shared/bench/imap-bench.py, Python's
# imaplib) over the same messages (bench/gen-maildir.py: N messages of 10 KiB, default 5000):
#   - Dovecot serving the Maildir (../shared/bench/dovecot-anchor.sh)
#   - mailkit's ImapServer over mailkit-store, the messages loaded from that Maildir (ImapBenchServer)
# mailkit gets $WARMUP (default 3) warm-up passes of the same client first: a JVM is measured warm, as a server
# that has run for a while (cold, the first passes run in the interpreter and are several times slower). Prints both
# tables and mailkit's ratio to Dovecot per operation and in total (lower is better; 1.00 = as fast as Dovecot).
# Needs: dovecot-imapd, python3, maven, a JDK (JAVA_HOME or java on PATH). Run from anywhere.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here"); shared=${SHARED:-$root/../shared/bench}
n=${1:-5000}; rounds=${2:-3}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
py=/usr/bin/python3; [ -x $py ] || py=python3
work=$(mktemp -d); chmod 755 "$work"
dv_port=${DOVECOT_PORT:-21143}
trap 'exec 3>&- 2>/dev/null; kill $mk_pid 2>/dev/null; bash "$shared/dovecot-anchor.sh" stop "$work/maildir" >/dev/null 2>&1; rm -rf "$work"' EXIT
mk_pid=

box=$work/maildir/local.test/rcpt
"$py" "$here/gen-maildir.py" "$box" "$n"

cp_file=$work/cp
(cd "$root" && mvn -q -B -o -pl mailkit-imap -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null 2>&1 \
  || mvn -q -B -pl mailkit-imap -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null)
cp="$root/mailkit-imap/target/classes:$root/mailkit-imap/target/test-classes:$(cat "$cp_file")"

mkfifo "$work/in"
"$java" -Xms1g -Xmx1g -cp "$cp" dev.mailkit.imap.bench.ImapBenchServer "$box" 0 < "$work/in" > "$work/out" 2>"$work/err" &
mk_pid=$!
exec 3>"$work/in"
for i in $(seq 600); do grep -q '^ready' "$work/out" 2>/dev/null && break; sleep 0.1; done
mk_port=$(awk '/^ready/{print $2}' "$work/out")
[ -n "$mk_port" ] || { echo "mailkit did not start:"; cat "$work/err"; exit 1; }

bash "$shared/dovecot-anchor.sh" start "$work/maildir" "$dv_port" 0 >/dev/null

for i in $(seq "${WARMUP:-3}"); do
  "$py" "$shared/imap-bench.py" 127.0.0.1 "$mk_port" rcpt@local.test secret 3 > /dev/null   # warm-up
done
"$py" "$shared/imap-bench.py" 127.0.0.1 "$dv_port" rcpt@local.test secret 1 > /dev/null   # Dovecot builds its index
"$py" "$shared/imap-bench.py" 127.0.0.1 "$dv_port" rcpt@local.test secret "$rounds" > "$work/dovecot.txt"
"$py" "$shared/imap-bench.py" 127.0.0.1 "$mk_port" rcpt@local.test secret "$rounds" > "$work/mailkit.txt"

echo "IMAP, $n messages of 10 KiB, best of $rounds; $(nproc) cores; $("$java" -version 2>&1 | head -1)"
printf '%-34s %12s %12s %8s\n' operation "dovecot ms" "mailkit ms" ratio
paste "$work/dovecot.txt" "$work/mailkit.txt" | awk -F'\t' '
  /^messages:/ { next }
  { d = $1; m = $2;
    nd = split(d, a, " "); nm = split(m, b, " ");
    label = d; sub(/ +[0-9.]+ ms$/, "", label);
    dv = a[nd-1]; mv = b[nm-1];
    printf "%-34s %12.1f %12.1f %8.2f\n", label, dv, mv, (dv > 0 ? mv / dv : 0) }'
