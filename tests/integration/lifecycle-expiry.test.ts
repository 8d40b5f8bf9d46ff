// Issue 4, behaviour 4 (expiry) and the acceptance "expires_at set into the past by SQL is 'expired' within 2 minutes".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesEn } from '../../src/conversation/messages.en.js';
import { REASON_CONVERSATION_REMOVED } from '../../src/conversation/session-ending.js';
import { startHarness, type Harness } from '../support/harness.js';
import {
  assignmentOf,
  lifecyclePass,
  makeOverdue,
  operatorWithWork,
  rows,
  sessionOf,
  startSecondProcess,
  storedAnswers,
  waitUntil,
} from '../support/lifecycle.js';
import { deliver, messagesDelivery, textMessage } from '../support/meta-payloads.js';
import { say, settle } from '../support/settle.js';
import type { AssignmentStartBody } from '../support/api-bodies.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ SESSION_TTL_HOURS: '3' }, { lifecyclePollMs: 100 });
});
afterAll(async () => {
  await h?.close();
});

/** An operator half-way through a 2-question checklist (Q1 answered). */
async function halfAnswered() {
  const w = await operatorWithWork(h, ['Check oil level', 'Check belt tension']);
  const a = await w.assign();
  await say(h, w.phone, 'OK - oil fine');
  return { ...w, a };
}

const untilExpired = (assignmentId: string) =>
  waitUntil('the session to be expired', async () => (await sessionOf(h, assignmentId))?.status === 'expired');

describe('the expiry sweeper', () => {
  it('when a conversation starts, then expires_at is its start plus SESSION_TTL_HOURS', async () => {
    const { a } = await halfAnswered();

    const [s] = await rows<{ hours: number }>(
      h,
      'SELECT extract(epoch FROM expires_at - created_at) / 3600 AS hours FROM whatsapp_conversation_sessions WHERE assignment_id = $1',
      [a.id],
    );

    expect(Number(s!.hours)).toBeCloseTo(3, 3);
  });

  it('when expires_at is set into the past by SQL, then session and submission are expired, the assignment is pending with the reason, the operator is told, and the answers stay', async () => {
    const { phone, machine, template, a } = await halfAnswered();
    const submissionId = (await assignmentOf(h, a.id)).submissionId as string;

    await makeOverdue(h, a.id);
    await untilExpired(a.id);
    await settle(h);

    expect((await sessionOf(h, a.id))!.ended_at).not.toBeNull();
    const detail = await assignmentOf(h, a.id);
    expect(detail).toMatchObject({
      status: 'pending',
      statusReason: expect.stringMatching(/^Last conversation expired/),
      submissionStatus: 'expired',
    });
    expect(h.graph.textsTo(phone).at(-1)).toBe(messagesEn.expired(template.name, machine.name));
    const submission = await h.api.get(`/api/submissions/${submissionId}`);
    expect(submission.body).toMatchObject({
      status: 'expired',
      answers: [{ position: 1, status: 'OK', remarks: 'oil fine' }],
    });
  });

  it('when the operator writes after the sweep, then nothing is stored in the expired session and they are told it expired', async () => {
    const { phone, a } = await halfAnswered();
    await makeOverdue(h, a.id);
    await untilExpired(a.id);
    const before = await sessionOf(h, a.id);

    await say(h, phone, 'OK - belt fine');

    const submissionId = (await assignmentOf(h, a.id)).submissionId as string;
    expect(await storedAnswers(h, submissionId)).toHaveLength(1);
    expect((await sessionOf(h, a.id))!.answers).toEqual(before!.answers);
    expect(h.graph.textsTo(phone).at(-1)).toBe(messagesEn.expiredNoSession());
  });

  it('when a message reaches an overdue session before any sweep, then it is not stored, the session expires and the operator is told', async () => {
    await h.runtime.lifecycleWorker.stop();
    try {
      const { phone, machine, template, a } = await halfAnswered();
      await makeOverdue(h, a.id);

      await say(h, phone, 'OK - belt fine');

      expect((await sessionOf(h, a.id))!.status).toBe('expired');
      expect(await storedAnswers(h, (await assignmentOf(h, a.id)).submissionId!)).toHaveLength(1);
      expect(h.graph.textsTo(phone).at(-1)).toBe(messagesEn.expired(template.name, machine.name));
    } finally {
      h.runtime.lifecycleWorker.start();
    }
  });

  it('when the operator finishes the checklist queued behind an expired one, then the expired one waits for the manager', async () => {
    const { phone, a, assign } = await halfAnswered();
    const b = await assign(['Grease the chain']);
    await makeOverdue(h, a.id);
    await waitUntil('B to start', async () => (await assignmentOf(h, b.id)).status === 'active');

    await say(h, phone, 'OK - greased', 'CONFIRM');
    await lifecyclePass(h); // a sweeper pass after the one that started B

    expect(await assignmentOf(h, a.id)).toMatchObject({
      status: 'pending',
      statusReason: expect.stringMatching(/expired/),
    });
    expect((await sessionOf(h, a.id))!.status).toBe('expired');
  });

  it('when the manager restarts an expired assignment, then a fresh conversation and submission start and the old answers stay on the old submission', async () => {
    const { phone, a } = await halfAnswered();
    const oldSubmission = (await assignmentOf(h, a.id)).submissionId as string;
    await makeOverdue(h, a.id);
    await untilExpired(a.id);

    const res = await h.api.post(`/api/assignments/${a.id}/start`);
    await settle(h);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'active',
      statusReason: null,
      submissionStatus: 'pending',
      progress: { answered: 0 },
    });
    expect((res.body as AssignmentStartBody).submissionId).not.toBe(oldSubmission);
    expect(await storedAnswers(h, oldSubmission)).toHaveLength(1);
    expect(h.graph.textsTo(phone).at(-1)).toMatch(/^📋 Question 1 of 2/);
  });
});

