// The statements a CONFIRM runs besides the apply's own (the named thank-you, the next queued start) are prepared
// once per connection, as pg's named statements (lib/db/transaction.ts runPrepared); the review state, sent with
// the COMMIT, with the apply's own (PREPARE). PostgreSQL lists both in pg_prepared_statements, a view of the
// connection's own.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNames } from '../../src/checklists/checklists-repository.js';
import { createDb, createPool } from '../../src/lib/db/client.js';
import { withTransaction } from '../../src/lib/db/transaction.js';
import { startHarness, type Harness } from '../support/harness.js';
import { assignmentOf, operatorWithWork, waitUntil } from '../support/lifecycle.js';
import { say, settle } from '../support/settle.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** The names prepared on each connection of `pool`, all of them checked out at once (none may be in use). */
async function preparedPerConnection(pool: pg.Pool): Promise<string[][]> {
  const clients = await Promise.all(Array.from({ length: pool.totalCount }, () => pool.connect()));
  try {
    return await Promise.all(
      clients.map(async (c) =>
        (await c.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name')).rows.map(
          (r) => r.name,
        ),
      ),
    );
  } finally {
    for (const c of clients) c.release();
  }
}

const CONFIRM_STATEMENTS = [
  'apply_lock',
  'apply_write',
  'start_queue_ahead',
  'start_lock_next_queued',
  'rework_lock_next_queued',
  'start_insert',
  'submission_settle_review',
];

describe('prepared statements of a CONFIRM', () => {
  it('when a CONFIRM starts the next queued checklist, then the connection that ran it has every statement of it prepared', async () => {
    const w = await operatorWithWork(h, ['Check oil level']);
    await w.assign();
    await settle(h);
    const next = await w.assign(['Grease the chain']);

    await say(h, w.phone, 'OK - fine', 'CONFIRM');
    await waitUntil('the queued checklist to start', async () => (await assignmentOf(h, next.id)).status === 'active');
    await settle(h);
    await h.runtime.stopWorkers();

    const perConnection = await preparedPerConnection(h.database.pool);
    expect(perConnection.filter((names) => CONFIRM_STATEMENTS.every((n) => names.includes(n)))).not.toHaveLength(0);
  });
});

describe('a statement prepared on first use', () => {
  const ids = { template: 999_999, machine: 999_998 };

  it('when its first use is in a transaction that rolls back, then its next use on that connection runs it without preparing it again', async () => {
    const pool = createPool(h.database.url, 1);
    const db = createDb(pool);
    try {
      const failed = withTransaction(db, async (tx) => {
        await findNames(tx, ids.template, ids.machine);
        throw new Error('rolled back');
      });
      await expect(failed).rejects.toThrow('rolled back');

      const names = await withTransaction(db, (tx) => findNames(tx, ids.template, ids.machine));

      expect(names).toEqual({ template: null, machine: null });
      expect(await preparedPerConnection(pool)).toEqual([['checklist_names']]);
    } finally {
      await pool.end();
    }
  });

  it('when PostgreSQL ended the connection that had it prepared, then it is prepared again on the new one', async () => {
    const pool = createPool(h.database.url, 1);
    // The idle connection's end reaches the pool as an 'error' event; it drops the connection.
    pool.on('error', () => undefined);
    const db = createDb(pool);
    try {
      await withTransaction(db, (tx) => findNames(tx, ids.template, ids.machine));
      const [{ pid }] = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];
      await h.database.pool.query('SELECT pg_terminate_backend($1)', [pid]);
      await waitUntil('the pool to drop the ended connection', () => pool.totalCount === 0);

      const names = await withTransaction(db, (tx) => findNames(tx, ids.template, ids.machine));

      expect(names).toEqual({ template: null, machine: null });
      const [{ pid: now }] = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [
        { pid: number },
      ];
      expect(now).not.toBe(pid);
    } finally {
      await pool.end();
    }
  });

  it('when it runs on the pool rather than on a transaction, then it runs on a connection of its own', async () => {
    const names = await findNames(h.database.db, ids.template, ids.machine);

    expect(names).toEqual({ template: null, machine: null });
  });
});
