import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignChecklist } from '../support/factories.js';
import { memoryLogger, PINO_ERROR, startFaultHarness, type LogLine } from '../support/fault-harness.js';
import type { Harness } from '../support/harness.js';
import { makePng } from '../support/images.js';
import { imageMessage, storedAnswers } from '../support/lifecycle.js';
import { deliver, messagesDelivery } from '../support/meta-payloads.js';
import { settle, textOf } from '../support/settle.js';

let h: Harness;
let logs: LogLine[];
beforeAll(async () => {
  const memory = memoryLogger('info');
  logs = memory.lines;
  h = await startFaultHarness({ logger: memory.logger });
});
afterAll(async () => {
  await h?.close();
});

const lastText = (phone: string) => textOf(h.graph.sentTo(phone).at(-1)!);

async function sendPhoto(phone: string, caption: string) {
  const mediaId = h.graph.addMedia(makePng(), 'image/png');
  const res = await deliver(h.app, messagesDelivery([imageMessage(phone, mediaId, { caption })]));
  expect(res.status).toBe(200);
  await settle(h);
}

/** An operator on Question 1 of a checklist with these tasks. */
async function startedOn(tasks: string[]) {
  const { operator, assignment } = await assignChecklist(h, tasks);
  await settle(h);
  return { phone: operator.phoneNumber, assignment };
}

/**
 * Runs `act` while the photos folder is not writable, then makes it a folder again. Root ignores permission
 * bits, so the folder is made unwritable by putting a plain file in its place.
 */
async function whilePhotosDirUnwritable(act: () => Promise<void>) {
  fs.rmSync(h.photosDir, { recursive: true, force: true });
  fs.writeFileSync(h.photosDir, 'not a folder');
  try {
    await act();
  } finally {
    fs.rmSync(h.photosDir, { force: true });
    fs.mkdirSync(h.photosDir, { mode: 0o755 });
  }
}

describe('the photos folder is not writable', () => {
  it('when a photo answer arrives, then the operator is asked to resend, nothing is stored, the server stays up and the log says why', async () => {
    const { phone, assignment } = await startedOn(['Check oil level', 'Check belts']);
    await whilePhotosDirUnwritable(async () => {
      await sendPhoto(phone, 'OK - gauge fine');

      expect(lastText(phone)).toMatch(/could not get your photo/i);
      expect(lastText(phone)).toContain('📋 Question 1 of 2');
      expect(await storedAnswers(h, assignment.submissionId)).toEqual([]);
      const { rows } = await h.database.pool.query(
        `SELECT pending_photo_url FROM whatsapp_conversation_sessions WHERE assignment_id = $1`,
        [assignment.id],
      );
      expect(rows).toEqual([{ pending_photo_url: null }]);
      expect(fs.statSync(h.photosDir).isFile()).toBe(true);
      expect((await request(h.app).get('/healthz')).status).toBe(200);
      const why = logs.filter((l) => l.level === PINO_ERROR && l.msg.includes('Photo download failed'));
      expect(why).toHaveLength(1);
      expect(why[0]).toMatchObject({ reason: 'not_writable', component: 'inbox-worker' });
      expect(String(why[0]!.err)).toContain(`Cannot write to ${path.resolve(h.photosDir)}: ENOTDIR`);
    });
  });

  it('when the folder is writable again, then the same photo answer is stored', async () => {
    const { phone, assignment } = await startedOn(['Check oil level']);
    await whilePhotosDirUnwritable(async () => {
      await sendPhoto(phone, 'OK - gauge fine');
      expect(lastText(phone)).toMatch(/could not get your photo/i);
    });

    await sendPhoto(phone, 'OK - gauge fine');

    expect(lastText(phone)).toMatch(/^✅ The question is answered/);
    const [answer] = await storedAnswers(h, assignment.submissionId);
    expect(answer).toMatchObject({ status: 'OK', remarks: 'gauge fine' });
    expect(fs.readFileSync(path.join(h.photosDir, answer!.photo_filename!))).toEqual(makePng());
  });
});
