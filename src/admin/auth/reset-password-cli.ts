// `npm run admin:reset-password -- <email>`: for the ops engineer who lost the only admin's password. Prints a
// one-time password that signs in once and must then be changed; works on the embedded database too.
import { runCliWithDatabase } from '../../lib/db/cli-database.js';
import { resetPasswordFromCommandLine } from '../accounts/account-service.js';
import { ROLE_WORDS, type Role } from './roles.js';
import { listUsers } from './users-repository.js';

const USAGE = 'Usage: npm run admin:reset-password -- <email of the account>';
const args = process.argv.slice(2).filter((a) => a !== '--');
const email = args[0]?.trim() ?? '';
if (args.length !== 1 || !email || email.startsWith('-')) {
  console.error(USAGE);
  process.exit(2);
}

await runCliWithDatabase('Password reset', async (db) => {
  const reset = await resetPasswordFromCommandLine(db, email);
  if (!reset) {
    const accounts = await listUsers(db);
    console.error(`No account has the email ${email}.`);
    console.error(
      accounts.length === 0
        ? 'There are no accounts yet: start the server once and it creates the first admin.'
        : `The accounts are: ${accounts.map((u) => `${u.email} (${ROLE_WORDS[u.role as Role] ?? u.role})`).join(', ')}.`,
    );
    process.exitCode = 1;
    return;
  }
  const { user, password, wasDisabled } = reset;
  console.log(`One-time password for ${user.name} (${user.email}): ${password}`);
  console.log('Sign in with it once; you will be asked to choose your own password before anything else.');
  console.log('Everyone signed in as this account has been signed out.');
  if (wasDisabled) console.log('The account was disabled; it is enabled again.');
});
