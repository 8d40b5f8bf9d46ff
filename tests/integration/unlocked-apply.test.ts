// The optimistic apply (src/conversation/unlocked-apply.ts): one statement writes an applied message only if
// the session row and the inbox message are as they were read. These tests change them in between, and race
// two processes on one operator, and check that nothing is written twice, lost or applied out of order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transition } from '../../src/conversation/conversation-machine.js';
import * as sessionsRepo from '../../src/conversation/session-repository.js';
import * as inboxRepo from '../../src/whatsapp/inbox-repository.js';
import { outboxRows } from '../../src/whatsapp/outbox-repository.js';
import { startHarness, type Harness } from '../support/harness.js';
import { operatorWithWork, rows, startSecondProcess, storedAnswers, unixNow } from '../support/lifecycle.js';
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
  const snap = (await sessionsRepo.readActiveSessionByPhone(h.database.db, w.phone))!;
  const result = transition(sessionsRepo.toState(snap.row), snap.tasks, { kind: 'text', body, at: new Date() });
  const commit = () =>
    sessionsRepo.commitIfUnchanged(h.database.db, {
      sessionId: snap.row.id,
      version: snap.version,
      inboxId: inbox!.id,
      state: result.state,
      answer: result.answer ?? null,
      completed: null,
      outbox: outboxRows(result.replies).map((o) => ({ ...o, phoneNumber: w.phone, ofSession: true })),
    });
  return { w, a, snap, inbox: inbox!, commit, replies: outboxRows(result.replies).length };
}

const outboxCount = async (phone: string) =>
  (await rows<{ n: number }>(h, 'SELECT count(*)::int AS n FROM whatsapp_outbox WHERE phone_number = $1', [phone]))[0]!
    .n;

describe('the optimistic write', () => {
  it('when the session row changed after it was read, then nothing is written and the worker applies the answer once later', async () => {
    const { w, a, snap, inbox, commit } = await answerWaiting('OK - level fine');
    try {
      const before = await outboxCount(w.phone);
      await h.database.pool.query('UPDATE whatsapp_conversation_sessions SET last_message_at = now() WHERE id = $1', [
        snap.row.id,
      ]);

      expect(await commit()).toBe(false);

      expect(await storedAnswers(h, a.submissionId!)).toEqual([]);
      expect(await outboxCount(w.phone)).toBe(before);
      expect(await rows(h, 'SELECT status FROM whatsapp_inbox WHERE id = $1', [inbox.id])).toEqual([
        { status: 'pending' },
      ]);
    } finally {
      h.runtime.inboxWorker.start();
    }
    await settle(h);
    expect(await storedAnswers(h, a.submissionId!)).toMatchObject([
      { position: 1, status: 'OK', remarks: 'level fine' },
    ]);
    expect(h.graph.textsTo(w.phone).filter((t) => t.startsWith('📋 Question 2 of 2'))).toHaveLength(1);
  });

  it('when the inbox message was already processed, then nothing is written', async () => {
    const { w, a, inbox, commit } = await answerWaiting('NA');
    try {
      const before = await outboxCount(w.phone);
      await h.database.pool.query(
        `UPDATE whatsapp_inbox SET status = 'processed', processed_at = now() WHERE id = $1`,
        [inbox.id],
      );

      expect(await commit()).toBe(false);

      expect(await storedAnswers(h, a.submissionId!)).toEqual([]);
      expect(await outboxCount(w.phone)).toBe(before);
    } finally {
      h.runtime.inboxWorker.start();
    }
  });

  it('when nothing changed, then the answer, the next question and the processed mark are written together', async () => {
    const { w, a, inbox, commit } = await answerWaiting('NOT OK - leak at valve');
    let applied: boolean;
    try {
      applied = await commit();
    } finally {
      h.runtime.inboxWorker.start();
    }
    await settle(h);

    expect(applied).toBe(true);
    expect(await storedAnswers(h, a.submissionId!)).toMatchObject([
      { position: 1, status: 'NOT_OK', remarks: 'leak at valve' },
    ]);
    expect(await rows(h, 'SELECT status FROM whatsapp_inbox WHERE id = $1', [inbox.id])).toEqual([
      { status: 'processed' },
    ]);
    expect(h.graph.textsTo(w.phone).filter((t) => t.startsWith('📋 Question 2 of 2'))).toHaveLength(1);
  });
});

