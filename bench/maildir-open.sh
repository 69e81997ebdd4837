#!/bin/sh
# bench/maildir-open.sh [messages] [size-octets...]
# How fast a big Maildir mailbox opens after a restart (what IMAP SELECT needs: EXISTS, RECENT, UIDVALIDITY,
# UIDNEXT, HIGHESTMODSEQ, first unseen), and how much heap it takes, for mailboxes of N messages (default 100000)
# of each given size (default 2048 and 51200: the heap must not grow with message size). Each mailbox is filled
# through the store and closed; then it is opened in a fresh JVM with a 256 MiB heap, three times after a clean stop
# (the usual restart) and once after a crash (mailkit's clean-stop record removed: every file is listed).
# Needs about N x (sum of sizes) of disk in $TMPDIR. Run from anywhere; builds the module first.
set -e
cd "$(dirname "$0")/.."
n=${1:-100000}; shift 2>/dev/null || true
sizes=${*:-2048 51200}
CP_FILE=$(mktemp)
mvn -q -B -pl mailkit-store -am test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="mailkit-store/target/classes:mailkit-core/target/classes:mailkit-store/target/test-classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
for size in $sizes; do
  dir=$(mktemp -d)
  "$java" -cp "$CP" dev.mailkit.store.bench.MaildirOpenBench fill "$dir" "$n" "$size"
  echo "on disk: $(du -sh "$dir" | cut -f1)"
  echo "load: $(cat /proc/loadavg)"
  for i in 1 2 3; do
    "$java" -Xms256m -Xmx256m -cp "$CP" dev.mailkit.store.bench.MaildirOpenBench open "$dir"
  done
  index="$dir/local.test/rcpt/mailkit-index"
  sed -i '$ d' "$index"   # as after kill -9: no clean-stop record
  printf 'after a crash: '
  "$java" -Xms256m -Xmx256m -cp "$CP" dev.mailkit.store.bench.MaildirOpenBench open "$dir"
  rm -rf "$dir"
done
