import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.js';
import { insertOperator } from '../../src/checklists/checklists-repository.js';
import type { SimulatorStore } from '../../src/whatsapp/simulator-sender.js';
import type { ChatItem } from '../../src/simulator/chat-model.js';
import { DEMO, seedDemoData, type SeededDemo } from '../../src/simulator/seed-demo.js';
import { webhookPayload } from '../../src/simulator/webhook-payloads.js';
import { simulatorChat, startSimulatorServer, waitForSimulatorMessage } from '../support/simulator-server.js';
import type { TestDatabase } from '../support/test-db.js';
import { errorOf } from '../support/api-bodies.js';

// A valid 1x1 PNG: the photo store judges the bytes, so it must be a real image.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const PHONE = DEMO.operator.phoneNumber;
const SIDE_PHONE = '+15550009999';

let database: TestDatabase;
let base: string;
let photosDir: string;
let store: SimulatorStore;
let demo: SeededDemo;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ database, base, photosDir, store, close } = await startSimulatorServer({ signIn: false }));
});
afterAll(async () => {
  await close?.();
});

const chatPath = (phone: string) => `/simulator?phone=${encodeURIComponent(phone)}`;

const chat = (phone: string) => simulatorChat(base, { phone });
const waitForServer = (phone: string, match: RegExp, after = 0, timeoutMs?: number) =>
  waitForSimulatorMessage(base, { phone }, match, after, timeoutMs);

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

const sendText = (phone: string, text: string) =>
  request(base).post('/simulator/send').type('form').send({ phone, text });
const pressButton = (phone: string, b: { id: string; title: string; kind?: string }) =>
  request(base)
    .post('/simulator/button')
    .type('form')
    .send({ phone, id: b.id, title: b.title, kind: b.kind ?? 'reply' });
const sendPhoto = (phone: string, bytes: Buffer, caption?: string) => {
  const req = request(base).post('/simulator/photo').field('phone', phone);
  if (caption !== undefined) req.field('caption', caption);
  return req.attach('photo', bytes, { filename: 'photo.png', contentType: 'image/png' });
};

/** Taps the reply button whose id or title matches, when the message has one; otherwise answers by text. */
async function tapOrType(phone: string, message: ChatItem, button: RegExp, text: string) {
  const b = message.buttons.find((x) => button.test(x.title) || button.test(x.id.split(':').pop() ?? ''));
  const res = b ? await pressButton(phone, b) : await sendText(phone, text);
  expect(res.status).toBe(303);
  return b ? 'button' : 'text';
}

const inboxRow = async (phone: string, type: string) => {
  const { rows } = await database.pool.query(
    'SELECT type, payload, sent_at FROM whatsapp_inbox WHERE phone_number = $1 AND type = $2 ORDER BY id DESC LIMIT 1',
    [phone, type],
  );
  return rows[0] as { type: string; payload: Record<string, unknown>; sent_at: Date } | undefined;
};

