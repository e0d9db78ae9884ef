// A list of requests counts its matches only 1,000 past the start of the page it shows, and further
// as the caller pages on: a total is exact below that and says when it is only a lower bound.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, cli } from './lib.mjs';

const GENERATED = 2500;
let s, admin;
before(async () => {
  const db = freshDatabase();
  cli(['generate', '--database', db.url, '--requests', String(GENERATED), '--customers', '5', '--projects', '10',
    '--assets', '20']);
  s = await startServer({ db, args: ['--no-workers'] });
  admin = await s.login();
});
after(async () => { await s.stop(); });

const list = async (query) => {
  const r = await s.call('GET', `/api/v1/tickets?${query}`, { token: admin });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
};

test('the first page counts to 1,000 and says the total is a lower bound', async () => {
  const first = await list('limit=20');
  assert.equal(first.items.length, 20);
  assert.equal(first.total, 1000);
  assert.equal(first.total_exact, false);
});

test('paging on counts further, up to the exact total', async () => {
  const middle = await list('limit=20&offset=1000');
  assert.equal(middle.total, 2000);
  assert.equal(middle.total_exact, false);
  const late = await list('limit=20&offset=1600');
  assert.equal(late.total, GENERATED);  // 2,600 counted: all 2,500 found
  assert.equal(late.total_exact, true);
  const last = await list(`limit=200&offset=${GENERATED - 100}`);
  assert.equal(last.items.length, 100);
  assert.equal(last.total, GENERATED);
  assert.equal(last.total_exact, true);
});

test('a filter that matches fewer than 1,000 is counted exactly', async () => {
  const all = [];
  for (let offset = 0; ; offset += 200) {
    const page = await list(`state=cancelled&limit=200&offset=${offset}`);
    all.push(...page.items);
    if (page.items.length < 200) break;
  }
  assert.ok(all.length > 0 && all.length < 1000, `generated ${all.length} cancelled requests`);
  const first = await list('state=cancelled&limit=5');
  assert.equal(first.total, all.length);
  assert.equal(first.total_exact, true);
});
