// Follow-ups (回访) through the API: rounds at 1, 3 and 6 months after closing with dates in the
// project's time zone, idempotent scheduling, the survey by token without an account (once,
// validated, expiring), low scores opening a task, the staff call record, and scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniq } from './lib.mjs';

let s, admin, customer, otherCustomer, project, people;

before(async () => {
  s = await startServer();
  admin = await s.login();
  const mk = async (path, body) => {
    const r = await s.call('POST', path, { token: admin, body });
    assert.equal(r.status, 201, `${path}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  customer = await mk('/api/v1/customers', { name: uniq('仓库业主') });
  otherCustomer = await mk('/api/v1/customers', { name: uniq('别家业主') });
  project = await mk('/api/v1/projects', { customer_id: customer.id, name: uniq('钢结构仓库'), type: 'steel_structure',
    completion_date: '2025-01-10', warranty_months: 24 });
  people = {};
  for (const role of ['agent', 'service_manager', 'technician'])
    people[role] = await s.userWithRole(admin, role);
  people.customer = await s.userWithRole(admin, 'customer', { customer_id: customer.id });
  people.other = await s.userWithRole(admin, 'customer', { customer_id: otherCustomer.id });
});
after(async () => { await s.stop(); });

const act = (who, id, action, body = {}) =>
  s.call('POST', `/api/v1/tickets/${id}/actions/${action}`, { token: people[who].token, body });

// A request taken along the short path (remote fix) to `closed`.
async function closedTicket(title = '涂层破损锈蚀') {
  const t = await s.call('POST', '/api/v1/tickets', { token: people.agent.token,
    body: { project_id: project.id, title, description: '钢梁涂层破损并出现锈蚀', grade: 'simple', nature: 'coating_damage' } });
  assert.equal(t.status, 201, JSON.stringify(t.body));
  const id = t.body.id;
  if (t.body.state === 'triaged') assert.equal((await act('agent', id, 'contact_customer', { note: '已联系' })).status, 200);
  const fixed = await act('service_manager', id, 'remote_fix', { note: '远程指导补涂' });
  assert.equal(fixed.status, 200, JSON.stringify(fixed.body));
  const closed = await act('service_manager', id, 'close', { summary: '已修复' });
  assert.equal(closed.status, 200, JSON.stringify(closed.body));
  assert.equal(closed.body.state, 'closed');
  return closed.body;
}

async function schedule(ticketId) {
  const r = await s.call('POST', `/api/v1/tickets/${ticketId}/follow-ups/schedule`, { token: people.service_manager.token });
  assert.ok([200, 201].includes(r.status), JSON.stringify(r.body));
  return r;
}

// The survey token the first round's ticket.survey message carries.
function surveyTokenFromOutbox(ticketId) {
  const out = s.db.exec(`SELECT payload_json FROM outbox WHERE event = 'ticket.survey' AND ticket_id = ${ticketId} ORDER BY id`);
  const lines = out.trim().split('\n').filter(Boolean);
  assert.ok(lines.length >= 1, 'a ticket.survey message is queued');
  const payload = JSON.parse(lines[lines.length - 1]);
  assert.match(payload.params.survey_url, /^\/survey\/svy_[A-Za-z0-9_-]{43}$/);
  return payload.params.survey_url.slice('/survey/'.length);
}

// Expected due date and instant: N calendar months after closing in Asia/Shanghai (UTC+8, no
// daylight saving), same local time of day, the 31st clamped to the month's end.
function expectedDue(closedIso, months) {
  const local = new Date(Date.parse(closedIso) + 8 * 3600e3);
  const y = local.getUTCFullYear(), m = local.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(local.getUTCDate(), last);
  const dueLocal = Date.UTC(y, m, day, local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds(), local.getUTCMilliseconds());
  return { date: new Date(dueLocal).toISOString().slice(0, 10), at: new Date(dueLocal - 8 * 3600e3).toISOString() };
}

const scores = (over = {}) => ({ response_speed: 5, attitude: 5, competence: 4, effectiveness: 5, communication: 4, ...over });

test('scheduling needs a resolved or closed request', async () => {
  const t = await s.call('POST', '/api/v1/tickets', { token: people.agent.token,
    body: { project_id: project.id, title: '门窗变形', description: '门轻微变形' } });
  const r = await s.call('POST', `/api/v1/tickets/${t.body.id}/follow-ups/schedule`, { token: people.service_manager.token });
  assert.equal(r.status, 409);
  assert.match(r.body.detail, /intake/);
  const agent = await s.call('POST', `/api/v1/tickets/${t.body.id}/follow-ups/schedule`, { token: people.agent.token });
  assert.equal(agent.status, 403);
});

test('after closing: three rounds at 1, 3 and 6 months in the project time zone, scheduled once', async () => {
  const t = await closedTicket();
  const first = await schedule(t.id);
  assert.equal(first.body.items.length, 3);
  const again = await schedule(t.id);
  assert.equal(again.status, 200);
  assert.equal(again.body.created, 0);
  assert.deepEqual(again.body.items.map((f) => f.id), first.body.items.map((f) => f.id));
  const list = await s.call('GET', `/api/v1/tickets/${t.id}/follow-ups`, { token: people.agent.token });
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.items.map((f) => f.offset_months), [1, 3, 6]);
  for (const f of list.body.items) {
    const want = expectedDue(t.closed_at, f.offset_months);
    assert.equal(f.due_date, want.date, `round ${f.offset_months}`);
    assert.equal(f.due_at, want.at, `round ${f.offset_months}`);
    assert.equal(f.state, 'scheduled');
    assert.equal(f.ticket_closed_at, t.closed_at);
  }
  // The first round's survey link went out at once; the later rounds' links are sent on demand.
  assert.ok(list.body.items[0].survey_sent_at);
  assert.equal(list.body.items[1].survey_sent_at, null);
  surveyTokenFromOutbox(t.id);
  const timeline = await s.call('GET', `/api/v1/tickets/${t.id}/timeline`, { token: admin });
  assert.equal(timeline.body.items.filter((e) => e.type === 'follow_ups_scheduled').length, 1);
  // Staff list with filters.
  const due = await s.call('GET', `/api/v1/follow-ups?ticket_id=${t.id}&state=scheduled&due_before=${list.body.items[1].due_date}`,
    { token: people.agent.token });
  assert.equal(due.status, 200, JSON.stringify(due.body));
  assert.deepEqual(due.body.items.map((f) => f.offset_months), [1]);
  const byProject = await s.call('GET', `/api/v1/follow-ups?project_id=${project.id}`, { token: people.technician.token });
  assert.ok(byProject.body.total >= 3);
  const bad = await s.call('GET', '/api/v1/follow-ups?state=later', { token: admin });
  assert.equal(bad.status, 400);
});

test('survey by token without an account: shows the request only, validates, answers once', async () => {
  const t = await closedTicket('屋面漏水');
  await schedule(t.id);
  const token = surveyTokenFromOutbox(t.id);
  // The link is a credential: the notification list does not show it.
  const listed = await s.call('GET', `/api/v1/notifications?ticket_id=${t.id}&event=ticket.survey`, { token: admin });
  assert.equal(listed.status, 200, JSON.stringify(listed.body));
  assert.ok(listed.body.items.length >= 1);
  assert.ok(!JSON.stringify(listed.body).includes(token), 'the survey token is listed');
  const info = await s.call('GET', `/api/v1/surveys/${token}`);
  assert.equal(info.status, 200, JSON.stringify(info.body));
  assert.equal(info.body.number, t.number);
  assert.equal(info.body.title, '屋面漏水');
  assert.equal(info.body.project, project.name);
  assert.equal(info.body.closed_at, t.closed_at);
  assert.equal(info.body.answered, false);
  for (const k of Object.keys(info.body))
    assert.ok(['number', 'title', 'project', 'closed_at', 'answered', 'expired', 'dimensions'].includes(k), `unexpected ${k}`);

  const bad = await s.call('POST', `/api/v1/surveys/${token}`, { body: { response_speed: 5, attitude: 6, effectiveness: 0,
    communication: 'good', comment: 'x' } });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.errors.map((e) => e.field).sort(), ['attitude', 'communication', 'competence', 'effectiveness']);
  const unknown = await s.call('POST', `/api/v1/surveys/${token}`, { body: { ...scores(), tip: 5 } });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.body.errors[0].field, 'tip');

  const wrong = await s.call('POST', `/api/v1/surveys/${token.slice(0, -2)}xx`, { body: scores() });
  assert.equal(wrong.status, 404);
  const ok = await s.call('POST', `/api/v1/surveys/${token}`, { body: scores({ comment: '很满意' }) });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.low_score, undefined);
  const twice = await s.call('POST', `/api/v1/surveys/${token}`, { body: scores() });
  assert.equal(twice.status, 409);
  assert.equal((await s.call('GET', `/api/v1/surveys/${token}`)).body.answered, true);

  const rounds = (await s.call('GET', `/api/v1/tickets/${t.id}/follow-ups`, { token: admin })).body.items;
  assert.equal(rounds[0].survey.source, 'link');
  assert.equal(rounds[0].survey.scores.competence, 4);
  assert.equal(rounds[0].survey.comment, '很满意');
  assert.equal(rounds[1].survey, null, 'the token answered its own round only');
  assert.equal(rounds[0].task_id, null, 'a good score opens no task');
});

test('a token for another survey does not answer this one; a fresh link replaces the old', async () => {
  const a = await closedTicket('A 单');
  const b = await closedTicket('B 单');
  await schedule(a.id);
  await schedule(b.id);
  const tokenA = surveyTokenFromOutbox(a.id);
  const sent = await s.call('POST', `/api/v1/follow-ups/${(await s.call('GET', `/api/v1/tickets/${b.id}/follow-ups`, { token: admin })).body.items[1].id}/send-survey`,
    { token: people.agent.token });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  const tokenB3 = sent.body.survey_url.slice('/survey/'.length);
  assert.equal((await s.call('GET', `/api/v1/surveys/${tokenB3}`)).body.number, b.number);
  assert.equal((await s.call('GET', `/api/v1/surveys/${tokenA}`)).body.number, a.number);
  assert.equal((await s.call('POST', `/api/v1/surveys/${tokenA}`, { body: scores() })).status, 200);
  const roundsB = (await s.call('GET', `/api/v1/tickets/${b.id}/follow-ups`, { token: admin })).body.items;
  assert.ok(roundsB.every((f) => f.survey === null), 'answering A left B untouched');
  // Re-sending replaces the link: the old one stops working.
  const again = await s.call('POST', `/api/v1/follow-ups/${roundsB[1].id}/send-survey`, { token: people.agent.token });
  assert.notEqual(again.body.survey_url, sent.body.survey_url);
  assert.equal((await s.call('GET', `/api/v1/surveys/${tokenB3}`)).status, 404);
  // The customer of the request cannot send links; he has no follow-up permission.
  assert.equal((await s.call('POST', `/api/v1/follow-ups/${roundsB[1].id}/send-survey`, { token: people.customer.token })).status, 403);
});

test('a low score opens a task for the service managers and an internal timeline event', async () => {
  const t = await closedTicket('外墙渗水');
  await schedule(t.id);
  const token = surveyTokenFromOutbox(t.id);
  const r = await s.call('POST', `/api/v1/surveys/${token}`, { body: scores({ attitude: 2, comment: '态度一般' }) });
  assert.equal(r.status, 200);
  const tasks = await s.call('GET', `/api/v1/follow-up-tasks?state=open&ticket_id=${t.id}`, { token: people.service_manager.token });
  assert.equal(tasks.status, 200, JSON.stringify(tasks.body));
  assert.equal(tasks.body.total, 1);
  assert.match(tasks.body.items[0].reason, /attitude=2/);
  assert.equal(tasks.body.items[0].ticket.number, t.number);
  assert.equal((await s.call('GET', '/api/v1/follow-up-tasks', { token: people.agent.token })).status, 403);
  const staffTimeline = await s.call('GET', `/api/v1/tickets/${t.id}/timeline`, { token: admin });
  const low = staffTimeline.body.items.find((e) => e.type === 'low_satisfaction');
  assert.ok(low, JSON.stringify(staffTimeline.body.items.map((e) => e.type)));
  assert.equal(low.internal, true);
  const customerTimeline = await s.call('GET', `/api/v1/tickets/${t.id}/timeline`, { token: people.customer.token });
  assert.ok(!customerTimeline.body.items.some((e) => e.type === 'low_satisfaction'));

  // An average below 3 without any score ≤ 2 counts as low too (recorded by staff on the call).
  const round3 = (await s.call('GET', `/api/v1/tickets/${t.id}/follow-ups`, { token: admin })).body.items[2];
  const done = await s.call('POST', `/api/v1/follow-ups/${round3.id}/complete`, { token: people.agent.token,
    body: { notes: '回访：修补处无渗漏', repair_status: 'holding',
      survey: { response_speed: 3, attitude: 3, competence: 3, effectiveness: 3, communication: 2 } } });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.ok(done.body.task_id);
  const resolved = await s.call('POST', `/api/v1/follow-up-tasks/${tasks.body.items[0].id}/resolve`, { token: people.service_manager.token,
    body: { resolution: 'explained', note: '已致电解释并道歉' } });
  assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
  const again = await s.call('POST', `/api/v1/follow-up-tasks/${tasks.body.items[0].id}/resolve`, { token: people.service_manager.token,
    body: { resolution: 'explained' } });
  assert.equal(again.status, 409);
});

test('staff record the call once; missed and cancelled rounds; bad survey fields named', async () => {
  const t = await closedTicket('卷帘门异响');
  const rounds = (await schedule(t.id)).body.items;
  const bad = await s.call('POST', `/api/v1/follow-ups/${rounds[1].id}/complete`, { token: people.agent.token,
    body: { notes: '', repair_status: 'fine', survey: { response_speed: 9 } } });
  assert.equal(bad.status, 422);
  const fields = bad.body.errors.map((e) => e.field);
  for (const f of ['notes', 'repair_status', 'survey.response_speed', 'survey.attitude']) assert.ok(fields.includes(f), `${f} in ${fields}`);
  const ok = await s.call('POST', `/api/v1/follow-ups/${rounds[1].id}/complete`, { token: people.agent.token,
    body: { notes: '门运行正常', repair_status: 'holding', survey: scores() } });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.state, 'done');
  assert.equal(ok.body.survey.source, 'staff');
  assert.equal(ok.body.task_id, null);
  const twice = await s.call('POST', `/api/v1/follow-ups/${rounds[1].id}/complete`, { token: people.agent.token,
    body: { notes: '再次', repair_status: 'holding' } });
  assert.equal(twice.status, 409);
  assert.match(twice.body.detail, /'done'/);
  const missed = await s.call('POST', `/api/v1/follow-ups/${rounds[0].id}/miss`, { token: people.agent.token, body: { reason: '电话无人接听' } });
  assert.equal(missed.body.state, 'missed');
  assert.equal((await s.call('POST', `/api/v1/follow-ups/${rounds[2].id}/cancel`, { token: people.agent.token, body: { reason: 'x' } })).status, 403);
  const cancelled = await s.call('POST', `/api/v1/follow-ups/${rounds[2].id}/cancel`, { token: people.service_manager.token, body: { reason: '项目移交' } });
  assert.equal(cancelled.body.state, 'cancelled');
  const assign = await s.call('POST', `/api/v1/follow-ups/${rounds[0].id}/assign`, { token: people.service_manager.token,
    body: { assignee_user_id: people.technician.id } });
  assert.equal(assign.status, 422);
  assert.equal(assign.body.errors[0].field, 'assignee_user_id');
  const assigned = await s.call('POST', `/api/v1/follow-ups/${rounds[0].id}/assign`, { token: people.service_manager.token,
    body: { assignee_user_id: people.agent.id } });
  assert.equal(assigned.body.assignee.id, people.agent.id);
  // The missed round's link still answers (the customer may reply later).
  const token = surveyTokenFromOutbox(t.id);
  assert.equal((await s.call('POST', `/api/v1/surveys/${token}`, { body: scores() })).status, 200);
});

test('a survey link expires 30 days after its round is due, and a cancelled round withdraws it', async () => {
  const t = await closedTicket('地坪开裂');
  const rounds = (await schedule(t.id)).body.items;
  const token = surveyTokenFromOutbox(t.id);
  s.db.exec(`UPDATE follow_ups SET due_at = due_at - ${400 * 86400 * 1000} WHERE id = ${rounds[0].id}`);
  assert.equal((await s.call('GET', `/api/v1/surveys/${token}`)).body.expired, true);
  const r = await s.call('POST', `/api/v1/surveys/${token}`, { body: scores() });
  assert.equal(r.status, 410, JSON.stringify(r.body));
  const sent = await s.call('POST', `/api/v1/follow-ups/${rounds[1].id}/send-survey`, { token: people.agent.token });
  await s.call('POST', `/api/v1/follow-ups/${rounds[1].id}/cancel`, { token: people.service_manager.token, body: { reason: '客户要求' } });
  const withdrawn = await s.call('POST', `/api${sent.body.survey_url.replace('/survey/', '/v1/surveys/')}`, { body: scores() });
  assert.equal(withdrawn.status, 410);
});

test('customers see their own follow-ups without the call notes; other organisations get 404', async () => {
  const t = await closedTicket('雨棚松动');
  const rounds = (await schedule(t.id)).body.items;
  await s.call('POST', `/api/v1/follow-ups/${rounds[0].id}/complete`, { token: people.agent.token,
    body: { notes: '内部备注：客户抱怨较多', repair_status: 'minor_issue' } });
  const own = await s.call('GET', `/api/v1/tickets/${t.id}/follow-ups`, { token: people.customer.token });
  assert.equal(own.status, 200);
  assert.equal(own.body.items.length, 3);
  assert.equal(own.body.items[0].state, 'done');
  assert.equal(own.body.items[0].notes, undefined);
  assert.equal(own.body.items[0].assignee, undefined);
  assert.equal((await s.call('GET', `/api/v1/tickets/${t.id}/follow-ups`, { token: people.other.token })).status, 404);
  assert.equal((await s.call('GET', '/api/v1/follow-ups', { token: people.customer.token })).status, 403);
  assert.equal((await s.call('GET', `/api/v1/follow-ups/${rounds[0].id}`, { token: people.other.token })).status, 403);
  assert.equal((await s.call('GET', '/api/v1/follow-ups')).status, 401);
  assert.equal((await s.call('GET', `/api/v1/tickets/999999/follow-ups`, { token: admin })).status, 404);
});
