// The bad-input corpus: what the bad_input_*.test.mjs files send to every write endpoint, and
// the tools they share (a world of records to aim at, a database snapshot, problem checks).
//
// The write endpoints are read from the server's /api/openapi.json at test time; every one of
// them needs an entry in TARGETS below (what to aim at and a plausible body), so a new route
// without corpus coverage fails the run. From the route's documented request schema the corpus
// derives wrong types, missing and unknown fields, over-long strings, control characters, bad
// enums, dates and numbers out of range; to every route it sends malformed JSON, wrong content
// types, deep nesting, invalid UTF-8, bodies beyond the limit, bad path ids and missing
// credentials. Each must be answered by a 4xx problem+json that names the problem, with the
// database unchanged.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { BACKEND, psql, uniq, tinyPng } from './lib.mjs';

// ---------------------------------------------------------------------------------------------
// Strings that are valid but hostile: stored verbatim, returned verbatim (JSON-escaped).
export const HOSTILE = [
  `'; DROP TABLE tickets; --`,
  `' OR '1'='1`,
  `1; DELETE FROM audit_log WHERE 1=1`,
  `Robert'); DROP TABLE customers;--`,
  `" OR ""="`,
  `%' AND 1=0 UNION SELECT password_hash FROM users --`,
  `\\'; SELECT pg_sleep(5); --`,
  `$1 $$ $$; COPY users TO '/tmp/x'`,
  `<script>alert(document.cookie)</script>`,
  `<img src=x onerror="alert(1)">`,
  `"><svg/onload=alert(1)>`,
  `javascript:alert(1)`,
  `{{constructor.constructor('alert(1)')()}}`,
  `\${7*7} #{7*7} <%= 7*7 %>`,
  `../../../../etc/passwd`,
  `%00%0d%0a Set-Cookie: x=1`,
  `𝕳𝖊𝖑𝖑𝖔 emoji 😀 RTL שלום 中文 — "quotes" \\ backslash`,
];

// ---------------------------------------------------------------------------------------------
// Raw JSON fragments (numbers JSON.stringify cannot write).
export class Raw {
  constructor(text) { this.text = text; }
}
export function toJson(value) {
  const raws = [];
  const text = JSON.stringify(value, (k, v) => {
    if (v instanceof Raw) {
      raws.push(v.text);
      return `\u0001RAW${raws.length - 1}\u0001`;
    }
    return v;
  });
  return text.replace(/"\\u0001RAW(\d+)\\u0001"/g, (_, i) => raws[Number(i)]);
}

// ---------------------------------------------------------------------------------------------
// Checks.

// A problem+json with a 4xx status; `field` (when given) named in errors[] (exactly, or as the
// prefix of a nested path such as contacts[0].email). Returns a description of what is wrong, or
// null when the answer is right: the callers collect these and report them all at once.
export function problemIssue(res, { status, statuses, field, rules } = {}) {
  const got = `${res.status} ${typeof res.body === 'string' ? res.body.slice(0, 200) : JSON.stringify(res.body).slice(0, 400)}`;
  // A field is named by a validation answer; otherwise any 4xx unless told which.
  const ok = statuses ?? (status ? [status] : field ? [400, 409, 422] : null);
  if (ok ? !ok.includes(res.status) : !(res.status >= 400 && res.status < 500)) return `status: ${got}`;
  const ct = res.headers.get('content-type') || '';
  if (ct !== 'application/problem+json') return `content-type ${ct}: ${got}`;
  const b = res.body;
  if (!b || typeof b !== 'object' || b.status !== res.status || !b.title || !Array.isArray(b.errors))
    return `not a problem document: ${got}`;
  if (field) {
    const named = b.errors.filter((e) => e.field === field || e.field.startsWith(field + '[') || e.field.startsWith(field + '.'));
    if (!named.length) return `field ${field} not named: ${got}`;
    if (rules && !named.some((e) => rules.includes(e.rule))) return `rule of ${field} not in [${rules}]: ${got}`;
    if (named.some((e) => !e.rule || !e.message)) return `field error without rule or message: ${got}`;
  }
  return null;
}

export function expectProblem(res, opts) {
  const issue = problemIssue(res, opts);
  assert.equal(issue, null, issue ?? '');
}

// ---------------------------------------------------------------------------------------------
// Database snapshot: row count and a checksum of every table, read straight from the database
// (the SQLite file read-only through the sqlite3 shell, or psql). Columns that change on reads
// by design are left out: auth_tokens.last_used_at (recorded at most every five minutes).
const VOLATILE = { auth_tokens: ['last_used_at'] };

function tableColumns(db) {
  if (db._columns) return db._columns;
  let rows;
  if (BACKEND === 'postgres') {
    rows = psql(db.url, `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'
      AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE')
      ORDER BY table_name, ordinal_position`);
  } else {
    rows = sqlite(db, `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
      WHERE m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL TABLE%'
        AND m.name NOT IN (SELECT v.name || s.suffix FROM sqlite_master v,
          (SELECT '_config' AS suffix UNION ALL SELECT '_data' UNION ALL SELECT '_docsize' UNION ALL SELECT '_idx'
           UNION ALL SELECT '_content') s WHERE v.sql LIKE 'CREATE VIRTUAL TABLE%')
      ORDER BY m.name, p.cid`);
    // The full-text index (an FTS5 table and its shadow tables) is left out: it is only written
    // with a new request, whose tickets row is compared.
  }
  const cols = {};
  for (const line of rows.split('\n').filter(Boolean)) {
    const [t, c] = line.split('|');
    if ((VOLATILE[t] || []).includes(c)) continue;
    (cols[t] ||= []).push(c);
  }
  db._columns = cols;
  return cols;
}

