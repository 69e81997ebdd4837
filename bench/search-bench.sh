#!/usr/bin/env bash
# bench/search-bench.sh [messages] [size] [rounds]
#
# IMAP SEARCH BODY/TEXT over one big mailbox, side by side in one run, with the same client (bench/search-bench.py,
# Python's imaplib): bench/gen-maildir.py writes N messages (default 100 000) of SIZE bytes (default 2048) once,
# and two byte-identical copies are served by
#   - Dovecot (../shared/bench/dovecot-anchor.sh, maildir:DATA/%d/%n, no FTS plugin: Dovecot reads the messages,
#     keeping what it learned in its cache file);
#   - mailkit's ImapServer over MaildirMailStore, twice in one JVM over the one store (SearchBenchServer): without
#     an index (the scan) and with mailkit-search's LuceneSearchIndex, whose directory starts empty.
# Cold: Dovecot's and the index's first search after start is timed on its own (the index is built there; Dovecot
# reads every message for the first time). Warm: then each query's best of $ROUNDS (default 3) per server; the
# scan is first warmed by $WARMUP (default 1) passes of the client, as a JVM that has run a while. Prints the
# three tables and the ratios to Dovecot (lower is better), with the load average before and after.
# Needs: dovecot-imapd, python3, maven, a JDK. Run from anywhere (as root: Dovecot's anchor runs as uid 5000).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
shared=${SHARED_BENCH:-}
if [ -z "$shared" ]; then
  for d in "$root/../shared/bench" /work/shared/bench; do
    [ -f "$d/dovecot-anchor.sh" ] && { shared=$d; break; }
  done
fi
[ -f "$shared/dovecot-anchor.sh" ] || { echo "cannot find dovecot-anchor.sh: set SHARED_BENCH"; exit 1; }
n=${1:-100000}; size=${2:-2048}; rounds=${3:-3}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
py=/usr/bin/python3; [ -x $py ] || py=python3
work=$(mktemp -d); chmod 755 "$work"
dv_port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mk_pid=
anchor=$work/dovecot-anchor.sh
sed "s#^\(cmd=.*\)d=/tmp/dovecot-anchor\$#\1d=$work/dovecot-run#" "$shared/dovecot-anchor.sh" > "$anchor"
grep -q "d=$work/dovecot-run" "$anchor" || { echo "cannot make a private copy of $shared/dovecot-anchor.sh"; exit 1; }
trap 'exec 3>&- 2>/dev/null; [ -n "$mk_pid" ] && kill $mk_pid 2>/dev/null; bash "$anchor" stop "$work/dovecot" >/dev/null 2>&1; rm -rf "$work"' EXIT

"$py" "$here/gen-maildir.py" "$work/gen/local.test/rcpt" "$n" "$size"
mkdir -p "$work/dovecot" "$work/mailkit"
cp -a "$work/gen/local.test" "$work/dovecot/"
mv "$work/gen/local.test" "$work/mailkit/"

cp_file=$work/cp
(cd "$root" && mvn -q -B -o -pl mailkit-search -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null 2>&1 \
  || mvn -q -B -pl mailkit-search -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null)
cp="$root/mailkit-search/target/classes:$root/mailkit-search/target/test-classes:$root/mailkit-imap/target/classes"
cp="$cp:$root/mailkit-store/target/classes:$root/mailkit-core/target/classes:$(cat "$cp_file")"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
mkfifo "$work/in"
"$java" -Xms1g -Xmx1g -cp "$cp" dev.mailkit.search.bench.SearchBenchServer "$work/mailkit" "$work/index" \
  < "$work/in" > "$work/out" 2>"$work/err" &
mk_pid=$!
exec 3>"$work/in"
for i in $(seq 6000); do grep -q '^ready' "$work/out" 2>/dev/null && break; kill -0 $mk_pid 2>/dev/null || break; sleep 0.1; done
scan_port=$(awk '/^ready/{print $2}' "$work/out"); index_port=$(awk '/^ready/{print $3}' "$work/out")
[ -n "$scan_port" ] || { echo "mailkit did not start:"; cat "$work/err"; exit 1; }
bash "$anchor" start "$work/dovecot" "$dv_port" 0 >/dev/null

bench() { "$py" "$here/search-bench.py" 127.0.0.1 "$1" rcpt@local.test secret "$2"; }
bench "$dv_port" "$rounds" > "$work/dovecot.txt"
bench "$index_port" "$rounds" > "$work/index.txt"
for i in $(seq "${WARMUP:-1}"); do bench "$scan_port" 1 > /dev/null; done
bench "$scan_port" "$rounds" > "$work/scan.txt"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
du_index=$(du -sh "$work/index" | cut -f1)

echo "IMAP SEARCH, $n messages of $size bytes; best of $rounds; $(nproc) cores; load average $load_before before," \
  "$load_after after; index on disk $du_index; $("$java" -version 2>&1 | head -1)"
printf '%-36s %7s %12s %12s %12s %8s %8s\n' search hits "dovecot ms" "scan ms" "index ms" scan/dv index/dv
paste "$work/dovecot.txt" "$work/scan.txt" "$work/index.txt" | grep -v '^messages' | awk -F'\t' '
  function ms(s,  a, k) { k = split(s, a, " "); return a[k-1] }
  function hits(s,  a, k) { k = split(s, a, " "); return a[k-2] }
  function label(s) { sub(/ +[0-9]* +[0-9.]+ ms$/, "", s); return s }
  { dv = ms($1); sc = ms($2); ix = ms($3); h = (label($1) == "total" ? "" : hits($1));
    if (label($1) != "total" && (hits($1) != hits($2) || hits($1) != hits($3))) h = "DIFFER";
    printf "%-36s %7s %12.1f %12.1f %12.1f %8.2f %8.3f\n", label($1), h, dv, sc, ix, sc / dv, ix / dv }'
