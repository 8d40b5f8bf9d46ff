import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import * as schema from './schema.js';

// `timestamp without time zone` (the guide's session columns) holds UTC; read it as UTC, not local time.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (v) => new Date(`${v.replace(' ', 'T')}Z`));
// bigint ids stay well below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Db = NodePgDatabase<typeof schema> & { $client: pg.Pool };

/**
 * How long any statement of the app waits for a row or table lock before it fails (55P03). An apply
 * waits for a session held by another worker for milliseconds; a wait this long means something holds
 * a lock it should not (see "Who holds a session's lock" in docs/deployment-guide.md), and failing
 * lets the inbox worker retry the message later instead of piling up connections behind it.
 */
export const LOCK_TIMEOUT = '5s';

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    // Every session in UTC, so timestamp-without-time-zone columns and CURRENT_DATE agree.
    options: `-c TimeZone=UTC -c lock_timeout=${LOCK_TIMEOUT}`,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // pg-pool listens for 'error' only while a connection is idle. One in use when PostgreSQL goes away
  // would throw its 'error' event and crash the process; its query fails anyway and release() drops it.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

export function createDb(pool: pg.Pool): Db {
  return drizzle(pool, { schema });
}
