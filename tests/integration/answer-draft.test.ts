// Issue 14: nothing an operator sends for a question is lost while its answer is incomplete (the draft),
// and every photo sent for a question stays with it. Signed webhooks, real server and database, fake Graph API.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesEn as m } from '../../src/conversation/messages.en.js';
import { sweepOrphanPhotos } from '../../src/photos/orphans.js';
import { prunePhotos } from '../../src/photos/prune.js';
import type { SubmissionBody } from '../support/api-bodies.js';
import { createMachine, createOperator } from '../support/factories.js';
import { makePng } from '../support/images.js';
import { buttonReply, imageMessage, rows, submissionOf, unixNow } from '../support/lifecycle.js';
import { deliver, messagesDelivery } from '../support/meta-payloads.js';
import { say, settle } from '../support/settle.js';
import { signedInHarness, type Agent } from '../support/admin.js';
import type { Harness } from '../support/harness.js';

let h: Harness;
let agent: Agent;
beforeAll(async () => {
  ({ h, agent } = await signedInHarness());
});
afterAll(async () => {
  await h?.close();
});

type TaskInput = { text: string; requiresPhoto?: boolean };
// Question 1 needs a photo, question 2 does not, question 3 needs a photo.
const TASKS: TaskInput[] = [
  { text: 'Photograph the gauge', requiresPhoto: true },
  { text: 'Check belts' },
  { text: 'Photograph the guard', requiresPhoto: true },
];

/** An operator with this checklist started and Question 1 sent. */
async function started(tasks: TaskInput[] = TASKS) {
  const [operator, machine] = await Promise.all([createOperator(h), createMachine(h)]);
  const t = await h.api.post('/api/templates', { name: 'Draft check', tasks });
  expect(t.status, JSON.stringify(t.body)).toBe(201);
  const a = await h.api.post('/api/assignments', {
    templateId: (t.body as { id: number }).id,
    machineId: machine.id,
    operatorId: operator.id,
  });
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  await settle(h);
  const { id, submissionId } = a.body as { id: string; submissionId: string };
  return { phone: operator.phoneNumber, assignmentId: id, submissionId };
}

type Op = Awaited<ReturnType<typeof started>>;

const texts = (op: Op) => h.graph.textsTo(op.phone);
const lastText = (op: Op) => texts(op).at(-1)!;

/** Taps the answer button `title` of the last question message. */
async function tap(op: Op, title: 'OK' | 'NOT OK' | 'N/A') {
  const buttons = h.graph
    .sentTo(op.phone)
    .map((s) => s.body as { interactive?: { action?: { buttons?: { reply: { id: string; title: string } }[] } } })
    .flatMap((b) => b.interactive?.action?.buttons ?? [])
    .map((b) => b.reply);
  const button = buttons.filter((b) => b.title === title).at(-1)!;
  const res = await deliver(h.app, messagesDelivery([buttonReply(op.phone, button.id, button.title)]));
  expect(res.status).toBe(200);
  await settle(h);
}

/** Photos in one delivery (an album), each { caption? }, all sent in the same second. */
async function photos(op: Op, items: { caption?: string }[], timestamp = unixNow()) {
  const messages = items.map((i, n) =>
    imageMessage(op.phone, h.graph.addMedia(makePng(2, 2, [n, 7, 9]), 'image/png'), { ...i, timestamp }),
  );
  const res = await deliver(h.app, messagesDelivery(messages));
  expect(res.status).toBe(200);
  await settle(h);
}
const photo = (op: Op, caption?: string) => photos(op, [caption === undefined ? {} : { caption }]);

async function stored(op: Op) {
  return rows<{ position: number; status: string; remarks: string | null; photo_filename: string | null }>(
    h,
    'SELECT position, status, remarks, photo_filename FROM checklist_submission_answers WHERE submission_id = $1 ORDER BY position',
    [op.submissionId],
  );
}
const extraPhotos = (op: Op) =>
  rows<{ position: number; n: number; photo_filename: string }>(
    h,
    'SELECT position, n, photo_filename FROM checklist_submission_answer_photos WHERE submission_id = $1 ORDER BY position, n',
    [op.submissionId],
  );
const pendingPhoto = async (op: Op) =>
  (
    await rows<{ pending_photo_url: string | null; awaiting_note: boolean }>(
      h,
      'SELECT pending_photo_url, awaiting_note FROM whatsapp_conversation_sessions WHERE submission_id = $1',
      [op.submissionId],
    )
  )[0]!;
const onDisk = (name: string) => fs.existsSync(path.join(h.photosDir, name));

