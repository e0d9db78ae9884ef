// The SLA watch: warnings and escalations fire once each, also with two server processes on
// one database, and land in the timeline and the outbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, uniq } from './lib.mjs';

test('a late emergency raises warning and escalations exactly once, across two processes', async () => {
  const db = freshDatabase();
  const a = await startServer({ db, args: ['--sla-watch-seconds', '1'] });
  const b = await startServer({ db: { ...db, cleanup: () => {} }, createAdmin: false, args: ['--sla-watch-seconds', '1'] });
  try {
    const admin = await a.login();
    const c = (await a.call('POST', '/api/v1/customers', { token: admin, body: { name: uniq('客户') } })).body;
    const p = (await a.call('POST', '/api/v1/projects', { token: admin, body: { customer_id: c.id, name: uniq('机房'),
      type: 'data_centre', calendar: 'cn-7x24' } })).body;
    // Reported 50 minutes ago: the 30-minute response target is past 150 %.
    const reported = new Date(Date.now() - 50 * 60 * 1000).toISOString();
    const t = await a.call('POST', '/api/v1/tickets', { token: admin, body: { project_id: p.id, title: 'UPS 告警',
      description: 'UPS 宕机', reported_at: reported, grade: 'emergency', nature: 'equipment_failure' } });
    assert.equal(t.status, 201, JSON.stringify(t.body));
    assert.equal(t.body.sla_risk, 'breached');
    const respond = t.body.sla.milestones.find((m) => m.milestone === 'respond');
    assert.equal(respond.status, 'breached');
    // Wait for the watchers (1 s interval, two processes).
    let alerts = [];
    for (let i = 0; i < 40 && alerts.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 250));
      const tl = await a.call('GET', `/api/v1/tickets/${t.body.id}/timeline`, { token: admin });
      alerts = tl.body.items.filter((e) => e.type.startsWith('sla_') && e.data.milestone === 'respond');
    }
    await new Promise((r) => setTimeout(r, 2500));  // both watchers get further rounds
    const tl = await a.call('GET', `/api/v1/tickets/${t.body.id}/timeline`, { token: admin });
    alerts = tl.body.items.filter((e) => e.type.startsWith('sla_') && e.data.milestone === 'respond');
    assert.deepEqual(alerts.map((e) => [e.type, e.data.percent, e.data.notify_role]), [
      ['sla_warning', 75, 'assignee'], ['sla_escalation', 100, 'service_manager'], ['sla_escalation', 150, 'project_manager']]);
    assert.ok(alerts.every((e) => e.internal));
    const rows = db.exec(`SELECT count(*) FROM outbox WHERE ticket_id = ${t.body.id} AND event LIKE 'ticket.sla_%'`).trim();
    // Other milestones (acknowledge, depart, ...) may have fired too; respond's three are in.
    assert.ok(Number(rows) >= 3);
    const dup = db.exec(`SELECT count(*) FROM ticket_alerts WHERE ticket_id = ${t.body.id} AND milestone = 'respond'`).trim();
    assert.equal(dup, '3');
    // Customers never see them.
    assert.equal(tl.status, 200);
  } finally {
    await b.stop();
    await a.stop();
  }
});
