import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphClient, isRetryableMetaCode, MediaDownloadError } from '../../src/whatsapp/graph-client.js';
import { createSimulatorSender, SimulatorStore } from '../../src/whatsapp/simulator-sender.js';
import type { OutgoingMessage } from '../../src/whatsapp/whatsapp-types.js';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api.js';

const TOKEN = 'secret-token-abc123';
const PHONE = '+919812345678';
const hello: OutgoingMessage = { type: 'text', text: { body: 'Hello', preview_url: false } };

describe('graph client', () => {
  let fake: FakeGraphApi;
  const client = (overrides: { accessToken?: string; baseUrl?: string; timeoutMs?: number } = {}) =>
    createGraphClient({
      baseUrl: fake.baseUrl,
      version: 'v25.0',
      phoneNumberId: '106540352242922',
      accessToken: TOKEN,
      ...overrides,
    });

  beforeAll(async () => {
    fake = await startFakeGraphApi({ accessToken: TOKEN, version: 'v25.0' });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('when Meta accepts a message, then send returns its wamid and the body carries the envelope', async () => {
    const result = await client().send(PHONE, hello);

    expect(result).toEqual({ ok: true, waMessageId: 'wamid.FAKE.1' });
    expect(fake.sentTo(PHONE)).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({ to: PHONE, type: 'text', phoneNumberId: '106540352242922' });
    expect(fake.sent[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: PHONE,
      ...hello,
    });
    expect(fake.textsTo(PHONE)).toEqual(['Hello']);
  });

  it('when the address is a BSUID, then it goes in recipient and there is no to', async () => {
    const bsuid = 'US.13491208655302741918';
    const result = await client().send(bsuid, hello);

    expect(result).toMatchObject({ ok: true });
    expect(fake.sent[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      recipient: bsuid,
      ...hello,
    });
  });

  it.each([
    { reply: { status: 500 }, retryable: true, code: 500 },
    { reply: { status: 400, code: 130429 }, retryable: true, code: 130429 },
    { reply: { status: 400, code: 131056 }, retryable: true, code: 131056 },
    { reply: { status: 400, code: 131047, title: 'Re-engagement message' }, retryable: false, code: 131047 },
    { reply: { status: 400, code: 131026 }, retryable: false, code: 131026 },
    { reply: { status: 401, code: 190 }, retryable: false, code: 190 },
    { reply: { status: 400, code: 100 }, retryable: false, code: 100 },
  ])(
    'when Meta answers HTTP $reply.status code $reply.code, then retryable is $retryable',
    async ({ reply, retryable, code }) => {
      fake.failNext(1, reply);

      const result = await client().send(PHONE, hello);

      expect(result).toMatchObject({ ok: false, retryable, code, httpStatus: reply.status });
      expect(fake.sent).toHaveLength(0);
      expect(fake.attempts).toBe(1);
    },
  );

  it("when Meta says 131047, then the title is Meta's message", async () => {
    fake.failNext(1, { status: 400, code: 131047, title: 'Re-engagement message' });

    const result = await client().send(PHONE, hello);

    expect(result).toMatchObject({ ok: false, title: 'Re-engagement message' });
  });

  it('when the token is wrong, then the fake answers 190 and send is not retryable', async () => {
    const result = await client({ accessToken: 'wrong' }).send(PHONE, hello);

    expect(result).toMatchObject({ ok: false, retryable: false, httpStatus: 401, code: 190 });
  });

  it('when the socket is dropped, then send is retryable with no status', async () => {
    fake.failNext(1, 'drop');

    const result = await client().send(PHONE, hello);

    expect(result).toMatchObject({ ok: false, retryable: true, httpStatus: null, code: null });
    expect(await client().send(PHONE, hello)).toMatchObject({ ok: true });
  });

  it('when the server never answers, then send times out as retryable without leaking the token', async () => {
    const silent = http.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const baseUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;

    const result = await client({ baseUrl, timeoutMs: 1 }).send(PHONE, hello);

    silent.closeAllConnections();
    await new Promise((r) => silent.close(r));
    expect(result).toMatchObject({ ok: false, retryable: true, httpStatus: null });
    expect(result.ok ? '' : result.title).not.toContain(TOKEN);
  });

  it('when a 2xx carries no message id, then send fails without retry', async () => {
    const odd = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    await new Promise<void>((r) => odd.listen(0, '127.0.0.1', r));
    const baseUrl = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;

    const result = await client({ baseUrl }).send(PHONE, hello);

    odd.closeAllConnections();
    await new Promise((r) => odd.close(r));
    expect(result).toMatchObject({ ok: false, retryable: false, httpStatus: 200 });
  });

  it('when marking a message read, then the fake records a read and nothing is sent', async () => {
    await client().markRead('wamid.IN.1');

    expect(fake.reads).toHaveLength(1);
    expect(fake.reads[0]?.body).toEqual({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.IN.1' });
    expect(fake.sent).toHaveLength(0);
  });

  it('when markRead cannot reach the server, then it resolves quietly', async () => {
    await expect(client({ baseUrl: 'http://127.0.0.1:1' }).markRead('wamid.IN.1')).resolves.toBeUndefined();
  });

  it('when media exists, then its url is looked up and the bytes download', async () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const id = fake.addMedia(bytes, 'image/jpeg');

    const info = await client().getMediaUrl(id);
    const downloaded = await client().downloadMedia(info.url, 1024);

    expect(info).toMatchObject({ mimeType: 'image/jpeg', fileSize: bytes.length });
    expect(downloaded.equals(bytes)).toBe(true);
  });

  it('when the media is larger than maxBytes, then download fails as too_large', async () => {
    const id = fake.addMedia(Buffer.alloc(64 * 1024, 7), 'image/png');
    const { url } = await client().getMediaUrl(id);

    const error = await client()
      .downloadMedia(url, 1000)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MediaDownloadError);
    expect((error as MediaDownloadError).reason).toBe('too_large');
  });

  it('when the media id or its url is unknown, then both fail as not_found', async () => {
    const lookup = await client()
      .getMediaUrl('999')
      .catch((e: unknown) => e);
    const download = await client()
      .downloadMedia(`${fake.baseUrl}/media-bytes/999`, 1000)
      .catch((e: unknown) => e);

    expect(lookup).toMatchObject({ name: 'MediaDownloadError', reason: 'not_found' });
    expect(download).toMatchObject({ name: 'MediaDownloadError', reason: 'not_found' });
  });

  it('when classifying Meta codes, then only the temporary ones are retryable', () => {
    expect([130429, 131056, 131000, 1, 2].every(isRetryableMetaCode)).toBe(true);
    expect([131047, 131026, 190, 100, 368].some(isRetryableMetaCode)).toBe(false);
    expect(isRetryableMetaCode(null)).toBe(false);
  });
});

describe('simulator sender', () => {
  it('when a message is sent, then the store records it under the phone with a SIM wamid', async () => {
    const store = new SimulatorStore();

    const result = await createSimulatorSender(store).send(PHONE, hello);

    expect(result).toMatchObject({ ok: true, waMessageId: expect.stringMatching(/^wamid\.SIM\./) });
    expect(store.messagesFor(PHONE)).toEqual([
      {
        to: PHONE,
        field: 'to',
        message: hello,
        waMessageId: result.ok ? result.waMessageId : '',
        at: expect.any(Date),
      },
    ]);
    expect(store.messagesFor('919812345678')).toHaveLength(1);
    expect(store.all()).toHaveLength(1);
  });

  it("when a message is sent to a BSUID, then it goes in recipient (as the Graph client puts it) and into that id's own chat", async () => {
    const store = new SimulatorStore();
    const sender = createSimulatorSender(store);

    await sender.send('US.13491208655302741918', hello);
    await sender.send(PHONE, hello);

    expect(store.messagesFor('US.13491208655302741918')).toEqual([
      expect.objectContaining({ to: 'US.13491208655302741918', field: 'recipient' }),
    ]);
    expect(store.messagesFor(PHONE)).toEqual([expect.objectContaining({ field: 'to' })]);
  });

  it('when more than 500 messages go to one phone, then only the last 500 are kept', async () => {
    const store = new SimulatorStore();
    const sender = createSimulatorSender(store);

    for (let i = 0; i < 510; i++)
      await sender.send(PHONE, { type: 'text', text: { body: `m${i}`, preview_url: false } });
    await sender.send('+14155550100', hello);

    const kept = store.messagesFor(PHONE);
    expect(kept).toHaveLength(500);
    expect(kept[0]?.message).toMatchObject({ text: { body: 'm10' } });
    expect(store.all()).toHaveLength(501);
    expect(store.all().at(-1)?.to).toBe('+14155550100');
  });

  it('when marking read, then nothing is recorded', async () => {
    const store = new SimulatorStore();

    await createSimulatorSender(store).markRead('wamid.IN.1');

    expect(store.all()).toEqual([]);
  });
});