describe('issue 14: the answer under way is kept until it is complete', () => {
  it('item 1: NOT OK then a photo without caption keeps the answer open until the note', async () => {
    const op = await started();
    await tap(op, 'NOT OK');

    await photo(op);

    expect(lastText(op)).toBe(m.photoGotNeedNote());
    expect(await stored(op)).toEqual([]);
    const waiting = await pendingPhoto(op);
    expect(waiting).toEqual({ pending_photo_url: expect.stringMatching(/\.png$/), awaiting_note: true });

    await say(h, op.phone, 'needle stuck at zero');

    const [a1] = await stored(op);
    expect(a1).toMatchObject({ position: 1, status: 'NOT_OK', remarks: 'needle stuck at zero' });
    expect(a1!.photo_filename).toBe(waiting.pending_photo_url);
    expect(lastText(op)).toMatch(/^📋 Question 2 of 3: Check belts/);
    expect(texts(op).join('\n')).not.toContain("Sorry, I didn't understand");
    expect(await pendingPhoto(op)).toEqual({ pending_photo_url: null, awaiting_note: false });
  });

  it('item 2: a note typed before the photo on a photo task is kept when the photo comes', async () => {
    const op = await started();
    await tap(op, 'NOT OK');
    await say(h, op.phone, 'oil leak at valve');
    expect(lastText(op)).toBe(m.answerNeedsPhoto('NOT_OK', 'oil leak at valve'));
    expect(await stored(op)).toEqual([]);

    await photo(op);

    expect(await stored(op)).toEqual([
      { position: 1, status: 'NOT_OK', remarks: 'oil leak at valve', photo_filename: expect.stringMatching(/\.png$/) },
    ]);
    expect(lastText(op)).toMatch(/^📋 Question 2 of 3/);
  });

  it.each([
    { answer: 'NOT OK', remarks: 'leak here' },
    { answer: 'NOT OK - drip under the pump', remarks: 'drip under the pump' },
  ])(
    'item 3: when a photo comes with the caption "leak here" and then "$answer", then the remark is $remarks',
    async ({ answer, remarks }) => {
      const op = await started();

      await photo(op, 'leak here');
      expect(lastText(op)).toBe(m.photosReceived(1, true));
      await say(h, op.phone, answer);

      expect(await stored(op)).toEqual([
        { position: 1, status: 'NOT_OK', remarks, photo_filename: expect.stringMatching(/\.png$/) },
      ]);
    },
  );

  it.each([{ caption: undefined }, { caption: 'NOT OK - crack' }])(
    'item 4: when a photo (caption $caption) arrives at the summary, then the operator is told it was not attached and how to attach it',
    async ({ caption }) => {
      const op = await started([{ text: 'Check belts' }]);
      await say(h, op.phone, 'OK');
      const before = fs.readdirSync(h.photosDir);

      await photo(op, caption);

      expect(lastText(op)).toBe(`${m.photoAtSummary()}\n\n${m.confirmPrompt()}`);
      expect(lastText(op)).toMatch(/EDIT/);
      expect(await stored(op)).toEqual([{ position: 1, status: 'OK', remarks: null, photo_filename: null }]);
      expect(fs.readdirSync(h.photosDir).sort()).toEqual(before.sort());
    },
  );

  it('item 11: after NOT OK, "na chal raha motor" is the note, not NA', async () => {
    const op = await started([{ text: 'Check motor' }, { text: 'Check belts' }]);
    await tap(op, 'NOT OK');

    await say(h, op.phone, 'na chal raha motor');

    expect(await stored(op)).toEqual([
      { position: 1, status: 'NOT_OK', remarks: 'na chal raha motor', photo_filename: null },
    ]);
  });

  it('item 12: typed "not ok" without a remark asks for the note, as the NOT OK button does', async () => {
    const op = await started([{ text: 'Check motor' }, { text: 'Check belts' }]);

    await say(h, op.phone, 'not ok');

    expect(lastText(op)).toBe(m.notOkAskNote());
    expect(await stored(op)).toEqual([]);
    await say(h, op.phone, 'belt worn');
    expect(await stored(op)).toEqual([{ position: 1, status: 'NOT_OK', remarks: 'belt worn', photo_filename: null }]);
  });

  it.each([
    { first: 'OK', status: 'OK', remarks: null },
    { first: 'NOT OK - guard missing', status: 'NOT_OK', remarks: 'guard missing' },
  ])(
    'item 15: when "$first" comes first on a photo task, then the photo completes that answer',
    async ({ first, status, remarks }) => {
      const op = await started();
      await say(h, op.phone, first);
      expect(lastText(op)).toMatch(/needs a photo: send it now/);

      await photo(op);

      expect(await stored(op)).toEqual([
        { position: 1, status, remarks, photo_filename: expect.stringMatching(/\.png$/) },
      ]);
      expect(texts(op).join('\n')).not.toContain('Photo received, now send OK / NOT OK / NA');
      expect(lastText(op)).toMatch(/^📋 Question 2 of 3/);
    },
  );

  it('item 15: N/A tapped on a photo task is stored without a photo', async () => {
    const op = await started();

    await tap(op, 'N/A');

    expect(await stored(op)).toEqual([{ position: 1, status: 'NA', remarks: null, photo_filename: null }]);
    expect(texts(op).join('\n')).not.toContain('needs a photo');
    expect(lastText(op)).toMatch(/^📋 Question 2 of 3/);
  });
});

