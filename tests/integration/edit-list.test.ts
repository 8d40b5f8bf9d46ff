import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignChecklist } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';
import { deliver, messagesDelivery, newWamid, waId } from '../support/meta-payloads.js';
import { say, settle, textOf } from '../support/settle.js';
import { assignmentOf, submissionOf } from '../support/lifecycle.js';

// The summary's Edit button answers with a list message: a gloved operator taps the question to change
// instead of typing EDIT n. Driven through the real server, the real Graph client and the fake Graph API.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

type Sent = Harness['graph']['sent'][number];
interface ListRow {
  id: string;
  title: string;
  description?: string;
}
interface ListPayload {
  type: string;
  body: { text: string };
  action: { button: string; sections: { title?: string; rows: ListRow[] }[] };
  [key: string]: unknown;
}

const TASKS = ['Check oil level', 'Check hydraulic hoses for leaks', 'Check emergency stop', 'Clean the work area'];

/** Checks a sent message against Meta's list message format and limits; gives back its interactive part. */
function metaList(m: Sent): ListPayload {
  const { body } = m;
  expect(body).toMatchObject({ messaging_product: 'whatsapp', recipient_type: 'individual', type: 'interactive' });
  const list = body.interactive as unknown as ListPayload;
  expect(list.type).toBe('list');
  expect(Object.keys(list).every((k) => ['type', 'header', 'body', 'footer', 'action'].includes(k))).toBe(true);
  expect(list.body.text.length).toBeGreaterThan(0);
  expect(list.body.text.length).toBeLessThanOrEqual(1024);
  expect(list.action.button.length).toBeGreaterThan(0);
  expect(list.action.button.length).toBeLessThanOrEqual(20);
  expect(list.action.sections.length).toBeGreaterThanOrEqual(1);
  expect(list.action.sections.length).toBeLessThanOrEqual(10);
  for (const s of list.action.sections) {
    if (list.action.sections.length > 1) expect(s.title).toBeTruthy();
    if (s.title !== undefined) expect(s.title.length).toBeLessThanOrEqual(24);
  }
  const rows = list.action.sections.flatMap((s) => s.rows);
  expect(rows.length).toBeGreaterThanOrEqual(1);
  expect(rows.length).toBeLessThanOrEqual(10);
  expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  for (const r of rows) {
    expect(Object.keys(r).every((k) => ['id', 'title', 'description'].includes(k))).toBe(true);
    expect(r.id.length).toBeGreaterThan(0);
    expect(r.id.length).toBeLessThanOrEqual(200);
    expect(r.title.length).toBeGreaterThan(0);
    expect(r.title.length).toBeLessThanOrEqual(24);
    expect((r.description ?? '').length).toBeLessThanOrEqual(72);
  }
  return list;
}

const rowsOf = (list: ListPayload) => list.action.sections.flatMap((s) => s.rows);
const buttonsOf = (m: Sent) =>
  (
    (m.body as { interactive?: { action?: { buttons?: { reply: { id: string; title: string } }[] } } }).interactive
      ?.action?.buttons ?? []
  ).map((b) => b.reply);
const last = (phone: string) => h.graph.sentTo(phone).at(-1)!;

/** What Meta delivers when the operator taps a reply button (button_reply) or a list row (list_reply). */
async function tapped(phone: string, interactive: object) {
  const message = {
    from: waId(phone),
    id: newWamid(),
    timestamp: String(Math.floor(Date.now() / 1000)),
    type: 'interactive',
    interactive,
  };
  const res = await deliver(h.app, messagesDelivery([message]));
  expect(res.status).toBe(200);
  await settle(h);
}
const tapButton = (phone: string, b: { id: string; title: string }) =>
  tapped(phone, { type: 'button_reply', button_reply: b });
const tapRow = (phone: string, r: ListRow) => tapped(phone, { type: 'list_reply', list_reply: r });

