// Bad input: each gets a 4xx problem+json naming the problem, and the database is unchanged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniq } from './lib.mjs';

let s, admin, customer;
before(async () => {
  s = await startServer();
  admin = await s.login();
  customer = (await s.call('POST', '/api/v1/customers', { token: admin, body: { name: uniq('客户') } })).body;
});
after(async () => { await s.stop(); });

const count = () => s.db.exec('SELECT (SELECT count(*) FROM customers) || \'/\' || (SELECT count(*) FROM projects) || \'/\' || (SELECT count(*) FROM audit_log)').trim();

async function expectProblem(res, status, field) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.headers.get('content-type'), 'application/problem+json');
  assert.equal(res.body.status, status);
  assert.ok(res.body.title);
  if (field) assert.ok(res.body.errors.some((e) => e.field === field), `field ${field} in ${JSON.stringify(res.body.errors)}`);
}

test('malformed bodies', async () => {
  const before = count();
  const send = (raw, ct = 'application/json') => s.call('POST', '/api/v1/projects', { token: admin, raw, headers: { 'content-type': ct } });
  await expectProblem(await send('{"name": '), 400, 'body');
  await expectProblem(await send('[1,2]'), 400, 'body');
  await expectProblem(await send(''), 400, 'body');
  await expectProblem(await send('{"name":"x"}', 'text/plain'), 400, 'content-type');
  await expectProblem(await send('['.repeat(100) + ']'.repeat(100)), 400, 'body');
  await expectProblem(await send(Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])), 400, 'body');
  const huge = await send(JSON.stringify({ name: 'x'.repeat(3 * 1024 * 1024) }));
  assert.equal(huge.status, 413);
  assert.equal(count(), before);
});

test('wrong types, missing and unknown fields are all reported at once', async () => {
  const before = count();
  const r = await s.call('POST', '/api/v1/projects', { token: admin, body: {
    customer_id: 'one', type: 'castle', warranty_months: 1.5, latitude: 'north', remote: 'yes', completion_date: '2026-02-30', colour: 'red' } });
  await expectProblem(r, 422);
  const fields = Object.fromEntries(r.body.errors.map((e) => [e.field, e.rule]));
  assert.deepEqual(fields, { customer_id: 'type', type: 'enum', warranty_months: 'type', latitude: 'type', remote: 'type',
    completion_date: 'format', colour: 'unknown', name: 'required' });
  assert.equal(count(), before);
});

test('strings: length, control characters, blank required values', async () => {
  const before = count();
  await expectProblem(await s.call('POST', '/api/v1/customers', { token: admin, body: { name: '长'.repeat(201) } }), 422, 'name');
  await expectProblem(await s.call('POST', '/api/v1/customers', { token: admin, body: { name: 'a\u0000b' } }), 422, 'name');
  await expectProblem(await s.call('POST', '/api/v1/customers', { token: admin, body: { name: 'bell\u0007' } }), 422, 'name');
  await expectProblem(await s.call('POST', '/api/v1/customers', { token: admin, body: { name: '   ' } }), 422, 'name');
  await expectProblem(await s.call('POST', '/api/v1/customers', { token: admin, body: { name: uniq('c'), contacts: [{ phone: 'abc' }] } }), 422, 'contacts[0].name');
  await expectProblem(await s.call('POST', '/api/v1/customers', { token: admin, body: { name: uniq('c'), contacts: [{ name: 'x', email: 'not-an-email' }] } }), 422, 'contacts[0].email');
  await expectProblem(await s.call('POST', '/api/v1/customers', { token: admin, body: { name: uniq('c'), contacts: 'x' } }), 422, 'contacts');
  assert.equal(count(), before);
});

test('numbers and dates out of range; references to missing rows', async () => {
  const before = count();
  const base = { customer_id: customer.id, name: uniq('p'), type: 'mep' };
  await expectProblem(await s.call('POST', '/api/v1/projects', { token: admin, body: { ...base, latitude: 91 } }), 422, 'latitude');
  await expectProblem(await s.call('POST', '/api/v1/projects', { token: admin, body: { ...base, warranty_months: -1 } }), 422, 'warranty_months');
  await expectProblem(await s.call('POST', '/api/v1/projects', { token: admin, body: { ...base, warranty_months: 1e30 } }), 422, 'warranty_months');
  await expectProblem(await s.call('POST', '/api/v1/projects', { token: admin, body: { ...base, completion_date: '9999-01-01' } }), 422, 'completion_date');
  await expectProblem(await s.call('POST', '/api/v1/projects', { token: admin, body: { ...base, customer_id: 999999 } }), 422, 'customer_id');
  await expectProblem(await s.call('POST', '/api/v1/projects', { token: admin, body: { ...base, original_team: [424242] } }), 422, 'original_team[0]');
  await expectProblem(await s.call('POST', '/api/v1/projects', { token: admin, body: { ...base, time_zone: 'Mars/Olympus' } }), 422, 'time_zone');
  assert.equal(count(), before);
});

test('injection strings are stored and returned literally', async () => {
  const evil = [`'; DROP TABLE customers; --`, `<script>alert(1)</script>`, `Robert"); --`, `%_\\`];
  for (const name of evil) {
    const r = await s.call('POST', '/api/v1/customers', { token: admin, body: { name: name + uniq('') } });
    assert.equal(r.status, 201);
    assert.ok(r.body.name.startsWith(name));
  }
  const list = await s.call('GET', `/api/v1/customers?q=${encodeURIComponent("'; DROP")}`, { token: admin });
  assert.equal(list.body.total, 1);
});

test('ids in paths: non-numeric or absent ids are 404, never 500', async () => {
  for (const id of ['abc', '0', '-1', '1e3', '99999999999999999999', '1;DROP', '%00']) {
    const r = await s.call('GET', `/api/v1/customers/${id}`, { token: admin });
    assert.ok([400, 404].includes(r.status), `${id} → ${r.status}`);
  }
});

test('unknown paths, wrong methods, malformed targets', async () => {
  await expectProblem(await s.call('GET', '/api/v1/nothing', { token: admin }), 404);
  const m = await s.call('PUT', '/api/v1/customers', { token: admin });
  assert.equal(m.status, 405);
  assert.match(m.headers.get('allow'), /GET/);
  assert.match(m.headers.get('allow'), /POST/);
  await expectProblem(await s.call('GET', '/api/v1/customers?q=%zz', { token: admin }), 400);
});
