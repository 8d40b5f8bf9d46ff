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

/** Whose attempts a key counts, kept readable only while the key is at its limit (the accounts page unlocks it). */
export interface AttemptsSubject {
  kind: 'address' | 'email';
  /** The address, or "address|email". */
  label: string;
  limit: number;
}

/**
 * Counts one more attempt; a window that has run out starts again at 1, lasting `windowSeconds`. At the
 * limit the subject's label is stored with the count; below it, none.
 */
export async function addAttempt(
  exec: Executor,
  key: string,
  windowSeconds: number,
  subject: AttemptsSubject,
): Promise<Attempts> {
  // One statement, so concurrent attempts all count.
  const r = await exec.execute<AttemptsRow>(sql`
    INSERT INTO login_attempts AS a (key, hits, reset_at, kind, locked)
    VALUES (${key}, 1, now() + make_interval(secs => ${windowSeconds}), ${subject.kind},
            CASE WHEN 1 >= ${subject.limit}::int THEN ${subject.label} END)
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN a.reset_at <= now() THEN 1 ELSE a.hits + 1 END,
      reset_at = CASE WHEN a.reset_at <= now() THEN EXCLUDED.reset_at ELSE a.reset_at END,
      kind = EXCLUDED.kind,
      locked = CASE WHEN (CASE WHEN a.reset_at <= now() THEN 1 ELSE a.hits + 1 END) >= ${subject.limit}::int
               THEN ${subject.label} END
    RETURNING hits, reset_at`);
  return toAttempts(r.rows[0]!);
}

/** A key at its limit whose window still runs: what the accounts page lists with an Unlock button. */
export interface LockedSignIn {
  key: string;
  kind: 'address' | 'email';
  address: string;
  email: string | null;
  until: Date;
}

export async function listLockedSignIns(exec: Executor): Promise<LockedSignIn[]> {
  const r = await exec.execute<{ key: string; kind: string; locked: string; reset_at: Date }>(sql`
    SELECT key, kind, locked, reset_at FROM login_attempts
    WHERE locked IS NOT NULL AND reset_at > now() ORDER BY reset_at DESC, key`);
  return r.rows.map((row) => {
    const bar = row.locked.indexOf('|');
    return {
      key: row.key,
      kind: row.kind === 'email' ? 'email' : 'address',
      address: bar < 0 ? row.locked : row.locked.slice(0, bar),
      email: bar < 0 ? null : row.locked.slice(bar + 1),
      until: new Date(row.reset_at),
    };
  });
}

/** Unlocks one locked key; what it was (null when it was no longer locked). */
export async function unlockSignIn(exec: Executor, key: string): Promise<{ kind: string; locked: string } | null> {
  const r = await exec.execute<{ kind: string; locked: string }>(sql`
    DELETE FROM login_attempts WHERE key = ${key} AND locked IS NOT NULL AND reset_at > now()
    RETURNING kind, locked`);
  return r.rows[0] ?? null;
}

/** Deletes the counts whose window ended more than a day ago. */
export async function deleteStaleAttempts(exec: Executor): Promise<void> {
  await exec.execute(sql`DELETE FROM login_attempts WHERE reset_at < now() - interval '1 day'`);
}

export async function removeAttempt(exec: Executor, key: string, limit: number): Promise<void> {
  await exec.execute(sql`
    UPDATE login_attempts
    SET hits = GREATEST(hits - 1, 0), locked = CASE WHEN hits - 1 >= ${limit}::int THEN locked END
    WHERE key = ${key}`);
}

export async function deleteAttempts(exec: Executor, key: string): Promise<void> {
  await exec.execute(sql`DELETE FROM login_attempts WHERE key = ${key}`);
}
