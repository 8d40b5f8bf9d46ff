// `npm run photos:prune -- --older-than 365d [--dry-run]`: delete photos of old submissions.
import { parseArgs } from 'node:util';
import { runCliWithDatabase } from '../lib/db/cli-database.js';
import { createPhotoStore } from './photo-store.js';
import { parseAge, prunePhotos } from './prune.js';

const USAGE = 'Usage: npm run photos:prune -- --older-than 365d [--dry-run]   (d = days, w = weeks, m = 30-day months)';

let values: { 'older-than'?: string; 'dry-run': boolean };
try {
  ({ values } = parseArgs({ options: { 'older-than': { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } }));
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
const cutoff = values['older-than'] ? parseAge(values['older-than']) : null;
if (!cutoff) {
  console.error(USAGE);
  process.exit(2);
}
await runCliWithDatabase('Prune', async (db, config) => {
  const result = await prunePhotos(db, createPhotoStore(config.WHATSAPP_PHOTOS_DIR), cutoff, values['dry-run']);
  const verb = result.dryRun ? 'Would delete' : 'Deleted';
  console.log(`${verb} ${result.photos.length} photo(s) of submissions created before ${cutoff.toISOString()}`);
  for (const name of result.photos) console.log(`  ${name}`);
});
