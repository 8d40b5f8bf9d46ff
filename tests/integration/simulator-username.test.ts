// The simulator plays someone who writes with a WhatsApp username and no phone number (issue 15, item 7): Meta's
// `from_user_id` and `contacts[].user_id` instead of `from` and `wa_id`, and the server's replies to that BSUID
// (`recipient`) shown in the same chat.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.js';
import { linkUserId, unknownMessages } from '../../src/admin/senders/unknown-senders-queries.js';
import type { ChatItem } from '../../src/simulator/chat-model.js';
import { seedDemoData, type SeededDemo } from '../../src/simulator/seed-demo.js';
import { simulatedBsuid } from '../../src/simulator/username.js';
import { webhookPayload } from '../../src/simulator/webhook-payloads.js';
import type { SimulatorStore } from '../../src/whatsapp/simulator-sender.js';
import { simulatorChat, startSimulatorServer, waitForSimulatorMessage } from '../support/simulator-server.js';
import type { TestDatabase } from '../support/test-db.js';

// A valid 1x1 PNG: the photo store judges the bytes, so it must be a real image.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

let database: TestDatabase;
let base: string;
let store: SimulatorStore;
let demo: SeededDemo;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ database, base, store, close } = await startSimulatorServer({ signIn: false }));
  demo = (await seedDemoData(database.db, createLogger({ level: 'silent', pretty: false })))!;
});
afterAll(async () => {
  await close?.();
});

const chatPath = (username: string) => `/simulator?username=${encodeURIComponent(username)}`;

const chat = (username: string) => simulatorChat(base, { username });
const waitForServer = (username: string, match: RegExp, after = 0, timeoutMs?: number) =>
  waitForSimulatorMessage(base, { username }, match, after, timeoutMs);

const sendText = (username: string, text: string) =>
  request(base).post('/simulator/send').type('form').send({ username, text });

/** Taps the reply button whose title matches, when the message has one; otherwise answers by text. */
async function tapOrType(username: string, message: ChatItem, button: RegExp, text: string) {
  const b = message.buttons.find((x) => button.test(x.title));
  const res = b
    ? await request(base)
        .post('/simulator/button')
        .type('form')
        .send({ username, id: b.id, title: b.title, kind: b.kind, context: message.key })
    : await sendText(username, text);
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe(chatPath(username));
}

describe('the username-only delivery', () => {
  it('when the person writes with a username, then the delivery carries from_user_id and user_id and no number', () => {
    const userId = simulatedBsuid('Ravi.K');
    expect(userId).toMatch(/^US\.[0-9]{20}$/);
    expect(simulatedBsuid('@ravi.k')).toBe(userId); // one id per username, however it is typed
    const payload = webhookPayload({
      userId,
      username: 'ravi.k',
      name: 'Ravi',
      waMessageId: 'wamid.SIM.1',
      at: new Date(1_700_000_000_000),
      message: { type: 'text', body: 'OK' },
    });
    const value = payload.entry[0]!.changes[0]!.value;
    expect(value.contacts).toEqual([{ profile: { name: 'Ravi', username: 'ravi.k' }, user_id: userId }]);
    expect(value.messages).toEqual([
      { from_user_id: userId, id: 'wamid.SIM.1', timestamp: '1700000000', type: 'text', text: { body: 'OK' } },
    ]);
  });
});

describe('a stranger who writes with a username', () => {
  it('when no operator has the username, then the message is listed for the manager and the reply comes back to its id', async () => {
    const username = 'sunil.new';
    const userId = simulatedBsuid(username);
    const page = await request(base).get(chatPath(username));
    expect(page.status).toBe(200);
    expect(page.text).toContain('belongs to no operator yet');

    const sent = await sendText(username, 'Hello, is this the checklist number?');
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(chatPath(username));

    await waitForServer(username, /not registered/);
    const [reply] = store.messagesFor(userId);
    expect(reply).toMatchObject({ to: userId, field: 'recipient' });
    const listed = (await unknownMessages(database.db)).find((m) => m.userId === userId);
    expect(listed).toMatchObject({
      isPhone: false,
      username,
      type: 'text',
      text: 'Hello, is this the checklist number?',
    });
    expect((await request(base).get('/simulator')).text).toContain(`@${username}`);
  });
});

