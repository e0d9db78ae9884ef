#!/usr/bin/env bash
# Mixed-load soak: the server on a fresh demo SQLite database under SOAK_MINUTES of steady mixed
# load from wrk, sampled every SOAK_SAMPLE_SECONDS; fails when memory or file descriptors keep
# growing, when the server dies, or when it answers 500.
#
#   SOAK_MINUTES=30 scripts/soak.sh          # make soak runs it after the crash soak
#
# Load (three wrk processes side by side, all as the demo admin, keep-alive connections):
#   reads   SOAK_READ_CONNS (4)   GET /api/v1/tickets/{id}, ids drawn from the demo set
#   lists   SOAK_LIST_CONNS (2)   filtered and sorted pages, full-text searches (Chinese), master data
#   writes  SOAK_WRITE_CONNS (2)  POST /api/v1/tickets with an Idempotency-Key (every 10th a retry
#                                 of the previous key, answered as a replay), then the triage
#                                 action on each created request; each connection pauses
#                                 SOAK_WRITE_DELAY_MS (40) between requests, so the database grows
#                                 at a steady, bounded pace (at most 2 × 25 writes/s, half of them
#                                 new requests) instead of as fast as the disk allows.
# Samples (CSV in the work dir, printed at the end): elapsed seconds, VmRSS and VmHWM (KiB) from
# /proc/PID/status, open file descriptors (/proc/PID/fd), threads, the database and WAL sizes,
# and the number of requests (tickets) in the database.
#
# The work dir (database, server log, samples.csv, wrk outputs) is kept: SOAK_WORK, or a new
# /tmp/aftersales-soak.XXXXXX.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${AFTERSALES_BIN:-build/aftersales}
SOAK_MINUTES=${SOAK_MINUTES:-30}
SOAK_SAMPLE_SECONDS=${SOAK_SAMPLE_SECONDS:-10}
SOAK_READ_CONNS=${SOAK_READ_CONNS:-4}
SOAK_LIST_CONNS=${SOAK_LIST_CONNS:-2}
SOAK_WRITE_CONNS=${SOAK_WRITE_CONNS:-2}
SOAK_WRITE_DELAY_MS=${SOAK_WRITE_DELAY_MS:-40}
# Growth tolerated between the middle and the last third of the samples (see verdict below).
SOAK_RSS_TOLERANCE_PCT=${SOAK_RSS_TOLERANCE_PCT:-10}
SOAK_RSS_TOLERANCE_MB=${SOAK_RSS_TOLERANCE_MB:-8}
SOAK_FD_TOLERANCE=${SOAK_FD_TOLERANCE:-4}
SOAK_WAL_TOLERANCE_MB=${SOAK_WAL_TOLERANCE_MB:-64}

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
command -v node >/dev/null || { echo "node is needed for the summary" >&2; exit 1; }
[ -x "$BIN" ] || { echo "$BIN is missing (make build)" >&2; exit 1; }
WORK=${SOAK_WORK:-$(mktemp -d /tmp/aftersales-soak.XXXXXX)}
mkdir -p "$WORK"
SERVER=""
WRK_PIDS=()
cleanup() {
  for p in "${WRK_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
}
trap cleanup EXIT

DB="$WORK/soak.db"
"$BIN" demo --database "sqlite://$DB" --quiet --log-level warn >/dev/null
"$BIN" serve --database "sqlite://$DB" --data-dir "$WORK" --listen 127.0.0.1:0 --no-access-log \
  --web-dir "$WORK/no-web" 2> "$WORK/server.log" &
SERVER=$!
PORT=""
for _ in $(seq 1 100); do
  PORT=$(grep -o '"port":[0-9]*' "$WORK/server.log" 2>/dev/null | head -1 | cut -d: -f2 || true)
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "$PORT" ] || { echo "the server did not start:" >&2; tail -5 "$WORK/server.log" >&2; exit 1; }
BASE="http://127.0.0.1:$PORT"
TOKEN=$(curl -s -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"username":"admin","password":"admin-demo-2026"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || { echo "login failed" >&2; exit 1; }
AUTH="Authorization: Bearer $TOKEN"
IDS=$(curl -s "$BASE/api/v1/tickets?limit=200" -H "$AUTH" | node -e '
        let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
          console.log(JSON.parse(s).items.map((t) => t.id).join(","));
        });')
