// The one apply path (src/conversation/inbound-apply.ts): a transaction locks the inbox row and the
// operator's session (SELECT ... FOR UPDATE), runs the state machine and writes the outcome. These tests
// hold those rows from another transaction, change them in between, and race two processes on one
// operator, and check that nothing is written twice, lost or applied out of order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as inboxRepo from '../../src/whatsapp/inbox-repository.js';
import { startHarness, type Harness } from '../support/harness.js';
import { answerButtonId, summaryButtonId } from '../../src/conversation/buttons.js';
import {
  buttonReply,
  operatorWithWork,
  rows,
  sessionOf,
  startSecondProcess,
  storedAnswers,
  unixNow,
  waitUntil,
} from '../support/lifecycle.js';
import { deliver, messagesDelivery, textMessage } from '../support/meta-payloads.js';
import { holdLocks, waitForLockWaiters } from '../support/pg-locks.js';
import { settle } from '../support/settle.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** An operator at Question 1 with one answer recorded but not applied (the inbox worker is stopped). */
async function answerWaiting(body: string) {
  const w = await operatorWithWork(h, ['Check oil level', 'Check belt tension']);
  const a = await w.assign();
  await settle(h);
  await h.runtime.inboxWorker.stop();
  expect((await deliver(h.app, messagesDelivery([textMessage(w.phone, body)]))).status).toBe(200);
  const [inbox] = await rows<{ id: number }>(
    h,
    `SELECT id FROM whatsapp_inbox WHERE phone_number = $1 AND status = 'pending'`,
    [w.phone],
  );
  const [session] = await rows<{ id: string }>(
    h,
    `SELECT id FROM whatsapp_conversation_sessions WHERE phone_number = $1 AND status = 'active'`,
    [w.phone],
  );
  const apply = () =>
    h.runtime.conversation.applyInbound({
      inboxId: inbox!.id,
      from: w.phone,
      operatorId: w.operator.id,
      event: { kind: 'text', body, at: new Date() },
    });
  return { w, a, session: session!, inbox: inbox!, apply };
}

/** The answer stored once, the message processed, and Question 2 sent once. */
async function expectAppliedOnce(
  phone: string,
  submissionId: string,
  inboxId: number,
  answer: { status: string; remarks: string },
) {
  expect(await storedAnswers(h, submissionId)).toMatchObject([{ position: 1, ...answer }]);
  expect(await rows(h, 'SELECT status FROM whatsapp_inbox WHERE id = $1', [inboxId])).toEqual([
    { status: 'processed' },
  ]);
  expect(h.graph.textsTo(phone).filter((t) => t.startsWith('📋 Question 2 of 2'))).toHaveLength(1);
}

const outboxCount = async (phone: string) =>
  (await rows<{ n: number }>(h, 'SELECT count(*)::int AS n FROM whatsapp_outbox WHERE phone_number = $1', [phone]))[0]!
    .n;

describe('the locked apply', () => {
  it('when another transaction holds the session row, then the apply waits for it and applies the answer once on the row as committed', async () => {
    const { w, a, session, inbox, apply } = await answerWaiting('OK - level fine');
    let outcome: Awaited<ReturnType<typeof apply>>;
    try {
      const other = await holdLocks(h, [
        'UPDATE whatsapp_conversation_sessions SET last_message_at = now() WHERE id = $1',
        [session.id],
      ]);
      const pending = apply();
      pending.catch(() => undefined); // awaited below
      try {
        // The apply's first statement locks the inbox row, then waits here for the session row.
        await waitForLockWaiters(h, 1, '%execute apply_lock%');
        expect(await storedAnswers(h, a.submissionId!)).toEqual([]);
      } finally {
        await other.commit();
      }
      outcome = await pending;
    } finally {
      h.runtime.inboxWorker.start();
    }
    await settle(h);

    expect(outcome).toEqual({ photoKept: false });
    await expectAppliedOnce(w.phone, a.submissionId!, inbox.id, { status: 'OK', remarks: 'level fine' });
  });

  it('when the inbox message was already processed, then nothing is written', async () => {
    const { w, a, inbox, apply } = await answerWaiting('NA');
    try {
      const before = await outboxCount(w.phone);
      await h.database.pool.query(
        `UPDATE whatsapp_inbox SET status = 'processed', processed_at = now() WHERE id = $1`,
        [inbox.id],
      );

      expect(await apply()).toBeNull();

      expect(await storedAnswers(h, a.submissionId!)).toEqual([]);
      expect(await outboxCount(w.phone)).toBe(before);
    } finally {
      h.runtime.inboxWorker.start();
    }
  });

  it('when nothing else runs, then the answer, the next question and the processed mark are written together', async () => {
    const { w, a, inbox, apply } = await answerWaiting('NOT OK - leak at valve');
    let outcome: Awaited<ReturnType<typeof apply>>;
    try {
      outcome = await apply();
    } finally {
      h.runtime.inboxWorker.start();
    }
    await settle(h);

    expect(outcome).toEqual({ photoKept: false });
    await expectAppliedOnce(w.phone, a.submissionId!, inbox.id, { status: 'NOT_OK', remarks: 'leak at valve' });
  });
});

