// Throw-away mock of the Aftersales server, for developing the web UI before the C++ backend
// is available. NOT used by the committed e2e test (which runs against AFTERSALES_URL).
//
//   node tests/e2e/mock-server.mjs            # serves web/dist + a fake /api/v1 on :18080
//   MOCK_PORT=18081 node tests/e2e/mock-server.mjs
//   curl -X POST localhost:18080/__mock/expire   # invalidate all sessions (test 401 handling)
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const PORT = Number(process.env.MOCK_PORT ?? 18080);
const DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const USERS = {
  admin: { password: 'admin-demo-2026', user: { id: 1, username: 'admin', display_name: '王管理', role: 'admin', customer_id: null } },
  agent1: { password: 'agent-demo-2026', user: { id: 2, username: 'agent1', display_name: '李客服', role: 'agent', customer_id: null } },
  customer1: { password: 'customer-demo-2026', user: { id: 3, username: 'customer1', display_name: '赵经理（华东数据）', role: 'customer', customer_id: 1 } },
};
const sessions = new Map(); // token -> user
const failures = new Map(); // username -> [timestamps]

const TYPES = ['building', 'decoration', 'mep', 'curtain_wall', 'steel_structure', 'data_centre', 'other'];
const CITIES = ['上海', '杭州', '南京', '苏州', '合肥', '宁波'];
const customers = Array.from({ length: 47 }, (_, i) => ({
  id: i + 1,
  name: i === 0 ? '华东数据科技有限公司' : `${CITIES[i % 6]}${['置业', '物流', '商业', '制造', '医疗'][i % 5]}有限公司${i + 1}号`,
  tier: ['A', 'B', 'C'][i % 3],
  address: `${CITIES[i % 6]}市某区某路${100 + i}号`,
  notes: i % 4 === 0 ? '重点客户，需 2 小时内响应' : '',
  contacts: [{ name: `联系人${i + 1}`, phone: `1380000${String(i).padStart(4, '0')}`, email: `c${i + 1}@example.com` }],
  version: 1,
}));
const projects = Array.from({ length: 63 }, (_, i) => {
  const c = customers[i % customers.length];
  return {
    id: i + 1,
    name: `${c.name.slice(0, 4)}${['数据中心', '办公楼', '仓库', '幕墙工程', '机电改造'][i % 5]}${i + 1}期`,
    type: TYPES[i % TYPES.length],
    customer_id: c.id,
    customer_name: c.name,
    address: c.address,
    completion_date: `202${3 + (i % 3)}-0${1 + (i % 9)}-15`,
    warranty_months: i % 7 === 1 ? 12 : 24,
  };
});
const ROLES = ['technician', 'technician', 'tech_lead', 'dispatcher', 'agent', 'quality_inspector', 'procurement', 'project_manager'];
const staff = Array.from({ length: 28 }, (_, i) => ({
  id: i + 1,
  name: `员工${i + 1}`,
  role: ROLES[i % ROLES.length],
  team_name: ['机电一组', '幕墙班', '钢结构班', '数据中心保障组'][i % 4],
  skills: [['electrical', 'hvac'], ['curtain_wall'], ['steel', 'coating'], ['dc_power', 'dc_cooling']][i % 4],
}));

function send(res, status, body, headers = {}) {
  const json = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(json);
}
function problem(res, status, title, detail, extra = {}, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/problem+json', ...headers });
  res.end(JSON.stringify({ type: 'about:blank', title, status, detail, ...extra }));
}
function sessionUser(req) {
  const m = /(?:^|;\s*)as_session=([^;]+)/.exec(req.headers.cookie ?? '');
  return m ? sessions.get(m[1]) : undefined;
}
async function readBody(req) {
  let s = '';
  for await (const chunk of req) s += chunk;
  try {
    return JSON.parse(s || '{}');
  } catch {
    return null;
  }
}
function paged(res, url, rows, match) {
  const limit = Math.min(Number(url.searchParams.get('limit') ?? 20), 100);
  const offset = Number(url.searchParams.get('offset') ?? 0);
  const q = url.searchParams.get('q');
  const filtered = rows.filter((r) => (!q || match(r, q)));
  const sort = url.searchParams.get('sort');
  if (sort) {
    const field = sort.replace(/^-/, '');
    const dir = sort.startsWith('-') ? -1 : 1;
    filtered.sort((a, b) => dir * String(a[field]).localeCompare(String(b[field]), 'zh-CN'));
  }
  send(res, 200, { items: filtered.slice(offset, offset + limit), total: filtered.length });
}

