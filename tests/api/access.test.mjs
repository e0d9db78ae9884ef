// Authorisation: every master-data endpoint by role, and the customer scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniq } from './lib.mjs';

let s, admin;
const users = {};
const ROLES = ['admin', 'service_manager', 'agent', 'dispatcher', 'technician', 'tech_lead',
  'quality_inspector', 'project_manager', 'procurement', 'customer'];
const STAFF = ROLES.filter((r) => r !== 'customer');
// Who may write each resource (everyone listed in STAFF may read all of them; customers only
// customers, projects and assets, within their own organisation).
const WRITERS = {
  customers: ['admin', 'service_manager', 'agent'],
  projects: ['admin', 'service_manager', 'project_manager'],
  assets: ['admin', 'service_manager', 'project_manager', 'technician'],
  departments: ['admin', 'service_manager'],
  'service-centres': ['admin', 'service_manager'],
  teams: ['admin', 'service_manager'],
  staff: ['admin', 'service_manager'],
};
const CUSTOMER_VISIBLE = ['customers', 'projects', 'assets'];
let mine, theirs, myProject, theirProject, myAsset, theirAsset;

before(async () => {
  s = await startServer();
  admin = await s.login();
  const mk = async (path, body) => {
    const r = await s.call('POST', path, { token: admin, body });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  mine = await mk('/api/v1/customers', { name: uniq('甲方') });
  theirs = await mk('/api/v1/customers', { name: uniq('乙方') });
  myProject = await mk('/api/v1/projects', { customer_id: mine.id, name: uniq('甲项目'), type: 'building' });
  theirProject = await mk('/api/v1/projects', { customer_id: theirs.id, name: uniq('乙项目'), type: 'building' });
  myAsset = await mk('/api/v1/assets', { project_id: myProject.id, kind: 'building', name: 'A栋' });
  theirAsset = await mk('/api/v1/assets', { project_id: theirProject.id, kind: 'building', name: 'B栋' });
  for (const role of ROLES) {
    users[role] = role === 'admin' ? { token: admin } : await s.userWithRole(admin, role, role === 'customer' ? { customer_id: mine.id } : {});
  }
});
after(async () => { await s.stop(); });

function sampleBody(resource) {
  switch (resource) {
    case 'customers': return { name: uniq('客户') };
    case 'projects': return { customer_id: mine.id, name: uniq('项目'), type: 'mep' };
    case 'assets': return { project_id: myProject.id, kind: 'room', name: uniq('房间') };
    case 'departments': return { name: uniq('部门') };
    case 'service-centres': return { name: uniq('网点') };
    case 'teams': return { name: uniq('班组') };
    case 'staff': return { name: uniq('员工') };
  }
}

for (const resource of Object.keys(WRITERS)) {
  test(`${resource}: read and write permissions for every role`, async () => {
    for (const role of ROLES) {
      const token = users[role].token;
      const list = await s.call('GET', `/api/v1/${resource}`, { token });
      const canRead = STAFF.includes(role) || CUSTOMER_VISIBLE.includes(resource);
      assert.equal(list.status, canRead ? 200 : 403, `${role} list ${resource}`);
      const created = await s.call('POST', `/api/v1/${resource}`, { token, body: sampleBody(resource) });
      const canWrite = WRITERS[resource].includes(role);
      assert.equal(created.status, canWrite ? 201 : 403, `${role} create ${resource}: ${JSON.stringify(created.body)}`);
      if (!canWrite) {
        assert.equal(created.body.status, 403);
        assert.match(created.body.detail, new RegExp(role));
      }
      if (canWrite) {
        const id = created.body.id;
        const upd = await s.call('PATCH', `/api/v1/${resource}/${id}`, { token, body: { version: created.body.version } });
        assert.equal(upd.status, 200, `${role} update ${resource}`);
      }
    }
  });
}

test('a customer user sees only his own organisation, and 404 for anything else', async () => {
  const token = users.customer.token;
  const cl = await s.call('GET', '/api/v1/customers', { token });
  assert.deepEqual(cl.body.items.map((c) => c.id), [mine.id]);
  const pl = await s.call('GET', '/api/v1/projects?limit=200', { token });
  assert.ok(pl.body.items.length >= 1);
  assert.ok(pl.body.items.every((p) => p.customer_id === mine.id));
  const al = await s.call('GET', '/api/v1/assets?limit=200', { token });
  assert.ok(al.body.items.every((a) => a.project_id !== theirProject.id));
  assert.equal((await s.call('GET', `/api/v1/customers/${mine.id}`, { token })).status, 200);
  assert.equal((await s.call('GET', `/api/v1/projects/${myProject.id}`, { token })).status, 200);
  assert.equal((await s.call('GET', `/api/v1/assets/${myAsset.id}`, { token })).status, 200);
  for (const path of [`/api/v1/customers/${theirs.id}`, `/api/v1/projects/${theirProject.id}`,
    `/api/v1/assets/${theirAsset.id}`, `/api/v1/projects/${theirProject.id}/asset-tree`]) {
    const r = await s.call('GET', path, { token });
    assert.equal(r.status, 404, path);
  }
  // Filtering by another customer's id does not leak either.
  const leak = await s.call('GET', `/api/v1/projects?customer_id=${theirs.id}`, { token });
  assert.equal(leak.body.total, 0);
  // Nor does the audit trail or user administration.
  assert.equal((await s.call('GET', '/api/v1/audit', { token })).status, 403);
  assert.equal((await s.call('GET', '/api/v1/users', { token })).status, 403);
});

test('users and audit endpoints are limited to their roles', async () => {
  for (const role of ROLES) {
    const token = users[role].token;
    assert.equal((await s.call('GET', '/api/v1/users', { token })).status, role === 'admin' ? 200 : 403, role);
    const audit = await s.call('GET', '/api/v1/audit', { token });
    assert.equal(audit.status, ['admin', 'service_manager'].includes(role) ? 200 : 403, role);
  }
});
