import type pg from 'pg';
import type { Harness } from './harness.js';
import { waitUntil } from './lifecycle.js';

/**
 * An open transaction on its own connection, holding whatever locks `statements` take, so a test can
 * stop the app's transaction at a known point and interleave another one deterministically.
 */
export async function holdLocks(h: Harness, ...statements: Array<string | [string, unknown[]]>) {
  const client: pg.PoolClient = await h.database.pool.connect();
  await client.query('BEGIN');
  for (const s of statements) {
    if (typeof s === 'string') await client.query(s);
    else await client.query(s[0], s[1]);
  }
  let done = false;
  const end = async (how: 'COMMIT' | 'ROLLBACK') => {
    if (done) return;
    done = true;
    try {
      await client.query(how);
    } finally {
      client.release();
    }
  };
  return {
    query: (text: string, params: unknown[] = []) => client.query(text, params),
    commit: () => end('COMMIT'),
    rollback: () => end('ROLLBACK'),
  };
}

/**
 * Waits until `n` backends of this database are blocked on a lock (row or table locks; advisory try-locks never
 * wait), counting only those whose current statement matches the SQL LIKE pattern `query`, when given.
 */
export async function waitForLockWaiters(h: Harness, n: number, query = '%', timeoutMs = 8000) {
  await waitUntil(
    `${n} transaction(s) waiting on a lock in a statement like ${query}`,
    async () => {
      const { rows } = await h.database.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE $1`,
        [query],
      );
      return rows[0]!.n >= n;
    },
    timeoutMs,
  );
}
