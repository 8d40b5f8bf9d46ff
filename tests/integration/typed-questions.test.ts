// Issue 16: typed questions (readings with a unit and limits, choices, free text), through signed webhooks;
// the fake Graph API shows what the operator reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMachine, createOperator } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';
import { rows } from '../support/lifecycle.js';
import { say, settle } from '../support/settle.js';
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
