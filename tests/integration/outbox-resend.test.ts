// `npm run outbox:resend`: failed messages requeued after their cause is fixed, by the rules of
// requeueFailed (a phone's failed tail only, active or no session, within --since, --code, --phone).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requeueFailed, type RequeueFilter } from '../../src/outbox/outbox-repository.js';
import { parseSince } from '../../src/outbox/outbox-resend.js';
import { assignChecklist, newPhone } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';
import { rows, sessionOf } from '../support/lifecycle.js';
import { runScript } from '../support/run-script.js';
import { say, settle } from '../support/settle.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const TOKEN_EXPIRED = { status: 401, code: 190, title: 'Invalid OAuth access token' };
const lastHours = (n: number) => parseSince(`${n}h`)!;
const requeue = (f: Partial<RequeueFilter> & { phone: string }) =>
  requeueFailed(h.database.db, { since: lastHours(2), dryRun: false, ...f });

/** An outbox row written as the worker would have left it; returns its id. */
async function outboxRow(
  phone: string,
  status: 'failed' | 'sent',
  opts: { sessionId?: string | null; code?: number; ageMinutes?: number } = {},
) {
  const [row] = await rows<{ id: number }>(
    h,
    `
    INSERT INTO whatsapp_outbox (phone_number, session_id, kind, payload, status, attempts, error_code, error_title, created_at)
    VALUES ($1, $2, 'text', $3, $4, 1, $5, $6, now() - make_interval(mins => $7)) RETURNING id`,
    [
      phone,
      opts.sessionId ?? null,
      JSON.stringify({ type: 'text', text: { body: `row for ${phone}`, preview_url: false } }),
      status,
      status === 'failed' ? (opts.code ?? 190) : null,
      status === 'failed' ? 'Invalid OAuth access token' : null,
      opts.ageMinutes ?? 5,
    ],
  );
  return Number(row!.id);
}

const statuses = async (ids: number[]) =>
  (
    await rows<{ id: string; status: string; attempts: number }>(
      h,
      'SELECT id, status, attempts FROM whatsapp_outbox WHERE id = ANY($1) ORDER BY id',
      [ids],
    )
  ).map((r) => ({ id: Number(r.id), status: r.status, attempts: r.attempts }));

