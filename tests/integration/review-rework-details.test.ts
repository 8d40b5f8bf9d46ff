// Review and rework as a user reads them (issue 18, the QA pass on reworks): a reworked reading keeps its first
// value, the operator is told which checklist (and when) and which task, the thank-you counts a queued rework,
// the report shows the history before the decision and the signature, and the trail says who did what.
import { expect, it } from 'vitest';
import { createMachine, createOperator } from '../support/factories.js';
import type { Harness } from '../support/harness.js';
import { useSignedInHarness, type Agent, type FormPost } from '../support/admin.js';
import { say, settle } from '../support/settle.js';
import { deliver, messagesDelivery, newWamid, waId } from '../support/meta-payloads.js';
import { factoryDateTime } from '../../src/conversation/factory-time.js';

let h: Harness;
let agent: Agent;
let post: FormPost;
let csrf: string;
const ZONE = 'Asia/Kolkata';
useSignedInHarness(
  (s) => ({ h, agent, post, csrf } = s),
  () => ({ DEFAULT_TIMEZONE: ZONE }),
);

const COMMENT = 'Task 2: re-read the oil temperature after 10 minutes running';
const TASKS = [
  { text: 'Check oil level' },
  { text: 'Oil temperature', type: 'number', unit: '°C', max: 60 },
  { text: 'Hydraulic pressure', type: 'number', unit: 'bar', min: 5, max: 8 },
];

