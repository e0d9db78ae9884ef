// Attachments: upload by content type sniffing, storage by hash on disk, serving with headers and
// authorisation, linking to service requests, customer scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { deflateSync, crc32 } from 'node:zlib';
import { startServer, uniq } from './lib.mjs';

let s, admin, dataDir, tech, custMine, custMine2, custTheirs;
let mine, theirs, myTicket, myTicket2, theirTicket;

// --- Real file bytes, built here ------------------------------------------------------------
function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td) >>> 0);
  return Buffer.concat([len, td, crc]);
}
// A real w×h RGB PNG whose pixels depend on `seed` (so different seeds give different files).
function png(w = 2, h = 2, seed = 0) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  const raw = Buffer.alloc(h * (1 + w * 3));
  for (let y = 0; y < h; y++) {
    raw[y * (1 + w * 3)] = 0;
    for (let x = 0; x < w * 3; x++) raw[y * (1 + w * 3) + 1 + x] = (x * 40 + y * 90 + seed) & 0xff;
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0))]);
}
// A 1×1 baseline JPEG.
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////' +
  '////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=', 'base64');
function pdf() {
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>'];
  let body = '%PDF-1.4\n';
  const offsets = [];
  objs.forEach((o, i) => { offsets.push(body.length); body += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = body.length;
  body += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
const sha256 = (b) => createHash('sha256').update(b).digest('hex');
const enc = encodeURIComponent;

async function upload(bytes, { token = admin, type = 'image/png', name = 'photo.png', ticket, purpose, headers = {} } = {}) {
  const h = { ...headers };
  if (type !== undefined) h['content-type'] = type;
  if (name !== undefined) h['x-filename'] = enc(name);
  if (ticket !== undefined) h['x-ticket-id'] = String(ticket);
  if (purpose !== undefined) h['x-purpose'] = purpose;
  return s.call('POST', '/api/v1/attachments', { token, raw: bytes, headers: h });
}
async function content(id, { token = admin, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  const res = await fetch(`${s.base}/api/v1/attachments/${id}/content`, { headers: h });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}
function ticketRow(number, customerId, projectId) {
  const now = Date.now();
  s.db.exec(`INSERT INTO tickets (number, customer_id, project_id, channel, state, title, reported_at, created_at, updated_at)
             VALUES ('${number}', ${customerId}, ${projectId}, 'phone', 'new', '空调不制冷', ${now}, ${now}, ${now})`);
  return Number(s.db.exec(`SELECT id FROM tickets WHERE number = '${number}'`).trim());
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'aftersales-attach-'));
  s = await startServer({ args: ['--data-dir', dataDir] });
  admin = await s.login();
  const mk = async (path, body) => {
    const r = await s.call('POST', path, { token: admin, body });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  mine = await mk('/api/v1/customers', { name: uniq('甲方') });
  theirs = await mk('/api/v1/customers', { name: uniq('乙方') });
  const myProject = await mk('/api/v1/projects', { customer_id: mine.id, name: uniq('甲项目'), type: 'building' });
  const theirProject = await mk('/api/v1/projects', { customer_id: theirs.id, name: uniq('乙项目'), type: 'building' });
  myTicket = ticketRow(uniq('SR'), mine.id, myProject.id);
  myTicket2 = ticketRow(uniq('SR'), mine.id, myProject.id);
  theirTicket = ticketRow(uniq('SR'), theirs.id, theirProject.id);
  tech = await s.userWithRole(admin, 'technician');
  custMine = await s.userWithRole(admin, 'customer', { customer_id: mine.id });
  custMine2 = await s.userWithRole(admin, 'customer', { customer_id: mine.id });
  custTheirs = await s.userWithRole(admin, 'customer', { customer_id: theirs.id });
});
after(async () => {
  await s.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a PNG uploads, links to its request and reads back byte for byte with safe headers', async () => {
  const bytes = png(3, 2, 1);
  const r = await upload(bytes, { name: '3号楼/空调故障照片.png', ticket: myTicket, purpose: 'intake' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.sha256, sha256(bytes));
  assert.equal(r.body.size, bytes.length);
  assert.equal(r.body.content_type, 'image/png');
  assert.equal(r.body.filename, '空调故障照片.png');
  assert.equal(r.body.ticket_id, myTicket);
  assert.equal(r.body.purpose, 'intake');
  assert.match(r.body.created_at, /^\d{4}-\d\d-\d\dT/);
  assert.equal(r.headers.get('location'), `/api/v1/attachments/${r.body.id}`);

  const meta = await s.call('GET', `/api/v1/attachments/${r.body.id}`, { token: admin });
  assert.equal(meta.status, 200);
  assert.deepEqual(meta.body, r.body);

  const c = await content(r.body.id);
  assert.equal(c.status, 200);
  assert.ok(c.bytes.equals(bytes), 'identical bytes');
  assert.equal(c.headers.get('content-type'), 'image/png');
  assert.equal(c.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(c.headers.get('cache-control'), 'private, max-age=3600');
  assert.equal(c.headers.get('etag'), `"${sha256(bytes)}"`);
  assert.equal(c.headers.get('content-disposition'),
    `inline; filename="______.png"; filename*=UTF-8''${enc('空调故障照片.png')}`);

  const again = await content(r.body.id, { headers: { 'if-none-match': `"${sha256(bytes)}"` } });
  assert.equal(again.status, 304);
  assert.equal(again.bytes.length, 0);

  const part = await content(r.body.id, { headers: { range: 'bytes=0-7' } });
  assert.equal(part.status, 206);
  assert.ok(part.bytes.equals(bytes.subarray(0, 8)));
  assert.equal(part.headers.get('content-range'), `bytes 0-7/${bytes.length}`);
  const beyond = await content(r.body.id, { headers: { range: `bytes=${bytes.length}-` } });
  assert.equal(beyond.status, 416);

  const list = await s.call('GET', `/api/v1/tickets/${myTicket}/attachments`, { token: tech.token });
  assert.equal(list.status, 200);
  assert.ok(list.body.items.some((a) => a.id === r.body.id));
});

test('JPEG and PDF round-trip with their sniffed types', async () => {
  for (const [bytes, type, name] of [[JPEG, 'image/jpeg', 'IMG_0001.JPG'], [pdf(), 'application/pdf', '验收报告.pdf']]) {
    const r = await upload(bytes, { type, name, token: tech.token });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.content_type, type);
    assert.equal(r.body.filename, name);
    assert.equal(r.body.ticket_id, null);
    assert.equal(r.body.purpose, 'other');
    const c = await content(r.body.id, { token: tech.token });
    assert.equal(c.status, 200);
    assert.ok(c.bytes.equals(bytes));
    assert.equal(c.headers.get('content-type'), type);
    assert.match(c.headers.get('content-disposition'), /^inline; /);
  }
});

test('octet-stream or no Content-Type is fine: the content decides', async () => {
  const r = await upload(pdf(), { type: 'application/octet-stream', name: 'scan' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.content_type, 'application/pdf');
  assert.equal(r.body.filename, 'scan.pdf');
  const wrongExt = await upload(JPEG, { type: 'image/jpeg', name: 'photo.png' });
  assert.equal(wrongExt.status, 201);
  assert.equal(wrongExt.body.filename, 'photo.jpg');
});

test('identical content is stored once on disk, with one metadata row per upload', async () => {
  const bytes = png(4, 4, 77);
  const a = await upload(bytes, { name: 'a.png' });
  const b = await upload(bytes, { name: 'b.png', token: tech.token });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  assert.notEqual(a.body.id, b.body.id);
  assert.equal(a.body.sha256, b.body.sha256);
  const h = sha256(bytes);
  const path = join(dataDir, 'attachments', h.slice(0, 2), h.slice(2, 4), h);
  assert.ok(existsSync(path), path);
  assert.ok(readFileSync(path).equals(bytes));
  const copies = filesUnder(join(dataDir, 'attachments')).filter((f) => f.endsWith(h));
  assert.equal(copies.length, 1);
  assert.deepEqual(filesUnder(join(dataDir, 'attachments', 'tmp')), [], 'no temporary files left');
  assert.equal((await content(b.body.id, { token: tech.token })).bytes.length, bytes.length);
});

test('a forged Content-Type is refused naming the field', async () => {
  const r = await upload(JPEG, { type: 'image/png', name: 'x.png' });
  assert.equal(r.status, 422);
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  const e = r.body.errors.find((x) => x.field === 'Content-Type');
  assert.ok(e, JSON.stringify(r.body));
  assert.equal(e.rule, 'mismatch');
  assert.match(e.message, /image\/jpeg/);
  const html = await upload(JPEG, { type: 'text/html', name: 'x.jpg' });
  assert.equal(html.status, 422);
  assert.ok(html.body.errors.some((x) => x.field === 'Content-Type'));
});

test('HTML, SVG, scripts, executables, archives and empty bodies are refused whatever their name', async () => {
  const cases = [
    ['<!DOCTYPE html><html><script>alert(document.cookie)</script></html>', /HTML/],
    ['<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', /SVG/],
    ['<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', /SVG/],
    ['#!/bin/sh\necho pwned\n', /script/],
    [Buffer.concat([Buffer.from('MZ'), randomBytes(64)]), /executable/],
    [Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), randomBytes(64)]), /ZIP/],
    [Buffer.from('%PDF-1.4\n1 0 obj'), /truncated/],
    [Buffer.from([0xff, 0xd8]), /truncated/],
  ];
  for (const [bytes, reason] of cases) {
    const r = await upload(bytes, { type: 'image/jpeg', name: 'photo.jpg' });
    assert.equal(r.status, 422, String(bytes).slice(0, 20));
    const e = r.body.errors.find((x) => x.field === 'content');
    assert.ok(e, JSON.stringify(r.body));
    assert.equal(e.rule, 'type');
    assert.match(e.message, reason);
  }
  const empty = await upload(Buffer.alloc(0), { type: 'image/png', name: 'a.png' });
  assert.equal(empty.status, 422);
  assert.match(empty.body.errors[0].message, /empty/);
});

test('file names: traversal stripped, double extensions that hide programs refused, bad encoding refused', async () => {
  const before = new Set(filesUnder(dataDir));
  const r = await upload(png(1, 1, 9), { name: '../../../etc/passwd' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.filename, 'passwd.png');
  const w = await upload(png(1, 1, 10), { name: '..\\..\\Windows\\现场 照片.png' });
  assert.equal(w.body.filename, '现场 照片.png');
  const ctl = await upload(png(1, 1, 11), { name: 'a\u0000\u0007b\u202egnp.png' });
  assert.equal(ctl.status, 422, 'an encoded NUL is refused at decoding');
  const ctl2 = await upload(png(1, 1, 11), { name: 'a\u0007b\u202egnp.png' });
  assert.equal(ctl2.body.filename, 'abgnp.png');
  // Nothing was written outside <data_dir>/attachments.
  const added = filesUnder(dataDir).filter((f) => !before.has(f));
  assert.ok(added.every((f) => f.startsWith(join(dataDir, 'attachments') + '/')), added.join(','));

  for (const name of ['photo.jpg.exe', 'report.pdf.html', 'x.JPG.Exe', 'a.svg', 'x.jpg.exe. ']) {
    const bad = await upload(JPEG, { type: 'image/jpeg', name });
    assert.equal(bad.status, 422, name);
    const e = bad.body.errors.find((x) => x.field === 'X-Filename');
    assert.ok(e, JSON.stringify(bad.body));
    assert.equal(e.rule, 'extension');
  }
  const badEnc = await s.call('POST', '/api/v1/attachments',
    { token: admin, raw: png(), headers: { 'content-type': 'image/png', 'x-filename': '%E7%8E.png' } });
  assert.equal(badEnc.status, 422);
  assert.equal(badEnc.body.errors[0].field, 'X-Filename');
  const long = await upload(png(1, 1, 12), { name: '图'.repeat(300) + '.png' });
  assert.equal(long.status, 201);
  assert.equal([...long.body.filename].length, 200);
  assert.ok(long.body.filename.endsWith('.png'));
});

// Sends the body chunked (no Content-Length), as a stream.
async function uploadChunked(bytes, headers) {
  const body = new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 1 << 20) controller.enqueue(bytes.subarray(i, i + (1 << 20)));
      controller.close();
    },
  });
  const res = await fetch(`${s.base}/api/v1/attachments`, {
    method: 'POST', body, duplex: 'half', headers: { authorization: `Bearer ${admin}`, ...headers },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}
function bigPng(size, seed) {
  const b = Buffer.alloc(size, seed);
  png(1, 1, seed).copy(b, 0);
  return b;
}

test('a photo larger than the server default body limit (2 MiB) uploads, within its 20 MiB limit', async () => {
  const bytes = bigPng(5 * 1024 * 1024, 0x42);
  const r = await uploadChunked(bytes, { 'content-type': 'image/png', 'x-filename': 'big.png' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.size, bytes.length);
  const c = await content(r.body.id);
  assert.ok(c.bytes.equals(bytes));
});

test('a file over its type\'s limit is refused with 413 naming the rule', async () => {
  const r = await uploadChunked(bigPng(21 * 1024 * 1024, 0x41), { 'content-type': 'image/png', 'x-filename': 'huge.png' });
  assert.equal(r.status, 413, JSON.stringify(r.body));
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  assert.equal(r.body.status, 413);
  assert.equal(r.body.errors.length, 1, JSON.stringify(r.body));
  assert.equal(r.body.errors[0].field, 'content');
  assert.equal(r.body.errors[0].rule, 'max_size');
});

// Beast checks Content-Length against the parser's body limit while reading the header, before
// the route (and its 200 MiB limit) is known, so a sized body over 2 MiB is refused by the
// server today; see the note on src/http/server.cc. Chunked uploads (above) are not affected.
test('a sized (Content-Length) upload over 2 MiB is accepted', async () => {
  const bytes = bigPng(3 * 1024 * 1024, 0x43);
  const r = await upload(bytes, { name: 'sized.png' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const over = await upload(bigPng(21 * 1024 * 1024, 0x44), { name: 'huge.png' });
  assert.equal(over.status, 413);
  assert.equal(over.body.errors[0]?.rule, 'max_size');
});

test('purpose is checked; a signature must be a PNG', async () => {
  const bad = await upload(png(), { purpose: 'selfie' });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.errors[0].field, 'X-Purpose');
  const sig = await upload(JPEG, { type: 'image/jpeg', name: 'sig.jpg', purpose: 'signature' });
  assert.equal(sig.status, 422);
  const ok = await upload(png(5, 1, 3), { name: '签名.png', purpose: 'signature', ticket: myTicket });
  assert.equal(ok.status, 201);
  assert.equal(ok.body.purpose, 'signature');
  const badTicket = await upload(png(), { headers: { 'x-ticket-id': 'abc' }, name: 'a.png' });
  assert.equal(badTicket.status, 400);
  assert.equal((await upload(png(), { ticket: 99999999 })).status, 404);
});

test('customers: own organisation only; 404 for others on metadata, content, link and lists', async () => {
  const staffUpload = await upload(png(2, 3, 5), { ticket: myTicket, purpose: 'diagnosis', token: tech.token });
  assert.equal(staffUpload.status, 201);
  const id = staffUpload.body.id;
  // His own organisation's customer sees it.
  assert.equal((await s.call('GET', `/api/v1/attachments/${id}`, { token: custMine.token })).status, 200);
  assert.equal((await content(id, { token: custMine.token })).status, 200);
  assert.equal((await s.call('GET', `/api/v1/tickets/${myTicket}/attachments`, { token: custMine.token })).status, 200);
  // Another organisation's customer sees nothing.
  assert.equal((await s.call('GET', `/api/v1/attachments/${id}`, { token: custTheirs.token })).status, 404);
  assert.equal((await content(id, { token: custTheirs.token })).status, 404);
  assert.equal((await s.call('GET', `/api/v1/tickets/${myTicket}/attachments`, { token: custTheirs.token })).status, 404);
  const steal = await s.call('POST', `/api/v1/attachments/${id}/link`,
    { token: custTheirs.token, body: { ticket_id: theirTicket, purpose: 'other' } });
  assert.equal(steal.status, 404);
  // Uploading onto another organisation's request: 404.
  assert.equal((await upload(png(1, 2, 6), { token: custTheirs.token, ticket: myTicket })).status, 404);
  // A customer uploads onto his own request.
  const own = await upload(png(1, 2, 7), { token: custMine.token, ticket: myTicket, name: '现场.png' });
  assert.equal(own.status, 201, JSON.stringify(own.body));
  assert.equal(own.body.purpose, 'intake');
});

test('unlinked uploads: visible to the uploader (and staff) until linked, then by ticket scope', async () => {
  const up = await upload(png(6, 6, 8), { token: custMine.token, name: '报修照片.png' });
  assert.equal(up.status, 201);
  const id = up.body.id;
  assert.equal(up.body.ticket_id, null);
  assert.equal((await s.call('GET', `/api/v1/attachments/${id}`, { token: custMine.token })).status, 200);
  assert.equal((await s.call('GET', `/api/v1/attachments/${id}`, { token: custMine2.token })).status, 404);
  assert.equal((await s.call('GET', `/api/v1/attachments/${id}`, { token: custTheirs.token })).status, 404);
  assert.equal((await s.call('GET', `/api/v1/attachments/${id}`, { token: tech.token })).status, 200);
  // A colleague cannot link it; the uploader cannot link it to another organisation's request.
  assert.equal((await s.call('POST', `/api/v1/attachments/${id}/link`,
    { token: custMine2.token, body: { ticket_id: myTicket } })).status, 404);
  assert.equal((await s.call('POST', `/api/v1/attachments/${id}/link`,
    { token: custMine.token, body: { ticket_id: theirTicket } })).status, 404);
  const bad = await s.call('POST', `/api/v1/attachments/${id}/link`,
    { token: custMine.token, body: { ticket_id: 'x', purpose: 'nope', extra: 1 } });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.errors.map((e) => e.field).sort(), ['extra', 'purpose', 'ticket_id']);
  const linked = await s.call('POST', `/api/v1/attachments/${id}/link`,
    { token: custMine.token, body: { ticket_id: myTicket, purpose: 'intake' } });
  assert.equal(linked.status, 200, JSON.stringify(linked.body));
  assert.equal(linked.body.ticket_id, myTicket);
  assert.equal(linked.body.purpose, 'intake');
  assert.ok(linked.body.linked_at);
  // Now the whole organisation sees it.
  assert.equal((await s.call('GET', `/api/v1/attachments/${id}`, { token: custMine2.token })).status, 200);
  const list = await s.call('GET', `/api/v1/tickets/${myTicket}/attachments`, { token: custMine2.token });
  assert.ok(list.body.items.some((a) => a.id === id));
  // Linking again to the same request is fine; to another one is a conflict.
  assert.equal((await s.call('POST', `/api/v1/attachments/${id}/link`,
    { token: tech.token, body: { ticket_id: myTicket, purpose: 'intake' } })).status, 200);
  const moved = await s.call('POST', `/api/v1/attachments/${id}/link`,
    { token: tech.token, body: { ticket_id: myTicket2 } });
  assert.equal(moved.status, 409);
  // Staff may link anyone's unlinked upload.
  const other = await upload(pdf(), { token: custMine2.token, type: 'application/pdf', name: '合同.pdf' });
  const staffLink = await s.call('POST', `/api/v1/attachments/${other.body.id}/link`,
    { token: tech.token, body: { ticket_id: myTicket2, purpose: 'diagnosis' } });
  assert.equal(staffLink.status, 200);
});

test('every metadata write is audited', async () => {
  const up = await upload(png(7, 7, 1), { name: 'audit.png' });
  await s.call('POST', `/api/v1/attachments/${up.body.id}/link`, { token: admin, body: { ticket_id: myTicket, purpose: 'repair' } });
  const audit = await s.call('GET', `/api/v1/audit?entity=attachment&entity_id=${up.body.id}`, { token: admin });
  assert.equal(audit.status, 200);
  const actions = audit.body.items.map((a) => a.action).sort();
  assert.deepEqual(actions, ['create', 'link']);
  const link = audit.body.items.find((a) => a.action === 'link');
  assert.equal(link.before.ticket_id, null);
  assert.equal(link.after.ticket_id, myTicket);
  assert.equal(link.after.purpose, 'repair');
});

test('unauthenticated requests get 401; unknown ids 404', async () => {
  const up = await upload(png(8, 1, 2), { name: 'x.png' });
  assert.equal((await s.call('POST', '/api/v1/attachments', { raw: png(), headers: { 'content-type': 'image/png' } })).status, 401);
  assert.equal((await s.call('GET', `/api/v1/attachments/${up.body.id}`)).status, 401);
  assert.equal((await content(up.body.id, { token: null })).status, 401);
  assert.equal((await s.call('POST', `/api/v1/attachments/${up.body.id}/link`, { body: { ticket_id: myTicket } })).status, 401);
  assert.equal((await s.call('GET', `/api/v1/tickets/${myTicket}/attachments`)).status, 401);
  assert.equal((await s.call('GET', '/api/v1/attachments/999999', { token: admin })).status, 404);
  assert.equal((await s.call('GET', '/api/v1/attachments/abc', { token: admin })).status, 404);
  assert.equal((await content(999999)).status, 404);
  assert.equal((await s.call('GET', '/api/v1/tickets/999999/attachments', { token: admin })).status, 404);
});

test('the stored file is exactly the content, named by its hash', async () => {
  const bytes = pdf();
  const r = await upload(bytes, { type: 'application/pdf', name: 'x.pdf' });
  const h = r.body.sha256;
  const st = statSync(join(dataDir, 'attachments', h.slice(0, 2), h.slice(2, 4), h));
  assert.equal(st.size, bytes.length);
});
