import type pg from 'pg';
import type { Executor } from './transaction.js';

/**
 * Runs a hot statement as a named (prepared) pg statement on the executor's connection: PostgreSQL
 * parses and plans it once per connection, and no query builder runs per call. drizzle keeps the
 * pool (for the Db) or the checked-out connection (for a Tx) on its session; that field is not in
 * its types, hence the cast. Columns come back as pg parses them (see client.ts for the type parsers),
 * so name them in the SQL as the callers expect (`AS "camelCase"`).
 */
export async function queryPrepared<R extends pg.QueryResultRow>(
  exec: Executor,
  name: string,
  text: string,
  values: unknown[],
): Promise<R[]> {
  const client = (exec as unknown as { session: { client: pg.Pool | pg.PoolClient } }).session.client;
  const r = await client.query<R>({ name, text, values });
  return r.rows;
}
