// The actions pages and API after a user-eyed QA pass (issue 18 item 3, QA items 1 to 5): the won't-fix refusal as
// a sentence, due days in words, a button named for what it does, a closed action's date and note, and the reading
// of an out-of-range answer on the list, the action page and GET /api/actions.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { actionSchema } from '../../src/docs/response-schemas.js';
import { factoryToday } from '../../src/actions/factory-day.js';
import { createMachine, createOperator } from '../support/factories.js';
import { API_TOKEN, type Harness } from '../support/harness.js';
import { useSignedInHarness, type Agent, type FormPost } from '../support/admin.js';
import { say, settle } from '../support/settle.js';

let h: Harness;
let agent: Agent;
let post: FormPost;
const ZONE = 'Asia/Kolkata';
useSignedInHarness(
  (s) => ({ h, agent, post } = s),
  () => ({ DEFAULT_TIMEZONE: ZONE }),
);

const SENTENCE = "Say why this won't be fixed (a reason is needed for Won't fix).";
const TASKS = [{ text: 'Check guard' }, { text: 'Hydraulic pressure', type: 'number', unit: 'bar', min: 5, max: 8 }];

interface ActionJson {
  id: number;
  submissionId: string;
  position: number;
  value: number | null;
  unit: string | null;
  min: number | null;
  max: number | null;
}

/** A confirmed checklist: the guard NOT OK, and 9.2 bar (above 8) with a remark: two actions. */
async function confirmedWithReading() {
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
  await say(h, operator.phoneNumber, 'NOT OK - guard loose', '9.2 - gauge needle stuck', 'CONFIRM');
  const id = (res.body as { submissionId: string }).submissionId;
  const list = await h.api.get('/api/actions');
  const mine = (list.body as { actions: ActionJson[] }).actions.filter((a) => a.submissionId === id);
  mine.sort((a, b) => a.position - b.position);
  return { submissionId: id, guard: mine[0]!, reading: mine[1]! };
}

const patch = (id: number, body: object) =>
  request(h.app).patch(`/api/actions/${id}`).set('Authorization', `Bearer ${API_TOKEN}`).send(body);

/** The list page's row of one action (its <tr>). */
async function rowOf(actionId: number, query = 'show=all') {
  const page = await agent.get(`/actions?${query}`);
  expect(page.status).toBe(200);
  const row = page.text.split('<tr').find((r) => r.includes(`href="/actions/${actionId}"`));
  expect(row, `action ${actionId} listed`).toBeDefined();
  return row!;
}

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('the actions after the QA pass', () => {
  it('when an out-of-range reading opens an action, then GET /api/actions gives its value, unit and limits, and the list and the action page say "9.2 bar, above the limit of 8 bar" (QA 5)', async () => {
    const s = await confirmedWithReading();

    expect(s.reading).toMatchObject({ position: 2, value: 9.2, unit: 'bar', min: 5, max: 8 });
    expect(s.guard).toMatchObject({ position: 1, value: null, unit: null, min: null, max: null });
    expect(() => actionSchema.parse(s.reading)).not.toThrow();
    const row = await rowOf(s.reading.id);
    expect(row).toContain('9.2 bar, above the limit of 8 bar');
    expect(row).toContain('gauge needle stuck');
    const page = await agent.get(`/actions/${s.reading.id}`);
    expect(page.text).toMatch(/id="action-reading">9\.2 bar, above the limit of 8 bar</);
  });

  it("when won't fix has no reason, then the API's 400 names note with a whole sentence, and the page shows that sentence beside the Note field (QA 1)", async () => {
    const s = await confirmedWithReading();

    const api = await patch(s.guard.id, { status: 'wont_fix' });
    const page = await post(`/actions/${s.guard.id}`, { status: 'wont_fix', ownerId: '', dueAt: '', note: '' });

    expect(api.status).toBe(400);
    expect((api.body as { error: { details: { fields: unknown[] } } }).error.details.fields).toEqual([
      { field: 'note', message: SENTENCE },
    ]);
    expect(page.status).toBe(400);
    expect(page.text).toContain(
      'id="a-note-error">Say why this won&#39;t be fixed (a reason is needed for Won&#39;t fix).<',
    );
  });

  it('when actions have due days, then the list, the action page and the submission page say them as dates in words, with "due today" or "overdue by 3 days", never the raw day (QA 2)', async () => {
    const s = await confirmedWithReading();
    const today = factoryToday(new Date(), ZONE);
    const late = addDays(today, -3);
    expect((await patch(s.guard.id, { dueAt: late })).status).toBe(200);
    expect((await patch(s.reading.id, { dueAt: today })).status).toBe(200);
    const inWords = (day: string) =>
      new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

    const lateRow = await rowOf(s.guard.id);
    const todayRow = await rowOf(s.reading.id);
    const actionPage = (await agent.get(`/actions/${s.guard.id}`)).text;
    const report = (await agent.get(`/submissions/${s.submissionId}`)).text;

    expect(lateRow).toContain(`<time datetime="${late}" data-local-date>${inWords(late)}</time>`);
    expect(lateRow).toContain('overdue by 3 days');
    expect(lateRow).not.toMatch(new RegExp(`>${late}<`));
    expect(todayRow).toContain('due today');
    expect(actionPage).toMatch(/id="action-due">.*overdue by 3 days/);
    expect(report).toContain(`due <time datetime="${late}" data-local-date>${inWords(late)}</time>`);
    expect(report).toContain('overdue by 3 days');
  });

  it('when an action is open the list offers "Handle", and once closed "View" with when it closed and its note, shortened (QA 3, QA 4)', async () => {
    const s = await confirmedWithReading();
    const note = `Gauge replaced and the pressure re-read at 7.1 bar after ten minutes of running; ${'x'.repeat(60)}`;
    expect((await patch(s.reading.id, { status: 'done', note })).status).toBe(200);

    const open = await rowOf(s.guard.id);
    const closed = await rowOf(s.reading.id);

    expect(open).toMatch(/class="btn small"[^>]*>Handle</);
    expect(open).not.toContain('Closed');
    expect(closed).toMatch(/class="btn small"[^>]*>View</);
    expect(closed).toMatch(/Closed <time datetime="[^"]+" data-local>/);
    expect(closed).toContain('Gauge replaced and the pressure re-read');
    expect(closed).toContain('…</q>');
    expect(closed).not.toContain(`${'x'.repeat(60)}</q>`);
    expect((await agent.get('/actions?show=all')).text).not.toMatch(/class="btn small"[^>]*>Open</);
  });
});
