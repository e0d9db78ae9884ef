#!/usr/bin/env bash
# Runs the libFuzzer harnesses built in $FUZZ_BUILD (make fuzz builds them first):
#   1. replays every file of fuzz/regressions/<name>/ (inputs that once crashed; must pass now);
#   2. fuzzes each harness for FUZZ_SECONDS, starting from fuzz/corpus/<name>/ (seeds, read
#      only) and $FUZZ_BUILD/corpus/<name>/ (what earlier runs found, kept between runs);
#   3. prints one summary line per harness (executions, exec/s, coverage, corpus, peak RSS).
# Fails when a regression input or a fuzzing run crashes; the crashing input is left in
# $FUZZ_BUILD/artifacts/<name>/ — fix the bug, then copy it to fuzz/regressions/<name>/.
#
#   FUZZ_SECONDS=60 FUZZERS="http_request json_body calendar attachment" fuzz/run.sh
set -uo pipefail
cd "$(dirname "$0")/.."
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZERS=${FUZZERS:-http_request json_body calendar attachment}

# Longest input per harness: an HTTP request may reach the 16 KiB header limit; bodies, CSV
# text and file headers need no more than a few KiB to reach every branch.
max_len() {
  case "$1" in
    http_request) echo 20000 ;;
    calendar) echo 8192 ;;
    *) echo 4096 ;;
  esac
}

failed=()
summary=()
for name in $FUZZERS; do
  bin="$FUZZ_BUILD/fuzz/${name}_fuzzer"
  [ -x "$bin" ] || { echo "missing $bin (make fuzz builds it)" >&2; exit 2; }
  mkdir -p "$FUZZ_BUILD/corpus/$name" "$FUZZ_BUILD/artifacts/$name"
  log="$FUZZ_BUILD/fuzz-$name.log"

  regressions=(fuzz/regressions/"$name"/*)
  if [ -e "${regressions[0]}" ]; then
    if "$bin" -runs=1 "${regressions[@]}" > "$FUZZ_BUILD/regressions-$name.log" 2>&1; then
      echo "== $name: ${#regressions[@]} regression input(s) replayed, all pass"
    else
      echo "== $name: a regression input crashes again (see $FUZZ_BUILD/regressions-$name.log)"
      tail -30 "$FUZZ_BUILD/regressions-$name.log"
      failed+=("$name (regression)")
      continue
    fi
  fi

  dict=()
  [ -f "fuzz/dicts/$name.dict" ] && dict=(-dict="fuzz/dicts/$name.dict")
  echo "== $name: fuzzing for ${FUZZ_SECONDS}s (max_len $(max_len "$name"))"
  "$bin" -max_total_time="$FUZZ_SECONDS" -max_len="$(max_len "$name")" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$FUZZ_BUILD/artifacts/$name/" "${dict[@]}" \
    "$FUZZ_BUILD/corpus/$name" "fuzz/corpus/$name" > "$log" 2>&1
  rc=$?
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
  cov=$(echo "$last" | grep -o 'cov: [0-9]*' | cut -d' ' -f2)
  ft=$(echo "$last" | grep -o 'ft: [0-9]*' | cut -d' ' -f2)
  corp=$(echo "$last" | grep -o 'corp: [0-9]*/[0-9A-Za-z]*' | cut -d' ' -f2)
  line="$name: ${execs:-?} runs, ${rate:-?} exec/s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}, peak RSS ${rss:-?} MB"
  if [ $rc -ne 0 ]; then
    line="$line — CRASHED (rc $rc), input in $FUZZ_BUILD/artifacts/$name/"
    failed+=("$name")
    grep -E 'FINDING|ERROR: (AddressSanitizer|libFuzzer)|runtime error|terminate called|what\(\)' "$log" | head -5
  fi
  echo "   $line"
  summary+=("$line")
done

echo
echo "Fuzzing summary (${FUZZ_SECONDS}s each):"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