async function atSummary(tasks: string[], answers: string[]) {
  const s = await assignChecklist(h, tasks);
  const phone = s.operator.phoneNumber;
  await h.graph.waitForSent((m) => m.to === phone);
  await settle(h);
  await say(h, phone, ...answers);
  expect(textOf(last(phone))).toMatch(/^✅ All \d+ questions answered/);
  return { phone, assignmentId: s.assignment.id };
}

const tapEdit = async (phone: string) => {
  const edit = buttonsOf(last(phone)).find((b) => b.title === 'Edit');
  expect(edit).toBeDefined();
  await tapButton(phone, edit!);
};

async function storedAnswers(assignmentId: string) {
  return (await submissionOf(h, assignmentId)).answers;
}

describe('the Edit list', () => {
  it('when Edit is tapped and row 2 is chosen, then question 2 is asked again and the new answer is submitted', async () => {
    const { phone, assignmentId } = await atSummary(TASKS, [
      'OK - oil level normal',
      'NOT OK - small leak',
      'OK',
      'NA',
    ]);

    await tapEdit(phone);

    const list = metaList(last(phone));
    expect(list.body.text).toContain('Which answer do you want to change?');
    expect(list.body.text).toContain('EDIT and its question number (1 to 4)');
    expect(list.action.button).toBe('Choose a question');
    expect(rowsOf(list).map((r) => [r.title, r.description])).toEqual([
      ['1. Check oil level', 'OK - oil level normal'],
      ['2. Check hydraulic hose…', 'NOT OK - small leak'],
      ['3. Check emergency stop', 'OK'],
      ['4. Clean the work area', 'NA'],
    ]);

    await tapRow(phone, rowsOf(list)[1]!);
    const reopened = textOf(last(phone));
    expect(reopened).toMatch(/^📋 Question 2 of 4: Check hydraulic hoses for leaks/);
    expect(reopened).toContain('Your earlier answer: NOT OK - small leak');

    await say(h, phone, 'OK - hoses dry');
    const summary = textOf(last(phone));
    expect(summary).toMatch(/^✅ All 4 questions answered/);
    expect(summary).toContain('2. Check hydraulic hoses for leaks - OK - hoses dry');

    await say(h, phone, 'CONFIRM');
    expect(textOf(last(phone))).toContain('🎉');
    expect((await assignmentOf(h, assignmentId)).status).toBe('completed');
    expect((await storedAnswers(assignmentId)).map((a) => [a.position, a.status, a.remarks])).toEqual([
      [1, 'OK', 'oil level normal'],
      [2, 'OK', 'hoses dry'],
      [3, 'OK', null],
      [4, 'NA', null],
    ]);
  });

  it('when a second row of the same list is tapped while a question is open again, then it is stale and nothing changes', async () => {
    const { phone, assignmentId } = await atSummary(TASKS, ['OK', 'OK', 'OK', 'OK']);
    await tapEdit(phone);
    const rows = rowsOf(metaList(last(phone)));
    await tapRow(phone, rows[0]!);

    await tapRow(phone, rows[2]!);

    expect(textOf(last(phone))).toMatch(/^That button belongs to an earlier question\.\n\n📋 Question 1 of 4/);
    expect((await storedAnswers(assignmentId)).map((a) => a.status)).toEqual(['OK', 'OK', 'OK', 'OK']);
    expect((await assignmentOf(h, assignmentId)).status).not.toBe('completed');
  });

  it('when the checklist has 11 questions, then Edit explains EDIT n with the summary and its buttons, as before', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `Task ${i + 1}`);
    const { phone } = await atSummary(
      eleven,
      eleven.map(() => 'OK'),
    );

    await tapEdit(phone);

    const reply = last(phone);
    expect(reply.body.interactive?.type).toBe('button');
    expect(textOf(reply)).toMatch(
      /^To change an answer, reply EDIT and its question number \(1 to 11\)\. Example: EDIT 2\n\n✅ All 11/,
    );
    expect(buttonsOf(reply).map((b) => b.title)).toEqual(['Confirm', 'Edit']);
  });
});
