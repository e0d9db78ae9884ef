// Bad input that is well-formed but wrong for the record's version or state: stale and missing
// versions on every route that takes If-Match (from the OpenAPI document), malformed If-Match
// headers, and lifecycle steps the record's state does not allow. Each answer is a 4xx
// problem+json (412, 428, 400 naming If-Match, 409), with the database unchanged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniq } from './lib.mjs';
import {
  TARGETS, TICKET_ACTIONS, COMPLAINT_ACTIONS, buildWorld, writeOperations, fillPath, runCases, snapshot, snapshotDiff,
  healthy, currentVersion, sampleObject, send, expectProblem, problemIssue,
} from './bad_input_corpus.mjs';

let s, w, ops;
before(async () => {
  s = await startServer({ args: ['--no-workers'] });
  w = await buildWorld(s);
  ops = await writeOperations(s);
});
after(async () => { await s?.stop(); });

// Runs cases against an unchanged database and a live server; returns every wrong answer.
async function check(label, run) {
  const before = snapshot(s.db);
  const issues = await run();
  const changed = snapshotDiff(before, snapshot(s.db));
  if (changed.length) issues.push(`${label}: the database changed: ${changed.join('; ')}`);
  if (!(await healthy(s))) issues.push(`${label}: the server is down`);
  return issues;
}
async function unchanged(label, run) {
  const issues = await check(label, run);
  assert.deepEqual(issues, [], issues.join('\n'));
}

// A valid change for each versioned collection (so only the version can be wrong).
const CHANGES = {
  users: { display_name: '改名' },
  'notification-channels': { enabled: false },
  customers: { notes: '改' }, projects: { address: '改' }, assets: { model: '改' }, departments: { description: '改' },
  'service-centres': { address: '改' }, teams: { name: uniq('改') }, staff: { phone: '13900000000' },
  'stock-locations': { name: uniq('改') }, parts: { spec: '改' },
};

test('versions: stale (412), missing (428) and malformed (400) on every route that takes If-Match', async () => {
  const versioned = ops.filter((o) => o.ifMatch);
  assert.ok(versioned.length >= 10, `only ${versioned.length} routes take If-Match`);
  const issues = [];
  for (const op of versioned) {
    const t = TARGETS[op.key](w);
    if (t.actions) continue;  // lifecycle actions: below
    assert.ok(t.version && CHANGES[t.version], `${op.key}: no versioned target`);
    const cur = await currentVersion(s, w, t.version, t.params.id);
    const path = fillPath(op.path, t.params);
    const body = CHANGES[t.version];
    const im = (v) => ({ 'if-match': v });
    const cases = [
      { name: 'stale If-Match', body, headers: im(`"${cur + 1}"`), expect: { status: 412 } },
      { name: 'If-Match of version 0', body, headers: im('"0"'), expect: { status: 412 } },
      { name: 'weak stale If-Match', body, headers: im(`W/"${cur + 7}"`), expect: { status: 412 } },
      { name: 'no version at all', body, expect: { status: 428 } },
      { name: 'stale version in the body', body: { ...body, version: cur + 3 }, expect: { status: 412 } },
      { name: 'version as a string', body: { ...body, version: String(cur) }, expect: { statuses: [400, 422], field: 'version' } },
      { name: 'version as a fraction', body: { ...body, version: cur + 0.5 }, expect: { statuses: [400, 422], field: 'version' } },
      { name: 'version null', body: { ...body, version: null }, expect: { statuses: [400, 422, 428] } },
    ];
    for (const bad of ['abc', '"1", "2"', '*', '"-1"', '"1.0"', '"99999999999999999999"', '""', '"1', "'1'", '"1 OR 1=1"'])
      cases.push({ name: `If-Match: ${bad}`, body, headers: im(bad), expect: { status: 400, field: 'If-Match' } });
    issues.push(...await check(op.key, () => runCases(s, op.key, op.method, path, cases, { token: w.admin })));
  }
  assert.deepEqual(issues, [], issues.join('\n'));
});

