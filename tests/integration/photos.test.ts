import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignChecklist } from '../support/factories.js';
import { API_TOKEN, startHarness, type Harness } from '../support/harness.js';
import { JPEG_BYTES, makePng } from '../support/images.js';
import { deliver, messagesDelivery, newWamid, waId } from '../support/meta-payloads.js';
import { say, settle, textOf } from '../support/settle.js';
import type {
  AssignmentBody,
  AssignmentStartBody,
  OperatorBody,
  SubmissionBody,
  TemplateBody,
} from '../support/api-bodies.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

function imageMessage(from: string, mediaId: string, caption?: string) {
  return {
    from: waId(from),
    id: newWamid(),
    timestamp: String(Math.floor(Date.now() / 1000)),
    type: 'image',
    image: { id: mediaId, mime_type: 'image/jpeg', sha256: 'x', ...(caption ? { caption } : {}) },
  };
}

async function sendPhoto(phone: string, mediaId: string, caption?: string) {
  const res = await deliver(h.app, messagesDelivery([imageMessage(phone, mediaId, caption)]));
  expect(res.status).toBe(200);
  await settle(h);
}

async function started(tasks: string[]) {
  const s = await assignChecklist(h, tasks);
  await h.graph.waitForSent((m) => m.to === s.operator.phoneNumber);
  return { ...s, phone: s.operator.phoneNumber };
}

const lastText = (phone: string) => textOf(h.graph.sentTo(phone).at(-1)!);
const answers = async (assignmentId: string) => {
  const { submissionId } = (await h.api.get(`/api/assignments/${assignmentId}`)).body as AssignmentBody;
  if (!submissionId) return [];
  return ((await h.api.get(`/api/submissions/${submissionId}`)).body as SubmissionBody).answers;
};
const photoFiles = () => fs.readdirSync(h.photosDir);

describe('photos over WhatsApp', () => {
  it('when a photo arrives with an answer as its caption (option A), then the answer is saved with the photo and Q2 follows', async () => {
    const { phone, assignment } = await started(['Check oil level', 'Check belts']);
    await sendPhoto(phone, h.graph.addMedia(makePng(), 'image/png'), 'OK - test');
    expect(lastText(phone)).toMatch(/^📋 Question 2 of 2: Check belts/);
    const [a1] = await answers(assignment.id);
    expect(a1).toMatchObject({ status: 'OK', remarks: 'test' });
    expect(a1!.photo).toMatch(/^[a-zA-Z0-9_-]+\.png$/);
    expect(fs.readFileSync(path.join(h.photosDir, a1!.photo!))).toEqual(makePng());
  });

  it('when a photo comes first and the text after it (option B), then the text answer takes the photo', async () => {
    const { phone, assignment } = await started(['Check oil level', 'Check belts']);
    await sendPhoto(phone, h.graph.addMedia(JPEG_BYTES, 'image/jpeg'));
    expect(lastText(phone)).toContain('Photo received, now send OK / NOT OK / NA with remarks');
    await say(h, phone, 'OK - test');
    expect(lastText(phone)).toMatch(/^📋 Question 2 of 2/);
    const [a1] = await answers(assignment.id);
    expect(a1).toMatchObject({ status: 'OK', remarks: 'test' });
    expect(a1!.photo).toMatch(/\.jpg$/);
  });

  // Issue 14 item 10 changed this: a second photo before the answer no longer replaces the first.
  it('when a second photo comes before the text, then both are kept with the answer, the first as its photo', async () => {
    const { phone, assignment } = await started(['Check oil level']);
    const existing = new Set(photoFiles());
    await sendPhoto(phone, h.graph.addMedia(makePng(2, 2, [1, 2, 3]), 'image/png'));
    const [first] = photoFiles().filter((f) => !existing.has(f));
    expect(first).toBeDefined();
    await sendPhoto(phone, h.graph.addMedia(makePng(3, 3, [9, 9, 9]), 'image/png'));
    expect(lastText(phone)).toContain('Photo 2 received');
    await say(h, phone, 'NOT OK - leak');
    const [a1] = await answers(assignment.id);
    expect(a1!.photo).toBe(first);
    expect(a1!.photos).toHaveLength(2);
    expect(fs.readFileSync(path.join(h.photosDir, a1!.photos[1]!))).toEqual(makePng(3, 3, [9, 9, 9]));
  });

  it('when the text answer comes alone (option C), then it is saved without a photo', async () => {
    const { phone, assignment } = await started(['Check oil level', 'Check belts']);
    await say(h, phone, 'OK - test');
    expect((await answers(assignment.id))[0]).toMatchObject({ status: 'OK', remarks: 'test', photo: null });
  });

  it.each([
    ['the media id is unknown (404)', () => '999999999'],
    ['the bytes are not an image', () => h.graph.addMedia(Buffer.from('%PDF-1.4 not a photo at all'), 'image/jpeg')],
    [
      'the photo is over 5 MB',
      () => h.graph.addMedia(Buffer.concat([makePng(), Buffer.alloc(5 * 1024 * 1024)]), 'image/png'),
    ],
    ['the download never answers (timeout)', () => h.graph.addMedia(makePng(), 'image/png', { hang: true })],
  ])('when %s, then nothing is stored and the operator is asked to send the photo again', async (_case, media) => {
    const { phone, assignment } = await started(['Check oil level']);
    const files = photoFiles().length;
    await sendPhoto(phone, media(), 'OK - test');
    expect(lastText(phone)).toMatch(/could not get your photo/i);
    expect(await answers(assignment.id)).toEqual([]);
    expect(photoFiles()).toHaveLength(files);
  });

  it('when a task requires a photo and only text comes, then nothing is stored yet and the photo is asked for', async () => {
    const s = await assignChecklist(h, ['x']);
    const res = await h.api.post('/api/templates', {
      name: 'Photo check',
      tasks: [{ text: 'Photograph the gauge', requiresPhoto: true }],
    });
    const a = await h.api.post('/api/assignments', {
      templateId: (res.body as TemplateBody).id,
      machineId: s.machine.id,
      operatorId: (
        (await h.api.post('/api/operators', { name: 'P', phoneNumber: '+919811100001' })).body as OperatorBody
      ).id,
    });
    expect(a.status).toBe(201);
    await h.graph.waitForSent((m) => m.to === '+919811100001');
    await say(h, '+919811100001', 'OK - fine');
    expect(lastText('+919811100001')).toMatch(/needs a photo/);
    expect(await answers((a.body as AssignmentStartBody).id)).toEqual([]);
  });
});

