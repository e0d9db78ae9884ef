// The bad-input corpus for the upload route (a raw body, not JSON) and for body limits at the
// transport: forged content types, content that is no photo, video or PDF, double extensions
// that hide programs, broken file-name encodings, bad request ids and purposes; bodies announced
// or streamed beyond the limit. Refusals are 4xx problem+json naming the header or the content,
// with the database and the attachment directory unchanged. Path-traversal names are neutralised
// (only the last path component is kept), which is checked here too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, tinyPng } from './lib.mjs';
import { buildWorld, runCases, snapshot, snapshotDiff, healthy, problemIssue, send } from './bad_input_corpus.mjs';

let s, w;
before(async () => {
  s = await startServer({ args: ['--no-workers'] });
  w = await buildWorld(s);
});
after(async () => { await s?.stop(); });

function filesUnder(dir) {
  const out = [];
  const walk = (d) => {
    let entries = [];
    try { entries = readdirSync(d); } catch { return; }
    for (const e of entries) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p); else out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////' +
  '////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=', 'base64');
const png = (seed = 1) => tinyPng(seed);
const up = (name, raw, headers, expect) => ({ name, raw, ct: null, headers, expect });
const H = (type, filename, extra = {}) => ({ ...(type === null ? {} : { 'content-type': type }), ...(filename === null ? {} : { 'x-filename': filename }), ...extra });

