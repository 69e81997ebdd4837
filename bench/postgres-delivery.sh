#!/usr/bin/env bash
# bench/postgres-delivery.sh [messages] [rounds]
#
# SMTP-to-mailbox delivery into PostgreSQL with one and with two nodes, against the Maildir store, side by side in one
# run, with the same load generator (Postfix's smtp-source via ../shared/bench/smtp-load.sh: 10 KiB messages, one
# connection per message, 10 sessions in all, as 10 processes) and the same program: the runnable server
# (mailkit-server.jar),
#   - maildir: --store maildir (250 after the file is fsync'd and renamed into new/, the directory fsync'd);
#   - pg-1:    --store postgres, one node (250 after the transaction committed; PostgreSQL with fsync and
#              synchronous commit, on the same disk), all 10 sessions to it;
#   - pg-2:    two nodes (two JVMs) on the same database, 5 sessions to each at once.
# Each is measured with all mail to one mailbox (/1: the worst case for PostgreSQL, whose appends to one mailbox take
# turns on its row) and spread over ten (/10: rcpt0..rcpt9@local.test, one session each); msg/s is all messages over
# the wall time of the 10 sessions.
# A private PostgreSQL 15 is started for the run (bench/pg-cluster.sh). Every JVM gets a warm-up load first (a server
# is measured warm); then each round runs the three in turn with MESSAGES messages (default 5000), ROUNDS rounds
# (default 3). Prints each round, the medians and the ratios to Maildir in the same run (higher is better).
# BASELINE_JAR=path/to/an/older/mailkit-server.jar adds pg-base: that jar as one more single node (own schema on the
# same database), measured in the same rounds, for a before/after comparison within one run.
# Needs: postgresql-15, postfix (smtp-source only), python3, maven, a JDK. Run from anywhere (as root, PostgreSQL runs
# as the postgres user).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
shared=${SHARED_BENCH:-}; for c in "$root/../shared/bench" /work/shared/bench; do [ -z "$shared" ] && [ -f "$c/smtp-load.sh" ] && shared=$c; done
m=${1:-5000}; rounds=${2:-3}; warm=${WARMUP_MESSAGES:-3000}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=$root/mailkit-examples/target/mailkit-server.jar
[ -f "$jar" ] || (cd "$root" && mvn -q -B -o install -DskipTests)
work=$(mktemp -d); chmod 755 "$work"
cleanup() { for f in "$work"/*/pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done; wait 2>/dev/null || true
  bash "$here/pg-cluster.sh" stop "$work/pg"; rm -rf "$work"; }
trap cleanup EXIT

url=$(bash "$here/pg-cluster.sh" start "$work/pg")

users=(); for i in $(seq 0 9); do users+=(--user "rcpt$i@local.test:secret"); done
# start_node NAME ARGS...: starts the runnable server, prints its SMTP (MX) port
start_node() {
  local name=$1; shift
  local j=$jar; [ "$name" = pgbase ] && j=$BASELINE_JAR
  mkdir -p "$work/$name"
  "$java" -Xms1g -Xmx1g -jar "$j" --smtp-port 0 --submission-port 0 --smtps-port 0 --imap-port 0 --imaps-port 0 \
    --pop3-port 0 --pop3s-port 0 --managesieve-port 0 --http-port 0 --domain local.test --user rcpt@local.test:secret \
    "${users[@]}" --data "$work/$name/data" "$@" > "$work/$name/out" 2> "$work/$name/err" &
  echo $! > "$work/$name/pid"   # (a file: start_node runs in a command substitution's subshell)
  for i in $(seq 600); do grep -q 'SMTP (MX)' "$work/$name/out" 2>/dev/null && break; sleep 0.1; done
  sed -n 's/^  SMTP (MX) *127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/$name/out" | head -1
}
mk=$(start_node maildir --store maildir)
p1=$(start_node pg1 --store postgres --db-url "$url" --node-name pg1)
p2=$(start_node pg2 --store postgres --db-url "$url" --node-name pg2)
pb=; [ -n "${BASELINE_JAR:-}" ] && pb=$(start_node pgbase --store postgres --db-url "$url" --node-name pgbase \
  --db-schema mailkit_base)
for p in "$mk" "$p1" "$p2" ${BASELINE_JAR:+"$pb"}; do [ -n "$p" ] || { echo "a node did not start:"; tail -5 "$work"/*/err; exit 1; }; done