function sqlite(db, sql) {
  const file = db.url.slice('sqlite://'.length);
  return execFileSync('sqlite3', ['-readonly', '-batch', file, sql], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

// { table: "count checksum" } for every table.
export function snapshot(db) {
  const cols = tableColumns(db);
  const tables = Object.keys(cols).sort();
  let out;
  if (BACKEND === 'postgres') {
    out = psql(db.url, tables.map((t) => {
      const list = cols[t].map((c) => `"${c}"`).join(', ');
      return `SELECT '${t}' || '|' || count(*) || '|' || coalesce(md5(string_agg(x::text, E'\\n' ORDER BY x::text)), '-') FROM (SELECT ${list} FROM "${t}") x`;
    }).join(' UNION ALL '));
  } else {
    out = sqlite(db, tables.map((t) => {
      const list = cols[t].map((c) => `"${c}"`).join(', ');
      return `SELECT '${t}', (SELECT count(*) FROM "${t}"), hex(sha3_query('SELECT ${list} FROM "${t}" ORDER BY rowid'))`;
    }).join(' UNION ALL '));
  }
  const snap = {};
  for (const line of out.split('\n').filter(Boolean)) {
    const [t, n, sum] = line.split('|');
    snap[t] = `${n} ${sum}`;
  }
  return snap;
}

// The tables whose rows differ between two snapshots.
export function snapshotDiff(a, b) {
  const changed = [];
  for (const t of new Set([...Object.keys(a), ...Object.keys(b)]))
    if (a[t] !== b[t]) changed.push(`${t}: ${a[t]} → ${b[t]}`);
  return changed;
}

// ---------------------------------------------------------------------------------------------
// The write routes of the OpenAPI document.
export async function writeOperations(s) {
  const r = await s.call('GET', '/api/openapi.json');
  assert.equal(r.status, 200);
  const ops = [];
  for (const [path, item] of Object.entries(r.body.paths))
    for (const [method, op] of Object.entries(item)) {
      if (!['post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = op.requestBody?.content ?? {};
      const params = op.parameters ?? [];
      ops.push({
        key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, op,
        json: Boolean(content['application/json']),
        binary: Object.keys(content).length > 0 && !content['application/json'],
        schema: content['application/json']?.schema ?? null,
        pathParams: params.filter((p) => p.in === 'path'),
        ifMatch: params.some((p) => p.in === 'header' && p.name === 'If-Match'),
        public: Array.isArray(op.security) && op.security.length === 0,
      });
    }
  return ops;
}

export function fillPath(path, params) {
  return path.replace(/\{(\w+)\}/g, (_, k) => {
    if (params[k] === undefined) throw new Error(`no value for {${k}} in ${path}`);
    return encodeURIComponent(String(params[k])).replace(/%2F/gi, '/');
  });
}

// ---------------------------------------------------------------------------------------------
// Requests. A case is { name, body | raw, ct, headers, expect }; `raw` is sent as is (a string or
// bytes), `body` as JSON (with Raw fragments).
export async function send(s, method, path, c, { token, headers = {} } = {}) {
  const h = { ...headers, ...(c.headers || {}) };
  if (token && !h.authorization) h.authorization = `Bearer ${token}`;
  let payload;
  if (c.raw !== undefined) payload = typeof c.raw === 'string' ? Buffer.from(c.raw, 'utf8') : c.raw;
  else if (c.body !== undefined) payload = Buffer.from(toJson(c.body), 'utf8');
  if (payload !== undefined) {
    const ct = c.ct === undefined ? 'application/json' : c.ct;
    if (ct !== null) h['content-type'] = ct;
  }
  for (const [k, v] of Object.entries(h)) if (v === null) delete h[k];
  let res;
  try {
    res = await fetch(s.base + path, { method, headers: h, body: payload, redirect: 'manual' });
  } catch (e) {
    return { status: 0, headers: new Headers(), body: `fetch failed: ${e.cause?.code ?? e.message}` };
  }
  const text = await res.text();
  let body = text;
  if ((res.headers.get('content-type') || '').includes('json') && text) {
    try { body = JSON.parse(text); } catch { body = text; }
  }
  return { status: res.status, headers: res.headers, body };
}

// Runs cases a few at a time; returns the list of issues ("route › case: what is wrong").
export async function runCases(s, label, method, path, cases, opts) {
  const issues = [];
  const width = 6;
  if (process.env.BI_SKIP) cases = cases.filter((c) => !new RegExp(process.env.BI_SKIP).test(`${label} › ${c.name}`));
  for (let i = 0; i < cases.length; i += width) {
    await Promise.all(cases.slice(i, i + width).map(async (c) => {
      const res = await send(s, c.method ?? method, c.path ?? path, c, { token: c.token === undefined ? opts.token : c.token });
      const issue = problemIssue(res, c.expect);
      if (issue) issues.push(`${label} › ${c.name}: ${issue}`);
    }));
  }
  return issues;
}

export async function healthy(s) {
  try {
    const r = await s.call('GET', '/healthz');
    return r.status === 200 && s.child.exitCode === null;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Cases every route with a JSON body gets.
export const LIMIT = 2 * 1024 * 1024;
export function genericBodyCases({ limit = LIMIT, emptyOk = false } = {}) {
  const cases = [
    { name: 'truncated JSON', raw: '{"name": ', expect: { status: 400, field: 'body', rules: ['json'] } },
    { name: 'JSON with a trailing comma', raw: '{"a": 1,}', expect: { status: 400, field: 'body', rules: ['json'] } },
    { name: 'single quotes', raw: "{'a': 1}", expect: { status: 400, field: 'body', rules: ['json'] } },
    { name: 'two documents', raw: '{}{}', expect: { status: 400, field: 'body', rules: ['json'] } },
    { name: 'NaN literal', raw: '{"a": NaN}', expect: { status: 400, field: 'body', rules: ['json'] } },
    { name: 'comment', raw: '{/* x */}', expect: { status: 400, field: 'body', rules: ['json'] } },
    { name: 'array body', raw: '[1,2]', expect: { status: 400, field: 'body', rules: ['type'] } },
    { name: 'string body', raw: '"x"', expect: { status: 400, field: 'body', rules: ['type'] } },
    { name: 'number body', raw: '42', expect: { status: 400, field: 'body', rules: ['type'] } },
    { name: 'null body', raw: 'null', expect: { status: 400, field: 'body', rules: ['type'] } },
    { name: 'text/plain', raw: '{}', ct: 'text/plain', expect: { status: 400, field: 'content-type' } },
    { name: 'form encoded', raw: 'a=1&b=2', ct: 'application/x-www-form-urlencoded', expect: { status: 400, field: 'content-type' } },
    { name: 'no content type', raw: Buffer.from('{}'), ct: null, expect: { status: 400, field: 'content-type' } },
    { name: 'multipart', raw: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n', ct: 'multipart/form-data; boundary=x', expect: { status: 400, field: 'content-type' } },
    { name: 'nested 40 deep', raw: '{"a":' + '['.repeat(40) + ']'.repeat(40) + '}', expect: { status: 400, field: 'body', rules: ['max_depth'] } },
    { name: 'nested 100000 deep', raw: '['.repeat(100000), expect: { status: 400, field: 'body' } },
    { name: 'invalid UTF-8 in a string', raw: Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]), expect: { status: 400, field: 'body', rules: ['json'] } },
    { name: 'overlong UTF-8 slash', raw: Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]), expect: { status: 400, field: 'body', rules: ['json'] } },
    { name: 'UTF-8 surrogate bytes', raw: Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]), expect: { status: 400, field: 'body', rules: ['json'] } },
    { name: 'lone surrogate escape', raw: '{"a":"\\ud800"}', expect: { status: 400, field: 'body', rules: ['json'] } },
    { name: 'raw NUL byte', raw: Buffer.from('{"a":"x\u0000y"}'), expect: { status: 400, field: 'body', rules: ['json'] } },
    { name: 'UTF-16 body', raw: Buffer.from('{"a":1}', 'utf16le'), expect: { status: 400, field: 'body' } },
    { name: `body beyond the limit (${limit} bytes)`, raw: '{"a":"' + 'x'.repeat(limit + 1024) + '"}', expect: { status: 413 } },
  ];
  if (!emptyOk) cases.push({ name: 'empty body', raw: '', expect: { status: 400, field: 'body', rules: ['required'] } });
  return cases;
}

// Cases for routes that take no body: an empty body (or {}) is the only acceptable one.
export function noBodyCases() {
  return [
    { name: 'malformed body', raw: '{"a": ', expect: { status: 400, field: 'body' } },
    { name: 'array body', raw: '[1]', expect: { status: 400, field: 'body' } },
    { name: 'unexpected field', body: { force: true }, expect: { statuses: [400, 422], field: 'force' } },
    { name: 'text body', raw: 'hello', ct: 'text/plain', expect: { status: 400 } },
    { name: 'invalid UTF-8 body', raw: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), expect: { status: 400, field: 'body' } },
    { name: 'nested 100000 deep', raw: '['.repeat(100000), expect: { status: 400, field: 'body' } },
    { name: 'body beyond the limit', raw: '{"a":"' + 'x'.repeat(LIMIT + 1024) + '"}', expect: { status: 413 } },
  ];
}

