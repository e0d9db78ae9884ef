// Master data: CRUD, children, paging/filter/sort, optimistic versions, audit rows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniq } from './lib.mjs';

let s, admin;
before(async () => { s = await startServer(); admin = await s.login(); });
after(async () => { await s.stop(); });

const post = (path, body) => s.call('POST', path, { token: admin, body });

async function customer(name = uniq('客户')) {
  const r = await post('/api/v1/customers', { name, tier: 'key', address: '上海市', contacts: [{ name: '张三', phone: '13900000000', email: 'z@example.com' }] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

test('customer with contacts: create, read back, update children, version bump', async () => {
  const c = await customer();
  assert.equal(c.version, 1);
  assert.equal(c.contacts.length, 1);
  assert.equal(c.contacts[0].name, '张三');
  const got = await s.call('GET', `/api/v1/customers/${c.id}`, { token: admin });
  assert.equal(got.headers.get('etag'), '"1"');
  assert.deepEqual(got.body.contacts, c.contacts);
  const upd = await s.call('PATCH', `/api/v1/customers/${c.id}`, { token: admin, headers: { 'if-match': '"1"' },
    body: { notes: '重要客户', contacts: [{ name: '李四', phone: '+86 139-0000-0001' }, { name: '王五', position: '物业经理' }] } });
  assert.equal(upd.status, 200, JSON.stringify(upd.body));
  assert.equal(upd.body.version, 2);
  assert.equal(upd.body.notes, '重要客户');
  assert.deepEqual(upd.body.contacts.map((x) => x.name), ['李四', '王五']);
  assert.equal(upd.body.tier, 'key');  // untouched fields stay
});

test('stale or missing versions are refused and change nothing', async () => {
  const c = await customer();
  const stale = await s.call('PATCH', `/api/v1/customers/${c.id}`, { token: admin, headers: { 'if-match': '"7"' }, body: { notes: 'x' } });
  assert.equal(stale.status, 412);
  const none = await s.call('PATCH', `/api/v1/customers/${c.id}`, { token: admin, body: { notes: 'x' } });
  assert.equal(none.status, 428);
  const viaBody = await s.call('PATCH', `/api/v1/customers/${c.id}`, { token: admin, body: { notes: 'y', version: 1 } });
  assert.equal(viaBody.status, 200);
  const again = await s.call('PATCH', `/api/v1/customers/${c.id}`, { token: admin, body: { notes: 'z', version: 1 } });
  assert.equal(again.status, 412);
  const got = await s.call('GET', `/api/v1/customers/${c.id}`, { token: admin });
  assert.equal(got.body.notes, 'y');
});

test('project of every type, defaults, customer name, original team', async () => {
  const c = await customer();
  const team = await post('/api/v1/teams', { name: uniq('班组'), skills: ['hvac', 'electrical'], areas: ['上海'] });
  assert.equal(team.status, 201);
  const tech = await post('/api/v1/staff', { name: '赵师傅', team_id: team.body.id, skills: ['hvac'], certificates: [{ name: '制冷与空调作业证', expires_on: '2027-06-30' }] });
  assert.equal(tech.status, 201, JSON.stringify(tech.body));
  assert.equal(tech.body.team_name, team.body.name);
  for (const type of ['building', 'decoration', 'mep', 'curtain_wall', 'steel_structure', 'data_centre', 'other']) {
    const p = await post('/api/v1/projects', { customer_id: c.id, name: uniq(type), type, completion_date: '2025-09-01', original_team: [tech.body.id] });
    assert.equal(p.status, 201, JSON.stringify(p.body));
    assert.equal(p.body.customer_name, c.name);
    assert.equal(p.body.warranty_months, 24);
    assert.equal(p.body.time_zone, 'Asia/Shanghai');
    assert.deepEqual(p.body.original_team, [tech.body.id]);
  }
  const list = await s.call('GET', `/api/v1/projects?customer_id=${c.id}&type=mep`, { token: admin });
  assert.equal(list.body.total, 1);
  assert.equal(list.body.items[0].type, 'mep');
});

test('asset tree: parents in the same project, no cycles, nested read', async () => {
  const c = await customer();
  const p = (await post('/api/v1/projects', { customer_id: c.id, name: uniq('机房'), type: 'data_centre' })).body;
  const q = (await post('/api/v1/projects', { customer_id: c.id, name: uniq('其他'), type: 'other' })).body;
  const b = (await post('/api/v1/assets', { project_id: p.id, kind: 'building', name: '1号楼' })).body;
  const f = (await post('/api/v1/assets', { project_id: p.id, parent_id: b.id, kind: 'floor', name: '3F' })).body;
  const r = (await post('/api/v1/assets', { project_id: p.id, parent_id: f.id, kind: 'room', name: '主机房' })).body;
  const e = await post('/api/v1/assets', { project_id: p.id, parent_id: r.id, kind: 'equipment', name: '精密空调 1#',
    model: 'Liebert PEX', serial_number: 'SN-001', critical: true, warranty_start: '2025-01-01', warranty_end: '2027-01-01' });
  assert.equal(e.status, 201);
  const wrongProject = await post('/api/v1/assets', { project_id: q.id, parent_id: r.id, kind: 'room', name: 'x' });
  assert.equal(wrongProject.status, 422);
  assert.equal(wrongProject.body.errors[0].field, 'parent_id');
  const cycle = await s.call('PATCH', `/api/v1/assets/${b.id}`, { token: admin, body: { parent_id: r.id, version: 1 } });
  assert.equal(cycle.status, 422);
  assert.equal(cycle.body.errors[0].rule, 'cycle');
  const badDates = await post('/api/v1/assets', { project_id: p.id, kind: 'equipment', name: 'y', warranty_start: '2026-01-01', warranty_end: '2025-01-01' });
  assert.equal(badDates.status, 422);
  const tree = await s.call('GET', `/api/v1/projects/${p.id}/asset-tree`, { token: admin });
  assert.equal(tree.status, 200);
  assert.equal(tree.body.nodes.length, 1);
  assert.equal(tree.body.nodes[0].children[0].children[0].children[0].name, '精密空调 1#');
});

test('lists page, sort and search; bad paging and unknown filters are 400', async () => {
  const tag = uniq('排序');
  for (const n of ['C', 'A', 'B']) await customer(`${tag}-${n}`);
  const asc = await s.call('GET', `/api/v1/customers?q=${encodeURIComponent(tag)}&sort=name&limit=2`, { token: admin });
  assert.equal(asc.status, 200);
  assert.equal(asc.body.total, 3);
  assert.deepEqual(asc.body.items.map((c) => c.name.slice(-1)), ['A', 'B']);
  const page2 = await s.call('GET', `/api/v1/customers?q=${encodeURIComponent(tag)}&sort=name&limit=2&offset=2`, { token: admin });
  assert.deepEqual(page2.body.items.map((c) => c.name.slice(-1)), ['C']);
  const desc = await s.call('GET', `/api/v1/customers?q=${encodeURIComponent(tag)}&sort=-name`, { token: admin });
  assert.deepEqual(desc.body.items.map((c) => c.name.slice(-1)), ['C', 'B', 'A']);
  const like = await s.call('GET', `/api/v1/customers?q=%25`, { token: admin });
  assert.equal(like.body.total, 0, 'a % in q is a literal, not a wildcard');
  for (const [qs, field] of [['limit=0', 'limit'], ['limit=1000', 'limit'], ['offset=-1', 'offset'], ['sort=password', 'sort'], ['colour=red', 'colour']]) {
    const r = await s.call('GET', `/api/v1/customers?${qs}`, { token: admin });
    assert.equal(r.status, 400, qs);
    assert.equal(r.body.errors[0].field, field, qs);
  }
});

test('unique names conflict with 409; referenced rows cannot be deleted', async () => {
  const c = await customer();
  const dup = await post('/api/v1/customers', { name: c.name });
  assert.equal(dup.status, 409);
  await post('/api/v1/projects', { customer_id: c.id, name: uniq('p'), type: 'building' });
  const del = await s.call('DELETE', `/api/v1/customers/${c.id}`, { token: admin });
  assert.equal(del.status, 409);
  const lone = await customer();
  assert.equal((await s.call('DELETE', `/api/v1/customers/${lone.id}`, { token: admin })).status, 204);
  assert.equal((await s.call('GET', `/api/v1/customers/${lone.id}`, { token: admin })).status, 404);
});

test('every write leaves an audit row with actor, before and after', async () => {
  const c = await customer();
  await s.call('PATCH', `/api/v1/customers/${c.id}`, { token: admin, body: { tier: 'strategic', version: 1 } });
  const a = await s.call('GET', `/api/v1/audit?entity=customer&entity_id=${c.id}`, { token: admin });
  assert.equal(a.status, 200);
  assert.deepEqual(a.body.items.map((x) => x.action), ['update', 'create']);
  const [upd, crt] = a.body.items;
  assert.equal(upd.actor_name, 'admin');
  assert.equal(upd.before.tier, 'key');
  assert.equal(upd.after.tier, 'strategic');
  assert.equal(crt.before, null);
  assert.equal(crt.after.name, c.name);
  assert.match(upd.request_id, /^[0-9a-f]{16}$/);
});

test('the request id is echoed when valid and generated otherwise', async () => {
  const r = await s.call('GET', '/api/v1/customers', { token: admin, headers: { 'x-request-id': 'trace-abc.123' } });
  assert.equal(r.headers.get('x-request-id'), 'trace-abc.123');
  const g = await s.call('GET', '/api/v1/customers', { token: admin, headers: { 'x-request-id': 'bad id <script>' } });
  assert.match(g.headers.get('x-request-id'), /^[0-9a-f]{16}$/);
});
