import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createDb, createPool, type Db } from './client.js';
import { startEmbeddedPostgres } from './embedded.js';
import { runMigrations } from './migrate.js';

export interface Database {
  db: Db;
  /** Closes the pool, then stops the embedded PostgreSQL if we started one. */
  close(): Promise<void>;
}

export interface ConnectOptions {
  poolSize?: number;
  /** The server's: an embedded PostgreSQL outlives a terminal's Ctrl-C until our shutdown stops it. */
  ownProcessGroup?: boolean;
}

/** DATABASE_URL when set; otherwise a real PostgreSQL of our own under .data/. Migrations run on connect. */
export async function connectDatabase(config: Config, logger: Logger, opts: ConnectOptions = {}): Promise<Database> {
  const embedded = config.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({
        dataDir: config.EMBEDDED_PG_DIR,
        preferredPort: config.EMBEDDED_PG_PORT,
        database: 'kinto',
        logger,
        ownProcessGroup: opts.ownProcessGroup ?? false,
      });
  const pool = createPool(config.DATABASE_URL ?? embedded!.url, opts.poolSize ?? 20);
  // pg-pool puts the client on the error (err.client); logging the whole error would dump it.
  // While we close, pool.end() resolves before its connections have finished ending, and stopping the
  // embedded PostgreSQL then terminates them: those errors are our own stop, not news.
  let closing = false;
  pool.on('error', (err: Error & { code?: string }) => {
    if (closing) return;
    logger.warn({ code: err.code }, `Idle database connection failed (${err.message}); the pool replaces it`);
  });
  const db = createDb(pool);
  try {
    await runMigrations(db);
  } catch (err) {
    await pool.end().catch(() => undefined);
    await embedded?.stop();
    throw err;
  }
  logger.info({ embedded: Boolean(embedded) }, 'Database ready, migrations applied');
  return {
    db,
    async close() {
      closing = true;
      try {
        await pool.end();
        logger.info('Database pool closed');
      } catch (err) {
        logger.warn(`Closing the database pool failed: ${(err as Error).message}`);
      }
      await embedded?.stop();
    },
  };
}
