// QA findings: Question 1 did not say which machine and checklist it is about (queued checklists arrive
// back to back), and a photo replaced through EDIT stayed in the photos folder for ever.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesEn } from '../../src/conversation/messages.en.js';
import { createMachine, createOperator } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';
import { makePng } from '../support/images.js';
import { assignmentOf, makeOverdue, waitUntil } from '../support/lifecycle.js';
import { deliver, messagesDelivery, newWamid, waId } from '../support/meta-payloads.js';
import { say, settle, textOf } from '../support/settle.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ REMINDER_AFTER_MINUTES: '1' }, { lifecyclePollMs: 100 });
});
afterAll(async () => {
  await h?.close();
});

type TaskInput = { text: string; requiresPhoto?: boolean };

async function createTemplate(name: string, tasks: TaskInput[]) {
  const res = await h.api.post('/api/templates', { name, tasks });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: number; name: string };
}

async function assign(templateId: number, machineId: number, operatorId: number) {
  const res = await h.api.post('/api/assignments', { templateId, machineId, operatorId });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; status: string };
}

/** An operator with a checklist on one machine and a second checklist on another machine, neither assigned yet. */
async function operatorWithTwoMachines() {
  const [operator, lathe, press] = await Promise.all([
    createOperator(h),
    createMachine(h, { name: 'Lathe 1' }),
    createMachine(h, { name: 'Press 9' }),
  ]);
  const daily = await createTemplate('Daily lathe check', [{ text: 'Check oil level' }, { text: 'Check belts' }]);
  const weekly = await createTemplate('Weekly press check', [{ text: 'Grease the chain' }]);
  return { operator, lathe, press, daily, weekly, phone: operator.phoneNumber };
}

const texts = (phone: string) => h.graph.textsTo(phone);

describe('Question 1 names the machine and the checklist', () => {
  it('when a checklist starts, then Question 1 begins as before and its last line names the machine and checklist; Question 2 does not', async () => {
    const { operator, lathe, daily, phone } = await operatorWithTwoMachines();

    await assign(daily.id, lathe.id, operator.id);
    await settle(h);
    await say(h, phone, 'OK - level fine');

    const [q1, q2] = texts(phone);
    expect(q1!.startsWith('📋 Question 1 of 2: Check oil level\n')).toBe(true);
    expect(q1).toBe(
      messagesEn.question(1, 2, 'Check oil level', false, { template: 'Daily lathe check', machine: 'Lathe 1' }),
    );
    expect(q1!.split('\n').at(-1)).toBe('🛠 Lathe 1 · Daily lathe check');
    expect(q2).toBe(messagesEn.question(2, 2, 'Check belts'));
  });

  const endings: Array<[string, (phone: string, assignmentId: string) => Promise<void>, string]> = [
    [
      'confirmed',
      (phone) => say(h, phone, 'OK - fine', 'OK - fine', 'CONFIRM'),
      // Issue 14 item 17: the thank-you names what was submitted and what comes next.
      messagesEn.submitted(
        { template: 'Daily lathe check', machine: 'Lathe 1' },
        { waiting: 1, next: { template: 'Weekly press check', machine: 'Press 9' }, startsNow: true },
      ),
    ],
    [
      'cancelled',
      async (_phone, id) => void expect((await h.api.post(`/api/assignments/${id}/cancel`)).status).toBe(200),
      messagesEn.cancelled('Daily lathe check', 'Lathe 1'),
    ],
  ];

  it.each(endings)(
    'when a checklist is %s and a queued one for another machine starts, then its Question 1 names that machine and checklist',
    async (_how, end, endText) => {
      const { operator, lathe, press, daily, weekly, phone } = await operatorWithTwoMachines();
      const first = await assign(daily.id, lathe.id, operator.id);
      const queued = await assign(weekly.id, press.id, operator.id);
      expect(queued.status).toBe('pending');
      await settle(h);

      await end(phone, first.id);
      await waitUntil(
        'the queued checklist to start',
        async () => (await assignmentOf(h, queued.id)).status === 'active',
      );
      await settle(h);

      expect(texts(phone).slice(-2)).toEqual([
        endText,
        messagesEn.question(1, 1, 'Grease the chain', false, { template: 'Weekly press check', machine: 'Press 9' }),
      ]);
    },
  );

  it('when a manager restarts an expired checklist, then its Question 1 names the machine and checklist again', async () => {
    const { operator, lathe, daily, phone } = await operatorWithTwoMachines();
    const a = await assign(daily.id, lathe.id, operator.id);
    await settle(h);
    await makeOverdue(h, a.id);
    await waitUntil('the conversation to expire', async () => (await assignmentOf(h, a.id)).status === 'pending');

    expect((await h.api.post(`/api/assignments/${a.id}/start`)).status).toBe(200);
    await settle(h);

    expect(texts(phone).at(-1)).toBe(
      messagesEn.question(1, 2, 'Check oil level', false, { template: 'Daily lathe check', machine: 'Lathe 1' }),
    );
  });

  it('when the operator stays silent on Question 1, then the reminder repeats it with the machine and checklist named', async () => {
    const { operator, lathe, daily, phone } = await operatorWithTwoMachines();
    await say(h, phone, 'hello'); // inside the 24-hour window, so the reminder may be free-form text
    const a = await assign(daily.id, lathe.id, operator.id);
    await settle(h);

    await h.database.pool.query(
      `UPDATE whatsapp_conversation_sessions SET created_at = (now() AT TIME ZONE 'UTC') - interval '2 minutes'
       WHERE assignment_id = $1 AND status = 'active'`,
      [a.id],
    );
    await waitUntil('a reminder', () => texts(phone).some((t) => t.startsWith(messagesEn.reminder())));
    await settle(h);

    const reminder = h.graph
      .sentTo(phone)
      .map(textOf)
      .find((t) => t.startsWith(messagesEn.reminder()));
    expect(reminder).toBe(
      `${messagesEn.reminder()}\n\n${messagesEn.question(1, 2, 'Check oil level', false, { template: 'Daily lathe check', machine: 'Lathe 1' })}`,
    );
  });
});