describe('issue 14 item 10: every photo sent for a question stays with it (up to 5)', () => {
  async function expectBothOnQuestion1(op: Op) {
    const [a1, ...rest] = await stored(op);
    expect(rest).toEqual([]);
    expect(a1).toMatchObject({ position: 1, status: 'OK', remarks: 'both sides' });
    const extra = await extraPhotos(op);
    expect(extra).toEqual([{ position: 1, n: 2, photo_filename: expect.stringMatching(/\.png$/) }]);
    expect(extra[0]!.photo_filename).not.toBe(a1!.photo_filename);
    const api = await submissionOf(h, op.assignmentId);
    expect(api.answers[0]).toMatchObject({
      photo: a1!.photo_filename,
      photos: [a1!.photo_filename, extra[0]!.photo_filename],
      photoUrls: [`/api/whatsapp-photos/${a1!.photo_filename}`, `/api/whatsapp-photos/${extra[0]!.photo_filename}`],
    });
    expect(await pendingPhoto(op)).toEqual({ pending_photo_url: null, awaiting_note: false });
    return [a1!.photo_filename!, extra[0]!.photo_filename];
  }

  it('item 10: when two photos come in one delivery, the first captioned "OK - both sides", then both stay with question 1', async () => {
    const op = await started();

    await photos(op, [{ caption: 'OK - both sides' }, {}]);

    await expectBothOnQuestion1(op);
    expect(lastText(op)).toBe(m.photoAddedTo(1, 2));
    expect(texts(op).filter((t) => t.startsWith('📋 Question 2 of 3'))).toHaveLength(1);
  });

  it('item 10: when the two photos come in separate deliveries 300 ms apart (sent in the same second), then both stay with question 1', async () => {
    const op = await started();
    const second = unixNow();

    const first = photos(op, [{ caption: 'OK - both sides' }], second);
    await new Promise((r) => setTimeout(r, 300));
    await photos(op, [{}], second);
    await first;

    await expectBothOnQuestion1(op);
  });

  it('item 10: when the answer is completed and a photo is sent later, then it belongs to the next question', async () => {
    const op = await started();
    const sent = unixNow();
    await photos(op, [{ caption: 'OK - gauge fine' }], sent);

    // Sent once Question 2 could be read: a later second than the photo that completed question 1.
    await photos(op, [{}], sent + 2);

    expect(await extraPhotos(op)).toEqual([]);
    expect(lastText(op)).toBe(m.photosReceived(1, false));
    await say(h, op.phone, 'OK');
    const [a1, a2] = await stored(op);
    expect(a2).toMatchObject({ position: 2, status: 'OK', photo_filename: expect.stringMatching(/\.png$/) });
    expect(a2!.photo_filename).not.toBe(a1!.photo_filename);
  });

  it('item 10: when six photos come before the answer, then five are kept with it and the operator is told the sixth was not', async () => {
    const op = await started();
    await tap(op, 'NOT OK');
    for (let i = 0; i < 5; i++) await photo(op);
    const before = new Set(fs.readdirSync(h.photosDir));

    await photo(op);

    expect(lastText(op)).toBe(`${m.tooManyPhotos(5)}\n\n${m.photoGotNeedNote()}`);
    expect(fs.readdirSync(h.photosDir).filter((f) => !before.has(f))).toEqual([]);
    await say(h, op.phone, 'cracked glass');
    const [a1] = await stored(op);
    expect(a1).toMatchObject({ status: 'NOT_OK', remarks: 'cracked glass' });
    const extra = await extraPhotos(op);
    expect(extra.map((e) => e.n)).toEqual([2, 3, 4, 5]);
    for (const name of [a1!.photo_filename!, ...extra.map((e) => e.photo_filename)]) expect(onDisk(name)).toBe(true);
  });

  it("item 10: the manager's report shows every photo of an answer", async () => {
    const op = await started();
    await photos(op, [{ caption: 'OK - both sides' }, {}]);
    const [first, second] = await expectBothOnQuestion1(op);

    const page = await agent.get(`/submissions/${op.submissionId}`);

    expect(page.status).toBe(200);
    expect(page.text).toContain(`/api/whatsapp-photos/${first}`);
    expect(page.text).toContain(`/api/whatsapp-photos/${second}`);
  });
});

