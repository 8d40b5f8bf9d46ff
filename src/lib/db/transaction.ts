import type pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Db } from './client.js';
import { PG_DEADLOCK_DETECTED, PG_SERIALIZATION_FAILURE } from './pg-errors.js';
import * as schema from './schema.js';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Repositories take an executor so one function runs inside or outside a transaction. */
export type Executor = Db | Tx;

const RETRYABLE = new Set([PG_DEADLOCK_DETECTED, PG_SERIALIZATION_FAILURE]);

/** Runs `fn` in a transaction, retrying deadlocks and serialization failures with backoff. */
export async function withTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await onOwnConnection(db, fn);
    } catch (err) {
      if (attempt >= attempts || !isRetryable(err)) throw err;
      await new Promise((r) => setTimeout(r, 5 * 2 ** attempt + Math.random() * 10));
    }
  }
}

/**
 * drizzle's db.transaction() on a pool runs BEGIN before its try/finally, so a connection that dies at
 * BEGIN is never released (drizzle-orm#6241). Check it out here and always hand it back.
 */
async function onOwnConnection<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await db.$client.connect();
  try {
    return await onClient(client).transaction(fn);
  } finally {
    client.release();
  }
}

// One drizzle instance per pooled connection, built the first time it runs a transaction: building one
// walks the whole schema, which cost more CPU than the transaction's own statements.
type ClientDb = NodePgDatabase<typeof schema> & { $client: pg.PoolClient };
const perClient = new WeakMap<pg.PoolClient, ClientDb>();
function onClient(client: pg.PoolClient): ClientDb {
  let d = perClient.get(client);
  if (!d) perClient.set(client, (d = drizzle(client, { schema })));
  return d;
}

/** A deadlock or serialization failure: the statement or transaction wrote nothing and may simply run again. */
export const isRetryable = (err: unknown): boolean => RETRYABLE.has(pgCode(err) ?? '');

/** The SQLSTATE of a pg error, also when drizzle wraps it in its `cause`. */
export function pgCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** The constraint a unique/foreign-key/check violation names, also through drizzle's wrapper. */
export function pgConstraint(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const c = (e as { constraint?: unknown }).constraint;
    if (typeof c === 'string') return c;
  }
  return undefined;
}
