#!/usr/bin/env bash
# bench/imap-bench.sh [messages] [rounds] [maildir|memory|postgres]
#
# IMAP server speed, side by side in one run, with the same client (../shared/bench/imap-bench.py, Python's
# imaplib) over the same Maildir: bench/gen-maildir.py writes N messages of 10 KiB (default 5000) once, and each
# server gets its own byte-identical copy of it (the client's STORE renames files, so they cannot share one):
#   - Dovecot serving its copy (../shared/bench/dovecot-anchor.sh, maildir:DATA/%d/%n);
#   - mailkit's ImapServer over MaildirMailStore serving the other copy as it is (mailkit indexes the files it finds,
#     like Dovecot builds its index); with STORE=memory (or a third argument), the messages loaded into the
#     in-memory store instead; with postgres, loaded into PostgresMailStore on a private PostgreSQL 15
#     (bench/pg-cluster.sh, needs postgresql-15) through one node and served by another.
# Both are warmed up before they are measured: mailkit gets $WARMUP (default 3) passes of the same client (a JVM is
# measured warm, as a server that has run for a while; cold, the first passes run in the interpreter), Dovecot one
# (it builds its index and cache files). Then the two are measured alternately, $PASSES times (default 2), and each
# operation's best time over all passes is kept. Prints both tables and mailkit's ratio to Dovecot per operation and
# in total (lower is better; 1.00 = as fast as Dovecot), with the load average before and after.
# The shared scripts are found in $SHARED_BENCH, else ../shared/bench beside the repository, else /work/shared/bench.
# Needs: dovecot-imapd, python3, maven, a JDK (JAVA_HOME or java on PATH). Run from anywhere (as root: Dovecot's
# anchor runs the mailbox as uid 5000).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
shared=${SHARED_BENCH:-}
if [ -z "$shared" ]; then
  for d in "$root/../shared/bench" /work/shared/bench; do
    [ -f "$d/imap-bench.py" ] && { shared=$d; break; }
  done
fi
[ -f "$shared/imap-bench.py" ] || { echo "cannot find imap-bench.py: set SHARED_BENCH to the shared bench directory"; exit 1; }
n=${1:-5000}; rounds=${2:-3}; kind=${3:-${STORE:-maildir}}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
py=/usr/bin/python3; [ -x $py ] || py=python3
work=$(mktemp -d); chmod 755 "$work"
dv_port=${DOVECOT_PORT:-$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
mk_pid=
# the anchor keeps its configuration and runtime files in /tmp/dovecot-anchor, shared by everyone who runs it on this
# machine: a private copy of it (the same configuration) runs in $work, so that two benchmarks never stop each
# other's Dovecot
anchor=$work/dovecot-anchor.sh
sed "s#^\(cmd=.*\)d=/tmp/dovecot-anchor\$#\1d=$work/dovecot-run#" "$shared/dovecot-anchor.sh" > "$anchor"
grep -q "d=$work/dovecot-run" "$anchor" || { echo "cannot make a private copy of $shared/dovecot-anchor.sh"; exit 1; }
trap 'exec 3>&- 2>/dev/null; [ -n "$mk_pid" ] && kill $mk_pid 2>/dev/null; bash "$anchor" stop "$work/dovecot" >/dev/null 2>&1; rm -rf "$work"' EXIT

# one Maildir, two copies
"$py" "$here/gen-maildir.py" "$work/gen/local.test/rcpt" "$n"
mkdir -p "$work/dovecot" "$work/mailkit"
cp -a "$work/gen/local.test" "$work/dovecot/"
cp -a "$work/gen/local.test" "$work/mailkit/"
rm -rf "$work/gen"

cp_file=$work/cp
module=mailkit-imap; main=dev.mailkit.imap.bench.ImapBenchServer; extra=$kind
if [ "$kind" = postgres ]; then  # PostgresMailStore on a private PostgreSQL 15 (bench/pg-cluster.sh)
  module=mailkit-postgres; main=dev.mailkit.postgres.bench.PostgresImapBenchServer
  extra=$(bash "$here/pg-cluster.sh" start "$work/pg")
  trap 'exec 3>&- 2>/dev/null; [ -n "$mk_pid" ] && kill $mk_pid 2>/dev/null; bash "$anchor" stop "$work/dovecot" >/dev/null 2>&1; bash "$here/pg-cluster.sh" stop "$work/pg"; rm -rf "$work"' EXIT
fi
(cd "$root" && mvn -q -B -o -pl $module -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null 2>&1 \
  || mvn -q -B -pl $module -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null)
cp="$root/$module/target/classes:$root/$module/target/test-classes:$(cat "$cp_file")"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
mkfifo "$work/in"
"$java" -Xms1g -Xmx1g -cp "$cp" $main "$work/mailkit/local.test/rcpt" 0 "$extra" \
  < "$work/in" > "$work/out" 2>"$work/err" &
mk_pid=$!
exec 3>"$work/in"
for i in $(seq 1200); do grep -q '^ready' "$work/out" 2>/dev/null && break; kill -0 $mk_pid 2>/dev/null || break; sleep 0.1; done
mk_port=$(awk '/^ready/{print $2}' "$work/out")
[ -n "$mk_port" ] || { echo "mailkit did not start:"; cat "$work/err"; exit 1; }

bash "$anchor" start "$work/dovecot" "$dv_port" 0 >/dev/null

for i in $(seq "${WARMUP:-3}"); do
  "$py" "$shared/imap-bench.py" 127.0.0.1 "$mk_port" rcpt@local.test secret 3 > /dev/null   # warm-up
done
"$py" "$shared/imap-bench.py" 127.0.0.1 "$dv_port" rcpt@local.test secret 1 > /dev/null   # Dovecot builds its index
for p in $(seq "${PASSES:-2}"); do
  "$py" "$shared/imap-bench.py" 127.0.0.1 "$dv_port" rcpt@local.test secret "$rounds" > "$work/dovecot.$p"
  "$py" "$shared/imap-bench.py" 127.0.0.1 "$mk_port" rcpt@local.test secret "$rounds" > "$work/mailkit.$p"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# best time per operation over the passes; the total is the sum of the bests
best() {
  cat "$@" | awk '
    /^messages:/ || /^total/ { next }
    { t = $(NF-1); label = $0; sub(/ +[0-9.]+ ms$/, "", label);
      if (!(label in b)) { order[++k] = label; b[label] = t } else if (t < b[label]) b[label] = t }
    END { for (i = 1; i <= k; i++) { printf "%s\t%s\n", order[i], b[order[i]]; s += b[order[i]] } printf "total\t%s\n", s }'
}
best "$work"/dovecot.* > "$work/dovecot.txt"
best "$work"/mailkit.* > "$work/mailkit.txt"

echo "IMAP, $n messages of 10 KiB, mailkit store: $kind; best of $rounds rounds x ${PASSES:-2} passes; $(nproc) cores;" \
  "load average $load_before before, $load_after after; $("$java" -version 2>&1 | head -1)"
printf '%-34s %12s %12s %8s\n' operation "dovecot ms" "mailkit ms" ratio
paste "$work/dovecot.txt" "$work/mailkit.txt" | awk -F'\t' '
  { dv = $2; mv = $4; printf "%-34s %12.1f %12.1f %8.2f\n", $1, dv, mv, (dv > 0 ? mv / dv : 0) }'
