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
