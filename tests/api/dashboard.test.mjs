// The manager's dashboard: figures follow the requests, roles are enforced.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniq } from './lib.mjs';

let s, admin, project;
before(async () => {
  s = await startServer();
  admin = await s.login();
  const c = (await s.call('POST', '/api/v1/customers', { token: admin, body: { name: uniq('客户') } })).body;
  project = (await s.call('POST', '/api/v1/projects', { token: admin, body: { customer_id: c.id, name: uniq('机房'), type: 'data_centre', calendar: 'cn-7x24' } })).body;
});
after(async () => { await s.stop(); });

const intake = (body) => s.call('POST', '/api/v1/tickets', { token: admin, body: { project_id: project.id, ...body } });

test('open work, natures, SLA compliance and ageing follow the requests', async () => {
  await intake({ title: '空调停机', description: '精密空调宕机', grade: 'emergency', nature: 'hvac' });
  await intake({ title: '漏水', description: '吊顶渗水', grade: 'simple', nature: 'leakage' });
  await intake({ title: '空调异响', description: '空调噪音', grade: 'simple', nature: 'hvac',
    reported_at: new Date(Date.now() - 2 * 86400 * 1000).toISOString() });
  const from = new Date(Date.now() - 10 * 86400 * 1000).toISOString();
  const to = new Date(Date.now() + 86400 * 1000).toISOString();
  const r = await s.call('GET', `/api/v1/dashboard?from=${from}&to=${to}`, { token: admin });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const count = (list, key, value) => list.find((x) => x[key] === value)?.count ?? 0;
  assert.equal(count(r.body.open_by_grade, 'grade', 'simple'), 2);
  assert.equal(count(r.body.open_by_grade, 'grade', 'emergency'), 1);
  assert.equal(count(r.body.open_by_state, 'state', 'triaged'), 3);
  assert.deepEqual(r.body.top_natures[0], { nature: 'hvac', count: 2 });
  assert.equal(r.body.reported, 3);
  assert.equal(r.body.resolution_rate, 0);
  assert.equal(count(r.body.backlog_ageing, 'bucket', 'lt_1d'), 2);
  assert.equal(count(r.body.backlog_ageing, 'bucket', '1_3d'), 1);
  const simple = r.body.sla_by_grade.find((g) => g.grade === 'simple');
  assert.equal(simple.total, 2);
  assert.equal(r.body.satisfaction.answers, 0);
  // Default period: this month.
  const month = await s.call('GET', '/api/v1/dashboard', { token: admin });
  assert.equal(month.status, 200);
  assert.ok(Date.parse(month.body.from) <= Date.now() && Date.parse(month.body.to) > Date.now());
  const bad = await s.call('GET', '/api/v1/dashboard?from=yesterday', { token: admin });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.errors[0].field, 'from');
});

test('customers and technicians have no dashboard', async () => {
  const tech = await s.userWithRole(admin, 'technician');
  assert.equal((await s.call('GET', '/api/v1/dashboard', { token: tech.token })).status, 403);
  const mgr = await s.userWithRole(admin, 'service_manager');
  assert.equal((await s.call('GET', '/api/v1/dashboard', { token: mgr.token })).status, 200);
});
