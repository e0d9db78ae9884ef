// Intake by e-mail against a real IMAP server: a throw-away Dovecot (tests/tools/dovecot.sh) on
// a free loopback port, mail dropped into its maildir, a server polling it every second. Mail
// from customer contacts becomes requests (channel email, the right project, decoded Chinese),
// and is marked \Seen only then; a restarted server creates nothing twice; mail from an unknown
// sender stays unread.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, ROOT, uniq } from './lib.mjs';

const DOVECOT = join(ROOT, 'tests/tools/dovecot.sh');
const USER = 'service';
const PASSWORD = 'mail-pass-1';

let mailDir, port, skipReason = '';
let s, admin, customerA, customerB, zjdc, zjdc2, wgq;

function startDovecot() {
  mailDir = mkdtempSync(join(tmpdir(), 'aftersales-dovecot-'));
  chmodSync(mailDir, 0o755);
  const r = spawnSync(DOVECOT, ['start', mailDir, USER, PASSWORD], { encoding: 'utf8' });
  if (r.status !== 0) {
    skipReason = `dovecot could not be started (install dovecot-imapd: scripts/install-deps.sh): ${(r.stderr || r.error || '').toString().trim()}`;
    return false;
  }
  port = Number(r.stdout.trim());
  return true;
}

const imapUrl = () => `imap://${USER}:${PASSWORD}@127.0.0.1:${port}/INBOX`;
const mailArgs = () => ['--mail-intake-url', imapUrl(), '--mail-intake-seconds', '1'];

let seq = 0;
function deliver(raw) {
  const file = join(mailDir, `msg-${++seq}.eml`);
  writeFileSync(file, raw.replace(/\r?\n/g, '\r\n'));
  execFileSync(DOVECOT, ['deliver', mailDir, USER, file]);
}

// Every message in the maildir with its \Seen flag (maildir keeps flags in the file name).
function mailbox() {
  const box = join(mailDir, 'mail', USER);
  const out = [];
  for (const sub of ['new', 'cur'])
    for (const name of readdirSync(join(box, sub))) {
      const flags = name.includes(':2,') ? name.split(':2,')[1] : '';
      out.push({ name, seen: flags.includes('S') });
    }
  return out;
}

// UIDs the IMAP server itself reports unseen.
function unseenUids() {
  const out = execFileSync('curl', ['-s', '--max-time', '10', imapUrl(), '-X', 'UID SEARCH UNSEEN'], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.startsWith('* SEARCH')) || '* SEARCH';
  return line.replace('* SEARCH', '').trim().split(/\s+/).filter(Boolean).map(Number);
}

async function waitFor(what, fn, ms = 20000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}\n--- server log ---\n${s?.logs().slice(-4000)}`);
}

async function emailTickets() {
  const r = await s.call('GET', '/api/v1/tickets?channel=email&limit=100', { token: admin });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.items;
}

const b64 = (text) => Buffer.from(text, 'utf8').toString('base64');
const word = (text) => `=?UTF-8?B?${b64(text)}?=`;
const dateHeader = (d) => d.toUTCString().replace('GMT', '+0000');

// 1. A known contact naming the project in a tag; multipart/alternative, base64 UTF-8 text and HTML.
const mail1 = () => `From: ${word('张三')} <Zhang.San@Example.com>
To: service@example.com
Subject: ${word('[项目: 张江数据中心] 精密空调漏水')}
Date: ${dateHeader(new Date(Date.now() - 3600 * 1000))}
Message-ID: <${uniq('m1')}@mail.example.com>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: base64

${b64('3号机房精密空调下方有积水，\n请尽快派人检查。')}
--b1
Content-Type: text/html; charset=UTF-8

<p>HTML 版本</p>
--b1--
`;

// 2. The only contact of customer B: GB2312 subject (B) and quoted-printable GB2312 body.
//    Subject "外高桥仓库 空调不制冷", body "二号楼空调不制冷，请派人检修。".
const mail2 = () => `From: li@example.com (${'李四'})
To: service@example.com
Subject: =?GB2312?B?zeK438fFsta/4iC/1bX3srvWxsDk?=
Date: ${dateHeader(new Date(Date.now() - 40 * 86400 * 1000))}
Message-ID: <${uniq('m2')}@mail.example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=gb2312
Content-Transfer-Encoding: quoted-printable