# load PORTS MAILBOXES M: 10 smtp-source processes of one session each (as smtp-load.sh, one connection per
# message), process i to the i-th port of PORTS in turn and to rcpt@local.test (MAILBOXES=1) or rcpt<i>@local.test
# (MAILBOXES=10), M/10 messages each; prints msg/s over the wall time of all of them
load() {
  local ports=($1) boxes=$2 n=$3 t0 t1 i pids=()
  t0=$(date +%s.%N)
  for i in $(seq 0 9); do
    local rcpt=rcpt@local.test; [ "$boxes" = 1 ] || rcpt=rcpt$i@local.test
    RCPT=$rcpt bash "$shared/smtp-load.sh" 127.0.0.1:${ports[$((i % ${#ports[@]}))]} 1 $((n / 10)) 10240 > "$work/load.$i" &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i"; done
  t1=$(date +%s.%N)
  for i in $(seq 0 9); do grep -q "msg/s" "$work/load.$i" || { echo "load failed: $(cat "$work/load.$i")" >&2; exit 1; }; done
  awk -v a="$t0" -v b="$t1" -v m="$n" 'BEGIN{printf "%.0f", m/(b-a)}'
}
for p in "$mk" "$p1" "$p2" $pb; do load "$p" 10 "$warm" >/dev/null; done
echo "delivery, $m messages of 10 KiB per round, 10 sessions; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg);" \
  "$("$java" -version 2>&1 | head -1)"
cols=(maildir/1 pg-1/1 pg-2/1 maildir/10 pg-1/10 pg-2/10)
[ -n "$pb" ] && cols=(maildir/1 pg-1/1 pg-base/1 pg-2/1 maildir/10 pg-1/10 pg-base/10 pg-2/10)
printf "%-6s" round; printf " %10s" "${cols[@]}"; echo
declare -A res
for r in $(seq "$rounds"); do
  printf "%-6s" "$r"
  for c in "${cols[@]}"; do
    case ${c%/*} in maildir) ports=$mk ;; pg-1) ports=$p1 ;; pg-2) ports="$p1 $p2" ;; pg-base) ports=$pb ;; esac
    res[$c,$r]=$(load "$ports" "${c#*/}" "$m"); printf " %10s" "${res[$c,$r]}"
  done
  echo
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
declare -A md
for c in "${cols[@]}"; do v=(); for r in $(seq "$rounds"); do v+=("${res[$c,$r]}"); done; md[$c]=$(med "${v[@]}"); done
echo "median msg/s:$(for c in "${cols[@]}"; do printf ' %s %s' "$c" "${md[$c]}"; done)"
for b in 1 10; do
  awk -v a="${md[maildir/$b]}" -v x="${md[pg-1/$b]}" -v y="${md[pg-2/$b]}" -v b="$b" \
    'BEGIN{printf "%2s mailbox(es): pg-1/maildir = %.2f, pg-2/maildir = %.2f, pg-2/pg-1 = %.2f\n", b, x/a, y/a, y/x}'
  [ -n "$pb" ] && awk -v a="${md[maildir/$b]}" -v x="${md[pg-1/$b]}" -v z="${md[pg-base/$b]}" -v b="$b" \
    'BEGIN{printf "%2s mailbox(es): pg-base/maildir = %.2f, pg-1/pg-base = %.2f\n", b, z/a, x/z}'
done
pgport=$(sed 's/.*:\([0-9]*\)\/.*/\1/' <<<"$url")
rows=$(psql -h 127.0.0.1 -p "$pgport" -U postgres -tAc "SELECT count(*) FROM mailkit.mk_message" postgres 2>/dev/null || echo "?")
echo "stored: maildir $(find "$work/maildir/data/local.test" -type f \( -path '*/new/*' -o -path '*/cur/*' \) | wc -l), postgres $rows messages"
