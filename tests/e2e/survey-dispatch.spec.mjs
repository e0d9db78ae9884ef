// End-to-end: the public satisfaction survey page and the dispatch board.
//   AFTERSALES_URL=http://127.0.0.1:18080 node --test tests/e2e/survey-dispatch.spec.mjs
// Screenshots: docs/screenshots/{survey,dispatch}.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launchBrowser, login, newPage, screenshot } from './helpers.mjs';

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
