import path from 'node:path';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { loadDotEnv } from '../dotenv.js';
import { createLogger } from '../logger.js';
import type { Db } from './client.js';
import { connectDatabase, type Database } from './connect.js';
import { findRunningPostgres } from './embedded.js';

/** Where a one-off command's database came from; `startedEmbedded` means no server can be running. */
export interface CliDatabaseSource {
  startedEmbedded: boolean;
}

/**
 * Runs a one-off command (npm run photos:prune, outbox:resend) against the product's database: .env,
 * the config parsed once, DATABASE_URL or the embedded database, closed at the end. A bad config or a
 * failure prints one line and sets exit code 1; `what` names the command in that line.
 */
export async function runCliWithDatabase(
  what: string,
  work: (db: Db, config: Config, source: CliDatabaseSource) => Promise<void>,
): Promise<void> {
  try {
    loadDotEnv();
    const config = loadConfig(process.env);
    const { database, startedEmbedded } = await openDatabase(config);
    try {
      await work(database.db, config, { startedEmbedded });
    } finally {
      await database.close();
    }
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : `${what} failed: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}

/**
 * The embedded PostgreSQL serves one data folder to one postmaster, so while the server runs on it a
 * command uses that one (as a second client, like with DATABASE_URL) and leaves it running. Only when
 * none runs does the command start its own, as `npm start` would.
 */
async function openDatabase(config: Config): Promise<{ database: Database; startedEmbedded: boolean }> {
  const logger = createLogger({ level: 'warn', pretty: false });
  // The database name connect.ts gives the embedded PostgreSQL.
  const running = config.DATABASE_URL ? null : findRunningPostgres(config.EMBEDDED_PG_DIR, 'kinto');
  if (!running)
    return { database: await connectDatabase(config, logger, { poolSize: 2 }), startedEmbedded: !config.DATABASE_URL };

  const where = `127.0.0.1:${running.port}, database kinto, pid ${running.pid} from ${path.join(config.EMBEDDED_PG_DIR, 'postmaster.pid')}`;
  console.error(`The server's PostgreSQL is running; using it (${where}) and leaving it running.`);
  try {
    return {
      database: await connectDatabase({ ...config, DATABASE_URL: running.url }, logger, { poolSize: 2 }),
      startedEmbedded: false,
    };
  } catch (err) {
    throw new Error(`the running PostgreSQL (${where}) cannot be used: ${(err as Error).message}`, { cause: err });
  }
}
