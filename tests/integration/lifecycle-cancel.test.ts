// Issue 4, behaviour 7 (a manager cancels) and the race "cancel against an answer in flight".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesEn } from '../../src/conversation/messages.en.js';
import { startHarness, type Harness } from '../support/harness.js';
import {
  assignmentOf,
  operatorWithWork,
  rows,
  sessionOf,
  startedOperators,
  storedAnswers,
} from '../support/lifecycle.js';
import { deliver, messagesDelivery, textMessage } from '../support/meta-payloads.js';
import { holdLocks, waitForLockWaiters } from '../support/pg-locks.js';
import { say, settle } from '../support/settle.js';
import { errorOf } from '../support/api-bodies.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const cancel = (id: string) => h.api.post(`/api/assignments/${id}/cancel`);

describe('a manager cancels', () => {
  it('when an active assignment is cancelled, then session and submission are cancelled, the operator is told, nothing later is stored in it, and the oldest queued one starts', async () => {
    const w = await operatorWithWork(h, ['Check oil level', 'Check belt tension']);
    const a = await w.assign();
    const b = await w.assign(['Grease the chain']);
    const c = await w.assign(['Clean the filter']);
    await say(h, w.phone, 'OK - oil fine');

    const res = await cancel(a.id);
    await settle(h);
    await say(h, w.phone, 'OK - belt fine');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'cancelled',
      session: { status: 'cancelled' },
      submissionStatus: 'cancelled',
    });
    expect(await storedAnswers(h, a.submissionId!)).toEqual([expect.objectContaining({ remarks: 'oil fine' })]);
    const texts = h.graph.textsTo(w.phone);
    expect(texts.filter((t) => t === messagesEn.cancelled(w.template.name, w.machine.name))).toHaveLength(1);
    expect(await assignmentOf(h, b.id)).toMatchObject({ status: 'active' });
    expect(await assignmentOf(h, c.id)).toMatchObject({ status: 'pending' });
    expect(texts.filter((t) => t.startsWith('📋 Question 1 of 1: Grease the chain'))).toHaveLength(1);
  });

  it('when a queued assignment is cancelled, then it never starts and the operator hears nothing of it', async () => {
    const w = await operatorWithWork(h);
    const a = await w.assign();
    const b = await w.assign(['Grease the chain']);

    const res = await cancel(b.id);
    await say(h, w.phone, 'OK', 'CONFIRM');

    expect(res.status).toBe(200);
    expect(await assignmentOf(h, a.id)).toMatchObject({ status: 'completed' });
    expect(await assignmentOf(h, b.id)).toMatchObject({ status: 'cancelled', session: null, submissionId: null });
    expect(h.graph.textsTo(w.phone).join('\n')).not.toMatch(/Grease the chain|cancelled/);
  });

  it('when a completed assignment is cancelled, then 409 and it stays completed', async () => {
    const w = await operatorWithWork(h);
    const a = await w.assign();
    await say(h, w.phone, 'OK', 'CONFIRM');

    const res = await cancel(a.id);

    expect(res.status).toBe(409);
    expect(await assignmentOf(h, a.id)).toMatchObject({ status: 'completed', submissionStatus: 'completed' });
  });
});

