// `npm run photos:prune -- --older-than 365d [--orphans] [--dry-run]`: delete photos of old submissions,
// and with --orphans the files nothing refers to any more.
import { parseArgs } from 'node:util';
import { runCliWithDatabase } from '../lib/db/cli-database.js';
import { ORPHAN_MIN_AGE_HOURS, sweepOrphanPhotos } from './orphans.js';
import { createPhotoStore } from './photo-store.js';
import { parseAge, prunePhotos } from './prune.js';

const USAGE = [
  'Usage: npm run photos:prune -- --older-than 365d [--orphans] [--dry-run]   (d = days, w = weeks, m = 30-day months)',
  `       npm run photos:prune -- --orphans [--dry-run]   (photos no answer or session refers to, older than ${ORPHAN_MIN_AGE_HOURS} hours)`,
].join('\n');
const NAMES_SHOWN = 10;

let values: { 'older-than'?: string; orphans: boolean; 'dry-run': boolean };
try {
  ({ values } = parseArgs({
    options: {
      'older-than': { type: 'string' },
      orphans: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
    },
  }));
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
const cutoff = values['older-than'] !== undefined ? parseAge(values['older-than']) : undefined;
if (cutoff === null || (cutoff === undefined && !values.orphans)) {
  console.error(USAGE);
  process.exit(2);
}
const dryRun = values['dry-run'];

await runCliWithDatabase('Prune', async (db, config) => {
  const photos = createPhotoStore(config.WHATSAPP_PHOTOS_DIR);
  if (cutoff) {
    const result = await prunePhotos(db, photos, cutoff, dryRun);
    console.log(
      `${dryRun ? 'Would delete' : 'Deleted'} ${result.photos.length} photo(s) of submissions created before ${cutoff.toISOString()}`,
    );
    for (const name of result.photos) console.log(`  ${name}`);
  }
  if (values.orphans) {
    const result = await sweepOrphanPhotos(db, photos, { dryRun });
    const mb = (result.bytes / 1_048_576).toFixed(1);
    console.log(
      `${dryRun ? 'Would delete' : 'Deleted'} ${result.photos.length} orphaned photo(s), ${mb} MB (${result.bytes} bytes): ` +
        `files in ${photos.root} that no answer or session refers to, older than ${ORPHAN_MIN_AGE_HOURS} hours`,
    );
    for (const p of result.photos.slice(0, NAMES_SHOWN)) console.log(`  ${p.name}`);
    if (result.photos.length > NAMES_SHOWN) console.log(`  ... and ${result.photos.length - NAMES_SHOWN} more`);
    for (const f of result.failed) console.error(`Could not delete ${f.name}: ${f.code}`);
    if (result.failed.length > 0) {
      console.error(`${result.failed.length} orphaned photo(s) could not be deleted`);
      process.exitCode = 1;
    }
  }
});
