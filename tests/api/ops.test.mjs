// Operations: health, readiness, metrics, OpenAPI, static UI, graceful shutdown, migrations,
// backup and restore.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { startServer, freshDatabase, cli, uniq, BACKEND, ROOT } from './lib.mjs';

test('health, readiness and Prometheus metrics', async () => {
  const s = await startServer();
  try {
    assert.deepEqual((await s.call('GET', '/healthz')).body, { status: 'ok' });
    assert.deepEqual((await s.call('GET', '/readyz')).body, { status: 'ready' });
    const token = await s.login();
    await s.call('GET', '/api/v1/customers', { token });
    await s.call('GET', '/api/v1/customers/424242', { token });
    const m = await s.call('GET', '/metrics');
    assert.match(m.headers.get('content-type'), /^text\/plain/);
    assert.match(m.body, /aftersales_http_requests_total\{route="listCustomers",method="GET",status="200"\} 1/);
    assert.match(m.body, /aftersales_http_requests_total\{route="getCustomer",method="GET",status="404"\} 1/);
    assert.match(m.body, /aftersales_http_request_duration_seconds_bucket\{route="login",method="POST",le="\+Inf"\} 1/);
    assert.match(m.body, /aftersales_db_pool_connections\{state="in_use"\} \d/);
    assert.match(m.body, /aftersales_http_requests_in_flight \d/);
  } finally {
    await s.stop();
  }
});

test('the OpenAPI document covers every route, and /api/docs renders it', async () => {
  const s = await startServer();
  try {
    const doc = (await s.call('GET', '/api/openapi.json')).body;
    assert.equal(doc.openapi, '3.1.0');
    const ops = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        assert.ok(op.operationId && op.summary && op.tags?.length, `${method} ${path}`);
        assert.ok(Object.keys(op.responses).some((c) => c.startsWith('2')), `${method} ${path} success response`);
        if (method === 'patch' || /^(create|update)/.test(op.operationId)) assert.ok(op.requestBody, `${method} ${path} body`);
        ops.push([method.toUpperCase(), path]);
      }
    }
    assert.ok(ops.length >= 40, `only ${ops.length} operations`);
    // Every documented operation is routed: none answers "unknown path" or "method not allowed".
    for (const [method, path] of ops) {
      const concrete = path.replace(/\{[^}]+\}/g, '1');
      const r = await s.call(method, concrete, method === 'GET' || method === 'DELETE' ? {} : { body: {} });
      assert.ok(r.status !== 405 && !(r.status === 404 && /API path/.test(r.body?.detail ?? '')), `${method} ${path} → ${r.status}`);
    }
    const html = await s.call('GET', '/api/docs');
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type'), /text\/html/);
    assert.match(html.body, /openapi\.json/);
  } finally {
    await s.stop();
  }
});

