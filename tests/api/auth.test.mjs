// Authentication: login, wrong passwords, throttling, logout, expiry, password change, API
// tokens, cookies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServer, ADMIN } from './lib.mjs';

let s;
before(async () => { s = await startServer(); });
after(async () => { await s.stop(); });

const sha256 = (t) => createHash('sha256').update(t).digest('hex');

test('login returns a token, the user, and an HttpOnly SameSite cookie', async () => {
  const r = await s.call('POST', '/api/v1/auth/login', { body: ADMIN });
  assert.equal(r.status, 200);
  assert.match(r.body.token, /^ast_[A-Za-z0-9_-]{43}$/);
  assert.equal(r.body.user.username, 'admin');
  assert.equal(r.body.user.role, 'admin');
  assert.ok(Date.parse(r.body.expires_at) > Date.now());
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /as_session=ast_/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  // The token is stored only as its SHA-256.
  const stored = s.db.exec(`SELECT count(*) FROM auth_tokens WHERE token_hash = '${sha256(r.body.token)}'`);
  assert.equal(stored.trim(), '1');
  const plain = s.db.exec(`SELECT count(*) FROM auth_tokens WHERE token_hash = '${r.body.token}'`);
  assert.equal(plain.trim(), '0');
});

test('the session cookie authenticates like a bearer token', async () => {
  const r = await s.call('POST', '/api/v1/auth/login', { body: ADMIN });
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const me = await s.call('GET', '/api/v1/auth/me', { headers: { cookie } });
  assert.equal(me.status, 200);
  assert.equal(me.body.user.username, 'admin');
  assert.ok(me.body.permissions.includes('user.admin'));
});

test('wrong password and unknown user get the same 401', async () => {
  const a = await s.call('POST', '/api/v1/auth/login', { body: { username: 'admin', password: 'wrong-password' } });
  const b = await s.call('POST', '/api/v1/auth/login', { body: { username: 'nobody', password: 'wrong-password' } });
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.equal(a.headers.get('content-type'), 'application/problem+json');
  assert.equal(a.body.detail, b.body.detail);
});

test('login without fields names them', async () => {
  const r = await s.call('POST', '/api/v1/auth/login', { body: { username: 'admin', extra: 1 } });
  assert.equal(r.status, 422);
  const fields = r.body.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ['extra', 'password']);
});

test('requests without a token, or with an unknown one, get 401', async () => {
  assert.equal((await s.call('GET', '/api/v1/customers')).status, 401);
  const r = await s.call('GET', '/api/v1/customers', { token: 'ast_' + 'x'.repeat(43) });
  assert.equal(r.status, 401);
  assert.equal(r.headers.get('www-authenticate'), 'Bearer');
});

test('five failures lock the account with 429 and Retry-After, even for the right password', async () => {
  const admin = await s.login();
  const u = await s.userWithRole(admin, 'agent');
  for (let i = 0; i < 5; i++) {
    const r = await s.call('POST', '/api/v1/auth/login', { body: { username: u.username, password: 'bad-password' } });
    assert.equal(r.status, 401, `attempt ${i + 1}`);
  }
  const locked = await s.call('POST', '/api/v1/auth/login', { body: { username: u.username, password: u.password } });
  assert.equal(locked.status, 429);
  assert.ok(Number(locked.headers.get('retry-after')) > 0);
  // Other accounts are not affected.
  assert.equal((await s.call('POST', '/api/v1/auth/login', { body: ADMIN })).status, 200);
  // Once the lock-out has passed (simulated by moving it into the past), the right password works.
  s.db.exec(`UPDATE login_failures SET locked_until = 1, first_failure_at = 1 WHERE username = '${u.username}'`);
  assert.equal((await s.call('POST', '/api/v1/auth/login', { body: { username: u.username, password: u.password } })).status, 200);
});

test('logout revokes the token', async () => {
  const token = await s.login();
  assert.equal((await s.call('GET', '/api/v1/auth/me', { token })).status, 200);
  const out = await s.call('POST', '/api/v1/auth/logout', { token });
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie'), /Max-Age=0/);
  const after = await s.call('GET', '/api/v1/auth/me', { token });
  assert.equal(after.status, 401);
  assert.match(after.body.detail, /revoked/);
});

test('an expired session is refused', async () => {
  const token = await s.login();
  s.db.exec(`UPDATE auth_tokens SET expires_at = 1000 WHERE token_hash = '${sha256(token)}'`);
  const r = await s.call('GET', '/api/v1/auth/me', { token });
  assert.equal(r.status, 401);
  assert.match(r.body.detail, /expired/);
});