describe('GET /api/whatsapp-photos/:filename', () => {
  it('when the file exists and the API token is given, then it streams with its type, nosniff and private caching', async () => {
    const name = 'abc_DEF-123.png';
    fs.writeFileSync(path.join(h.photosDir, name), makePng());
    const res = await request(h.app).get(`/api/whatsapp-photos/${name}`).set('Authorization', `Bearer ${API_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toMatch(/private/);
    expect(Buffer.from(res.body)).toEqual(makePng());
  });

  it('when no credentials are given, then 401', async () => {
    expect((await request(h.app).get('/api/whatsapp-photos/abc.png')).status).toBe(401);
  });

  it.each([
    '/api/whatsapp-photos/../../../etc/passwd',
    '/api/whatsapp-photos/..%2F..%2Fetc%2Fpasswd',
    '/api/whatsapp-photos/%2e%2e%2fsecret.png',
    '/api/whatsapp-photos/a..b.png',
    '/api/whatsapp-photos/x.svg',
    '/api/whatsapp-photos/sub\\x.png',
  ])('when the path is %s (sent byte for byte), then 403', async (url) => {
    const res = await rawGet(url);
    expect(res.status).toBe(403);
  });

  it("when the guide's traversal path comes without credentials, then it is still a 403", async () => {
    expect((await rawGet('/api/whatsapp-photos/../../../etc/passwd', false)).status).toBe(403);
  });

  it('when the file is a symlink out of the folder, then 403', async () => {
    fs.symlinkSync('/etc/hostname', path.join(h.photosDir, 'link.jpg'));
    expect((await rawGet('/api/whatsapp-photos/link.jpg')).status).toBe(403);
  });

  it('when the name is valid but no such file exists, then 404', async () => {
    expect((await rawGet('/api/whatsapp-photos/missing.jpg')).status).toBe(404);
  });
});

/** Node's http client sends the path exactly as given (no `..` normalising, unlike a browser or fetch). */
async function rawGet(rawPath: string, withToken = true): Promise<{ status: number }> {
  const http = await import('node:http');
  const server = h.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as { port: number };
  try {
    return await new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, path: rawPath, headers: withToken ? { Authorization: `Bearer ${API_TOKEN}` } : {} },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  } finally {
    server.close();
  }
}
