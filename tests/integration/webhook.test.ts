import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/whatsapp/signature.js';
import { MANUAL_CHECK_OK } from '../../src/whatsapp/webhook-routes.js';
import { assignChecklist, newPhone } from '../support/factories.js';
import { APP_SECRET, startHarness, VERIFY_TOKEN, type Harness } from '../support/harness.js';
import { deliver, messagesDelivery, newWamid, textMessage } from '../support/meta-payloads.js';
import { settle } from '../support/settle.js';
import { errorOf } from '../support/api-bodies.js';
import { answerButtonId } from '../../src/conversation/buttons.js';
import { buttonReply, sessionOf, submissionOf } from '../support/lifecycle.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const WEBHOOK = '/api/whatsapp/webhook';
const inboxRows = async (...ids: string[]) =>
  (await h.database.pool.query('SELECT wa_message_id FROM whatsapp_inbox WHERE wa_message_id = ANY($1)', [ids]))
    .rowCount;
const inboxTotal = async () =>
  Number((await h.database.pool.query<{ count: string }>('SELECT count(*) FROM whatsapp_inbox')).rows[0]!.count);
/** POSTs exactly these bytes with a valid signature over them. */
const deliverRaw = (raw: string | Buffer) =>
  request(h.app)
    .post(WEBHOOK)
    .set('Content-Type', 'application/json')
    .set('X-Hub-Signature-256', sign(raw, APP_SECRET))
    .send(raw);
const now = () => Math.floor(Date.now() / 1000);

/** An operator on a started checklist whose Question 1 has been sent. */
async function activeChecklist(tasks: string[]) {
  const started = await assignChecklist(h, tasks);
  await h.graph.waitForSent((m) => m.to === started.operator.phoneNumber);
  return { ...started, phone: started.operator.phoneNumber };
}
const storedRemarks = async (assignmentId: string) =>
  (await submissionOf(h, assignmentId)).answers.map((x) => x.remarks);
const storedStatuses = async (assignmentId: string) =>
  (await submissionOf(h, assignmentId)).answers.map((x) => x.status);

