#!/usr/bin/env bash
# HTTP load benchmark with wrk on loopback, bounded in time. Every figure is reported as a ratio
# to the same server's bare endpoint (/healthz) measured in the same run, because these machines
# are shared and noisy.
#
#   bench/http_bench.sh [--duration 5] [--database URL] [--concurrency "1 16 64"]
#
# Without --database it loads the demo data set into a fresh SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${AFTERSALES_BIN:-build/aftersales}
DURATION=5
CONCURRENCY="1 16 64"
DATABASE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --database) DATABASE=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/aftersales-bench.XXXXXX)
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
if [ -z "$DATABASE" ]; then
  DATABASE="sqlite://$WORK/bench.db"
  "$BIN" demo --database "$DATABASE" --quiet --log-level warn >/dev/null
fi
"$BIN" serve --database "$DATABASE" --data-dir "$WORK" --listen 127.0.0.1:0 --no-access-log --no-workers \
  2> "$WORK/server.log" &
SERVER=$!
for _ in $(seq 1 100); do
  PORT=$(grep -o '"port":[0-9]*' "$WORK/server.log" 2>/dev/null | head -1 | cut -d: -f2 || true)
  [ -n "$PORT" ] && break
  sleep 0.1
done
BASE="http://127.0.0.1:$PORT"
TOKEN=$(curl -s -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"username":"admin","password":"admin-demo-2026"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || { echo "login failed" >&2; exit 1; }
TICKET=$(curl -s "$BASE/api/v1/tickets?limit=1&open=true" -H "Authorization: Bearer $TOKEN" | sed -n 's/.*"items":\[{[^]]*"id":\([0-9]*\).*/\1/p' | head -1)
PROJECT=$(curl -s "$BASE/api/v1/projects?limit=1" -H "Authorization: Bearer $TOKEN" | sed -n 's/.*"items":\[{.*"id":\([0-9]*\),"latitude".*/\1/p' | head -1)
PROJECT=${PROJECT:-1}

cat > "$WORK/create.lua" <<LUA
counter = 0
request = function()
  counter = counter + 1
  local body = '{"project_id": $PROJECT, "title": "压测工单 ' .. counter .. '", "description": "空调漏水，吊顶渗水"}'
  return wrk.format("POST", "/api/v1/tickets", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer $TOKEN", ["Idempotency-Key"] = "bench-" .. math.random(1, 1e12) .. "-" .. counter}, body)
end
LUA
cat > "$WORK/login.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"username":"admin","password":"admin-demo-2026"}'
wrk.headers["Content-Type"] = "application/json"
LUA

# name | wrk arguments
run() {  # prints "rps p50 p99"
  local out
  out=$(wrk --latency -t2 -c"$1" -d"${DURATION}s" "${@:2}" 2>&1)
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  echo "$rps $p50 $p99"
}
AUTH=(-H "Authorization: Bearer $TOKEN")
echo "| endpoint | conns | req/s | ratio to /healthz | p50 | p99 |"
echo "|---|---|---|---|---|---|"
for c in $CONCURRENCY; do
  read -r base b50 b99 < <(run "$c" "$BASE/healthz")
  echo "| GET /healthz (ceiling) | $c | $base | 1.00 | $b50 | $b99 |"
  while IFS='|' read -r name args; do
    # shellcheck disable=SC2086
    read -r rps p50 p99 < <(eval run "$c" $args)
    ratio=$(awk -v a="$rps" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
    echo "| $name | $c | $rps | $ratio | $p50 | $p99 |"
  done <<LIST
GET one request|"\${AUTH[@]}" "$BASE/api/v1/tickets/$TICKET"
list a filtered, sorted page|"\${AUTH[@]}" "$BASE/api/v1/tickets?open=true&sort=next_due_at&limit=20"
search descriptions (Chinese)|"\${AUTH[@]}" "$BASE/api/v1/tickets?q=%E6%BC%8F%E6%B0%B4&limit=20"
create a request|-s "$WORK/create.lua" "$BASE"
log in (Argon2id)|-s "$WORK/login.lua" "$BASE/api/v1/auth/login"
LIST
done
