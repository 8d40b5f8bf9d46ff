// Issue 4, behaviours 1 and 2: one conversation per phone, the rest queued; starting an active one is a 409.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesEn } from '../../src/conversation/messages.en.js';
import { startHarness, type Harness } from '../support/harness.js';
import { assignmentOf, makeOverdue, operatorWithWork, rows, waitUntil } from '../support/lifecycle.js';
import { say, settle } from '../support/settle.js';
import { errorOf } from '../support/api-bodies.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { lifecyclePollMs: 100 });
});
afterAll(async () => {
  await h?.close();
});

const activeSessionsOf = async (phone: string) =>
  rows<{ assignment_id: string }>(
    h,
    "SELECT assignment_id FROM whatsapp_conversation_sessions WHERE phone_number = $1 AND status = 'active'",
    [phone],
  );

/** An operator answering checklist A, with B and then C queued behind it. */
async function busyOperatorWithTwoQueued() {
  const w = await operatorWithWork(h, ['Check oil level']);
  const a = await w.assign();
  await settle(h);
  const b = await w.assign(['Grease the chain', 'Check the guard']);
  const c = await w.assign(['Clean the filter']);
  await settle(h);
  return { ...w, a, b, c };
}

describe('one conversation per phone, the rest queued', () => {
  it('when a busy operator gets two more assignments, then both stay pending, say they are queued, in line order, and nothing is sent for them', async () => {
    const { phone, a, b, c } = await busyOperatorWithTwoQueued();

    expect(a.status).toBe('active');
    for (const queued of [b, c]) {
      expect(queued).toMatchObject({ status: 'pending', statusReason: expect.stringMatching(/another checklist/) });
    }
    expect([b.queuePosition, c.queuePosition]).toEqual([1, 2]);
    expect((await activeSessionsOf(phone)).map((s) => s.assignment_id)).toEqual([a.id]);
    expect(h.graph.textsTo(phone)).toEqual([expect.stringMatching(/^📋 Question 1 of 1: Check oil level/)]);
  });

  it('when a queued assignment is started by the manager, then 202 with the queue reason and still nothing is sent', async () => {
    const { phone, b } = await busyOperatorWithTwoQueued();

    const res = await h.api.post(`/api/assignments/${b.id}/start`);

    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      status: 'pending',
      start: { started: false, reason: expect.stringMatching(/another checklist/) },
    });
    await settle(h);
    expect(h.graph.textsTo(phone)).toHaveLength(1);
  });

  const endings: Array<[string, (x: Awaited<ReturnType<typeof busyOperatorWithTwoQueued>>) => Promise<void>, RegExp]> =
    [
      ['completed', (x) => say(h, x.phone, 'OK - fine', 'CONFIRM'), /^🎉/],
      [
        'cancelled',
        async (x) => void expect((await h.api.post(`/api/assignments/${x.a.id}/cancel`)).status).toBe(200),
        /^🛑/,
      ],
      ['expired', (x) => makeOverdue(h, x.a.id), /^⏰/],
    ];

  it.each(endings)(
    'when the active conversation ends %s, then the oldest queued one starts by itself and the younger one keeps waiting',
    async (_how, end, endText) => {
      const x = await busyOperatorWithTwoQueued();

      await end(x);
      await waitUntil('B to start', async () => (await assignmentOf(h, x.b.id)).status === 'active');
      await settle(h);

      expect((await activeSessionsOf(x.phone)).map((s) => s.assignment_id)).toEqual([x.b.id]);
      expect(await assignmentOf(h, x.c.id)).toMatchObject({
        status: 'pending',
        statusReason: expect.stringMatching(/another checklist/),
      });
      const texts = h.graph.textsTo(x.phone);
      expect(texts.at(-2)).toMatch(endText);
      expect(texts.at(-1)).toMatch(/^📋 Question 1 of 2: Grease the chain/);
      expect(texts.filter((t) => t.startsWith('📋 Question 1 of 1: Clean the filter'))).toEqual([]);
    },
  );

  it('when the completed conversation makes room, then the one still waiting moves up to position 1', async () => {
    const x = await busyOperatorWithTwoQueued();

    await say(h, x.phone, 'OK - fine', 'CONFIRM');

    expect((await assignmentOf(h, x.c.id)).queuePosition).toBe(1);
  });

  // An expired assignment is pending again but waits for the manager, not in line: it must not push the queue back.
  it('when the active conversation expired, then the one still waiting is shown next in line and the expired one has no position', async () => {
    const x = await busyOperatorWithTwoQueued();

    await makeOverdue(h, x.a.id);
    await waitUntil('B to start', async () => (await assignmentOf(h, x.b.id)).status === 'active');

    expect((await assignmentOf(h, x.c.id)).queuePosition).toBe(1);
    expect(await assignmentOf(h, x.a.id)).toMatchObject({ status: 'pending', queuePosition: null });
  });

  it('when the first two conversations end, then the third starts after the second, never beside it', async () => {
    const x = await busyOperatorWithTwoQueued();
    await say(h, x.phone, 'OK - fine', 'CONFIRM');

    await say(h, x.phone, 'OK - greased', 'OK - guard fine', 'CONFIRM');

    expect(await assignmentOf(h, x.b.id)).toMatchObject({ status: 'completed' });
    expect(await assignmentOf(h, x.c.id)).toMatchObject({ status: 'active' });
    expect(h.graph.textsTo(x.phone).at(-1)).toMatch(/^📋 Question 1 of 1: Clean the filter/);
    expect(h.graph.textsTo(x.phone).filter((t) => t.startsWith(messagesEn.completed()))).toHaveLength(2);
  });
});

describe('duplicate prevention', () => {
  it('when an assignment with an active conversation is started again, then 409 and no second session', async () => {
    const w = await operatorWithWork(h);
    const a = await w.assign();

    const res = await h.api.post(`/api/assignments/${a.id}/start`);

    expect([res.status, errorOf(res)?.code]).toEqual([409, 'conflict']);
    expect(await activeSessionsOf(w.phone)).toHaveLength(1);
  });

  it('when a completed assignment is started again, then 409', async () => {
    const w = await operatorWithWork(h);
    const a = await w.assign();
    await say(h, w.phone, 'OK', 'CONFIRM');

    const res = await h.api.post(`/api/assignments/${a.id}/start`);

    expect(res.status).toBe(409);
  });

  it.each([
    ['phone', 'whatsapp_sessions_one_active_per_phone'],
    ['assignment', 'whatsapp_sessions_one_active_per_assignment'],
  ])(
    'when a second active session for one %s is inserted by SQL, then the database refuses it (%s)',
    async (what, constraint) => {
      const w = await operatorWithWork(h);
      const a = await w.assign();
      const other = await w.assign();

      const insert = h.database.pool.query(
        `INSERT INTO whatsapp_conversation_sessions (phone_number, assignment_id, submission_id, template_id, machine_id, operator_id, status, current_task_index, total_tasks, expires_at)
       SELECT CASE WHEN $3 = 'phone' THEN phone_number ELSE '+15550000000' END, CASE WHEN $3 = 'phone' THEN $1 ELSE assignment_id END,
              submission_id, template_id, machine_id, operator_id, 'active', 0, total_tasks, expires_at
       FROM whatsapp_conversation_sessions WHERE assignment_id = $2`,
        [other.id, a.id, what],
      );

      await expect(insert).rejects.toMatchObject({ code: '23505', constraint });
    },
  );
});
