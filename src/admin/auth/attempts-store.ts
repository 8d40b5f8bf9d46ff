import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Db } from '../../lib/db/client.js';

/**
 * express-rate-limit's counters in PostgreSQL (table login_attempts), so every PM2 instance counts the
 * same failed sign-ins and a restart does not reset them. Keys are stored hashed: they hold an email.
 */
export class PgAttemptsStore implements Store {
  localKeys = false;
  private windowMs = 15 * 60 * 1000;

  constructor(
    private readonly db: Db,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private key(key: string): string {
    return createHash('sha256').update(`${this.prefix}:${key}`).digest('hex');
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const r = await this.db.execute<{ hits: number; reset_at: Date }>(sql`
      SELECT hits, reset_at FROM login_attempts WHERE key = ${this.key(key)} AND reset_at > now()`);
    const row = r.rows[0];
    return row ? { totalHits: row.hits, resetTime: new Date(row.reset_at) } : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    // A window that has run out starts again at 1; one statement, so concurrent attempts all count.
    const r = await this.db.execute<{ hits: number; reset_at: Date }>(sql`
      INSERT INTO login_attempts AS a (key, hits, reset_at)
      VALUES (${this.key(key)}, 1, now() + make_interval(secs => ${this.windowMs / 1000}))
      ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN a.reset_at <= now() THEN 1 ELSE a.hits + 1 END,
        reset_at = CASE WHEN a.reset_at <= now() THEN EXCLUDED.reset_at ELSE a.reset_at END
      RETURNING hits, reset_at`);
    if (Math.random() < 0.02)
      await this.db.execute(sql`DELETE FROM login_attempts WHERE reset_at < now() - interval '1 day'`);
    const row = r.rows[0]!;
    return { totalHits: row.hits, resetTime: new Date(row.reset_at) };
  }

  async decrement(key: string): Promise<void> {
    await this.db.execute(sql`UPDATE login_attempts SET hits = GREATEST(hits - 1, 0) WHERE key = ${this.key(key)}`);
  }

  async resetKey(key: string): Promise<void> {
    await this.db.execute(sql`DELETE FROM login_attempts WHERE key = ${this.key(key)}`);
  }
}