describe('webhookPayload', () => {
  it('when the operator types a text, then the delivery has exactly the shape Meta sends', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');

    const payload = webhookPayload({
      phone: '+15550001234',
      name: 'Demo Operator',
      waMessageId: 'wamid.SIM.1',
      at,
      message: { type: 'text', body: 'OK - fine' },
    });

    expect(payload).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'simulator-waba',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550000000', phone_number_id: 'simulator' },
                contacts: [{ profile: { name: 'Demo Operator' }, wa_id: '15550001234' }],
                messages: [
                  {
                    from: '15550001234',
                    id: 'wamid.SIM.1',
                    timestamp: '1767323045',
                    type: 'text',
                    text: { body: 'OK - fine' },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
  });

  it('when a template quick reply is tapped, then it is type button with payload and text, as Meta sends it', () => {
    const payload = webhookPayload({
      phone: '+15550001234',
      name: 'D',
      waMessageId: 'wamid.SIM.2',
      at: new Date(),
      message: { type: 'quick', payload: 'start:s1', text: 'Start' },
    });

    expect(payload.entry[0]!.changes[0]!.value.messages[0]).toMatchObject({
      type: 'button',
      button: { payload: 'start:s1', text: 'Start' },
    });
  });
});

describe('seedDemoData', () => {
  it('when the tables are empty, then it creates the demo operator, machine, the 4-task checklist and the typed readings checklist once', async () => {
    const logger = createLogger({ level: 'silent', pretty: false });

    const first = await seedDemoData(database.db, logger);
    const second = await seedDemoData(database.db, logger);

    expect(first).not.toBeNull();
    expect(second).toBeNull();
    demo = first!;
    const { rows } = await database.pool.query(
      `
      SELECT (SELECT count(*)::int FROM operators) AS operators, (SELECT count(*)::int FROM machines) AS machines,
             (SELECT count(*)::int FROM checklist_templates) AS templates,
             (SELECT array_agg(requires_photo ORDER BY position) FROM checklist_template_tasks WHERE template_id = $1) AS photos,
             (SELECT array_agg(task_type ORDER BY position) FROM checklist_template_tasks WHERE template_id = $2) AS types`,
      [first!.templateId, first!.readingsTemplateId],
    );
    expect(rows[0]).toEqual({
      operators: 1,
      machines: 1,
      templates: 2,
      photos: [false, true, false, false],
      types: ['number', 'number', 'choice', 'text'],
    });
  });
});

describe('the simulator page: a newcomer plays the operator', () => {
  it('when a checklist is assigned and answered by text, photo and button, then the submission is completed with the photo stored', async () => {
    const page = await request(base).get('/simulator');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Demo Operator');
    expect(page.text).toContain('Assign a checklist');

    const assigned = await request(base)
      .post('/simulator/assign')
      .type('form')
      .send({ templateId: demo.templateId, machineId: demo.machineId, operatorId: demo.operatorId });
    expect(assigned.status).toBe(303);
    expect(assigned.headers.location).toBe(`${chatPath(PHONE)}&assigned=started`);

    await waitForServer(PHONE, /Question 1 of 4/);
    const chatPage = await request(base).get(chatPath(PHONE));
    expect(chatPage.status).toBe(200);
    expect(chatPage.text).toContain('Question 1 of 4: Check oil level');

    let seen = (await chat(PHONE)).length;
    const byText = await sendText(PHONE, 'OK - oil level normal');
    expect(byText.status).toBe(303);
    expect(byText.headers.location).toBe(chatPath(PHONE));
    await waitForServer(PHONE, /Question 2 of 4/, seen);

    seen = (await chat(PHONE)).length;
    const byPhoto = await sendPhoto(PHONE, PNG, 'OK - hoses dry');
    expect(byPhoto.status).toBe(303);
    const q3 = await waitForServer(PHONE, /Question 3 of 4/, seen);

    seen = (await chat(PHONE)).length;
    await tapOrType(PHONE, q3, /^OK$/i, 'OK');
    const q4 = await waitForServer(PHONE, /Question 4 of 4/, seen);

    seen = (await chat(PHONE)).length;
    await tapOrType(PHONE, q4, /^NA$/i, 'NA');
    const summary = await waitForServer(PHONE, /CONFIRM|Confirm/, seen);
    expect(summary.text).toContain('Check hydraulic hoses for leaks');

    seen = (await chat(PHONE)).length;
    await tapOrType(PHONE, summary, /confirm/i, 'CONFIRM');
    await waitForServer(PHONE, /🎉/, seen);

    const submission = await waitFor('the completed submission', async () => {
      const { rows } = await database.pool.query(
        "SELECT id, status FROM checklist_submissions WHERE operator_id = $1 AND status = 'completed'",
        [demo.operatorId],
      );
      return rows[0] as { id: string; status: string } | undefined;
    });
    const { rows: answers } = await database.pool.query<{
      position: number;
      status: string;
      remarks: string | null;
      photo_filename: string | null;
    }>(
      'SELECT position, status, remarks, photo_filename FROM checklist_submission_answers WHERE submission_id = $1 ORDER BY position',
      [submission.id],
    );
    expect(answers.map((a) => [a.position, a.status])).toEqual([
      [1, 'OK'],
      [2, 'OK'],
      [3, 'OK'],
      [4, 'NA'],
    ]);
    expect(answers[0]).toMatchObject({ remarks: 'oil level normal', photo_filename: null });
    expect(answers[1]).toMatchObject({ remarks: 'hoses dry' });
    const photo = answers[1]!.photo_filename!;
    expect(photo).toMatch(/\.png$/);
    expect(fs.readFileSync(path.join(photosDir, photo)).equals(PNG)).toBe(true);
    const { rows: assignments } = await database.pool.query(
      'SELECT status FROM checklist_assignments WHERE operator_id = $1',
      [demo.operatorId],
    );
    expect(assignments).toEqual([{ status: 'completed' }]);
  });

  it('when the chat has the photo, then the page shows it from the simulator and both sides in order', async () => {
    const items = await chat(PHONE);
    const photo = items.find((m) => m.kind === 'photo');

    expect(photo).toMatchObject({ direction: 'in', text: 'OK - hoses dry' });
    const img = await request(base).get(`/simulator/media/${photo!.mediaId}`);
    expect(img.status).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect(items[0]).toMatchObject({ direction: 'out' });
    expect(items.map((m) => Date.parse(m.at))).toEqual(items.map((m) => Date.parse(m.at)).sort((a, b) => a - b));
    expect((await request(base).get('/simulator/media/sim-media-000000000000000000000000')).status).toBe(404);
  });

  it('when the page loads its stylesheet and refresh script, then both are served from public/', async () => {
    const css = await request(base).get('/simulator/assets/app.css');
    const js = await request(base).get('/simulator/assets/simulator.js');

    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.text).toContain('/simulator/button');
  });
});