async function sendPhoto(phone: string, bytes: Buffer, caption?: string) {
  const image = {
    id: h.graph.addMedia(bytes, 'image/png'),
    mime_type: 'image/png',
    sha256: 'x',
    ...(caption ? { caption } : {}),
  };
  const message = {
    from: waId(phone),
    id: newWamid(),
    timestamp: String(Math.floor(Date.now() / 1000)),
    type: 'image',
    image,
  };
  expect((await deliver(h.app, messagesDelivery([message]))).status).toBe(200);
  await settle(h);
}

const photoFiles = () => new Set(fs.readdirSync(h.photosDir));
const photoBytes = (name: string) => fs.readFileSync(path.join(h.photosDir, name));

/** The submission's report as the REST API gives it. */
async function reportOf(assignmentId: string) {
  const { submissionId } = await assignmentOf(h, assignmentId);
  const res = await h.api.get(`/api/submissions/${submissionId}`);
  expect(res.status).toBe(200);
  return res.body as {
    status: string;
    answers: Array<{ status: string; remarks: string | null; photo: string | null }>;
  };
}

/** An operator at the summary of a checklist whose first task needs a photo, answered with photo A. */
async function atSummaryWithPhotoA() {
  const [operator, machine] = await Promise.all([createOperator(h), createMachine(h, { name: 'Press 4' })]);
  const template = await createTemplate('Gauge check', [
    { text: 'Photo of the pressure gauge', requiresPhoto: true },
    { text: 'Check oil level' },
  ]);
  const a = await assign(template.id, machine.id, operator.id);
  await settle(h);
  const phone = operator.phoneNumber;
  const before = photoFiles();
  await sendPhoto(phone, PHOTO_A, 'OK - 5 bar');
  await say(h, phone, 'OK - level fine');
  const [photoA] = [...photoFiles()].filter((f) => !before.has(f));
  expect(photoA).toBeDefined();
  expect((await reportOf(a.id)).answers[0]!.photo).toBe(photoA);
  return { phone, assignmentId: a.id, photoA: photoA!, before };
}

const PHOTO_A = makePng(2, 2, [10, 20, 30]);
const PHOTO_B = makePng(3, 3, [200, 100, 50]);

describe('a photo replaced through EDIT', () => {
  it.each([
    {
      how: 'a new photo with the answer as its caption',
      send: (phone: string) => sendPhoto(phone, PHOTO_B, 'NOT OK - 9 bar'),
    },
    {
      how: 'a new photo alone, then the answer',
      send: async (phone: string) => {
        await sendPhoto(phone, PHOTO_B);
        await say(h, phone, 'NOT OK - 9 bar');
      },
    },
  ])(
    'when EDIT 1 gets $how and the checklist is confirmed, then the old file is gone and the report shows the new one',
    async ({ send }) => {
      const { phone, assignmentId, photoA, before } = await atSummaryWithPhotoA();

      await say(h, phone, 'EDIT 1');
      await send(phone);
      await say(h, phone, 'CONFIRM');

      const report = await reportOf(assignmentId);
      expect(report.status).toBe('completed');
      expect(report.answers[0]).toMatchObject({ status: 'NOT_OK', remarks: '9 bar' });
      const photoB = report.answers[0]!.photo!;
      expect(photoB).not.toBe(photoA);
      expect(photoBytes(photoB)).toEqual(PHOTO_B);
      expect([...photoFiles()].filter((f) => !before.has(f))).toEqual([photoB]);
      expect((await h.api.get(`/api/whatsapp-photos/${photoB}`)).status).toBe(200);
      expect((await h.api.get(`/api/whatsapp-photos/${photoA}`)).status).toBe(404);
    },
  );

  it('when EDIT 1 gets only a text answer, then the answer keeps photo A, the file stays and nothing else is asked', async () => {
    const { phone, assignmentId, photoA } = await atSummaryWithPhotoA();

    await say(h, phone, 'EDIT 1');
    expect(texts(phone).at(-1)).toContain('📷 Send only your answer to keep this photo, or a new photo to replace it.');
    await say(h, phone, 'NOT OK - needle stuck');
    expect(texts(phone).at(-1)).toMatch(
      /^✅ All 2 questions answered\. Summary:\n1\. Photo of the pressure gauge - NOT OK - needle stuck 📷/,
    );
    await say(h, phone, 'CONFIRM');

    expect((await reportOf(assignmentId)).answers[0]).toEqual(
      expect.objectContaining({ status: 'NOT_OK', remarks: 'needle stuck', photo: photoA }),
    );
    expect(photoBytes(photoA)).toEqual(PHOTO_A);
  });
});
