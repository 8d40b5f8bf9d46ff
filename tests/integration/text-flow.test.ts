import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignChecklist, createOperator } from './../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';
import { deliver, messagesDelivery, textMessage } from '../support/meta-payloads.js';
import { settle } from '../support/settle.js';
import type { SubmissionBody } from '../support/api-bodies.js';
import { assignmentOf } from '../support/lifecycle.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Sends a text as the operator and waits for the next reply that starts with `expectStart`. */
async function answer(phone: string, body: string, expectStart: string) {
  const before = h.graph.sentTo(phone).length;
  const res = await deliver(h.app, messagesDelivery([textMessage(phone, body)]));
  expect(res.status).toBe(200);
  const reply = await h.graph.waitForSent((m) => m.to === phone && h.graph.sentTo(phone).indexOf(m) >= before);
  expect(textOf(reply)).toMatch(new RegExp(`^${escape(expectStart)}`));
  return textOf(reply);
}

const textOf = (m: { body: unknown }) => {
  const b = m.body as { text?: { body?: string }; interactive?: { body?: { text?: string } } };
  return b.text?.body ?? b.interactive?.body?.text ?? '';
};
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a text-only checklist over WhatsApp', () => {
  it('when the operator answers every question and confirms, then assignment, submission and session are completed', async () => {
    const { operator, assignment } = await assignChecklist(h);
    expect(assignment.status).toBe('active');

    const q1 = await h.graph.waitForSent((m) => m.to === operator.phoneNumber);
    expect(textOf(q1)).toMatch(/^📋 Question 1 of 3: Check oil level/);

    await answer(operator.phoneNumber, 'OK - oil level normal', '📋 Question 2 of 3: Check belt tension');
    await answer(operator.phoneNumber, 'not ok: belt worn', '📋 Question 3 of 3: Clean filter');
    const summary = await answer(operator.phoneNumber, 'NA', '✅ All 3 questions answered');
    expect(summary).toContain('1. Check oil level - OK - oil level normal');
    expect(summary).toContain('2. Check belt tension - NOT OK - belt worn');
    expect(summary).toContain('Reply CONFIRM to submit');
    await answer(operator.phoneNumber, ' confirm ', '🎉');

    const a = await assignmentOf(h, assignment.id);
    expect(a).toMatchObject({
      status: 'completed',
      submissionStatus: 'completed',
      progress: { answered: 3, total: 3 },
    });
    const s = await h.api.get(`/api/submissions/${a.submissionId}`);
    expect(s.status).toBe(200);
    expect((s.body as SubmissionBody).answers.map((x) => [x.status, x.remarks])).toEqual([
      ['OK', 'oil level normal'],
      ['NOT_OK', 'belt worn'],
      ['NA', null],
    ]);
    const session = await h.database.pool.query(
      'SELECT status, current_task_index, jsonb_array_length(answers) AS n FROM whatsapp_conversation_sessions WHERE assignment_id = $1',
      [assignment.id],
    );
    expect(session.rows).toEqual([{ status: 'completed', current_task_index: 3, n: 3 }]);
  });

  it('when the answer is not understood, then nothing is stored and the same question is asked again', async () => {
    const { operator, assignment } = await assignChecklist(h, ['Check oil level']);
    await h.graph.waitForSent((m) => m.to === operator.phoneNumber);
    const reply = await answer(operator.phoneNumber, 'maybe later', '🤔');
    expect(reply).toContain('📋 Question 1 of 1: Check oil level');
    expect((await assignmentOf(h, assignment.id)).progress.answered).toBe(0);
  });

  it('when a text sent before this checklist started arrives late, then it is not stored in it and the question is repeated', async () => {
    const { operator, assignment } = await assignChecklist(h, ['Check oil level']);
    await h.graph.waitForSent((m) => m.to === operator.phoneNumber);
    const before = h.graph.sentTo(operator.phoneNumber).length;
    const late = textMessage(operator.phoneNumber, 'OK - meant for the last checklist', {
      timestamp: Math.floor(Date.now() / 1000) - 60,
    });
    expect((await deliver(h.app, messagesDelivery([late]))).status).toBe(200);
    const reply = await h.graph.waitForSent(
      (m) => m.to === operator.phoneNumber && h.graph.sentTo(operator.phoneNumber).indexOf(m) >= before,
    );
    expect(textOf(reply)).toContain('before this checklist started');
    expect(textOf(reply)).toContain('📋 Question 1 of 1: Check oil level');
    expect((await assignmentOf(h, assignment.id)).progress.answered).toBe(0);
  });

  it('when a number that is no operator writes, then it gets one polite reply saying the number is not registered', async () => {
    const phone = '+919800000001';
    const reply = await answer(phone, 'hello', '👋');
    expect(reply).toContain('not registered');
    expect(h.graph.sentTo(phone)).toHaveLength(1);
  });
});

