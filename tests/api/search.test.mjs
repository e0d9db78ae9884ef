// Full-text search of requests: any substring of the number, title or description, Chinese or
// mixed, through the character-pair index — exact answers, whatever the index proposes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniq } from './lib.mjs';

let s, admin, project, made;
before(async () => {
  s = await startServer();
  admin = await s.login();
  const c = (await s.call('POST', '/api/v1/customers', { token: admin, body: { name: uniq('搜索客户') } })).body;
  project = (await s.call('POST', '/api/v1/projects', { token: admin, body: { customer_id: c.id, name: uniq('项目'), type: 'mep' } })).body;
  made = {};
  for (const [key, title, description] of [
    ['chiller', '冷水机组运行异响', '冷冻机房 CH-2 运行时有金属异响，出水温度偏高'],
    ['leak', '吊顶漏水', '3F 会议室吊顶渗水，地毯湿了'],
    ['ups', 'UPS-1 告警', '机房 ups 逆变器故障转旁路'],
    ['split', '漏 水', '字之间有空格：不是连续的两个字'],
  ]) {
    const r = await s.call('POST', '/api/v1/tickets', { token: admin, body: { project_id: project.id, title, description } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    made[key] = r.body;
  }
});
after(async () => { await s.stop(); });

const search = async (q, extra = '') => {
  const r = await s.call('GET', `/api/v1/tickets?project_id=${project.id}&q=${encodeURIComponent(q)}${extra}`, { token: admin });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
};
const ids = (body) => body.items.map((t) => t.id).sort((a, b) => a - b);

test('Chinese substrings of title or description are found, and only exact ones', async () => {
  assert.deepEqual(ids(await search('漏水')), [made.leak.id]);   // not "漏 水": the pair is split by a space
  assert.deepEqual(ids(await search('运行异响')), [made.chiller.id]);
  assert.deepEqual(ids(await search('金属异响，出水')), [made.chiller.id]);
  assert.deepEqual(ids(await search('异响出水')), []);            // every pair is indexed, but not this substring
  assert.deepEqual(ids(await search('吊顶')), [made.leak.id]);
});

test('ASCII is case-insensitive; single characters still match by substring', async () => {
  assert.deepEqual(ids(await search('ups')), [made.ups.id]);
  assert.deepEqual(ids(await search('UPS-1')), [made.ups.id]);
  const one = ids(await search('漏'));
  assert.deepEqual(one, [made.leak.id, made.split.id].sort((a, b) => a - b));
});

test('acceptance numbers by their start, and LIKE wildcards are literal', async () => {
  const day = made.leak.number.slice(0, 10);  // FWyyyymmdd
  const found = ids(await search(day.toLowerCase()));
  for (const t of Object.values(made)) assert.ok(found.includes(t.id), `${t.number} under ${day}`);
  assert.deepEqual(ids(await search(made.leak.number)), [made.leak.id]);
  assert.deepEqual(ids(await search('%')), []);
  assert.deepEqual(ids(await search('_')), []);
});

test('totals say whether they are exact', async () => {
  const body = await search('机');
  assert.equal(body.total, 2);
  assert.equal(body.total_exact, true);
});

test('a search counts only as far as the next five pages, and further as the caller pages on', async () => {
  const word = uniq('计数');
  for (let i = 0; i < 12; i++) {
    const r = await s.call('POST', '/api/v1/tickets', { token: admin, body: { project_id: project.id, title: `${word} ${i}`, description: '风机盘管滴水' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const first = await search(word, '&limit=2');
  assert.equal(first.items.length, 2);
  assert.equal(first.total, 10);            // 5 pages of 2
  assert.equal(first.total_exact, false);
  const deeper = await search(word, '&limit=2&offset=4');
  assert.equal(deeper.total, 12);           // up to 14 counted: all 12 found
  assert.equal(deeper.total_exact, true);
  const all = await search(word, '&limit=20');
  assert.equal(all.total, 12);
  assert.equal(all.total_exact, true);
  const seen = new Set();
  for (let offset = 0; offset < 12; offset += 2) for (const t of (await search(word, `&limit=2&offset=${offset}`)).items) seen.add(t.id);
  assert.equal(seen.size, 12, 'paging reaches every match');
});

test('a search lists the newest reports first, however the requests were entered', async () => {
  // --search-window 2: PostgreSQL checks only the two newest requests itself, then asks the index
  // month by month, then over everything; every page must still be in report order.
  const t = await startServer({ args: ['--search-window', '2'] });
  try {
    const token = await t.login();
    const c = (await t.call('POST', '/api/v1/customers', { token, body: { name: uniq('时序客户') } })).body;
    const p = (await t.call('POST', '/api/v1/projects', { token, body: { customer_id: c.id, name: uniq('项目'), type: 'mep' } })).body;
    const word = uniq('排序');
    const day = 86400 * 1000;
    const now = Date.now();
    // Entered out of order: the request made last is not the one reported last.
    const daysBack = [9, 0, 27, 3, 18, 6, 24, 1, 12, 21];
    const expected = [];
    for (const d of daysBack) {
      const r = await t.call('POST', '/api/v1/tickets', { token, body: {
        project_id: p.id, title: `${word} 新风机组`, description: '送风量不足',
        reported_at: new Date(now - d * day - 60000).toISOString() } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      expected.push([d, r.body.id]);
    }
    for (let i = 0; i < 3; i++) {  // the newest requests do not match
      const r = await t.call('POST', '/api/v1/tickets', { token, body: { project_id: p.id, title: '门禁失灵', description: '刷卡无反应' } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    expected.sort((a, b) => a[0] - b[0]);
    const seen = [];
    for (let offset = 0; offset < 12; offset++) {
      const r = await t.call('GET', `/api/v1/tickets?q=${encodeURIComponent(word)}&limit=1&offset=${offset}`, { token });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      seen.push(...r.body.items.map((x) => x.id));
      if (offset >= 10) assert.equal(r.body.items.length, 0);
    }
    assert.deepEqual(seen, expected.map(([, id]) => id));
    const whole = await t.call('GET', `/api/v1/tickets?q=${encodeURIComponent(word)}&limit=4`, { token });
    assert.deepEqual(whole.body.items.map((x) => x.id), expected.slice(0, 4).map(([, id]) => id));
  } finally {
    await t.stop();
  }
});
