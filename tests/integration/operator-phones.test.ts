// Issue 15 item 4: a number a manager types is parsed with libphonenumber (DEFAULT_COUNTRY for one without
// its country code), and numbers stored before that are rewritten at start (operator-phones.ts) and by
// `npm run operators:phones`, with their running conversation and unsent messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseOperatorPhonesAtStart } from '../../src/admin/catalogue/operator-phones.js';
import { createUser, signIn, type Agent } from '../support/admin.js';
import { errorOf, type OperatorBody } from '../support/api-bodies.js';
import { assignChecklist, newPhone } from '../support/factories.js';
import { memoryLogger } from '../support/fault-harness.js';
import { startHarness, type Harness } from '../support/harness.js';
import { rows } from '../support/lifecycle.js';
import { runScript } from '../support/run-script.js';
import { say, settle, textOf } from '../support/settle.js';

let h: Harness;
let agent: Agent;
beforeAll(async () => {
  h = await startHarness({ DEFAULT_COUNTRY: 'IN' });
  ({ agent } = await signIn(h.app, await createUser(h.database.db, { role: 'admin' })));
});
afterAll(async () => {
  await h?.close();
});

const storedPhone = async (id: number) =>
  (await rows<{ phone_number: string }>(h, 'SELECT phone_number FROM operators WHERE id = $1', [id]))[0]?.phone_number;
const insertOperator = async (name: string, phone: string) =>
  (
    await rows<{ id: number }>(h, 'INSERT INTO operators (name, phone_number) VALUES ($1, $2) RETURNING id', [
      name,
      phone,
    ])
  )[0]!.id;
/** "+919812345678" as the hand parser stored "+91 0 98123 45678": with India's trunk 0. */
const withTrunkZero = (e164: string) => `+910${e164.slice(3)}`;

describe('POST /api/operators with DEFAULT_COUNTRY=IN', () => {
  it('when the number is "+44 (0)20 7946 0958", then +442079460958 is stored (the trunk 0 dropped)', async () => {
    const res = await h.api.post('/api/operators', { name: 'London', phoneNumber: '+44 (0)20 7946 0958' });

    expect(res.status).toBe(201);
    expect((res.body as OperatorBody).phoneNumber).toBe('+442079460958');
    expect(await storedPhone((res.body as OperatorBody).id)).toBe('+442079460958');
  });

  it('when the number is "98123 45678" (no country code), then +919812345678 is stored', async () => {
    const res = await h.api.post('/api/operators', { name: 'Pune', phoneNumber: '98123 45678' });

    expect(res.status).toBe(201);
    expect(await storedPhone((res.body as OperatorBody).id)).toBe('+919812345678');
  });

  it('when the number is invalid, then 400 naming phoneNumber and nothing is stored', async () => {
    const res = await h.api.post('/api/operators', { name: 'Nowhere', phoneNumber: '+91 12' });

    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({
      code: 'validation_failed',
      details: {
        fields: [
          {
            field: 'phoneNumber',
            message: "This is not a phone number. Type the operator's WhatsApp number, for example +91 98123 45678.",
          },
        ],
      },
    });
    expect(await rows(h, "SELECT 1 FROM operators WHERE name = 'Nowhere'")).toEqual([]);
  });
});

describe('DEFAULT_COUNTRY=GB', () => {
  it('when a number without its country code is typed, then it is read as British', async () => {
    const gb = await startHarness({ DEFAULT_COUNTRY: 'GB' });
    try {
      const res = await gb.api.post('/api/operators', { name: 'Leeds', phoneNumber: '020 7946 0958' });

      expect(res.status).toBe(201);
      expect((res.body as OperatorBody).phoneNumber).toBe('+442079460958');
    } finally {
      await gb.close();
    }
  });
});