describe('a session held for longer than the lock timeout', () => {
  it('when a transaction holds the session past lock_timeout, then the message waits without giving up, its last_error names only the cause, and it is applied once released', async () => {
    const { w, a, session, inbox } = await answerWaiting('OK - level fine');
    const other = await holdLocks(h, [
      'SELECT id FROM whatsapp_conversation_sessions WHERE id = $1 FOR UPDATE',
      [session.id],
    ]);
    try {
      h.runtime.inboxWorker.start();
      const timedOutAt = async () =>
        (
          await rows<{ at: string }>(
            h,
            'SELECT next_attempt_at::text AS at FROM whatsapp_inbox WHERE id = $1 AND last_error IS NOT NULL',
            [inbox.id],
          )
        )[0]?.at;
      const first = await waitUntil('a first lock timeout', timedOutAt, 30_000);
      await waitUntil('a second lock timeout', async () => ((await timedOutAt()) ?? first) !== first, 30_000);
      expect(
        await rows(h, 'SELECT status, attempts, last_error FROM whatsapp_inbox WHERE id = $1', [inbox.id]),
      ).toEqual([{ status: 'pending', attempts: 0, last_error: '55P03 canceling statement due to lock timeout' }]);
    } finally {
      await other.rollback();
    }
    await settle(h);

    await expectAppliedOnce(w.phone, a.submissionId!, inbox.id, { status: 'OK', remarks: 'level fine' });
  });
});

describe('a deadlock in the apply', () => {
  it('when the apply is chosen as a deadlock victim, then its transaction runs again and applies the answer once', async () => {
    const { w, a, session, inbox, apply } = await answerWaiting('OK - level fine');
    const before = await outboxCount(w.phone);
    let outcome: Awaited<ReturnType<typeof apply>>;
    try {
      // The apply locks the inbox row, then the session row. Hold the session row first, so the apply takes
      // the inbox row and waits; then ask for the inbox row to close the cycle. This side waits 10 s before
      // it looks for a deadlock, the apply's backend 1 s (the default), so the apply is the victim.
      const other = await holdLocks(h, `SET LOCAL deadlock_timeout = '10s'`, [
        'SELECT id FROM whatsapp_conversation_sessions WHERE id = $1 FOR UPDATE',
        [session.id],
      ]);
      const pending = apply();
      pending.catch(() => undefined); // awaited below
      try {
        await waitForLockWaiters(h, 1, '%execute apply_lock%');
        // Returns once the apply's transaction was rolled back as the victim (its retry then waits for us).
        await other.query('SELECT id FROM whatsapp_inbox WHERE id = $1 FOR UPDATE', [inbox.id]);
        expect(await storedAnswers(h, a.submissionId!)).toEqual([]);
        expect(await outboxCount(w.phone)).toBe(before);
      } finally {
        await other.rollback();
      }
      outcome = await pending;
    } finally {
      h.runtime.inboxWorker.start();
    }
    await settle(h);

    expect(outcome).toEqual({ photoKept: false });
    await expectAppliedOnce(w.phone, a.submissionId!, inbox.id, { status: 'OK', remarks: 'level fine' });
  });
});

