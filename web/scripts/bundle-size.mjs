// Report what a first visit downloads: the entry JS (index.html's script + its static imports)
// and the login route (entry + the lazily loaded LoginPage chunk and its static imports).
// Usage: npm run build && npm run size
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
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
const loginChunk = readdirSync(join(dist, 'assets')).filter((f) => /^LoginPage-.*\.js$/.test(f)).map((f) => `assets/${f}`);
const loginRoute = closure([...initial, ...loginChunk]);
const all = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`);

for (const [name, files] of [
  ['initial JS (entry + static imports)', initial],
  ['login page JS (initial + LoginPage chunk)', loginRoute],
  ['all JS', new Set(all)],
]) {
  const s = size(files);
  console.log(`${name.padEnd(44)} ${String(files.size).padStart(3)} files  ${kb(s.raw).padStart(11)}  gzip ${kb(s.gz).padStart(10)}`);
}