async function api(req, res, url) {
  const p = url.pathname.replace(/^\/api\/v1/, '');
  if (p === '/auth/login' && req.method === 'POST') {
    const body = await readBody(req);
    if (!body) return problem(res, 400, 'Bad Request', 'invalid JSON');
    const errors = [];
    if (!body.username) errors.push({ field: 'username', rule: 'required', message: '用户名不能为空' });
    if (!body.password) errors.push({ field: 'password', rule: 'required', message: '密码不能为空' });
    if (errors.length) return problem(res, 422, 'Validation failed', 'invalid fields', { errors });
    const now = Date.now();
    const recent = (failures.get(body.username) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= 5) return problem(res, 429, 'Too Many Requests', 'too many attempts', {}, { 'Retry-After': '60' });
    const u = USERS[body.username];
    if (!u || u.password !== body.password) {
      failures.set(body.username, [...recent, now]);
      return problem(res, 401, 'Unauthorized', 'invalid username or password');
    }
    const token = randomBytes(32).toString('hex');
    sessions.set(token, u.user);
    return send(res, 200, { token, expires_at: new Date(now + 8 * 3600e3).toISOString(), user: u.user }, {
      'Set-Cookie': `as_session=${token}; Path=/; HttpOnly; SameSite=Strict`,
    });
  }
  if (p === '/auth/logout' && req.method === 'POST') {
    const m = /(?:^|;\s*)as_session=([^;]+)/.exec(req.headers.cookie ?? '');
    if (m) sessions.delete(m[1]);
    res.writeHead(204, { 'Set-Cookie': 'as_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0' });
    return res.end();
  }
  const user = sessionUser(req);
  if (!user) return problem(res, 401, 'Unauthorized', 'not logged in');
  await new Promise((r) => setTimeout(r, 150)); // make loading states visible
  if (p === '/auth/me') return send(res, 200, { user });
  if (p === '/customers') {
    if (user.role === 'customer') return problem(res, 403, 'Forbidden', 'customers may not list customers');
    return paged(res, url, customers, (r, q) => r.name.includes(q) || r.address.includes(q));
  }
  if (p === '/projects') {
    const cid = url.searchParams.get('customer_id');
    const type = url.searchParams.get('type');
    const rows = projects.filter(
      (r) => (user.role !== 'customer' || r.customer_id === user.customer_id) && (!cid || String(r.customer_id) === cid) && (!type || r.type === type),
    );
    return paged(res, url, rows, (r, q) => r.name.includes(q) || r.address.includes(q));
  }
  if (p === '/staff') {
    if (user.role === 'customer') return problem(res, 403, 'Forbidden', 'no');
    return paged(res, url, staff, (r, q) => r.name.includes(q) || r.team_name.includes(q));
  }
  if (p === '/boom') return problem(res, 500, 'Internal Server Error', 'boom');
  return problem(res, 404, 'Not Found', `no route ${p}`);
}

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };

async function serveStatic(req, res, url) {
  const rel = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
  let file = join(DIST, rel);
  try {
    if (!(await stat(file)).isFile()) throw new Error('dir');
  } catch {
    if (url.pathname.startsWith('/assets/')) {
      res.writeHead(404);
      return res.end('not found');
    }
    file = join(DIST, 'index.html'); // SPA fallback
  }
  const data = await readFile(file);
  res.writeHead(200, {
    'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': url.pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  res.end(data);
}

http
  .createServer(async (req, res) => {
    const url = new URL(req.url, `http://${req.headers.host}`);
    try {
      if (url.pathname === '/__mock/expire') {
        sessions.clear();
        return send(res, 200, { ok: true });
      }
      if (url.pathname.startsWith('/api/')) return await api(req, res, url);
      return await serveStatic(req, res, url);
    } catch (e) {
      problem(res, 500, 'Internal Server Error', String(e));
    }
  })
  .listen(PORT, '127.0.0.1', () => console.log(`mock aftersales on http://127.0.0.1:${PORT}`));
