import { sql } from 'drizzle-orm';
import type { Executor } from './transaction.js';

/** Resolves when the database answers a trivial statement; rejects otherwise. */
export async function pingDatabase(exec: Executor): Promise<void> {
  await exec.execute(sql`SELECT 1`);
}
