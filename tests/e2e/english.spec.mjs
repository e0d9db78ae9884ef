// End-to-end: every page, switched to English in the shell, shows no untranslated (Chinese) words in
// its own labels — menus, titles, table heads, buttons, form labels, record fields, chart descriptions
// — and logs no console errors. Names, addresses and descriptions recorded in Chinese stay as they are,
// so only the UI's own elements are read.
//   AFTERSALES_URL=http://127.0.0.1:18080 node --test tests/e2e/english.spec.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, apiAs, launchBrowser, login, newPage, watchErrors } from './helpers.mjs';

const PASSWORDS = {
  admin: 'admin-demo-2026',
  manager: 'manager-demo-2026',
  agent: 'agent-demo-2026',
  dispatcher: 'dispatcher-demo-2026',
  tech1: 'tech-demo-2026',
  quality: 'quality-demo-2026',
  customer1: 'customer-demo-2026',
};
const as = (user) => ({ user, password: PASSWORDS[user] });
const CJK = /[\u3400-\u9fff]/;
// the UI's own words (not data): what must be English once English is chosen
const CHROME = [
  '.ant-menu-title-content',
  'h4',
  '.ant-card-head-title',
  '.ant-table-thead th',
  '.ant-btn:not([data-testid="language-switch"] *)',
  '.ant-form-item-label label',
  '.ant-descriptions-item-label',
  '.ant-statistic-title',
  '.ant-steps-item-title',
  '.ant-empty-description',
  '.ant-select-selection-placeholder',
  '.ant-result-title',
  '.ant-result-subtitle',
  '.ant-timeline-item-content strong',
  '.ant-pagination-total-text',
  '[data-testid="plain-status"]',
  '[data-testid="timeline-legend"]',
  '[data-testid="state-tag"]',
].join(', ');

/** A request with records (diagnosis with a measurement, plan) for the detail pages. */
async function requestWithRecords() {
  const agent = await apiAs(as('agent'));
  const t = await agent.post('/tickets', {
    project_id: 2,
    channel: 'hotline',
    title: `配电间照明回路跳闸 ${Date.now() % 100000}`,
    description: '配电间照明回路反复跳闸（英文界面端到端测试）',
    contact_name: '王工',
    contact_phone: '13900000000',
    grade: 'medium',
    nature: 'electrical',
  });
  await agent.post(`/tickets/${t.id}/actions/contact_customer`, { method: 'phone' });
  const tech = await apiAs(as('tech1'));
  const staff = await tech.get(`/staff?user_id=${tech.me.id}&limit=1`);
  const staffId = staff.items[0].id;
  await (await apiAs(as('dispatcher'))).post(`/tickets/${t.id}/actions/dispatch`, { staff_ids: [staffId], lead_staff_id: staffId });
  await tech.post(`/tickets/${t.id}/actions/depart`, {});
  await tech.post(`/tickets/${t.id}/actions/arrive`, {});
  await tech.post(`/tickets/${t.id}/actions/record_diagnosis`, {
    findings: '断路器触点烧蚀',
    cause: 'material',
    severity: 'minor',
    measurements: [{ instrument: '钳形表', value: 12.5, unit: 'A', location: '3AL1' }],
  });
  await tech.post(`/tickets/${t.id}/actions/submit_plan`, { goal: '更换断路器', scope: '3AL1 照明回路', steps: ['断电', '更换', '复测'] });
  return t;
}

async function untranslated(page) {
  const texts = await page.locator(CHROME).allInnerTexts();
  const placeholders = await page.locator('input[placeholder], textarea[placeholder]').evaluateAll((els) => els.map((e) => e.getAttribute('placeholder')));
  return [...new Set([...texts, ...placeholders].map((x) => (x ?? '').trim()).filter((x) => CJK.test(x)))];
}

let browser;

describe('web UI in English: no untranslated words, no console errors', { timeout: 300_000 }, () => {
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('every page of every role', async () => {
    const ticket = await requestWithRecords();
    const tours = [
      { who: 'manager', pages: ['/dashboard', '/tickets', '/tickets/new', `/tickets/${ticket.id}`, '/dispatch', '/customers', '/projects', '/staff', '/nowhere'] },
      { who: 'admin', pages: ['/settings', '/my/requests'] },
      { who: 'agent', pages: ['/tickets', `/tickets/${ticket.id}`] },
      { who: 'quality', pages: ['/dashboard'] },
      { who: 'tech1', viewport: { width: 375, height: 740 }, pages: ['/jobs', `/jobs/${ticket.id}`] },
      { who: 'customer1', pages: ['/my/requests', `/my/requests/${ticket.id}`, '/my/requests/new', '/my/projects'] },
    ];
    const problems = [];
    for (const tour of tours) {
      const { context, page } = await newPage(browser, tour.viewport);
      const errors = watchErrors(page);
      try {
        await login(page, as(tour.who));
        await page.waitForURL((u) => u.pathname !== '/login');
        // switch the language in the shell (kept for the next pages)
        await page.getByTestId('language-switch').getByText('English').click();
        await page.waitForFunction(() => document.documentElement.lang === 'en-US');
        for (const path of tour.pages) {
          await page.goto(`${BASE}${path}`);
          await page.locator('main, .ant-layout-content').first().waitFor();
          // wait for the page's own content, not for a fixed time
          await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning, .ant-skeleton-active'), null, { timeout: 15_000 });
          await page.locator('h4, .ant-result-title').first().waitFor();
          if (path.startsWith('/tickets/') && path !== '/tickets/new') {
            await page.getByTestId('records').waitFor();
            const fields = await page.getByTestId('record-field').allInnerTexts();
            const raw = fields.filter((f) => /^[a-z]+(_[a-z]+)+$|^[a-z]+$/.test(f.trim()));
            if (raw.length) problems.push(`${tour.who} ${path}: record fields not labelled: ${raw.join(', ')}`);
            await page.getByTestId('records').getByText('Measurements').waitFor();
          }
          if (path === '/dashboard') {
            await page.getByTestId('dashboard-page').locator('canvas').first().waitFor();
            // the charts describe themselves (aria) in the UI language: grades, states, buckets, natures
            for (const card of ['chart-open-by-grade', 'chart-open-by-state', 'chart-backlog-ageing', 'chart-top-natures']) {
              const chart = page.getByTestId(card).locator('[aria-label]').first();
              if ((await chart.count()) === 0) continue; // no data this month
              await page.waitForFunction((id) => /chart/i.test(document.querySelector(`[data-testid="${id}"] [aria-label]`)?.getAttribute('aria-label') ?? ''), card);
              const aria = await chart.getAttribute('aria-label');
              if (CJK.test(aria)) problems.push(`${tour.who} ${path}: ${card} aria-label: ${aria.slice(0, 200)}`);
            }
          }
          const words = await untranslated(page);
          if (words.length) problems.push(`${tour.who} ${path}: ${words.join(' | ')}`);
        }
        if (errors.length) problems.push(`${tour.who}: console errors: ${errors.join(' | ')}`);
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(problems, []);
  });

  test('the login page in English', async () => {
    const { context, page } = await newPage(browser);
    const errors = watchErrors(page);
    try {
      await page.goto(`${BASE}/login`);
      await page.getByTestId('language-switch').getByText('English').click();
      await page.getByTestId('login-submit').getByText('Sign in', { exact: false }).waitFor();
      assert.deepEqual(await untranslated(page), []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
