// Test harness for the API tests: starts a real `aftersales serve` on a free port against a
// fresh database (SQLite file, or a new database in the test PostgreSQL cluster), and talks to
// it over a real socket with fetch.
//
// Environment: AFTERSALES_BIN (default build/aftersales), AFTERSALES_TEST_BACKEND (sqlite |
// postgres), AFTERSALES_TEST_PG_URL (cluster URL for postgres).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const BIN = process.env.AFTERSALES_BIN || join(ROOT, 'build/aftersales');
export const BACKEND = process.env.AFTERSALES_TEST_BACKEND || 'sqlite';
export const ADMIN = { username: 'admin', password: 'admin-password-1' };

function pgAdminUrl(dbName) {
  const u = new URL(process.env.AFTERSALES_TEST_PG_URL);
  u.pathname = '/' + dbName;
  return u.toString();
}

export function psql(url, sql) {
  return execFileSync('psql', ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], { encoding: 'utf8' });
}

// Creates a fresh, empty database and returns { url, exec(sql) → text, cleanup() }.
export function freshDatabase() {
  if (BACKEND === 'postgres') {
    if (!process.env.AFTERSALES_TEST_PG_URL) throw new Error('AFTERSALES_TEST_PG_URL is not set');
    const name = 't_' + randomBytes(6).toString('hex');
    psql(pgAdminUrl('postgres'), `CREATE DATABASE ${name}`);
    const url = pgAdminUrl(name);
    return {
      url,
      exec: (sql) => psql(url, sql),
      cleanup: () => psql(pgAdminUrl('postgres'), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'aftersales-api-'));
  const file = join(dir, 'aftersales.db');
  return {
    url: 'sqlite://' + file,
    dir,
    exec: (sql) => execFileSync('sqlite3', ['-batch', file, sql], { encoding: 'utf8' }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function cli(args, { input, db } = {}) {
  return execFileSync(BIN, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, AFTERSALES_LOG_LEVEL: 'warn' } });
}

// Starts a server; resolves when it logs its port. Extra args are passed to `serve`.
export async function startServer({ args = [], db = freshDatabase(), createAdmin = true } = {}) {
  if (createAdmin) {
    cli(['user', 'create', '--database', db.url, '--username', ADMIN.username, '--role', 'admin',
      '--display-name', '管理员', '--password-stdin'], { input: ADMIN.password + '\n' });
  }
  // Attachments and other files go to a directory of this server's own.
  const dataDir = db.dir ?? mkdtempSync(join(tmpdir(), 'aftersales-data-'));
  const dirArgs = args.includes('--data-dir') ? [] : ['--data-dir', dataDir];
  const child = spawn(BIN, ['serve', '--database', db.url, ...dirArgs, '--listen', '127.0.0.1:0',
    '--web-dir', join(ROOT, 'web/dist'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + log)), 15000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      for (const line of log.split('\n')) {
        if (line.includes('"msg":"listening"')) {
          clearTimeout(timer);
          resolvePort(JSON.parse(line).port);
        }
      }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${log}`)); });
  });
  child.stderr.on('data', (chunk) => { log += chunk; });
  const base = `http://127.0.0.1:${port}`;
  const server = {
    base, db, child, port, dataDir,
    logs: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
        child.kill('SIGTERM');
        await exited;
      }
      db.cleanup();
      if (!db.dir) rmSync(dataDir, { recursive: true, force: true });
    },
    // fetch wrapper: JSON in, { status, headers, body (parsed JSON or text) } out.
    async call(method, path, { token, body, headers = {}, raw } = {}) {
      const h = { ...headers };
      if (token) h.authorization = `Bearer ${token}`;
      let payload;
      if (raw !== undefined) payload = raw;
      else if (body !== undefined) {
        payload = JSON.stringify(body);
        if (!h['content-type']) h['content-type'] = 'application/json';
      }
      const res = await fetch(base + path, { method, headers: h, body: payload, redirect: 'manual' });
      const text = await res.text();
      let parsed = text;
      const ct = res.headers.get('content-type') || '';
      if (ct.includes('json') && text) parsed = JSON.parse(text);
      return { status: res.status, headers: res.headers, body: parsed };
    },
    async login(username = ADMIN.username, password = ADMIN.password) {
      const r = await server.call('POST', '/api/v1/auth/login', { body: { username, password } });
      if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.token;
    },
    // Creates a user through the API and returns a token for it.
    async userWithRole(adminToken, role, extra = {}) {
      const username = `${role}_${randomBytes(4).toString('hex')}`;
      const password = 'pass-' + randomBytes(6).toString('hex');
      const r = await server.call('POST', '/api/v1/users', {
        token: adminToken, body: { username, display_name: username, role, password, ...extra },
      });
      if (r.status !== 201) throw new Error(`create ${role} failed: ${r.status} ${JSON.stringify(r.body)}`);
      return { id: r.body.id, username, password, token: await server.login(username, password) };
    },
  };
  return server;
}

export const uniq = (prefix) => `${prefix}-${randomBytes(4).toString('hex')}`;

// A real 2×2 RGB PNG whose pixels depend on `seed` (different seeds, different files).
import { deflateSync, crc32 } from 'node:zlib';
export function tinyPng(seed = 0) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8; ihdr[9] = 2;
  const raw = Buffer.alloc(2 * 7);
  for (let i = 0; i < raw.length; i++) raw[i] = i % 7 === 0 ? 0 : (i * 37 + seed) & 0xff;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
