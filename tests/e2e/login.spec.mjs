// End-to-end: login, role-based menu, customer table, logout, wrong password, session expiry.
//
// Runs against a live Aftersales server that serves the built web UI (web/dist):
//   AFTERSALES_URL=http://127.0.0.1:18080 node --test tests/e2e/
// Credentials: E2E_ADMIN_USER / E2E_ADMIN_PASSWORD (admin / admin-demo-2026),
//              E2E_CUSTOMER_USER / E2E_CUSTOMER_PASSWORD (customer1 / customer-demo-2026).
// Browser: Debian's chromium (CHROMIUM_PATH, default /usr/bin/chromium) driven by playwright-core,
// which is a devDependency of web/ (run `npm ci` in web/ first); no browser download.
// Screenshots: docs/screenshots/login.png, docs/screenshots/customers.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const BASE = (process.env.AFTERSALES_URL ?? 'http://127.0.0.1:18080').replace(/\/+$/, '');
const ADMIN = { user: process.env.E2E_ADMIN_USER ?? 'admin', password: process.env.E2E_ADMIN_PASSWORD ?? 'admin-demo-2026' };
const CUSTOMER = {
  user: process.env.E2E_CUSTOMER_USER ?? 'customer1',
  password: process.env.E2E_CUSTOMER_PASSWORD ?? 'customer-demo-2026',
};
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const TIMEOUT = 15_000;

// playwright-core lives in web/node_modules (devDependency of web/package.json).
const requireFromWeb = createRequire(new URL('../../web/package.json', import.meta.url));
function loadPlaywright() {
  try {
    return requireFromWeb('playwright-core');
  } catch (e) {
    throw new Error(`playwright-core not found: run "npm ci" in web/ first (${e.message})`);
  }
}

/**
 * Debian's chromium here has no CJK system font, so Chinese would render as boxes in the
 * screenshots. If web/ has the (dev-only) @fontsource-variable/noto-sans-sc package, serve it to
 * the page as "Noto Sans SC" — a family the app's font stack already names. Test-only: the
 * application itself never ships a font.
 */
function cjkFontCss() {
  try {
    const dir = dirname(requireFromWeb.resolve('@fontsource-variable/noto-sans-sc/package.json'));
    const css = readFileSync(join(dir, 'index.css'), 'utf8')
      .replaceAll("'Noto Sans SC Variable'", "'Noto Sans SC'")
      .replaceAll('url(./files/', 'url(/__e2e_fonts/');
    return { css, files: join(dir, 'files') };
  } catch {
    return null;
  }
}
const CJK_FONT = cjkFontCss();

/** Fail fast, with a clear message, when nothing usable answers at BASE. */
async function preflight() {
  let res;
  try {
    res = await fetch(`${BASE}/api/v1/auth/me`, { signal: AbortSignal.timeout(5000) });
  } catch (e) {
    throw new Error(
      `Aftersales server not reachable at ${BASE} (${e.cause?.code ?? e.name}: ${e.cause?.message ?? e.message}). ` +
        'Start the server (serving web/dist) and/or set AFTERSALES_URL.',
    );
  }
  if (res.status !== 401 && res.status !== 200) {
    throw new Error(`${BASE}/api/v1/auth/me answered ${res.status}; expected 401 (not logged in). Is this an Aftersales server?`);
  }
  const html = await fetch(`${BASE}/login`, { signal: AbortSignal.timeout(5000) }).then((r) => r.text());
  if (!html.includes('id="root"')) {
    throw new Error(`${BASE}/login does not serve the web UI (no #root): build it with "npm run build" in web/.`);
  }
}

let browser;

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  if (CJK_FONT) {
    await context.route(/\/__e2e_fonts\/[\w.-]+\.woff2$/, (route) =>
      route.fulfill({ path: join(CJK_FONT.files, basename(new URL(route.request().url()).pathname)) }),
    );
    await context.addInitScript((css) => {
      const add = () => {
        const style = document.createElement('style');
        style.textContent = css;
        document.head.appendChild(style);
      };
      if (document.head) add();
      else document.addEventListener('DOMContentLoaded', add);
    }, CJK_FONT.css);
  }
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.setDefaultNavigationTimeout(TIMEOUT);
  return { context, page };
}

async function screenshot(page, name) {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: `${SHOTS}${name}`, animations: 'disabled' });
}

async function login(page, { user, password }) {
  await page.goto(`${BASE}/login`);
  await page.locator('#login_username').fill(user);
  await page.locator('#login_password').fill(password);
  await page.getByTestId('login-submit').click();
}

async function menuTexts(page) {
  const items = page.getByTestId('side-menu').getByRole('menuitem');
  await items.first().waitFor();
  return (await items.allInnerTexts()).map((s) => s.trim());
}

/** A side-menu entry by its visible label (the icon's aria-label is part of the accessible name). */
function menuItem(page, label) {
  return page.getByTestId('side-menu').getByRole('menuitem').filter({ has: page.getByText(label, { exact: true }) });
}

