// Complaints (投诉) through the API: acceptance scenario 5 end to end (filed by the customer,
// investigation names a responsible department, plan reviewed and approved, feedback, customer
// still unhappy, second round closes it), invalid transitions, scope, timeline, analysis.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniq, tinyPng } from './lib.mjs';

let s, admin, customer, otherCustomer, project, otherProject, people, construction, service, staffA, staffB;

before(async () => {
  s = await startServer();
  admin = await s.login();
  const mk = async (path, body) => {
    const r = await s.call('POST', path, { token: admin, body });
    assert.equal(r.status, 201, `${path}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  customer = await mk('/api/v1/customers', { name: uniq('写字楼业主') });
  otherCustomer = await mk('/api/v1/customers', { name: uniq('别家业主') });
  project = await mk('/api/v1/projects', { customer_id: customer.id, name: uniq('幕墙工程'), type: 'curtain_wall',
    completion_date: '2023-03-01' });
  otherProject = await mk('/api/v1/projects', { customer_id: otherCustomer.id, name: uniq('装修'), type: 'decoration' });
  construction = await mk('/api/v1/departments', { name: uniq('施工部') });
  service = await mk('/api/v1/departments', { name: uniq('售后服务部') });
  people = {};
  for (const role of ['agent', 'service_manager', 'tech_lead', 'project_manager', 'technician'])
    people[role] = await s.userWithRole(admin, role);
  people.customer = await s.userWithRole(admin, 'customer', { customer_id: customer.id });
  people.other = await s.userWithRole(admin, 'customer', { customer_id: otherCustomer.id });
  staffA = await mk('/api/v1/staff', { name: '李工', user_id: people.tech_lead.id });
  staffB = await mk('/api/v1/staff', { name: '王师傅', user_id: people.technician.id });
});
after(async () => { await s.stop(); });

const act = (who, id, action, body = {}) =>
  s.call('POST', `/api/v1/complaints/${id}/actions/${action}`, { token: people[who]?.token ?? who, body });

async function step(who, id, action, body = {}) {
  const r = await act(who, id, action, body);
  assert.equal(r.status, 200, `${action} by ${who}: ${JSON.stringify(r.body)}`);
  return r.body;
}

async function file(who = 'customer', extra = {}) {
  const r = await s.call('POST', '/api/v1/complaints', { token: people[who].token,
    body: { project_id: project.id, description: '维修后幕墙仍渗水，维修人员态度敷衍', demand: '重新维修并书面说明', ...extra } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

test('scenario 5: complaint → investigation names a department → plan approved → still unhappy → second round closes it', async () => {
  const ticket = await s.call('POST', '/api/v1/tickets', { token: people.customer.token,
    body: { project_id: project.id, title: '幕墙渗水', description: '雨后室内渗水' } });
  assert.equal(ticket.status, 201);
  const c = await file('customer', { ticket_id: ticket.body.id });
  assert.match(c.number, /^TS\d{8}-\d{4}$/);
  assert.equal(c.state, 'logged');
  assert.equal(c.round, 1);
  assert.equal(c.channel, 'portal');
  assert.equal(c.ticket.id, ticket.body.id);
  assert.equal(c.sla.acknowledge.status, 'pending');
  assert.equal(Date.parse(c.sla.acknowledge.due_at) - Date.parse(c.created_at), 3600e3);
  assert.equal(Date.parse(c.sla.first_opinion.due_at) - Date.parse(c.created_at), 24 * 3600e3);
  assert.equal(c.investigation, undefined, 'customers do not see the investigation');
  assert.deepEqual(c.allowed_actions, ['cancel']);

  let cur = await step('service_manager', c.id, 'start_investigation', { team_staff_ids: [staffA.id, staffB.id], note: '成立调查小组' });
  assert.equal(cur.state, 'investigating');
  assert.equal(cur.sla.acknowledge.status, 'met');
  assert.deepEqual(cur.investigation.team.map((m) => m.id), [staffA.id, staffB.id]);

  const photo = await s.call('POST', '/api/v1/attachments', { token: people.tech_lead.token, raw: tinyPng(7),
    headers: { 'content-type': 'image/png', 'x-filename': 'evidence.png' } });
  assert.equal(photo.status, 201, JSON.stringify(photo.body));
  cur = await step('tech_lead', c.id, 'record_investigation', { findings: '打胶不密实，上次维修未彻底处理', cause: 'repair_quality',
    responsible_department_id: construction.id, responsible_staff_id: staffB.id, evidence_attachment_ids: [photo.body.id],
    opinion: '重新打胶并做淋水试验' });
  assert.equal(cur.state, 'investigating');
  assert.equal(cur.investigation.cause, 'repair_quality');
  assert.equal(cur.investigation.responsible_department.id, construction.id);
  assert.equal(cur.investigation.responsible_staff.id, staffB.id);
  assert.deepEqual(cur.investigation.evidence_attachment_ids, [photo.body.id]);
  assert.equal(cur.sla.first_opinion.status, 'met');

  cur = await step('tech_lead', c.id, 'draft_plan', { plan: '全面复查打胶，淋水试验 2 小时' });
  assert.equal(cur.state, 'handling_plan');
  const early = await act('project_manager', c.id, 'approve_plan');
  assert.equal(early.status, 409);
  assert.match(early.body.detail, /not been reviewed/);
  await step('tech_lead', c.id, 'review_plan', { comment: '方案可行' });
  cur = await step('project_manager', c.id, 'approve_plan', { note: '同意' });
  assert.equal(cur.state, 'plan_approved');
  cur = await step('service_manager', c.id, 'give_feedback', { result: '已重新打胶，淋水试验无渗漏' });
  assert.equal(cur.state, 'feedback_given');
  assert.deepEqual(cur.allowed_actions, ['customer_satisfied', 'customer_unsatisfied']);

  // The customer is still unhappy: a second round of investigation.
  const seen = await s.call('GET', `/api/v1/complaints/${c.id}`, { token: people.customer.token });
  assert.deepEqual(seen.body.allowed_actions, ['customer_satisfied', 'customer_unsatisfied']);
  cur = await step('customer', c.id, 'customer_unsatisfied', { reason: '另一处窗角仍有渗水' });
  assert.equal(cur.state, 'investigating');
  assert.equal(cur.round, 2);
  assert.equal(cur.satisfied, false);

  await step('tech_lead', c.id, 'record_investigation', { findings: '窗角排水孔堵塞', cause: 'construction',
    responsible_department_id: construction.id });
  await step('service_manager', c.id, 'draft_plan', { plan: '疏通排水孔，更换窗角密封条' });
  await step('service_manager', c.id, 'review_plan', { comment: '' });
  await step('service_manager', c.id, 'approve_plan');
  await step('agent', c.id, 'give_feedback', { result: '已疏通并更换密封条' });
  cur = await step('customer', c.id, 'customer_satisfied', { comment: '这次满意' });
  assert.equal(cur.state, 'closed');
  assert.equal(cur.satisfied, true);
  assert.equal(cur.round, 2);
  assert.ok(cur.closed_at);

  const timeline = await s.call('GET', `/api/v1/complaints/${c.id}/timeline`, { token: people.service_manager.token });
  assert.deepEqual(timeline.body.items.map((e) => e.action), ['log', 'start_investigation', 'record_investigation', 'draft_plan',
    'review_plan', 'approve_plan', 'give_feedback', 'customer_unsatisfied', 'record_investigation', 'draft_plan', 'review_plan',
    'approve_plan', 'give_feedback', 'customer_satisfied']);
  assert.deepEqual(timeline.body.items.map((e) => e.round), [1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2]);
  const mine = await s.call('GET', `/api/v1/complaints/${c.id}/timeline`, { token: people.customer.token });
  assert.ok(!mine.body.items.some((e) => e.internal));
  assert.ok(mine.body.items.some((e) => e.action === 'customer_unsatisfied'));
  assert.ok(!mine.body.items.some((e) => e.action === 'record_investigation'));
  const audit = await s.call('GET', `/api/v1/audit?entity=complaint&entity_id=${c.id}`, { token: admin });
  if (audit.status === 200 && Array.isArray(audit.body.items)) assert.ok(audit.body.items.length >= 14, JSON.stringify(audit.body).slice(0, 300));

  const after = await act('service_manager', c.id, 'cancel', { reason: 'x' });
  assert.equal(after.status, 409);
  assert.match(after.body.detail, /'closed'/);
});

test('invalid transitions answer 409 naming the state and the allowed actions; roles 403', async () => {
  const c = await file('customer');
  const r = await act('service_manager', c.id, 'approve_plan');
  assert.equal(r.status, 409);
  assert.match(r.body.detail, /'logged'/);
  assert.match(r.body.detail, /acknowledge, start_investigation, cancel/);
  assert.equal((await act('customer', c.id, 'start_investigation', { team_staff_ids: [staffA.id] })).status, 403);
  assert.equal((await act('technician', c.id, 'acknowledge')).status, 403);
  assert.equal((await act('service_manager', c.id, 'fly')).status, 404);
  const ack = await step('agent', c.id, 'acknowledge', { note: '已收到' });
  assert.equal(ack.state, 'logged');
  assert.equal(ack.sla.acknowledge.status, 'met');
  assert.equal((await act('agent', c.id, 'acknowledge')).status, 409);
  const noTeam = await act('service_manager', c.id, 'start_investigation', { team_staff_ids: [] });
  assert.equal(noTeam.status, 422);
  assert.equal(noTeam.body.errors[0].field, 'team_staff_ids');
  const ghost = await act('service_manager', c.id, 'start_investigation', { team_staff_ids: [staffA.id, 99999] });
  assert.equal(ghost.status, 422);
  assert.equal(ghost.body.errors[0].field, 'team_staff_ids[1]');
  await step('service_manager', c.id, 'start_investigation', { team_staff_ids: [staffA.id] });
  const plan = await act('service_manager', c.id, 'draft_plan', { plan: '先出方案' });
  assert.equal(plan.status, 409);
  assert.match(plan.body.detail, /record_investigation/);
  const bad = await act('tech_lead', c.id, 'record_investigation', { findings: '', cause: 'bad_luck', extra: 1 });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.errors.map((e) => e.field).sort(), ['cause', 'extra', 'findings', 'responsible_department_id']);
  const noDept = await act('tech_lead', c.id, 'record_investigation', { findings: 'x', cause: 'other', responsible_department_id: 99999 });
  assert.equal(noDept.status, 422);
  // The customer may withdraw it while it is under investigation.
  const withdrawn = await step('customer', c.id, 'cancel', { reason: '已与项目经理协商解决' });
  assert.equal(withdrawn.state, 'cancelled');
  assert.equal((await act('customer', c.id, 'customer_satisfied')).status, 409);
});

test('scope: customers file about their own projects and see only their own complaints', async () => {
  const c = await file('customer');
  const foreign = await s.call('POST', '/api/v1/complaints', { token: people.other.token,
    body: { project_id: project.id, description: '冒充投诉' } });
  assert.equal(foreign.status, 422);
  assert.equal(foreign.body.errors[0].field, 'project_id');
  const channel = await s.call('POST', '/api/v1/complaints', { token: people.customer.token,
    body: { project_id: project.id, description: 'x', channel: 'hotline' } });
  assert.equal(channel.status, 422);
  assert.equal((await s.call('GET', `/api/v1/complaints/${c.id}`, { token: people.other.token })).status, 404);
  assert.equal((await s.call('GET', `/api/v1/complaints/${c.id}/timeline`, { token: people.other.token })).status, 404);
  assert.equal((await act('other', c.id, 'cancel', { reason: 'x' })).status, 404);
  const otherList = await s.call('GET', '/api/v1/complaints', { token: people.other.token });
  assert.equal(otherList.body.total, 0);
  const ownList = await s.call('GET', '/api/v1/complaints', { token: people.customer.token });
  assert.ok(ownList.body.items.every((x) => x.customer.id === customer.id));
  assert.ok(ownList.body.items.some((x) => x.id === c.id));
  const otherOwn = await s.call('POST', '/api/v1/complaints', { token: people.other.token,
    body: { project_id: otherProject.id, description: '装修质量' } });
  assert.equal(otherOwn.status, 201);
  assert.equal((await s.call('GET', `/api/v1/complaints/${otherOwn.body.id}`, { token: people.customer.token })).status, 404);
  const staffList = await s.call('GET', `/api/v1/complaints?customer_id=${otherCustomer.id}`, { token: people.agent.token });
  assert.equal(staffList.body.total, 1);
  assert.equal((await s.call('GET', '/api/v1/complaints?colour=red', { token: admin })).status, 400);
  assert.equal((await s.call('GET', '/api/v1/complaints/analysis', { token: people.customer.token })).status, 403);
});

test('analysis counts complaints by cause, responsible department and month; lists filter by department', async () => {
  const a = await file('agent', { channel: 'hotline' });
  await step('service_manager', a.id, 'start_investigation', { team_staff_ids: [staffA.id] });
  await step('tech_lead', a.id, 'record_investigation', { findings: '响应慢', cause: 'response_delay', responsible_department_id: service.id });
  const b = await file('agent', { channel: 'email' });
  await step('service_manager', b.id, 'start_investigation', { team_staff_ids: [staffA.id] });
  await step('tech_lead', b.id, 'record_investigation', { findings: '响应慢', cause: 'response_delay', responsible_department_id: service.id });

  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 32 * 3600e3).toISOString().slice(0, 10);
  const r = await s.call('GET', `/api/v1/complaints/analysis?from=${today}&to=${tomorrow}`, { token: people.service_manager.token });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const all = await s.call('GET', '/api/v1/complaints?limit=100', { token: admin });
  assert.equal(r.body.total, all.body.total);
  const cause = Object.fromEntries(r.body.by_cause.map((x) => [x.cause, x.count]));
  assert.equal(cause.response_delay, 2);
  assert.equal(cause.repair_quality ?? 0, 0, 'the scenario ended on construction');
  assert.equal(cause.construction, 1);
  const dept = Object.fromEntries(r.body.by_department.map((x) => [x.department_id ?? 'none', x.count]));
  assert.equal(dept[service.id], 2);
  assert.equal(dept[construction.id], 1);
  assert.deepEqual(r.body.by_month, [{ month: today.slice(0, 7), count: all.body.total }]);
  assert.equal(r.body.reinvestigated, 1);
  const empty = await s.call('GET', '/api/v1/complaints/analysis?from=2020-01-01&to=2020-02-01', { token: admin });
  assert.equal(empty.body.total, 0);
  assert.equal((await s.call('GET', '/api/v1/complaints/analysis?from=yesterday', { token: admin })).status, 400);

  const byDept = await s.call('GET', `/api/v1/complaints?department_id=${service.id}`, { token: people.agent.token });
  assert.equal(byDept.body.total, 2);
  const investigating = await s.call('GET', '/api/v1/complaints?state=investigating', { token: people.agent.token });
  assert.ok(investigating.body.items.every((x) => x.state === 'investigating'));
  assert.ok(investigating.body.total >= 2);
});