test('changing the password ends every session of the user', async () => {
  const admin = await s.login();
  const u = await s.userWithRole(admin, 'technician');
  const second = await s.login(u.username, u.password);
  const bad = await s.call('POST', '/api/v1/auth/password', { token: u.token, body: { current_password: 'nope-nope', new_password: 'new-password-1' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.errors[0].field, 'current_password');
  const short = await s.call('POST', '/api/v1/auth/password', { token: u.token, body: { current_password: u.password, new_password: 'short' } });
  assert.equal(short.status, 422);
  assert.equal(short.body.errors[0].rule, 'min_length');
  const ok = await s.call('POST', '/api/v1/auth/password', { token: u.token, body: { current_password: u.password, new_password: 'new-password-1' } });
  assert.equal(ok.status, 204);
  assert.equal((await s.call('GET', '/api/v1/auth/me', { token: u.token })).status, 401);
  assert.equal((await s.call('GET', '/api/v1/auth/me', { token: second })).status, 401);
  assert.equal((await s.call('POST', '/api/v1/auth/login', { body: { username: u.username, password: u.password } })).status, 401);
  await s.login(u.username, 'new-password-1');
});

test('disabling a user revokes the user\'s tokens and blocks login', async () => {
  const admin = await s.login();
  const u = await s.userWithRole(admin, 'dispatcher');
  const cur = await s.call('GET', `/api/v1/users/${u.id}`, { token: admin });
  const r = await s.call('PATCH', `/api/v1/users/${u.id}`, { token: admin, body: { disabled: true }, headers: { 'if-match': `"${cur.body.version}"` } });
  assert.equal(r.status, 200);
  assert.equal(r.body.disabled, true);
  assert.equal((await s.call('GET', '/api/v1/auth/me', { token: u.token })).status, 401);
  assert.equal((await s.call('POST', '/api/v1/auth/login', { body: { username: u.username, password: u.password } })).status, 401);
});

test('API tokens: created once, usable as bearer, listed without the secret, revocable', async () => {
  const admin = await s.login();
  const created = await s.call('POST', '/api/v1/auth/tokens', { token: admin, body: { name: 'ERP integration', expires_in_days: 30 } });
  assert.equal(created.status, 201);
  const apiToken = created.body.token;
  const me = await s.call('GET', '/api/v1/auth/me', { token: apiToken });
  assert.equal(me.status, 200);
  assert.equal(me.body.token_kind, 'api');
  const list = await s.call('GET', '/api/v1/auth/tokens', { token: admin });
  const entry = list.body.items.find((t) => t.id === created.body.id);
  assert.ok(entry);
  assert.equal(entry.token, undefined);
  assert.equal((await s.call('DELETE', `/api/v1/auth/tokens/${created.body.id}`, { token: admin })).status, 204);
  assert.equal((await s.call('GET', '/api/v1/auth/me', { token: apiToken })).status, 401);
  assert.equal((await s.call('DELETE', `/api/v1/auth/tokens/${created.body.id}`, { token: admin })).status, 404);
  const bad = await s.call('POST', '/api/v1/auth/tokens', { token: admin, body: { name: '', expires_in_days: 0 } });
  assert.equal(bad.status, 422);
});

test('non-admins cannot manage users or API tokens', async () => {
  const admin = await s.login();
  const m = await s.userWithRole(admin, 'service_manager');
  assert.equal((await s.call('GET', '/api/v1/users', { token: m.token })).status, 403);
  assert.equal((await s.call('POST', '/api/v1/users', { token: m.token, body: { username: 'x1', display_name: 'x', role: 'admin', password: 'password-1' } })).status, 403);
  assert.equal((await s.call('POST', '/api/v1/auth/tokens', { token: m.token, body: { name: 'x' } })).status, 403);
  // ...but may read their own account.
  assert.equal((await s.call('GET', `/api/v1/users/${m.id}`, { token: m.token })).status, 200);
  assert.equal((await s.call('GET', `/api/v1/users/1`, { token: m.token })).status, 403);
});

test('user creation validates role, customer link, password and uniqueness', async () => {
  const admin = await s.login();
  const r = await s.call('POST', '/api/v1/users', { token: admin, body: { username: 'a b', display_name: '', role: 'king', password: 'x' } });
  assert.equal(r.status, 422);
  const fields = r.body.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ['display_name', 'password', 'role', 'username']);
  const c = await s.call('POST', '/api/v1/users', { token: admin, body: { username: 'cust_x', display_name: 'x', role: 'customer', password: 'password-1' } });
  assert.equal(c.status, 422);
  assert.equal(c.body.errors[0].field, 'customer_id');
  const dup = await s.call('POST', '/api/v1/users', { token: admin, body: { username: 'ADMIN', display_name: 'x', role: 'agent', password: 'password-1' } });
  assert.equal(dup.status, 409);
});

test('passwords are stored as Argon2id hashes', async () => {
  const hash = s.db.exec(`SELECT password_hash FROM users WHERE username = 'admin'`).trim();
  assert.match(hash, /^\$argon2id\$v=19\$/);
});
