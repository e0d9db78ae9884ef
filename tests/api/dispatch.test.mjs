// Dispatch suggestions: team by skill × area, technicians ranked by skill, availability, load,
// distance and knowledge of the project, with scores and reasons; roles enforced.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniq } from './lib.mjs';

let s, admin;
const w = {};  // the world: centres, teams, staff, projects, tickets

const post = async (path, body) => {
  const r = await s.call('POST', path, { token: admin, body });
  assert.equal(r.status, 201, `${path}: ${JSON.stringify(r.body)}`);
  return r.body;
};

let seq = 0;
// Inserts a ticket row directly (the intake workflow is not what is under test) and returns its id.
function insertTicket({ project, nature, grade = 'medium', state = 'responded', assignee = null }) {
  const number = `DT${Date.now()}-${++seq}`;
  const now = Date.now();
  s.db.exec(`INSERT INTO tickets (number, customer_id, project_id, channel, state, grade, nature, title, reported_at,
    created_at, updated_at, assignee_staff_id) VALUES ('${number}', ${project.customer_id}, ${project.id}, 'hotline',
    '${state}', '${grade}', '${nature}', '派工测试', ${now}, ${now}, ${now}, ${assignee === null ? 'NULL' : assignee})`);
  return Number(s.db.exec(`SELECT id FROM tickets WHERE number = '${number}'`).trim());
}

const suggestions = (id, token = admin) => s.call('GET', `/api/v1/tickets/${id}/dispatch-suggestions`, { token });

before(async () => {
  s = await startServer();
  admin = await s.login();
  // Lujiazui project; a centre at the project; another in Suzhou, about 87 km away.
  w.near = await post('/api/v1/service-centres', { name: uniq('陆家嘴网点'), address: '上海市浦东新区', latitude: 31.2397, longitude: 121.4998 });
  w.far = await post('/api/v1/service-centres', { name: uniq('苏州网点'), address: '江苏省苏州市', latitude: 31.2989, longitude: 120.5853 });
  w.hvacTeam = await post('/api/v1/teams', { name: uniq('上海暖通班组'), skills: ['hvac', 'electrical'], areas: ['上海'], service_centre_id: w.near.id });
  w.steelTeam = await post('/api/v1/teams', { name: uniq('上海钢结构班组'), skills: ['steel', 'structure'], areas: ['上海'], service_centre_id: w.near.id });
  w.bjTeam = await post('/api/v1/teams', { name: uniq('北京暖通班组'), skills: ['hvac'], areas: ['北京'] });
  const staff = (name, team, skills, home, extra = {}) =>
    post('/api/v1/staff', { name, team_id: team.id, skills, home_centre_id: home.id, ...extra });
  w.original = await staff('原班组-赵', w.hvacTeam, ['hvac'], w.far);
  w.nearTech = await staff('近处-钱', w.hvacTeam, ['hvac'], w.near, { certificates: [{ name: '制冷与空调作业证', expires_on: '2099-12-31' }] });
  w.farTech = await staff('远处-孙', w.hvacTeam, ['hvac'], w.far, { certificates: [{ name: '制冷与空调作业证', expires_on: '2099-12-31' }] });
  w.loaded = await staff('忙碌-李', w.hvacTeam, ['hvac'], w.near, { certificates: [{ name: '制冷与空调作业证', expires_on: '2099-12-31' }] });
  w.busy = await staff('在现场-周', w.hvacTeam, ['hvac'], w.near);
  w.inactive = await staff('离职-吴', w.hvacTeam, ['hvac'], w.near, { active: false });
  w.steelTech = await staff('钢构-郑', w.steelTeam, ['steel'], w.near);
  w.bjTech = await staff('北京-王', w.bjTeam, ['hvac'], w.far);

  const customer = await post('/api/v1/customers', { name: uniq('客户') });
  const project = (name, type, extra = {}) => post('/api/v1/projects', {
    customer_id: customer.id, name: uniq(name), type, address: '上海市浦东新区陆家嘴环路1000号',
    latitude: 31.2397, longitude: 121.4998, ...extra });
  w.building = await project('陆家嘴大厦', 'building', { original_team: [w.original.id, w.inactive.id] });
  w.warehouse = await project('临港钢结构仓库', 'steel_structure', { remote: true });

  // Load: three open requests on 忙碌-李 (one of them closed, which does not count).
  for (let i = 0; i < 3; i++) insertTicket({ project: w.warehouse, nature: 'hvac', state: 'dispatched', assignee: w.loaded.id });
  insertTicket({ project: w.warehouse, nature: 'hvac', state: 'closed', assignee: w.nearTech.id });
  // 在现场-周 is on site for another request right now.
  const other = insertTicket({ project: w.warehouse, nature: 'hvac', state: 'on_site', assignee: w.busy.id });
  s.db.exec(`INSERT INTO visits (ticket_id, seq, departed_at, arrived_at, staff_ids)
    VALUES (${other}, 1, ${Date.now() - 7200000}, ${Date.now() - 3600000}, '[${w.busy.id}]')`);

  w.hvacTicket = insertTicket({ project: w.building, nature: 'hvac' });
  w.steelTicket = insertTicket({ project: w.warehouse, nature: 'coating_damage', grade: 'simple' });
});
after(async () => { await s?.stop(); });

