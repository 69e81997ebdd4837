#!/usr/bin/env bash
# Coverage-guided fuzzing of mailkit's parsers with Jazzer (the @FuzzTest methods of the modules' tests).
#
#   bench/fuzz.sh --list                       the fuzz targets
#   bench/fuzz.sh [--time SECONDS] [--jobs N] [--heap SIZE] [PATTERN...]
#                                              fuzz every target whose name matches one of the PATTERNs (grep -E;
#                                              all targets when none), each for SECONDS (default 600), N at a time
#                                              (default 1: the machine is shared), and print a report
#
# `mvn verify` only replays each target's regression inputs (src/test/resources/<package>/<Class>Inputs/<method>/:
# the seeds, and every crash found, kept in git). This script fuzzes: libFuzzer mutates inputs, guided by the
# coverage of dev.mailkit classes, starting from the seeds and from the generated corpus of earlier runs
# (.cifuzz-corpus/<package>.<Class>/<method>/, not in git). A crashing, timing-out (FUZZ_TIMEOUT s per input, default 10;
# raise it on a loaded machine, where instrumenting the classes makes the first inputs slow) or memory-hungry
# (over 2 GiB) input is written into the regression inputs directory, so that `mvn verify` fails until it is fixed.
#
# The report (also in target/fuzz/report.tsv): per target the seconds fuzzed, executions, coverage (libFuzzer's
# "cov": instrumented edges of dev.mailkit code reached; "new": how many of them this run reached beyond what the
# seeds, kept inputs and earlier corpus reached at its start; "ft": features), the corpus size, and the findings.
# (Logs are read with grep -a: a target whose inputs are bytes writes bytes into its log.)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# module:class#method
TARGETS=(
  mailkit-core:dev.mailkit.core.MailAddressFuzzTest#parse
  mailkit-core:dev.mailkit.core.tls.PemFuzzTest#read
  mailkit-smtp:dev.mailkit.smtp.SmtpSessionFuzzTest#session
  mailkit-smtp:dev.mailkit.smtp.internal.DataReaderFuzzTest#data
  mailkit-smtp:dev.mailkit.smtp.internal.ChunkReaderFuzzTest#chunks
  mailkit-smtp:dev.mailkit.smtp.internal.PathParserFuzzTest#path
  mailkit-imap:dev.mailkit.imap.internal.protocol.CommandParserFuzzTest#commands
  mailkit-imap:dev.mailkit.imap.internal.protocol.ImapUrlParserFuzzTest#url
  mailkit-imap:dev.mailkit.imap.ImapSessionFuzzTest#session
  mailkit-imap:dev.mailkit.imap.internal.encode.AddressParserFuzzTest#addresses
  mailkit-pop3:dev.mailkit.pop3.Pop3SessionFuzzTest#session
  mailkit-store:dev.mailkit.store.mime.StructureParserFuzzTest#parse
  mailkit-store:dev.mailkit.store.mime.StructureCodecFuzzTest#decode
  mailkit-store:dev.mailkit.store.mbox.MboxImporterFuzzTest#mbox
  mailkit-store:dev.mailkit.store.maildir.IndexJournalFuzzTest#journal
  mailkit-store:dev.mailkit.store.maildir.MaildirRecoveryFuzzTest#damagedIndexAndCache
  mailkit-mailauth:dev.mailkit.mailauth.spf.internal.SpfFuzzTest#record
  mailkit-mailauth:dev.mailkit.mailauth.spf.internal.SpfFuzzTest#macros
  mailkit-mailauth:dev.mailkit.mailauth.dkim.DkimFuzzTest#verify
  mailkit-mailauth:dev.mailkit.mailauth.dmarc.DmarcFuzzTest#record
  mailkit-relay:dev.mailkit.relay.internal.ReplyReaderFuzzTest#replies
  mailkit-relay:dev.mailkit.relay.internal.QueueRecoveryFuzzTest#recover
)

TIME=600
JOBS=1
HEAP=1g
PATTERNS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --list) printf '%s\n' "${TARGETS[@]}" | sed 's/^[^:]*://'; exit 0 ;;
    --time) TIME=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --heap) HEAP=$2; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) PATTERNS+=("$1"); shift ;;
  esac
done