test('versions on lifecycle actions: If-Match is optional, but a stale one is refused', async () => {
  const t = await s.call('GET', `/api/v1/tickets/${w.ticket.id}`, { token: w.admin });
  const action = t.body.allowed_actions.find((a) => TICKET_ACTIONS[a] && !(TICKET_ACTIONS[a].required || []).length);
  assert.ok(action, JSON.stringify(t.body.allowed_actions));
  const path = `/api/v1/tickets/${w.ticket.id}/actions/${action}`;
  await unchanged('ticket actions', () => runCases(s, 'ticket actions', 'POST', path, [
    { name: 'stale If-Match', body: {}, headers: { 'if-match': `"${t.body.version + 1}"` }, expect: { status: 412 } },
    { name: 'stale version in the body', body: { version: t.body.version + 1 }, expect: { status: 412 } },
    { name: 'version as a string', body: { version: 'x' }, expect: { status: 422, field: 'version' } },
    { name: 'malformed If-Match', body: {}, headers: { 'if-match': 'abc' }, expect: { status: 400, field: 'If-Match' } },
  ], { token: w.admin }));
});

test('invalid state transitions: service requests', async () => {
  for (const ticket of [w.ticket, w.closed]) {
    const cur = (await s.call('GET', `/api/v1/tickets/${ticket.id}`, { token: w.admin })).body;
    const cases = Object.keys(TICKET_ACTIONS).filter((a) => !cur.allowed_actions.includes(a)).map((a) => ({
      name: `${cur.state} → ${a}`, path: `/api/v1/tickets/${ticket.id}/actions/${a}`,
      body: sampleObject(TICKET_ACTIONS[a]), expect: { statuses: [409, 403] },
    }));
    assert.ok(cases.length >= 10, `${cur.state}: ${cases.length}`);
    let conflicts = 0;
    await unchanged(`ticket ${cur.state}`, async () => {
      const issues = [];
      for (const c of cases) {
        const r = await send(s, 'POST', c.path, c, { token: w.admin });
        if (r.status === 409) conflicts++;
        const issue = problemIssue(r, c.expect);
        if (issue) issues.push(`ticket in ${cur.state} › ${c.name}: ${issue}`);
      }
      return issues;
    });
    // The administrator may take every step: what refuses them is the state, not the role.
    assert.ok(conflicts >= cases.length * 0.8, `${cur.state}: only ${conflicts} of ${cases.length} refused as 409`);
  }
});