describe('outbox:resend', () => {
  it("when an active session's failed tail is requeued, then the running worker sends each message once, in order", async () => {
    const stopFailing = h.graph.failWhen(() => true, TOKEN_EXPIRED);
    const s = await assignChecklist(h, ['Check oil level', 'Check belt tension']);
    const phone = s.operator.phoneNumber;
    await settle(h);
    await say(h, phone, 'OK - oil fine');
    const failed = await rows<{
      id: string;
      payload: { text?: { body: string }; interactive?: { body: { text: string } } };
    }>(h, `SELECT id, payload FROM whatsapp_outbox WHERE phone_number = $1 AND status = 'failed' ORDER BY id`, [phone]);
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(h.graph.sentTo(phone)).toHaveLength(0);
    stopFailing();

    const result = await requeue({ phone });
    await settle(h);

    expect(result).toEqual([{ phoneNumber: phone, errorCode: 190, outcome: 'requeued', count: failed.length }]);
    const expected = failed.map((r) => r.payload.text?.body ?? r.payload.interactive?.body.text);
    expect(h.graph.textsTo(phone)).toEqual(expected);
    const after = await rows<{ status: string; error_code: number | null }>(
      h,
      'SELECT status, error_code FROM whatsapp_outbox WHERE id = ANY($1)',
      [failed.map((r) => r.id)],
    );
    expect(after.every((r) => r.status === 'sent' && r.error_code === null)).toBe(true);
  });

  it('when a failed message is followed by a sent one to the same phone, then only the failed ones after the sent one are requeued', async () => {
    const phone = newPhone();
    const before = await outboxRow(phone, 'failed');
    const sent = await outboxRow(phone, 'sent');
    const tail = await outboxRow(phone, 'failed');

    const result = await requeue({ phone });

    expect(result).toEqual([
      { phoneNumber: phone, errorCode: 190, outcome: 'later_message', count: 1 },
      { phoneNumber: phone, errorCode: 190, outcome: 'requeued', count: 1 },
    ]);
    expect(await statuses([before, sent])).toEqual([
      { id: before, status: 'failed', attempts: 1 },
      { id: sent, status: 'sent', attempts: 1 },
    ]);
    expect((await statuses([tail]))[0]!.status).not.toBe('failed');
  });

  it('when a later message to the same phone is still being sent, then the failed one before it is not requeued (it would go out second)', async () => {
    const phone = newPhone();
    const failed = await outboxRow(phone, 'failed');
    const [inFlight] = await rows<{ id: string }>(
      h,
      `
      INSERT INTO whatsapp_outbox (phone_number, kind, payload, status, attempts, lease_until)
      VALUES ($1, 'text', '{"type":"text","text":{"body":"in flight"}}', 'sending', 1, now() + interval '1 hour') RETURNING id`,
      [phone],
    );
    try {
      const result = await requeue({ phone });

      expect(result).toEqual([{ phoneNumber: phone, errorCode: 190, outcome: 'later_message', count: 1 }]);
      expect(await statuses([failed])).toEqual([{ id: failed, status: 'failed', attempts: 1 }]);
    } finally {
      await rows(h, `UPDATE whatsapp_outbox SET status = 'sent', lease_until = NULL WHERE id = $1`, [inFlight!.id]);
    }
  });

  it('when a failed message belongs to a cancelled session, then it is not requeued', async () => {
    const s = await assignChecklist(h, ['Check oil level']);
    await settle(h);
    expect((await h.api.post(`/api/assignments/${s.assignment.id}/cancel`)).status).toBe(200);
    await settle(h);
    const session = await sessionOf(h, s.assignment.id);
    expect(session!.status).toBe('cancelled');
    const id = await outboxRow(s.operator.phoneNumber, 'failed', { sessionId: session!.id });

    const result = await requeue({ phone: s.operator.phoneNumber });

    expect(result).toEqual([
      { phoneNumber: s.operator.phoneNumber, errorCode: 190, outcome: 'session_ended', count: 1 },
    ]);
    expect(await statuses([id])).toEqual([{ id, status: 'failed', attempts: 1 }]);
  });

  it('when --code and --phone are given, then only the failed messages with that code to that phone are requeued', async () => {
    const [phone, other] = [newPhone(), newPhone()];
    const wrongCode = await outboxRow(phone, 'failed', { code: 131047 });
    const match = await outboxRow(phone, 'failed', { code: 190 });
    const otherPhone = await outboxRow(other, 'failed', { code: 190 });

    const result = await requeue({ phone, code: 190 });

    expect(result).toEqual([{ phoneNumber: phone, errorCode: 190, outcome: 'requeued', count: 1 }]);
    expect(await statuses([wrongCode, otherPhone])).toEqual([
      { id: wrongCode, status: 'failed', attempts: 1 },
      { id: otherPhone, status: 'failed', attempts: 1 },
    ]);
    expect((await statuses([match]))[0]!.status).not.toBe('failed');
  });

  it('when a failed message is older than --since, then it is left as it is', async () => {
    const phone = newPhone();
    const old = await outboxRow(phone, 'failed', { ageMinutes: 3 * 60 });
    const recent = await outboxRow(phone, 'failed', { ageMinutes: 10 });

    const result = await requeue({ phone, since: parseSince('2h')! });

    expect(result).toEqual([{ phoneNumber: phone, errorCode: 190, outcome: 'requeued', count: 1 }]);
    expect(await statuses([old])).toEqual([{ id: old, status: 'failed', attempts: 1 }]);
    expect((await statuses([recent]))[0]!.status).not.toBe('failed');
  });

  it('when it is a dry run, then nothing changes and the counts are those of the real run that follows', async () => {
    const phone = newPhone();
    const ids = [
      await outboxRow(phone, 'failed'),
      await outboxRow(phone, 'sent'),
      await outboxRow(phone, 'failed'),
      await outboxRow(phone, 'failed', { code: 131047 }),
    ];
    const before = await statuses(ids);

    const dry = await requeue({ phone, dryRun: true });
    const unchanged = await statuses(ids);
    const real = await requeue({ phone });

    expect(dry).toEqual([
      { phoneNumber: phone, errorCode: 190, outcome: 'later_message', count: 1 },
      { phoneNumber: phone, errorCode: 190, outcome: 'requeued', count: 1 },
      { phoneNumber: phone, errorCode: 131047, outcome: 'requeued', count: 1 },
    ]);
    expect(unchanged).toEqual(before);
    expect(real).toEqual(dry);
  });
});

describe('outbox:resend arguments, as a process', () => {
  it.each([[[]], [['--since', 'banana']]])(
    'when the command is run with %j, then it prints the usage and exits 2 before touching a database',
    (argv) => {
      const result = runScript('src/outbox/outbox-resend-cli.ts', argv, {
        DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none',
      });

      expect(result.error).toBeUndefined();
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/^Usage: npm run outbox:resend -- --since 2h/m);
    },
  );
});
