// Issue 16: typed questions (readings with a unit and limits, choices, free text), through signed webhooks;
// the fake Graph API shows what the operator reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMachine, createOperator } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';
import { rows } from '../support/lifecycle.js';
import { deliver, messagesDelivery, newWamid, waId } from '../support/meta-payloads.js';
import { say, settle, textOf } from '../support/settle.js';
import { errorOf, type SubmissionBody, type TemplateBody } from '../support/api-bodies.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

type TaskInput = Record<string, unknown> & { text: string };

const PRESSURE: TaskInput = { text: 'Hydraulic pressure', type: 'number', unit: 'bar', min: 5, max: 8 };
const GUARD: TaskInput = {
  text: 'Guard condition',
  type: 'choice',
  options: [{ label: 'Clean' }, { label: 'Dusty' }, { label: 'Oily' }, { label: 'Damaged', fails: true }],
};

const postTemplate = (tasks: TaskInput[]) => h.api.post('/api/templates', { name: 'Press readings', tasks });

/** An operator whose checklist on `tasks` has started (Question 1 sent). */
async function started(tasks: TaskInput[]) {
  const [operator, machine, created] = await Promise.all([createOperator(h), createMachine(h), postTemplate(tasks)]);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const template = created.body as TemplateBody;
  const res = await h.api.post('/api/assignments', {
    templateId: template.id,
    machineId: machine.id,
    operatorId: operator.id,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await settle(h);
  const submissionId = (res.body as { submissionId: string }).submissionId;
  return { phone: operator.phoneNumber, template, submissionId };
}

const submission = async (id: string) => {
  const res = await h.api.get(`/api/submissions/${id}`);
  expect(res.status).toBe(200);
  return res.body as SubmissionBody;
};

describe('POST /api/templates with typed tasks', () => {
  it.each([
    ['a min above max', [{ ...PRESSURE }, { ...PRESSURE, min: 9, max: 8 }], 'tasks[1].min'],
    ['options on a number task', [{ ...PRESSURE, options: [{ label: 'A' }, { label: 'B' }] }], 'tasks[0].options'],
    ['a unit on a check task', [{ text: 'Check oil', unit: 'bar' }], 'tasks[0].unit'],
    ['a choice with one option', [{ ...GUARD, options: [{ label: 'Clean' }] }], 'tasks[0].options'],
    [
      'a choice with 11 options',
      [{ ...GUARD, allowNa: false, options: Array.from({ length: 11 }, (_, i) => ({ label: `Option ${i + 1}` })) }],
      'tasks[0].options',
    ],
    [
      'a choice with 10 options and N/A allowed (N/A takes the tenth list row)',
      [{ ...GUARD, options: Array.from({ length: 10 }, (_, i) => ({ label: `Option ${i + 1}` })) }],
      'tasks[0].options',
    ],
    [
      'duplicate labels (case and accents ignored)',
      [{ ...GUARD, options: [{ label: 'Dañado' }, { label: 'Clean' }, { label: 'DANADO' }] }],
      'tasks[0].options[2].label',
    ],
    [
      'a label over 20 characters',
      [{ ...GUARD, options: [{ label: 'A'.repeat(21) }, { label: 'B' }] }],
      'tasks[0].options[0].label',
    ],
    ['an unknown type', [{ text: 'x', type: 'slider' }], 'tasks[0].type'],
  ])('when a template has %s, then 400 names the field (acceptance: the 400s)', async (_what, tasks, field) => {
    const res = await postTemplate(tasks);

    expect(res.status).toBe(400);
    expect(errorOf(res)?.details?.fields.map((f) => f.field)).toContain(field);
    expect(errorOf(res)?.message).toContain(field);
  });

  it('when a template has a number and a choice task, then they are stored and returned with their settings', async () => {
    const res = await postTemplate([
      { text: 'Check oil level' },
      PRESSURE,
      GUARD,
      { text: 'Serial number', type: 'text' },
    ]);

    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const tasks = (res.body as TemplateBody).tasks;
    expect(tasks.map((t) => t.type)).toEqual(['check', 'number', 'choice', 'text']);
    expect(tasks[1]).toMatchObject({ unit: 'bar', min: 5, max: 8, allowNa: true, options: null });
    expect(tasks[2]?.options).toEqual([
      { key: 'o1', label: 'Clean', fails: false },
      { key: 'o2', label: 'Dusty', fails: false },
      { key: 'o3', label: 'Oily', fails: false },
      { key: 'o4', label: 'Damaged', fails: true },
    ]);
    const again = await h.api.get(`/api/templates/${(res.body as TemplateBody).id}`);
    expect((again.body as TemplateBody).tasks).toEqual(tasks);
  });
});

describe('the conversation keeps the task definitions it started with', () => {
  it('when the template is edited during a conversation, then that conversation keeps its rules (issue 16 item 3)', async () => {
    const w = await started([{ text: 'Check oil level' }, { text: 'Check belt' }]);
    const [session] = await rows<{ task_definitions: { text: string; type: string; position: number }[] }>(
      h,
      "SELECT task_definitions FROM whatsapp_conversation_sessions WHERE submission_id = $1 AND status = 'active'",
      [w.submissionId],
    );
    expect(session?.task_definitions.map((d) => [d.position, d.text, d.type])).toEqual([
      [1, 'Check oil level', 'check'],
      [2, 'Check belt', 'check'],
    ]);
    await h.database.pool.query('UPDATE checklist_template_tasks SET requires_photo = true WHERE template_id = $1', [
      w.template.id,
    ]);

    await say(h, w.phone, 'OK - level fine', 'OK');

    const body = await submission(w.submissionId);
    expect(body.answers.map((a) => [a.position, a.status, a.type, a.value])).toEqual([
      [1, 'OK', 'check', null],
      [2, 'OK', 'check', null],
    ]);
    const last = h.graph.sent.filter((m) => m.body.to === w.phone).at(-1);
    expect(JSON.stringify(last?.body)).not.toContain('needs a photo');
  });

  it('when a session has no snapshot (started before it), then it reads its template and answers as before', async () => {
    const w = await started([{ text: 'Check oil level' }]);
    await h.database.pool.query(
      'UPDATE whatsapp_conversation_sessions SET task_definitions = NULL WHERE submission_id = $1',
      [w.submissionId],
    );

    await say(h, w.phone, 'NOT OK - low');

    expect((await submission(w.submissionId)).answers).toMatchObject([{ status: 'NOT_OK', remarks: 'low' }]);
  });
});

const last = (phone: string) => h.graph.sentTo(phone).at(-1)!;
type Row = { id: string; title: string };
const listRows = (phone: string): Row[] => {
  const b = last(phone).body as { interactive?: { type?: string; action?: { sections?: { rows: Row[] }[] } } };
  return b.interactive?.type === 'list' ? (b.interactive.action?.sections?.[0]?.rows ?? []) : [];
};
async function tapRow(phone: string, r: Row) {
  const message = {
    from: waId(phone),
    id: newWamid(),
    timestamp: String(Math.floor(Date.now() / 1000)),
    type: 'interactive',
    interactive: { type: 'list_reply', list_reply: { id: r.id, title: r.title } },
  };
  expect((await deliver(h.app, messagesDelivery([message]))).status).toBe(200);
  await settle(h);
}
const stored = (submissionId: string) =>
  rows<{
    position: number;
    status: string;
    remarks: string | null;
    value_numeric: string | null;
    value_text: string | null;
    option_key: string | null;
    unit: string | null;
    min_value: string | null;
    max_value: string | null;
  }>(
    h,
    'SELECT position, status, remarks, value_numeric, value_text, option_key, unit, min_value, max_value FROM checklist_submission_answers WHERE submission_id = $1 ORDER BY position',
    [submissionId],
  );

describe('a reading with limits (acceptance line 1)', () => {
  it('when 9,2 is typed for 5 to 8 bar, then it saves NOT_OK with value 9.2, the reply names the limit and asks what is wrong, and the note completes it', async () => {
    const w = await started([PRESSURE, GUARD]);
    expect(textOf(last(w.phone))).toContain('📋 Question 1 of 2: Hydraulic pressure\nType the value in bar (5 to 8).');

    await say(h, w.phone, '9,2');
    expect(textOf(last(w.phone))).toContain('⚠️ 9.2 bar is above the limit of 8 bar: saved as NOT OK.');
    expect(textOf(last(w.phone))).toContain('What is wrong?');
    expect(await stored(w.submissionId)).toEqual([]);

    await say(h, w.phone, 'gauge looks stuck');
    expect(await stored(w.submissionId)).toEqual([
      {
        position: 1,
        status: 'NOT_OK',
        remarks: 'gauge looks stuck',
        value_numeric: '9.2',
        value_text: null,
        option_key: null,
        unit: 'bar',
        min_value: '5',
        max_value: '8',
      },
    ]);
    expect(textOf(last(w.phone))).toContain('📋 Question 2 of 2: Guard condition');
  });

  it('when 6.5 bar - ok is typed on a second run, then it saves OK with value 6.5 and remark ok', async () => {
    const w = await started([PRESSURE, GUARD]);
    await say(h, w.phone, '6.5 bar - ok');
    expect((await stored(w.submissionId))[0]).toMatchObject({ status: 'OK', remarks: 'ok', value_numeric: '6.5' });
  });

  it('when abc is typed, then nothing is saved and the question is asked again with an example and NA', async () => {
    const w = await started([PRESSURE, GUARD]);
    await say(h, w.phone, 'abc');
    expect(await stored(w.submissionId)).toEqual([]);
    expect(textOf(last(w.phone))).toMatch(/"abc" is not a number.*for example 6\.5.*NA/s);
    expect(textOf(last(w.phone))).toContain('📋 Question 1 of 2: Hydraulic pressure');
  });
});

describe('a choice of 4 options (acceptance line 2)', () => {
  it('when the choice is asked, then it is a list of 4 rows and N/A, and a list_reply with a row id saves that label', async () => {
    const w = await started([GUARD, PRESSURE]);
    const rowsSent = listRows(w.phone);
    expect(rowsSent.map((r) => r.title)).toEqual(['Clean', 'Dusty', 'Oily', 'Damaged', 'N/A']);

    await tapRow(w.phone, rowsSent[2]!);
    expect((await stored(w.submissionId))[0]).toMatchObject({ status: 'OK', value_text: 'Oily', option_key: 'o3' });
  });

  it.each([
    ['its number', '2', 'Dusty', 'OK'],
    ['its label in another case', 'dusty', 'Dusty', 'OK'],
    ['the failing option', 'Damaged - hinge cracked', 'Damaged', 'NOT_OK'],
  ])('when %s is typed, then that option is saved', async (_what, typed, label, status) => {
    const w = await started([GUARD, PRESSURE]);
    await say(h, w.phone, typed);
    expect((await stored(w.submissionId))[0]).toMatchObject({ status, value_text: label });
  });

  it('when the failing option is tapped, then it saves NOT_OK after the note, and the summary shows values with units', async () => {
    const w = await started([GUARD, PRESSURE]);
    await tapRow(w.phone, listRows(w.phone)[3]!);
    expect(textOf(last(w.phone))).toContain('What is wrong?');
    await say(h, w.phone, 'hinge cracked', '9.2 - gauge looks stuck');
    expect(textOf(last(w.phone))).toContain('1. Guard condition - Damaged NOT OK - hinge cracked');
    expect(textOf(last(w.phone))).toContain('2. Hydraulic pressure - 9.2 bar NOT OK - gauge looks stuck');
  });
});

describe('GET /api/submissions/:id for typed answers (acceptance line 3)', () => {
  it('when a reading is answered, then value is a JSON number, with its unit and limits; a choice gives its label and key', async () => {
    const w = await started([PRESSURE, GUARD]);
    await say(h, w.phone, '6,5', '1', 'CONFIRM');

    const answers = (await submission(w.submissionId)).answers;
    expect(answers[0]).toMatchObject({
      type: 'number',
      status: 'OK',
      value: 6.5,
      unit: 'bar',
      min: 5,
      max: 8,
      optionKey: null,
    });
    expect(typeof answers[0]?.value).toBe('number');
    expect(answers[1]).toMatchObject({ type: 'choice', value: 'Clean', optionKey: 'o1', unit: null });
  });
});
