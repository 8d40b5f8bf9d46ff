// `npm run photos:prune -- --older-than 365d [--dry-run]`: delete photos of old submissions.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../lib/config.js';
import { connectDatabase } from '../lib/db/connect.js';
import { loadDotEnv } from '../lib/dotenv.js';
import { createLogger } from '../lib/logger.js';
import { createPhotoStore } from './photo-store.js';
import { parseAge, prunePhotos } from './prune.js';

const USAGE = 'Usage: npm run photos:prune -- --older-than 365d [--dry-run]   (d = days, w = weeks, m = 30-day months)';

try {
  const { values } = parseArgs({ options: { 'older-than': { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });
  const cutoff = values['older-than'] ? parseAge(values['older-than']) : null;
  if (!cutoff) {
    console.error(USAGE);
    process.exit(2);
  }
  loadDotEnv();
  const config = loadConfig(process.env);
  const logger = createLogger({ level: 'warn', pretty: false });
  const database = await connectDatabase(config, logger, 2);
  try {
    const result = await prunePhotos(database.db, createPhotoStore(config.WHATSAPP_PHOTOS_DIR), cutoff, values['dry-run']);
    const verb = result.dryRun ? 'Would delete' : 'Deleted';
    console.log(`${verb} ${result.photos.length} photo(s) of submissions created before ${cutoff.toISOString()}`);
    for (const name of result.photos) console.log(`  ${name}`);
  } finally {
    await database.close();
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `Prune failed: ${(err as Error).message}`);
  process.exitCode = 1;
}

