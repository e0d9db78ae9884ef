// End-to-end: the manager dashboard 工作台 (/dashboard) with ECharts charts.
//   AFTERSALES_URL=http://127.0.0.1:18080 node --test tests/e2e/dashboard.spec.mjs
// Screenshot: docs/screenshots/dashboard.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launchBrowser, login, newPage, screenshot } from './helpers.mjs';

const MANAGER = {
  user: process.env.E2E_MANAGER_USER ?? 'manager',
  password: process.env.E2E_MANAGER_PASSWORD ?? 'manager-demo-2026',
};

const TITLES = [
  '未完成请求（按等级）',
  '未完成请求（按状态）',
  'SLA 达成率（按等级）',
  'SLA 达成率（按班组）',
  '积压时长分布',
  '高发问题性质',
  '高发报修部位',
  '满意度（各维度，1–5 分）',
];

let browser;

describe('web UI: manager dashboard', { timeout: 120_000 }, () => {
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('the service manager opens the dashboard and sees the charts', async () => {
    const { context, page } = await newPage(browser, { width: 1440, height: 1700 });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/401 \(Unauthorized\)/.test(m.text())) errors.push(m.text());
    });
    try {
      await login(page, MANAGER);
      await page.waitForURL((u) => u.pathname !== '/login');
      // the 工作台 menu item leads to the dashboard (also the manager's home page)
      await page.locator('.ant-menu').getByText('工作台').click();
      await page.waitForURL((u) => u.pathname === '/dashboard');
      const dash = page.getByTestId('dashboard-page');
      await dash.waitFor({ timeout: 15_000 });
      for (const title of TITLES) {
        await dash.locator('.ant-card-head-title', { hasText: title }).waitFor();
      }
      for (const stat of ['未完成请求', '本期报修', '解决率', '满意度回访']) {
        await dash.locator('.ant-statistic-title', { hasText: stat }).first().waitFor();
      }
      // at least one chart rendered by ECharts (canvas renderer)
      await dash.locator('canvas').first().waitFor();
      const canvases = await dash.locator('canvas').count();
      assert.ok(canvases >= 1, `expected rendered charts, found ${canvases} canvas`);
      // the month picker is there and changing month reloads without errors
      await page.locator('.ant-picker').first().waitFor();
      await page.waitForTimeout(800); // let the chart animations settle for the screenshot
      await screenshot(page, 'dashboard.png');
      assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
    } finally {
      await context.close();
    }
  });
});