selected=()
for t in "${TARGETS[@]}"; do
  name=${t#*:}
  if [ ${#PATTERNS[@]} -eq 0 ]; then selected+=("$t"); continue; fi
  for p in "${PATTERNS[@]}"; do
    if echo "$name" | grep -Eq "$p"; then selected+=("$t"); break; fi
  done
done
[ ${#selected[@]} -gt 0 ] || { echo "no fuzz target matches ${PATTERNS[*]}" >&2; exit 2; }

modules=$(printf '%s\n' "${selected[@]}" | cut -d: -f1 | sort -u | paste -sd, -)
echo "building $modules (test classes and class paths) ..."
mvn -B -q -o -pl "$modules" -am test-compile dependency:build-classpath -Dmdep.outputFile=target/fuzz-classpath.txt \
  -Dmdep.includeScope=test >/dev/null || mvn -B -q -pl "$modules" -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/fuzz-classpath.txt -Dmdep.includeScope=test >/dev/null

OUT=$ROOT/target/fuzz
mkdir -p "$OUT"
REPORT=$OUT/report.tsv
[ -f "$REPORT" ] || printf 'target\tseconds\texecutions\texec/s\tcov\tnew_cov\tft\tcorpus\tpeak_rss_mb\tfindings\n' > "$REPORT"

fuzz_one() {
  local t=$1 module=${1%%:*} rest=${1#*:}
  local class=${rest%%#*} method=${rest#*#}
  local pkgdir; pkgdir=$(dirname "${class//.//}")
  local simple=${class##*.}
  local inputs=$ROOT/$module/src/test/resources/$pkgdir/${simple}Inputs/$method
  local corpus=$ROOT/.cifuzz-corpus/$class/$method
  local log=$OUT/$simple.$method.log
  mkdir -p "$inputs" "$corpus"
  local before; before=$(ls "$inputs" | grep -Ec '^(crash|timeout|oom|slow-unit|leak)-' || true)
  local cp="$ROOT/$module/target/test-classes:$ROOT/$module/target/classes:$(cat "$ROOT/$module/target/fuzz-classpath.txt")"
  local start; start=$(date +%s)
  # a finding ends the run unless keep_going allows more; the exit status is then non-zero: not this script's failure
  (cd "$OUT" && java -Xmx"$HEAP" -Xss4m -XX:-OmitStackTraceInFastThrow -cp "$cp" com.code_intelligence.jazzer.Jazzer \
      --target_class="$class" --target_method="$method" --instrumentation_includes='dev.mailkit.**' \
      --custom_hook_includes='dev.mailkit.**' --keep_going=20 \
      --disabled_hooks=com.code_intelligence.jazzer.sanitizers.ServerSideRequestForgery \
      -max_total_time="$TIME" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2560 -print_final_stats=1 \
      -artifact_prefix="$inputs/" "$corpus" "$inputs" >"$log" 2>&1) || true
  local secs=$(( $(date +%s) - start ))
  local after; after=$(ls "$inputs" | grep -Ec '^(crash|timeout|oom|slow-unit|leak)-' || true)
  local last; last=$(grep -aE '^#[0-9]+' "$log" | tail -1 || true)
  local execs; execs=$(grep -aoE 'stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)
  [ -n "$execs" ] || execs=$(echo "$last" | grep -oE '^#[0-9]+' | tr -d '#' || true)
  local cov; cov=$(echo "$last" | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+' || true)
  local ft; ft=$(echo "$last" | grep -oE 'ft: [0-9]+' | grep -oE '[0-9]+' || true)
  local init; init=$(grep -aE '^#[0-9]+\s+INITED' "$log" | head -1 | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+' || true)
  local newcov='?'; [ -n "$init" ] && [ -n "$cov" ] && newcov=$((cov - init))
  local rss; rss=$(grep -aoE 'stat::peak_rss_mb: [0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)
  local corp; corp=$(ls "$corpus" | wc -l)
  local eps; eps=$(grep -aoE 'stat::average_exec_per_sec: +[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)
  local findings=$(( after - before ))
  printf '%s#%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$simple" "$method" "$secs" "${execs:-?}" "${eps:-?}" \
    "${cov:-?}" "$newcov" "${ft:-?}" "$corp" "${rss:-?}" "$findings" >> "$REPORT"
  printf '%-48s %5ss %10s execs %7s/s cov %5s (+%s new) ft %6s corpus %5s findings %s\n' "$simple#$method" \
    "$secs" "${execs:-?}" "${eps:-?}" "${cov:-?}" "$newcov" "${ft:-?}" "$corp" "$findings"
  if [ "$findings" -gt 0 ]; then
    grep -aE '^== Java Exception|^Caused by|FuzzerSecurityIssue|^== libFuzzer crashing input|Timeout|out-of-memory' "$log" \
      | head -20 | sed 's/^/    /'
  fi
}

echo "fuzzing ${#selected[@]} target(s), ${TIME}s each, $JOBS at a time; logs in $OUT"
running=0
for t in "${selected[@]}"; do
  fuzz_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then wait -n || true; running=$((running - 1)); fi
done
wait
echo "report: $REPORT"
