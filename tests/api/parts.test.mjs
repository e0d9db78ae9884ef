// Parts, stock and the repair log through the API: catalogue CRUD and permissions, the stock
// ledger (receipts, transfers, adjustments, returns, never negative, low stock), repair-log
// entries that issue parts from stock atomically (short stock writes nothing; concurrent issues
// never oversell), who may log and when, what customers see, and replaced-part warranties.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniq } from './lib.mjs';

let s, admin, people, customer, otherCustomer, project, asset, tech, otherTech, warehouse, van;

const mk = async (path, body, token = admin) => {
  const r = await s.call('POST', path, { token, body });
  assert.equal(r.status, 201, `${path}: ${JSON.stringify(r.body)}`);
  return r.body;
};
const act = (token, id, action, body = {}) => s.call('POST', `/api/v1/tickets/${id}/actions/${action}`, { token, body });
const logRepair = (token, id, body) => s.call('POST', `/api/v1/tickets/${id}/repair-logs`, { token, body });
const now = () => new Date().toISOString();

async function stockOf(partId, locationId) {
  const r = await s.call('GET', `/api/v1/stock?part_id=${partId}&location_id=${locationId}`, { token: admin });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.items.length ? r.body.items[0].quantity : 0;
}
async function receive(partId, locationId, quantity) {
  const r = await s.call('POST', '/api/v1/stock/movements', { token: people.procurement.token,
    body: { kind: 'receipt', part_id: partId, location_id: locationId, quantity, reference: uniq('DN') } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
async function newPart(extra = {}) {
  return mk('/api/v1/parts', { code: uniq('P'), name: '压缩机', spec: 'ZR125', unit: '台', category: 'hvac',
    supplier: '谷轮', unit_cost: 3200, warranty_months: 12, safety_stock: 1, reorder_point: 2, ...extra }, people.procurement.token);
}

// A request driven through the lifecycle into in_repair, assigned to `tech`.
async function ticketInRepair() {
  const t = await s.call('POST', '/api/v1/tickets', { token: people.agent.token, body: {
    project_id: project.id, asset_id: asset.id, title: '精密空调停机', description: '机房空调不制冷' } });
  assert.equal(t.status, 201, JSON.stringify(t.body));
  const id = t.body.id;
  const step = async (who, action, body = {}) => {
    const r = await act(people[who].token, id, action, body);
    assert.equal(r.status, 200, `${action} by ${who}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await step('agent', 'triage', { grade: 'complex', nature: 'hvac' });
  await step('agent', 'contact_customer', { note: '已联系' });
  await step('dispatcher', 'dispatch', { staff_ids: [tech.id] });
  await step('technician', 'depart');
  await step('technician', 'arrive');
  await step('technician', 'record_diagnosis', { findings: '压缩机故障', cause: 'material', severity: 'major' });
  await step('technician', 'submit_plan', { goal: '恢复制冷', scope: '更换压缩机' });
  await step('tech_lead', 'review_plan', { comment: '同意' });
  let cur = await step('project_manager', 'approve_plan');
  if (cur.state === 'plan_approved') await step('customer', 'confirm_plan', { signer_name: '王工' });
  cur = await step('technician', 'start_repair');
  assert.equal(cur.state, 'in_repair');
  return cur;
}

before(async () => {
  s = await startServer();
  admin = await s.login();
  people = {};
  for (const role of ['agent', 'dispatcher', 'technician', 'tech_lead', 'project_manager', 'quality_inspector',
    'service_manager', 'procurement'])
    people[role] = await s.userWithRole(admin, role);
  customer = await mk('/api/v1/customers', { name: uniq('业主') });
  otherCustomer = await mk('/api/v1/customers', { name: uniq('别家') });
  people.customer = await s.userWithRole(admin, 'customer', { customer_id: customer.id });
  people.other = await s.userWithRole(admin, 'customer', { customer_id: otherCustomer.id });
  project = await mk('/api/v1/projects', { customer_id: customer.id, name: uniq('机房'), type: 'data_centre',
    completion_date: '2025-06-01', warranty_months: 24, calendar: 'cn-7x24' });
  asset = await mk('/api/v1/assets', { project_id: project.id, kind: 'equipment', name: '精密空调 1#', critical: true });
  tech = await mk('/api/v1/staff', { name: '张师傅', user_id: people.technician.id, skills: ['hvac'] });
  people.otherTech = await s.userWithRole(admin, 'technician');
  otherTech = await mk('/api/v1/staff', { name: '李师傅', user_id: people.otherTech.id, skills: ['hvac'] });
  const centre = await mk('/api/v1/service-centres', { name: uniq('网点') });
  warehouse = await mk('/api/v1/stock-locations', { name: uniq('总仓'), kind: 'warehouse' }, people.procurement.token);
  van = await mk('/api/v1/stock-locations', { name: uniq('维修车'), kind: 'vehicle', service_centre_id: centre.id },
    people.procurement.token);
});
after(async () => { await s.stop(); });

test('catalogue: procurement and admin write, staff read, customers have no access', async () => {
  const part = await newPart();
  assert.equal(part.total_quantity, 0);
  assert.equal(part.active, true);
  for (const role of ['technician', 'service_manager', 'agent']) {
    const w = await s.call('POST', '/api/v1/parts', { token: people[role].token, body: { code: uniq('X'), name: 'x' } });
    assert.equal(w.status, 403, `${role}: ${JSON.stringify(w.body)}`);
    assert.equal((await s.call('GET', `/api/v1/parts/${part.id}`, { token: people[role].token })).status, 200);
    assert.equal((await s.call('GET', '/api/v1/stock-locations', { token: people[role].token })).status, 200);
    assert.equal((await s.call('GET', '/api/v1/stock', { token: people[role].token })).status, 200);
  }
  for (const path of ['/api/v1/parts', '/api/v1/stock-locations', '/api/v1/stock', '/api/v1/stock/movements'])
    assert.equal((await s.call('GET', path, { token: people.customer.token })).status, 403, path);
  assert.equal((await s.call('GET', `/api/v1/parts/${part.id}`, { token: people.customer.token })).status, 403);
  // Admin writes too; the code is unique; reorder point not below safety stock.
  const byAdmin = await mk('/api/v1/parts', { code: uniq('A'), name: '滤网', unit: '片' });
  assert.equal(byAdmin.warranty_months, 0);
  const dup = await s.call('POST', '/api/v1/parts', { token: admin, body: { code: part.code, name: 'again' } });
  assert.equal(dup.status, 409);
  const bad = await s.call('POST', '/api/v1/parts', { token: admin,
    body: { code: uniq('B'), name: 'b', safety_stock: 5, reorder_point: 2, unit_cost: -1, colour: 'red' } });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.errors.map((e) => e.field).sort(), ['colour', 'unit_cost']);
  const order = await s.call('POST', '/api/v1/parts', { token: admin, body: { code: uniq('B'), name: 'b', safety_stock: 5, reorder_point: 2 } });
  assert.equal(order.status, 422);
  assert.equal(order.body.errors[0].field, 'reorder_point');
  // Update with a version; search and filter.
  const upd = await s.call('PATCH', `/api/v1/parts/${part.id}`, { token: people.procurement.token,
    body: { version: part.version, reorder_point: 3, supplier: '丹佛斯' } });
  assert.equal(upd.status, 200, JSON.stringify(upd.body));
  assert.equal(upd.body.reorder_point, 3);
  const found = await s.call('GET', `/api/v1/parts?code=${part.code}`, { token: people.technician.token });
  assert.equal(found.body.total, 1);
  // Stock locations: kind is an enum; a service-centre stock point names its centre.
  const kind = await s.call('POST', '/api/v1/stock-locations', { token: admin, body: { name: uniq('L'), kind: 'garage' } });
  assert.equal(kind.status, 422);
  const sc = await s.call('POST', '/api/v1/stock-locations', { token: admin, body: { name: uniq('L'), kind: 'service_centre' } });
  assert.equal(sc.status, 422);
  assert.equal(sc.body.errors[0].field, 'service_centre_id');
  assert.equal(van.service_centre_name.length > 0, true);
  // A part nothing refers to can be deleted; one with movements cannot.
  assert.equal((await s.call('DELETE', `/api/v1/parts/${byAdmin.id}`, { token: admin })).status, 204);
  await receive(part.id, warehouse.id, 1);
  assert.equal((await s.call('DELETE', `/api/v1/parts/${part.id}`, { token: admin })).status, 409);
});

test('stock movements: receipt, transfer, adjustment, never negative, the ledger and low stock', async () => {
  const part = await newPart({ reorder_point: 4, safety_stock: 2 });
  const r = await receive(part.id, warehouse.id, 10);
  assert.equal(r.items[0].kind, 'receipt');
  assert.equal(r.items[0].balance_after, 10);
  assert.equal(r.items[0].unit_cost, 3200);
  // Technicians may not move stock; the service manager may.
  const denied = await s.call('POST', '/api/v1/stock/movements', { token: people.technician.token,
    body: { kind: 'receipt', part_id: part.id, location_id: warehouse.id, quantity: 1 } });
  assert.equal(denied.status, 403);
  const t = await s.call('POST', '/api/v1/stock/movements', { token: people.service_manager.token,
    body: { kind: 'transfer', part_id: part.id, location_id: warehouse.id, to_location_id: van.id, quantity: 3 } });
  assert.equal(t.status, 201, JSON.stringify(t.body));
  assert.deepEqual(t.body.items.map((m) => [m.kind, m.location_id, m.quantity, m.balance_after]),
    [['transfer_out', warehouse.id, -3, 7], ['transfer_in', van.id, 3, 3]]);
  // Too much out: 409 naming part, location and what is available; nothing changes.
  const over = await s.call('POST', '/api/v1/stock/movements', { token: admin,
    body: { kind: 'transfer', part_id: part.id, location_id: van.id, to_location_id: warehouse.id, quantity: 4 } });
  assert.equal(over.status, 409, JSON.stringify(over.body));
  assert.match(over.body.detail, new RegExp(part.code));
  assert.match(over.body.detail, new RegExp(van.name));
  assert.match(over.body.detail, /3 available/);
  assert.equal(await stockOf(part.id, van.id), 3);
  assert.equal(await stockOf(part.id, warehouse.id), 7);
  const adjNoReason = await s.call('POST', '/api/v1/stock/movements', { token: admin,
    body: { kind: 'adjustment', part_id: part.id, location_id: warehouse.id, quantity: -1 } });
  assert.equal(adjNoReason.status, 422);
  assert.equal(adjNoReason.body.errors[0].field, 'reason');
  const adjTooMuch = await s.call('POST', '/api/v1/stock/movements', { token: admin,
    body: { kind: 'adjustment', part_id: part.id, location_id: warehouse.id, quantity: -8, reason: '盘亏' } });
  assert.equal(adjTooMuch.status, 409);
  const adj = await s.call('POST', '/api/v1/stock/movements', { token: admin,
    body: { kind: 'adjustment', part_id: part.id, location_id: warehouse.id, quantity: -4, reason: '盘点盘亏', reference: 'ST-1' } });
  assert.equal(adj.status, 201);
  assert.equal(adj.body.items[0].balance_after, 3);
  const missing = await s.call('POST', '/api/v1/stock/movements', { token: admin,
    body: { kind: 'receipt', part_id: 999999, location_id: 999998, quantity: 1 } });
  assert.equal(missing.status, 422);
  assert.deepEqual(missing.body.errors.map((e) => e.field).sort(), ['location_id', 'part_id']);
  // The ledger, newest first, filtered and paged.
  const ledger = await s.call('GET', `/api/v1/stock/movements?part_id=${part.id}&limit=2`, { token: people.technician.token });
  assert.equal(ledger.status, 200);
  assert.equal(ledger.body.total, 4);
  assert.equal(ledger.body.items.length, 2);
  assert.equal(ledger.body.items[0].kind, 'adjustment');
  const page2 = await s.call('GET', `/api/v1/stock/movements?part_id=${part.id}&limit=2&offset=2`, { token: admin });
  assert.deepEqual(page2.body.items.map((m) => m.kind), ['transfer_out', 'receipt']);
  const byKind = await s.call('GET', `/api/v1/stock/movements?part_id=${part.id}&kind=transfer_in`, { token: admin });
  assert.equal(byKind.body.total, 1);
  assert.equal((await s.call('GET', '/api/v1/stock/movements?kind=stolen', { token: admin })).status, 400);
  assert.equal((await s.call('GET', '/api/v1/stock?colour=red', { token: admin })).status, 400);
  // Low stock: at or below the reorder point (4), per location.
  const low = await s.call('GET', `/api/v1/stock?below_reorder=true&part_id=${part.id}`, { token: admin });
  assert.deepEqual(low.body.items.map((i) => [i.location_id, i.quantity]).sort(), [[warehouse.id, 3], [van.id, 3]].sort());
  assert.ok(low.body.items.every((i) => i.below_reorder && !i.below_safety));
  await receive(part.id, warehouse.id, 1);  // 4: still at the reorder point
  assert.equal((await s.call('GET', `/api/v1/stock?below_reorder=true&part_id=${part.id}`, { token: admin })).body.total, 2);
  await receive(part.id, warehouse.id, 1);  // 5: above it
  const after = await s.call('GET', `/api/v1/stock?below_reorder=true&part_id=${part.id}`, { token: admin });
  assert.deepEqual(after.body.items.map((i) => i.location_id), [van.id]);
  const p = await s.call('GET', `/api/v1/parts/${part.id}`, { token: admin });
  assert.equal(p.body.total_quantity, 8);
});

test('a repair log issues its parts from stock; a return brings them back', async () => {
  const t = await ticketInRepair();
  const part = await newPart();
  await receive(part.id, van.id, 5);
  const r = await logRepair(people.technician.token, t.id, {
    work_done: '更换压缩机，补充冷媒', problems: '旧压缩机螺栓锈死', progress_note: '已恢复制冷，观察中',
    visible_to_customer: true, started_at: now(), ended_at: now(),
    parts: [{ part_id: part.id, location_id: van.id, quantity: 2 }],
    materials: [{ name: 'R410A 冷媒', quantity: 1.5, unit: 'kg' }] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.deepEqual(r.body.staff.map((x) => x.id), [tech.id], 'defaults to the caller');
  assert.equal(r.body.parts[0].quantity, 2);
  assert.equal(r.body.materials[0].quantity, 1.5);
  assert.equal(await stockOf(part.id, van.id), 3);
  const issued = await s.call('GET', `/api/v1/stock/movements?ticket_id=${t.id}&kind=issue`, { token: admin });
  assert.equal(issued.body.total, 1);
  assert.equal(issued.body.items[0].quantity, -2);
  assert.equal(issued.body.items[0].repair_log_id, r.body.id);
  // Timeline event, visible to the customer.
  const tl = await s.call('GET', `/api/v1/tickets/${t.id}/timeline`, { token: people.customer.token });
  const ev = tl.body.items.find((e) => e.type === 'repair_logged');
  assert.ok(ev, JSON.stringify(tl.body.items.map((e) => e.type)));
  assert.equal(ev.internal, false);
  // One returned unused: stock goes back up, but no more than was issued can come back.
  const back = await s.call('POST', '/api/v1/stock/movements', { token: people.service_manager.token,
    body: { kind: 'return', part_id: part.id, location_id: van.id, ticket_id: t.id, quantity: 1, reason: '未使用' } });
  assert.equal(back.status, 201, JSON.stringify(back.body));
  assert.equal(await stockOf(part.id, van.id), 4);
  const tooMany = await s.call('POST', '/api/v1/stock/movements', { token: admin,
    body: { kind: 'return', part_id: part.id, location_id: van.id, ticket_id: t.id, quantity: 2 } });
  assert.equal(tooMany.status, 422);
  assert.equal(tooMany.body.errors[0].rule, 'exceeds_issued');
});

test('short stock: 409 naming part, location and available quantity, and nothing is written', async () => {
  const t = await ticketInRepair();
  const plenty = await newPart();
  const scarce = await newPart();
  await receive(plenty.id, warehouse.id, 10);
  await receive(scarce.id, warehouse.id, 1);
  const logsBefore = (await s.call('GET', `/api/v1/tickets/${t.id}/repair-logs`, { token: admin })).body.items.length;
  const eventsBefore = (await s.call('GET', `/api/v1/tickets/${t.id}/timeline`, { token: admin })).body.items.length;
  const movesBefore = (await s.call('GET', '/api/v1/stock/movements?limit=1', { token: admin })).body.total;
  const r = await logRepair(people.technician.token, t.id, { work_done: '更换', started_at: now(),
    parts: [{ part_id: plenty.id, location_id: warehouse.id, quantity: 3 },
      { part_id: scarce.id, location_id: warehouse.id, quantity: 2 }] });
  assert.equal(r.status, 409, JSON.stringify(r.body));
  assert.match(r.body.detail, new RegExp(scarce.code));
  assert.match(r.body.detail, new RegExp(warehouse.name));
  assert.match(r.body.detail, /1 available/);
  assert.equal(r.body.errors[0].field, 'parts[1].quantity');
  assert.equal(r.body.errors[0].rule, 'insufficient_stock');
  assert.equal(await stockOf(plenty.id, warehouse.id), 10);
  assert.equal(await stockOf(scarce.id, warehouse.id), 1);
  assert.equal((await s.call('GET', `/api/v1/tickets/${t.id}/repair-logs`, { token: admin })).body.items.length, logsBefore);
  assert.equal((await s.call('GET', `/api/v1/tickets/${t.id}/timeline`, { token: admin })).body.items.length, eventsBefore);
  assert.equal((await s.call('GET', '/api/v1/stock/movements?limit=1', { token: admin })).body.total, movesBefore);
  const none = await s.call('GET', `/api/v1/assets/${asset.id}/replaced-parts`, { token: admin });
  assert.ok(!none.body.items.some((i) => i.part_id === plenty.id));
});

test('concurrent issues never oversell: 10 parallel logs for the last 5 units, exactly 5 succeed', async () => {
  const t = await ticketInRepair();
  const part = await newPart();
  await receive(part.id, warehouse.id, 5);
  const results = await Promise.all(Array.from({ length: 10 }, (_, i) => logRepair(people.technician.token, t.id, {
    work_done: `第${i}次更换`, started_at: now(), parts: [{ part_id: part.id, location_id: warehouse.id, quantity: 1 }] })));
  const statuses = results.map((x) => x.status).sort();
  assert.deepEqual(statuses, [201, 201, 201, 201, 201, 409, 409, 409, 409, 409], JSON.stringify(results.map((x) => x.body)));
  assert.equal(await stockOf(part.id, warehouse.id), 0);
  const issues = await s.call('GET', `/api/v1/stock/movements?part_id=${part.id}&kind=issue`, { token: admin });
  assert.equal(issues.body.total, 5);
  assert.deepEqual(issues.body.items.map((m) => m.balance_after).sort(), [0, 1, 2, 3, 4]);
  const logs = await s.call('GET', `/api/v1/tickets/${t.id}/repair-logs`, { token: admin });
  assert.equal(logs.body.items.length, 5);
});

test('only in in_repair or rework; only assigned technicians or managers; customers 403', async () => {
  const fresh = await s.call('POST', '/api/v1/tickets', { token: people.agent.token, body: {
    project_id: project.id, asset_id: asset.id, title: '门把手松动', description: '会议室门把手松动' } });
  const wrong = await logRepair(admin, fresh.body.id, { work_done: 'x', started_at: now() });
  assert.equal(wrong.status, 409, JSON.stringify(wrong.body));
  assert.match(wrong.body.detail, /intake/);
  const t = await ticketInRepair();
  const stranger = await logRepair(people.otherTech.token, t.id, { work_done: 'x', started_at: now() });
  assert.equal(stranger.status, 403, JSON.stringify(stranger.body));
  const lead = await logRepair(people.tech_lead.token, t.id, { work_done: 'x', started_at: now() });
  assert.equal(lead.status, 403);
  const cust = await logRepair(people.customer.token, t.id, { work_done: 'x', started_at: now() });
  assert.equal(cust.status, 403);
  // A manager without a staff row names who did the work.
  const noStaff = await logRepair(people.service_manager.token, t.id, { work_done: 'x', started_at: now() });
  assert.equal(noStaff.status, 422);
  assert.equal(noStaff.body.errors[0].field, 'staff_ids');
  const mgr = await logRepair(people.service_manager.token, t.id, { work_done: '协调', started_at: now(), staff_ids: [tech.id, otherTech.id] });
  assert.equal(mgr.status, 201, JSON.stringify(mgr.body));
  assert.deepEqual(mgr.body.staff.map((x) => x.name), ['张师傅', '李师傅']);
  // Times: not in the future, end not before start.
  const future = await logRepair(people.technician.token, t.id, { work_done: 'x', started_at: new Date(Date.now() + 3600e3).toISOString() });
  assert.equal(future.status, 422);
  assert.equal(future.body.errors[0].rule, 'future');
  const order = await logRepair(people.technician.token, t.id, { work_done: 'x', started_at: now(),
    ended_at: new Date(Date.now() - 3600e3).toISOString() });
  assert.equal(order.status, 422);
  assert.ok(order.body.errors.some((e) => e.field === 'ended_at'));
  assert.equal((await logRepair(admin, 99999999, { work_done: 'x', started_at: now() })).status, 404);
  // After completing the self-check the request leaves in_repair: no more logs.
  const done = await act(people.technician.token, t.id, 'complete_self_check', { checklist: [{ item: '制冷正常', passed: true }] });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  const late = await logRepair(people.technician.token, t.id, { work_done: 'x', started_at: now() });
  assert.equal(late.status, 409);
  assert.match(late.body.detail, new RegExp(done.body.state));
});

test('customers see only the entries shared with them, on their own requests', async () => {
  const t = await ticketInRepair();
  const shared = await logRepair(people.technician.token, t.id, { work_done: '更换风机', progress_note: '已完成 50%',
    problems: '内部：备件型号不符', visible_to_customer: true, started_at: now() });
  assert.equal(shared.status, 201);
  const internal = await logRepair(people.technician.token, t.id, { work_done: '内部排查', started_at: now() });
  assert.equal(internal.status, 201);
  const staffView = await s.call('GET', `/api/v1/tickets/${t.id}/repair-logs`, { token: people.agent.token });
  assert.equal(staffView.body.items.length, 2);
  const mine = await s.call('GET', `/api/v1/tickets/${t.id}/repair-logs`, { token: people.customer.token });
  assert.equal(mine.status, 200);
  assert.deepEqual(mine.body.items.map((i) => i.id), [shared.body.id]);
  assert.equal(mine.body.items[0].progress_note, '已完成 50%');
  assert.equal(mine.body.items[0].problems, undefined, 'internal fields stay internal');
  const other = await s.call('GET', `/api/v1/tickets/${t.id}/repair-logs`, { token: people.other.token });
  assert.equal(other.status, 404);
  const tl = await s.call('GET', `/api/v1/tickets/${t.id}/timeline`, { token: people.customer.token });
  assert.equal(tl.body.items.filter((e) => e.type === 'repair_logged').length, 1);
  const tlStaff = await s.call('GET', `/api/v1/tickets/${t.id}/timeline`, { token: admin });
  assert.equal(tlStaff.body.items.filter((e) => e.type === 'repair_logged').length, 2);
});

test('a replaced part carries its own warranty from the replacement date', async () => {
  const t = await ticketInRepair();
  const part = await newPart({ warranty_months: 12 });
  const consumable = await newPart({ warranty_months: 0 });
  await receive(part.id, warehouse.id, 2);
  await receive(consumable.id, warehouse.id, 10);
  const ended = new Date();
  const r = await logRepair(people.technician.token, t.id, { work_done: '更换压缩机', started_at: ended.toISOString(),
    ended_at: ended.toISOString(), parts: [{ part_id: part.id, location_id: warehouse.id, quantity: 1 },
      { part_id: consumable.id, location_id: warehouse.id, quantity: 4, replaced: false }] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  // The local date in the project's time zone (Asia/Shanghai), 12 months on.
  const local = ended.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  const [y, m, d] = local.split('-').map(Number);
  const lastDay = new Date(Date.UTC(y + 1, m, 0)).getUTCDate();
  const expected = `${y + 1}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
  const line = r.body.parts.find((p) => p.part_id === part.id);
  assert.equal(line.warranty_until, expected);
  assert.equal(r.body.parts.find((p) => p.part_id === consumable.id).replaced, false);
  const list = await s.call('GET', `/api/v1/assets/${asset.id}/replaced-parts`, { token: people.technician.token });
  assert.equal(list.status, 200);
  const mine = list.body.items.filter((i) => i.ticket_id === t.id);
  assert.equal(mine.length, 1, 'consumables are not recorded as replaced parts');
  assert.equal(mine[0].part_id, part.id);
  assert.equal(mine[0].warranty_until, expected);
  assert.equal(mine[0].under_warranty, true);
  assert.equal(Date.parse(mine[0].replaced_at), ended.getTime());
  assert.equal(mine[0].ticket_number, t.number);
  // The customer sees his own asset's replaced parts; another customer gets 404.
  assert.equal((await s.call('GET', `/api/v1/assets/${asset.id}/replaced-parts`, { token: people.customer.token })).status, 200);
  assert.equal((await s.call('GET', `/api/v1/assets/${asset.id}/replaced-parts`, { token: people.other.token })).status, 404);
});