test('web UI: index for client routes, immutable hashed assets, 404 for missing files, no traversal', { skip: !existsSync(join(ROOT, 'web/dist/index.html')) && 'web/dist not built' }, async () => {
  const s = await startServer();
  try {
    const index = await s.call('GET', '/');
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type'), /text\/html/);
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    const route = await s.call('GET', '/customers/12');
    assert.equal(route.body, index.body);
    const asset = index.body.match(/\/assets\/[^"]+\.js/)[0];
    const a = await s.call('GET', asset);
    assert.equal(a.status, 200);
    assert.match(a.headers.get('cache-control'), /immutable/);
    assert.match(a.headers.get('content-type'), /javascript/);
    const etag = a.headers.get('etag');
    assert.equal((await s.call('GET', asset, { headers: { 'if-none-match': etag } })).status, 304);
    assert.equal((await s.call('GET', '/assets/missing-123.js')).status, 404);
    for (const p of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f..%2fetc/passwd']) {
      const r = await s.call('GET', p);
      assert.ok(!String(r.body).includes('root:'), p);
    }
  } finally {
    await s.stop();
  }
});

test('SIGTERM lets an in-flight request finish, then exits cleanly', async () => {
  const s = await startServer();
  // Login hashes with Argon2id (tens of milliseconds): in flight when the signal arrives.
  const pending = s.call('POST', '/api/v1/auth/login', { body: { username: 'admin', password: 'admin-password-1' } });
  await new Promise((r) => setTimeout(r, 40));  // sent (a busy machine may take a while), not yet answered
  const exited = new Promise((r) => s.child.on('exit', (code, signal) => r({ code, signal })));
  s.child.kill('SIGTERM');
  const res = await pending;
  assert.equal(res.status, 200);
  assert.deepEqual(await exited, { code: 0, signal: null });
  assert.match(s.logs(), /"msg":"shutting down"/);
  assert.match(s.logs(), /"msg":"stopped"/);
  await s.stop();
});

test('HTTP/1.0: a keep-alive request is answered so and the connection reused; otherwise it is closed', async () => {
  const s = await startServer();
  try {
    const socket = connect(s.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let reply = '';
    socket.on('data', (d) => { reply += d; });
    const closed = new Promise((r) => socket.once('close', r));
    const answers = async (n) => {  // until n HTTP/1.0 answers have come whole, for 3 s at most
      for (const end = Date.now() + 3000; Date.now() < end; await new Promise((r) => setTimeout(r, 20)))
        if ((reply.match(/HTTP\/1\.0 200/g) ?? []).length >= n && reply.endsWith('}')) return;
      throw new Error(`no HTTP/1.0 answer ${n} in:\n${reply}`);
    };
    socket.write('GET /healthz HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n');
    await answers(1);
    assert.match(reply, /^HTTP\/1\.0 200/);
    assert.match(reply, /connection: keep-alive/i, 'an HTTP/1.0 client only keeps a connection the answer says is kept');
    socket.write('GET /healthz HTTP/1.0\r\n\r\n');  // the second, on the same connection, without keep-alive
    await closed;
    assert.equal((reply.match(/HTTP\/1\.0 200/g) ?? []).length, 2);
    // (HTTP/1.0 closes unless told otherwise: no header needed, and the server did close)
    assert.doesNotMatch(reply.slice(reply.lastIndexOf('HTTP/1.0')), /connection: keep-alive/i);
  } finally {
    await s.stop();
  }
});

test('SIGTERM: a connection opened before the signal still gets its first request answered', async () => {
  const s = await startServer();
  const socket = connect(s.port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  await new Promise((r) => setTimeout(r, 200));  // accepted by the server, not only by the kernel
  let reply = '';
  socket.on('data', (d) => { reply += d; });
  const closed = new Promise((r) => socket.once('close', r));
  const exited = new Promise((r) => s.child.on('exit', (code, signal) => r({ code, signal })));
  s.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 150));  // the request arrives after the signal
  socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  await closed;
  assert.match(reply, /^HTTP\/1\.1 200/);
  assert.match(reply, /connection: close/i, 'and the connection is closed after it');
  assert.deepEqual(await exited, { code: 0, signal: null });
  // A connection that never sends keeps the server no longer than a second.
  const t = await startServer();
  const idle = connect(t.port, '127.0.0.1');
  await new Promise((r) => idle.once('connect', r));
  const t0 = Date.now();
  const gone = new Promise((r) => t.child.on('exit', r));
  t.child.kill('SIGTERM');
  await gone;
  assert.ok(Date.now() - t0 < 3000, `stopped in ${Date.now() - t0} ms`);
  idle.destroy();
  await s.stop();
  await t.stop();
});

test('migrations apply from empty and report their status', () => {
  const db = freshDatabase();
  try {
    const before = cli(['migrate', 'status', '--database', db.url]);
    assert.match(before, /pending/);
    assert.match(cli(['migrate', 'up', '--database', db.url]), /applied [1-9]\d* migration/);
    const afterUp = cli(['migrate', 'status', '--database', db.url]);
    assert.doesNotMatch(afterUp, /pending/);
    assert.match(cli(['migrate', '--database', db.url]), /applied 0 migration/);
  } finally {
    db.cleanup();
  }
});

test('backup then restore gives identical data', { skip: BACKEND !== 'sqlite' && 'restore is tested on SQLite here; PostgreSQL uses pg_dump/pg_restore' }, async () => {
  const s = await startServer();
  const dir = mkdtempSync(join(tmpdir(), 'aftersales-backup-'));
  try {
    const token = await s.login();
    for (let i = 0; i < 5; i++)
      await s.call('POST', '/api/v1/customers', { token, body: { name: uniq('备份客户'), contacts: [{ name: '联系人' }] } });
    const file = join(dir, 'backup.db');
    assert.match(cli(['backup', '--database', s.db.url, '--to', file]), /written/);
    assert.throws(() => cli(['backup', '--database', s.db.url, '--to', file]), /already exists/);
    const target = 'sqlite://' + join(dir, 'restored.db');
    cli(['restore', '--database', target, '--from', file]);
    const dump = (url) => cli(['user', 'list', '--database', url]) + new TextDecoder().decode(
      require_sqlite_dump(url.replace('sqlite://', '')));
    assert.equal(dump(target), dump(s.db.url));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await s.stop();
  }
});

import { execFileSync } from 'node:child_process';

test('PostgreSQL: backup with pg_dump, restore into a new database, identical rows', { skip: BACKEND !== 'postgres' && 'PostgreSQL only' }, async () => {
  const s = await startServer();
  const dir = mkdtempSync(join(tmpdir(), 'aftersales-pgbackup-'));
  const target = freshDatabase();
  try {
    const token = await s.login();
    for (let i = 0; i < 3; i++)
      await s.call('POST', '/api/v1/customers', { token, body: { name: uniq('备份'), contacts: [{ name: '联系人' }] } });
    const file = join(dir, 'backup.dump');
    assert.match(cli(['backup', '--database', s.db.url, '--to', file]), /written/);
    cli(['restore', '--database', target.url, '--from', file]);
    const rows = (db) => ['customers', 'customer_contacts', 'users', 'audit_log', 'schema_migrations']
      .map((t) => db.exec(`SELECT * FROM ${t} ORDER BY 1`)).join('\n--\n');
    assert.equal(rows(target), rows(s.db));
  } finally {
    target.cleanup();
    rmSync(dir, { recursive: true, force: true });
    await s.stop();
  }
});
function require_sqlite_dump(file) {
  const tables = ['customers', 'customer_contacts', 'users', 'projects', 'assets', 'audit_log', 'schema_migrations'];
  return Buffer.from(tables.map((t) => execFileSync('sqlite3', ['-batch', file, `SELECT * FROM ${t} ORDER BY 1`], { encoding: 'utf8' })).join('\n--\n'));
}

test('settings: TOML file, then environment, then flags; unknown keys are refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aftersales-config-'));
  const { writeFileSync } = await import('node:fs');
  const { spawnSync } = await import('node:child_process');
  const db = freshDatabase();
  try {
    const file = join(dir, 'aftersales.toml');
    writeFileSync(file, 'threads = 3\nlisten = "127.0.0.1:0"\n');
    const threadsOf = (env, extra = []) => {
      const r = spawnSync(BIN_PATH(), ['serve', '--config', file, '--database', db.url, ...extra],
        { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 1500, killSignal: 'SIGTERM' });
      const line = r.stderr.split('\n').find((l) => l.includes('"msg":"listening"'));
      return line && JSON.parse(line).threads;
    };
    assert.equal(threadsOf({}), 3);
    assert.equal(threadsOf({ AFTERSALES_THREADS: '5' }), 5);
    assert.equal(threadsOf({ AFTERSALES_THREADS: '5' }, ['--threads', '2']), 2);
    writeFileSync(file, 'lisen = "127.0.0.1:1"\n');
    const bad = spawnSync(BIN_PATH(), ['serve', '--config', file], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown setting 'lisen'/);
  } finally {
    db.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

function BIN_PATH() { return process.env.AFTERSALES_BIN || join(ROOT, 'build/aftersales'); }
