// Service requests through the API: intake (numbers, idempotency, suggestion, duplicates,
// clocks), the whole lifecycle with approvals and rework, invalid transitions, scope, timeline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniq, tinyPng } from './lib.mjs';

let s, admin, customer, otherCustomer, project, otherProject, asset, tech, techUser, people;

before(async () => {
  s = await startServer();
  admin = await s.login();
  const mk = async (path, body) => {
    const r = await s.call('POST', path, { token: admin, body });
    assert.equal(r.status, 201, `${path}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  customer = await mk('/api/v1/customers', { name: uniq('数据中心业主') });
  otherCustomer = await mk('/api/v1/customers', { name: uniq('别家业主') });
  project = await mk('/api/v1/projects', { customer_id: customer.id, name: uniq('机房'), type: 'data_centre',
    completion_date: '2025-06-01', warranty_months: 24, calendar: 'cn-7x24' });
  otherProject = await mk('/api/v1/projects', { customer_id: otherCustomer.id, name: uniq('幕墙'), type: 'curtain_wall',
    completion_date: '2021-01-10' });
  asset = await mk('/api/v1/assets', { project_id: project.id, kind: 'equipment', name: '精密空调 1#', critical: true });
  people = {};
  for (const role of ['agent', 'dispatcher', 'technician', 'tech_lead', 'project_manager', 'quality_inspector', 'service_manager'])
    people[role] = await s.userWithRole(admin, role);
  people.customer = await s.userWithRole(admin, 'customer', { customer_id: customer.id });
  people.other = await s.userWithRole(admin, 'customer', { customer_id: otherCustomer.id });
  tech = await mk('/api/v1/staff', { name: '张师傅', user_id: people.technician.id, skills: ['hvac', 'dc_cooling'] });
  techUser = people.technician;
});
after(async () => { await s.stop(); });

const act = (token, id, action, body = {}) => s.call('POST', `/api/v1/tickets/${id}/actions/${action}`, { token, body });

async function intake(token, extra = {}) {
  return s.call('POST', '/api/v1/tickets', { token, body: {
    project_id: project.id, asset_id: asset.id, title: '精密空调停机', description: '3号机房精密空调宕机，温度上升', ...extra } });
}

test('intake answers a sequential acceptance number, the suggestion and the next step', async () => {
  const a = await intake(people.agent.token, { contact_name: '王工', contact_phone: '13800000000' });
  assert.equal(a.status, 201, JSON.stringify(a.body));
  assert.match(a.body.number, /^FW\d{8}-\d{4}$/);
  assert.equal(a.body.state, 'intake');
  assert.equal(a.body.channel, 'hotline');
  assert.equal(a.body.suggestion.grade, 'emergency', JSON.stringify(a.body.suggestion));
  assert.ok(a.body.suggestion.reasons.length > 0);
  assert.ok(a.body.next_step.due_at, JSON.stringify(a.body.next_step));
  assert.equal(a.headers.get('location'), `/api/v1/tickets/${a.body.id}`);
  const b = await intake(people.agent.token, { title: '另一个问题', description: '门把手松动' });
  const seq = (n) => Number(n.split('-')[1]);
  assert.equal(b.body.number.slice(0, 10), a.body.number.slice(0, 10));
  assert.equal(seq(b.body.number), seq(a.body.number) + 1);
});

test('a retried intake with the same Idempotency-Key creates one request', async () => {
  const key = uniq('key');
  const send = () => s.call('POST', '/api/v1/tickets', { token: people.agent.token, headers: { 'idempotency-key': key },
    body: { project_id: project.id, title: '重复提交', description: '网络重试' } });
  const [x, y] = await Promise.all([send(), send()]);
  assert.deepEqual([x.status, y.status].sort(), [200, 201]);
  assert.equal(x.body.id, y.body.id);
  const z = await send();
  assert.equal(z.status, 200);
  assert.equal(z.headers.get('idempotent-replayed'), 'true');
  const list = await s.call('GET', `/api/v1/tickets?q=${encodeURIComponent('重复提交')}`, { token: admin });
  assert.equal(list.body.total, 1);
});

test('likely duplicates are offered; a report can be linked to one', async () => {
  const first = await intake(people.agent.token, { title: '冷通道温度高', description: 'B区冷通道温度持续偏高' });
  const second = await intake(people.agent.token, { title: '冷通道温度偏高', description: 'B区冷通道温度偏高，请尽快处理' });
  const found = second.body.duplicates.find((d) => d.id === first.body.id);
  assert.ok(found, JSON.stringify(second.body.duplicates));
  assert.equal(found.number, first.body.number);
  assert.equal(found.title, '冷通道温度高');
  // Asked again (the server now keeps the earlier texts in memory): the same answer, and the
  // second report is offered too.
  const third = await intake(people.agent.token, { title: '冷通道温度偏高', description: 'B区冷通道温度偏高' });
  const again = third.body.duplicates.find((d) => d.id === first.body.id);
  assert.deepEqual({ ...again, similarity: undefined }, { ...found, similarity: undefined });
  assert.ok(third.body.duplicates.some((d) => d.id === second.body.id && d.number === second.body.number));
  const linked = await intake(people.agent.token, { title: '冷通道温度偏高', description: '同上', duplicate_of_id: first.body.id });
  assert.equal(linked.body.duplicate_of_id, first.body.id);
});

test('intake validation: future or malformed report time, foreign project, customer limits', async () => {
  const future = await intake(people.agent.token, { reported_at: '2099-01-01T00:00:00Z' });
  assert.equal(future.status, 422);
  assert.equal(future.body.errors[0].field, 'reported_at');
  const bad = await intake(people.agent.token, { reported_at: 'yesterday', grade: 'simple' });
  assert.deepEqual(bad.body.errors.map((e) => e.field).sort(), ['nature', 'reported_at']);
  const foreign = await s.call('POST', '/api/v1/tickets', { token: people.customer.token,
    body: { project_id: otherProject.id, title: 'x', description: 'y' } });
  assert.equal(foreign.status, 422);
  assert.equal(foreign.body.errors[0].field, 'project_id');
  const graded = await intake(people.customer.token, { grade: 'emergency', nature: 'hvac', channel: 'hotline' });
  assert.deepEqual(graded.body.errors.map((e) => e.field).sort(), ['channel', 'grade']);
  const ok = await intake(people.customer.token);
  assert.equal(ok.status, 201);
  assert.equal(ok.body.channel, 'portal');
});

test('a back-dated call starts the clocks at the reported time', async () => {
  const reported = new Date(Date.now() - 20 * 60 * 1000).toISOString();
  const r = await intake(people.agent.token, { reported_at: reported, grade: 'emergency', nature: 'hvac' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.state, 'triaged');
  const respond = r.body.sla.milestones.find((m) => m.milestone === 'respond');
  // Clocks are exact to the second.
  assert.equal(Date.parse(respond.due_at), Math.floor(Date.parse(reported) / 1000) * 1000 + 30 * 60 * 1000);
  assert.ok(respond.used_seconds >= 20 * 60 - 5);
});

test('the whole lifecycle: triage to archive, with a failed customer acceptance and rework', async () => {
  const t = (await intake(people.agent.token)).body;
  const id = t.id;
  const step = async (who, action, body = {}) => {
    const r = await act(people[who]?.token ?? who, id, action, body);
    assert.equal(r.status, 200, `${action} by ${who}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  let cur = await step('agent', 'triage', { grade: 'emergency', nature: 'hvac' });
  assert.equal(cur.state, 'triaged');
  cur = await step('agent', 'contact_customer', { note: '已电话联系王工' });
  assert.equal(cur.sla.milestones.find((m) => m.milestone === 'respond').status, 'met');
  cur = await step('dispatcher', 'dispatch', { staff_ids: [tech.id] });
  assert.equal(cur.assignee.id, tech.id);
  assert.ok(cur.allowed_actions.length >= 0);
  // Another technician may not act on a request he is not assigned to.
  const stranger = await s.userWithRole(admin, 'technician');
  await s.call('POST', '/api/v1/staff', { token: admin, body: { name: '路人甲', user_id: stranger.id } });
  assert.equal((await act(stranger.token, id, 'depart')).status, 403);
  await step('technician', 'depart');
  cur = await step('technician', 'arrive', { latitude: 31.2, longitude: 121.6 });
  assert.equal(cur.visits.length, 1);
  assert.ok(cur.visits[0].arrived_at);
  cur = await step('technician', 'record_diagnosis', { findings: '压缩机故障', cause: 'material', severity: 'major',
    measurements: [{ instrument: '温度计', value: 31.5, unit: '℃' }] });
  assert.equal(cur.cost.bearing, 'free', JSON.stringify(cur.cost));
  assert.match(cur.cost.reason_zh, /保修/);
  assert.equal(cur.records.diagnosis[0].data.measurements[0].value, 31.5);
  cur = await step('technician', 'submit_plan', { goal: '恢复制冷', scope: '更换压缩机', materials: [{ name: '压缩机', quantity: 1, unit: '台' }] });
  cur = await step('tech_lead', 'review_plan', { comment: '同意' });
  cur = await step('project_manager', 'approve_plan');
  assert.ok(['plan_approved', 'plan_confirmed'].includes(cur.state), cur.state);
  if (cur.allowed_actions.includes('confirm_plan') || cur.state === 'plan_approved') {
    const confirm = await act(people.customer.token, id, 'confirm_plan', { signer_name: '王工' });
    assert.equal(confirm.status, 200, JSON.stringify(confirm.body));
  }
  await step('technician', 'start_repair');
  cur = await step('technician', 'complete_self_check', { checklist: [{ item: '出风温度正常', passed: true }] });
  // Customer acceptance before internal acceptance is refused with the allowed actions.
  const early = await act(people.customer.token, id, 'customer_accept', { signer_name: '王工' });
  assert.ok([403, 409].includes(early.status), JSON.stringify(early.body));
  await step('quality_inspector', 'internal_accept', { note: '合格' });
  cur = await step('customer', 'customer_reject', { reason: '噪音偏大' });
  assert.equal(cur.state, 'rework');
  assert.equal(cur.facts.rework_rounds, 1);
  // Rework goes back through self-check and internal acceptance.
  for (const a of cur.allowed_actions.includes('start_repair') ? ['start_repair'] : []) await step('technician', a);
  await step('technician', 'complete_self_check', { checklist: [{ item: '噪音', passed: true }] });
  await step('quality_inspector', 'internal_accept');
  cur = await step('customer', 'customer_accept', { signer_name: '王工', comment: '满意' });
  assert.equal(cur.state, 'resolved');
  assert.equal(cur.records.customer_acceptance.length, 2);
  cur = await step('service_manager', 'close', { summary: '更换压缩机' });
  assert.equal(cur.state, 'closed');
  // Closing scheduled the follow-up calls at 1, 3 and 6 months.
  const fu = await s.call('GET', `/api/v1/tickets/${id}/follow-ups`, { token: admin });
  assert.equal(fu.status, 200, JSON.stringify(fu.body));
  assert.equal((fu.body.items ?? fu.body).length, 3);
  cur = await step('service_manager', 'archive');
  assert.equal(cur.state, 'archived');
  assert.deepEqual(cur.allowed_actions, []);

  const tl = await s.call('GET', `/api/v1/tickets/${id}/timeline`, { token: admin });
  const types = tl.body.items.map((e) => e.type);
  for (const t of ['request_created', 'request_triaged', 'customer_contacted', 'technician_dispatched', 'visit_arrived',
    'diagnosis_recorded', 'plan_submitted', 'customer_acceptance_failed', 'customer_acceptance_passed', 'request_closed', 'request_archived'])
    assert.ok(types.includes(t), `${t} in ${types.join(',')}`);
  const mine = await s.call('GET', `/api/v1/tickets/${id}/timeline`, { token: people.customer.token });
  assert.ok(mine.body.items.length < tl.body.items.length, 'internal events are hidden from the customer');
  assert.ok(mine.body.items.every((e) => !e.internal));
});

test('invalid transitions name the current state and the allowed actions', async () => {
  const t = (await intake(people.agent.token)).body;
  const r = await act(people.technician.token, t.id, 'customer_accept');
  assert.ok([403, 409].includes(r.status));
  const c = await act(admin, t.id, 'archive');
  assert.equal(c.status, 409, JSON.stringify(c.body));
  assert.match(c.body.detail, /intake/);
  const unknown = await act(admin, t.id, 'teleport');
  assert.equal(unknown.status, 404);
  const noReason = await act(people.service_manager.token, t.id, 'cancel', {});
  assert.equal(noReason.status, 422);
  assert.equal(noReason.body.errors[0].field, 'reason');
  const badPayload = await act(people.agent.token, t.id, 'triage', { grade: 'apocalyptic', nature: 'hvac', extra: 1 });
  assert.equal(badPayload.status, 422);
  assert.deepEqual(badPayload.body.errors.map((e) => e.field).sort(), ['extra', 'grade']);
  const stale = await s.call('POST', `/api/v1/tickets/${t.id}/actions/triage`, { token: people.agent.token,
    headers: { 'if-match': '"999"' }, body: { grade: 'simple', nature: 'other' } });
  assert.equal(stale.status, 412);
  const cancelled = await act(people.service_manager.token, t.id, 'cancel', { reason: '客户撤回' });
  assert.equal(cancelled.body.state, 'cancelled');
});

test('pause stops the clocks and is recorded with its reason', async () => {
  const t = (await intake(people.agent.token, { grade: 'simple', nature: 'hardware_damage' })).body;
  const p = await act(people.agent.token, t.id, 'pause', { pause_reason: 'waiting_customer', reason: '客户不在现场' });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.equal(p.body.paused, true);
  assert.equal(p.body.pause_reason, 'waiting_customer');
  const blocked = await act(people.agent.token, t.id, 'contact_customer');
  assert.equal(blocked.status, 409);
  const r = await act(people.agent.token, t.id, 'resume');
  assert.equal(r.body.paused, false);
});

test('customers see only their own requests; others get 404', async () => {
  const mine = (await intake(people.agent.token)).body;
  const theirs = (await s.call('POST', '/api/v1/tickets', { token: people.agent.token,
    body: { project_id: otherProject.id, title: '幕墙渗漏', description: '雨后渗水' } })).body;
  assert.equal((await s.call('GET', `/api/v1/tickets/${mine.id}`, { token: people.customer.token })).status, 200);
  for (const path of [`/api/v1/tickets/${theirs.id}`, `/api/v1/tickets/${theirs.id}/timeline`])
    assert.equal((await s.call('GET', path, { token: people.customer.token })).status, 404, path);
  assert.equal((await act(people.customer.token, theirs.id, 'confirm_plan')).status, 404);
  const list = await s.call('GET', '/api/v1/tickets?limit=200', { token: people.customer.token });
  assert.ok(list.body.items.length > 0);
  assert.ok(list.body.items.every((t) => t.customer.id === customer.id));
  // Out of warranty (accepted 2021, 24 months): the diagnosis decides the cost is not free.
  const d = (await s.call('GET', `/api/v1/tickets/${theirs.id}`, { token: admin })).body;
  assert.equal(d.warranty.status, 'expired');
});

test('lists filter, sort and page', async () => {
  const r = await s.call('GET', `/api/v1/tickets?project_id=${project.id}&state=intake,triaged&sort=-reported_at&limit=2`, { token: admin });
  assert.equal(r.status, 200);
  assert.ok(r.body.total >= 2);
  assert.equal(r.body.items.length, 2);
  assert.ok(r.body.items.every((t) => ['intake', 'triaged'].includes(t.state)));
  assert.ok(r.body.items[0].reported_at >= r.body.items[1].reported_at);
  const due = await s.call('GET', '/api/v1/tickets?sort=next_due_at&open=true', { token: admin });
  const dues = due.body.items.map((t) => t.next_due_at).filter(Boolean);
  assert.deepEqual(dues, [...dues].sort());
  for (const qs of ['sort=colour', 'bogus=1', 'sla_risk=maybe', 'project_id=abc', 'reported_from=yesterday'])
    assert.equal((await s.call('GET', `/api/v1/tickets?${qs}`, { token: admin })).status, 400, qs);
});

test('automatic dispatch picks the best-ranked technician and keeps the score and reasons', async () => {
  const t = (await intake(people.agent.token, { grade: 'emergency', nature: 'hvac' })).body;
  assert.equal((await act(people.agent.token, t.id, 'contact_customer')).status, 200);
  const both = await act(people.dispatcher.token, t.id, 'dispatch', { auto: true, staff_ids: [tech.id] });
  assert.equal(both.status, 422);
  const r = await act(people.dispatcher.token, t.id, 'dispatch', { auto: true });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.ok(r.body.assignee?.id);
  const tl = await s.call('GET', `/api/v1/tickets/${t.id}/timeline`, { token: admin });
  const dispatched = tl.body.items.find((e) => e.type === 'technician_dispatched');
  assert.ok(dispatched.data.automatic.score > 0);
  assert.ok(dispatched.data.automatic.reasons.length > 0);
  const sugg = await s.call('GET', `/api/v1/tickets/${t.id}/dispatch-suggestions`, { token: people.dispatcher.token });
  assert.equal(sugg.status, 200);
  assert.equal(sugg.body.technicians[0].staff_id, r.body.assignee.id);
});

test('photos uploaded before saving are linked at intake; steps link theirs; foreign ids are refused', async () => {
  const upload = async (token, seed, extra = {}) => {
    const r = await s.call('POST', '/api/v1/attachments', { token, raw: tinyPng(seed),
      headers: { 'content-type': 'image/png', 'x-filename': encodeURIComponent(`现场照片${seed}.png`), ...extra } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
  };
  const photo = await upload(people.customer.token, 101);
  const t = await s.call('POST', '/api/v1/tickets', { token: people.customer.token,
    body: { project_id: project.id, title: '漏水', description: '吊顶漏水', attachment_ids: [photo] } });
  assert.equal(t.status, 201, JSON.stringify(t.body));
  assert.deepEqual(t.body.attachments.map((a) => a.id), [photo]);
  assert.equal(t.body.attachments[0].purpose, 'intake');
  // Somebody else's unlinked upload cannot be attached by a customer.
  const foreign = await upload(people.other.token, 102);
  const bad = await s.call('POST', '/api/v1/tickets', { token: people.customer.token,
    body: { project_id: project.id, title: 'x', description: 'y', attachment_ids: [foreign, 'z'] } });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.errors.map((e) => e.field), ['attachment_ids[1]']);
  const bad2 = await s.call('POST', '/api/v1/tickets', { token: people.customer.token,
    body: { project_id: project.id, title: 'x', description: 'y', attachment_ids: [foreign] } });
  assert.equal(bad2.status, 422);
  assert.equal(bad2.body.errors[0].field, 'attachment_ids[0]');
  // A step's photos.
  await act(people.agent.token, t.body.id, 'triage', { grade: 'simple', nature: 'leakage' });
  await act(people.agent.token, t.body.id, 'contact_customer');
  await act(people.dispatcher.token, t.body.id, 'dispatch', { staff_ids: [tech.id] });
  await act(techUser.token, t.body.id, 'depart');
  assert.equal((await act(techUser.token, t.body.id, 'arrive')).status, 200);
  const diag = await upload(techUser.token, 103);
  const d = await act(techUser.token, t.body.id, 'record_diagnosis', { findings: '防水层破损', cause: 'construction',
    severity: 'moderate', attachment_ids: [diag] });
  assert.equal(d.status, 200, JSON.stringify(d.body));
  assert.equal(d.body.attachments.find((a) => a.id === diag).purpose, 'diagnosis');
});

test('an action refused late (a bad photo id) leaves nothing behind', async () => {
  const t = (await intake(people.agent.token, { grade: 'simple', nature: 'leakage' })).body;
  await act(people.agent.token, t.id, 'contact_customer');
  await act(people.dispatcher.token, t.id, 'dispatch', { staff_ids: [tech.id] });
  await act(techUser.token, t.id, 'depart');
  await act(techUser.token, t.id, 'arrive');
  const before = await s.call('GET', `/api/v1/tickets/${t.id}`, { token: admin });
  const events = (await s.call('GET', `/api/v1/tickets/${t.id}/timeline`, { token: admin })).body.items.length;
  const r = await act(techUser.token, t.id, 'record_diagnosis', { findings: 'x', cause: 'construction', severity: 'minor',
    attachment_ids: [987654] });
  assert.equal(r.status, 422);
  assert.equal(r.body.errors[0].field, 'attachment_ids[0]');
  const after = await s.call('GET', `/api/v1/tickets/${t.id}`, { token: admin });
  assert.equal(after.body.state, 'on_site');
  assert.equal(after.body.version, before.body.version);
  assert.deepEqual(after.body.records, before.body.records);
  assert.equal((await s.call('GET', `/api/v1/tickets/${t.id}/timeline`, { token: admin })).body.items.length, events);
});

test('allowed actions offer triage and dispatch before their data is given', async () => {
  const t = (await intake(people.agent.token)).body;
  assert.ok(t.allowed_actions.includes('triage'), t.allowed_actions.join());
  await act(people.agent.token, t.id, 'triage', { grade: 'simple', nature: 'hvac' });
  await act(people.agent.token, t.id, 'contact_customer');
  const d = await s.call('GET', `/api/v1/tickets/${t.id}`, { token: people.dispatcher.token });
  assert.ok(d.body.allowed_actions.includes('dispatch'), d.body.allowed_actions.join());
  const tech = await s.call('GET', `/api/v1/tickets/${t.id}`, { token: techUser.token });
  assert.ok(!tech.body.allowed_actions.includes('dispatch'));
});
