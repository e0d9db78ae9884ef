// Report what a first visit downloads: the entry JS (index.html's script + its static imports), the CSS,
// the login route (entry + the lazily loaded LoginPage chunk), and what each lazily loaded page adds.
// Usage: npm run build && npm run size   (or: node scripts/bundle-size.mjs <another dist dir>)
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = process.argv[2] ? join(process.argv[2], '/') : fileURLToPath(new URL('../dist/', import.meta.url));
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const entry = [...html.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g)].map((m) => m[1]);

function closure(roots) {
  const seen = new Set();
  const stack = [...roots];
  while (stack.length) {
    const f = stack.pop();
    if (seen.has(f)) continue;
    seen.add(f);
    const code = readFileSync(join(dist, f), 'utf8');
    // static imports only: `import{..}from"./x.js"` / `import"./x.js"` (dynamic import() excluded)
    for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*"\.\/([^"]+\.js)"/g)) stack.push(`assets/${m[1]}`);
  }
  return seen;
}

const size = (files) =>
  [...files].reduce(
    (acc, f) => {
      const buf = readFileSync(join(dist, f));
      return { raw: acc.raw + buf.length, gz: acc.gz + gzipSync(buf, { level: 9 }).length };
    },
    { raw: 0, gz: 0 },
  );
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

const initial = closure(entry);
const assets = readdirSync(join(dist, 'assets'));
const chunk = (name) => assets.filter((f) => new RegExp(`^${name}-[\\w-]+\\.js$`).test(f)).map((f) => `assets/${f}`);
const loginRoute = closure([...initial, ...chunk('LoginPage')]);
const all = assets.filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`);
const css = assets.filter((f) => f.endsWith('.css')).map((f) => `assets/${f}`);

for (const [name, files] of [
  ['initial JS (entry + static imports)', initial],
  ['initial CSS', new Set(css)],
  ['login page JS (initial + LoginPage chunk)', loginRoute],
  ['all JS', new Set(all)],
]) {
  const s = size(files);
  console.log(`${name.padEnd(44)} ${String(files.size).padStart(3)} files  ${kb(s.raw).padStart(11)}  gzip ${kb(s.gz).padStart(10)}`);
}

// What opening a page downloads after the first page: its chunk and static imports not loaded yet
// (behind the login: the initial JS plus the shell, AuthenticatedApp).
const shell = closure([...initial, ...chunk('AuthenticatedApp')]);
console.log('\nlazy, on top of the initial JS and the shell (AuthenticatedApp):');
const shellOnly = new Set([...shell].filter((f) => !initial.has(f)));
const sh = size(shellOnly);
console.log(`${'  shell after login (AuthenticatedApp)'.padEnd(44)} ${String(shellOnly.size).padStart(3)} files  ${kb(sh.raw).padStart(11)}  gzip ${kb(sh.gz).padStart(10)}`);
for (const page of ['TicketListPage', 'IntakePage', 'TicketDetailPage', 'DispatchBoardPage', 'DashboardPage', 'TechJobsPage', 'MyRequestsPage', 'CustomersPage', 'SurveyPage', 'pinyin', 'en-US']) {
  const roots = chunk(page);
  if (!roots.length) continue;
  const extra = new Set([...closure(roots)].filter((f) => !shell.has(f)));
  const s = size(extra);
  console.log(`${`  ${page}`.padEnd(44)} ${String(extra.size).padStart(3)} files  ${kb(s.raw).padStart(11)}  gzip ${kb(s.gz).padStart(10)}`);
}
