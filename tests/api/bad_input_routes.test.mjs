// The bad-input corpus (bad_input_corpus.mjs) against every write route of the OpenAPI document:
// malformed and non-object bodies, wrong content types, deep nesting, invalid UTF-8, bodies
// beyond the limit, wrong types, missing and unknown fields, over-long strings, control
// characters, enums, numbers and dates out of range, bad path ids, missing credentials. Each
// answer must be a 4xx problem+json naming the problem; the database must be unchanged (row
// counts and checksums of every table) and the server up after each route.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';
import {
  TARGETS, buildWorld, writeOperations, fillPath, genericBodyCases, noBodyCases, pathCases, authCases, schemaCases,
  sampleObject, runCases, snapshot, snapshotDiff, healthy, currentVersion, toJson, LIMIT,
} from './bad_input_corpus.mjs';

let s, w, ops;
before(async () => {
  s = await startServer({ args: ['--no-workers'] });
  w = await buildWorld(s);
  ops = await writeOperations(s);
});
after(async () => { await s?.stop(); });

test('every write route of the OpenAPI document has corpus coverage', () => {
  assert.ok(ops.length >= 40, `only ${ops.length} write routes found`);
  const missing = ops.filter((o) => !TARGETS[o.key]).map((o) => o.key);
  assert.deepEqual(missing, [], `write routes without a bad-input target in bad_input_corpus.mjs: ${missing.join(', ')}`);
});

// The cases for one route (actions expand to one path per action).
async function casesFor(op) {
  const t = TARGETS[op.key](w);
  const params = { ...(t.params || {}) };
  const headers = {};
  if (t.version) headers['if-match'] = `"${await currentVersion(s, w, t.version, params.id)}"`;
  const token = t.token === undefined ? w.admin : t.token;
  const actionParam = op.pathParams.find((p) => p.name === 'action' && p.schema?.enum);
  const actions = actionParam ? actionParam.schema.enum : [];
  if (actions.length) params.action = actions[0];
  const path = fillPath(op.path, params);
  const cases = [];
  const issues = [];
  if (op.json) {
    cases.push(...genericBodyCases({ limit: t.limit, emptyOk: t.emptyOk }));
    if (t.actions) {
      for (const a of actions) {
        if (!t.actions[a]) { issues.push(`${op.key}: action '${a}' has no payload schema in the corpus`); continue; }
        const p = fillPath(op.path, { ...params, action: a });
        for (const c of schemaCases(t.actions[a], { base: sampleObject(t.actions[a]) }))
          cases.push({ ...c, name: `${a}: ${c.name}`, path: p });
      }
    } else {
      cases.push(...schemaCases(op.schema, { base: t.base, creating: op.method === 'POST' }));
    }
  } else if (!op.binary) {
    cases.push(...noBodyCases());
  }
  const body = op.json ? (t.base ?? {}) : undefined;
  for (const c of t.extra || []) cases.push({ body, ...c });
  for (const c of pathCases(op.path, params)) cases.push({ ...c, body });
  if (!op.public) for (const c of authCases()) cases.push({ ...c, body });
  for (const c of cases) if (c.expect?.rules && (t.anyRule || []).includes(c.expect.field)) c.expect = { ...c.expect, rules: undefined };
  // Whatever is larger than the route's body limit is refused as such, unread.
  const limit = t.limit ?? LIMIT;
  for (const c of cases) {
    const size = c.raw !== undefined ? Buffer.byteLength(c.raw) : c.body !== undefined ? Buffer.byteLength(toJson(c.body)) : 0;
    if (size > limit) c.expect = { status: 413 };
  }
  return { path, token, headers, cases, issues };
}

test('bad input on every write route: 4xx problem naming the problem, database unchanged, server up', async (t) => {
  let total = 0;
  for (const op of ops) {
    if (!TARGETS[op.key] || op.binary) continue;  // uploads: bad_input_uploads.test.mjs
    await t.test(op.key, async () => {
      const { path, token, headers, cases, issues } = await casesFor(op);
      total += cases.length;
      const before = snapshot(s.db);
      issues.push(...await runCases(s, op.key, op.method, path, cases.map((c) => ({ ...c, headers: { ...headers, ...c.headers } })), { token }));
      const changed = snapshotDiff(before, snapshot(s.db));
      if (changed.length) issues.push(`${op.key}: the database changed: ${changed.join('; ')}`);
      if (!(await healthy(s))) issues.push(`${op.key}: the server is down:\n${s.logs().slice(-3000)}`);
      assert.deepEqual(issues, [], issues.join('\n'));
    });
    if (!(await healthy(s))) break;
  }
  t.diagnostic(`${total} bad requests on ${ops.length} write routes`);
  assert.ok(total > 1000, `only ${total} cases`);
});
