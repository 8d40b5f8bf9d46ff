// Review and rework over WhatsApp (issue 18 items 1 and 2): POST /api/submissions/:id/review sends tasks back to
// the operator, who answers them again in the chat; CONFIRM replaces the answers and keeps the earlier ones.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignChecklist, createMachine, createTemplate } from '../support/factories.js';
import { API_TOKEN, startHarness, type Harness } from '../support/harness.js';
import { deliver, messagesDelivery, newWamid, waId } from '../support/meta-payloads.js';
import { createUser, useSignedInHarness, type Agent } from '../support/admin.js';
import { say, settle } from '../support/settle.js';

let h: Harness;
let agent: Agent;
useSignedInHarness((s) => ({ h, agent } = s));

const COMMENT = 'The belt is still loose: tighten it and look again';

const review = (id: string, body: object, actingUser?: string) => {
  const r = request(h.app).post(`/api/submissions/${id}/review`).set('Authorization', `Bearer ${API_TOKEN}`);
  return (actingUser ? r.set('X-Acting-User', actingUser) : r).send(body);
};

/** A confirmed two-task checklist whose second answer is NOT OK (through signed webhooks). */
async function confirmedWithNotOk() {
  const s = await assignChecklist(h, ['Check oil level', 'Check belts']);
  await settle(h);
  await say(h, s.operator.phoneNumber, 'OK', 'NOT OK - belt frayed', 'CONFIRM');
  return s;
}

const answersOf = async (submissionId: string) =>
  (
    await h.database.pool.query<{ position: number; status: string; remarks: string | null }>(
      'SELECT position, status, remarks FROM checklist_submission_answers WHERE submission_id = $1 ORDER BY position',
      [submissionId],
    )
  ).rows;

const historyOf = async (submissionId: string) =>
  (
    await h.database.pool.query<{ position: number; status: string; remarks: string | null }>(
      'SELECT position, status, remarks FROM submission_answer_versions WHERE submission_id = $1 ORDER BY id',
      [submissionId],
    )
  ).rows;

/** The texts the operator got after the first `from` ones. */
const textsSince = (phone: string, from: number) => h.graph.textsTo(phone).slice(from);

/** Answers the rework's one question OK and confirms; then the submission's review is pending again. */
async function answerReworkOk(submissionId: string, phone: string) {
  await say(h, phone, 'OK', 'CONFIRM');
  expect(await answersOf(submissionId)).toEqual([
    { position: 1, status: 'OK', remarks: null },
    { position: 2, status: 'OK', remarks: null },
  ]);
  expect(await historyOf(submissionId)).toEqual([{ position: 2, status: 'NOT_OK', remarks: 'belt frayed' }]);
  const after = (await h.api.get(`/api/submissions/${submissionId}`)).body as { reviewStatus: string };
  expect(after.reviewStatus).toBe('pending');
}

describe('sending tasks back for rework over WhatsApp', () => {
  it('when tasks [2] are sent back, then the operator gets the checklist and the comment, then Question 1 of 1 with task 2; OK and CONFIRM replace answer 2, keep the earlier one and set pending; approve sets approved (acceptance line 2)', async () => {
    const s = await confirmedWithNotOk();
    const id = s.assignment.submissionId;
    const seen = h.graph.textsTo(s.operator.phoneNumber).length;

    const res = await review(id, { decision: 'rework', tasks: [2], comment: COMMENT });
    await settle(h);

    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((res.body as { reviewStatus: string }).reviewStatus).toBe('rework');
    const texts = textsSince(s.operator.phoneNumber, seen);
    expect(texts[0]).toContain(s.template.name);
    expect(texts[0]).toContain(COMMENT);
    expect(texts[1]).toMatch(/^📋 Question 1 of 1/);
    expect(texts[1]).toContain('Check belts');
    await answerReworkOk(id, s.operator.phoneNumber);

    const approved = await review(id, { decision: 'approve' });

    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ reviewStatus: 'approved', needsReview: false });
  });

  it('when the operator is busy on another checklist, then the rework waits and starts by itself when that one is confirmed (acceptance line 2)', async () => {
    const s = await confirmedWithNotOk();
    const id = s.assignment.submissionId;
    const [machine, template] = await Promise.all([createMachine(h), createTemplate(h, ['Check the guard'])]);
    const other = await h.api.post('/api/assignments', {
      templateId: template.id,
      machineId: machine.id,
      operatorId: s.operator.id,
    });
    expect(other.status).toBe(201);
    await settle(h);
    const seen = h.graph.textsTo(s.operator.phoneNumber).length;

    const res = await review(id, { decision: 'rework', tasks: [2], comment: COMMENT });
    await settle(h);

    expect(res.status).toBe(200);
    expect((res.body as { start: { started: boolean } }).start.started).toBe(false);
    expect(textsSince(s.operator.phoneNumber, seen).join('\n')).not.toContain(COMMENT);
    await say(h, s.operator.phoneNumber, 'OK', 'CONFIRM');
    const texts = textsSince(s.operator.phoneNumber, seen);
    const intro = texts.findIndex((t) => t.includes(COMMENT));
    expect(intro).toBeGreaterThan(0);
    expect(texts[intro + 1]).toMatch(/^📋 Question 1 of 1/);
    expect(texts[intro + 1]).toContain('Check belts');
    await answerReworkOk(id, s.operator.phoneNumber);
  });
});

