// Issue 4, behaviour 10: races against real PostgreSQL, over real HTTP (supertest). The cancel and expiry races are
// in lifecycle-cancel.test.ts and lifecycle-expiry.test.ts. Every test asserts the final database state and what each
// phone received after settle(): no deadlock, no lost answer, no doubled question, no 5xx.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesEn } from '../../src/conversation/messages.en.js';
import { createMachine, createOperator, createTemplate } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';
import { makePng } from '../support/images.js';
import {
  imageMessage,
  operatorWithWork,
  rows,
  sessionOf,
  startedOperators,
  storedAnswers,
  switchWhatsApp,
  unixNow,
} from '../support/lifecycle.js';
import { deliver, messagesDelivery, textMessage } from '../support/meta-payloads.js';
import { settle } from '../support/settle.js';
import type { AssignmentStartBody } from '../support/api-bodies.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  // The sweeper would start waiting assignments on its own; these tests start them by hand.
  await h.runtime.lifecycleWorker.stop();
});
afterAll(async () => {
  await h?.close();
});

const statuses = (results: Array<{ status: number }>) => results.map((r) => r.status);
const count = (texts: string[], prefix: string) => texts.filter((t) => t.startsWith(prefix)).length;

describe('starts racing', () => {
  it('when five starts of one pending assignment race, then one 200, four 409, one session and Question 1 sent once', async () => {
    const w = await operatorWithWork(h);
    await switchWhatsApp(h, false);
    const a = await w.assign();
    await switchWhatsApp(h, true);

    const results = await Promise.all(Array.from({ length: 5 }, () => h.api.post(`/api/assignments/${a.id}/start`)));
    await settle(h);

    expect(statuses(results).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(await rows(h, 'SELECT status FROM whatsapp_conversation_sessions WHERE assignment_id = $1', [a.id])).toEqual(
      [{ status: 'active' }],
    );
    expect(await rows(h, 'SELECT 1 FROM checklist_submissions WHERE assignment_id = $1', [a.id])).toHaveLength(1);
    expect(h.graph.textsTo(w.phone)).toEqual([expect.stringMatching(/^📋 Question 1 of 1/)]);
  });

  it('when five assignments for one idle operator are created at once, then all 201, one active, four queued, and one Question 1 sent', async () => {
    const [operator, machine, template] = await Promise.all([
      createOperator(h),
      createMachine(h),
      createTemplate(h, ['Check oil level']),
    ]);

    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        h.api.post('/api/assignments', { templateId: template.id, machineId: machine.id, operatorId: operator.id }),
      ),
    );
    await settle(h);

    expect(statuses(results)).toEqual([201, 201, 201, 201, 201]);
    const bodies = results.map((r) => r.body as AssignmentStartBody);
    expect(bodies.map((b) => b.status).sort()).toEqual(['active', 'pending', 'pending', 'pending', 'pending']);
    expect(bodies.filter((b) => b.status === 'pending').map((b) => b.statusReason)).toEqual(
      Array(4).fill(expect.stringMatching(/another checklist/)),
    );
    expect(h.graph.textsTo(operator.phoneNumber)).toHaveLength(1);
  });
});

describe('a photo and its text at the same moment', () => {
  // Inbox rows of one phone are applied in Meta's timestamp order, then arrival order, one at a time: with both
  // recorded before either is applied, the photo (earlier timestamp) is applied first and the text answer takes it.
  it.each([
    ['together', async (send: Array<() => Promise<{ status: number }>>) => Promise.all(send.map((s) => s()))],
    [
      'text recorded first',
      async (send: Array<() => Promise<{ status: number }>>) => [await send[1]!(), await send[0]!()],
    ],
  ])(
    'when the photo (t) and the text (t+1) are recorded %s, then the answer carries the photo',
    async (_how, record) => {
      const w = await operatorWithWork(h, ['Check oil level', 'Check belt tension']);
      const a = await w.assign();
      await settle(h);
      const t = unixNow();
      const photo = imageMessage(w.phone, h.graph.addMedia(makePng(), 'image/png'), { timestamp: t });
      const text = textMessage(w.phone, 'OK - x', { timestamp: t + 1 });
      await h.runtime.inboxWorker.stop();
      let results;
      try {
        results = await record([
          () => deliver(h.app, messagesDelivery([photo])),
          () => deliver(h.app, messagesDelivery([text])),
        ]);
      } finally {
        h.runtime.inboxWorker.start();
      }
      await settle(h);

      expect(statuses(results)).toEqual([200, 200]);
      const [answer] = await storedAnswers(h, a.submissionId!);
      expect(answer).toMatchObject({
        position: 1,
        status: 'OK',
        remarks: 'x',
        photo_filename: expect.stringMatching(/\.png$/),
      });
      expect(fs.readFileSync(path.join(h.photosDir, answer!.photo_filename!))).toEqual(makePng());
      expect((await sessionOf(h, a.id))!.pending_photo_url).toBeNull();
      const texts = h.graph.textsTo(w.phone);
      expect([count(texts, messagesEn.photoReceived()), count(texts, '📋 Question 2 of 2')]).toEqual([1, 1]);
    },
  );

  it('when photo and text carry the same second and race with the worker running, then the photo is never lost: on answer 1 or pending for question 2', async () => {
    const { work, started } = await startedOperators(h, 6, ['Check oil level', 'Check belt tension']);
    const t = unixNow();

    const results = await Promise.all(
      work.flatMap((w) => [
        deliver(
          h.app,
          messagesDelivery([imageMessage(w.phone, h.graph.addMedia(makePng(), 'image/png'), { timestamp: t })]),
        ),
        deliver(h.app, messagesDelivery([textMessage(w.phone, 'OK - x', { timestamp: t })])),
      ]),
    );
    await settle(h);

    expect(statuses(results).every((s) => s === 200)).toBe(true);
    for (const [i, w] of work.entries()) {
      const [answer] = await storedAnswers(h, started[i]!.submissionId!);
      const pending = (await sessionOf(h, started[i]!.id))!.pending_photo_url;
      const photo = answer!.photo_filename ?? pending;
      expect(answer, w.phone).toMatchObject({ status: 'OK', remarks: 'x' });
      expect([answer!.photo_filename, pending].filter(Boolean), w.phone).toHaveLength(1);
      expect(fs.existsSync(path.join(h.photosDir, photo!)), w.phone).toBe(true);
      expect(count(h.graph.textsTo(w.phone), '📋 Question 2 of 2'), w.phone).toBe(1);
    }
  });
});