describe('numbers stored before libphonenumber, rewritten at start', () => {
  it('when an operator mid-checklist has a trunk 0 stored, then the number, the conversation and the queued message move to E.164 and the next answer is applied', async () => {
    const { operator, assignment } = await assignChecklist(h, ['Check oil level', 'Check belt tension']);
    await settle(h);
    const phone = operator.phoneNumber;
    const legacy = withTrunkZero(phone);
    await h.runtime.outboxWorker.stop();
    await rows(h, 'UPDATE operators SET phone_number = $1 WHERE id = $2', [legacy, operator.id]);
    await rows(
      h,
      "UPDATE whatsapp_conversation_sessions SET phone_number = $1 WHERE assignment_id = $2 AND status = 'active'",
      [legacy, assignment.id],
    );
    await rows(h, "INSERT INTO whatsapp_outbox (phone_number, kind, payload) VALUES ($1, 'reply', $2)", [
      legacy,
      JSON.stringify({ type: 'text', text: { body: 'Queued before the fix', preview_url: false } }),
    ]);
    const { logger, lines } = memoryLogger();

    await normaliseOperatorPhonesAtStart(h.database.db, logger);

    expect(await storedPhone(operator.id)).toBe(phone);
    expect(
      await rows(h, 'SELECT phone_number FROM whatsapp_conversation_sessions WHERE assignment_id = $1', [
        assignment.id,
      ]),
    ).toEqual([{ phone_number: phone }]);
    expect(await rows(h, 'SELECT 1 FROM whatsapp_outbox WHERE phone_number = $1', [legacy])).toEqual([]);
    expect(lines.find((l) => l.msg.startsWith("Operators' phone numbers rewritten"))).toMatchObject({
      level: 30,
      operatorIds: expect.arrayContaining([operator.id]) as unknown,
      sessionsMoved: 1,
      outboxMoved: 1,
    });
    h.runtime.outboxWorker.start();
    await settle(h);
    expect(h.graph.sentTo(phone).map(textOf)).toContain('Queued before the fix');

    await say(h, phone, 'OK');

    expect(textOf(h.graph.sentTo(phone).at(-1)!)).toMatch(/^📋 Question 2 of 2: Check belt tension/);
  });

  it('when a message to the old number is being sent, then the number is rewritten but its unsent messages stay', async () => {
    const legacy = withTrunkZero(newPhone());
    const id = await insertOperator('Sending', legacy);
    await rows(
      h,
      `INSERT INTO whatsapp_outbox (phone_number, kind, payload, status, lease_until)
       VALUES ($1, 'reply', '{}', 'sending', now() + interval '1 minute'), ($1, 'reply', '{}', 'pending', now())`,
      [legacy],
    );
    const { logger, lines } = memoryLogger();

    await normaliseOperatorPhonesAtStart(h.database.db, logger);

    expect(await storedPhone(id)).toBe(`+91${legacy.slice(4)}`);
    expect(await rows(h, 'SELECT status FROM whatsapp_outbox WHERE phone_number = $1 ORDER BY id', [legacy])).toEqual([
      { status: 'sending' },
      { status: 'pending' },
    ]);
    expect(lines.find((l) => l.msg.startsWith("Operators' phone numbers rewritten"))).toMatchObject({ outboxLeft: 2 });
    await rows(h, 'DELETE FROM whatsapp_outbox WHERE phone_number = $1', [legacy]);
  });

  it('when two operators would end up with one number, then both are left as they are, named in one WARN line and on the operators page', async () => {
    const asha = await insertOperator('Asha', '+4402079460959');
    const ashaK = await insertOperator('Asha K', '+442079460959');
    const { logger, lines } = memoryLogger();

    await normaliseOperatorPhonesAtStart(h.database.db, logger);
    await normaliseOperatorPhonesAtStart(h.database.db, logger);

    expect([await storedPhone(asha), await storedPhone(ashaK)]).toEqual(['+4402079460959', '+442079460959']);
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(2); // one line per start
    expect(warnings[0]).toMatchObject({ operatorIds: [[asha, ashaK]] });
    expect(warnings[0]!.msg).toMatch(
      /^Operators whose numbers are one number written differently are left as they are/,
    );
    const page = await agent.get('/operators');
    expect(page.text).toMatch(
      new RegExp(
        `id="phone-clashes"[\\s\\S]*<a href="/operators/${asha}/edit">Asha</a> \\(\\+4402079460959\\) and <a href="/operators/${ashaK}/edit">Asha K</a> \\(\\+442079460959\\) are both \\+442079460959\\.`,
      ),
    );
  });

  it('when npm run operators:phones runs, then it lists the clash and rewrites what it can; --dry-run changes nothing', async () => {
    const legacy = withTrunkZero(newPhone());
    const ravi = await insertOperator('Ravi CLI', legacy);
    const env = { DATABASE_URL: h.database.url, LOG_LEVEL: 'silent' };

    const dry = runScript('src/admin/catalogue/operator-phones-cli.ts', ['--dry-run'], env);
    const stillLegacy = await storedPhone(ravi);
    const real = runScript('src/admin/catalogue/operator-phones-cli.ts', [], env);

    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`Ravi CLI (operator ${ravi}): ${legacy} -> +91${legacy.slice(4)}`);
    expect(dry.stdout).toMatch(
      /^Left as they are: 2 operators with one number, \+442079460959, written differently:$/m,
    );
    expect(stillLegacy).toBe(legacy);
    expect(real.status, real.stderr).toBe(0);
    expect(real.stdout).toMatch(/^Rewrote 1 number:$/m);
    expect(await storedPhone(ravi)).toBe(`+91${legacy.slice(4)}`);
    expect(real.stdout).toContain('Change the number of the one who does not use that phone');
  });
});
