import { sql } from 'drizzle-orm';
import type { Executor } from '../../lib/db/transaction.js';

/** Failed sign-ins counted under one (hashed) key, and when their window ends. */
export interface Attempts {
  hits: number;
  resetAt: Date;
}

type AttemptsRow = { hits: number; reset_at: Date };
const toAttempts = (row: AttemptsRow): Attempts => ({ hits: row.hits, resetAt: new Date(row.reset_at) });

/** The count under `key` while its window runs, or null. */
export async function findAttempts(exec: Executor, key: string): Promise<Attempts | null> {
  const r = await exec.execute<AttemptsRow>(sql`
    SELECT hits, reset_at FROM login_attempts WHERE key = ${key} AND reset_at > now()`);
  const row = r.rows[0];
  return row ? toAttempts(row) : null;
}

/** Counts one more attempt; a window that has run out starts again at 1, lasting `windowSeconds`. */
export async function addAttempt(exec: Executor, key: string, windowSeconds: number): Promise<Attempts> {
  // One statement, so concurrent attempts all count.
  const r = await exec.execute<AttemptsRow>(sql`
    INSERT INTO login_attempts AS a (key, hits, reset_at)
    VALUES (${key}, 1, now() + make_interval(secs => ${windowSeconds}))
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN a.reset_at <= now() THEN 1 ELSE a.hits + 1 END,
      reset_at = CASE WHEN a.reset_at <= now() THEN EXCLUDED.reset_at ELSE a.reset_at END
    RETURNING hits, reset_at`);
  return toAttempts(r.rows[0]!);
}

/** Deletes the counts whose window ended more than a day ago. */
export async function deleteStaleAttempts(exec: Executor): Promise<void> {
  await exec.execute(sql`DELETE FROM login_attempts WHERE reset_at < now() - interval '1 day'`);
}

export async function removeAttempt(exec: Executor, key: string): Promise<void> {
  await exec.execute(sql`UPDATE login_attempts SET hits = GREATEST(hits - 1, 0) WHERE key = ${key}`);
}

export async function deleteAttempts(exec: Executor, key: string): Promise<void> {
  await exec.execute(sql`DELETE FROM login_attempts WHERE key = ${key}`);
}
