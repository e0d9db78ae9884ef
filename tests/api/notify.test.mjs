// Notifications end to end: channels configured through the API, outbox rows written as the
// ticket use cases write them, and the real worker delivering to local sinks — a real SMTP
// server (npm smtp-server, installed in tests/tools) and an HTTP server standing in for the
// webhook receiver and the WeCom / DingTalk robots. Retries run on a fast schedule set by flag.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT, BACKEND, startServer, freshDatabase, uniq } from './lib.mjs';

const FAST = ['--outbox-retry-schedule', '200ms,400ms', '--outbox-max-attempts', '3'];

let SMTPServer = null;
try {
  ({ SMTPServer } = createRequire(join(ROOT, 'tests/tools/package.json'))('smtp-server'));
} catch {
  console.log('# smtp-server is not installed: run `npm ci --prefix tests/tools`; e-mail checks are skipped');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, fn, timeout = 15000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await sleep(100);
  }
}

// Receives mail; each message is kept raw with its envelope.
async function smtpSink() {
  const mails = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, cb) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ from: session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { mails, port: server.server.address().port, close: () => new Promise((r) => server.close(r)) };
}

// Records every POST; /fail answers 500, robots answer {"errcode":0} like the real ones.
async function httpSink() {
  const hits = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      hits.push({ at: Date.now(), url: req.url, headers: req.headers, body });
      if (req.url.startsWith('/fail')) { res.writeHead(500); return res.end('boom'); }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { hits, url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

const sqlText = (s) => `'${String(s).replace(/'/g, "''")}'`;
// Inserts outbox rows exactly as app::enqueue_notification writes them (until the ticket API
// produces them).
function enqueue(db, messages) {
  const now = Date.now();
  const rows = messages.map((m) => `(${now}, ${sqlText(m.event)}, ${m.ticket_id ?? 'NULL'}, NULL, ${sqlText(JSON.stringify({
    locale: m.locale ?? 'zh-CN', params: m.params ?? {}, to_emails: m.to_emails ?? [] }))}, 'pending', 0, ${now})`);
  const sql = 'INSERT INTO outbox (created_at, event, ticket_id, customer_id, payload_json, state, attempts, next_attempt_at) VALUES '
    + rows.join(', ');
  db.exec(BACKEND === 'postgres' ? sql : 'PRAGMA busy_timeout=5000; ' + sql);
}

function decodeMail(raw) {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const unfolded = head.replace(/\r\n /g, ' ');
  const header = (name) => (unfolded.split('\r\n').find((l) => l.toLowerCase().startsWith(name.toLowerCase() + ':')) || '')
    .slice(name.length + 1).trim();
  const words = (v) => v.replace(/=\?UTF-8\?B\?([^?]*)\?=\s*/g, (_, b) => Buffer.from(b, 'base64').toString('latin1'));
  return {
    header,
    subject: Buffer.from(words(header('Subject')), 'latin1').toString('utf8'),
    body: Buffer.from(rest.join('\r\n\r\n').replace(/\s+/g, ''), 'base64').toString('utf8'),
  };
}

let server, admin, smtp, sink;
before(async () => {
  server = await startServer({ args: FAST });
  admin = await server.login();
  sink = await httpSink();
  if (SMTPServer) smtp = await smtpSink();
});
after(async () => {
  await server?.stop();
  await sink?.close();
  await smtp?.close();
});

async function outbox(query = '') {
  const r = await server.call('GET', '/api/v1/notifications' + query, { token: admin });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

test('channels: admin only, validated by kind, secrets write-only and kept out of the audit trail', async () => {
  const manager = await server.userWithRole(admin, 'service_manager');
  assert.equal((await server.call('GET', '/api/v1/notification-channels', { token: manager.token })).status, 403);
  assert.equal((await server.call('GET', '/api/v1/notifications', { token: manager.token })).status, 200);

  let r = await server.call('POST', '/api/v1/notification-channels', { token: admin,
    body: { name: uniq('hook'), kind: 'webhook', config: { url: 'ftp://x', colour: 'red' } } });
  assert.equal(r.status, 422);
  const fields = r.body.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ['config.colour', 'config.url', 'secret']);

  r = await server.call('POST', '/api/v1/notification-channels', { token: admin,
    body: { name: uniq('mail'), kind: 'email', config: { smtp_url: 'smtp://127.0.0.1:1', from: 'bad', recipient_roles: ['pilot'] } } });
  assert.equal(r.status, 422);
  assert.deepEqual(r.body.errors.map((e) => e.field).sort(), ['config.from', 'config.recipient_roles[0]']);

  const secret = 'very-secret-' + uniq('s');
  r = await server.call('POST', '/api/v1/notification-channels', { token: admin,
    body: { name: uniq('hook'), kind: 'webhook', enabled: false, events: ['never.*'], config: { url: sink.url + '/x' }, secret } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.secret, '***');
  const id = r.body.id;
  r = await server.call('PATCH', `/api/v1/notification-channels/${id}`, { token: admin,
    body: { version: r.body.version, secret: '***', events: ['never.created'] } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.events, ['never.created']);
  assert.equal(r.body.secret, '***');
  r = await server.call('GET', `/api/v1/notification-channels`, { token: admin });
  assert.ok(!JSON.stringify(r.body).includes(secret));
  const audit = await server.call('GET', `/api/v1/audit?entity=notification_channel&entity_id=${id}`, { token: admin });
  assert.equal(audit.body.total, 2);
  assert.ok(!JSON.stringify(audit.body).includes(secret), 'the audit trail must not hold the secret');
  assert.equal((await server.call('DELETE', `/api/v1/notification-channels/${id}`, { token: admin })).status, 204);
  assert.equal((await server.call('GET', `/api/v1/notification-channels/${id}`, { token: admin })).status, 404);
});

test('one message reaches e-mail, a signed webhook, WeCom and DingTalk, each once', async () => {
  const hookSecret = 'whsec-' + uniq('k');
  const dingSecret = 'SEC' + uniq('d');
  const create = async (body) => {
    const r = await server.call('POST', '/api/v1/notification-channels', { token: admin, body: { events: ['ticket.*'], ...body } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  if (smtp) {
    await create({ name: '售后邮件', kind: 'email', config: { smtp_url: `smtp://127.0.0.1:${smtp.port}`,
      from: 'service@example.com', from_name: '售后服务中心', recipients: ['ops@example.com'] } });
  }
  await create({ name: 'ERP webhook', kind: 'webhook', config: { url: sink.url + '/hook' }, secret: hookSecret });
  await create({ name: '企业微信群', kind: 'wecom', config: { url: sink.url + '/wecom?key=abc' } });
  await create({ name: '钉钉群', kind: 'dingtalk', config: { url: sink.url + '/dingtalk?access_token=t' }, secret: dingSecret });

  const number = uniq('SR');
  enqueue(server.db, [{ event: 'ticket.created', ticket_id: 7, to_emails: ['zhang.wei@customer.cn'],
    params: { number, title: '幕墙渗水 <script>', project_name: '滨江中心', customer_name: '华东置业',
      due_at: '2026-03-01T02:30:00.000Z' } }]);

  const msg = await until('the message to be sent', async () => {
    const page = await outbox('?event=ticket.created');
    return page.items.find((m) => m.payload.params.number === number && m.state === 'sent' && m);
  });
  assert.equal(msg.deliveries.length, smtp ? 5 : 3);
  assert.ok(msg.deliveries.every((d) => d.state === 'sent' && d.attempts === 1));

  // Webhook: JSON with a valid HMAC-SHA256 signature over the exact body.
  const hooks = sink.hits.filter((h) => h.url === '/hook' && JSON.parse(h.body).params.number === number);
  assert.equal(hooks.length, 1);
  const hook = hooks[0];
  const expected = 'sha256=' + createHmac('sha256', hookSecret).update(hook.body).digest('hex');
  assert.equal(hook.headers['x-aftersales-signature'], expected);
  const body = JSON.parse(hook.body);
  assert.equal(hook.headers['x-aftersales-timestamp'], String(body.timestamp));
  assert.ok(Math.abs(body.timestamp * 1000 - Date.now()) < 60000);
  assert.equal(body.event, 'ticket.created');
  assert.equal(body.ticket_id, 7);
  assert.equal(body.subject, `【售后服务】已受理您的报修 ${number}`);
  assert.match(body.text, /处理时限：2026-03-01 10:30/);

  // WeCom: markdown with the subject in bold and markup from params escaped.
  const wecom = sink.hits.filter((h) => h.url === '/wecom?key=abc' && h.body.includes(number));
  assert.equal(wecom.length, 1);
  const w = JSON.parse(wecom[0].body);
  assert.equal(w.msgtype, 'markdown');
  assert.ok(w.markdown.content.startsWith(`**【售后服务】已受理您的报修 ${number}**`));
  assert.ok(w.markdown.content.includes('&lt;script&gt;') && !w.markdown.content.includes('<script>'));

  // DingTalk: markdown with title and text, URL signed as DingTalk documents.
  const ding = sink.hits.filter((h) => h.url.startsWith('/dingtalk') && h.body.includes(number));
  assert.equal(ding.length, 1);
  const u = new URL(sink.url + ding[0].url);
  assert.equal(u.searchParams.get('access_token'), 't');
  const ts = u.searchParams.get('timestamp');
  assert.equal(u.searchParams.get('sign'), createHmac('sha256', dingSecret).update(`${ts}\n${dingSecret}`).digest('base64'));
  const d = JSON.parse(ding[0].body);
  assert.equal(d.msgtype, 'markdown');
  assert.equal(d.markdown.title, `【售后服务】已受理您的报修 ${number}`);

  if (smtp) {
    // E-mail: the customer (to_emails) and the fixed recipient, UTF-8 subject and body intact.
    const mails = smtp.mails.filter((m) => decodeMail(m.raw).subject.includes(number));
    assert.deepEqual(mails.map((m) => m.to[0]).sort(), ['ops@example.com', 'zhang.wei@customer.cn']);
    const mail = decodeMail(mails[0].raw);
    assert.equal(mails[0].from, 'service@example.com');
    assert.equal(mail.subject, `【售后服务】已受理您的报修 ${number}`);
    assert.match(mail.header('Content-Type'), /text\/plain; charset=UTF-8/);
    assert.match(mail.body, /华东置业，您好/);
    assert.match(mail.body, /问题：幕墙渗水 <script>/);  // text/plain: shown as typed, never interpreted
    assert.ok(decodeMail(mails[0].raw).header('From').endsWith('<service@example.com>'));
  }

  const metrics = await server.call('GET', '/metrics');
  assert.match(metrics.body, /^aftersales_outbox_pending \d+/m);
});

test('a failing endpoint is retried with backoff, then dead; an admin can requeue it', async () => {
  const r = await server.call('POST', '/api/v1/notification-channels', { token: admin,
    body: { name: uniq('broken'), kind: 'webhook', events: ['test.failing'], config: { url: sink.url + '/fail' }, secret: 'x' } });
  assert.equal(r.status, 201);
  const number = uniq('F');
  enqueue(server.db, [{ event: 'test.failing', params: { number, title: 'x' } }]);
  const dead = await until('the message to be dead', async () =>
    (await outbox('?state=dead')).items.find((m) => m.payload.params.number === number));
  assert.equal(dead.attempts, 3);
  assert.match(dead.last_error, /status 500/);
  assert.equal(dead.deliveries[0].state, 'dead');
  const tries = sink.hits.filter((h) => h.url === '/fail' && h.body.includes(number));
  assert.equal(tries.length, 3);
  // Waits of ~200 ms then ~400 ms (±20 % jitter).
  assert.ok(tries[1].at - tries[0].at >= 150, `first wait ${tries[1].at - tries[0].at} ms`);
  assert.ok(tries[2].at - tries[1].at >= 300, `second wait ${tries[2].at - tries[1].at} ms`);

  const manager = await server.userWithRole(admin, 'service_manager');
  assert.equal((await server.call('POST', `/api/v1/notifications/${dead.id}/retry`, { token: manager.token })).status, 403);
  assert.equal((await server.call('POST', `/api/v1/notifications/${dead.id}/retry`, { token: admin })).status, 204);
  await until('three more attempts', async () => sink.hits.filter((h) => h.url === '/fail' && h.body.includes(number)).length === 6);
  await until('dead again', async () => (await outbox('?state=dead')).items.find((m) => m.id === dead.id));
  const sent = (await outbox('?state=sent')).items[0];
  assert.equal((await server.call('POST', `/api/v1/notifications/${sent.id}/retry`, { token: admin })).status, 409);
  assert.equal((await server.call('POST', '/api/v1/notifications/999999/retry', { token: admin })).status, 404);
});

test('two server processes on one database deliver every message exactly once', async () => {
  const db = freshDatabase();
  const a = await startServer({ db: { ...db, cleanup: () => {} }, args: FAST });
  const b = await startServer({ db, createAdmin: false, args: FAST });
  try {
    const token = await a.login();
    const r = await a.call('POST', '/api/v1/notification-channels', { token,
      body: { name: 'once', kind: 'webhook', events: ['load.test'], config: { url: sink.url + '/once' }, secret: 's' } });
    assert.equal(r.status, 201);
    const tag = uniq('L');
    const N = 40;
    enqueue(db, Array.from({ length: N }, (_, i) => ({ event: 'load.test', params: { number: `${tag}-${i}` } })));
    await until('all messages sent', async () => {
      const page = await a.call('GET', '/api/v1/notifications?state=sent&limit=200', { token });
      return page.body.total === N;
    }, 30000);
    await sleep(500);  // a duplicate would arrive now if there were one
    const got = sink.hits.filter((h) => h.url === '/once' && h.body.includes(tag)).map((h) => JSON.parse(h.body).params.number);
    assert.equal(got.length, N, 'no message delivered twice');
    assert.equal(new Set(got).size, N);
  } finally {
    await a.stop();
    await b.stop();
  }
});