[ -n "$IDS" ] || { echo "no demo requests found" >&2; exit 1; }
PROJECT=$(curl -s "$BASE/api/v1/projects?limit=1" -H "$AUTH" | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).items[0].id));')

# Status counting shared by the three scripts: 2xx/3xx, 4xx, 500, other 5xx, summed over threads.
STATUS_LUA='
local threads = {}
function setup(thread) table.insert(threads, thread) end
ok, client, s500, s5xx = 0, 0, 0, 0
function count(status)
  if status < 400 then ok = ok + 1 elseif status < 500 then client = client + 1
  elseif status == 500 then s500 = s500 + 1 else s5xx = s5xx + 1 end
end
function done(summary, latency, requests)
  local a, b, c, d = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("ok"); b = b + t:get("client"); c = c + t:get("s500"); d = d + t:get("s5xx")
  end
  io.write(string.format("STATUS ok=%d 4xx=%d 500=%d other5xx=%d\n", a, b, c, d))
end
'
cat > "$WORK/reads.lua" <<LUA
$STATUS_LUA
local ids = {$IDS}
request = function()
  return wrk.format("GET", "/api/v1/tickets/" .. ids[math.random(#ids)], {["Authorization"] = "Bearer $TOKEN"})
end
response = function(status, headers, body) count(status) end
LUA
cat > "$WORK/lists.lua" <<LUA
$STATUS_LUA
local paths = {
  "/api/v1/tickets?open=true&sort=next_due_at&limit=20",
  "/api/v1/tickets?q=%E6%BC%8F%E6%B0%B4&limit=20",
  "/api/v1/tickets?state=triaged&sort=-reported_at&limit=50",
  "/api/v1/tickets?grade=emergency,medium&open=true&limit=20&offset=20",
  "/api/v1/tickets?q=%E7%A9%BA%E8%B0%83&sort=-reported_at&limit=20",
  "/api/v1/customers?limit=20&sort=name",
  "/api/v1/projects?q=%E6%9C%BA%E6%88%BF&limit=20",
  "/api/v1/staff?limit=50",
}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1], {["Authorization"] = "Bearer $TOKEN"})
end
response = function(status, headers, body) count(status) end
LUA
cat > "$WORK/writes.lua" <<LUA
$STATUS_LUA
local counter, last_key, to_triage = 0, nil, {}
local tag = tostring(math.random(1, 1e9))
function delay() return $SOAK_WRITE_DELAY_MS end
request = function()
  local h = {["Authorization"] = "Bearer $TOKEN", ["Content-Type"] = "application/json"}
  if #to_triage > 0 then
    return wrk.format("POST", table.remove(to_triage, 1) .. "/actions/triage", h, '{"grade":"simple","nature":"other"}')
  end
  counter = counter + 1
  local key = "soak-" .. tag .. "-" .. counter
  if counter % 10 == 0 and last_key then key = last_key end  -- a client retry: answered as a replay
  last_key = key
  h["Idempotency-Key"] = key
  return wrk.format("POST", "/api/v1/tickets", h,
    '{"project_id": $PROJECT, "title": "浸泡测试 ' .. counter .. '", "description": "空调漏水，吊顶渗水，编号 ' .. counter .. '"}')
end
response = function(status, headers, body)
  count(status)
  if status == 201 and headers["Location"] then table.insert(to_triage, headers["Location"]) end
end
LUA

SERVER_PID=$SERVER
sample() {  # elapsed,rss_kb,hwm_kb,fds,threads,db_bytes,wal_bytes,tickets
  local st rss hwm thr fds db wal total
  st=$(cat "/proc/$SERVER_PID/status" 2>/dev/null) || return 1
  rss=$(echo "$st" | awk '/^VmRSS:/ {print $2}')
  hwm=$(echo "$st" | awk '/^VmHWM:/ {print $2}')
  thr=$(echo "$st" | awk '/^Threads:/ {print $2}')
  fds=$(ls "/proc/$SERVER_PID/fd" 2>/dev/null | wc -l)
  db=$(stat -c %s "$DB" 2>/dev/null || echo 0)
  wal=$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)
  total=$(curl -s --max-time 5 "$BASE/api/v1/tickets?limit=1" -H "$AUTH" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')
  echo "$(( $(date +%s) - START )),$rss,$hwm,$fds,$thr,$db,$wal,${total:-}"
}

DURATION=$(( SOAK_MINUTES * 60 ))
echo "soak: $SOAK_MINUTES min of mixed load on $BASE (server pid $SERVER_PID), work dir $WORK"
echo "elapsed_s,rss_kb,hwm_kb,fds,threads,db_bytes,wal_bytes,tickets" > "$WORK/samples.csv"
START=$(date +%s)
sample >> "$WORK/samples.csv"
wrk -t1 -c"$SOAK_READ_CONNS" -d"${DURATION}s" --timeout 10s --latency -s "$WORK/reads.lua" "$BASE" > "$WORK/wrk-reads.txt" 2>&1 &
WRK_PIDS+=($!)
wrk -t1 -c"$SOAK_LIST_CONNS" -d"${DURATION}s" --timeout 10s --latency -s "$WORK/lists.lua" "$BASE" > "$WORK/wrk-lists.txt" 2>&1 &
WRK_PIDS+=($!)
wrk -t1 -c"$SOAK_WRITE_CONNS" -d"${DURATION}s" --timeout 10s --latency -s "$WORK/writes.lua" "$BASE" > "$WORK/wrk-writes.txt" 2>&1 &
WRK_PIDS+=($!)
alive=1
while [ $(( $(date +%s) - START )) -lt "$DURATION" ]; do
  sleep "$SOAK_SAMPLE_SECONDS"
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then alive=0; break; fi
  sample >> "$WORK/samples.csv" || { alive=0; break; }
done
for p in "${WRK_PIDS[@]}"; do wait "$p" || true; done
WRK_PIDS=()
kill -0 "$SERVER_PID" 2>/dev/null || alive=0
if [ $alive -eq 1 ]; then
  sample >> "$WORK/samples.csv" || alive=0
  health=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$BASE/healthz" || true)
  [ "$health" = "200" ] || alive=0
fi

# Verdict. Warm-up first: the first fifth of the run (at least one minute) is left out — caches
# fill then (SQLite page caches of the pooled connections, the token cache, one metrics series
# per route, malloc arenas of the I/O and writer threads), which is growth that stops. The rest
# is cut in thirds and the median of the last third is compared with the median of the middle
# third. A leak grows with the number of requests served, so under steady load it shows as a
# steady rise that a comparison of two later thirds catches, while medians ignore the single
# samples taken during a burst (a group commit, a large list) that a first/last comparison
# would mistake for growth. RSS fails when it grew by more than SOAK_RSS_TOLERANCE_PCT percent
# and more than SOAK_RSS_TOLERANCE_MB MiB (the database does grow during the run, and SQLite and
# malloc may keep a little more for it); file descriptors fail when they grew by more than
# SOAK_FD_TOLERANCE (connections are fixed: every extra one is a leak). The WAL fails when it grew
# by more than half and more than SOAK_WAL_TOLERANCE_MB MiB: checkpoints restart it, so in a healthy
# run it rises and falls around the same level, while one that is never restarted (checkpoint
# starvation under continuous reads) only grows. The database file itself grows with the data the
# load creates and is reported. Threads are reported.
for f in reads lists writes; do
  grep -E 'Requests/sec|Non-2xx|Socket errors|STATUS|requests in' "$WORK/wrk-$f.txt" | sed "s/^/  $f: /" || true
done
set +e
node - "$WORK" "$alive" "$SOAK_RSS_TOLERANCE_PCT" "$SOAK_RSS_TOLERANCE_MB" "$SOAK_FD_TOLERANCE" "$SOAK_WAL_TOLERANCE_MB" <<'NODE'
const fs = require('fs');
const [work, alive, rssPct, rssMb, fdTol, walMb] = process.argv.slice(2);
const rows = fs.readFileSync(`${work}/samples.csv`, 'utf8').trim().split('\n').slice(1)
  .map((l) => l.split(',').map(Number))
  .map(([t, rss, hwm, fds, threads, db, wal, tickets]) => ({ t, rss, hwm, fds, threads, db, wal, tickets }));
const statuses = ['reads', 'lists', 'writes'].map((f) => {
  const m = /STATUS ok=(\d+) 4xx=(\d+) 500=(\d+) other5xx=(\d+)/.exec(fs.readFileSync(`${work}/wrk-${f}.txt`, 'utf8'));
  return m ? m.slice(1).map(Number) : [0, 0, 0, 0];
});
const total = statuses.reduce((a, s) => a.map((x, i) => x + s[i]), [0, 0, 0, 0]);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const end = rows.length ? rows[rows.length - 1].t : 0;
const warm = Math.max(60, end / 5);
const steady = rows.filter((r) => r.t >= warm);
const third = Math.floor(steady.length / 3);
const mid = steady.slice(third, 2 * third), last = steady.slice(2 * third);
const mb = (kb) => (kb / 1024).toFixed(1);
const failures = [];
if (alive !== '1') failures.push('the server died or stopped answering');
if (total[2] > 0) failures.push(`${total[2]} responses were 500`);
console.log(`\nsamples: ${rows.length} over ${end} s (every sample in ${work}/samples.csv)`);
console.log(`requests: ${total[0]} ok, ${total[1]} 4xx, ${total[2]} 500, ${total[3]} other 5xx`);
if (rows.length) {
  const f = rows[0], l = rows[rows.length - 1];
  console.log(`RSS: start ${mb(f.rss)} MiB, end ${mb(l.rss)} MiB, peak (VmHWM) ${mb(l.hwm)} MiB`);
  console.log(`fds: start ${f.fds}, end ${l.fds}; threads: start ${f.threads}, end ${l.threads}`);
  console.log(`database: ${(l.db / 1048576).toFixed(1)} MiB + WAL ${(l.wal / 1048576).toFixed(1)} MiB; requests in it: ${f.tickets} → ${l.tickets}`);
}
if (third < 2) {
  failures.push(`too few samples after the ${warm.toFixed(0)} s warm-up to judge a trend (run longer)`);
} else {
  const rm = median(mid.map((r) => r.rss)), rl = median(last.map((r) => r.rss));
  const fm = median(mid.map((r) => r.fds)), fl = median(last.map((r) => r.fds));
  const tm = median(mid.map((r) => r.threads)), tl = median(last.map((r) => r.threads));
  const grow = ((rl - rm) / rm) * 100;
  console.log(`trend after ${warm.toFixed(0)} s warm-up, median of middle third → last third (${mid.length} and ${last.length} samples):`);
  console.log(`  RSS ${mb(rm)} → ${mb(rl)} MiB (${grow >= 0 ? '+' : ''}${grow.toFixed(1)} %; fails above +${rssPct} % and +${rssMb} MiB)`);
  console.log(`  fds ${fm} → ${fl} (fails above +${fdTol}); threads ${tm} → ${tl}`);
  if (grow > Number(rssPct) && (rl - rm) / 1024 > Number(rssMb)) failures.push(`RSS keeps growing (+${grow.toFixed(1)} %)`);
  if (fl - fm > Number(fdTol)) failures.push(`file descriptors keep growing (${fm} → ${fl})`);
  const wm = median(mid.map((r) => r.wal)), wl = median(last.map((r) => r.wal));
  const walMax = Math.max(...rows.map((r) => r.wal));
  console.log(`  WAL ${(wm / 1048576).toFixed(1)} → ${(wl / 1048576).toFixed(1)} MiB, largest ${(walMax / 1048576).toFixed(1)} MiB ` +
              `(fails above +50 % and +${walMb} MiB)`);
  if (wl > wm * 1.5 && (wl - wm) / 1048576 > Number(walMb)) failures.push(`the WAL keeps growing (checkpoints never restart it)`);
  if (tl > tm) console.log('  note: the thread count grew');
}
if (failures.length) { console.log(`SOAK FAILED: ${failures.join('; ')}`); process.exit(1); }
console.log('SOAK PASSED: no growth trend in RSS, file descriptors or WAL, no 500, server alive');
NODE
rc=$?
exit $rc
