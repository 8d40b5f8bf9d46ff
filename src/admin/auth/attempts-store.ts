import { createHash } from 'node:crypto';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Db } from '../../lib/db/client.js';
import { addAttempt, deleteAttempts, deleteStaleAttempts, findAttempts, removeAttempt } from './attempts-repository.js';

/**
 * express-rate-limit's counters in PostgreSQL (table login_attempts), so every PM2 instance counts the
 * same failed sign-ins and a restart does not reset them. Keys are stored hashed: they hold an email.
 */
export class PgAttemptsStore implements Store {
  localKeys = false;
  private windowMs = 15 * 60 * 1000;
  private limit = 2_147_483_647; // PostgreSQL integer max: never "locked"

  constructor(
    private readonly db: Db,
    readonly prefix: 'address' | 'email',
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
    // Our limiters give a number; were it a function, nothing would be kept as "locked".
    if (typeof options.limit === 'number') this.limit = options.limit;
  }

  private key(key: string): string {
    return createHash('sha256').update(`${this.prefix}:${key}`).digest('hex');
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const found = await findAttempts(this.db, this.key(key));
    return found ? { totalHits: found.hits, resetTime: found.resetAt } : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const counted = await addAttempt(this.db, this.key(key), this.windowMs / 1000, {
      kind: this.prefix,
      // PostgreSQL's text cannot hold U+0000 (a typed email may carry one; the form refuses it later).
      label: key.replaceAll('\u0000', '\uFFFD'),
      limit: this.limit,
    });
    if (Math.random() < 0.02) await deleteStaleAttempts(this.db);
    return { totalHits: counted.hits, resetTime: counted.resetAt };
  }

  async decrement(key: string): Promise<void> {
    await removeAttempt(this.db, this.key(key), this.limit);
  }

  async resetKey(key: string): Promise<void> {
    await deleteAttempts(this.db, this.key(key));
  }
}
