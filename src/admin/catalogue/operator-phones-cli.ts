// `npm run operators:phones [-- --dry-run]`: the start's phone-number data step on demand, with a list
// of the operators it leaves for a person to sort out.
import { parseArgs } from 'node:util';
import { runCliWithDatabase } from '../../lib/db/cli-database.js';
import { normaliseOperatorPhones, readPhonePlan } from './operator-phones.js';
import { formatPhonesReport, PHONES_USAGE } from './operator-phones-report.js';

let dryRun = false;
try {
  dryRun = parseArgs({ args: process.argv.slice(2), options: { 'dry-run': { type: 'boolean', default: false } } })
    .values['dry-run'];
} catch (err) {
  console.error(`${(err as Error).message}\n${PHONES_USAGE}`);
  process.exit(2);
}
await runCliWithDatabase('Operators phones', async (db) => {
  const result = dryRun ? await readPhonePlan(db) : await normaliseOperatorPhones(db);
  for (const line of formatPhonesReport(result, dryRun)) console.log(line);
});
