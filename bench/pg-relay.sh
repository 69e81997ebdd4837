#!/usr/bin/env bash
# bench/pg-relay.sh [messages] [sessions] [rounds]
#
# The relay end to end with its queue in PostgreSQL against the disk queue, side by side in one run: Postfix's
# smtp-source submits 10 KiB messages (one connection per message, via ../shared/bench/smtp-load.sh) to mailkit's
# SmtpServer, which relays them for a trusted network through its durable relay queue to Postfix's smtp-sink as the
# smart host (bench/smtp-relay.sh's set-up, program dev.mailkit.examples.bench.RelayBenchServer):
#   - disk: the built-in queue directory (250 after the group-committed fdatasync);
#   - pg:   PostgresQueueStorage in a private PostgreSQL 15 (bench/pg-cluster.sh; fsync on, synchronous commit) on
#           the same disk (250 after the synchronous commit of the message's row).
# The clock runs from the first submission until smtp-sink has accepted the last message (the queue is empty again).
# Both JVMs get a warm-up load first; then each round runs disk and pg in turn with MESSAGES messages (default 5000)
# over SESSIONS sessions (default 10), ROUNDS rounds (default 3). Prints each round, the medians, the ratio pg/disk in
# the same run (higher is better) and the load average (the machine is shared: compare ratios, not msg/s).
# Needs: postgresql-15, postfix (smtp-source, smtp-sink), python3, maven, a JDK, Linux /proc. Run from anywhere (as
# root, PostgreSQL runs as the postgres user).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
shared=${SHARED_BENCH:-}; for c in "$root/../shared/bench" /work/shared/bench; do [ -z "$shared" ] && [ -f "$c/smtp-load.sh" ] && shared=$c; done
m=${1:-5000}; s=${2:-10}; rounds=${3:-3}; warm=${WARMUP_MESSAGES:-3000}
PATH=$PATH:/usr/sbin
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=$root/mailkit-examples/target/mailkit-server.jar
[ -f "$jar" ] || { echo "build the server jar first: mvn -o -B package -DskipTests -pl mailkit-examples -am"; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mailkit-pg-relay.XXXXXX"); chmod 755 "$work"
sink_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  exec 3>&- 4>&- 2>/dev/null || true
  for f in "$work"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
  bash "$shared/sink-anchor.sh" stop "$sink_port" >/dev/null 2>&1 || true
  bash "$here/pg-cluster.sh" stop "$work/pg"; rm -rf "$work"
}
trap cleanup EXIT

url=$(bash "$here/pg-cluster.sh" start "$work/pg")
bash "$shared/sink-anchor.sh" start "$sink_port" >/dev/null

# start NAME QUEUE FD: a RelayBenchServer with its queue in QUEUE (a directory or the JDBC URL), commands on FD
start() {
  local name=$1 queue=$2
  mkfifo "$work/$name.in"
  "$java" -Xms1g -Xmx1g -Dorg.slf4j.simpleLogger.log.dev.mailkit=warn -cp "$jar" \
    dev.mailkit.examples.bench.RelayBenchServer 0 "$sink_port" "$queue" < "$work/$name.in" > "$work/$name.out" \
    2> "$work/$name.err" &
  echo $! > "$work/$name.pid"
}
start disk "$work/queue"
exec 3>"$work/disk.in"
start pg "$url"
exec 4>"$work/pg.in"
port() {
  for i in $(seq 600); do grep -q '^ready' "$work/$1.out" 2>/dev/null && break; sleep 0.1; done
  awk '/^ready/{print $2}' "$work/$1.out"
}
disk_port=$(port disk); pg_port=$(port pg)
[ -n "$disk_port" ] && [ -n "$pg_port" ] || { echo "a relay did not start:"; tail -5 "$work"/*.err; exit 1; }

# delivered NAME FD: the delivered count of that relay
delivered() { echo stats >&"$2"; sleep 0.05; tail -1 "$work/$1.out" | awk '{print $2}'; }
# run NAME FD PORT N: N messages through that relay; prints end-to-end msg/s
run() {
  local name=$1 fd=$2 port=$3 n=$4 t0 t1
  echo clear >&"$fd"
  t0=$(date +%s.%N)
  RCPT=rcpt@remote.test bash "$shared/smtp-load.sh" "127.0.0.1:$port" "$s" "$n" 10240 > "$work/load.$name"
  grep -q "msg/s" "$work/load.$name" || { echo "load failed: $(cat "$work/load.$name")" >&2; exit 1; }
  until [ "$(delivered "$name" "$fd")" -ge "$n" ]; do sleep 0.02; done
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" -v m="$n" 'BEGIN{printf "%.0f", m/(b-a)}'
}
run disk 3 "$disk_port" "$warm" >/dev/null
run pg 4 "$pg_port" "$warm" >/dev/null
echo "relay end to end, $m messages of 10 KiB per round, $s sessions; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg);" \
  "$("$java" -version 2>&1 | head -1)"
printf "%-6s %10s %10s %8s\n" round disk pg pg/disk
ds=(); ps=()
for r in $(seq "$rounds"); do
  d=$(run disk 3 "$disk_port" "$m"); p=$(run pg 4 "$pg_port" "$m")
  ds+=("$d"); ps+=("$p")
  awk -v r="$r" -v d="$d" -v p="$p" 'BEGIN{printf "%-6s %10d %10d %8.2f\n", r, d, p, p/d}'
done
median() { printf "%s\n" "$@" | sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
md=$(median "${ds[@]}"); mp=$(median "${ps[@]}")
awk -v d="$md" -v p="$mp" 'BEGIN{printf "%-6s %10d %10d %8.2f   (msg/s, medians; pg/disk higher is better)\n", "median", d, p, p/d}'
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg) (the run itself adds about 2)"