describe('GET /api/whatsapp/webhook (Meta verification)', () => {
  it('when mode is subscribe and the verify token matches, then the challenge comes back as plain text', async () => {
    const res = await request(h.app)
      .get(WEBHOOK)
      .query({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' });

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.text).toBe('1158201444');
  });

  it("when the deployment guide's check by hand is run (only hub.verify_token), then 200 and one line saying the token matches", async () => {
    const res = await request(h.app).get(`${WEBHOOK}?hub.verify_token=${VERIFY_TOKEN}`);
    const wrong = await request(h.app).get(`${WEBHOOK}?hub.verify_token=nope`);

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe(MANUAL_CHECK_OK);
    expect(wrong.status).toBe(403);
  });

  it.each([
    { name: 'HTML', challenge: '<script>alert(1)</script>' },
    { name: 'digits and letters', challenge: '12ab' },
    { name: 'empty', challenge: '' },
    { name: 'longer than any challenge', challenge: '1'.repeat(65) },
    { name: 'missing', challenge: undefined },
  ])('when the token matches but the challenge is $name, then 400 and it is not echoed', async ({ challenge }) => {
    const res = await request(h.app)
      .get(WEBHOOK)
      .query({
        'hub.mode': 'subscribe',
        'hub.verify_token': VERIFY_TOKEN,
        ...(challenge === undefined ? {} : { 'hub.challenge': challenge }),
      });

    expect(res.status).toBe(400);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(errorOf(res)?.details).toEqual({ fields: [{ field: 'hub.challenge', message: 'must be digits' }] });
    expect(res.text).not.toContain('<script>');
  });

  it.each([
    {
      name: 'the token is wrong',
      query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' },
    },
    {
      name: 'the mode is not subscribe',
      query: { 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' },
    },
    { name: 'the parameters are missing', query: {} },
  ])('when $name, then 403 and no challenge', async ({ query }) => {
    const res = await request(h.app).get(WEBHOOK).query(query);

    expect(res.status).toBe(403);
    expect(res.text).not.toBe('1');
  });
});

describe('POST /api/whatsapp/webhook: signature and body', () => {
  it.each([
    { name: 'there is no X-Hub-Signature-256', header: () => undefined, body: (raw: string) => raw },
    {
      name: 'the signature uses another secret',
      header: (raw: string) => sign(raw, 'other-secret'),
      body: (raw: string) => raw,
    },
    {
      name: 'the signature covers other bytes (re-serialised)',
      header: (raw: string) => sign(raw, APP_SECRET),
      body: (raw: string) => JSON.stringify(JSON.parse(raw), null, 2),
    },
  ])('when $name, then 401 and nothing is recorded', async ({ header, body }) => {
    const msg = textMessage(newPhone(), 'OK - fine');
    const raw = JSON.stringify(messagesDelivery([msg]));
    const req = request(h.app).post(WEBHOOK).set('Content-Type', 'application/json');
    const signature = header(raw);
    if (signature) req.set('X-Hub-Signature-256', signature);

    const res = await req.send(body(raw));

    expect(res.status).toBe(401);
    expect(await inboxRows(msg.id)).toBe(0);
  });

  it.each([
    { name: 'not JSON', raw: '{"object": "whatsapp_business_account", "entry": [' },
    { name: 'a JSON array', raw: '[1, 2, 3]' },
    { name: 'JSON of an unknown shape', raw: '{"hello": "world", "entry": "not-a-list"}' },
  ])('when a signed body is $name, then 200 and nothing is recorded', async ({ raw }) => {
    const before = await inboxTotal();

    const res = await deliverRaw(raw);

    expect(res.status).toBe(200);
    expect(await inboxTotal()).toBe(before);
  });

  it('when the body is over 4 MB, then 413 (not a 5xx)', async () => {
    const raw = JSON.stringify({ object: 'whatsapp_business_account', padding: 'x'.repeat(4 * 1024 * 1024 + 10) });

    const res = await deliverRaw(raw);

    expect(res.status).toBe(413);
  });

  it('when a signed 3 MB delivery arrives, then it is accepted and recorded', async () => {
    const msg = textMessage(newPhone(), `NA - ${'y'.repeat(3 * 1024 * 1024)}`);

    const res = await deliver(h.app, messagesDelivery([msg]));

    expect(res.status).toBe(200);
    expect(await inboxRows(msg.id)).toBe(1);
  });
});

describe('POST /api/whatsapp/webhook: batches and duplicates', () => {
  it('when one POST batches 2 entries x 2 changes, then every message is recorded and every phone gets its reply', async () => {
    const phones = [newPhone(), newPhone(), newPhone(), newPhone(), newPhone()];
    const msgs = phones.map((p) => textMessage(p, 'hello'));
    const change = (ms: object[]) => messagesDelivery(ms).entry[0]!.changes[0]!;
    const payload = {
      object: 'whatsapp_business_account',
      entry: [
        { id: 'waba-1', changes: [change([msgs[0]!]), change([msgs[1]!, msgs[2]!])] },
        { id: 'waba-2', changes: [change([msgs[3]!]), change([msgs[4]!])] },
      ],
    };

    const res = await deliver(h.app, payload);
    await settle(h);

    expect(res.status).toBe(200);
    expect(await inboxRows(...msgs.map((m) => m.id))).toBe(5);
    for (const phone of phones)
      expect(h.graph.textsTo(phone), phone).toEqual([expect.stringContaining('not registered')]);
  });

  it('when the same message id is delivered twice in a row, then it is recorded and answered once', async () => {
    const { phone, assignment } = await activeChecklist(['Check oil level', 'Check belt']);
    const msg = textMessage(phone, 'OK - oil fine');

    const first = await deliver(h.app, messagesDelivery([msg]));
    const second = await deliver(h.app, messagesDelivery([msg]));
    await settle(h);

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await inboxRows(msg.id)).toBe(1);
    expect(h.graph.textsTo(phone).map((t) => t.split(':')[0])).toEqual(['📋 Question 1 of 2', '📋 Question 2 of 2']);
    expect(await storedRemarks(assignment.id)).toEqual(['oil fine']);
  });

  it('when the same message id is delivered 10 times at once, then all get 200 and it is applied once', async () => {
    const { phone, assignment } = await activeChecklist(['Check oil level', 'Check belt']);
    const msg = textMessage(phone, 'OK - oil fine');

    const results = await Promise.all(Array.from({ length: 10 }, () => deliver(h.app, messagesDelivery([msg]))));
    await settle(h);

    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(await inboxRows(msg.id)).toBe(1);
    expect(h.graph.textsTo(phone)).toHaveLength(2);
    expect(await storedRemarks(assignment.id)).toEqual(['oil fine']);
  });

  it('when 5 answers for one session arrive as 5 deliveries at once, then they are applied in timestamp order', async () => {
    // Deliveries racing each other arrive in any order: the product's settle window (INBOX_SETTLE_MS) orders them.
    const outer = h;
    h = await startHarness({ INBOX_SETTLE_MS: '500' });
    try {
      const { phone, assignment } = await activeChecklist(['Q one', 'Q two', 'Q three', 'Q four', 'Q five']);
      const base = now();
      // Taps (a tap on a question that is not the current one is stale and stores nothing): typed answers
      // sent before their question was would not be taken at all (docs/decisions/0007-question-read-time.md).
      const sessionId = (await sessionOf(h, assignment.id))!.id;
      const statuses = ['OK', 'NA', 'OK', 'NA', 'OK'] as const;
      const msgs = statuses.map((s, i) => buttonReply(phone, answerButtonId(sessionId, i, s), s, base + i + 1));

      const results = await Promise.all(msgs.map((m) => deliver(h.app, messagesDelivery([m]))));
      await settle(h);

      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(await storedStatuses(assignment.id)).toEqual(statuses);
      const texts = h.graph.textsTo(phone);
      for (const n of [2, 3, 4, 5])
        expect(
          texts.filter((t) => t.startsWith(`📋 Question ${n} of 5`)),
          `Q${n}`,
        ).toHaveLength(1);
      expect(texts.filter((t) => t.startsWith('✅ All 5 questions answered'))).toHaveLength(1);
      expect(texts).toHaveLength(6);
    } finally {
      await h.close();
      h = outer;
    }
  });

  // Meta gives no order: a message recorded a few ms after a later-timestamped one must still be applied first.
  it('when an earlier-timestamped answer arrives just after a later one, then both are stored in timestamp order', async () => {
    const outer = h;
    h = await startHarness({ INBOX_SETTLE_MS: '1000' });
    try {
      const sessions = await Promise.all([1, 2, 3, 4, 5].map(() => activeChecklist(['Q one', 'Q two'])));

      await Promise.all(
        sessions.map(async ({ phone, assignment }) => {
          const base = now();
          const sessionId = (await sessionOf(h, assignment.id))!.id;
          // Taps: applied out of order, the second would be stale and store nothing.
          await deliver(
            h.app,
            messagesDelivery([buttonReply(phone, answerButtonId(sessionId, 1, 'NA'), 'NA', base + 2)]),
          );
          await deliver(
            h.app,
            messagesDelivery([buttonReply(phone, answerButtonId(sessionId, 0, 'OK'), 'OK', base + 1)]),
          );
        }),
      );
      await settle(h);

      for (const { assignment } of sessions) expect(await storedStatuses(assignment.id)).toEqual(['OK', 'NA']);
    } finally {
      await h.close();
      h = outer;
    }
  });

  it('when a message text contains U+0000, then the delivery is acknowledged and the other messages are recorded', async () => {
    const bad = textMessage(newPhone(), 'OK - a\u0000b');
    const good = textMessage(newPhone(), 'hello');

    const res = await deliver(h.app, messagesDelivery([bad, good]));

    expect(res.status).toBe(200);
    expect(await inboxRows(good.id)).toBe(1);
  });

  it('when timestamps are no real time (beyond a date, a 12-digit string, hours ahead), then the delivery gets 200 and every message is recorded at the time it arrived', async () => {
    const bad = [99999999999999, '999999999999', now() + 6 * 3600].map((timestamp) => ({
      ...textMessage(newPhone(), 'OK'),
      timestamp,
    }));
    const fine = textMessage(newPhone(), 'OK', { timestamp: now() - 60 });
    const before = Date.now() - 1000;

    const res = await deliver(h.app, messagesDelivery([...bad, fine]));

    expect(res.status).toBe(200);
    const { rows } = await h.database.pool.query<{ wa_message_id: string; sent_at: Date }>(
      'SELECT wa_message_id, sent_at FROM whatsapp_inbox WHERE wa_message_id = ANY($1)',
      [[...bad, fine].map((m) => m.id)],
    );
    const sentAt = new Map(rows.map((r) => [r.wa_message_id, r.sent_at.getTime()]));
    for (const m of bad) expect(sentAt.get(m.id)).toBeGreaterThanOrEqual(before);
    for (const m of bad) expect(sentAt.get(m.id)).toBeLessThanOrEqual(Date.now());
    expect(sentAt.get(fine.id)).toBe(Number(fine.timestamp) * 1000);
  });

  it('when a text holds a lone UTF-16 surrogate (which PostgreSQL refuses in JSON), then 200 and the message and its neighbours are recorded', async () => {
    const odd = textMessage(newPhone(), 'OK - valve \ud83d leaking');
    const good = textMessage(newPhone(), 'OK');

    const res = await deliverRaw(JSON.stringify(messagesDelivery([odd, good])));

    expect(res.status).toBe(200);
    expect(await inboxRows(odd.id, good.id)).toBe(2);
  });
  it.each([5_000, 200_000])(
    'when a message carries a field nested %i levels deep, then 200 and it is recorded with its text',
    async (depth) => {
      const m = textMessage(newPhone(), 'OK - deep');
      const raw = JSON.stringify(messagesDelivery([{ ...m, extra: 'DEEP' }])).replace(
        '"DEEP"',
        `${'['.repeat(depth)}${']'.repeat(depth)}`,
      );

      const res = await deliverRaw(raw);

      expect(res.status).toBe(200);
      const { rows } = await h.database.pool.query(
        "SELECT payload->'text'->>'body' AS body FROM whatsapp_inbox WHERE wa_message_id = $1",
        [m.id],
      );
      expect(rows).toEqual([{ body: 'OK - deep' }]);
    },
  );
});

describe('POST /api/whatsapp/webhook: delivery statuses', () => {
  const status = (id: string, s: string, extra: object = {}) => ({
    id,
    status: s,
    timestamp: String(now()),
    recipient_id: '919800000000',
    ...extra,
  });
  const outboxOf = async (wamid: string) =>
    (
      await h.database.pool.query<{ status: string; error_code: number | null; error_title: string | null }>(
        'SELECT status, error_code, error_title FROM whatsapp_outbox WHERE wa_message_id = $1',
        [wamid],
      )
    ).rows[0];
  const sentWamid = async (phone: string) => {
    await settle(h);
    const { rows } = await h.database.pool.query<{ wa_message_id: string }>(
      "SELECT wa_message_id FROM whatsapp_outbox WHERE phone_number = $1 AND status = 'sent'",
      [phone],
    );
    return rows[0]!.wa_message_id;
  };

  it('when delivered, read and a late delivered arrive, then the outbox status ends read', async () => {
    const { phone } = await activeChecklist(['Check oil level']);
    const wamid = await sentWamid(phone);

    for (const s of ['delivered', 'read', 'delivered']) {
      expect((await deliver(h.app, messagesDelivery([], [status(wamid, s)]))).status).toBe(200);
    }

    expect(await outboxOf(wamid)).toMatchObject({ status: 'read' });
  });

  it('when a failed status carries error 131047, then the outbox row records the code and title', async () => {
    const { phone } = await activeChecklist(['Check oil level']);
    const wamid = await sentWamid(phone);
    const errors = [
      {
        code: 131047,
        title: 'Re-engagement message',
        message: 'Re-engagement message',
        error_data: { details: 'outside window' },
      },
    ];

    const res = await deliver(h.app, messagesDelivery([], [status(wamid, 'failed', { errors })]));

    expect(res.status).toBe(200);
    expect(await outboxOf(wamid)).toEqual({
      status: 'failed',
      error_code: 131047,
      error_title: 'Re-engagement message',
    });
  });

  it('when a status timestamp is beyond a date, then 200 and the status is recorded at the time it arrived', async () => {
    const { phone } = await activeChecklist(['Check oil level']);
    const wamid = await sentWamid(phone);
    const before = Date.now() - 1000;

    const res = await deliver(h.app, messagesDelivery([], [status(wamid, 'delivered', { timestamp: 99999999999999 })]));

    expect(res.status).toBe(200);
    const { rows } = await h.database.pool.query<{ status: string; status_at: Date }>(
      'SELECT status, status_at FROM whatsapp_outbox WHERE wa_message_id = $1',
      [wamid],
    );
    expect(rows[0]?.status).toBe('delivered');
    expect(rows[0]?.status_at.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('when a failed status carries U+0000 and a lone surrogate in its error title, then 200 and the title is stored cleaned', async () => {
    const { phone } = await activeChecklist(['Check oil level']);
    const wamid = await sentWamid(phone);
    const errors = [{ code: 131026, title: 'Message\u0000 undeliverable \ud83d' }];

    const res = await deliverRaw(JSON.stringify(messagesDelivery([], [status(wamid, 'failed', { errors })])));

    expect(res.status).toBe(200);
    expect(await outboxOf(wamid)).toEqual({
      status: 'failed',
      error_code: 131026,
      error_title: 'Message undeliverable \ufffd',
    });
  });

  it('when a status names a message we never sent, then 200 and no outbox row changes', async () => {
    const snapshot = () =>
      h.database.pool
        .query<Record<string, unknown>>('SELECT id, status, status_at FROM whatsapp_outbox ORDER BY id')
        .then((r) => r.rows);
    await settle(h);
    const before = await snapshot();

    const res = await deliver(h.app, messagesDelivery([], [status(newWamid(), 'read')]));

    expect(res.status).toBe(200);
    expect(await snapshot()).toEqual(before);
  });
});

describe('POST /api/whatsapp/webhook: database failure', () => {
  it('when the delivery cannot be recorded, then the webhook answers 5xx so Meta retries', async () => {
    const broken = await startHarness();
    try {
      await broken.database.pool.query('DROP TABLE whatsapp_inbox CASCADE');

      const res = await deliver(broken.app, messagesDelivery([textMessage(newPhone(), 'OK')]));

      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(errorOf(res)).toMatchObject({ code: 'internal_error' });
    } finally {
      await broken.close();
    }
  });
});
