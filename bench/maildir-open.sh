#!/bin/sh
# bench/maildir-open.sh [messages] [size-octets...]
# How fast a big Maildir mailbox opens after a restart (what IMAP SELECT needs: EXISTS, RECENT, UIDVALIDITY,
# UIDNEXT, HIGHESTMODSEQ, first unseen), and how much heap it takes, for mailboxes of N messages (default 100000)
# of each given size (default 10240 and 102400: the heap must not grow with message size). Each mailbox is filled
# through the store, then opened in a fresh JVM with a 256 MiB heap (the open is run twice; both are printed).
# Needs about N x (sum of sizes) of disk in $TMPDIR. Run from anywhere; builds the module first.
set -e
cd "$(dirname "$0")/.."
n=${1:-100000}; shift 2>/dev/null || true
sizes=${*:-10240 102400}
CP_FILE=$(mktemp)
mvn -q -B -pl mailkit-store -am test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="mailkit-store/target/classes:mailkit-core/target/classes:mailkit-store/target/test-classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
for size in $sizes; do
  dir=$(mktemp -d)
  "$java" -cp "$CP" dev.mailkit.store.bench.MaildirOpenBench fill "$dir" "$n" "$size"
  echo "on disk: $(du -sh "$dir" | cut -f1)"
  for i in 1 2; do
    "$java" -Xmx256m -cp "$CP" dev.mailkit.store.bench.MaildirOpenBench open "$dir"
  done
  rm -rf "$dir"
done
