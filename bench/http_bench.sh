#!/usr/bin/env bash
# HTTP load benchmark with wrk on loopback, bounded in time. Every figure is reported as a ratio
# to the same server's bare endpoint (/healthz) measured in the same run, right before, because
# these machines are shared and noisy.
#
#   bench/http_bench.sh [--duration 5] [--concurrency "1 16 64"] [--requests N]
#                       [--database URL | --postgres] [--keep DIR]
#
# The database is the demo data set plus N generated requests (default 1,000,000 with 2,000
# customers, 10,000 projects and 200,000 assets; `aftersales generate`), in a fresh SQLite file
# or, with --database postgresql://..., in that (empty) PostgreSQL database, or with --postgres in a
# throw-away PostgreSQL cluster started for the run (scripts/pg-cluster.sh). --requests 0 uses
# the demo data only. --keep DIR keeps (and on later runs reuses) the SQLite data set in DIR.
#
# Measured: log in (Argon2id), create a request (Idempotency-Key; audit event, clocks and outbox
# in the same transaction), read one request, a filtered sorted page, a Chinese full-text
# search, one lifecycle transition (pause/resume), the dashboard — then the reads with the view
# cache switched the other way (off on SQLite, on for PostgreSQL), then request creation again
# on the same server code with durability off (no fsync), to show what the group commit costs.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${AFTERSALES_BIN:-build/aftersales}
DURATION=5
CONCURRENCY="1 16 64"
DATABASE=""
REQUESTS=1000000
KEEP=""
POSTGRES=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --database) DATABASE=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --requests) REQUESTS=$2; shift 2 ;;
    --keep) KEEP=$2; shift 2 ;;
    --postgres) POSTGRES=1; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/aftersales-bench.XXXXXX)
SERVER=""
stop_server() { if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; fi; }
PGDIR=""
trap 'stop_server; if [ -n "$PGDIR" ]; then bash scripts/pg-cluster.sh stop "$PGDIR" >/dev/null 2>&1; rm -rf "$PGDIR"; fi; rm -rf "$WORK"' EXIT
if [ -n "$POSTGRES" ]; then
  PGDIR=$(mktemp -u /tmp/aftersales-bench-pg.XXXXXX)  # not under $WORK: the postgres user must reach it
  if ! DATABASE=$(bash scripts/pg-cluster.sh start "$PGDIR" 2> "$WORK/pg.log" | tail -1) || [ -z "$DATABASE" ]; then
    echo "PostgreSQL did not start:" >&2; cat "$WORK/pg.log" >&2; exit 1
  fi
fi

SIZES=(--requests "$REQUESTS" --customers $(( REQUESTS >= 1000000 ? 2000 : (REQUESTS / 500 + 10) ))
       --projects $(( REQUESTS >= 1000000 ? 10000 : (REQUESTS / 100 + 20) ))
       --assets $(( REQUESTS >= 1000000 ? 200000 : (REQUESTS / 5 + 400) )))
load_data() {  # demo data (for the logins) plus the generated set
  local t0=$SECONDS
  "$BIN" demo --database "$1" --quiet --log-level warn >/dev/null
  if [ "$REQUESTS" -gt 0 ]; then "$BIN" generate --database "$1" "${SIZES[@]}" --log-level warn >/dev/null; fi
  echo "data set: demo + $REQUESTS generated requests, loaded in $(( SECONDS - t0 )) s" >&2
}
if [ -z "$DATABASE" ]; then
  DIR=${KEEP:-$WORK}
  mkdir -p "$DIR"
  DATABASE="sqlite://$DIR/bench.db"
  [ -n "$KEEP" ] && [ -f "$DIR/bench.db" ] && echo "reusing the data set in $DIR" >&2 || load_data "$DATABASE"
else
  load_data "$DATABASE"
fi

