import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.js';
import { createPhotoStore } from '../../src/photos/photo-store.js';
import { prepareEvent } from '../../src/whatsapp/inbound-event.js';
import type { InboxRow } from '../../src/whatsapp/inbox-repository.js';
import { makePng } from '../support/images.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kinto-inbound-event-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const at = new Date('2025-11-20T08:30:00.000Z');
const deps = {
  media: { fetchMedia: () => Promise.resolve(makePng()) },
  photos: createPhotoStore(dir),
  logger: createLogger({ level: 'silent', pretty: false }),
};
const row = (type: string, payload: object): InboxRow =>
  ({ id: 1, waMessageId: 'wamid.IN', phoneNumber: '+919812345678', type, payload, sentAt: at }) as InboxRow;
const quoted = { context: { from: '15550783881', id: 'wamid.OURS' } };

describe('prepareEvent: what a Meta message means to the conversation', () => {
  it.each([
    { when: 'a text quoting one of our messages', type: 'text', payload: { text: { body: 'OK' }, ...quoted } },
    { when: 'a photo quoting one of our messages', type: 'image', payload: { image: { id: 'm1' }, ...quoted } },
  ])('when $when, then the event names the quoted wamid', async ({ type, payload }) => {
    expect(await prepareEvent(row(type, payload), deps)).toMatchObject({ replyTo: 'wamid.OURS', at });
  });

  it('when a button reply carries a context, then the tap names its question itself and no quote is read', async () => {
    const event = await prepareEvent(
      row('interactive', { interactive: { button_reply: { id: 'x', title: 'OK' } }, ...quoted }),
      deps,
    );

    expect(event).toEqual({ kind: 'button', id: 'x', title: 'OK', at });
  });

  it.each([
    { when: 'a 👍', reaction: { message_id: 'wamid.Q', emoji: '👍' }, emoji: '👍' },
    { when: 'a removed reaction (no emoji)', reaction: { message_id: 'wamid.Q' }, emoji: '' },
  ])('when $when is the reaction, then it is a reaction event for that message', async ({ reaction, emoji }) => {
    expect(await prepareEvent(row('reaction', { reaction }), deps)).toEqual({
      kind: 'reaction',
      emoji,
      replyTo: 'wamid.Q',
      at,
    });
  });

  it.each([
    { when: 'an image mime type', document: { id: 'd1', mime_type: 'image/jpeg', filename: 'scan' } },
    { when: 'a .jpeg file name', document: { id: 'd2', mime_type: 'application/octet-stream', filename: 'a.JPEG' } },
    { when: 'a .heic file name', document: { id: 'd3', filename: 'IMG_1.heic' } },
  ])('when a document has $when, then it is a photo with its caption', async ({ document }) => {
    const event = await prepareEvent(row('document', { document: { ...document, caption: 'OK - fine' } }), deps);

    expect(event).toMatchObject({ kind: 'image', caption: 'OK - fine' });
  });

  it.each([
    { when: 'a PDF', document: { id: 'd4', mime_type: 'application/pdf', filename: 'report.pdf' } },
    { when: 'no mime type and no file name', document: { id: 'd5' } },
  ])('when a document is $when, then it is unsupported', async ({ document }) => {
    expect(await prepareEvent(row('document', { document }), deps)).toEqual({
      kind: 'unsupported',
      type: 'document',
      at,
    });
  });
});
