// End-to-end: the public satisfaction survey page and the dispatch board.
//   AFTERSALES_URL=http://127.0.0.1:18080 node --test tests/e2e/survey-dispatch.spec.mjs
// Screenshots: docs/screenshots/{survey,dispatch}.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launchBrowser, login, newPage, screenshot, watchErrors as watchPageErrors } from './helpers.mjs';

const USERS = {
  admin: { user: 'admin', password: 'admin-demo-2026' },
  agent: { user: 'agent', password: 'agent-demo-2026' },
  dispatcher: { user: 'dispatcher', password: 'dispatcher-demo-2026' },
};

async function apiAs({ user, password }) {
  const res = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password }),
  });
  assert.equal(res.status, 200, `API login as ${user}`);
  const { token } = await res.json();
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
  return { get: (p) => call('GET', p), post: (p, b) => call('POST', p, b ?? {}) };
}

/** A fresh survey link: schedule the follow-ups of a closed demo request, send one round's survey. */
async function surveyToken() {
  const admin = await apiAs(USERS.admin);
  const closed = await admin.get('/tickets?state=closed&limit=50');
  for (const t of closed.items) {
    await admin.post(`/tickets/${t.id}/follow-ups/schedule`);
    const rounds = await admin.get(`/tickets/${t.id}/follow-ups`);
    const round = rounds.items.find((f) => f.state === 'scheduled' && !f.survey);
    if (!round) continue;
    const sent = await admin.post(`/follow-ups/${round.id}/send-survey`);
    assert.match(sent.survey_url ?? '', /\/survey\/[\w-]+$/);
    return { token: sent.survey_url.split('/survey/')[1], ticket: t };
  }
  throw new Error('no closed demo request with an open follow-up round');
}

function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (/401 \(Unauthorized\)/.test(text)) return; // the session probe when nobody is logged in
    errors.push(text);
  });
  return errors;
}

let browser;