=B6=FE=BA=C5=C2=A5=BF=D5=B5=F7=B2=BB=D6=C6=C0=E4=A3=AC=C7=EB=C5=C9=C8=CB=BC=
=EC=D0=DE=A1=A3
`;

// 3. An unknown sender: left unread.
const mail3 = () => `From: Stranger <stranger@nowhere.example>
Subject: hello
Message-ID: <${uniq('m3')}@nowhere.example>

Who reads this?
`;

// 4. Customer A again, no project named: the most recent project, to be confirmed. HTML only.
const mail4 = () => `From: "${'张三'}" <zhang.san@example.com>
Subject: ${word('门禁故障')}
Message-ID: <${uniq('m4')}@mail.example.com>
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<html><body><p>=E9=97=A8=E7=A6=81=E5=88=B7=E5=8D=A1=E6=B2=A1=E5=8F=8D=E5=BA=94</p></body></html>
`;

let sent = {};

before(async () => {
  if (!startDovecot()) return;
  s = await startServer({ args: mailArgs() });
  admin = await s.login();
  const mk = async (path, body) => {
    const r = await s.call('POST', path, { token: admin, body });
    assert.equal(r.status, 201, `${path}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  customerA = await mk('/api/v1/customers', { name: uniq('张江业主'),
    contacts: [{ name: '张三', phone: '13900000001', email: 'zhang.san@example.com' }] });
  customerB = await mk('/api/v1/customers', { name: uniq('外高桥业主'),
    contacts: [{ name: '李四', phone: '13900000002', email: 'LI@example.com' }] });
  zjdc = await mk('/api/v1/projects', { customer_id: customerA.id, name: '张江数据中心', type: 'data_centre' });
  zjdc2 = await mk('/api/v1/projects', { customer_id: customerA.id, name: '张江数据中心二期', type: 'data_centre' });
  wgq = await mk('/api/v1/projects', { customer_id: customerB.id, name: '外高桥仓库', type: 'building' });
  sent = { m1: mail1(), m2: mail2(), m3: mail3(), m4: mail4() };
  for (const raw of Object.values(sent)) deliver(raw);
});

after(async () => {
  if (s) await s.stop();
  if (mailDir) {
    spawnSync(DOVECOT, ['stop', mailDir]);
    rmSync(mailDir, { recursive: true, force: true });
  }
});

const maybe = (name, fn) => test(name, (t) => (skipReason ? t.skip(skipReason) : fn(t)));

