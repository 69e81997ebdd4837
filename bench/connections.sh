#!/usr/bin/env bash
# bench/connections.sh [SMTP_N] [IMAP_N] [POP3_N] [HOLD_SECONDS] [SERVER_HEAP]
#
# 10 000 connections on one runnable server (defaults: 7 600 SMTP, 2 000 IMAP IDLE, 400 POP3 = 10 000, held 120 s,
# server heap capped at 512m), with traffic on some, slow clients, clients that never read, and floods from one
# address and from many (ConnectionsBench says what each phase does and checks). The server runs with
# --max-connections 8000 --max-connections-per-address 100 (MAX and PER in the environment change them).
# The script raises `ulimit -n` (to the hard limit if it may not go further), starts the server (MailkitServerMain,
# Maildir store, on JDK 21+ for virtual threads:
# JAVA, default the newest JDK under /usr/lib/jvm), samples its heap after a full GC (jcmd), threads and file
# descriptors (/proc) at start, with every connection held, and after they all closed, and fails if a connection was
# not served as the limits promise or if threads or descriptors did not come back down.
# The small variant `bench/connections.sh 300 150 50 10` runs in about a minute.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
smtp_n=${1:-7600}; imap_n=${2:-2000}; pop3_n=${3:-400}; hold=${4:-120}; heap=${5:-512m}
max=${MAX:-8000}; per=${PER:-100}
java=${JAVA:-$( (ls -d /usr/lib/jvm/temurin-2[1-9]* /usr/lib/jvm/java-2[1-9]* 2>/dev/null || true) | sort -V | tail -1)/bin/java}
[ -x "$java" ] || { echo "needs a JDK 21+ (virtual threads for 10 000 connections): set JAVA" >&2; exit 2; }
jcmd=$(dirname "$java")/jcmd
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
need=$((smtp_n + imap_n + pop3_n + 1000))
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge "$need" ] || { echo "ulimit -n is $(ulimit -n), below the $need descriptors needed (raise the hard limit)" >&2; exit 2; }
work=$(mktemp -d)
srv=; trap '[ -n "$srv" ] && kill $srv 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
cp_file=$root/mailkit-examples/target/bench-classpath.txt
(cd "$root" && mvn -q -B -o -pl mailkit-examples -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" \
   -Dmdep.includeScope=test >/dev/null 2>&1 || mvn -q -B -pl mailkit-examples -am test-compile \
   dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null)
# a private copy of the compiled classes: a build in this tree during the run must not change them under the JVMs
cp=; i=0
for e in $root/mailkit-examples/target/test-classes $root/mailkit-examples/target/classes $(tr ':' ' ' < "$cp_file"); do
  if [ -d "$e" ]; then i=$((i + 1)); mkdir -p "$work/cp/$i"; cp -r "$e/." "$work/cp/$i/"; e=$work/cp/$i; fi
  cp=${cp:+$cp:}$e
done

args=(--data "$work/data" --domain local.test --smtp-port 0 --submission-port 0 --smtps-port 0 --imap-port 0
      --imaps-port 0 --pop3-port 0 --pop3s-port 0 --managesieve-port 0 --http-port 0 --max-connections "$max"
      --max-connections-per-address "$per")
for i in $(seq 0 9); do args+=(--user "u$i@local.test:secret"); done
for i in $(seq 0 $((pop3_n - 1))); do args+=(--user "p$i@local.test:secret"); done
"$java" -Xms"$heap" -Xmx"$heap" -XX:+UseG1GC -cp "$cp" dev.mailkit.examples.MailkitServerMain "${args[@]}" \
  > "$work/server.out" 2> "$work/server.err" &
srv=$!
for i in $(seq 1200); do grep -q "^  POP3 " "$work/server.out" 2>/dev/null && break; kill -0 $srv || { cat "$work/server.err"; exit 1; }; sleep 0.1; done
port() { awk -v k="$1" '$0 ~ "^  "k" " {n=split($NF == "STARTTLS" || $NF ~ /,/ ? $(NF-1) : $NF, a, ":"); print a[n]}' "$work/server.out" | head -1; }
smtp_port=$(grep "^  SMTP (MX)" "$work/server.out" | grep -oE ':[0-9]+' | head -1 | tr -d :)
imap_port=$(grep "^  IMAP  " "$work/server.out" | grep -oE ':[0-9]+' | head -1 | tr -d :)
pop3_port=$(grep "^  POP3  " "$work/server.out" | grep -oE ':[0-9]+' | head -1 | tr -d :)
echo "server pid $srv ($("$java" -version 2>&1 | head -1)), heap $heap, SMTP $smtp_port IMAP $imap_port POP3 $pop3_port," \
  "--max-connections $max --max-connections-per-address $per"

sample() { # label
  "$jcmd" $srv GC.run >/dev/null 2>&1 || true
  local heapused; heapused=$("$jcmd" $srv GC.heap_info 2>/dev/null | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+')
  local threads; threads=$(awk '/^Threads:/{print $2}' /proc/$srv/status)
  local fds; fds=$(ls /proc/$srv/fd | wc -l)
  local socks; socks=$(ls -l /proc/$srv/fd 2>/dev/null | grep -c 'socket:' || true)
  local rss; rss=$(awk '/^VmRSS:/{print $2}' /proc/$srv/status)
  printf '%-34s heap after GC %6.1f MiB   platform threads %5s   file descriptors %6s (sockets %6s)   RSS %6.1f MiB\n' \
    "$1" "$(echo "${heapused:-0} / 1024" | bc -l)" "$threads" "$fds" "$socks" "$(echo "$rss / 1024" | bc -l)"
  echo "$threads $fds" > "$work/last"
}
sample "at start (no connections)"; read -r t0 f0 < "$work/last"
ls -l /proc/$srv/fd 2>/dev/null | awk 'NR>1 && $NF !~ /\/mailkit-(index|cache)$/' | wc -l > "$work/other0"
ls -l /proc/$srv/fd 2>/dev/null | grep -c socket: > "$work/socks0" || true

mkfifo "$work/client"
"$java" -Xmx1g -cp "$cp" dev.mailkit.examples.bench.ConnectionsBench "$smtp_port" "$imap_port" "$pop3_port" \
  "$smtp_n" "$imap_n" "$pop3_n" 100 "$hold" "$max" "$per" > "$work/client" 2>&1 &
cl=$!
result=
while IFS= read -r line; do
  case "$line" in
    "phase held"*) echo "$line"; sample "with every connection held"
      "$jcmd" $srv GC.class_histogram 2>/dev/null | head -13 | tail -10 > "$work/histogram" || true
      echo "largest heap classes with every connection held:"; sed 's/^/  /' "$work/histogram" ;;
    "phase traffic-done") sample "after traffic, slow and deaf clients" ;;
    "phase floods-done") sample "after the floods" ;;
    "phase closed") ;;
    result*) result=$line; echo "$line" ;;
    *) echo "$line" ;;
  esac