start_server() {  # extra flags...
  "$BIN" serve --database "$DATABASE" --data-dir "$WORK" --listen 127.0.0.1:0 --no-access-log --no-workers "$@" \
    2> "$WORK/server.log" &
  SERVER=$!
  PORT=""
  for _ in $(seq 1 600); do
    PORT=$(grep -o '"port":[0-9]*' "$WORK/server.log" 2>/dev/null | head -1 | cut -d: -f2 || true)
    [ -n "$PORT" ] && break
    sleep 0.1
  done
  [ -n "$PORT" ] || { echo "the server did not start:" >&2; cat "$WORK/server.log" >&2; exit 1; }
  BASE="http://127.0.0.1:$PORT"
}
T0=$(date +%s.%N)
start_server
echo "server start-up: $(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s" >&2
TOKEN=$(curl -s -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"username":"admin","password":"admin-demo-2026"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || { echo "login failed" >&2; exit 1; }
api() { curl -s "$BASE$1" -H "Authorization: Bearer $TOKEN"; }
# A request from the middle of the history, and open, unpaused requests for the transitions.
TICKET=$(api "/api/v1/tickets?limit=1&offset=$(( REQUESTS / 2 ))&sort=reported_at" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
# New requests arrive across many projects, as they do: 200 projects (in one project the duplicate
# check would compare each new request with the 50 latest open ones of thousands made by the run).
PROJECTS=$(api "/api/v1/projects?limit=200&sort=-id" | python3 -c 'import json,sys; print(",".join(str(p["id"]) for p in json.load(sys.stdin)["items"]))')
CUSTOMER=$(api "/api/v1/tickets/$TICKET" | python3 -c 'import json,sys; print(json.load(sys.stdin)["customer"]["id"])')
: > "$WORK/open_ids"
for offset in $(seq 0 100 4900); do
  api "/api/v1/tickets?open=true&limit=100&offset=$offset&sort=reported_at" |
    python3 -c 'import json,sys
for t in json.load(sys.stdin)["items"]:
    if not t["paused"] and t["state"] not in ("resolved",): print(t["id"])' >> "$WORK/open_ids" || true
done
OPEN_COUNT=$(wc -l < "$WORK/open_ids")

# Every request a new one: the Idempotency-Key joins a per-round nonce, the wrk thread and a counter.
# (wrk's threads start with the same random seed: keys made of math.random and a per-thread counter
# repeat across threads and rounds, and a repeated key is answered as a replay, creating nothing.)
cat > "$WORK/create.lua" <<LUA
projects = {$PROJECTS}
counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  math.randomseed(tid * 1000003 + os.time())
  nonce = os.getenv("BENCH_NONCE") or tostring(os.time())
end
request = function()
  counter = counter + 1
  local body = '{"project_id": ' .. projects[math.random(#projects)] .. ', "title": "压测工单 ' .. counter .. '", "description": "空调漏水，吊顶渗水，编号 ' .. math.random(1, 1e9) .. '"}'
  return wrk.format("POST", "/api/v1/tickets", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer $TOKEN", ["Idempotency-Key"] = "bench-" .. nonce .. "-" .. tid .. "-" .. counter}, body)
end
LUA
cat > "$WORK/login.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"username":"admin","password":"admin-demo-2026"}'
wrk.headers["Content-Type"] = "application/json"
LUA
# Pause, then resume, each request of a slice: every wrk thread works on its own half of the
# slice, and a request is paused again only after the whole half went round, so no two
# connections ever act on the same request at once.
transition_lua() {  # first last
  {
    echo "ids = {$(sed -n "$1,$2p" "$WORK/open_ids" | paste -sd, -)}"
    cat <<LUA
threads = 0
function setup(thread) thread:set("tid", threads); threads = threads + 1 end
counter = 0
request = function()
  local half = math.floor(#ids / 2)
  local k = counter % half
  local round = math.floor(counter / half)
  counter = counter + 1
  local id = ids[tid * half + k + 1]
  local action, body = "resume", '{"note":"bench"}'
  if round % 2 == 0 then action, body = "pause", '{"pause_reason":"waiting_parts","reason":"bench"}' end
  return wrk.format("POST", "/api/v1/tickets/" .. id .. "/actions/" .. action, {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer $TOKEN"}, body)
end
LUA
  } > "$WORK/transition.lua"
}

run() {  # conns wrk-args... → "rps p50 p99 non2xx"
  local out
  out=$(wrk --latency -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" -d"${DURATION}s" "${@:2}" 2>&1)
  local rps p50 p99 bad
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  bad=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "$rps $p50 $p99 ${bad:-0}"
}
row() {  # name conns base wrk-args...
  local name=$1 c=$2 base=$3
  read -r rps p50 p99 bad < <(run "$c" "${@:4}")
  local ratio
  ratio=$(awk -v a="$rps" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
  echo "| $name | $c | $rps | $ratio | $p50 | $p99 | $bad |"
}
AUTH=(-H "Authorization: Bearer $TOKEN")
# /healthz (the ceiling, left in $base for the rows after it), then the reads, at $1 connections.
ceiling_and_reads() {
  local c=$1
  read -r base b50 b99 _ < <(run "$c" "$BASE/healthz")
  echo "| GET /healthz (ceiling) | $c | $base | 1.00 | $b50 | $b99 | 0 |"
  row "GET one request" "$c" "$base" "${AUTH[@]}" "$BASE/api/v1/tickets/$TICKET"
  row "filtered, sorted page (open, by due time)" "$c" "$base" "${AUTH[@]}" "$BASE/api/v1/tickets?open=true&sort=next_due_at&limit=20"
  row "filtered page (customer, state, newest first)" "$c" "$base" "${AUTH[@]}" "$BASE/api/v1/tickets?customer_id=$CUSTOMER&state=closed,archived&limit=20"
  row "search descriptions (Chinese 漏水)" "$c" "$base" "${AUTH[@]}" "$BASE/api/v1/tickets?q=%E6%BC%8F%E6%B0%B4&limit=20"
  row "search descriptions (Chinese 冷水机组运行异响)" "$c" "$base" "${AUTH[@]}" "$BASE/api/v1/tickets?q=%E5%86%B7%E6%B0%B4%E6%9C%BA%E7%BB%84%E8%BF%90%E8%A1%8C%E5%BC%82%E5%93%8D&limit=20"
  row "dashboard (this month)" "$c" "$base" "${AUTH[@]}" "$BASE/api/v1/dashboard"
}
# (a list counts 1,000 past its offset: starting at the generated count, it counts them all)
STORED=$(api "/api/v1/tickets?limit=1&offset=$REQUESTS" |
  python3 -c 'import json,sys; b=json.load(sys.stdin); print(format(b["total"], ",") + ("" if b["total_exact"] else "+"))')
echo "Database: ${DATABASE%%://*}, $STORED requests stored; $OPEN_COUNT open requests for the transition runs"
echo
echo "| endpoint | conns | req/s | ratio to /healthz | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|---|"
slice=0
for c in $CONCURRENCY; do
  ceiling_and_reads "$c"
  export BENCH_NONCE="durable-$c-$(date +%s%N)"
  row "create a request (durable)" "$c" "$base" -s "$WORK/create.lua" "$BASE"
  if [ "$OPEN_COUNT" -ge 40 ]; then
    per=$(( OPEN_COUNT / 3 ))
    transition_lua $(( slice * per + 1 )) $(( slice * per + per ))
    slice=$(( slice + 1 ))
    row "lifecycle transition (pause/resume, durable)" "$c" "$base" -s "$WORK/transition.lua" "$BASE"
  fi
  row "log in (Argon2id, by design slow)" "$c" "$base" -s "$WORK/login.lua" "$BASE/api/v1/auth/login"
done
PID_RSS=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")
PID_HWM=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")
echo
echo "server memory after the runs: RSS $(( PID_RSS / 1024 )) MiB (peak $(( PID_HWM / 1024 )) MiB)"
api /metrics | grep -E '^aftersales_(db_group_commits|view_cache)_total' | sed 's/^/  /' || true
stop_server

# The reads again with the view cache off: every view rendered anew — the cost of a view that is
# not kept, e.g. right after a write.
echo
echo "Reads rendered every time (--view-cache-ms 0: no view kept):"
echo
echo "| endpoint | conns | req/s | ratio to /healthz | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|---|"
start_server --view-cache-ms 0
for c in $CONCURRENCY; do
  ceiling_and_reads "$c"
done
api /metrics | grep -E '^aftersales_view_cache_total' | sed 's/^/  /' || true
stop_server

if [[ "$DATABASE" == sqlite://* ]]; then
  echo
  echo "Request creation, the same server code with durability off (--no-durable: no fsync per commit):"
  echo
  echo "| endpoint | conns | req/s | ratio to /healthz | p50 | p99 | non-2xx |"
  echo "|---|---|---|---|---|---|---|"
  start_server --no-durable
  for c in $CONCURRENCY; do
    read -r base b50 b99 _ < <(run "$c" "$BASE/healthz")
    echo "| GET /healthz (ceiling) | $c | $base | 1.00 | $b50 | $b99 | 0 |"
    export BENCH_NONCE="nodurable-$c-$(date +%s%N)"
    row "create a request (durability off)" "$c" "$base" -s "$WORK/create.lua" "$BASE"
  done
  stop_server
  FILE=${DATABASE#sqlite://}
  echo
  echo "database file: $(( $(stat -c %s "$FILE") / 1048576 )) MiB"
else
  echo
  echo "database size: $(psql "$DATABASE" -Atc 'SELECT pg_size_pretty(pg_database_size(current_database()))')"
fi