describe('duplicates and load', () => {
  it('when the same message id is delivered 20 times at once for each of 5 operators, then each is recorded once and applied once', async () => {
    const { work, started } = await startedOperators(h, 5, ['Check oil level', 'Check belt tension']);
    const messages = work.map((w) => textMessage(w.phone, 'OK - oil fine'));

    const results = await Promise.all(
      messages.flatMap((m) => Array.from({ length: 20 }, () => deliver(h.app, messagesDelivery([m])))),
    );
    await settle(h);

    expect(new Set(statuses(results))).toEqual(new Set([200]));
    expect(
      await rows(
        h,
        'SELECT wa_message_id, status FROM whatsapp_inbox WHERE wa_message_id = ANY($1) ORDER BY wa_message_id',
        [messages.map((m) => m.id)],
      ),
    ).toEqual(
      messages
        .map((m) => ({ wa_message_id: m.id, status: 'processed' }))
        .sort((x, y) => x.wa_message_id.localeCompare(y.wa_message_id)),
    );
    for (const [i, w] of work.entries()) {
      expect(await storedAnswers(h, started[i]!.submissionId!), w.phone).toHaveLength(1);
      expect(
        h.graph.textsTo(w.phone).map((x) => x.slice(0, 16)),
        w.phone,
      ).toEqual(['📋 Question 1 of', '📋 Question 2 of']);
    }
  });

  it('when 50 operators answer at the same time, then 50 submissions complete with every answer and each question is sent exactly once', async () => {
    const [machine, template] = await Promise.all([
      createMachine(h),
      createTemplate(h, ['Check oil level', 'Check belt tension', 'Clean filter']),
    ]);
    const operators = [];
    for (let i = 0; i < 50; i++) operators.push(await createOperator(h, { name: `Operator ${i}` }));
    const assignments = await Promise.all(
      operators.map((o) =>
        h.api.post('/api/assignments', { templateId: template.id, machineId: machine.id, operatorId: o.id }),
      ),
    );
    expect(statuses(assignments)).toEqual(Array(50).fill(201));
    await settle(h, 30_000);

    const rounds = ['OK - one', 'NOT OK - two', 'NA - three', 'CONFIRM'];
    const failures: number[] = [];
    for (const [r, body] of rounds.entries()) {
      const results = await Promise.all(
        operators.map((o) =>
          deliver(h.app, messagesDelivery([textMessage(o.phoneNumber, body, { timestamp: unixNow() + r })])),
        ),
      );
      failures.push(...statuses(results).filter((s) => s !== 200));
      await settle(h, 30_000);
    }

    expect(failures).toEqual([]);
    const ids = assignments.map((a) => (a.body as AssignmentStartBody).id);
    const done = await rows<{ n: number; answers: number }>(
      h,
      `SELECT count(*)::int AS n, min((SELECT count(*) FROM checklist_submission_answers x WHERE x.submission_id = s.id))::int AS answers
       FROM checklist_submissions s WHERE s.assignment_id = ANY($1) AND s.status = 'completed'`,
      [ids],
    );
    expect(done).toEqual([{ n: 50, answers: 3 }]);
    expect(
      await rows(
        h,
        "SELECT count(*)::int AS n FROM checklist_assignments WHERE id = ANY($1) AND status = 'completed'",
        [ids],
      ),
    ).toEqual([{ n: 50 }]);
    expect(
      await rows(
        h,
        "SELECT status, count(*)::int AS n FROM whatsapp_inbox WHERE status <> 'processed' OR attempts > 0 GROUP BY status",
      ),
    ).toEqual([]);
    for (const o of operators) {
      const texts = h.graph.textsTo(o.phoneNumber);
      const seen = [1, 2, 3].map((n) => count(texts, `📋 Question ${n} of 3`));
      expect(
        [...seen, count(texts, '✅ All 3 questions answered'), count(texts, messagesEn.completed())],
        o.phoneNumber,
      ).toEqual([1, 1, 1, 1, 1]);
    }
  });
});