describe('an operator who writes with a username, linked by the manager', () => {
  it('when the username is linked to the operator, then they answer the whole checklist by username and it completes', async () => {
    const username = 'demo.op';
    const userId = simulatedBsuid(username);
    await sendText(username, 'Hi, it is me on my username');
    // As the manager does on Unknown senders: link this username to the existing operator.
    expect(await linkUserId(database.db, demo.operatorId, userId, username)).toBe('linked');
    const page = await request(base).get(chatPath(username));
    expect(page.text).toContain('linked to the operator <strong>Demo Operator</strong>');

    const assigned = await request(base)
      .post('/simulator/assign')
      .type('form')
      .send({ templateId: demo.templateId, machineId: demo.machineId, operatorId: demo.operatorId, username });
    expect(assigned.status).toBe(303);
    expect(assigned.headers.location).toBe(`${chatPath(username)}&assigned=started`);

    await waitForServer(username, /Question 1 of 4/);
    let seen = (await chat(username)).length;
    expect((await sendText(username, 'OK - oil level normal')).status).toBe(303);
    await waitForServer(username, /Question 2 of 4/, seen);

    seen = (await chat(username)).length;
    const photo = await request(base)
      .post('/simulator/photo')
      .field('username', username)
      .field('caption', 'OK - hoses dry')
      .attach('photo', PNG, { filename: 'photo.png', contentType: 'image/png' });
    expect(photo.status).toBe(303);
    const q3 = await waitForServer(username, /Question 3 of 4/, seen);

    seen = (await chat(username)).length;
    await tapOrType(username, q3, /^OK$/i, 'OK');
    const q4 = await waitForServer(username, /Question 4 of 4/, seen);

    seen = (await chat(username)).length;
    await tapOrType(username, q4, /^NA$/i, 'NA');
    const summary = await waitForServer(username, /CONFIRM|Confirm/, seen);

    seen = (await chat(username)).length;
    await tapOrType(username, summary, /confirm/i, 'CONFIRM');
    await waitForServer(username, /🎉/, seen);

    const { rows: submissions } = await database.pool.query(
      "SELECT id FROM checklist_submissions WHERE operator_id = $1 AND status = 'completed'",
      [demo.operatorId],
    );
    expect(submissions).toHaveLength(1);
    const { rows: answers } = await database.pool.query(
      'SELECT position, status FROM checklist_submission_answers WHERE submission_id = $1 ORDER BY position',
      [(submissions[0] as { id: string }).id],
    );
    expect(answers).toEqual([
      { position: 1, status: 'OK' },
      { position: 2, status: 'OK' },
      { position: 3, status: 'OK' },
      { position: 4, status: 'NA' },
    ]);
    // Every message of this file went by username: none carried a number, and all were applied to the operator.
    const { rows: inbox } = await database.pool.query(
      "SELECT count(*) FILTER (WHERE payload ? 'from')::int AS with_number, count(*) FILTER (WHERE payload ? 'from_user_id')::int AS by_username FROM whatsapp_inbox",
    );
    expect(inbox[0]).toMatchObject({ with_number: 0 });
    expect((inbox[0] as { by_username: number }).by_username).toBeGreaterThanOrEqual(6);
    expect((await unknownMessages(database.db)).some((m) => m.userId === userId)).toBe(false);
  });
});

describe('a username that WhatsApp would not allow', () => {
  it.each([
    { name: 'the chat is opened with spaces in it', send: () => request(base).get('/simulator?username=ravi%20k') },
    { name: 'a message is sent with a one-letter username', send: () => sendText('r', 'OK') },
  ])('when $name, then a 400 page says what a username is', async ({ send }) => {
    const res = await send();
    expect(res.status).toBe(400);
    expect(res.text).toContain('A username is 3 to 35 letters, digits, dots or underscores');
  });

  it('when the chat JSON is asked for a bad username, then 400 JSON', async () => {
    const res = await request(base).get('/simulator/messages?username=a');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'unknown_operator' } });
  });
});