done < "$work/client"
wait $cl || true
# after every client closed: threads and descriptors come back down (condition wait, 60 s at most). The Maildir
# store keeps each mailbox it loaded open (its mailkit-index journal and mailkit-cache: two descriptors per mailbox,
# bounded by the mailboxes, not by the connections), so those are counted apart.
other_fds() { ls -l /proc/$srv/fd 2>/dev/null | awk 'NR>1 && $NF !~ /\/mailkit-(index|cache)$/' | wc -l; }
store_fds() { ls -l /proc/$srv/fd 2>/dev/null | grep -cE '/mailkit-(index|cache)$' || true; }
o0=$(cat "$work/other0")
for i in $(seq 120); do
  t=$(awk '/^Threads:/{print $2}' /proc/$srv/status); o=$(other_fds)
  [ "$o" -le $((o0 + 10)) ] && [ "$t" -le $((t0 + 10)) ] && break
  sleep 0.5
done
sample "after every connection closed"; read -r t1 f1 < "$work/last"
o1=$(other_fds); s1=$(store_fds)
mailboxes=$(find "$work/data" -name mailkit-index | wc -l)
echo "descriptors after close: $o1 other than the store's (at start $o0), $s1 on the store's index and cache files" \
  "($mailboxes mailboxes loaded: at most 2 each)"
errors=$(grep -ciE 'exception|error' "$work/server.err" || true)
echo "server stderr: $errors line(s) mentioning an error or exception"
{ grep -iE 'exception|error' "$work/server.err" || true; } | sort | uniq -c | sort -rn | head -5
leak=
[ "$o1" -le $((o0 + 10)) ] || leak="file descriptors $o0 -> $o1"
[ "$s1" -le $((2 * mailboxes)) ] || leak="$leak store descriptors $s1 for $mailboxes mailboxes"
[ "$(ls -l /proc/$srv/fd | grep -c socket: || true)" -le "$(cat "$work/socks0")" ] || leak="$leak sockets still open"
[ "$t1" -le $((t0 + 10)) ] || leak="$leak threads $t0 -> $t1"
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$leak" ]; then echo "LEAK: $leak"; exit 1; fi
case "$result" in "result ok") exit 0 ;; *) exit 1 ;; esac