maybe('mail from customer contacts becomes requests with channel email, the right project and decoded text', async () => {
  const items = await waitFor('three requests from mail', async () => {
    const list = await emailTickets();
    return list.length >= 3 ? list : null;
  });
  assert.equal(items.length, 3, JSON.stringify(items));
  const byTitle = Object.fromEntries(items.map((t) => [t.title, t]));

  const t1 = byTitle['[项目: 张江数据中心] 精密空调漏水'];
  assert.ok(t1, JSON.stringify(items.map((t) => t.title)));
  assert.equal(t1.channel, 'email');
  assert.equal(t1.customer.id, customerA.id);
  assert.equal(t1.project.id, zjdc.id);
  const d1 = (await s.call('GET', `/api/v1/tickets/${t1.id}`, { token: admin })).body;
  assert.equal(d1.description, '3号机房精密空调下方有积水，\n请尽快派人检查。');
  assert.equal(d1.contact_name, '张三');
  assert.equal(d1.contact_phone, '13900000001');
  // Reported when the mail was sent (an hour ago), not when it was read.
  const ago = Date.now() - Date.parse(d1.reported_at);
  assert.ok(ago > 3500 * 1000 && ago < 3700 * 1000, d1.reported_at);

  const t2 = byTitle['外高桥仓库 空调不制冷'];
  assert.ok(t2, JSON.stringify(items.map((t) => t.title)));
  assert.equal(t2.customer.id, customerB.id);
  assert.equal(t2.project.id, wgq.id);
  const d2 = (await s.call('GET', `/api/v1/tickets/${t2.id}`, { token: admin })).body;
  assert.equal(d2.description, '二号楼空调不制冷，请派人检修。');
  assert.equal(d2.contact_name, '李四');
  // Sent 40 days ago: clamped to the 30 days intake accepts.
  const age = (Date.now() - Date.parse(d2.reported_at)) / 86400000;
  assert.ok(age > 29.9 && age <= 30, d2.reported_at);

  const t4 = byTitle['门禁故障'];
  assert.ok(t4, JSON.stringify(items.map((t) => t.title)));
  assert.equal(t4.project.id, zjdc2.id, 'the most recent project of the customer');
  const d4 = (await s.call('GET', `/api/v1/tickets/${t4.id}`, { token: admin })).body;
  assert.match(d4.description, /^\[待确认项目/);
  assert.match(d4.description, /门禁刷卡没反应$/);

  // The timeline names the system as the one who logged it, through the e-mail channel.
  const tl = (await s.call('GET', `/api/v1/tickets/${t1.id}/timeline`, { token: admin })).body;
  assert.equal(tl.items[0].type, 'request_created');
  assert.equal(tl.items[0].data.channel, 'email');
});

maybe('processed mail is marked \\Seen; mail from an unknown sender stays unread and is logged', async () => {
  await waitFor('three messages seen', () => mailbox().filter((m) => m.seen).length === 3);
  const box = mailbox();
  assert.equal(box.length, 4);
  assert.equal(box.filter((m) => !m.seen).length, 1);
  assert.equal(unseenUids().length, 1);
  await waitFor('the unknown sender warning', () => s.logs().includes('stranger@nowhere.example'));
  // Distinct lines: the harness may hand the same log chunk over twice.
  const warnings = [...new Set(s.logs().split('\n').filter((l) => l.includes('mail left unread')))];
  assert.equal(warnings.length, 1, 'warned once, not every round:\n' + warnings.join('\n'));
  assert.match(warnings[0], /unknown_sender/);
  // No request for it.
  const items = await emailTickets();
  assert.ok(!items.some((t) => t.title === 'hello'));
});

maybe('a restarted server re-reading the same mail creates nothing new', async () => {
  const before = (await emailTickets()).length;
  // Stop the server, keep its database; the same mail arrives again (a second copy, unseen),
  // and one processed message is marked unseen again, as if the crash came before \Seen.
  const exited = new Promise((r) => s.child.on('exit', r));
  s.child.kill('SIGTERM');
  await exited;
  const stranger = unseenUids()[0];
  const uid = [1, 2, 3, 4].find((u) => u !== stranger);  // a processed one
  deliver(sent.m1);
  execFileSync('curl', ['-s', '--max-time', '10', imapUrl(), '-X', `UID STORE ${uid} -FLAGS (\\Seen)`]);
  assert.equal(unseenUids().length, 3);
  const db = s.db;
  s = await startServer({ args: mailArgs(), db, createAdmin: false });
  admin = await s.login();
  await waitFor('the re-read mail marked seen', () => unseenUids().length === 1);
  const after = await emailTickets();
  assert.equal(after.length, before, JSON.stringify(after.map((t) => t.title)));
  // A new mail is still picked up after the restart.
  deliver(mail1().replace('精密空调漏水', '冷通道温度高'));
  await waitFor('the new mail', async () => (await emailTickets()).length === before + 1);
});

maybe('with a fallback project, mail from an unknown sender becomes a request there, marked for checking', async () => {
  const exited = new Promise((r) => s.child.on('exit', r));
  s.child.kill('SIGTERM');
  await exited;
  const db = s.db;
  s = await startServer({ args: [...mailArgs(), '--mail-intake-fallback-project', String(wgq.id)], db, createAdmin: false });
  admin = await s.login();
  const t = await waitFor('the stranger\'s request', async () => (await emailTickets()).find((x) => x.title === 'hello'));
  assert.equal(t.project.id, wgq.id);
  const d = (await s.call('GET', `/api/v1/tickets/${t.id}`, { token: admin })).body;
  assert.match(d.description, /^\[未知发件人 \/ unknown sender\] stranger@nowhere\.example/);
  assert.match(d.description, /Who reads this\?$/);
  assert.equal(d.contact_name, 'Stranger');
  await waitFor('every mail seen', () => unseenUids().length === 0);
});

maybe('a bad mailbox URL stops the server at start', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aftersales-mailurl-'));
  try {
    const r = spawnSync(process.env.AFTERSALES_BIN || join(ROOT, 'build/aftersales'),
      ['serve', '--database', `sqlite://${join(dir, 'a.db')}`, '--data-dir', dir, '--listen', '127.0.0.1:0',
        '--mail-intake-url', 'http://example.com/INBOX'], { encoding: 'utf8', timeout: 15000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--mail-intake-url: the scheme must be imap:\/\/ or imaps:\/\//);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