describe('issue 14 item 10: the extra photos of an answer and retention', () => {
  const ageDays = (name: string, days: number) => {
    const t = new Date(Date.now() - days * 86_400_000);
    fs.utimesSync(path.join(h.photosDir, name), t, t);
  };

  it('when the orphan sweep runs, then the photos of an answer and of a draft are in use and stay', async () => {
    const answered = await started();
    await photos(answered, [{ caption: 'OK - both sides' }, {}]);
    const [first, second] = [
      (await stored(answered))[0]!.photo_filename!,
      (await extraPhotos(answered))[0]!.photo_filename,
    ];
    const waiting = await started();
    await photo(waiting);
    await photo(waiting);
    const [session] = await rows<{ draft: { photos: string[] } }>(
      h,
      'SELECT draft FROM whatsapp_conversation_sessions WHERE submission_id = $1',
      [waiting.submissionId],
    );
    const drafted = session!.draft.photos;
    expect(drafted).toHaveLength(2);
    for (const name of fs.readdirSync(h.photosDir)) ageDays(name, 2);

    const swept = await sweepOrphanPhotos(h.database.db, h.runtime.photos, { dryRun: true });

    const orphans = swept.photos.map((p) => p.name);
    expect(orphans).not.toContain(first);
    expect(orphans).not.toContain(second);
    for (const name of drafted) expect(orphans).not.toContain(name);
  });

  it('when the photos of an old submission are pruned, then every photo of its answers is deleted and unlinked', async () => {
    const op = await started();
    await photos(op, [{ caption: 'OK - both sides' }, {}]);
    const names = [(await stored(op))[0]!.photo_filename!, (await extraPhotos(op))[0]!.photo_filename];
    await h.database.pool.query(
      `UPDATE checklist_submissions SET created_at = now() - interval '400 days' WHERE id = $1`,
      [op.submissionId],
    );

    const result = await prunePhotos(h.database.db, h.runtime.photos, new Date(Date.now() - 365 * 86_400_000), false);

    expect(result.photos).toEqual(expect.arrayContaining(names));
    for (const name of names) expect(onDisk(name)).toBe(false);
    expect(await extraPhotos(op)).toEqual([]);
    expect((await submissionOf(h, op.assignmentId)).answers[0]).toMatchObject({ photo: null, photos: [] });
  });
});

describe('issue 14 item 18: an unfinished change to a reopened question', () => {
  async function atSummary() {
    const op = await started([{ text: 'Check oil' }, { text: 'Check belts' }, { text: 'Clean filter' }]);
    await say(h, op.phone, 'OK - oil fine', 'OK - belts fine', 'OK - clean');
    expect(lastText(op)).toMatch(/^✅ All 3 questions answered/);
    return op;
  }

  it.each([
    { leave: 'EDIT 3', then: 'CONFIRM' },
    { leave: 'BACK', then: 'CONFIRM' },
  ])(
    'item 18: when EDIT 2, NOT OK, then $leave, then the operator is told the change to question 2 was not kept and it stays as it was',
    async ({ leave, then }) => {
      const op = await atSummary();
      await say(h, op.phone, 'EDIT 2');
      await tap(op, 'NOT OK');

      await say(h, op.phone, leave);

      expect(lastText(op)).toContain(m.unfinishedNotKept(2, true));
      await say(h, op.phone, then);
      expect((await submissionOf(h, op.assignmentId)).status).toBe('completed');
      expect((await stored(op)).map((a) => [a.status, a.remarks])).toEqual([
        ['OK', 'oil fine'],
        ['OK', 'belts fine'],
        ['OK', 'clean'],
      ]);
    },
  );

  it('item 18: when EDIT 2, NOT OK, then CONFIRM, then the checklist is submitted as it stood and the operator is told the change was not kept', async () => {
    const op = await atSummary();
    await say(h, op.phone, 'EDIT 2');
    await tap(op, 'NOT OK');

    await say(h, op.phone, 'CONFIRM');

    expect(lastText(op).startsWith(`${m.unfinishedNotKept(2, true)}\n\n${m.completed()}`)).toBe(true);
    const submission: SubmissionBody = await submissionOf(h, op.assignmentId);
    expect(submission.status).toBe('completed');
    expect(submission.answers.map((a) => a.status)).toEqual(['OK', 'OK', 'OK']);
  });
});