test('uploads: forged types, hostile content, hidden programs, bad names and headers are refused; nothing is stored', async () => {
  const cases = [
    // Content that is not what it claims, or not a photo, video or PDF at all.
    up('HTML declared as PNG', Buffer.from('<html><script>alert(1)</script></html>'), H('image/png', 'a.png'), { status: 422, field: 'content' }),
    up('SVG with script', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), H('image/svg+xml', 'a.svg'), { status: 422, field: 'content' }),
    up('Windows program as PDF', Buffer.concat([Buffer.from('MZ\x90\x00'), Buffer.alloc(200)]), H('application/pdf', 'a.pdf'), { status: 422, field: 'content' }),
    up('ELF program as JPEG', Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(200)]), H('image/jpeg', 'a.jpg'), { status: 422, field: 'content' }),
    up('shell script', Buffer.from('#!/bin/sh\nrm -rf /\n'), H('image/png', 'a.png'), { status: 422, field: 'content' }),
    up('PHP', Buffer.from('<?php system($_GET["c"]); ?>'), H('image/jpeg', 'a.jpg'), { status: 422, field: 'content' }),
    up('ZIP', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100)]), H('application/pdf', 'a.pdf'), { status: 422, field: 'content' }),
    up('empty file', Buffer.alloc(0), H('image/png', 'a.png'), { status: 422, field: 'content' }),
    up('truncated PNG', png().subarray(0, 20), H('image/png', 'a.png'), { status: 422, field: 'content' }),
    up('PDF without its end', Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n'), H('application/pdf', 'a.pdf'), { status: 422, field: 'content' }),
    // A real file under a forged content type.
    up('PNG declared as JPEG', png(), H('image/jpeg', 'a.png'), { status: 422, field: 'Content-Type' }),
    up('PNG declared as HTML', png(), H('text/html', 'a.png'), { status: 422, field: 'Content-Type' }),
    up('JPEG declared as SVG', JPEG, H('image/svg+xml', 'a.jpg'), { status: 422, field: 'Content-Type' }),
    up('PNG declared as JavaScript', png(), H('application/javascript', 'a.png'), { status: 422, field: 'Content-Type' }),
    up('two content types', png(), H('image/png, text/html', 'a.png'), { status: 422, field: 'Content-Type' }),
    // Double extensions that hide programs or pages.
    ...['photo.png.exe', 'invoice.pdf.html', 'x.jpg.php', 'x.png.svg', 'x.JPG.Exe', 'x.png.exe. ', 'x.png.bat  ', 'setup.png.msi',
      'x.png.js', 'report.pdf.hta', 'a.png.lnk', 'a.png.ps1', 'a.png.sh', 'a.png.jsp', 'a.png.phtml']
      .map((n) => up(`name ${n}`, png(), H('image/png', encodeURIComponent(n)), { status: 422, field: 'X-Filename' })),
    // File names that cannot be decoded.
    up('encoded NUL in the name', png(), H('image/png', 'a%00.png'), { status: 422, field: 'X-Filename' }),
    up('broken percent-encoding', png(), H('image/png', '%zz.png'), { status: 422, field: 'X-Filename' }),
    up('invalid UTF-8 in the name', png(), H('image/png', '%ff%fe.png'), { status: 422, field: 'X-Filename' }),
    up('overlong UTF-8 slash', png(), H('image/png', '..%c0%af..%c0%afetc.png'), { status: 422, field: 'X-Filename' }),
    up('truncated UTF-8', png(), H('image/png', '%E7%8E.png'), { status: 422, field: 'X-Filename' }),
    // Bad request ids and purposes.
    ...['abc', '0', '-1', '1.5', '1;DROP TABLE attachments', '99999999999999999999', '1 2']
      .map((id) => up(`X-Ticket-Id ${id}`, png(), H('image/png', 'a.png', { 'x-ticket-id': id }), { status: 400, field: 'X-Ticket-Id' })),
    up('X-Ticket-Id of nothing', png(), H('image/png', 'a.png', { 'x-ticket-id': '999999' }), { status: 404 }),
    up('X-Purpose not in the list', png(), H('image/png', 'a.png', { 'x-purpose': 'malware' }), { status: 422, field: 'X-Purpose' }),
    up('X-Purpose with SQL', png(), H('image/png', 'a.png', { 'x-purpose': "intake' OR '1'='1" }), { status: 422, field: 'X-Purpose' }),
    up('a JPEG as a signature', JPEG, H('image/jpeg', 'a.jpg', { 'x-purpose': 'signature' }), { status: 422, field: 'X-Purpose' }),
    // Credentials.
    { ...up('no credentials', png(), H('image/png', 'a.png'), { status: 401 }), token: null },
  ];
  const blobs = filesUnder(s.dataDir);
  const before = snapshot(s.db);
  const issues = await runCases(s, 'upload', 'POST', '/api/v1/attachments', cases, { token: w.admin });
  const changed = snapshotDiff(before, snapshot(s.db));
  if (changed.length) issues.push(`the database changed: ${changed.join('; ')}`);
  const added = filesUnder(s.dataDir).filter((f) => !blobs.includes(f) && !f.endsWith('-wal') && !f.endsWith('-shm'));
  if (added.length) issues.push(`files were written: ${added.join(', ')}`);
  if (!(await healthy(s))) issues.push('the server is down');
  assert.deepEqual(issues, [], issues.join('\n'));
});

test('uploads: path traversal in file names is neutralised to the last path component', async () => {
  const names = ['../../../etc/passwd', '..\\..\\Windows\\win.ini', '/etc/shadow', 'C:\\Windows\\System32\\x.png',
    '....//....//x.png', '%2e%2e%2f%2e%2e%2fx.png', '..', '.htaccess', 'a/../../b.png', '\u202egnp.exe'];
  for (const [i, name] of names.entries()) {
    const r = await send(s, 'POST', '/api/v1/attachments',
      { raw: tinyPng(100 + i), ct: null, headers: H('image/png', encodeURIComponent(name)) }, { token: w.admin });
    if (r.status === 422) {
      assert.equal(problemIssue(r, { status: 422, field: 'X-Filename' }), null, name);
      continue;
    }
    assert.equal(r.status, 201, `${name}: ${JSON.stringify(r.body)}`);
    const f = r.body.filename;
    assert.ok(!/[\\/]/.test(f) && !f.startsWith('.') && !f.includes('..') && f.endsWith('.png'), `${name} → ${f}`);
    const c = await fetch(`${s.base}${r.body.content_url}`, { headers: { authorization: `Bearer ${w.admin}` } });
    assert.equal(c.status, 200);
    assert.equal(c.headers.get('content-type'), 'image/png');
    assert.equal(c.headers.get('x-content-type-options'), 'nosniff');
    assert.match(c.headers.get('content-disposition'), /^inline; filename="[^"/\\]*"; filename\*=UTF-8''/);
  }
  // Nothing outside <data dir>/attachments.
  const outside = filesUnder(s.dataDir).filter((f) => !f.startsWith(join(s.dataDir, 'attachments') + '/') && !/aftersales\.db(-wal|-shm)?$/.test(f));
  assert.deepEqual(outside, []);
});

