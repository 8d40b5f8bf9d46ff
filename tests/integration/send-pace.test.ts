// Issue 17 item 4: the outbox claim's shared send pace (whatsapp_send_pace, decision 0017), on a clock the
// test moves (ClaimOptions.at stands for the database's clock_timestamp()).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { claimHeads, type ClaimOptions } from '../../src/outbox/claim-repository.js';
import { createDb, createPool } from '../../src/lib/db/client.js';
import { returnUnsent } from '../../src/outbox/outbox-repository.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await database.pool.query('TRUNCATE whatsapp_outbox, whatsapp_send_pace');
});
afterAll(async () => {
  await database?.drop();
});

const SECOND = Date.parse('2026-12-07T06:00:00Z');
/** The database clock `ms` milliseconds into the shift start's second `s`. */
const at = (s: number, ms: number) => new Date(SECOND + s * 1000 + ms);

/** `perPhone` queued messages to each of `phones` phones, oldest first per phone, as replies are queued. */
async function queue(phones: number, perPhone = 1): Promise<void> {
  for (let n = 0; n < perPhone; n++)
    await database.pool.query(
      `INSERT INTO whatsapp_outbox (phone_number, kind, payload)
       SELECT '+91980000' || lpad(g::text, 4, '0'), 'text', jsonb_build_object('n', $2::int)
       FROM generate_series(1, $1::int) g ORDER BY g`,
      [phones, n],
    );
}

const claim = (o: Partial<ClaimOptions> & { at: Date }) =>
  claimHeads(database.db, { limit: 16, leaseSeconds: 30, maxPerSecond: 20, ...o });

/** Hands claimed rows back as sent, so each phone's next message becomes its head. */
async function markSent(ids: number[]) {
  await database.pool.query(`UPDATE whatsapp_outbox SET status = 'sent', lease_until = NULL WHERE id = ANY($1)`, [ids]);
}

const pending = async () =>
  Number(
    (await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM whatsapp_outbox WHERE status = 'pending'`))
      .rows[0]!.n,
  );

describe('the shared send pace (WHATSAPP_MAX_MESSAGES_PER_SECOND) in the outbox claim', () => {
  it('when 50 operators wait and the pace is 20 per second, then one second claims 20 and the rest wait, not dropped, for the next second', async () => {
    await queue(50);

    const first = await claim({ at: at(0, 100) });
    const second = await claim({ at: at(0, 150) });
    const spent = await claim({ at: at(0, 300) });
    const waiting = await pending();
    const nextSecond = await claim({ at: at(1, 20) });

    expect([first.rows.length, second.rows.length, spent.rows.length]).toEqual([16, 4, 0]);
    expect(first.paced).toBeNull();
    expect(second.paced).toEqual({ heldBack: 12, waitMs: 850 });
    expect(spent.paced).toEqual({ heldBack: 16, waitMs: 700 });
    expect(waiting).toBe(30);
    expect(nextSecond.rows).toHaveLength(16);
    expect(nextSecond.paced).toBeNull();
  });

  it('when messages are held back, then the next second sends the oldest first and each phone still one at a time, in order', async () => {
    await queue(3, 2);

    const one = await claim({ at: at(0, 100), maxPerSecond: 2 });
    await markSent(one.rows.map((r) => r.id));
    const two = await claim({ at: at(1, 100), maxPerSecond: 2 });
    await markSent(two.rows.map((r) => r.id));
    const three = await claim({ at: at(2, 100), maxPerSecond: 2 });

    const sent = [one, two, three].map((c) =>
      c.rows.map((r) => `${r.phone_number.slice(-1)}:${JSON.stringify(r.payload)}`),
    );
    expect(sent).toEqual([
      ['1:{"n":0}', '2:{"n":0}'],
      ['3:{"n":0}', '1:{"n":1}'],
      ['2:{"n":1}', '3:{"n":1}'],
    ]);
  });

  it('when a claim falls in the last fifth of a second, then its messages count in the next second too (they may reach Meta after the turn)', async () => {
    await queue(40);

    const late = await claim({ at: at(0, 900), limit: 15 });
    const afterTurn = await claim({ at: at(1, 10) });

    expect(late.rows).toHaveLength(15);
    expect(late.sendWithinMs).toBe(1100);
    expect(afterTurn.rows).toHaveLength(5);
    expect(afterTurn.sendWithinMs).toBe(990);
    expect(afterTurn.paced).toEqual({ heldBack: 11, waitMs: 990 });
  });

  it('when a claim read the clock before another process moved the pace to the next second, then it counts in that next second', async () => {
    await queue(40);

    const newer = await claim({ at: at(1, 50) });
    const older = await claim({ at: at(0, 990) });
    const newest = await claim({ at: at(1, 60) });

    expect(newer.rows).toHaveLength(16);
    expect(older.rows).toHaveLength(4);
    expect(newest.rows).toEqual([]);
  });

  it('when a claim could not send within its share of the pace, then its rows go back pending, the attempt uncounted, and the next claim takes them in order', async () => {
    await queue(3);
    const stale = await claim({ at: at(0, 100) });

    await returnUnsent(
      database.db,
      stale.rows.map((r) => r.id),
    );
    const again = await claim({ at: at(1, 100) });

    expect(again.rows.map((r) => [r.id, r.attempts])).toEqual(stale.rows.map((r) => [r.id, 1]));
  });

  it('when nothing is ready, then the claim leaves the pace row alone (no write on an idle poll)', async () => {
    const idle = await claim({ at: at(0, 100) });

    const { rows } = await database.pool.query('SELECT * FROM whatsapp_send_pace');
    expect(idle).toMatchObject({ rows: [], paced: null });
    expect(rows).toEqual([]);
  });

  it('when processes claim at the same moment on their own connections, then together they get exactly the second’s share', async () => {
    await queue(200);
    const pools = [createPool(database.url, 5), createPool(database.url, 5)];
    try {
      const dbs = pools.map((p) => createDb(p));
      const claims = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          claimHeads(dbs[i % 2]!, { limit: 16, leaseSeconds: 30, maxPerSecond: 60, at: at(0, 100) }),
        ),
      );

      const ids = claims.flatMap((c) => c.rows.map((r) => r.id));
      expect(ids).toHaveLength(60);
      expect(new Set(ids).size).toBe(60);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});