describe('what the simulator sends to the webhook', () => {
  beforeAll(async () => {
    await insertOperator(database.db, { name: 'Asha <b>&</b>', phoneNumber: SIDE_PHONE });
  });

  it('when a remark contains HTML, then the page shows it escaped', async () => {
    const res = await sendText(SIDE_PHONE, '<script>alert(1)</script>');
    expect(res.status).toBe(303);
    await waitForServer(SIDE_PHONE, /no open checklist/);

    const page = await request(base).get(chatPath(SIDE_PHONE));

    expect(page.status).toBe(200);
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toContain('Asha &lt;b&gt;&amp;&lt;/b&gt;');
    expect(page.text).not.toMatch(/<script>(?!<\/script>)/); // only <script src=...> tags, no inline code
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it("when a reply button is tapped, then Meta's interactive button_reply arrives signed at the webhook", async () => {
    const res = await pressButton(SIDE_PHONE, { id: 'ans:x:0:OK', title: 'OK' });

    expect(res.status).toBe(303);
    const row = await inboxRow(SIDE_PHONE, 'interactive');
    expect(row?.payload).toMatchObject({
      from: '15550009999',
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'ans:x:0:OK', title: 'OK' } },
    });
    expect(row?.payload.id).toMatch(/^wamid\.SIM\./);
    expect(Math.abs(Date.now() - row!.sent_at.getTime())).toBeLessThan(5_000);
  });

  it('when a template is shown, then it reads "[template name] params" and its Start quick reply goes as type button', async () => {
    store.record(SIDE_PHONE, {
      type: 'template',
      template: {
        name: 'checklist_start',
        language: { code: 'en' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Daily press check' },
              { type: 'text', text: 'Press 7' },
            ],
          },
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: '0',
            parameters: [{ type: 'payload', payload: 'start:abc' }],
          },
        ],
      },
    });

    const page = await request(base).get(chatPath(SIDE_PHONE));
    expect(page.text).toContain('[template checklist_start] Daily press check, Press 7');
    expect(page.text).toContain('name="kind" value="quick"');
    const res = await pressButton(SIDE_PHONE, { id: 'start:abc', title: 'Start', kind: 'quick' });

    expect(res.status).toBe(303);
    const row = await inboxRow(SIDE_PHONE, 'button');
    expect(row?.payload).toMatchObject({ type: 'button', button: { payload: 'start:abc', text: 'Start' } });
  });

  it('when a photo is sent, then the image carries a media id the server can fetch, its type and hash', async () => {
    const res = await sendPhoto(SIDE_PHONE, PNG);

    expect(res.status).toBe(303);
    const row = await inboxRow(SIDE_PHONE, 'image');
    const image = row?.payload.image as { id: string; mime_type: string; sha256: string; caption?: string };
    expect(image).toMatchObject({ mime_type: 'image/png', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(image.caption).toBeUndefined();
    expect((await store.fetchMedia(image.id)).equals(PNG)).toBe(true);
  });
});

