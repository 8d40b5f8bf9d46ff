// `npm run outbox:resend -- --since 2h [--code 190] [--phone +91...] [--dry-run]`: send failed messages
// again once their cause (an expired token, a missing start template) is fixed.
import { ConfigError, loadConfig } from '../lib/config.js';
import { connectDatabase } from '../lib/db/connect.js';
import { loadDotEnv } from '../lib/dotenv.js';
import { createLogger } from '../lib/logger.js';
import { requeueFailed } from './outbox-repository.js';
import { formatResendReport, parseResendArgs, RESEND_USAGE } from './outbox-resend.js';

try {
  const args = parseResendArgs(process.argv.slice(2));
  if (!args.ok) {
    console.error(`${args.error}\n${RESEND_USAGE}`);
    process.exit(2);
  }
  loadDotEnv();
  const config = loadConfig(process.env);
  const logger = createLogger({ level: 'warn', pretty: false });
  const database = await connectDatabase(config, logger, 2);
  try {
    const groups = await requeueFailed(database.db, args.options);
    for (const line of formatResendReport(groups, { ...args.options, embedded: !config.DATABASE_URL })) console.log(line);
  } finally {
    await database.close();
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `Resend failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
