import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesEn } from '../../src/conversation/messages.en.js';
import { assignChecklist } from '../support/factories.js';
import { startFaultHarness } from '../support/fault-harness.js';
import type { Harness } from '../support/harness.js';
import { answerButtonId } from '../../src/conversation/buttons.js';
import { buttonReply, rows, sessionOf, storedAnswers, waitUntil } from '../support/lifecycle.js';
import { expectTranscript } from '../support/operator-driver.js';
import { deliver, messagesDelivery } from '../support/meta-payloads.js';
import { say, settle } from '../support/settle.js';

const UNAVAILABLE = { status: 503, code: 2, title: 'Service temporarily unavailable' } as const;
const TASKS = ['Check oil level', 'Check belt tension', 'Clean filter'];

async function unsent(h: Harness) {
  const [r] = await rows<{ backlog: number; failed: number; heads_retried: number }>(
    h,
    `SELECT count(*) FILTER (WHERE status IN ('pending', 'sending'))::int AS backlog,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            count(*) FILTER (WHERE status IN ('pending', 'sending') AND attempts >= 2)::int AS heads_retried
     FROM whatsapp_outbox`,
  );
  return r!;
}

/**
 * Taps OK on each question one after the other (each acknowledged before the next), without waiting for replies.
 * Taps: a typed answer to a question that has not reached the phone is not taken (decision 0007).
 */
async function answerInOrder(h: Harness, phone: string, sessionId: string, count: number) {
  for (let i = 0; i < count; i++) {
    const res = await deliver(h.app, messagesDelivery([buttonReply(phone, answerButtonId(sessionId, i, 'OK'), 'OK')]));
    expect(res.status).toBe(200);
  }
}

describe('the Graph API is down for a while', () => {
  let h: Harness;
  beforeAll(async () => {
    // Retries back off from 100 ms to 2 s, so the 12 attempts the outbox allows take over 15 s: far
    // longer than this outage, which lasts as long as the test takes to drive the answers (about 1 s).
    h = await startFaultHarness({ backoffMs: (attempt) => Math.min(2000, 100 * 2 ** (attempt - 1)) });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when answers keep coming while every send fails with 503, then the replies pile up and, once it is back, each operator gets each question once and in order', async () => {
    const started = await Promise.all([1, 2, 3, 4].map(() => assignChecklist(h, TASKS)));
    const phones = started.map((s) => s.operator.phoneNumber);
    await settle(h);
    const stopFailing = h.graph.failWhen(() => true, UNAVAILABLE);
    const sentBefore = h.graph.sent.length;

    // Operators who know the checklist answer every question without waiting for the next one.
    const sessions = await Promise.all(started.map(async (s) => (await sessionOf(h, s.assignment.id))!.id));
    await Promise.all(phones.map((phone, i) => answerInOrder(h, phone, sessions[i]!, TASKS.length)));
    const down = await waitUntil(
      "every reply queued and each phone's head retried",
      async () => {
        const inboxPending = await rows<{ n: number }>(
          h,
          `SELECT count(*)::int AS n FROM whatsapp_inbox WHERE status = 'pending'`,
        );
        const u = await unsent(h);
        const piledUp = u.backlog === phones.length * TASKS.length && u.heads_retried === phones.length;
        return inboxPending[0]!.n === 0 && (piledUp || u.failed > 0) ? u : null;
      },
      20_000,
    );

    expect(down).toMatchObject({ backlog: 12, failed: 0 });
    expect(h.graph.sent.length).toBe(sentBefore);
    stopFailing();
    await settle(h, 20_000);
    for (const phone of phones) await say(h, phone, 'CONFIRM');

    expect(await unsent(h)).toMatchObject({ backlog: 0, failed: 0 });
    for (const [i, phone] of phones.entries()) {
      expectTranscript(h.graph.textsTo(phone), TASKS);
      expect(await storedAnswers(h, started[i]!.assignment.submissionId)).toEqual(
        TASKS.map((_, k) => ({ position: k + 1, status: 'OK', remarks: null, photo_filename: null })),
      );
    }
  });
});

describe('the Graph API is down longer than the outbox retries', () => {
  let h: Harness;
  beforeAll(async () => {
    // 1 ms backoff: the 12 attempts run out at once, as they do after about 18 minutes with the default backoff.
    h = await startFaultHarness({ backoffMs: () => 1 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when the outage outlasts 12 attempts, then the question is still sent once the Graph API is back', async () => {
    const stopFailing = h.graph.failWhen(() => true, UNAVAILABLE);
    const { operator, machine, template } = await assignChecklist(h, TASKS);
    // Down until a 13th attempt, or until the outbox stops trying (then there will be no 13th).
    await waitUntil(
      'more than 12 attempts, or none left',
      async () => h.graph.attempts > 12 || (await unsent(h)).failed === 1,
    );
    stopFailing();

    await waitUntil(
      'Question 1 delivered',
      () =>
        h.graph
          .textsTo(operator.phoneNumber)
          .includes(messagesEn.question(1, 3, TASKS[0]!, false, { template: template.name, machine: machine.name })),
      5000,
    );
  });
});