describe('web UI: survey and dispatch board', { timeout: 180_000 }, () => {
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('a customer answers the satisfaction survey on a phone without logging in', async () => {
    const { token, ticket } = await surveyToken();
    const { context, page } = await newPage(browser, { width: 375, height: 812 });
    const errors = watchErrors(page);
    try {
      await page.goto(`${BASE}/survey/${token}`);
      await page.getByTestId('survey-form').waitFor();
      assert.equal(new URL(page.url()).pathname, `/survey/${token}`, 'not redirected to the login page');
      await page.getByTestId('survey-info').getByText(ticket.number).waitFor();
      // five 1–5 ratings: give 5, 4, 5, 4, 5 stars
      const dims = ['response_speed', 'attitude', 'competence', 'effectiveness', 'communication'];
      for (const [i, d] of dims.entries()) {
        await page.getByTestId(`rate-${d}`).locator('li.ant-rate-star').nth(i % 2 ? 3 : 4).locator('div[role="radio"]').click();
      }
      await page.getByTestId('survey-comment').fill('维修师傅很专业，响应及时。');
      await page.getByTestId('survey-comment').blur();
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'survey.png');
      await page.getByTestId('survey-submit').click();
      await page.getByTestId('survey-thanks').waitFor();

      // the link is used up now
      await page.goto(`${BASE}/survey/${token}`);
      await page.getByTestId('survey-answered').waitFor();
      // an unknown link
      await page.goto(`${BASE}/survey/svy_does-not-exist`);
      await page.getByTestId('survey-not-found').waitFor();
      assert.deepEqual(errors.filter((e) => !/404 \(Not Found\)/.test(e)), []);
    } finally {
      await context.close();
    }
  });

  test("dropping a request on a technician's row assigns it; his day timeline shows it (zh-CN and en)", async () => {
    const agent = await apiAs(USERS.agent);
    const title = `5F 强电井配电柜异响 ${Date.now() % 100000}`;
    const created = await agent.post('/tickets', {
      project_id: 2,
      channel: 'hotline',
      title,
      description: `${title}（端到端测试）`,
      contact_name: '测试联系人',
      contact_phone: '13900000000',
    });
    await agent.post(`/tickets/${created.id}/actions/triage`, { grade: 'medium', nature: 'electrical' });
    await agent.post(`/tickets/${created.id}/actions/contact_customer`, { method: 'phone', note: 'e2e' });

    const { context, page } = await newPage(browser, { width: 1440, height: 1300 });
    const errors = watchPageErrors(page);
    try {
      await login(page, USERS.dispatcher);
      await page.waitForURL((u) => u.pathname !== '/login');
      await page.goto(`${BASE}/dispatch`);
      const rows = page.getByTestId('board-tech');
      await rows.first().getByTestId('tech-timeline').waitFor();
      assert.ok((await rows.count()) >= 4, 'a row per technician');
      // today's working hours with "now" on them, team and service centre, skills, load
      const scale = await page.getByTestId('timeline-scale').innerText();
      assert.match(scale, /\d\d:00/);
      // Labels every two hours; which ones depends on the hour the board is opened (it widens to show now).
      const hours = [...scale.matchAll(/(\d\d):00/g)].map((m) => Number(m[1]));
      assert.ok(Math.min(...hours) <= 8 && Math.max(...hours) >= 19, `a working day 08:00–20:00 or wider: ${scale}`);
      assert.equal(await rows.first().getByTestId('timeline-now').count(), 1);
      await rows.filter({ hasText: '机电维保一组' }).first().getByText('上海售后服务中心').waitFor();
      await rows.first().getByTestId('tech-load').waitFor();

      // select the request: every technician's row shows his rank, score and reasons; the best is first
      const item = page.getByTestId('board-waiting').locator(`[data-number="${created.number}"]`);
      await item.click();
      await page.getByTestId('board-suggestion').first().waitFor();
      const best = rows.first();
      await best.locator('[data-testid="tech-suggestion"][data-rank="1"]').waitFor();
      assert.match(await best.getByTestId('tech-suggestion').innerText(), /推荐第 1 · [\d.]+ 分\s+\S+/);
      const staffId = await best.getAttribute('data-staff-id');
      const loadBefore = Number((await best.getByTestId('tech-load').innerText()).replace(/\D/g, '') || 0);
      await screenshot(page, 'dispatch-timeline.png');

      // drop the request on his day
      await item.dragTo(best.getByTestId('tech-timeline'));
      await item.waitFor({ state: 'detached' });
      const row = page.locator(`[data-testid="board-tech"][data-staff-id="${staffId}"]`);
      await row.locator(`[data-testid="timeline-job"][data-number="${created.number}"]`).waitFor();
      await row.getByTestId('tech-load').getByText(`在办 ${loadBefore + 1}`).waitFor();
      const detail = await agent.get(`/tickets/${created.id}`);
      assert.equal(detail.state, 'dispatched');
      assert.deepEqual(detail.assignees.map((a) => String(a.staff_id)), [staffId]);

      // in English: the board's own words are English (names and places stay as recorded)
      await page.getByTestId('language-switch').getByText('English').click();
      await page.getByTestId('dispatch-board').locator('h4', { hasText: 'Dispatch board' }).waitFor();
      const legend = await page.getByTestId('timeline-legend').innerText();
      assert.match(legend, /^Blocks: /);
      await row.getByTestId('tech-load').getByText(`${loadBefore + 1} open`).waitFor();
      const chrome = await page.locator('.ant-card-head-title, [data-testid="timeline-legend"], [data-testid="timeline-scale"], [data-testid="tech-load"], [data-testid="board-tech"] .ant-tag').allInnerTexts();
      const cjk = chrome.filter((x) => /[\u4e00-\u9fff]/.test(x));
      assert.deepEqual(cjk, [], 'untranslated words on the board in English');
      await page.getByTestId('language-switch').getByText('中文').click();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the dispatcher assigns a responded request from the dispatch board', async () => {
    const agent = await apiAs(USERS.agent);
    const title = `2F 配电箱漏电开关频繁跳闸 ${Date.now() % 100000}`;
    const created = await agent.post('/tickets', {
      project_id: 2,
      channel: 'hotline',
      title,
      description: `${title}（端到端测试）`,
      contact_name: '测试联系人',
      contact_phone: '13900000000',
    });
    await agent.post(`/tickets/${created.id}/actions/triage`, { grade: 'medium', nature: 'electrical' });
    await agent.post(`/tickets/${created.id}/actions/contact_customer`, { method: 'phone', note: 'e2e' });

    const { context, page } = await newPage(browser, { width: 1440, height: 900 });
    const errors = watchErrors(page);
    try {
      await login(page, USERS.dispatcher);
      await page.waitForURL((u) => u.pathname !== '/login');
      await page.locator('.ant-menu').getByText('派工看板').click();
      await page.waitForURL((u) => u.pathname === '/dispatch');
      const item = page.getByTestId('board-waiting').locator(`[data-number="${created.number}"]`);
      await item.waitFor();
      await page.getByTestId('board-tech').first().waitFor();
      await item.click();
      await page.getByTestId('board-suggestion').first().waitFor();
      await screenshot(page, 'dispatch.png');
      await page.getByTestId('board-assign').first().click();
      // refreshed: the request left the waiting list
      await item.waitFor({ state: 'detached' });
      const detail = await agent.get(`/tickets/${created.id}`);
      assert.equal(detail.state, 'dispatched');
      assert.ok(detail.assignees.length >= 1);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
