import { type Config, ConfigError, loadConfig } from '../config.js';
import { loadDotEnv } from '../dotenv.js';
import { createLogger } from '../logger.js';
import type { Db } from './client.js';
import { connectDatabase } from './connect.js';

/**
 * Runs a one-off command (npm run photos:prune, outbox:resend) against the product's database: .env,
 * the config parsed once, DATABASE_URL or the embedded database, closed at the end. A bad config or a
 * failure prints one line and sets exit code 1; `what` names the command in that line.
 */
export async function runCliWithDatabase(what: string, work: (db: Db, config: Config) => Promise<void>): Promise<void> {
  try {
    loadDotEnv();
    const config = loadConfig(process.env);
    const database = await connectDatabase(config, createLogger({ level: 'warn', pretty: false }), 2);
    try {
      await work(database.db, config);
    } finally {
      await database.close();
    }
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : `${what} failed: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