// Sends raw HTTP on a socket (headers announcing a body that is never sent, or sent in chunks).
function rawHttp(text, { write } = {}) {
  return new Promise((resolve, reject) => {
    const sock = connect(s.port, '127.0.0.1', () => {
      sock.write(text);
      if (write) write(sock);
    });
    let data = '';
    sock.setEncoding('latin1');
    sock.on('data', (d) => {
      data += d;
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const len = /content-length: (\d+)/i.exec(data.slice(0, end));
      if (len && data.length >= end + 4 + Number(len[1])) { sock.destroy(); resolve(data); }
    });
    sock.on('error', (e) => (data ? resolve(data) : reject(e)));
    sock.on('close', () => resolve(data));
    setTimeout(() => { sock.destroy(); resolve(data); }, 10000);
  });
}
function parseRaw(text) {
  const end = text.indexOf('\r\n\r\n');
  const status = Number(text.slice(9, 12));
  const headers = new Headers();
  for (const line of text.slice(0, end).split('\r\n').slice(1)) {
    const i = line.indexOf(':');
    headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  const raw = text.slice(end + 4);
  let body = raw;
  try { body = JSON.parse(raw); } catch { /* not JSON */ }
  return { status, headers, body };
}

test('bodies beyond the limit: announced, streamed in chunks, or on the upload route', async () => {
  const before = snapshot(s.db);
  const head = (path, extra) => `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${w.admin}\r\n${extra}\r\n`;
  const issues = [];
  const check = (label, res, expect) => { const i = problemIssue(res, expect); if (i) issues.push(`${label}: ${i}`); };
  check('announced 3 MiB of JSON', parseRaw(await rawHttp(head('/api/v1/customers', 'Content-Type: application/json\r\nContent-Length: 3145728\r\n'))), { status: 413 });
  check('announced 300 MiB upload', parseRaw(await rawHttp(head('/api/v1/attachments', 'Content-Type: image/png\r\nContent-Length: 314572800\r\n'))), { status: 413 });
  check('announced 10^18 bytes', parseRaw(await rawHttp(head('/api/v1/customers', 'Content-Type: application/json\r\nContent-Length: 1000000000000000000\r\n'))), { statuses: [400, 413] });
  check('negative length', parseRaw(await rawHttp(head('/api/v1/customers', 'Content-Type: application/json\r\nContent-Length: -1\r\n'))), { status: 400 });
  check('two lengths', parseRaw(await rawHttp(head('/api/v1/customers', 'Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\n') + '{}')), { status: 400 });
  // 3 MiB of JSON in 64 KiB chunks: refused while it streams in.
  const chunked = await rawHttp(head('/api/v1/customers', 'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n'), {
    write(sock) {
      const chunk = Buffer.alloc(65536, 'x');
      sock.write('1\r\n{\r\n');
      for (let i = 0; i < 48 && !sock.destroyed; i++) sock.write(`${chunk.length.toString(16)}\r\n${chunk.toString('latin1')}\r\n`);
    },
  });
  check('3 MiB chunked', parseRaw(chunked), { status: 413 });
  // Through fetch too (a body the client really sends).
  const big = await send(s, 'POST', '/api/v1/customers', { raw: '{"name":"' + 'x'.repeat(2 * 1024 * 1024) + '"}' }, { token: w.admin });
  check('2 MiB + a bit', big, { status: 413 });
  const changed = snapshotDiff(before, snapshot(s.db));
  if (changed.length) issues.push(`the database changed: ${changed.join('; ')}`);
  if (!(await healthy(s))) issues.push('the server is down');
  assert.deepEqual(issues, [], issues.join('\n'));
});
