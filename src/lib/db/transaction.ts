import pg from 'pg';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Db } from './client.js';
import { PG_DEADLOCK_DETECTED, PG_SERIALIZATION_FAILURE } from './pg-errors.js';
import * as schema from './schema.js';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Repositories take an executor so one function runs inside or outside a transaction. */
export type Executor = Db | Tx;

const RETRYABLE = new Set([PG_DEADLOCK_DETECTED, PG_SERIALIZATION_FAILURE]);

/**
 * A hot statement kept in PostgreSQL with SQL's PREPARE, once per connection, and run with
 * `EXECUTE name(...)` through drizzle's execute: PostgreSQL parses and plans it once per connection
 * instead of on every call. `text` uses $1, $2, ... with a cast on each parameter. EXECUTE takes no
 * bind parameters, so executePrepared writes its values as escaped literals (pg's escapeLiteral).
 * A statement that need not travel with BEGIN or COMMIT runs with runPrepared instead: pg prepares it, and
 * its parameters take their types from where they are used, as drizzle's do (no casts needed).
 */
export interface PreparedStatement {
  name: string;
  text: string;
}

/**
 * Runs `fn` in a transaction, retrying deadlocks and serialization failures with backoff, with `prepare`
 * made sure of on its connection first.
 */
export function withTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>, prepare: PreparedStatement[] = []): Promise<T> {
  return retrying(() =>
    checkedOut(db, prepare, (conn) =>
      conn.transaction((tx) => {
        connectionOf.set(tx, conn.$client);
        return fn(tx);
      }),
    ),
  );
}

/** Runs `run` again after a deadlock or serialization failure (it wrote nothing), up to 4 times in all. */
async function retrying<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= attempts || !isRetryable(err)) throw err;
      await new Promise((r) => setTimeout(r, 5 * 2 ** attempt + Math.random() * 10));
    }
  }
}

/**
 * Runs `fn` on a connection of its own, with `prepare` made sure of on it first, and always hands the
 * connection back: drizzle's db.transaction() on a pool runs BEGIN before its try/finally, so a
 * connection that dies at BEGIN would never be released (drizzle-orm#6241).
 */
async function checkedOut<T>(db: Db, prepare: PreparedStatement[], fn: (conn: ClientDb) => Promise<T>): Promise<T> {
  const client = await db.$client.connect();
  try {
    const conn = onClient(client);
    await ensurePrepared(client, conn, prepare);
    return await fn(conn);
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
  if (!d) {
    perClient.set(client, (d = drizzle(client, { schema })));
    connectionOf.set(d, client);
  }
  return d;
}

/**
 * The pooled connection under each executor this module hands out (a connection's drizzle instance, and each
 * transaction on it), for runPrepared.
 */
const connectionOf = new WeakMap<object, pg.PoolClient>();

/**
 * Runs `s` on `exec`'s connection with `values` as bind parameters and returns its rows, as a named statement
 * of pg (`client.query({ name, text, values })`): pg sends its Parse with the first call on each connection
 * and only Bind and Execute after, so PostgreSQL parses it once per connection and can keep its plan. Nothing
 * to list beforehand, so the transactions of every kind that run one share it; pg records a name once
 * PostgreSQL has parsed it (PostgreSQL keeps it when the transaction rolls back), a connection the pool
 * replaced starts with none, and pg_stat_activity shows the statement's text. `exec` comes from
 * withTransaction, withPipelinedTransaction or onConnection, or is the pool itself.
 */
export async function runPrepared<R extends pg.QueryResultRow>(
  exec: Executor,
  s: PreparedStatement,
  values: unknown[],
): Promise<R[]> {
  const query = { name: s.name, text: s.text, values };
  const client = connectionOf.get(exec);
  if (client) return (await client.query<R>(query)).rows;
  const pool = (exec as Partial<Db>).$client;
  if (pool instanceof pg.Pool) return (await pool.query<R>(query)).rows;
  throw new Error(`${s.name}: run it in withTransaction, withPipelinedTransaction or onConnection, or on the pool`);
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

const preparedOn = new WeakMap<pg.PoolClient, Set<string>>();

/** PREPAREs on this connection the statements it has not prepared yet (a new connection, or a first use). */
async function ensurePrepared(client: pg.PoolClient, clientDb: ClientDb, statements: PreparedStatement[]) {
  let done = preparedOn.get(client);
  if (!done) preparedOn.set(client, (done = new Set()));
  for (const s of statements) {
    if (done.has(s.name)) continue;
    await clientDb.execute(sql.raw(`PREPARE ${s.name} AS ${s.text}`));
    done.add(s.name);
  }
}

type Literal = string | number | boolean | null | Literal[];

/** A value as an SQL literal: NULL, a finite number, TRUE/FALSE, an escaped string, or an ARRAY of them. */
function literal(v: Literal): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('A prepared statement value must be a finite number');
    return String(v);
  }
  if (Array.isArray(v)) return v.length === 0 ? `'{}'` : `ARRAY[${v.map(literal).join(', ')}]`;
  return pg.escapeLiteral(v);
}

