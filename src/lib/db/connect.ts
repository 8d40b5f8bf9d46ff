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

/** DATABASE_URL when set; otherwise a real PostgreSQL of our own under .data/. Migrations run on connect. */
export async function connectDatabase(config: Config, logger: Logger, poolSize = 20): Promise<Database> {
  const embedded = config.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({
        dataDir: config.EMBEDDED_PG_DIR,
        preferredPort: config.EMBEDDED_PG_PORT,
        database: 'kinto',
        logger,
      });
  const pool = createPool(config.DATABASE_URL ?? embedded!.url, poolSize);
  pool.on('error', (err) => logger.warn({ err }, 'Idle database connection failed; the pool replaces it'));
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
      await pool.end().catch((err) => logger.warn({ err }, 'Closing the pool failed'));
      await embedded?.stop();
    },
  };
}