test('HVAC request: the skill × area team, the original-team member first, with reasons', async () => {
  const r = await suggestions(w.hvacTicket);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const b = r.body;
  assert.equal(b.team_id, w.hvacTeam.id);
  assert.equal(b.team_name, w.hvacTeam.name);
  assert.ok(b.team_reasons.some((x) => x.code === 'area_match' && x.params.area === '上海'), JSON.stringify(b.team_reasons));
  assert.ok(b.team_reasons.some((x) => x.code === 'team_original_members'));
  assert.deepEqual(b.required_skills, ['hvac']);
  const bj = b.teams.find((t) => t.id === w.bjTeam.id);
  assert.equal(bj.eligible, false);
  assert.ok(bj.reasons.some((x) => x.code === 'area_mismatch'));
  assert.ok(b.teams.find((t) => t.id === w.steelTeam.id).reasons.some((x) => x.code === 'team_skill_missing'));

  const ids = b.technicians.map((t) => t.staff_id);
  assert.equal(ids[0], w.original.id, JSON.stringify(b.technicians.map((t) => [t.name, t.score])));
  const first = b.technicians[0];
  const orig = first.reasons.find((x) => x.code === 'original_team');
  assert.deepEqual({ zh: orig.zh, en: orig.en }, { zh: '原施工班组成员', en: 'member of the original construction team' });
  assert.equal(first.team_id, w.hvacTeam.id);
  assert.equal(first.team_name, w.hvacTeam.name);
  for (const t of b.technicians) {
    assert.ok(t.score >= 0 && t.score <= 100);
    assert.ok(t.reasons.length > 0);
    for (const x of t.reasons) for (const k of ['code', 'params', 'zh', 'en', 'points']) assert.ok(k in x, k);
  }
  for (let i = 1; i < b.technicians.length; i++) assert.ok(b.technicians[i - 1].score >= b.technicians[i].score);
  assert.ok(!ids.includes(w.inactive.id), 'inactive staff are not candidates');
  assert.ok(ids.length <= 10);
});

test('a farther, a loaded, a busy and a wrong-trade technician rank lower', async () => {
  const b = (await suggestions(w.hvacTicket)).body;
  const ids = b.technicians.map((t) => t.staff_id);
  const at = (id) => { const i = ids.indexOf(id); assert.ok(i >= 0, `staff ${id} listed`); return i; };
  const tech = (id) => b.technicians[at(id)];
  assert.ok(at(w.nearTech.id) < at(w.farTech.id), 'the farther one ranks lower');
  assert.ok(tech(w.nearTech.id).score > tech(w.farTech.id).score);
  assert.ok(tech(w.farTech.id).reasons.some((x) => x.code === 'distance_from_home' && Number(x.params.km) > 80));
  assert.ok(tech(w.nearTech.id).reasons.some((x) => x.code === 'distance_from_home' && Number(x.params.km) < 1));
  assert.ok(at(w.nearTech.id) < at(w.loaded.id), 'the loaded one ranks lower');
  assert.equal(tech(w.loaded.id).reasons.find((x) => x.code === 'load').params.open_requests, '3');
  assert.equal(tech(w.nearTech.id).reasons.find((x) => x.code === 'load').params.open_requests, '0');
  assert.ok(tech(w.busy.id).reasons.some((x) => x.code === 'on_site_elsewhere'));
  assert.ok(at(w.nearTech.id) < at(w.busy.id));
  assert.ok(tech(w.nearTech.id).reasons.some((x) => x.code === 'certificate_valid'));
  assert.ok(tech(w.nearTech.id).reasons.some((x) => x.code === 'selected_team'));
  if (ids.includes(w.steelTech.id)) {
    assert.ok(tech(w.steelTech.id).reasons.some((x) => x.code === 'skill_missing'));
    assert.ok(at(w.steelTech.id) > at(w.farTech.id));
  }
});

test('an emergency weighs distance more: the nearby technician overtakes the distant original-team member', async () => {
  const id = insertTicket({ project: w.building, nature: 'hvac', grade: 'emergency' });
  const b = (await suggestions(id)).body;
  assert.equal(b.technicians[0].staff_id, w.nearTech.id, JSON.stringify(b.technicians.map((t) => [t.name, t.score])));
  assert.ok(b.technicians[0].reasons.some((x) => x.code === 'emergency_weights'));
  assert.ok(b.weights.distance > 15);
});

test('coating damage on a steel structure: the steel team and technician; remote noted', async () => {
  const b = (await suggestions(w.steelTicket)).body;
  assert.equal(b.team_id, w.steelTeam.id, JSON.stringify(b.teams));
  assert.equal(b.technicians[0].staff_id, w.steelTech.id);
  assert.ok(b.technicians[0].reasons.some((x) => x.code === 'skill_match' && x.params.skills === 'steel'));
  assert.ok(b.team_reasons.some((x) => x.code === 'remote_project'));
});

test('unknown request 404; roles: admin, service manager, dispatcher only', async () => {
  assert.equal((await suggestions(99999999)).status, 404);
  assert.equal((await s.call('GET', `/api/v1/tickets/${w.hvacTicket}/dispatch-suggestions`)).status, 401);
  for (const role of ['dispatcher', 'service_manager']) {
    const u = await s.userWithRole(admin, role);
    assert.equal((await suggestions(w.hvacTicket, u.token)).status, 200, role);
  }
  for (const role of ['technician', 'agent', 'project_manager']) {
    const u = await s.userWithRole(admin, role);
    assert.equal((await suggestions(w.hvacTicket, u.token)).status, 403, role);
  }
  const customer = await s.userWithRole(admin, 'customer', { customer_id: w.building.customer_id });
  assert.equal((await suggestions(w.hvacTicket, customer.token)).status, 403);
});

test('the route is documented in the OpenAPI document', async () => {
  const r = await s.call('GET', '/api/openapi.json');
  assert.equal(r.status, 200);
  const op = r.body.paths['/api/v1/tickets/{id}/dispatch-suggestions']?.get;
  assert.ok(op, 'documented');
  assert.equal(op.operationId, 'getDispatchSuggestions');
});