describe('expiry with several processes and answers in flight', () => {
  it('when two processes sweep at once, then each overdue session expires once, its operator is told once and the next queued starts once', async () => {
    const second = await startSecondProcess(h, { lifecyclePollMs: 100 });
    try {
      const work = await Promise.all(Array.from({ length: 8 }, () => halfAnswered()));
      const queued = await Promise.all(work.map((w) => w.assign(['Grease the chain'])));

      await Promise.all(work.map((w) => makeOverdue(h, w.a.id)));
      for (const q of queued)
        await waitUntil('queued to start', async () => (await assignmentOf(h, q.id)).status === 'active');
      await settle(h);

      for (const w of work) {
        const texts = h.graph.textsTo(w.phone);
        expect(
          texts.filter((t) => t === messagesEn.expired(w.template.name, w.machine.name)),
          w.phone,
        ).toHaveLength(1);
        expect(
          texts.filter((t) => t.startsWith('📋 Question 1 of 1: Grease the chain')),
          w.phone,
        ).toHaveLength(1);
        const sessions = await rows(
          h,
          'SELECT status FROM whatsapp_conversation_sessions WHERE phone_number = $1 ORDER BY created_at',
          [w.phone],
        );
        expect(sessions).toEqual([{ status: 'expired' }, { status: 'active' }]);
      }
    } finally {
      await second.close();
    }
  });

  it('when answers are in flight as the sweeper expires their sessions, then no answer is stored in an expired session and no message fails', async () => {
    const work = await Promise.all(Array.from({ length: 10 }, () => halfAnswered()));
    await Promise.all([h.runtime.inboxWorker.stop(), h.runtime.lifecycleWorker.stop()]);
    const answers = work.map((w) => textMessage(w.phone, 'OK - belt fine'));
    for (const [i, w] of work.entries()) {
      expect((await deliver(h.app, messagesDelivery([answers[i]!]))).status).toBe(200);
      await makeOverdue(h, w.a.id);
    }

    h.runtime.lifecycleWorker.start();
    h.runtime.inboxWorker.start();
    for (const w of work) await untilExpired(w.a.id);
    await settle(h);

    for (const w of work) {
      expect(await storedAnswers(h, (await assignmentOf(h, w.a.id)).submissionId!), w.phone).toHaveLength(1);
      expect(
        h.graph.textsTo(w.phone).filter((t) => t.startsWith('⏰')),
        w.phone,
      ).toHaveLength(1);
      expect(
        h.graph.textsTo(w.phone).filter((t) => t.startsWith('📋 Question 2 of 2')),
        w.phone,
      ).toHaveLength(1);
    }
    const inbox = await rows(h, 'SELECT status, attempts FROM whatsapp_inbox WHERE wa_message_id = ANY($1)', [
      answers.map((m) => m.id),
    ]);
    expect(inbox).toEqual(answers.map(() => ({ status: 'processed', attempts: 0 })));
  });
});

describe("the deployment guide's fix for a corrupted session", () => {
  it('when the session row is deleted as the guide says, then the assignment waits for a restart with a reason, its submission ends, and a restart sends Question 1 again', async () => {
    const { phone, a, assign } = await halfAnswered();
    const queued = await assign(['Grease the chain']);
    const session = (await sessionOf(h, a.id))!;

    await h.database.pool.query(`DELETE FROM whatsapp_conversation_sessions WHERE id = '${session.id}'`);
    await waitUntil('the assignment back to pending', async () => (await assignmentOf(h, a.id)).status === 'pending');
    await waitUntil('the queued one started', async () => (await assignmentOf(h, queued.id)).status === 'active');

    expect(await assignmentOf(h, a.id)).toMatchObject({
      status: 'pending',
      statusReason: REASON_CONVERSATION_REMOVED,
      submissionStatus: 'expired',
    });
    await say(h, phone, 'OK - chain greased', 'CONFIRM');
    const restarted = await h.api.post(`/api/assignments/${a.id}/start`, {});
    await settle(h);
    expect(restarted.status, JSON.stringify(restarted.body)).toBeLessThan(300);
    expect((await assignmentOf(h, a.id)).status).toBe('active');
    expect(h.graph.textsTo(phone).at(-1)).toMatch(/^📋 Question 1 of 2/);
  });

  it('when an assignment and its session are in progress, then the sweep leaves them alone', async () => {
    const { a } = await halfAnswered();

    await lifecyclePass(h);

    expect((await assignmentOf(h, a.id)).status).toBe('active');
    expect((await sessionOf(h, a.id))!.status).toBe('active');
  });
});
