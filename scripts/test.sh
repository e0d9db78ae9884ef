#!/usr/bin/env bash
# Runs every test: C++ unit tests (domain and core, the latter also against PostgreSQL), the
# web unit tests, the API tests through a real socket on SQLite and on PostgreSQL, and the
# browser tests in Chromium. Starts (and always removes) a throw-away PostgreSQL cluster.
# Expects `make build` to have run. Ends with one summary line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-build}
export AFTERSALES_BIN="$ROOT/$BUILD/aftersales"
LOGDIR=$(mktemp -d /tmp/aftersales-test.XXXXXX)
passed=0
failed=0
failures=()

skipped=0
# Adds the counts from a TAP log (node --test, vitest --reporter=tap-flat): top-level lines only.
count_node() {
  local p f k
  p=$(grep -E '^ok [0-9]+' "$1" | grep -vc '# SKIP')
  k=$(grep -E '^ok [0-9]+' "$1" | grep -c '# SKIP')
  f=$(grep -cE '^not ok [0-9]+' "$1")
  passed=$((passed + ${p:-0}))
  skipped=$((skipped + ${k:-0}))
  failed=$((failed + ${f:-0}))
}
# Adds the counts from a GoogleTest log.
count_gtest() {
  local p f
  p=$(grep -E '^\[  PASSED  \] [0-9]+' "$1" | awk '{print $4}')
  f=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$1" | awk '{print $4}')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
}
run_suite() {  # name, counter, command...
  local name=$1 counter=$2
  shift 2
  echo "== $name"
  if "$@" > "$LOGDIR/$name.log" 2>&1; then
    echo "   ok"
  else
    echo "   FAILED (log: $LOGDIR/$name.log)"
    grep -E '^not ok|^\[  FAILED  \]|Error|error:' "$LOGDIR/$name.log" | head -40 | sed 's/^/   /'
    failures+=("$name")
  fi
  $counter "$LOGDIR/$name.log"
  # A suite that failed without a single failed test counted (a crash) still fails the run.
  if [[ " ${failures[*]} " == *" $name "* ]] && [ "$(grep -cE '^not ok|^\[  FAILED  \]' "$LOGDIR/$name.log")" = 0 ]; then
    failed=$((failed + 1))
  fi
}

PGDIR=""
cleanup() {
  [ -n "$PGDIR" ] && bash scripts/pg-cluster.sh stop "$PGDIR" >/dev/null 2>&1
  [ -n "${DEMO_PID:-}" ] && kill "$DEMO_PID" 2>/dev/null
  [ -n "${DEMO_DIR:-}" ] && rm -rf "$DEMO_DIR"
}
trap cleanup EXIT

echo "== starting a throw-away PostgreSQL cluster"
PGDIR=$(mktemp -u /tmp/aftersales-pg.XXXXXX)
if PG_URL=$(bash scripts/pg-cluster.sh start "$PGDIR" 2> "$LOGDIR/pg-cluster.log" | tail -1) && [ -n "$PG_URL" ]; then
  echo "   $PG_URL"
else
  echo "   FAILED to start PostgreSQL (log: $LOGDIR/pg-cluster.log)"
  cat "$LOGDIR/pg-cluster.log"
  failures+=("postgres-cluster")
  failed=$((failed + 1))
  PG_URL=""
fi

run_suite domain-unit count_gtest "$BUILD/src/domain/domain_tests"
AFTERSALES_TEST_PG_URL="$PG_URL" run_suite core-unit count_gtest "$BUILD/core_tests"
run_suite web-unit count_node bash -c "cd web && npx vitest run --reporter=tap-flat"
# Test-only tools (a real SMTP server for the notification tests).
(cd tests/tools && npm ci --no-audit --no-fund --silent --loglevel=error) > "$LOGDIR/tools.log" 2>&1 ||
  { echo "   tests/tools: npm ci failed"; cat "$LOGDIR/tools.log"; failures+=("tools"); failed=$((failed + 1)); }
AFTERSALES_TEST_BACKEND=sqlite run_suite api-sqlite count_node node --test --test-concurrency=2 --test-timeout=300000 tests/api/
if [ -n "$PG_URL" ]; then
  AFTERSALES_TEST_BACKEND=postgres AFTERSALES_TEST_PG_URL="$PG_URL" \
    run_suite api-postgres count_node node --test --test-concurrency=2 --test-timeout=300000 tests/api/
fi

# Browser tests run against a server loaded with the demo data set, as a new user would see it.
DEMO_DIR=$(mktemp -d /tmp/aftersales-e2e.XXXXXX)
"$AFTERSALES_BIN" demo --data-dir "$DEMO_DIR" --quiet --log-level warn > "$LOGDIR/demo.log" 2>&1
"$AFTERSALES_BIN" serve --data-dir "$DEMO_DIR" --listen 127.0.0.1:0 --web-dir web/dist 2> "$LOGDIR/e2e-server.log" &
DEMO_PID=$!
for _ in $(seq 1 100); do
  PORT=$(grep -o '"port":[0-9]*' "$LOGDIR/e2e-server.log" 2>/dev/null | head -1 | cut -d: -f2)
  [ -n "$PORT" ] && break
  sleep 0.1
done
AFTERSALES_URL="http://127.0.0.1:${PORT:-0}" run_suite e2e-chromium count_node node --test --test-timeout=300000 tests/e2e/

echo
if [ ${#failures[@]} -gt 0 ]; then echo "failed suites: ${failures[*]}"; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ ${#failures[@]} -eq 0 ]
