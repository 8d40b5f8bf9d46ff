// `npm run outbox:resend -- --since 2h [--code 190] [--phone +91...] [--dry-run]`: send failed messages
// again once their cause (an expired token, a missing start template) is fixed.
import { runCliWithDatabase } from '../lib/db/cli-database.js';
import { requeueFailed } from './outbox-repository.js';
import { formatResendReport, parseResendArgs, RESEND_USAGE } from './outbox-resend.js';

const args = parseResendArgs(process.argv.slice(2));
if (!args.ok) {
  console.error(`${args.error}\n${RESEND_USAGE}`);
  process.exit(2);
}
await runCliWithDatabase('Resend', async (db, _config, source) => {
  const groups = await requeueFailed(db, args.options);
  for (const line of formatResendReport(groups, { ...args.options, embedded: source.startedEmbedded }))
    console.log(line);
});