describe('two processes on one operator', () => {
  it('when eight answers and CONFIRM arrive in one delivery with two processes draining, then each is applied once and in order', async () => {
    const tasks = Array.from({ length: 8 }, (_, i) => `Check point ${i + 1}`);
    const w = await operatorWithWork(h, tasks);
    const a = await w.assign();
    await settle(h);
    const second = await startSecondProcess(h);
    try {
      // Taps: typed answers sent before their questions were sent would be refused (decision 0007).
      const session = (await sessionOf(h, a.id))!.id;
      const t = unixNow();
      const answers = tasks.map((_, i) => buttonReply(w.phone, answerButtonId(session, i, 'OK'), 'OK', t + i));
      const confirm = buttonReply(w.phone, summaryButtonId(session, 'CONFIRM'), 'Confirm', t + tasks.length);

      const res = await deliver(h.app, messagesDelivery([...answers, confirm]));
      second.runtime.inboxWorker.kick();
      await settle(h);

      expect(res.status).toBe(200);
      expect(await storedAnswers(h, a.submissionId!)).toEqual(
        tasks.map((_, i) => ({ position: i + 1, status: 'OK', remarks: null, photo_filename: null })),
      );
      expect(await rows(h, 'SELECT status FROM checklist_submissions WHERE id = $1', [a.submissionId])).toEqual([
        { status: 'completed' },
      ]);
      const questions = h.graph.textsTo(w.phone).filter((x) => x.startsWith('📋 Question'));
      expect(questions).toEqual(
        tasks.map((_, i): unknown => expect.stringMatching(new RegExp(`^📋 Question ${i + 1} of 8`))),
      );
    } finally {
      await second.close();
    }
  });
});

describe('the operator read with the message', () => {
  it('when the inbox head is read, then the operator who sent it comes with it', async () => {
    const { w, inbox } = await answerWaiting('OK - level fine');
    try {
      const next = await inboxRepo.nextPending(h.database.db, w.phone, 0);

      expect([next?.row.id, next?.more, next?.operatorId]).toEqual([inbox.id, false, w.operator.id]);
    } finally {
      h.runtime.inboxWorker.start();
    }
  });

  it('when the phone list is read, then each phone comes with its oldest message, its operator and whether more wait, and a phone settling or waiting to retry does not come', async () => {
    const { w, inbox } = await answerWaiting('OK - level fine');
    const [stranger, retrying] = ['+919800000125', '+919800000126'];
    const t = unixNow();
    const firstId = `wamid.heads-first-${t}`;
    try {
      const delivery = messagesDelivery([
        textMessage(stranger, 'second', { timestamp: t }),
        textMessage(stranger, 'first', { timestamp: t - 5, id: firstId }),
        textMessage(retrying, 'hello'),
      ]);
      expect((await deliver(h.app, delivery)).status).toBe(200);
      await h.database.pool.query(
        `UPDATE whatsapp_inbox SET next_attempt_at = now() + interval '1 hour' WHERE phone_number = $1`,
        [retrying],
      );

      const heads = new Map((await inboxRepo.pendingHeads(h.database.db, 100, 0)).map((x) => [x.row.phoneNumber, x]));
      const settling = await inboxRepo.pendingHeads(h.database.db, 100, 60_000);

      const [mine, theirs] = [heads.get(w.phone), heads.get(stranger)];
      expect([mine?.row.id, mine?.more, mine?.operatorId]).toEqual([inbox.id, false, w.operator.id]);
      expect([theirs?.row.waMessageId, theirs?.more, theirs?.operatorId]).toEqual([firstId, true, null]);
      expect(heads.has(retrying)).toBe(false);
      expect(settling.filter((x) => [w.phone, stranger].includes(x.row.phoneNumber))).toEqual([]);
    } finally {
      await h.database.pool.query(`UPDATE whatsapp_inbox SET status = 'processed' WHERE phone_number = ANY($1)`, [
        [stranger, retrying],
      ]);
      h.runtime.inboxWorker.start();
    }
  });

  it('when the number is no operator, then the head comes with a null operator', async () => {
    const phone = '+919800000123';
    await h.runtime.inboxWorker.stop();
    try {
      expect((await deliver(h.app, messagesDelivery([textMessage(phone, 'hello')]))).status).toBe(200);

      const next = await inboxRepo.nextPending(h.database.db, phone, 0);

      expect([next?.row.phoneNumber, next?.operatorId]).toEqual([phone, null]);
    } finally {
      h.runtime.inboxWorker.start();
    }
  });

  it('when the session changed after the message was read, then the apply reads it again under its lock and applies the message once', async () => {
    const { w, a, session, inbox, apply } = await answerWaiting('OK - level fine');
    let outcome: Awaited<ReturnType<typeof apply>>;
    try {
      await inboxRepo.nextPending(h.database.db, w.phone, 0);
      await h.database.pool.query('UPDATE whatsapp_conversation_sessions SET last_message_at = now() WHERE id = $1', [
        session.id,
      ]);

      outcome = await apply();
    } finally {
      h.runtime.inboxWorker.start();
    }
    await settle(h);

    expect(outcome).toEqual({ photoKept: false });
    await expectAppliedOnce(w.phone, a.submissionId!, inbox.id, { status: 'OK', remarks: 'level fine' });
  });
});