describe('review requests that are refused', () => {
  it.each([
    ['tasks', { decision: 'rework', comment: COMMENT }],
    ['comment', { decision: 'rework', tasks: [2] }],
  ])('when rework comes without %s, then it is a 400 naming the field (acceptance line 3)', async (field, body) => {
    const s = await confirmedWithNotOk();

    const res = await review(s.assignment.submissionId, body);

    expect(res.status).toBe(400);
    const fields = (res.body as { error: { details: { fields: { field: string }[] } } }).error.details.fields;
    expect(fields.map((f) => f.field)).toContain(field);
  });

  it('when the submission is not confirmed yet, then a review is a 409 (acceptance line 3)', async () => {
    const s = await assignChecklist(h, ['Check oil level', 'Check belts']);
    await settle(h);

    const res = await review(s.assignment.submissionId, { decision: 'approve' });

    expect(res.status).toBe(409);
  });
});

describe('the audit trail of a review', () => {
  it('when an account sends back and approves through the API, then the trail lists both with that account (acceptance line 7)', async () => {
    const s = await confirmedWithNotOk();
    const id = s.assignment.submissionId;
    const user = await createUser(h.database.db, { email: 'reviewer@example.com' });

    expect((await review(id, { decision: 'rework', tasks: [2], comment: COMMENT }, user.email)).status).toBe(200);
    await settle(h);
    await say(h, s.operator.phoneNumber, 'OK', 'CONFIRM');
    expect((await review(id, { decision: 'approve' }, user.email)).status).toBe(200);

    const { rows } = await h.database.pool.query<{ action: string; actor_user_id: number | null; actor_label: string }>(
      "SELECT action, actor_user_id, actor_label FROM audit_events WHERE submission_id = $1 AND action LIKE 'submission.%' ORDER BY id",
      [id],
    );
    expect(rows.map((r) => r.action)).toEqual([
      'submission.rework_requested',
      'submission.rework_confirmed',
      'submission.approved',
    ]);
    // The confirm is the operator's, on WhatsApp (no account); the others are the account's.
    for (const r of rows.filter((x) => x.action !== 'submission.rework_confirmed')) {
      expect(r.actor_user_id).toBe(user.id);
      expect(r.actor_label).toContain('reviewer@example.com');
    }
    const page = await agent.get(`/submissions/${id}`);
    expect(page.text).toContain('Sent task 2 (Check belts) back for rework');
    expect(page.text).toContain('Approved the submission');
  });
});

describe('a rework outside the 24-hour window', () => {
  let t: Harness;
  beforeAll(async () => {
    t = await startHarness({ WHATSAPP_START_TEMPLATE: 'checklist_start', WHATSAPP_TEMPLATE_LANGUAGE: 'en' });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The operator taps Start on the start template. */
  const tapStart = async (phone: string) => {
    const button = { payload: 'Start', text: 'Start' };
    const msg = { from: waId(phone), id: newWamid(), timestamp: String(Math.floor(Date.now() / 1000)), button };
    await deliver(t.app, messagesDelivery([{ ...msg, type: 'button' }]));
    await settle(t);
  };

  it('when the operator last wrote over 24 hours ago, then the start template goes first and the comment and Question 1 of 1 follow their reply (acceptance line 2)', async () => {
    const s = await assignChecklist(t, ['Check oil level', 'Check belts']);
    await settle(t);
    await tapStart(s.operator.phoneNumber);
    await say(t, s.operator.phoneNumber, 'OK', 'NOT OK - belt frayed', 'CONFIRM');
    await t.database.pool.query(
      "UPDATE whatsapp_contacts SET last_inbound_at = now() - interval '25 hours' WHERE phone_number = $1",
      [s.operator.phoneNumber],
    );
    const seen = t.graph.sentTo(s.operator.phoneNumber).length;

    const res = await request(t.app)
      .post(`/api/submissions/${s.assignment.submissionId}/review`)
      .set('Authorization', `Bearer ${API_TOKEN}`)
      .send({ decision: 'rework', tasks: [2], comment: COMMENT });
    await settle(t);

    expect(res.status).toBe(200);
    const first = t.graph.sentTo(s.operator.phoneNumber).slice(seen);
    expect(first.map((m) => m.type)).toEqual(['template']);
    await tapStart(s.operator.phoneNumber);
    const texts = t.graph.textsTo(s.operator.phoneNumber).slice(seen + 1);
    expect(texts[0]).toContain(COMMENT);
    expect(texts[1]).toMatch(/^📋 Question 1 of 1/);
    expect(texts[1]).toContain('Check belts');
  });
});
