// End-to-end: the service-request pages through a real browser against a live server.
//   AFTERSALES_URL=http://127.0.0.1:18080 node --test tests/e2e/
// Each test makes its own requests (through the UI or the API), so the tests are independent and
// run against a fresh demo database (demo logins: agent, dispatcher, tech1, customer1).
// Screenshots: docs/screenshots/{requests,intake,detail,technician-mobile,portal}.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launchBrowser, login, newPage, screenshot } from './helpers.mjs';

const USERS = {
  agent: { user: 'agent', password: 'agent-demo-2026' },
  dispatcher: { user: 'dispatcher', password: 'dispatcher-demo-2026' },
  tech1: { user: 'tech1', password: 'tech-demo-2026' },
  customer1: { user: 'customer1', password: 'customer-demo-2026' },
};
const NUMBER = /^FW\d{8}-\d{4}$/;

/** A logged-in API client for one demo user (session cookie sent by hand). */
async function apiAs({ user, password }) {
  const res = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password }),
  });
  assert.equal(res.status, 200, `API login as ${user}`);
  const { token, user: me } = await res.json();
  const call = async (method, path, body) => {
    const r = await fetch(`${BASE}/api/v1${path}`, {
      method,
      headers: {
        Cookie: `as_session=${token}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
        ...(method === 'POST' && path === '/tickets' ? { 'Idempotency-Key': `e2e-${Date.now()}-${Math.random()}` } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await r.json().catch(() => null);
    if (!r.ok) throw new Error(`${method} ${path} → ${r.status}: ${JSON.stringify(data)}`);
    return data;
  };
  return { me, get: (p) => call('GET', p), post: (p, b) => call('POST', p, b ?? {}) };
}

/** Logs a request by API as the agent, triaged and the customer contacted (ready for dispatch). */
async function respondedTicket(projectId, title) {
  const agent = await apiAs(USERS.agent);
  const t = await agent.post('/tickets', {
    project_id: projectId,
    channel: 'hotline',
    title,
    description: `${title}（端到端测试）`,
    contact_name: '测试联系人',
    contact_phone: '13900000000',
  });
  await agent.post(`/tickets/${t.id}/actions/triage`, { grade: 'medium', nature: 'electrical' });
  await agent.post(`/tickets/${t.id}/actions/contact_customer`, { method: 'phone', note: 'e2e' });
  return t;
}

/** Picks an option of an antd (Tree)Select by typing into it. */
async function pick(page, inputSelector, text, optionText = text) {
  await page.locator(inputSelector).click();
  await page.locator(inputSelector).fill(text);
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option, .ant-select-dropdown:visible .ant-select-tree-treenode').filter({ hasText: optionText }).first();
  await option.waitFor();
  await option.click();
}

/** Collects console errors (and uncaught exceptions) of a page. */
function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    // the login page's session probe (GET /auth/me → 401) is expected
    if (/401 \(Unauthorized\)/.test(text)) return;
    errors.push(text);
  });
  return errors;
}

let browser;

describe('web UI: service requests', { timeout: 240_000 }, () => {
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('an agent logs a request by phone and reads back the acceptance number', async () => {
    const { context, page } = await newPage(browser);
    const errors = watchErrors(page);
    try {
      await login(page, USERS.agent);
      await page.waitForURL((u) => u.pathname !== '/login');
      await page.goto(`${BASE}/tickets`);
      await page.getByTestId('tickets-page').locator('tr.ant-table-row').first().waitFor();
      await page.getByTestId('new-ticket').click();
      await page.waitForURL((u) => u.pathname === '/tickets/new');

      await pick(page, '#intake_customer_id', '华东数据');
      await pick(page, '#intake_project_id', '张江', '张江数据中心二期机房工程');
      await pick(page, '#intake_asset_id', 'CRAC-01', '精密空调 CRAC-01');
      const title = `主机房精密空调停机告警 ${Date.now() % 100000}`;
      await page.locator('#intake_title').fill(title);
      await page.locator('#intake_description').fill('主机房精密空调 CRAC-01 高压报警停机，不制冷，机房温度持续升高。');
      await page.locator('#intake_demand').fill('请立即派人到场处理');
      await page.locator('#intake_contact_name').fill('林工');
      await page.locator('#intake_contact_phone').fill('13817735502');
      // the live grading suggestion, with its reasons
      await page.getByTestId('suggestion-reasons').locator('li').first().waitFor();
      await page.getByTestId('use-suggestion').click();
      await screenshot(page, 'intake.png');

      await page.getByTestId('intake-submit').click();
      const number = (await page.getByTestId('acceptance-number').innerText()).trim();
      assert.match(number, NUMBER);
      await page.getByTestId('intake-result').getByText('请向客户复述', { exact: false }).waitFor();

      // it is in the list, with a live clock
      await page.goto(`${BASE}/tickets?q=${encodeURIComponent(number)}`);
      await page.getByTestId('tickets-page').getByText(number).waitFor();
      await page.goto(`${BASE}/tickets`);
      await page.getByTestId('tickets-page').getByText(number).waitFor();
      await page.getByTestId('countdown').first().waitFor();
      await screenshot(page, 'requests.png');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('saved views: save the filters and sort under a name, pick, rename, default, share by link, delete', async () => {
    const { context, page } = await newPage(browser);
    const errors = watchErrors(page);
    let other;
    try {
      await login(page, USERS.agent);
      await page.waitForURL((u) => u.pathname !== '/login');
      await page.goto(`${BASE}/tickets`);
      const list = page.getByTestId('tickets-page');
      await list.locator('tr.ant-table-row').first().waitFor();
      // filter: emergency; sort: next due time
      await page.getByTestId('filter-grade').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '紧急' }).first().click();
      await page.keyboard.press('Escape');
      await page.waitForURL((u) => u.searchParams.get('grade') === 'emergency');
      await list.locator('th.ant-table-column-has-sorters', { hasText: '下一节点' }).first().click();
      await page.waitForURL((u) => u.searchParams.get('sort') === 'next_due_at');
      await page.getByTestId('save-view').click();
      await page.getByTestId('view-name').fill('紧急待办');
      await page.getByTestId('view-default').click();
      await page.getByTestId('save-view-ok').click();
      await page.getByTestId('save-view-form').waitFor({ state: 'detached' });
      await page.getByTestId('saved-views').getByText('紧急待办').waitFor();
      const agentId = await page.evaluate(async () => (await (await fetch('/api/v1/auth/me')).json()).user.id);
      const stored = await page.evaluate((k) => localStorage.getItem(k), `aftersales.views.tickets.${agentId}`);
      assert.match(stored ?? '', /紧急待办/, 'stored per user in localStorage');
      assert.match(stored ?? '', /sort=next_due_at&grade=emergency/, 'the view keeps the filter and the sort');

      // another filter, then the saved view again from the dropdown
      await page.goto(`${BASE}/tickets?open=false`);
      await list.locator('.ant-table-tbody').waitFor();
      assert.equal(await page.getByTestId('saved-views').getByText('紧急待办').count(), 0, 'no saved view matches other filters');
      await page.getByTestId('saved-views').click();
      await page.locator('.ant-select-dropdown:visible').getByTestId('saved-view-option').filter({ hasText: '紧急待办' }).click();
      await page.waitForURL((u) => u.searchParams.get('grade') === 'emergency' && u.searchParams.get('sort') === 'next_due_at' && !u.searchParams.has('open')).catch((e) => {
        throw new Error(`${e.message}; at ${page.url()}`);
      });

      // rename it in "manage views"
      await page.getByTestId('views-menu').click();
      await page.getByTestId('manage-views').click();
      const renameBox = page.getByTestId('manage-views-list').getByTestId('view-rename').first();
      await renameBox.fill('紧急工单');
      await renameBox.press('Enter');
      await page.getByTestId('manage-views-done').click();
      await page.getByTestId('saved-views').getByText('紧急工单').waitFor();

      // the default view opens with the bare list
      await page.goto(`${BASE}/tickets`);
      await page.waitForURL((u) => u.searchParams.get('grade') === 'emergency');
      await page.getByTestId('filter-grade').getByText('紧急').waitFor();
      const shared = page.url();

      // the link shows a colleague the same filters; his own saved views are his
      ({ page: other } = await newPage(browser));
      await login(other, USERS.dispatcher);
      await other.waitForURL((u) => u.pathname !== '/login');
      await other.goto(shared);
      await other.getByTestId('filter-grade').getByText('紧急').waitFor();
      await other.getByTestId('tickets-page').locator('tr.ant-table-row').first().waitFor();
      const grades = await other.getByTestId('tickets-page').locator('tr.ant-table-row td:nth-child(4)').allInnerTexts();
      assert.ok(grades.length > 0 && grades.every((g) => g.trim() === '紧急'), `only emergencies: ${grades}`);
      await other.getByTestId('saved-views').click();
      await other.getByText('还没有保存的视图').waitFor();
      await other.context().close();
      other = null;

      // delete it: the bare list stays bare
      await page.getByTestId('views-menu').click();
      await page.getByTestId('manage-views').click();
      await page.getByTestId('manage-views-list').getByTestId('view-delete').click();
      await page.locator('.ant-popconfirm .ant-btn-primary').click();
      await page.getByTestId('manage-views-list').getByTestId('managed-view').waitFor({ state: 'detached' });
      await page.getByTestId('manage-views-done').click();
      await page.goto(`${BASE}/tickets`);
      await list.locator('tr.ant-table-row').first().waitFor();
      assert.equal(new URL(page.url()).search, '', 'no default view any more');
      assert.deepEqual(errors, []);
    } finally {
      if (other) await other.context().close();
      await context.close();
    }
  });

  test('the dispatcher opens a request and assigns it automatically', async () => {
    const ticket = await respondedTicket(2, `3F 照明回路跳闸 ${Date.now() % 100000}`);
    const { context, page } = await newPage(browser);
    const errors = watchErrors(page);
    try {
      await login(page, USERS.dispatcher);
      await page.waitForURL((u) => u.pathname !== '/login');
      await page.goto(`${BASE}/tickets/${ticket.id}`);
      await page.getByTestId('ticket-number').getByText(ticket.number).waitFor();
      await page.getByTestId('action-dispatch').click();
      await page.getByTestId('dispatch-suggestions').locator('.ant-list-item').first().waitFor();
      await page.getByTestId('dispatch-auto').click();
      await page.locator('[data-testid="state-tag"][data-state="dispatched"]').waitFor();
      await page.getByTestId('timeline').getByText('已派工').first().waitFor();
      await page.getByTestId('milestones').locator('tr.ant-table-row').first().waitFor();
      await screenshot(page, 'detail.png');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a technician on a phone (375 px) arrives on site', async () => {
    const ticket = await respondedTicket(1, `UPS 输出告警 ${Date.now() % 100000}`);
    const tech = await apiAs(USERS.tech1);
    const staff = await tech.get(`/staff?user_id=${tech.me.id}&limit=1`);
    const staffId = staff.items[0].id;
    const dispatcher = await apiAs(USERS.dispatcher);
    await dispatcher.post(`/tickets/${ticket.id}/actions/dispatch`, { staff_ids: [staffId], lead_staff_id: staffId });
    await tech.post(`/tickets/${ticket.id}/actions/depart`, {});

    const { context, page } = await newPage(browser, { width: 375, height: 740 });
    const errors = watchErrors(page);
    try {
      await login(page, USERS.tech1);
      await page.waitForURL((u) => u.pathname === '/jobs');
      const card = page.locator(`[data-testid="job-card"][data-number="${ticket.number}"]`);
      await card.waitFor();
      await screenshot(page, 'technician-mobile.png');
      await card.click();
      await page.waitForURL((u) => u.pathname === `/jobs/${ticket.id}`);
      await page.getByTestId('action-arrive').click();
      await page.getByTestId('action-form-arrive').waitFor();
      await page.getByTestId('action-submit').click();
      await page.locator('[data-testid="state-tag"][data-state="on_site"]').waitFor();
      // the next step is on the action bar
      await page.getByTestId('action-record_diagnosis').waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 380, `page scrolls sideways at 375 px (${width})`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the customer follows the request in the portal', async () => {
    const agent = await apiAs(USERS.agent);
    const t = await agent.post('/tickets', {
      project_id: 2,
      channel: 'hotline',
      title: `会议室空调不制冷 ${Date.now() % 100000}`,
      description: '10 楼大会议室空调开机后不制冷（端到端测试）',
    });
    const { context, page } = await newPage(browser);
    const errors = watchErrors(page);
    try {
      await login(page, USERS.customer1);
      await page.waitForURL((u) => u.pathname === '/my/requests');
      const link = page.getByTestId('my-requests-page').getByRole('link', { name: t.number });
      await link.waitFor();
      await link.click();
      await page.waitForURL((u) => u.pathname === `/my/requests/${t.id}`);
      await page.getByTestId('customer-progress').waitFor();
      await page.getByTestId('plain-status').getByText('我们已收到您的报修', { exact: false }).waitFor();
      await screenshot(page, 'portal.png');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('markup in a stored description is shown as text, never run (detail, list, portal)', async () => {
    const agent = await apiAs(USERS.agent);
    const payload = '<img src=x onerror=alert(1)><script>window.__xss = 1; alert(2)</script>';
    const t = await agent.post('/tickets', {
      project_id: 2,
      channel: 'hotline',
      title: `<b>标题</b> ${Date.now() % 100000}`,
      description: `窗户关不上 ${payload}`,
      demand: '<img src=y onerror=alert(3)>',
    });
    for (const who of [USERS.agent, USERS.customer1]) {
      const { context, page } = await newPage(browser);
      const errors = watchErrors(page);
      const dialogs = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      try {
        await login(page, who);
        await page.waitForURL((u) => u.pathname !== '/login');
        const path = who === USERS.agent ? `/tickets/${t.id}` : `/my/requests/${t.id}`;
        await page.goto(`${BASE}${path}`);
        const overview = page.getByTestId('ticket-overview');
        await overview.getByText('窗户关不上', { exact: false }).waitFor();
        const text = await overview.innerText();
        assert.ok(text.includes(payload), `the description is shown literally: ${text}`);
        assert.ok(text.includes('<img src=y onerror=alert(3)>'), 'the demand is shown literally');
        assert.ok((await page.getByTestId('ticket-detail').innerText()).includes('<b>标题</b>'), 'the title is shown literally');
        assert.equal(await overview.locator('img, script, b').count(), 0, 'no element injected');
        assert.equal(await page.locator('img[src="x"], img[src="y"]').count(), 0);
        assert.equal(await page.evaluate(() => window.__xss), undefined);
        // the list shows the title as text too
        await page.goto(`${BASE}${who === USERS.agent ? '/tickets' : '/my/requests'}?q=${encodeURIComponent(t.number)}`);
        await page.getByText('<b>标题</b>', { exact: false }).first().waitFor();
        assert.equal(await page.locator('main b, .ant-table b').count(), 0);
        assert.deepEqual(dialogs, [], 'no dialog opened');
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
  });

  test("a customer opening another customer's request sees not found", async () => {
    const agent = await apiAs(USERS.agent);
    // project 6 belongs to another customer (the hotel), not customer1's organisation
    const other = await agent.post('/tickets', {
      project_id: 6,
      channel: 'hotline',
      title: `客房卫生间渗水 ${Date.now() % 100000}`,
      description: '客房卫生间地面渗水（端到端测试）',
    });
    const { context, page } = await newPage(browser);
    try {
      await login(page, USERS.customer1);
      await page.waitForURL((u) => u.pathname === '/my/requests');
      await page.goto(`${BASE}/my/requests/${other.id}`);
      await page.getByText('页面不存在', { exact: true }).waitFor();
      assert.equal(await page.getByTestId('ticket-detail').count(), 0);
      assert.equal(await page.getByText(other.number).count(), 0);
    } finally {
      await context.close();
    }
  });
});