describe('bad input gets a 400 page saying what is wrong', () => {
  it.each([
    { name: 'the text is empty', send: () => sendText(PHONE, ''), says: 'Type an answer' },
    { name: 'the text is only spaces', send: () => sendText(PHONE, '   '), says: 'Type an answer' },
    {
      name: 'the phone is unknown',
      send: () => sendText('+15550000042', 'OK'),
      says: 'No operator has the phone number +15550000042',
    },
    {
      name: 'the phone is missing',
      send: () => request(base).post('/simulator/send').type('form').send({ text: 'OK' }),
      says: 'Choose an operator',
    },
    { name: 'the button has no id', send: () => pressButton(PHONE, { id: '', title: 'OK' }), says: 'no id' },
    {
      name: 'the photo is missing',
      send: () => request(base).post('/simulator/photo').field('phone', PHONE),
      says: 'Choose a photo',
    },
    {
      name: 'the file is not an image',
      send: () => sendPhoto(PHONE, Buffer.from('just text, not a photo')),
      says: 'not a JPEG, PNG or WebP',
    },
    {
      name: 'the photo is over 5 MB',
      send: () => sendPhoto(PHONE, Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)])),
      says: 'larger than 5 MB',
    },
    {
      name: 'the assignment names no machine',
      send: () => request(base).post('/simulator/assign').type('form').send({ templateId: 1, operatorId: 1 }),
      says: 'Choose a machine',
    },
    {
      name: 'the page asks for an unknown phone',
      send: () => request(base).get(chatPath('+15550000042')),
      says: 'No operator has the phone number',
    },
  ])('when $name, then 400 and it says so', async ({ send, says }) => {
    const inboxCount = async () =>
      (await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM whatsapp_inbox')).rows[0]!.n;
    const inboxBefore = await inboxCount();

    const res = await send();

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain(says);
    expect(await inboxCount()).toBe(inboxBefore);
  });

  it('when the chat JSON is asked for an unknown phone, then 400 JSON', async () => {
    const res = await request(base).get('/simulator/messages?phone=%2B15550000042');

    expect(res.status).toBe(400);
    expect(errorOf(res)?.code).toBe('unknown_operator');
  });
});