// Cases for the path parameters of a route: ids that are not ids, ids of nothing.
export function pathCases(path, params) {
  const cases = [];
  for (const name of (path.match(/\{(\w+)\}/g) || []).map((m) => m.slice(1, -1))) {
    const bad = name === 'action'
      ? ['no_such_action', 'DROP TABLE tickets', '..%2F..%2Fadmin', '%00', 'x'.repeat(2000)]
      : name === 'token'
        ? ['x', "' OR '1'='1", 'svy_' + 'A'.repeat(43), '..%2F..%2Fetc%2Fpasswd', 'x'.repeat(3000)]
        : ['abc', '0', '-1', '1.5', '1e3', '0x10', '99999999999999999999', '9223372036854775807', '999999999', "1' OR '1'='1", '1;DROP', '%00', '..%2F1', ' 1'];
    for (const v of bad) {
      const p = { ...params, [name]: '\u0000' };
      const target = fillPath(path, p).replace('%00', v.replace(/ /g, '%20').replace(/'/g, '%27'));
      cases.push({ name: `{${name}} = ${v.slice(0, 40)}`, path: target, expect: { statuses: [400, 404, 410] } });
    }
  }
  return cases;
}

// Credentials: none, malformed, unknown.
export function authCases() {
  return [
    { name: 'no credentials', token: null, expect: { status: 401 } },
    { name: 'unknown bearer token', token: 'ast_' + randomBytes(32).toString('base64url'), expect: { status: 401 } },
    { name: 'SQL in the bearer token', token: "x' OR '1'='1", expect: { status: 401 } },
    { name: 'huge bearer token', token: 'x'.repeat(8000), expect: { statuses: [401, 431] } },
    { name: 'cookie with SQL', token: null, headers: { cookie: "as_session=' OR 1=1 --" }, expect: { status: 401 } },
  ];
}

// ---------------------------------------------------------------------------------------------
// Cases derived from a request schema: for each documented property, values of the wrong type,
// strings too long or with control characters, enums, numbers and dates out of range, arrays too
// long or with bad items; each required property left out (creating); unknown fields.
const STR_HUGE = 300 * 1024;
export const SKIP_PROPS = new Set(['id', 'version', 'created_at', 'updated_at']);

function typesOf(schema) {
  const t = schema.type;
  return (Array.isArray(t) ? t : [t]).filter((x) => x && x !== 'null');
}

function wrongValues(schema) {
  const t = typesOf(schema)[0];
  switch (t) {
    case 'string': return [12345, { $ne: '' }, ['x']];
    case 'integer': return ['1', 1.5, true, new Raw('1e400')];
    case 'number': return ['1.5', true, [1]];
    case 'boolean': return ['true', 1];
    case 'array': return ['x', { 0: 1 }];
    case 'object': return ['x', [1], 7];
    default: return [];
  }
}

export function schemaCases(schema, { base = {}, creating = true, prefix = '' } = {}) {
  const cases = [];
  if (!schema || !schema.properties) return cases;
  const with_ = (k, v) => ({ ...base, [k]: v });
  for (const [k, p] of Object.entries(schema.properties)) {
    if (SKIP_PROPS.has(k) || p.readOnly) continue;
    const field = prefix + k;
    const types = typesOf(p);
    for (const v of wrongValues(p)) {
      if (v === null && Array.isArray(p.type) && p.type.includes('null')) continue;
      // A number beyond a double cannot be parsed at all: the body is refused as a whole.
      if (v instanceof Raw) cases.push({ name: `${field} = ${v.text}`, body: with_(k, v), expect: { status: 400, field: 'body' } });
      else cases.push({ name: `${field} = ${toJson(v)}`, body: with_(k, v), expect: { field } });
    }
    if (types[0] === 'string') {
      if (p.enum) {
        cases.push({ name: `${field} not in enum`, body: with_(k, 'zz_not_a_value'), expect: { field, rules: ['enum'] } });
        cases.push({ name: `${field} enum with SQL`, body: with_(k, `${p.enum[0]}' OR '1'='1`), expect: { field, rules: ['enum'] } });
        continue;
      }
      const max = p.maxLength;
      if (max) cases.push({ name: `${field} of ${max + 1} characters`, body: with_(k, '长'.repeat(max + 1)), expect: { field, rules: ['max_length', 'length', 'format'] } });
      cases.push({ name: `${field} of ${STR_HUGE} bytes`, body: with_(k, 'x'.repeat(STR_HUGE)), expect: { field, rules: ['max_length', 'length', 'format'] } });
      cases.push({ name: `${field} with NUL`, body: with_(k, 'a\u0000b'), expect: { field, rules: ['control_characters', 'format'] } });
      cases.push({ name: `${field} with ESC`, body: with_(k, 'x\u001b[2Jy'), expect: { field, rules: ['control_characters', 'format'] } });
      if (p.format === 'date') {
        for (const d of ['2026-02-30', '2026-13-01', '10000-01-01', '0000-01-01', '1899-12-31', '2026-1-1', '20260101'])
          cases.push({ name: `${field} = ${d}`, body: with_(k, d), expect: { field } });
      }
      if (p.format === 'date-time') {
        for (const d of ['2026-02-30T10:00:00Z', 'yesterday', '2026-01-01T25:00:00Z', '275760-09-13T00:00:00Z', '9999-12-31T23:59:59Z', '1800-01-01T00:00:00Z', '2026-01-01'])
          cases.push({ name: `${field} = ${d}`, body: with_(k, d), expect: { field } });
      }
      if (p.format === 'email') {
        for (const e of ['not-an-email', 'a@', '@b.c', 'a b@c.d'])
          cases.push({ name: `${field} = ${e}`, body: with_(k, e), expect: { field, rules: ['format'] } });
      }
    }
    if (types[0] === 'integer' || types[0] === 'number') {
      const lo = p.minimum, hi = p.maximum;
      if (hi !== undefined) cases.push({ name: `${field} above ${hi}`, body: with_(k, hi * 10 + 1), expect: { field, rules: ['range'] } });
      if (lo !== undefined) cases.push({ name: `${field} below ${lo}`, body: with_(k, lo - 1), expect: { field, rules: ['range', 'type'] } });
      if (types[0] === 'integer') {
        cases.push({ name: `${field} = 2^64`, body: with_(k, new Raw('18446744073709551616')), expect: { field } });
        cases.push({ name: `${field} = 2^63`, body: with_(k, new Raw('9223372036854775808')), expect: { field } });
        if (lo !== undefined && lo >= 0 || k.endsWith('_id') || k === 'quantity')
          cases.push({ name: `${field} = -2^63`, body: with_(k, new Raw('-9223372036854775808')), expect: { field } });
      } else {
        cases.push({ name: `${field} = -1e308`, body: with_(k, new Raw('-1e308')), expect: { field, rules: ['range'] } });
      }
    }
    if (types[0] === 'array') {
      const it = p.items || {};
      const max = p.maxItems ?? 10000;  // undocumented: still, no endpoint takes ten thousand
      const good = typesOf(it)[0] === 'integer' ? 1 : typesOf(it)[0] === 'object' ? {} : 'x';
      cases.push({ name: `${field} with ${max + 1} items`, body: with_(k, Array.from({ length: max + 1 }, (_, i) => (typeof good === 'number' ? i + 1 : good))), expect: { field } });
      const itemWrong = typesOf(it)[0] === 'string' ? 7 : typesOf(it)[0] === 'object' ? 'x' : 'x';
      cases.push({ name: `${field}[0] of the wrong type`, body: with_(k, [itemWrong]), expect: { field: `${field}[0]` } });
      if (typesOf(it)[0] === 'integer') {
        cases.push({ name: `${field}[0] = 0`, body: with_(k, [0]), expect: { field: `${field}[0]` } });
        cases.push({ name: `${field}[0] = 2^64`, body: with_(k, [new Raw('18446744073709551616')]), expect: { field: `${field}[0]` } });
      }
      if (typesOf(it)[0] === 'string') {
        cases.push({ name: `${field}[0] with NUL`, body: with_(k, ['a\u0000b']), expect: { field: `${field}[0]`, rules: ['format', 'control_characters', 'enum'] } });
        cases.push({ name: `${field}[0] huge`, body: with_(k, ['x'.repeat(STR_HUGE)]), expect: { field: `${field}[0]`, rules: ['format', 'max_length', 'enum'] } });
      }
      if (typesOf(it)[0] === 'object' && it.properties) {
        cases.push({ name: `${field}[0] with an unknown field`, body: with_(k, [{ ...sampleObject(it), zz_unknown: 1 }]), expect: { field: `${field}[0].zz_unknown`, rules: ['unknown'] } });
        for (const r of it.required || [])
          cases.push({ name: `${field}[0] without ${r}`, body: with_(k, [omit(sampleObject(it), r)]), expect: { field: `${field}[0].${r}`, rules: ['required'] } });
        for (const [ik, ip] of Object.entries(it.properties)) {
          const wv = wrongValues(ip)[0];
          if (wv === undefined) continue;
          cases.push({ name: `${field}[0].${ik} = ${toJson(wv)}`, body: with_(k, [{ ...sampleObject(it), [ik]: wv }]), expect: { field: `${field}[0].${ik}` } });
        }
      }
    }
    if (types[0] === 'object' && p.properties) {
      cases.push({ name: `${field} with an unknown field`, body: with_(k, { ...sampleObject(p), zz_unknown: 1 }), expect: { field: `${field}.zz_unknown`, rules: ['unknown'] } });
      for (const [ik, ip] of Object.entries(p.properties)) {
        const wv = wrongValues(ip)[0];
        if (wv === undefined) continue;
        cases.push({ name: `${field}.${ik} = ${toJson(wv)}`, body: with_(k, { ...sampleObject(p), [ik]: wv }), expect: { field: `${field}.${ik}` } });
      }
    }
  }
  if (creating)
    for (const r of schema.required || []) {
      if (SKIP_PROPS.has(r)) continue;
      cases.push({ name: `without ${r}`, body: omit(base, r), expect: { field: prefix + r, rules: ['required'] } });
      const t = schema.properties?.[r]?.type;
      if (!(Array.isArray(t) && t.includes('null')))
        cases.push({ name: `${r} = null`, body: { ...base, [r]: null }, expect: { field: prefix + r } });
    }
  for (const u of ['zz_unknown', 'Name', 'is_admin', 'customer_id ', '__proto__', 'constructor'])
    if (!(schema.properties && u in schema.properties)) {
      const text = toJson(base).replace(/}$/, (Object.keys(base).length ? ',' : '') + `${JSON.stringify(u)}:{"polluted":true}}`);
      cases.push({ name: `unknown field ${JSON.stringify(u)}`, raw: text, expect: { field: prefix + u, rules: ['unknown'] } });
    }
  return cases;
}

export function omit(o, k) {
  const c = { ...o };
  delete c[k];
  return c;
}

// A plausible value for every required property of an object schema.
export function sampleObject(schema) {
  const o = {};
  for (const k of schema.required || []) o[k] = sampleValue(schema.properties?.[k] || {}, k);
  return o;
}
function sampleValue(p, k) {
  const t = typesOf(p)[0];
  if (p.enum) return p.enum[0];
  if (t === 'integer') return p.minimum > 1 ? p.minimum : 1;
  if (t === 'number') return p.minimum ?? 1;
  if (t === 'boolean') return true;
  if (t === 'array') return [];
  if (t === 'object') return sampleObject(p);
  if (p.format === 'date') return '2026-01-15';
  if (p.format === 'date-time') return '2026-01-15T08:00:00Z';
  if (p.format === 'email') return 'a@example.com';
  return `${k}-${randomBytes(3).toString('hex')}`;
}

// ---------------------------------------------------------------------------------------------
// The payloads of the lifecycle actions (the OpenAPI document describes them as "an object"):
// service requests from app/ticket_payloads.cc, complaints from app/complaints.cc.
const text = (maxLength = 2000) => ({ type: 'string', maxLength });
const choice = (values) => ({ type: 'string', enum: values });
const num = (minimum, maximum) => ({ type: 'number', minimum, maximum });
const ref = () => ({ type: 'integer', minimum: 1 });
const flag = () => ({ type: 'boolean' });
const ids = (maxItems = 50) => ({ type: 'array', maxItems, items: { type: 'integer', minimum: 1 } });
const date = () => ({ type: ['string', 'null'], format: 'date' });
const strings = () => ({ type: 'array', maxItems: 50, items: { type: 'string' } });
const list = (properties, required, maxItems = 100) =>
  ({ type: 'array', maxItems, items: { type: 'object', properties, required, additionalProperties: false } });
const obj = (properties, required = []) => ({ type: 'object', properties, required, additionalProperties: false });

const GRADES = ['emergency', 'consultation', 'simple', 'medium', 'complex', 'general_defect', 'feedback', 'complaint'];
const NATURE = { type: 'string', enum: ['coating_damage'] };  // one valid value: enough to build bodies
const CAUSE = { type: 'string', enum: ['construction'] };
export const TICKET_ACTIONS = {
  acknowledge: obj({ note: text() }),
  triage: obj({ grade: choice(GRADES), nature: NATURE, note: text() }, ['grade', 'nature']),
  regrade: obj({ grade: choice(GRADES), nature: NATURE, reason: text() }, ['grade', 'reason']),
  contact_customer: obj({ method: choice(['phone', 'sms', 'wechat', 'email', 'visit']), note: text() }),
  answer_consultation: obj({ answer: text(4000), attachment_ids: ids() }, ['answer']),
  remote_fix: obj({ note: text(4000), attachment_ids: ids() }, ['note']),
  dispatch: obj({ lead_staff_id: ref(), auto: flag(), note: text(), staff_ids: ids() }),
  reassign: obj({ lead_staff_id: ref(), auto: flag(), reason: text(), staff_ids: ids() }, ['reason']),
  depart: obj({ note: text(), staff_ids: ids() }),
  arrive: obj({ latitude: num(-90, 90), longitude: num(-180, 180), note: text() }),
  leave_site: obj({ note: text() }),
  record_diagnosis: obj({
    findings: text(4000), cause: CAUSE, severity: choice(['minor', 'moderate', 'major', 'critical']), major_defect: flag(),
    nature: NATURE, recommendation: text(4000), customer_representative: text(100), customer_signature_attachment_id: ref(),
    customer_opinion: text(), contractor_opinion: text(),
    measurements: list({ instrument: text(100), value: num(-1e12, 1e12), unit: text(30), location: text(200) }, ['instrument', 'value', 'unit']),
    attachment_ids: ids(),
  }, ['findings', 'cause', 'severity']),
  submit_plan: obj({
    goal: text(), scope: text(4000), process: text(4000), steps: strings(), quality_standard: text(), safety_measures: text(),
    schedule_start: date(), schedule_end: date(), resources: text(), cost_amount: num(0, 1e10),
    cost_bearing: choice(['free', 'at_cost', 'paid', 'disputed']), cost_override_reason: text(1000),
    materials: list({ name: text(200), spec: text(200), quantity: num(0, 1e9), unit: text(30) }, ['name']),
    attachment_ids: ids(),
  }, ['goal', 'scope']),
  review_plan: obj({ comment: text() }),
  reject_plan: obj({ reason: text() }, ['reason']),
  approve_plan: obj({ comment: text() }),
  chief_approve_plan: obj({ comment: text() }),
  confirm_plan: obj({ signer_name: text(100), signature_attachment_id: ref(), comment: text() }),
  customer_reject_plan: obj({ reason: text() }, ['reason']),
  start_repair: obj({ note: text() }),
  change_plan: obj({ reason: text() }, ['reason']),
  complete_self_check: obj({ note: text(), checklist: list({ item: text(200), passed: flag() }, ['item']), attachment_ids: ids() }),
  internal_accept: obj({ note: text(), attachment_ids: ids() }),
  internal_reject: obj({ reason: text(), attachment_ids: ids() }, ['reason']),
  customer_accept: obj({ signer_name: text(100), signature_attachment_id: ref(), comment: text(), attachment_ids: ids() }),
  customer_reject: obj({ reason: text(), attachment_ids: ids() }, ['reason']),
  close: obj({ summary: text(4000) }),
  archive: obj({ note: text() }),
  reopen: obj({ reason: text() }, ['reason']),
  cancel: obj({ reason: text() }, ['reason']),
  pause: obj({ pause_reason: choice(['waiting_customer', 'waiting_parts', 'customer_requested', 'other']), reason: text() }, ['pause_reason', 'reason']),
  resume: obj({ note: text() }),
};

export const COMPLAINT_ACTIONS = {
  acknowledge: obj({ note: text() }),
  start_investigation: obj({ team_staff_ids: ids(), note: text() }, ['team_staff_ids']),
  record_investigation: obj({ findings: text(4000), cause: { type: 'string', enum: ['service_attitude'] }, responsible_department_id: ref(),
    responsible_staff_id: ref(), evidence_attachment_ids: ids(), opinion: text(4000) }, ['findings', 'cause', 'responsible_department_id']),
  draft_plan: obj({ plan: text(4000) }, ['plan']),
  review_plan: obj({ comment: text() }),
  approve_plan: obj({ note: text() }),
  reject_plan: obj({ reason: text() }, ['reason']),
  give_feedback: obj({ result: text(4000) }, ['result']),
  customer_satisfied: obj({ comment: text() }),
  customer_unsatisfied: obj({ reason: text() }, ['reason']),
  cancel: obj({ reason: text() }, ['reason']),
};

// ---------------------------------------------------------------------------------------------
// A world of records to aim the corpus at, built through the API.
export async function buildWorld(s) {
  const w = { admin: await s.login() };
  const mk = async (path, body, token = w.admin) => {
    const r = await s.call('POST', path, { token, body });
    assert.ok([200, 201].includes(r.status), `${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  w.mk = mk;
  w.customer = await mk('/api/v1/customers', { name: uniq('坏输入客户'), contacts: [{ name: '张工', phone: '13800000000' }] });
  w.project = await mk('/api/v1/projects', { customer_id: w.customer.id, name: uniq('坏输入项目'), type: 'mep', completion_date: '2025-06-01', warranty_months: 24 });
  w.asset = await mk('/api/v1/assets', { project_id: w.project.id, kind: 'building', name: uniq('楼') });
  w.department = await mk('/api/v1/departments', { name: uniq('部门') });
  w.centre = await mk('/api/v1/service-centres', { name: uniq('中心') });
  w.team = await mk('/api/v1/teams', { name: uniq('班组'), department_id: w.department.id });
  w.staff = await mk('/api/v1/staff', { name: uniq('师傅'), team_id: w.team.id });
  w.location = await mk('/api/v1/stock-locations', { name: uniq('仓库'), kind: 'warehouse' });
  w.part = await mk('/api/v1/parts', { code: uniq('P'), name: uniq('配件') });
  for (const role of ['agent', 'service_manager', 'technician']) w[role] = await s.userWithRole(w.admin, role);
  w.customerUser = await s.userWithRole(w.admin, 'customer', { customer_id: w.customer.id });
  w.victim = await s.userWithRole(w.admin, 'technician');        // PATCH /users/{id}, password
  w.quitter = await s.userWithRole(w.admin, 'agent');            // logout
  w.changer = await s.userWithRole(w.admin, 'agent');            // change password
  w.ticket = await mk('/api/v1/tickets', { project_id: w.project.id, title: uniq('漏水'), description: '屋面漏水' }, w.agent.token);
  // A request along the short path to closed: its follow-up rounds are scheduled on closing.
  const t = await mk('/api/v1/tickets', { project_id: w.project.id, title: uniq('涂层'), description: '涂层破损', grade: 'simple', nature: 'coating_damage' }, w.agent.token);
  const act = async (id, action, body, token = w.admin) => {
    const r = await s.call('POST', `/api/v1/tickets/${id}/actions/${action}`, { token, body });
    assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  w.act = act;
  let cur = t;
  if (cur.state === 'triaged' || cur.allowed_actions?.includes('contact_customer')) cur = await act(t.id, 'contact_customer', { note: '已联系' });
  await act(t.id, 'remote_fix', { note: '远程指导' });
  w.closed = await act(t.id, 'close', { summary: '已修复' });
  const rounds = (await s.call('GET', `/api/v1/tickets/${t.id}/follow-ups`, { token: w.admin })).body.items;
  assert.ok(rounds.length >= 3, JSON.stringify(rounds));
  w.followUp = rounds[0];
  const sent = await mk(`/api/v1/follow-ups/${rounds[1].id}/send-survey`, {});
  w.surveyToken = sent.survey_url.slice('/survey/'.length);
  // A low score on the third round opens a task.
  const sent3 = await mk(`/api/v1/follow-ups/${rounds[2].id}/send-survey`, {});
  w.answeredSurveyToken = sent3.survey_url.slice('/survey/'.length);
  w.rounds = rounds;
  await mk(`/api/v1/surveys/${w.answeredSurveyToken}`,
    { response_speed: 1, attitude: 1, competence: 1, effectiveness: 1, communication: 1, comment: '差' }, null);
  const tasks = (await s.call('GET', '/api/v1/follow-up-tasks', { token: w.admin })).body.items;
  assert.ok(tasks.length >= 1, 'a low-score task');
  w.task = tasks[0];
  w.complaint = await mk('/api/v1/complaints', { project_id: w.project.id, description: '投诉响应慢', channel: 'hotline' });
  w.channel = await mk('/api/v1/notification-channels', { name: uniq('hook'), kind: 'webhook', config: { url: 'http://127.0.0.1:9/hook' }, secret: 'hook-secret' });
  w.apiToken = await mk('/api/v1/auth/tokens', { name: uniq('erp') });
  const up = await s.call('POST', '/api/v1/attachments', { token: w.admin, raw: tinyPng(7), headers: { 'content-type': 'image/png', 'x-filename': 'p.png' } });
  assert.equal(up.status, 201, JSON.stringify(up.body));
  w.attachment = up.body;
  const notes = (await s.call('GET', '/api/v1/notifications?limit=1', { token: w.admin })).body.items;
  w.notification = notes[0]?.id ?? 1;
  return w;
}

// ---------------------------------------------------------------------------------------------
// What each write route is aimed at: path parameters, token, a plausible body; `emptyOk` when an
// empty body means {} (actions). A key missing here fails the coverage test.
const v = (o) => o.version;
export const TARGETS = {
  'POST /api/v1/auth/login': () => ({ token: null, base: { username: 'nobody-' + randomBytes(3).toString('hex'), password: 'wrong-password' } }),
  'POST /api/v1/auth/logout': (w) => ({ token: w.quitter.token }),
  // Whatever is wrong with the current password, it is "not the current password".
  'POST /api/v1/auth/password': (w) => ({ token: w.changer.token, base: { current_password: w.changer.password, new_password: 'new-password-123' },
    anyRule: ['current_password'] }),
  'POST /api/v1/auth/tokens': () => ({ base: { name: 'integration' } }),
  'DELETE /api/v1/auth/tokens/{id}': (w) => ({ params: { id: w.apiToken.id } }),
  'POST /api/v1/users': () => ({ base: { username: uniq('u'), display_name: '新用户', role: 'agent', password: 'long-enough-1' } }),
  'PATCH /api/v1/users/{id}': (w) => ({ params: { id: w.victim.id }, base: {}, version: 'users' }),
  'POST /api/v1/users/{id}/password': (w) => ({ params: { id: w.victim.id }, base: { password: 'long-enough-2' } }),
  'POST /api/v1/tickets': (w) => ({ token: w.agent.token, base: { project_id: w.project.id, title: '漏水', description: '屋面漏水' },
    extra: [
      { name: 'Idempotency-Key of 300 characters', headers: { 'idempotency-key': 'k'.repeat(300) }, expect: { status: 422, field: 'Idempotency-Key' } },
      { name: 'Idempotency-Key with spaces and quotes', headers: { 'idempotency-key': `a' OR '1'='1` }, expect: { status: 422, field: 'Idempotency-Key' } },
      { name: 'Idempotency-Key with a Latin-1 byte', headers: { 'idempotency-key': 'cl\u00e9' }, expect: { status: 422, field: 'Idempotency-Key' } },
    ] }),
  'POST /api/v1/tickets/suggest': (w) => ({ base: { project_id: w.project.id, title: '漏水' } }),
  'POST /api/v1/tickets/{id}/actions/{action}': (w) => ({ params: { id: w.ticket.id }, emptyOk: true, actions: TICKET_ACTIONS }),
  'POST /api/v1/tickets/{id}/follow-ups/schedule': (w) => ({ params: { id: w.closed.id } }),
  'POST /api/v1/tickets/{id}/repair-logs': (w) => ({ params: { id: w.ticket.id }, base: { work_done: '更换密封胶', started_at: new Date(Date.now() - 100).toISOString() } }),
  'POST /api/v1/attachments': () => ({ binary: true }),
  'POST /api/v1/attachments/{id}/link': (w) => ({ params: { id: w.attachment.id }, base: { ticket_id: w.ticket.id } }),
  'POST /api/v1/complaints': (w) => ({ base: { project_id: w.project.id, description: '响应慢' } }),
  'POST /api/v1/complaints/{id}/actions/{action}': (w) => ({ params: { id: w.complaint.id }, emptyOk: true, actions: COMPLAINT_ACTIONS }),
  'POST /api/v1/follow-ups/{id}/complete': (w) => ({ params: { id: w.followUp.id }, base: { notes: '良好', repair_status: 'holding' } }),
  'POST /api/v1/follow-ups/{id}/miss': (w) => ({ params: { id: w.followUp.id }, base: { reason: '未接通' } }),
  'POST /api/v1/follow-ups/{id}/cancel': (w) => ({ params: { id: w.followUp.id }, base: { reason: '不需要' } }),
  'POST /api/v1/follow-ups/{id}/assign': (w) => ({ params: { id: w.followUp.id }, base: { assignee_user_id: w.agent.id } }),
  'POST /api/v1/follow-ups/{id}/send-survey': (w) => ({ params: { id: w.followUp.id } }),
  'POST /api/v1/follow-up-tasks/{id}/resolve': (w) => ({ params: { id: w.task.id }, emptyOk: true, base: { resolution: 'explained', note: '已解释' } }),
  'POST /api/v1/surveys/{token}': (w) => ({ token: null, params: { token: w.surveyToken }, limit: 16 * 1024,
    base: { response_speed: 5, attitude: 5, competence: 5, effectiveness: 5, communication: 5 } }),
  'POST /api/v1/stock/movements': (w) => ({ base: { kind: 'receipt', part_id: w.part.id, location_id: w.location.id, quantity: 5 } }),
  'POST /api/v1/notification-channels': () => ({ base: { name: uniq('hook'), kind: 'webhook', config: { url: 'http://127.0.0.1:9/x' }, secret: 's' } }),
  'PATCH /api/v1/notification-channels/{id}': (w) => ({ params: { id: w.channel.id }, base: {}, version: 'notification-channels' }),
  'DELETE /api/v1/notification-channels/{id}': (w) => ({ params: { id: w.channel.id } }),
  'POST /api/v1/notifications/{id}/retry': (w) => ({ params: { id: w.notification } }),
};
// Master-data resources: create, update, delete, each aimed at the world's record.
const RESOURCES = {
  customers: (w) => ({ id: w.customer.id, base: { name: uniq('客户') } }),
  projects: (w) => ({ id: w.project.id, base: { customer_id: w.customer.id, name: uniq('项目'), type: 'mep' } }),
  assets: (w) => ({ id: w.asset.id, base: { project_id: w.project.id, kind: 'room', name: uniq('房间') } }),
  departments: (w) => ({ id: w.department.id, base: { name: uniq('部门') } }),
  'service-centres': (w) => ({ id: w.centre.id, base: { name: uniq('中心') } }),
  teams: (w) => ({ id: w.team.id, base: { name: uniq('班组') } }),
  staff: (w) => ({ id: w.staff.id, base: { name: uniq('师傅') } }),
  'stock-locations': (w) => ({ id: w.location.id, base: { name: uniq('库位'), kind: 'warehouse' } }),
  parts: (w) => ({ id: w.part.id, base: { code: uniq('P'), name: uniq('配件') } }),
};
for (const [name, f] of Object.entries(RESOURCES)) {
  TARGETS[`POST /api/v1/${name}`] = (w) => ({ base: f(w).base });
  TARGETS[`PATCH /api/v1/${name}/{id}`] = (w) => ({ params: { id: f(w).id }, base: {}, version: name });
  TARGETS[`DELETE /api/v1/${name}/{id}`] = (w) => ({ params: { id: f(w).id } });
}

// The current version of a record a target updates.
export async function currentVersion(s, w, collection, id) {
  const r = await s.call('GET', `/api/v1/${collection}/${id}`, { token: w.admin });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.version;
}

export const sha256 = (b) => createHash('sha256').update(b).digest('hex');