test('invalid state transitions: complaints, follow-ups, surveys, repair logs, stock, links, deletes', async () => {
  const complaint = (await s.call('GET', `/api/v1/complaints/${w.complaint.id}`, { token: w.admin })).body;
  const cases = Object.keys(COMPLAINT_ACTIONS).filter((a) => !complaint.allowed_actions.includes(a)).map((a) => ({
    name: `complaint ${complaint.state} → ${a}`, path: `/api/v1/complaints/${w.complaint.id}/actions/${a}`,
    body: { ...sampleObject(COMPLAINT_ACTIONS[a]), ...(a === 'record_investigation' ? { responsible_department_id: w.department.id } : {}),
      ...(a === 'start_investigation' ? { team_staff_ids: [w.staff.id] } : {}) },
    expect: { status: 409 },
  }));
  // A round done, a survey answered, a task resolved: none of them can be taken again.
  const done = w.rounds[1];
  const r = await s.call('POST', `/api/v1/follow-ups/${done.id}/complete`, { token: w.admin, body: { notes: '良好', repair_status: 'holding' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const resolved = await s.call('POST', `/api/v1/follow-up-tasks/${w.task.id}/resolve`, { token: w.admin, body: { resolution: 'explained', note: '已解释' } });
  assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
  // An attachment linked to one request cannot be linked to another.
  const other = await w.mk('/api/v1/tickets', { project_id: w.project.id, title: uniq('另一单'), description: '另一单' }, w.agent.token);
  const link = await s.call('POST', `/api/v1/attachments/${w.attachment.id}/link`, { token: w.admin, body: { ticket_id: w.ticket.id } });
  assert.equal(link.status, 200, JSON.stringify(link.body));
  const me = (await s.call('GET', '/api/v1/auth/me', { token: w.admin })).body.user;
  const scores = { response_speed: 5, attitude: 5, competence: 5, effectiveness: 5, communication: 5 };
  cases.push(
    { name: 'complete a done round', path: `/api/v1/follow-ups/${done.id}/complete`, body: { notes: '再来', repair_status: 'holding' }, expect: { status: 409 } },
    { name: 'miss a done round', path: `/api/v1/follow-ups/${done.id}/miss`, body: { reason: '未接通' }, expect: { status: 409 } },
    { name: 'cancel a done round', path: `/api/v1/follow-ups/${done.id}/cancel`, body: { reason: '不需要' }, expect: { status: 409 } },
    { name: 'answer a survey twice', path: `/api/v1/surveys/${w.answeredSurveyToken}`, token: null, body: scores, expect: { statuses: [409, 410] } },
    { name: 'resolve a resolved task', path: `/api/v1/follow-up-tasks/${w.task.id}/resolve`, body: { resolution: 'other', note: 'x' }, expect: { status: 409 } },
    { name: 'schedule follow-ups of an open request', path: `/api/v1/tickets/${w.ticket.id}/follow-ups/schedule`, expect: { status: 409 } },
    { name: 'repair log on a request not in repair', path: `/api/v1/tickets/${w.ticket.id}/repair-logs`,
      body: { work_done: '更换', started_at: new Date(Date.now() - 200).toISOString() }, expect: { status: 409 } },
    { name: 'stock below zero', path: '/api/v1/stock/movements',
      body: { kind: 'adjustment', part_id: w.part.id, location_id: w.location.id, quantity: -1000, reason: '盘亏' }, expect: { status: 409 } },
    { name: 'transfer more than there is', path: '/api/v1/stock/movements',
      body: { kind: 'transfer', part_id: w.part.id, location_id: w.location.id, to_location_id: (await w.mk('/api/v1/stock-locations', { name: uniq('车'), kind: 'vehicle' })).id, quantity: 1 }, expect: { status: 409 } },
    { name: 'link an attachment to a second request', path: `/api/v1/attachments/${w.attachment.id}/link`, body: { ticket_id: other.id }, expect: { status: 409 } },
    { name: 'retry a message that is not dead', path: `/api/v1/notifications/${w.notification}/retry`, expect: { statuses: [409, 404] } },
    { name: 'delete a customer still referenced', method: 'DELETE', path: `/api/v1/customers/${w.customer.id}`, expect: { status: 409 } },
    { name: 'delete a project still referenced', method: 'DELETE', path: `/api/v1/projects/${w.project.id}`, expect: { status: 409 } },
    { name: 'disable yourself', method: 'PATCH', path: `/api/v1/users/${me.id}`,
      body: { disabled: true, version: me.version }, expect: { statuses: [409, 422], field: 'disabled' } },
    { name: 'a customer user without a customer', method: 'PATCH', path: `/api/v1/users/${w.victim.id}`,
      body: { role: 'customer', version: await currentVersion(s, w, 'users', w.victim.id) }, expect: { status: 422, field: 'customer_id' } },
  );
  await unchanged('state', () => runCases(s, 'state', 'POST', '', cases, { token: w.admin }));
});

test('a lifecycle action the role may not take is 403, not a state change', async () => {
  const before = snapshot(s.db);
  const r = await send(s, 'POST', `/api/v1/tickets/${w.ticket.id}/actions/close`, { body: { summary: 'x' } }, { token: w.customerUser.token });
  expectProblem(r, { statuses: [403, 409] });
  assert.deepEqual(snapshotDiff(before, snapshot(s.db)), []);
});