/** A confirmed checklist: oil OK, 45 °C OK, 9.2 bar NOT OK (out of range, with a note). */
async function confirmedReadings() {
  const [operator, machine, created] = await Promise.all([
    createOperator(h),
    createMachine(h),
    h.api.post('/api/templates', { name: 'Hydraulic unit readings', tasks: TASKS }),
  ]);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const res = await h.api.post('/api/assignments', {
    templateId: (created.body as { id: number }).id,
    machineId: machine.id,
    operatorId: operator.id,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await settle(h);
  await say(h, operator.phoneNumber, 'OK', '45', '9.2 - gauge needle stuck', 'CONFIRM');
  return { operator, machine, submissionId: (res.body as { submissionId: string }).submissionId };
}

/** The page's "Send back to the operator" form with these tasks ticked. */
const sendBack = (id: string, tasks: string[]) =>
  agent
    .post(`/submissions/${id}/review`)
    .type('form')
    .send({ _csrf: csrf, decision: 'rework', comment: COMMENT, tasks });

const texts = (phone: string, from: number) => h.graph.textsTo(phone).slice(from);

it('when a reading and an out-of-range reading are sent back and answered again, then the operator is told which checklist and when, each question names its task, EDIT says how many there are, and the first values stay on the API and the report (items 1, 3, 4)', async () => {
  const s = await confirmedReadings();
  const id = s.submissionId;
  const phone = s.operator.phoneNumber;
  const completedAt = ((await h.api.get(`/api/submissions/${id}`)).body as { completedAt: string }).completedAt;
  const seen = h.graph.textsTo(phone).length;

  expect((await sendBack(id, ['2', '3'])).status).toBe(303);
  await settle(h);

  const [intro, question] = texts(phone, seen);
  expect(intro).toContain(
    `"Hydraulic unit readings" for ${s.machine.name}, your checklist of ${factoryDateTime(completedAt, ZONE)}`,
  );
  expect(intro).toContain(COMMENT);
  expect(question!.split('\n')[0]).toBe('📋 Question 1 of 2: Oil temperature (task 2 of the checklist)');
  expect(question).toContain(`🛠 ${s.machine.name} · Hydraulic unit readings`);
  await say(h, phone, '58', '6.5', 'EDIT 3');
  expect(h.graph.textsTo(phone).at(-1)).toContain('There is no question 3: there are 2 questions.');
  await say(h, phone, 'CONFIRM');

  const reworks = await h.api.get(`/api/submissions/${id}/reworks`);
  expect(reworks.status).toBe(200);
  const replaced = (reworks.body as { reworks: { replaced: unknown[] }[] }).reworks[0]!.replaced;
  expect(replaced).toMatchObject([
    { position: 2, status: 'OK', type: 'number', value: 45, unit: '°C', min: null, max: 60 },
    {
      position: 3,
      status: 'NOT_OK',
      type: 'number',
      value: 9.2,
      unit: 'bar',
      min: 5,
      max: 8,
      remarks: 'gauge needle stuck',
    },
  ]);
  const page = (await agent.get(`/submissions/${id}`)).text;
  const history = page.slice(
    page.indexOf('id="answer-history"'),
    page.indexOf('</section>', page.indexOf('id="answer-history"')),
  );
  for (const shown of ['45 °C', '58 °C', '9.2 bar', 'above the limit of 8 bar', '6.5 bar'])
    expect(history).toContain(shown);
});

it("when the operator taps Edit at a rework's summary, then each row of the list names its task number as the summary does (QA: Edit list)", async () => {
  const s = await confirmedReadings();
  const phone = s.operator.phoneNumber;
  expect((await sendBack(s.submissionId, ['3'])).status).toBe(303);
  await settle(h);
  await say(h, phone, '6.5');
  const summary = h.graph.sentTo(phone).at(-1)!;
  expect(h.graph.textsTo(phone).at(-1)).toContain('1. Hydraulic pressure (task 3 of the checklist) - 6.5 bar OK');
  type Buttons = { interactive: { action: { buttons: { reply: { id: string; title: string } }[] } } };
  const edit = (summary.body as Buttons).interactive.action.buttons.find((b) => b.reply.title === 'Edit')!.reply;

  const tap = { from: waId(phone), id: newWamid(), timestamp: String(Math.floor(Date.now() / 1000)) };
  await deliver(
    h.app,
    messagesDelivery([{ ...tap, type: 'interactive', interactive: { type: 'button_reply', button_reply: edit } }]),
  );
  await settle(h);

  type List = {
    interactive: { type: string; action: { sections: { rows: { title: string; description: string }[] }[] } };
  };
  const list = (h.graph.sentTo(phone).at(-1)!.body as List).interactive;
  expect(list.type).toBe('list');
  expect(list.action.sections.flatMap((x) => x.rows).map((r) => [r.title, r.description])).toEqual([
    ['1. Hydraulic pressure', '(task 3 of the checklist) 6.5 bar OK'],
  ]);
});

it('when the report is shown after a rework, then the history comes before the decision and the signature, the trail names the tasks sent back and the operator who confirmed, and the chat count is on screen only (items 5, 6, 8)', async () => {
  const s = await confirmedReadings();
  const id = s.submissionId;
  await sendBack(id, ['2', '3']);
  await say(h, s.operator.phoneNumber, '58', '6.5', 'CONFIRM');

  const page = (await agent.get(`/submissions/${id}`)).text;

  const at = (marker: string) => page.indexOf(marker);
  expect(at('id="answer-history"')).toBeGreaterThan(0);
  expect(at('id="answer-history"')).toBeLessThan(at('id="review-forms"'));
  expect(at('id="answer-history"')).toBeLessThan(at('id="signature"'));
  expect(page).toContain('Sent task 2 (Oil temperature) and task 3 (Hydraulic pressure) back for rework');
  expect(page).toContain(
    `${s.operator.name} (operator, on WhatsApp)</strong>: Answered task 2 and task 3 again on WhatsApp and confirmed: OK, OK`,
  );
  expect(page).toMatch(/<div class="no-print"><dt>WhatsApp messages/);
  const { rows } = await h.database.pool.query<{ actor_kind: string }>(
    "SELECT actor_kind FROM audit_events WHERE submission_id = $1 AND action = 'submission.rework_confirmed'",
    [id],
  );
  expect(rows).toEqual([{ actor_kind: 'system' }]);
});

it('when a rework answered again left no NOT OK, then the dashboard lists it as waiting for a decision and says why (item 7)', async () => {
  const s = await confirmedReadings();
  await sendBack(s.submissionId, ['3']);
  await say(h, s.operator.phoneNumber, '6.5', 'CONFIRM');

  const dashboard = (await agent.get('/')).text;

  expect(dashboard).toContain('Submissions waiting for your decision');
  expect(dashboard).not.toContain('NOT OK waiting for review');
  const row = dashboard.slice(dashboard.indexOf(`/submissions/${s.submissionId}`));
  expect(row.slice(0, row.indexOf('</tr>'))).toContain('Rework answered · no NOT OK left');
});

it('when the operator is busy with another checklist, then the send-back says when it starts, and their thank-you names the rework as next instead of "nothing waiting" (items 2, 7)', async () => {
  const s = await confirmedReadings();
  const phone = s.operator.phoneNumber;
  const other = await h.api.post('/api/templates', { name: 'Guard check', tasks: [{ text: 'Check the guard' }] });
  const busy = await h.api.post('/api/assignments', {
    templateId: (other.body as { id: number }).id,
    machineId: s.machine.id,
    operatorId: s.operator.id,
  });
  expect(busy.status).toBe(201);
  await settle(h);

  await sendBack(s.submissionId, ['2']);
  const page = (await agent.get(`/submissions/${s.submissionId}`)).text;
  expect(page).toContain(
    `Sent back. It starts on WhatsApp when ${s.operator.name} finishes the checklist they are answering.`,
  );
  expect(page).toContain('Task 2.');
  const seen = h.graph.textsTo(phone).length;
  await say(h, phone, 'OK', 'CONFIRM');

  const thanks = texts(phone, seen).find((t) => t.includes('"Guard check"') && t.includes('is complete'));
  expect(thanks).toContain('➡️ Next: the checklist your manager sent back, "Hydraulic unit readings"');
  expect(thanks).not.toContain('No other checklist is waiting for you.');
});

it('when a reject comes without its reason, then the page asks for the reason the field says is kept with the submission (item 7)', async () => {
  const s = await confirmedReadings();

  await post(`/submissions/${s.submissionId}/review`, { decision: 'reject', comment: '' });
  const page = (await agent.get(`/submissions/${s.submissionId}`)).text;

  expect(page).toContain('Write the reason for rejecting; it is kept with the submission');
  expect(page).toContain('Reason (kept with the submission)');
});
