// Shared browser helpers of the service-request e2e spec (login.spec.mjs keeps its own copies).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const BASE = (process.env.AFTERSALES_URL ?? 'http://127.0.0.1:18080').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const TIMEOUT = 15_000;
const requireFromWeb = createRequire(new URL('../../web/package.json', import.meta.url));

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

export async function preflight() {
  let res;
  try {
    res = await fetch(`${BASE}/api/v1/auth/me`, { signal: AbortSignal.timeout(5000) });
  } catch (e) {
    throw new Error(`Aftersales server not reachable at ${BASE} (${e.cause?.code ?? e.name}). Start the server and/or set AFTERSALES_URL.`);
  }
  if (res.status !== 401 && res.status !== 200) throw new Error(`${BASE}/api/v1/auth/me answered ${res.status}; expected 401.`);
}

export async function launchBrowser() {
  await preflight();
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH)`);
  let pw;
  try {
    pw = requireFromWeb('playwright-core');
  } catch (e) {
    throw new Error(`playwright-core not found: run "npm ci" in web/ first (${e.message})`);
  }
  mkdirSync(SHOTS, { recursive: true });
  return pw.chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function newPage(browser, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', isMobile: viewport.width < 500, hasTouch: viewport.width < 500 });
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

export async function screenshot(page, name) {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: `${SHOTS}${name}`, animations: 'disabled' });
}

export async function login(page, { user, password }) {
  await page.goto(`${BASE}/login`);
  await page.locator('#login_username').fill(user);
  await page.locator('#login_password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** A logged-in API client for one demo user (session cookie sent by hand), for test set-up only. */
export async function apiAs({ user, password }) {
  const res = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password }),
  });
  if (res.status !== 200) throw new Error(`API login as ${user} answered ${res.status}`);
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

/** Collects console errors and uncaught exceptions of a page (the login page's 401 probe is expected). */
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (/401 \(Unauthorized\)/.test(text)) return;
    errors.push(`${page.url()}: ${text}`);
  });
  return errors;
}

/** Picks an option of an antd Select / TreeSelect by typing into it. */
export async function pick(page, inputSelector, text, optionText = text) {
  await page.locator(inputSelector).click();
  await page.locator(inputSelector).fill(text);
  const option = page
    .locator('.ant-select-dropdown:visible .ant-select-item-option, .ant-select-dropdown:visible .ant-select-tree-treenode')
    .filter({ hasText: optionText })
    .first();
  await option.waitFor();
  await option.click();
}

/** Chooses an option of an antd Select without typing (click, then the option by its text). */
export async function choose(page, inputSelector, optionText) {
  await page.locator(inputSelector).click();
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: optionText }).first();
  await option.waitFor();
  await option.click();
}

/** Logs in and waits until the app has left the login page. */
export async function loginAs(page, who) {
  await login(page, who);
  await page.waitForURL((u) => u.pathname !== '/login');
}
