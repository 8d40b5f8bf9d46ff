// `npm run db:migrate` / `npm run db:push`: apply migrations/ to DATABASE_URL (or the embedded database).
import { loadConfig, ConfigError } from '../config.js';
import { createLogger } from '../logger.js';
import { connectDatabase } from './connect.js';
import { loadDotEnv } from '../dotenv.js';

try {
  loadDotEnv();
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.LOG_LEVEL, pretty: false });
  const database = await connectDatabase(config, logger, { poolSize: 2 });
  await database.close();
  console.log('Migrations applied.');
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `Migration failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
