// End-to-end: one service request through the whole lifecycle, every step in the browser of the person
// who does it (separate browser contexts), asserting what that person sees on the page.
//   agent (phone intake) → dispatcher (dispatch board) → technician on a 375 px phone (depart, arrive,
//   diagnosis with a measurement, plan) → tech lead (review) → project manager (approval) → technician
//   (repair, work log with a part from stock, self-check) → quality (internal acceptance) → customer1
//   (acceptance signed on the signature pad in the portal) → agent (close, survey link) → customer1
//   (satisfaction survey).
//   AFTERSALES_URL=http://127.0.0.1:18080 node --test tests/e2e/scenario.spec.mjs
// Screenshots: docs/screenshots/scenario-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, apiAs, choose, launchBrowser, loginAs, newPage, pick, screenshot, watchErrors } from './helpers.mjs';

const USERS = {
  admin: { user: 'admin', password: 'admin-demo-2026' },
  agent: { user: 'agent', password: 'agent-demo-2026' },
  dispatcher: { user: 'dispatcher', password: 'dispatcher-demo-2026' },
  tech1: { user: 'tech1', password: 'tech-demo-2026' },
  lead: { user: 'lead', password: 'lead-demo-2026' },
  pm: { user: 'pm', password: 'pm-demo-2026' },
  quality: { user: 'quality', password: 'quality-demo-2026' },
  customer1: { user: 'customer1', password: 'customer-demo-2026' },
};
const NUMBER = /^FW\d{8}-\d{4}$/;
const DATETIME = /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/;

/** The state tag in the detail header shows `state` with its Chinese label. */
async function expectState(page, state, label) {
  const tag = page.locator(`[data-testid="ticket-detail"] [data-testid="state-tag"][data-state="${state}"]`).first();
  await tag.waitFor();
  assert.equal((await tag.innerText()).trim(), label);
}

/** The action buttons this person sees right now. */
async function actionButtons(page) {
  const bar = page.getByTestId('action-bar');
  if ((await bar.count()) === 0) return [];
  return bar.locator('[data-testid^="action-"]').evaluateAll((els) => els.map((e) => e.dataset.testid.replace(/^action-/, '')));
}

/** Opens an action's form, lets `fill` fill it, submits and waits for the form to close. */
async function runAction(page, action, fill) {
  await page.getByTestId(`action-${action}`).click();
  const form = page.getByTestId(`action-form-${action}`);
  await form.waitFor();
  if (fill) await fill(form);
  // Click again only if the first click sent nothing (never a second POST).
  const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().includes(`/actions/${action}`), { timeout: 5000 })
    .catch(() => null);
  await page.getByTestId('action-submit').click();
  if (!(await sent)) await page.getByTestId('action-submit').click();
  await form.waitFor({ state: 'detached' });
}

/** A spare part in stock for the technician to draw: the demo's, else one the store receives now. */
async function partInStock() {
  const admin = await apiAs(USERS.admin);
  const stock = await admin.get('/stock?limit=200');
  const row = stock.items.find((s) => s.quantity > 0);
  if (row) return row;
  const part = await admin.post('/parts', { code: `E2E-FLT-${Date.now() % 1e8}`, name: '精密空调过滤网', spec: 'G4 595×595', unit: '片', warranty_months: 12 });
  const loc = await admin.post('/stock-locations', { name: `上海中心备件库 ${Date.now() % 1e5}`, kind: 'service_centre', service_centre_id: 1 });
  await admin.post('/stock/movements', { kind: 'receipt', part_id: part.id, location_id: loc.id, quantity: 5, reference: 'E2E-PO' });
  return { part_id: part.id, part_name: part.name, location_id: loc.id, quantity: 5 };
}

let browser;