describe('a deadlock in the optimistic write', () => {
  it('when the write statement is chosen as a deadlock victim, then the attempt is a conflict and the retry applies the answer once', async () => {
    const { w, a, snap, inbox, replies } = await answerWaiting('OK - level fine');
    const apply = () =>
      h.runtime.conversation.applyUnlocked(inbox.id, w.phone, {
        kind: 'text',
        body: 'OK - level fine',
        at: new Date(),
      });
    let first: Awaited<ReturnType<typeof apply>>;
    let before: number;
    try {
      before = await outboxCount(w.phone);
      // The statement locks the inbox row (FOR UPDATE in its guard), then the session row. Hold the session
      // row first, so the statement takes the inbox row and waits; then ask for the inbox row to close the
      // cycle. This side waits 10 s before it looks for a deadlock, the statement's backend 1 s (the
      // default), so the statement is the victim.
      const other = await holdLocks(h, `SET LOCAL deadlock_timeout = '10s'`, [
        'SELECT id FROM whatsapp_conversation_sessions WHERE id = $1 FOR UPDATE',
        [snap.row.id],
      ]);
      try {
        const pending = apply();
        pending.catch(() => undefined); // awaited below; only keeps a rejection from counting as unhandled meanwhile
        await waitForLockWaiters(h, 1, '%update whatsapp_conversation_sessions%xmin = $2::xid%');
        await other.query('SELECT id FROM whatsapp_inbox WHERE id = $1 FOR UPDATE', [inbox.id]);
        first = await pending;
      } finally {
        await other.rollback();
      }

      expect(first).toBe('conflict');
      expect(await storedAnswers(h, a.submissionId!)).toEqual([]);
      expect(await outboxCount(w.phone)).toBe(before);
      expect(await rows(h, 'SELECT status FROM whatsapp_inbox WHERE id = $1', [inbox.id])).toEqual([
        { status: 'pending' },
      ]);

      expect(await apply()).toEqual({ photoKept: false });
      expect(await storedAnswers(h, a.submissionId!)).toMatchObject([
        { position: 1, status: 'OK', remarks: 'level fine' },
      ]);
      expect(await outboxCount(w.phone)).toBe(before + replies);
    } finally {
      h.runtime.inboxWorker.start();
    }
    await settle(h);

    expect(await storedAnswers(h, a.submissionId!)).toMatchObject([
      { position: 1, status: 'OK', remarks: 'level fine' },
    ]);
    expect(await rows(h, 'SELECT status FROM whatsapp_inbox WHERE id = $1', [inbox.id])).toEqual([
      { status: 'processed' },
    ]);
    expect(h.graph.textsTo(w.phone).filter((t) => t.startsWith('📋 Question 2 of 2'))).toHaveLength(1);
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
      const t = unixNow();
      const answers = tasks.map((_, i) => textMessage(w.phone, `OK - reading ${i + 1}`, { timestamp: t + i }));
      const confirm = textMessage(w.phone, 'CONFIRM', { timestamp: t + tasks.length });

      const res = await deliver(h.app, messagesDelivery([...answers, confirm]));
      second.runtime.inboxWorker.kick();
      await settle(h);

      expect(res.status).toBe(200);
      expect(await storedAnswers(h, a.submissionId!)).toEqual(
        tasks.map((_, i) => ({ position: i + 1, status: 'OK', remarks: `reading ${i + 1}`, photo_filename: null })),
      );
      expect(await rows(h, 'SELECT status FROM checklist_submissions WHERE id = $1', [a.submissionId])).toEqual([
        { status: 'completed' },
      ]);
      const questions = h.graph.textsTo(w.phone).filter((x) => x.startsWith('📋 Question'));
      expect(questions).toEqual(tasks.map((_, i) => expect.stringMatching(new RegExp(`^📋 Question ${i + 1} of 8`))));
    } finally {
      await second.close();
    }
  });
});

describe('the session read with the message', () => {
  it('when the inbox head is read, then the active session comes with it, as the session read alone gives it', async () => {
    const { w, snap, inbox } = await answerWaiting('OK - level fine');
    try {
      const next = await inboxRepo.nextPending(h.database.db, w.phone, 0);

      expect([next.row?.id, next.more]).toEqual([inbox.id, false]);
      expect(next.session).toEqual(snap);
    } finally {
      h.runtime.inboxWorker.start();
    }
  });

  it('when the phone has no active session, then the head comes with a null session', async () => {
    const phone = '+919800000123';
    await h.runtime.inboxWorker.stop();
    try {
      expect((await deliver(h.app, messagesDelivery([textMessage(phone, 'hello')]))).status).toBe(200);

      const next = await inboxRepo.nextPending(h.database.db, phone, 0);

      expect([next.row?.phoneNumber, next.session]).toEqual([phone, null]);
    } finally {
      h.runtime.inboxWorker.start();
    }
  });

  it('when the session changed after it was read with the message, then that attempt is a conflict and the next one, reading again, applies it once', async () => {
    const { w, a, inbox } = await answerWaiting('OK - level fine');
    const event = { kind: 'text' as const, body: 'OK - level fine', at: new Date() };
    let results: unknown[];
    try {
      const { session } = await inboxRepo.nextPending(h.database.db, w.phone, 0);
      await h.database.pool.query('UPDATE whatsapp_conversation_sessions SET last_message_at = now() WHERE id = $1', [
        session!.row.id,
      ]);

      results = [
        await h.runtime.conversation.applyUnlocked(inbox.id, w.phone, event, session),
        await h.runtime.conversation.applyUnlocked(inbox.id, w.phone, event),
      ];
    } finally {
      h.runtime.inboxWorker.start();
    }
    await settle(h);

    expect(results).toEqual(['conflict', { photoKept: false }]);
    expect(await storedAnswers(h, a.submissionId!)).toMatchObject([
      { position: 1, status: 'OK', remarks: 'level fine' },
    ]);
    expect(h.graph.textsTo(w.phone).filter((t) => t.startsWith('📋 Question 2 of 2'))).toHaveLength(1);
  });
});