/** `EXECUTE name(values...)` as text, for a statement prepared by withPipelinedTransaction. */
export const preparedCall = (s: PreparedStatement, values: Literal[]): string =>
  `EXECUTE ${s.name}(${values.map(literal).join(', ')})`;

/** `EXECUTE name(values...)` for a statement prepared by onConnection or withPipelinedTransaction. */
export function executePrepared(s: PreparedStatement, values: Literal[]): SQL {
  return sql.raw(preparedCall(s, values));
}

/** The two ends of a transaction that travel with a statement each (see withPipelinedTransaction). */
export interface TransactionEnds {
  /** Sends BEGIN and this EXECUTE in one round trip; the rows of the EXECUTE. Call it first, once. */
  begin<R extends Record<string, unknown>>(call: string): Promise<R[]>;
  /** This EXECUTE goes with the COMMIT, in one round trip, after `fn` returns. Call it last, at most once. */
  commitWith(call: string): void;
}

/**
 * A transaction whose first statement travels with BEGIN and whose last travels with COMMIT, each pair as
 * one simple-protocol query (possible because EXECUTE takes its values as literals, not bind
 * parameters): two round trips fewer while its row locks are held. `fn` gets the connection (as a Tx:
 * every statement on it runs inside the transaction) and must call `ends.begin` before anything else.
 * Deadlocks and serialization failures are retried like withTransaction's.
 */
export function withPipelinedTransaction<T>(
  db: Db,
  prepare: PreparedStatement[],
  fn: (tx: Tx, ends: TransactionEnds) => Promise<T>,
  timer?: TransactionTimer,
): Promise<T> {
  return retrying(() => checkedOut(db, prepare, (conn) => pipelined(conn, fn, timer)));
}

/**
 * Times a transaction from BEGIN sent to COMMIT (or ROLLBACK) answered: no pool wait, no retry, no PREPARE
 * (prom-client's Histogram#startTimer fits).
 */
export type TransactionTimer = () => () => void;

async function pipelined<T>(
  conn: ClientDb,
  fn: (tx: Tx, ends: TransactionEnds) => Promise<T>,
  timer?: TransactionTimer,
): Promise<T> {
  let open = false;
  let last: string | null = null;
  let stopTimer: () => void = () => undefined;
  const ends: TransactionEnds = {
    async begin<R extends Record<string, unknown>>(call: string) {
      open = true;
      if (timer) stopTimer = timer();
      const results = (await conn.execute(sql.raw(`BEGIN; ${call}`))) as unknown as { rows: R[] }[];
      return results[1]?.rows ?? [];
    },
    commitWith(call: string) {
      last = call;
    },
  };
  try {
    const result = await fn(conn as unknown as Tx, ends);
    await conn.execute(sql.raw(last ? `${String(last)}; COMMIT` : 'COMMIT'));
    open = false;
    return result;
  } catch (err) {
    if (open) await conn.execute(sql.raw('ROLLBACK')).catch(() => undefined);
    throw err;
  } finally {
    stopTimer();
  }
}

/** Runs `fn` on one pooled connection, outside any transaction, with `prepare` made sure of on it first. */
export function onConnection<T>(db: Db, prepare: PreparedStatement[], fn: (conn: Executor) => Promise<T>): Promise<T> {
  return checkedOut(db, prepare, (conn) => fn(conn as unknown as Executor));
}
