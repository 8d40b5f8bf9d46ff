// Decision 0017: a claim's sends must reach Meta within the seconds the pace charged them to. A process that
// was busy when the claim's answer came back (its event loop blocked) would send them into a later second
// that already had its share; such a claim goes back unsent and is paced again.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { memoryLogger, startFaultHarness, type LogLine } from '../support/fault-harness.js';
import { rows, waitUntil } from '../support/lifecycle.js';

const HANDED_BACK = '[WHATSAPP] Claim arrived after its send pace share; handed back';

let h: Harness;
let lines: LogLine[];
beforeAll(async () => {
  const memory = memoryLogger('debug');
  lines = memory.lines;
  h = await startFaultHarness({ logger: memory.logger });
});
afterAll(async () => {
  await h?.close();
});

/** Blocks this process for `ms` right after the next outbox claim is written to PostgreSQL (a busy event loop). */
function stallAfterNextClaim(pool: pg.Pool, ms: number) {
  let armed = true;
  const wrapped = new WeakSet<pg.PoolClient>();
  pool.on('acquire', (client) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: typeof query }).query = (...args) => {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
      const result = query(...args);
      if (armed && text?.includes('EXECUTE outbox_claim_heads_paced')) {
        armed = false;
        setImmediate(() => {
          const end = Date.now() + ms;
          while (Date.now() < end);
        });
      }
      return result;
    };
  });
  return { fired: () => !armed };
}

describe('a claim whose answer waited in a busy process', () => {
  it('when the process is blocked past the claim’s seconds, then its row goes back unsent and the next claim sends it once', async () => {
    const phone = '+919800000777';
    await h.runtime.outboxWorker.stop();
    await rows(h, "INSERT INTO whatsapp_outbox (phone_number, kind, payload) VALUES ($1, 'reply', $2)", [
      phone,
      JSON.stringify({ type: 'text', text: { body: 'Sent after the stall', preview_url: false } }),
    ]);
    // Longer than any claim's seconds last (at most 1.2 s: a claim in a second's last fifth counts in the next).
    const stall = stallAfterNextClaim(h.database.pool, 1500);

    h.runtime.outboxWorker.start();
    const sentRow = async () =>
      rows<{ status: string; attempts: number }>(
        h,
        'SELECT status, attempts FROM whatsapp_outbox WHERE phone_number = $1',
        [phone],
      );
    await waitUntil('the message recorded as sent', async () => (await sentRow())[0]?.status === 'sent');

    expect(stall.fired()).toBe(true);
    expect(lines.filter((l) => l.msg === HANDED_BACK)).toHaveLength(1);
    expect(h.graph.textsTo(phone)).toEqual(['Sent after the stall']);
    expect(await sentRow()).toEqual([{ status: 'sent', attempts: 1 }]);
  });
});