describe('numbers that are no operator', () => {
  const processed = async (phone: string) =>
    (
      await h.database.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM whatsapp_inbox WHERE phone_number = $1 AND status = 'processed'`,
        [phone],
      )
    ).rows[0]!.n;

  it('when an unknown number writes again and again in a day, then it gets one automatic reply, and one more a day later', async () => {
    const phone = '+919800000077';
    await deliver(h.app, messagesDelivery([textMessage(phone, 'hello'), textMessage(phone, 'anyone?')]));
    await settle(h);
    await deliver(h.app, messagesDelivery([textMessage(phone, 'hello again')]));
    await settle(h);

    expect(await processed(phone)).toBe(3);
    expect(h.graph.sentTo(phone)).toHaveLength(1);

    await h.database.pool.query(
      `UPDATE whatsapp_contacts SET auto_replied_at = now() - interval '25 hours' WHERE phone_number = $1`,
      [phone],
    );
    await deliver(h.app, messagesDelivery([textMessage(phone, 'next day')]));
    await settle(h);

    expect(h.graph.sentTo(phone)).toHaveLength(2);
  });

  it('when many unknown numbers write in one delivery, then each gets one reply, not one per message', async () => {
    const phones = Array.from({ length: 20 }, (_, i) => `+91980000${String(1000 + i)}`);
    const messages = phones.flatMap((p) => [textMessage(p, 'hi'), textMessage(p, 'hi again'), textMessage(p, '?')]);

    expect((await deliver(h.app, messagesDelivery(messages))).status).toBe(200);
    await settle(h);

    expect(phones.map((p) => h.graph.sentTo(p).length)).toEqual(phones.map(() => 1));
  });

  it('when an operator with no open checklist writes twice, then both messages get the polite reply', async () => {
    const operator = await createOperator(h);

    await deliver(h.app, messagesDelivery([textMessage(operator.phoneNumber, 'hello')]));
    await settle(h);
    await deliver(h.app, messagesDelivery([textMessage(operator.phoneNumber, 'hello?')]));
    await settle(h);

    expect(h.graph.textsTo(operator.phoneNumber)).toEqual([
      expect.stringContaining('no open checklist'),
      expect.stringContaining('no open checklist'),
    ]);
  });
});

describe('replies built from long emoji answers', () => {
  it('when two answers are "OK - a" and 600 emoji each, then both are processed and the split summary is well-formed', async () => {
    const { operator } = await assignChecklist(h, ['Check oil level', 'Check belt tension']);
    await settle(h);
    const remark = 'a' + '😀'.repeat(600);

    await deliver(h.app, messagesDelivery([textMessage(operator.phoneNumber, `OK - ${remark}`)]));
    await settle(h);
    await deliver(h.app, messagesDelivery([textMessage(operator.phoneNumber, `OK - ${remark}`)]));
    await settle(h);

    const inbox = await h.database.pool.query<{ status: string }>(
      'SELECT status FROM whatsapp_inbox WHERE phone_number = $1 ORDER BY id',
      [operator.phoneNumber],
    );
    expect(inbox.rows.map((r) => r.status)).toEqual(['processed', 'processed']);
    const texts = h.graph.textsTo(operator.phoneNumber);
    const wellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();
    expect(texts.every(wellFormed)).toBe(true);
    // Issue 14 item 5: WhatsApp shows a remark's first 100 characters; the stored answer keeps it whole.
    expect(texts.join('')).toContain(`a${'😀'.repeat(99)}…`);
    const stored = await h.database.pool.query<{ remarks: string }>(
      `SELECT remarks FROM checklist_submission_answers sa JOIN checklist_submissions s ON s.id = sa.submission_id
       JOIN operators o ON o.id = s.operator_id WHERE o.phone_number = $1 ORDER BY sa.position`,
      [operator.phoneNumber],
    );
    expect(stored.rows.map((r) => r.remarks)).toEqual([remark, remark]);
  });
});
