// The view cache (rendered read views kept while nothing is written) must never be seen:
// every write shows at once in the next read, views are only served to the caller they were
// rendered for, and a slow read never holds up the I/O threads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BACKEND, startServer, uniq } from './lib.mjs';

let s, admin, customer, otherCustomer, project, otherProject;
before(async () => {
  s = await startServer({ args: ['--view-cache-ms', '5000'] });  // on for both backends, and long
  admin = await s.login();
  const mk = async (path, body) => {
    const r = await s.call('POST', path, { token: admin, body });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  const c1 = await mk('/api/v1/customers', { name: uniq('缓存甲方') });
  const c2 = await mk('/api/v1/customers', { name: uniq('缓存乙方') });
  project = await mk('/api/v1/projects', { customer_id: c1.id, name: uniq('项目'), type: 'mep' });
  otherProject = await mk('/api/v1/projects', { customer_id: c2.id, name: uniq('项目'), type: 'mep' });
  customer = await s.userWithRole(admin, 'customer', { customer_id: c1.id });
  otherCustomer = await s.userWithRole(admin, 'customer', { customer_id: c2.id });
});
after(async () => { await s.stop(); });

const hits = async () => {
  const text = (await s.call('GET', '/metrics')).body;
  const m = /aftersales_view_cache_total\{result="hit"\} (\d+)/.exec(text);
  assert.ok(m, 'the metrics show the view cache');
  return Number(m[1]);
};
const createTicket = async (title, token = admin, projectId = project.id) => {
  const r = await s.call('POST', '/api/v1/tickets', { token, body: { project_id: projectId, title, description: `${title}：天花渗水` } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
};

test('a repeated read is served from the cache, and a write shows in the very next read', async () => {
  const list = `/api/v1/tickets?project_id=${project.id}&limit=50`;
  const first = await s.call('GET', list, { token: admin });
  const before = await hits();
  const second = await s.call('GET', list, { token: admin });
  assert.equal(await hits(), before + 1, 'the second read was kept');
  assert.deepEqual(second.body, first.body);

  const made = await createTicket(uniq('新报修'));
  const after = await s.call('GET', list, { token: admin });
  assert.ok(after.body.items.some((t) => t.id === made.id), 'the new request is in the next page read');
  assert.equal(after.body.total, first.body.total + 1);

  const detail = `/api/v1/tickets/${made.id}`;
  assert.equal((await s.call('GET', detail, { token: admin })).body.paused, false);
  assert.equal((await s.call('GET', detail, { token: admin })).body.paused, false);  // kept
  const p = await s.call('POST', `${detail}/actions/pause`, { token: admin, body: { pause_reason: 'waiting_customer', reason: '客户出差' } });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  const read = await s.call('GET', detail, { token: admin });
  assert.equal(read.body.paused, true);
  assert.equal(read.headers.get('etag'), `"${p.body.version}"`);
  const timeline = await s.call('GET', `${detail}/timeline`, { token: admin });
  assert.ok(timeline.body.items.some((e) => e.action === 'pause'));
});

test('a view kept for one caller is never served to another', async () => {
  const mine = await createTicket(uniq('客户报修'), customer.token);
  const detail = `/api/v1/tickets/${mine.id}`;
  // Staff read it first (and again, so it is kept), then the other customer asks for the same path.
  assert.equal((await s.call('GET', detail, { token: admin })).status, 200);
  assert.equal((await s.call('GET', detail, { token: admin })).status, 200);
  assert.equal((await s.call('GET', detail, { token: otherCustomer.token })).status, 404);
  assert.equal((await s.call('GET', detail, { token: customer.token })).status, 200);
  // Lists: each customer sees only their own, whoever read the same URL before.
  const list = '/api/v1/tickets?limit=100';
  const staffList = (await s.call('GET', list, { token: admin })).body;
  assert.ok(staffList.items.some((t) => t.id === mine.id));
  const theirs = (await s.call('GET', list, { token: otherCustomer.token })).body;
  assert.ok(!theirs.items.some((t) => t.id === mine.id));
  const own = (await s.call('GET', list, { token: customer.token })).body;
  assert.ok(own.items.every((t) => t.customer.id === project.customer_id));
  // A revoked session is refused, even for a view it had read a moment ago.
  const extra = await s.login(customer.username, customer.password);
  assert.equal((await s.call('GET', detail, { token: extra })).status, 200);
  assert.equal((await s.call('POST', '/api/v1/auth/logout', { token: extra })).status, 204);
  await new Promise((r) => setTimeout(r, 2100));  // the token cache holds a session for 2 s
  assert.equal((await s.call('GET', detail, { token: extra })).status, 401);
});

test('a view is not kept across a change to master data it shows', async () => {
  const t = await createTicket(uniq('改名'));
  const detail = `/api/v1/tickets/${t.id}`;
  await s.call('GET', detail, { token: admin });
  const name = uniq('新项目名');
  const cur = await s.call('GET', `/api/v1/projects/${project.id}`, { token: admin });
  const r = await s.call('PATCH', `/api/v1/projects/${project.id}`, { token: admin, body: { name, version: cur.body.version } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal((await s.call('GET', detail, { token: admin })).body.project.name, name);
  assert.equal((await s.call('GET', `/api/v1/projects/${project.id}`, { token: admin })).body.name, name);
});

test('many readers of a view not kept wait for one rendering; /healthz answers meanwhile', async () => {
  await createTicket(uniq('并发'));  // a write: nothing is kept now
  const url = `/api/v1/tickets?project_id=${otherProject.id}&q=${encodeURIComponent('渗水')}`;
  const before = await hits();
  const answers = await Promise.all(Array.from({ length: 12 }, () => s.call('GET', url, { token: admin })));
  for (const a of answers) {
    assert.equal(a.status, 200);
    assert.deepEqual(a.body, answers[0].body);
  }
  assert.ok((await hits()) - before >= 6, 'most of the twelve were served the one rendering');
  assert.equal((await s.call('GET', '/healthz')).status, 200);
});

// Several server processes may share one PostgreSQL database: each write notifies the others,
// whose kept views end as they hear of it (not only at the end of the view's life).
const pgOnly = { skip: BACKEND !== 'postgres' && 'other processes are followed on PostgreSQL' };
const readUntil = async (path, token, ok, ms = 1500) => {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await s.call('GET', path, { token });
    if (ok(r.body) || Date.now() > deadline) return r.body;
    await new Promise((res) => setTimeout(res, 20));
  }
};

// Reads `path` until one is served from the cache. Other processes' writes (a login, say) may end a
// view a moment after it was kept, as they are heard; so "kept" is "kept again within a few reads".
const readUntilKept = async (path, token) => {
  for (let i = 0; i < 20; i++) {
    const h = await hits();
    const r = await s.call('GET', path, { token });
    if ((await hits()) > h) return r.body;
    await new Promise((res) => setTimeout(res, 50));
  }
  assert.fail(`${path} was never served from the cache`);
};

test('a write by another server process ends the views kept here', pgOnly, async () => {
  const other = await startServer({ db: { ...s.db, cleanup: () => {} }, createAdmin: false, args: ['--view-cache-ms', '5000'] });
  try {
    const otherAdmin = await other.login();
    const made = await createTicket(uniq('跨进程'));
    const detail = `/api/v1/tickets/${made.id}`;
    assert.equal((await readUntilKept(detail, admin)).paused, false, 'kept here');
    const p = await other.call('POST', `${detail}/actions/pause`, { token: otherAdmin, body: { pause_reason: 'waiting_customer', reason: '另一进程' } });
    assert.equal(p.status, 200, JSON.stringify(p.body));
    const seen = await readUntil(detail, admin, (b) => b.paused === true);
    assert.equal(seen.paused, true, 'the other process\'s pause is seen here long before the 5 s a view may live');
  } finally {
    await other.stop();
  }
});

test('losing the notification connection ends every kept view; views are kept again once it is back', pgOnly, async () => {
  const made = await createTicket(uniq('监听'));
  const detail = `/api/v1/tickets/${made.id}`;
  await readUntilKept(detail, admin);
  // A change made behind the servers' backs (plain SQL notifies nobody) may stay unseen while the
  // view lives; losing the listening connection ends every kept view: writes may have been missed.
  s.db.exec(`UPDATE tickets SET title = 'SQL直改' WHERE id = ${made.id}`);
  s.db.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'aftersales-listener' AND datname = current_database()");
  const seen = await readUntil(detail, admin, (b) => b.title === 'SQL直改');
  assert.equal(seen.title, 'SQL直改');
  for (let i = 0; i < 100 && !/cannot follow other processes' writes/.test(s.logs()); i++) await new Promise((r) => setTimeout(r, 20));
  assert.match(s.logs(), /cannot follow other processes' writes/);
  // Back to listening: views are kept again.
  await readUntilKept(detail, admin);
});