describe('cancel racing other work', () => {
  it('when a cancel and an answer are in flight together, then the answer is stored before the cancel or not at all, the operator is told once, and nothing fails', async () => {
    const { work, started } = await startedOperators(h, 10, ['Check oil level', 'Check belt tension']);
    const answers = work.map((w) => textMessage(w.phone, 'OK - oil fine'));

    const results = await Promise.all(
      work.flatMap((w, i) => [deliver(h.app, messagesDelivery([answers[i]!])), cancel(started[i]!.id)]),
    );
    await settle(h);

    expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    for (const [i, w] of work.entries()) {
      const a = started[i]!;
      expect(await sessionOf(h, a.id), w.phone).toMatchObject({ status: 'cancelled' });
      const stored = await storedAnswers(h, a.submissionId!);
      const outbox = await rows<{ body: string }>(
        h,
        `SELECT coalesce(payload->'text'->>'body', payload->'interactive'->'body'->>'text') AS body FROM whatsapp_outbox WHERE phone_number = $1 ORDER BY id`,
        [w.phone],
      );
      const cancelled = messagesEn.cancelled(w.template.name, w.machine.name);
      expect(
        outbox.filter((o) => o.body === cancelled),
        w.phone,
      ).toHaveLength(1);
      const q2 = outbox.findIndex((o) => o.body.startsWith('📋 Question 2 of 2'));
      // Stored means applied before the cancel: Question 2 was queued before the cancellation, never after it.
      if (stored.length === 1)
        expect([q2 >= 0, q2 < outbox.findIndex((o) => o.body === cancelled)], w.phone).toEqual([true, true]);
      else expect([stored, q2], w.phone).toEqual([[], -1]);
    }
    const inbox = await rows(h, 'SELECT status, attempts FROM whatsapp_inbox WHERE wa_message_id = ANY($1)', [
      answers.map((m) => m.id),
    ]);
    expect(inbox).toEqual(answers.map(() => ({ status: 'processed', attempts: 0 })));
  });

  it('when a queued assignment is cancelled while the end of the previous conversation starts it, then its session is cancelled too', async () => {
    const w = await operatorWithWork(h);
    const a = await w.assign();
    const b = await w.assign(['Grease the chain']);
    await say(h, w.phone, 'OK');
    // Stops the start of b after it locked b, before it inserts b's session: the new submission's foreign-key
    // check on its machine (FOR KEY SHARE) waits for this lock.
    const barrier = await holdLocks(h, [
      'SELECT id FROM machines WHERE id = (SELECT machine_id FROM checklist_assignments WHERE id = $1) FOR UPDATE',
      [b.id],
    ]);
    try {
      await deliver(h.app, messagesDelivery([textMessage(w.phone, 'CONFIRM')]));
      await waitForLockWaiters(h, 1, '%insert into checklist_submissions%');
      const cancelling = cancel(b.id).then((r) => r);
      await waitForLockWaiters(h, 1, '%checklist_assignments%for update%');
      await barrier.commit();

      expect((await cancelling).status).toBe(200);
    } finally {
      await barrier.rollback();
    }
    await settle(h);

    expect(await assignmentOf(h, a.id)).toMatchObject({ status: 'completed' });
    expect(await assignmentOf(h, b.id)).toMatchObject({ status: 'cancelled', session: { status: 'cancelled' } });
  });

  it('when the queued assignment is cancelled just as the active one is cancelled, then both cancels succeed', async () => {
    const w = await operatorWithWork(h);
    const a = await w.assign();
    const b = await w.assign(['Grease the chain']);
    await settle(h);
    // Holds b's row: cancel(a) selects b as next, then waits on its lock; meanwhile b is cancelled as cancel(b) would.
    const barrier = await holdLocks(h, ['SELECT id FROM checklist_assignments WHERE id = $1 FOR UPDATE', [b.id]]);
    let res;
    try {
      const cancelling = cancel(a.id).then((r) => r);
      // The start of the next queued one (start-repository.ts, lockNextQueued) waits for b's row.
      await waitForLockWaiters(h, 1, '%SELECT a.id, a.status, a.template_id%');
      await barrier.query(`UPDATE checklist_assignments SET status = 'cancelled', cancelled_at = now() WHERE id = $1`, [
        b.id,
      ]);
      await barrier.commit();
      res = await cancelling;
    } finally {
      await barrier.rollback();
    }

    expect([res.status, errorOf(res)?.message]).toEqual([200, undefined]);
    expect(await assignmentOf(h, a.id)).toMatchObject({ status: 'cancelled' });
  });
});