describe('the Edit list in the simulator', () => {
  // As the page's row form sends it: the row, and the list message it belongs to as context.
  const pressRow = (phone: string, r: { id: string; title: string; description: string }, context: string) =>
    request(base)
      .post('/simulator/button')
      .type('form')
      .send({ phone, id: r.id, title: r.title, description: r.description, kind: 'row', context });

  it("when Edit is tapped at the summary, then the list shows its rows, and a row tap reaches the conversation as Meta's list_reply", async () => {
    let seen = (await chat(PHONE)).length;
    const assigned = await request(base)
      .post('/simulator/assign')
      .type('form')
      .send({ templateId: demo.templateId, machineId: demo.machineId, operatorId: demo.operatorId });
    expect(assigned.status).toBe(303);
    await waitForServer(PHONE, /Question 1 of 4/, seen);
    for (const [i, answer] of ['OK - oil level normal', null, 'OK', 'OK'].entries()) {
      seen = (await chat(PHONE)).length;
      expect(
        (answer === null ? await sendPhoto(PHONE, PNG, 'NOT OK - small leak') : await sendText(PHONE, answer)).status,
      ).toBe(303);
      await waitForServer(PHONE, i < 3 ? new RegExp(`Question ${i + 2} of 4`) : /^✅ All 4/, seen);
    }
    const summary = (await chat(PHONE)).at(-1)!;
    seen = (await chat(PHONE)).length;

    expect(
      (
        await pressButton(
          PHONE,
          summary.buttons.find((b) => b.title === 'Edit')!,
        )
      ).status,
    ).toBe(303);

    const list = await waitForServer(PHONE, /Which answer do you want to change\?/, seen);
    expect(list.kind).toBe('list');
    expect(list.list?.button).toBe('Choose a question');
    const rows = list.list!.sections.flatMap((s) => s.rows);
    expect(rows.map((r) => [r.title, r.description])).toEqual([
      ['1. Check oil level', 'OK - oil level normal'],
      ['2. Check hydraulic hose…', 'NOT OK - small leak 📷'],
      ['3. Check emergency stop', 'OK'],
      ['4. Clean the work area', 'OK'],
    ]);
    const page = await request(base).get(chatPath(PHONE));
    expect(page.text).toContain('☰ Choose a question');
    expect(page.text).toContain(`name="id" value="${rows[1]!.id}"`);
    expect(page.text).toContain('name="kind" value="row"');
    expect(page.text).toContain('<span class="list-row-description">NOT OK - small leak 📷</span>');

    seen = (await chat(PHONE)).length;
    expect((await pressRow(PHONE, rows[1]!, list.key)).status).toBe(303);

    const row = await inboxRow(PHONE, 'interactive');
    expect(row?.payload).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'list_reply',
        list_reply: { id: rows[1]!.id, title: rows[1]!.title, description: rows[1]!.description },
      },
      context: { id: list.key },
    });
    const reopened = await waitForServer(PHONE, /^📋 Question 2 of 4/, seen);
    expect(reopened.text).toContain('Your earlier answer: NOT OK - small leak 📷');
    seen = (await chat(PHONE)).length;
    expect((await sendText(PHONE, 'OK - hoses dry')).status).toBe(303);
    await waitForServer(PHONE, /2\. Check hydraulic hoses for leaks - OK - hoses dry 📷/, seen);
    seen = (await chat(PHONE)).length;
    expect((await sendText(PHONE, 'CONFIRM')).status).toBe(303);
    await waitForServer(PHONE, /🎉/, seen);
  });

  it('when the current question is a reading, then the help line under the chat says what to type for it, and follows the next question (issue 16)', async () => {
    const phone = '+15550007777';
    const op = await insertOperator(database.db, { name: 'Ravi', phoneNumber: phone });
    const assigned = await request(base)
      .post('/simulator/assign')
      .type('form')
      .send({ templateId: demo.readingsTemplateId, machineId: demo.machineId, operatorId: op.id });
    expect(assigned.status).toBe(303);
    await waitForServer(phone, /Question 1 of 4: Hydraulic pressure/);

    const page = await request(base).get(chatPath(phone));
    const json = await request(base).get(`/simulator/messages?phone=${encodeURIComponent(phone)}`);

    expect(page.text).toMatch(/id="answer-hint"[^>]*>Type the value in bar \(5 to 8\), e\.g\. “6\.5”/);
    expect(page.text).not.toContain('Answer with OK, NOT OK or NA');
    expect((json.body as { hint: string }).hint).toContain('Type the value in bar (5 to 8)');

    const seen = (await chat(phone)).length;
    expect((await sendText(phone, '6.5')).status).toBe(303);
    await waitForServer(phone, /Question 2 of 4: Oil temperature/, seen);
    const next = await request(base).get(`/simulator/messages?phone=${encodeURIComponent(phone)}`);
    expect((next.body as { hint: string }).hint).toContain('Type the value in °C (at most 60)');
  });
});
