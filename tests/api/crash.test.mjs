// Crash safety: kill -9 the server while clients create requests and update customers; after each
// restart every acknowledged (2xx) write is present, nothing half-written is visible, and the
// database passes its integrity check. AFTERSALES_CRASH_KILLS sets the number of kills (default 3;
// `make soak` runs 50).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, uniq, BACKEND } from './lib.mjs';

const KILLS = Number(process.env.AFTERSALES_CRASH_KILLS || 3);

test(`acknowledged writes survive ${KILLS} kill -9 crashes`, { timeout: 60000 + KILLS * 15000 }, async () => {
  const db = freshDatabase();
  let s = await startServer({ db: { ...db, cleanup: () => {} } });
  const admin = await s.login();
  const c = (await s.call('POST', '/api/v1/customers', { token: admin, body: { name: uniq('崩溃测试客户') } })).body;
  const p = (await s.call('POST', '/api/v1/projects', { token: admin, body: { customer_id: c.id, name: uniq('项目'), type: 'mep' } })).body;
  const acked = [];         // tickets: { title, number }
  const ackedNotes = [];    // last acknowledged notes of the customer
  try {
    for (let round = 0; round < KILLS; round++) {
      const token = await s.login();
      let stop = false;
      const worker = async (w) => {
        let i = 0;
        while (!stop) {
          const title = `crash-${round}-${w}-${i++}`;
          try {
            const r = await s.call('POST', '/api/v1/tickets', { token, headers: { 'idempotency-key': title },
              body: { project_id: p.id, title, description: '断电测试' } });
            if (r.status === 201) acked.push({ title, number: r.body.number, id: r.body.id });
          } catch { /* connection died with the server: not acknowledged */ }
        }
      };
      const noter = async () => {
        let i = 0;
        while (!stop) {
          try {
            const cur = await s.call('GET', `/api/v1/customers/${c.id}`, { token });
            const notes = `round ${round} note ${i++}`;
            const r = await s.call('PATCH', `/api/v1/customers/${c.id}`, { token, body: { notes, version: cur.body.version } });
            if (r.status === 200) ackedNotes.push(notes);
          } catch { /* died */ }
        }
      };
      const running = [worker(0), worker(1), worker(2), worker(3), noter()];
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 500));
      s.child.kill('SIGKILL');
      await new Promise((r) => s.child.exitCode !== null || s.child.signalCode ? r() : s.child.on('exit', r));
      stop = true;
      await Promise.all(running);
      s = await startServer({ db: { ...db, cleanup: () => {} }, createAdmin: false });
      const after = await s.login();
      // Every acknowledged request is there, with its number.
      for (const a of acked) {
        const got = await s.call('GET', `/api/v1/tickets/${a.id}`, { token: after });
        assert.equal(got.status, 200, `ticket ${a.title} acknowledged but missing after crash ${round}`);
        assert.equal(got.body.number, a.number);
        assert.equal(got.body.title, a.title);
      }
      // The customer's notes are the last acknowledged value or a later unacknowledged one.
      const cust = await s.call('GET', `/api/v1/customers/${c.id}`, { token: after });
      if (ackedNotes.length) {
        const last = ackedNotes[ackedNotes.length - 1];
        const [r0, n0] = last.match(/\d+/g).map(Number);
        const [r1, n1] = cust.body.notes.match(/\d+/g).map(Number);
        assert.ok(r1 > r0 || (r1 === r0 && n1 >= n0), `notes went back: ${cust.body.notes} < ${last}`);
      }
      // Nothing half-written: every request has its creation event and clock history.
      const orphans = db.exec(`SELECT count(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id)
        OR NOT EXISTS (SELECT 1 FROM ticket_sla_events e WHERE e.ticket_id = t.id)`).trim();
      assert.equal(orphans, '0');
      // ... and is in the search index, written in the same transaction.
      const unindexed = db.exec(BACKEND === 'sqlite'
        ? 'SELECT count(*) FROM tickets t WHERE t.id NOT IN (SELECT rowid FROM ticket_search)'
        : 'SELECT count(*) FROM tickets WHERE search_terms IS NULL').trim();
      assert.equal(unindexed, '0');
      // Numbers stay unique and the per-day counter never hands one out twice.
      const dupNumbers = db.exec('SELECT count(*) - count(DISTINCT number) FROM tickets').trim();
      assert.equal(dupNumbers, '0');
      if (BACKEND === 'sqlite') assert.equal(db.exec('PRAGMA integrity_check').trim(), 'ok');
    }
    assert.ok(acked.length > 0, 'no write was acknowledged at all');
  } finally {
    await s.stop();
    db.cleanup();
  }
});
