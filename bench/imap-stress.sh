#!/usr/bin/env bash
# bench/imap-stress.sh [operations per session]
#
# The IMAP concurrency stress test (ModSeqStressTest) run long: 4 CONDSTORE sessions append, store, expunge and
# fetch on one mailbox at once, over the in-memory and the Maildir store, each checking that the MODSEQ it is told
# for a message never goes backwards, that HIGHESTMODSEQ never does, and that its picture of the mailbox built from
# the untagged responses is the mailbox's state at the end, on which all sessions agree. CI runs 150 operations per
# session; this runs $1 (default 5000). Prints Surefire's summary and the time taken. Needs maven and a JDK.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
ops=${1:-5000}
start=$(date +%s)
cd "$root"
mvn -B -q test -pl mailkit-imap -am -Dtest=ModSeqStressTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmailkit.stress.ops="$ops" -DtrimStackTrace=false
echo "ModSeqStressTest: 4 sessions x $ops operations, memory and Maildir stores: passed in $(( $(date +%s) - start )) s"
