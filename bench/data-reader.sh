#!/usr/bin/env bash
# bench/data-reader.sh [git-rev]
#
# The receiver's DATA framing loop (DataReader) alone: µs per 10 KiB message from memory, best of 15 rounds, three
# fresh JVMs. With a git revision, the same benchmark also runs against that revision's DataReader (built in a
# temporary worktree), so that before/after are measured in the same run on this noisy machine.
# Needs: maven, a JDK. Run from anywhere.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
build() { (cd "$1" && mvn -q -B -o test-compile -pl mailkit-core,mailkit-smtp -am >/dev/null); }
run() { # $1 = classes of mailkit-smtp and mailkit-core; $2 = the bench class directory
  for i in 1 2 3; do "$java" -cp "$2:$1" dev.mailkit.smtp.internal.DataReaderBench; done
}
build "$root"
cp_now="$root/mailkit-smtp/target/classes:$root/mailkit-core/target/classes"
echo "== this tree"; run "$cp_now" "$root/mailkit-smtp/target/test-classes"
if [ $# -ge 1 ]; then
  wt=$(mktemp -d); trap 'git -C "$root" worktree remove --force "$wt"' EXIT
  git -C "$root" worktree add -q --detach "$wt" "$1"
  (cd "$wt" && mvn -q -B -o compile -pl mailkit-core,mailkit-smtp -am >/dev/null)
  echo "== $1"; run "$wt/mailkit-smtp/target/classes:$wt/mailkit-core/target/classes" "$root/mailkit-smtp/target/test-classes"
fi
