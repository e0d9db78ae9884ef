// Strings that are valid but hostile (SQL, HTML and script, template and path payloads) are
// data: accepted, stored verbatim and returned verbatim (JSON-escaped, as application/json with
// nosniff), found by search, never executed. Every table is still there afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';
import { HOSTILE, buildWorld, snapshot } from './bad_input_corpus.mjs';

let s, w;
before(async () => {
  s = await startServer({ args: ['--no-workers'] });
  w = await buildWorld(s);
});
after(async () => { await s?.stop(); });

const tag = (i) => ` #${i}`;  // keeps names unique where they must be

async function ok(method, path, body, token = w.admin) {
  const r = await s.call(method, path, { token, body });
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  return r.body;
}

test('hostile strings are stored and returned verbatim in master data, requests, complaints and timelines', async () => {
  const tablesBefore = Object.keys(snapshot(s.db)).sort();
  for (const [i, evil] of HOSTILE.entries()) {
    const customer = await ok('POST', '/api/v1/customers', {
      name: evil + tag(i), notes: evil, address: evil, contacts: [{ name: evil, position: evil }] });
    assert.equal(customer.name, evil + tag(i));
    assert.equal(customer.notes, evil);
    assert.equal(customer.contacts[0].name, evil);
    const again = await ok('GET', `/api/v1/customers/${customer.id}`);
    assert.deepEqual([again.name, again.notes, again.address, again.contacts[0].position], [evil + tag(i), evil, evil, evil]);

    const ticket = await ok('POST', '/api/v1/tickets', {
      project_id: w.project.id, title: evil, description: `${evil}\n${evil}`, demand: evil, contact_name: evil }, w.agent.token);
    const t = await ok('GET', `/api/v1/tickets/${ticket.id}`);
    assert.equal(t.title, evil);
    assert.equal(t.description, `${evil}\n${evil}`);
    const first = t.allowed_actions.includes('acknowledge') ? 'acknowledge' : null;
    if (first) await ok('POST', `/api/v1/tickets/${ticket.id}/actions/acknowledge`, { note: evil });
    await ok('POST', `/api/v1/tickets/${ticket.id}/actions/cancel`, { reason: evil });
    const timeline = await ok('GET', `/api/v1/tickets/${ticket.id}/timeline`);
    const text = JSON.stringify(timeline);
    assert.ok(text.includes(JSON.stringify(evil).slice(1, -1)), `timeline keeps ${evil}`);

    const complaint = await ok('POST', '/api/v1/complaints', { project_id: w.project.id, description: evil, demand: evil });
    const c = await ok('GET', `/api/v1/complaints/${complaint.id}`);
    assert.deepEqual([c.description, c.demand], [evil, evil]);

    const dept = await ok('POST', '/api/v1/departments', { name: evil + tag(i), description: evil });
    assert.equal((await ok('GET', `/api/v1/departments/${dept.id}`)).description, evil);
    const part = await ok('POST', '/api/v1/parts', { code: `P-${i}`, name: evil, spec: evil, supplier: evil });
    assert.deepEqual([part.name, part.spec, part.supplier], [evil, evil, evil]);
  }
  // Search treats them as text: each is found by itself, LIKE wildcards included.
  for (const [i, evil] of HOSTILE.entries()) {
    const r = await ok('GET', `/api/v1/customers?q=${encodeURIComponent(evil + tag(i))}&limit=5`);
    assert.equal(r.total, 1, `search for ${evil}`);
    assert.equal(r.items[0].name, evil + tag(i));
  }
  const wild = await ok('GET', `/api/v1/customers?q=${encodeURIComponent('%')}&limit=200`);
  assert.ok(wild.items.every((x) => x.name.includes('%') || x.notes.includes('%') || x.address?.includes('%')),
    'a % in the search is a character, not a wildcard');
  // The audit trail records them as they were.
  const audit = await ok('GET', '/api/v1/audit?entity=customer&limit=200');
  for (const evil of HOSTILE) assert.ok(audit.items.some((a) => a.after?.notes === evil), `audit keeps ${evil}`);
  // Every table is still there, and the server still answers.
  assert.deepEqual(Object.keys(snapshot(s.db)).sort(), tablesBefore);
  assert.equal((await s.call('GET', '/healthz')).status, 200);
});

test('hostile strings in the raw response are JSON-escaped only, never HTML', async () => {
  const evil = '</script><script>alert(1)</script>';
  const created = await ok('POST', '/api/v1/customers', { name: evil + ' raw', notes: '"\\\u2028\u2029' });
  const res = await fetch(`${s.base}/api/v1/customers/${created.id}`, { headers: { authorization: `Bearer ${w.admin}` } });
  const raw = await res.text();
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.equal(JSON.parse(raw).name, evil + ' raw');
  assert.equal(JSON.parse(raw).notes, '"\\\u2028\u2029');
  assert.ok(raw.includes('\\"\\\\'), 'quotes and backslashes are escaped');
});