describe('web UI: one request from the phone call to the satisfaction survey', { timeout: 300_000 }, () => {
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('agent → dispatcher → technician (phone) → lead → PM → quality → customer signs → survey', async () => {
    const people = [];
    const open = async (who, viewport) => {
      const p = await newPage(browser, viewport);
      const errors = watchErrors(p.page);
      people.push({ who: who.user, ...p, errors });
      await loginAs(p.page, who);
      return p.page;
    };
    try {
      // ── 1. The agent logs the call in the intake form ─────────────────────────────────────────
      const agent = await open(USERS.agent);
      await agent.goto(`${BASE}/tickets/new`);
      // the pickers understand pinyin: initials for the customer, full syllables for the project
      await pick(agent, '#intake_customer_id', 'hdsj', '华东数据科技有限公司');
      await pick(agent, '#intake_project_id', 'zhangjiang', '张江数据中心二期机房工程');
      await pick(agent, '#intake_asset_id', 'jmkt', '精密空调 CRAC-02');
      const title = `CRAC-02 高压告警停机 ${Date.now() % 100000}`;
      await agent.locator('#intake_title').fill(title);
      await agent.locator('#intake_description').fill('主机房 A 区精密空调 CRAC-02 高压报警停机，不制冷，冷通道温度 29℃ 并持续上升。');
      await agent.locator('#intake_demand').fill('请尽快派人到场');
      await agent.locator('#intake_contact_name').fill('林工');
      await agent.locator('#intake_contact_phone').fill('13817735502');
      await agent.getByTestId('suggestion-reasons').locator('li').first().waitFor();
      await agent.getByTestId('use-suggestion').click();
      await agent.getByTestId('intake-submit').click();

      // the acceptance number, the read-back text and the promised times
      const number = (await agent.getByTestId('acceptance-number').innerText()).trim();
      assert.match(number, NUMBER);
      const result = agent.getByTestId('intake-result');
      await result.getByText('请向客户复述', { exact: false }).waitFor();
      const dueRows = result.locator('tr.ant-table-row');
      await dueRows.first().waitFor();
      assert.ok((await dueRows.count()) >= 2, 'several promised times are read back');
      assert.match(await dueRows.first().innerText(), DATETIME);
      await screenshot(agent, 'scenario-intake.png');
      await agent.getByTestId('open-created').click();
      await agent.waitForURL((u) => /^\/tickets\/\d+$/.test(u.pathname));
      const id = Number(new URL(agent.url()).pathname.split('/').pop());
      await agent.getByTestId('ticket-number').getByText(number).waitFor();
      await expectState(agent, 'triaged', '已分级');
      let buttons = await actionButtons(agent);
      assert.ok(buttons.includes('acknowledge') && buttons.includes('contact_customer'), `agent sees ${buttons}`);
      assert.ok(!buttons.includes('dispatch'), 'an agent does not dispatch');
      // an emergency: the duty log's acknowledgement, then the call back to the customer
      await runAction(agent, 'acknowledge');
      await agent.getByTestId('timeline').getByText('受理确认').first().waitFor();
      await runAction(agent, 'contact_customer');
      await expectState(agent, 'responded', '已响应');
      assert.ok(!(await actionButtons(agent)).includes('contact_customer'));
      const respond = agent.getByTestId('milestones').locator('tr', { hasText: '响应客户' });
      await respond.getByText('已达成').waitFor();

      // ── 2. The dispatcher assigns it on the dispatch board ────────────────────────────────────
      const dispatcher = await open(USERS.dispatcher, { width: 1440, height: 900 });
      await dispatcher.goto(`${BASE}/dispatch`);
      const waiting = dispatcher.getByTestId('board-waiting').locator(`[data-number="${number}"]`);
      await waiting.waitFor();
      await waiting.getByText('紧急').waitFor();
      await waiting.click();
      const suggestion = dispatcher.getByTestId('board-suggestion').filter({ hasText: '张伟' }).first();
      await suggestion.waitFor();
      assert.match(await suggestion.innerText(), /分/, 'the suggestion shows its score and reasons');
      await suggestion.getByTestId('board-assign').click();
      await waiting.waitFor({ state: 'detached' });
      await dispatcher.goto(`${BASE}/tickets/${id}`);
      await expectState(dispatcher, 'dispatched', '已派工');
      await dispatcher.getByTestId('ticket-overview').getByText('张伟').waitFor();
      buttons = await actionButtons(dispatcher);
      assert.ok(buttons.includes('reassign') && !buttons.includes('dispatch'), `dispatcher sees ${buttons}`);

      // ── 3. The technician on his phone: depart, arrive, diagnose (with a measurement), plan ────
      const tech = await open(USERS.tech1, { width: 375, height: 740 });
      await tech.waitForURL((u) => u.pathname === '/jobs');
      const card = tech.locator(`[data-testid="job-card"][data-number="${number}"]`);
      await card.waitFor();
      assert.equal((await card.getByTestId('state-tag').innerText()).trim(), '已派工');
      await card.getByTestId('countdown').waitFor();
      await card.click();
      await tech.waitForURL((u) => u.pathname === `/jobs/${id}`);
      await expectState(tech, 'dispatched', '已派工');
      buttons = await actionButtons(tech);
      assert.ok(buttons.includes('depart') && !buttons.includes('arrive'), `technician sees ${buttons}`);
      await runAction(tech, 'depart');
      await expectState(tech, 'en_route', '在途');
      await runAction(tech, 'arrive');
      await expectState(tech, 'on_site', '已到场');
      await runAction(tech, 'record_diagnosis', async () => {
        await tech.locator('#action_record_diagnosis_findings').fill('冷凝器翅片积尘严重，散热不良导致高压保护停机；安装时室外机间距不足。');
        await choose(tech, '#action_record_diagnosis_cause', '安装');
        await choose(tech, '#action_record_diagnosis_severity', '一般');
        await tech.getByTestId('add-measurement').click();
        await tech.locator('#action_record_diagnosis_measurements_0_instrument').fill('冷媒压力表');
        await tech.locator('#action_record_diagnosis_measurements_0_value').fill('2.8');
        await tech.locator('#action_record_diagnosis_measurements_0_unit').fill('MPa');
        await screenshot(tech, 'scenario-diagnosis-phone.png');
      });
      await expectState(tech, 'diagnosed', '已诊断');
      await tech.getByTestId('records').getByText('冷媒压力表', { exact: false }).waitFor();
      await tech.getByTestId('cost-decision').getByText('免费保修').waitFor();
      await runAction(tech, 'submit_plan', async () => {
        await tech.locator('#action_submit_plan_goal').fill('清洗冷凝器、更换过滤网，恢复制冷');
        await tech.locator('#action_submit_plan_scope').fill('精密空调 CRAC-02 室外机及过滤网');
      });
      await expectState(tech, 'plan_review', '方案审核中');
      assert.ok(!(await actionButtons(tech)).includes('start_repair'), 'no repair before the plan is approved');
      let width = await tech.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 380, `page scrolls sideways at 375 px (${width})`);

      // ── 4. Technical review (tech lead) and approval (project manager) ─────────────────────────
      const lead = await open(USERS.lead);
      await lead.goto(`${BASE}/tickets/${id}`);
      await expectState(lead, 'plan_review', '方案审核中');
      await runAction(lead, 'review_plan');
      await expectState(lead, 'plan_approval', '方案审批中');
      const pm = await open(USERS.pm);
      await pm.goto(`${BASE}/tickets/${id}`);
      await expectState(pm, 'plan_approval', '方案审批中');
      await runAction(pm, 'approve_plan');
      await expectState(pm, 'plan_approved', '方案已批准');

      // ── 5. The technician repairs: start, work log with a part drawn from stock, self-check ────
      const stock = await partInStock();
      await tech.reload();
      await expectState(tech, 'plan_approved', '方案已批准');
      await runAction(tech, 'start_repair');
      await expectState(tech, 'in_repair', '维修中');
      const logs = tech.getByTestId('repair-logs');
      await logs.getByTestId('repair-log-add').click();
      const logForm = tech.getByTestId('repair-log-form');
      await logForm.waitFor();
      await tech.locator('#repair_log_work_done').fill('清洗冷凝器翅片，更换回风过滤网，复测高压 1.9 MPa，制冷恢复。');
      await tech.getByTestId('repair-add-part').click();
      await pick(tech, '#repair_log_parts_0_stock', stock.part_name.slice(0, 4), stock.part_name);
      await tech.locator('#repair_log_progress_note').fill('空调已恢复制冷，冷通道温度回落至 23℃。');
      await tech.getByTestId('repair-log-submit').click();
      await logForm.waitFor({ state: 'detached' });
      await logs.getByTestId('repair-log').first().waitFor();
      await logs.getByTestId('repair-part').filter({ hasText: stock.part_name }).waitFor();
      await logs.getByText('客户可见').first().waitFor();
      await tech.getByTestId('timeline').getByText('维修记录').first().waitFor();
      await screenshot(tech, 'scenario-repair-phone.png');
      const left = await (await apiAs(USERS.admin)).get(`/stock?part_id=${stock.part_id}&location_id=${stock.location_id}`);
      assert.equal(left.items[0].quantity, stock.quantity - 1, 'the part was drawn from stock');
      await runAction(tech, 'complete_self_check', async (form) => {
        assert.equal(await form.getByTestId('checklist').locator('input[type="checkbox"]:checked').count(), 3);
      });
      await expectState(tech, 'self_checked', '已自检');
      buttons = await actionButtons(tech);
      assert.ok(!buttons.includes('complete_self_check') && !buttons.includes('customer_accept'), `technician sees ${buttons}`);
      assert.equal(await tech.getByTestId('repair-log-add').count(), 0, 'no more work logs after the self-check');
      width = await tech.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 380, `page scrolls sideways at 375 px (${width})`);

      // ── 6. Quality accepts internally ────────────────────────────────────────────────────────
      const quality = await open(USERS.quality);
      await quality.goto(`${BASE}/tickets/${id}`);
      await expectState(quality, 'self_checked', '已自检');
      await quality.getByTestId('records').getByText('自检记录').waitFor();
      await runAction(quality, 'internal_accept', async () => {
        await quality.locator('#action_internal_accept_note').fill('现场复核：制冷正常，室外机已清洁。');
      });
      await expectState(quality, 'internally_accepted', '内部验收通过');
      assert.ok(!(await actionButtons(quality)).includes('customer_accept'), 'quality does not sign for the customer');

      // ── 7. The customer signs the acceptance in the portal ──────────────────────────────────
      const customer = await open(USERS.customer1);
      await customer.waitForURL((u) => u.pathname === '/my/requests');
      const row = customer.getByTestId('my-requests-page').locator('tr', { hasText: number });
      await row.getByTestId('portal-stage').getByText('待您验收').waitFor();
      await row.getByRole('link', { name: number }).click();
      await customer.waitForURL((u) => u.pathname === `/my/requests/${id}`);
      await customer.getByTestId('plain-status').getByText('请您验收签字', { exact: false }).waitFor();
      await customer.getByTestId('customer-progress').locator('.ant-steps-item-process', { hasText: '待您验收' }).waitFor();
      // the shared work log, not the internal acceptance
      await customer.getByTestId('repair-logs').getByText('清洗冷凝器翅片', { exact: false }).waitFor();
      assert.equal(await customer.getByTestId('timeline').getByText('内部验收通过').count(), 0, 'internal events are hidden from customers');
      buttons = await actionButtons(customer);
      assert.deepEqual(buttons.filter((b) => b.startsWith('customer_')).sort(), ['customer_accept', 'customer_reject']);
      await customer.getByTestId('action-customer_accept').click();
      const signForm = customer.getByTestId('action-form-customer_accept');
      await signForm.waitFor();
      assert.equal(await customer.locator('#action_customer_accept_signer_name').inputValue(), '林工');
      // no acceptance without a signature
      await customer.getByTestId('action-submit').click();
      await signForm.getByTestId('action-error').getByText('请先在签名框内签名').waitFor();
      const pad = signForm.getByTestId('signature-pad');
      const box = await pad.boundingBox();
      await customer.mouse.move(box.x + 30, box.y + box.height * 0.6);
      await customer.mouse.down();
      for (const [dx, dy] of [[60, -40], [110, 20], [170, -30], [230, 25], [290, -10]]) {
        await customer.mouse.move(box.x + dx, box.y + box.height * 0.5 + dy, { steps: 6 });
      }
      await customer.mouse.up();
      await signForm.getByText('已签名').waitFor();
      await customer.locator('#action_customer_accept_comment').fill('空调已恢复，现场整洁，满意。');
      await screenshot(customer, 'scenario-customer-sign.png');
      await customer.getByTestId('action-submit').click();
      await signForm.waitFor({ state: 'detached' });
      await expectState(customer, 'resolved', '已解决');
      await customer.getByTestId('customer-progress').locator('.ant-steps-item-finish', { hasText: '已完成' }).waitFor();
      await customer.getByTestId('plain-status').getByText('问题已处理完毕', { exact: false }).waitFor();
      await customer.getByTestId('attachments').getByText('签名').waitFor();
      assert.equal(await customer.getByTestId('action-customer_accept').count(), 0);

      // ── 8. The agent closes the request and sends the satisfaction survey link ───────────────
      await agent.reload();
      await expectState(agent, 'resolved', '已解决');
      await runAction(agent, 'close', async () => {
        await agent.locator('#action_close_summary').fill('冷凝器清洗、过滤网更换，客户已验收签字。');
      });
      await expectState(agent, 'closed', '已关闭');
      const rounds = agent.getByTestId('follow-ups').getByTestId('follow-up');
      await rounds.nth(2).waitFor();
      assert.deepEqual(
        (await rounds.evaluateAll((els) => els.map((e) => e.innerText.match(/\d+ 个月回访/)?.[0]))),
        ['1 个月回访', '3 个月回访', '6 个月回访'],
      );
      await rounds.first().getByTestId('send-survey').click();
      await agent.locator('.ant-popconfirm .ant-btn-primary').click();
      const link = agent.getByTestId('survey-link');
      await link.waitFor();
      const surveyUrl = (await link.innerText()).trim();
      assert.match(surveyUrl, /\/survey\/svy_[\w-]+$/);
      await screenshot(agent, 'scenario-follow-up.png');

      // ── 9. The customer answers the survey (link from the text message) ──────────────────────
      await customer.goto(surveyUrl);
      await customer.getByTestId('survey-form').waitFor();
      await customer.getByTestId('survey-info').getByText(number).waitFor();
      for (const d of ['response_speed', 'attitude', 'competence', 'effectiveness', 'communication']) {
        await customer.getByTestId(`rate-${d}`).locator('li.ant-rate-star').nth(4).locator('div[role="radio"]').click();
      }
      await customer.getByTestId('survey-comment').fill('响应迅速，处理专业。');
      await customer.getByTestId('survey-submit').click();
      await customer.getByTestId('survey-thanks').waitFor();
      // back in the portal: the rating and the timeline entry
      await customer.goto(`${BASE}/my/requests/${id}`);
      await expectState(customer, 'closed', '已关闭');
      await customer.getByTestId('follow-ups').getByTestId('follow-up-survey').getByText('5.0').waitFor();
      await customer.getByTestId('timeline').getByText('客户满意度评价').waitFor();
      await screenshot(customer, 'scenario-portal-closed.png');
      assert.equal(await customer.getByTestId('send-survey').count(), 0, 'customers do not send survey links');

      for (const p of people) assert.deepEqual(p.errors, [], `console errors for ${p.who}`);
    } finally {
      for (const p of people) await p.context.close();
    }
  });
});