async function logout(page) {
  await page.getByTestId('logout').click();
  await page.waitForURL((u) => u.pathname === '/login');
  await page.getByTestId('login-notice').getByText('您已安全退出').waitFor();
}

describe('web UI: login and shell', { timeout: 120_000 }, () => {
  before(async () => {
    await preflight();
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH)`);
    const { chromium } = loadPlaywright();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: 30_000,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
  });

  test('admin logs in, sees the customer table with rows, logs out', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${BASE}/login`);
      await page.getByTestId('product-name').getByText('工程售后服务管理系统').waitFor();
      await screenshot(page, 'login.png');

      await login(page, ADMIN);
      await page.waitForURL((u) => u.pathname !== '/login');
      await page.getByTestId('current-user').getByText('系统管理员').waitFor();
      const menu = await menuTexts(page);
      for (const item of ['工作台', '客户', '项目', '人员', '系统设置']) assert.ok(menu.includes(item), `admin menu lacks ${item}: ${menu}`);

      await menuItem(page, '客户').click();
      await page.waitForURL((u) => u.pathname === '/customers');
      const rows = page.getByTestId('customers-page').locator('tr.ant-table-row');
      await rows.first().waitFor();
      assert.ok((await rows.count()) > 0, 'customer table has no rows');
      await screenshot(page, 'customers.png');

      // an unimplemented page is a friendly placeholder, not a crash
      await menuItem(page, '系统设置').click();
      await page.getByText('敬请期待', { exact: true }).waitFor();

      await logout(page);
      // the session is really gone: a protected page sends us back to login, keeping the URL
      await page.goto(`${BASE}/customers`);
      await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/customers');
    } finally {
      await context.close();
    }
  });

  test('a wrong password shows an error and stays on the login page', async (t) => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${BASE}/login`);
      await page.getByTestId('login-submit').click();
      await page.getByText('请输入用户名').waitFor(); // client-side field errors

      await login(page, { user: ADMIN.user, password: `wrong-${Date.now()}` });
      const error = page.getByTestId('login-error');
      await error.waitFor();
      const text = (await error.innerText()).trim();
      if (text.includes('过于频繁')) t.diagnostic(`login is throttled (429): "${text}"`);
      else assert.match(text, /用户名或密码错误/);
      assert.equal(new URL(page.url()).pathname, '/login');
    } finally {
      await context.close();
    }
  });

  test('a customer sees only the customer menu', async () => {
    const { context, page } = await newPage();
    try {
      await login(page, CUSTOMER);
      await page.waitForURL((u) => u.pathname !== '/login');
      await page.getByTestId('current-user').getByText('客户', { exact: true }).waitFor();
      const menu = await menuTexts(page);
      assert.ok(menu.includes('我的工单'), `customer menu lacks 我的工单: ${menu}`);
      assert.ok(menu.includes('我的项目'), `customer menu lacks 我的项目: ${menu}`);
      for (const item of ['客户', '人员', '系统设置', '工作台']) assert.ok(!menu.includes(item), `customer menu shows ${item}: ${menu}`);

      // and cannot open a staff page by URL
      await page.goto(`${BASE}/staff`);
      await page.getByText('无权访问', { exact: true }).waitFor();
      await logout(page);
    } finally {
      await context.close();
    }
  });

  test('an expired session sends the user to login with a notice, then back', async () => {
    const { context, page } = await newPage();
    try {
      await login(page, ADMIN);
      await page.waitForURL((u) => u.pathname !== '/login');
      // Start from a quiet page (the dashboard refreshes in the background, and its 401 would race
      // the click below for the redirect), loaded and with no request in flight.
      await menuItem(page, '客户').click();
      await page.waitForURL((u) => u.pathname === '/customers');
      await page.getByTestId('customers-page').waitFor();
      await page.waitForLoadState('networkidle');
      await context.clearCookies(); // the server no longer sees a session
      await menuItem(page, '项目').click();
      await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/projects');
      await page.getByTestId('login-notice').getByText('登录已过期，请重新登录').waitFor();

      await page.locator('#login_username').fill(ADMIN.user);
      await page.locator('#login_password').fill(ADMIN.password);
      await page.getByTestId('login-submit').click();
      await page.waitForURL((u) => u.pathname === '/projects');
      await page.getByTestId('projects-page').waitFor();
      await logout(page);
    } finally {
      await context.close();
    }
  });

  test('the language switch shows English and is remembered', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${BASE}/login`);
      await page.getByTestId('language-switch').getByText('English').click();
      await page.getByTestId('product-name').getByText('Aftersales Service Management').waitFor();
      await page.reload();
      await page.getByTestId('product-name').getByText('Aftersales Service Management').waitFor();
      assert.equal(await page.evaluate(() => localStorage.getItem('aftersales.locale')), 'en-US');
    } finally {
      await context.close();
    }
  });
});
