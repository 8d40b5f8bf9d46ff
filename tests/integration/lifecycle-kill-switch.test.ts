// Issue 4, behaviour 3 (kill switch) and the acceptance "the guide's rollback query, run while conversations are
// active, stops new ones and lets the active ones finish".
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { messagesEn } from '../../src/conversation/messages.en.js';
import { startHarness, type Harness } from '../support/harness.js';
import {
  assignmentOf,
  lifecyclePass,
  makeOverdue,
  operatorWithWork,
  sessionOf,
  switchWhatsApp,
  waitUntil,
} from '../support/lifecycle.js';
import { say, settle } from '../support/settle.js';
import type { AssignmentStartBody } from '../support/api-bodies.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { lifecyclePollMs: 100 });
});
afterEach(async () => {
  await switchWhatsApp(h, true);
});
afterAll(async () => {
  await h?.close();
});

const SWITCHED_OFF = /WhatsApp is switched off/;
const isActive = (id: string) => async () => (await assignmentOf(h, id)).status === 'active';

describe("the guide's rollback switch (system_config.whatsapp_enabled)", () => {
  it('when the rollback query runs while conversations are active, then new ones wait saying why, the active ones run to their end, and nothing queued starts', async () => {
    const busy = await operatorWithWork(h, ['Check oil level', 'Check belt tension']);
    const running = await busy.assign();
    const queued = await busy.assign(['Grease the chain']);
    const idle = await operatorWithWork(h);
    await settle(h);

    await switchWhatsApp(h, false);
    const waiting = await idle.assign();
    await say(h, busy.phone, 'OK - oil fine', 'NOT OK - belt worn', 'CONFIRM');
    await lifecyclePass(h); // a sweeper pass, which may start nothing

    expect(waiting).toMatchObject({ status: 'pending', statusReason: expect.stringMatching(SWITCHED_OFF) });
    expect(await assignmentOf(h, running.id)).toMatchObject({
      status: 'completed',
      progress: { answered: 2, total: 2 },
    });
    expect(await assignmentOf(h, queued.id)).toMatchObject({
      status: 'pending',
      statusReason: expect.stringMatching(SWITCHED_OFF),
    });
    expect(h.graph.sentTo(idle.phone)).toEqual([]);
    expect(h.graph.textsTo(busy.phone).at(-1)?.startsWith(messagesEn.completed())).toBe(true);
  });

  it('when a manager starts an assignment while switched off, then 202 with the reason and nothing is sent', async () => {
    const w = await operatorWithWork(h);
    await switchWhatsApp(h, false);
    const a = await w.assign();

    const res = await h.api.post(`/api/assignments/${a.id}/start`);
    await settle(h);

    expect(res.status).toBe(202);
    expect((res.body as AssignmentStartBody).start).toEqual({
      started: false,
      reason: expect.stringMatching(SWITCHED_OFF),
    });
    expect(h.graph.sentTo(w.phone)).toEqual([]);
  });

  it('when switched off, then an overdue active conversation still expires and the one queued behind it does not start', async () => {
    const w = await operatorWithWork(h, ['Check oil level']);
    const a = await w.assign();
    const b = await w.assign(['Grease the chain']);
    await switchWhatsApp(h, false);

    await makeOverdue(h, a.id);
    await waitUntil('expiry', async () => (await sessionOf(h, a.id))?.status === 'expired');
    await lifecyclePass(h);

    expect(await assignmentOf(h, b.id)).toMatchObject({
      status: 'pending',
      statusReason: expect.stringMatching(SWITCHED_OFF),
    });
    expect(await sessionOf(h, b.id)).toBeUndefined();
  });

  it('when switched back on, then what waited starts within seconds, without a restart, each operator oldest first', async () => {
    const one = await operatorWithWork(h);
    const two = await operatorWithWork(h);
    await switchWhatsApp(h, false);
    const first = await one.assign(['First checklist']);
    const second = await one.assign(['Second checklist']);
    const other = await two.assign(['Other checklist']);

    await switchWhatsApp(h, true);
    await waitUntil(
      'the oldest of each operator to start',
      async () => (await isActive(first.id)()) && (await isActive(other.id)()),
    );
    await settle(h);

    expect((await assignmentOf(h, second.id)).status).toBe('pending');
    expect(h.graph.textsTo(one.phone)).toEqual([expect.stringMatching(/^📋 Question 1 of 1: First checklist/)]);
    expect(h.graph.textsTo(two.phone)).toEqual([expect.stringMatching(/^📋 Question 1 of 1: Other checklist/)]);
    await say(h, one.phone, 'OK', 'CONFIRM');
    expect((await assignmentOf(h, second.id)).status).toBe('active');
    expect(h.graph.textsTo(one.phone).at(-1)).toMatch(/^📋 Question 1 of 1: Second checklist/);
  });

  it('when switched back on, then an assignment still waiting behind the one that started says it is queued, not switched off', async () => {
    const w = await operatorWithWork(h);
    await switchWhatsApp(h, false);
    const first = await w.assign(['First checklist']);
    const second = await w.assign(['Second checklist']);

    await switchWhatsApp(h, true);
    await waitUntil('the first to start', isActive(first.id));

    await waitUntil(
      'the second to say it is queued',
      async () => /another checklist/.test((await assignmentOf(h, second.id)).statusReason ?? ''),
      3000,
    );
    expect(await assignmentOf(h, second.id)).toMatchObject({ status: 'pending' });
  });

  it('when an assignment waits with the reason worded before it was rewritten (with SQL), then switching on still says it is queued', async () => {
    const w = await operatorWithWork(h);
    await switchWhatsApp(h, false);
    const first = await w.assign(['First checklist']);
    const second = await w.assign(['Second checklist']);
    await h.database.pool.query('UPDATE checklist_assignments SET status_reason = $1 WHERE id = $2', [
      'WhatsApp is switched off (system_config.whatsapp_enabled = false); it starts when switched back on',
      second.id,
    ]);

    await switchWhatsApp(h, true);
    await waitUntil('the first to start', isActive(first.id));

    await waitUntil(
      'the second to say it is queued',
      async () => /another checklist/.test((await assignmentOf(h, second.id)).statusReason ?? ''),
      3000,
    );
  });

  it('when an expired assignment is restarted while switched off, then it starts once switched back on', async () => {
    const w = await operatorWithWork(h);
    const a = await w.assign();
    await makeOverdue(h, a.id);
    await waitUntil('expiry', async () => (await sessionOf(h, a.id))?.status === 'expired');
    await switchWhatsApp(h, false);
    const restart = await h.api.post(`/api/assignments/${a.id}/start`);
    expect((restart.body as AssignmentStartBody).start).toMatchObject({
      started: false,
      reason: expect.stringMatching(SWITCHED_OFF),
    });

    await switchWhatsApp(h, true);

    await waitUntil('the restarted assignment to start', isActive(a.id), 3000);
  });
});
