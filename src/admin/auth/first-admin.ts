import type { Db } from '../../lib/db/client.js';
import type { Logger } from '../../lib/logger.js';
import { generatePassword, hashPassword } from './password.js';
import { countUsers, insertUser } from './users-repository.js';

/**
 * On a database without users, creates the admin from ADMIN_EMAIL / ADMIN_PASSWORD, or with a generated
 * password that is printed once to stdout (not through the logger, so it never lands in JSON logs).
 * Returns the email when it created one.
 */
export async function ensureFirstAdmin(
  db: Db,
  opts: { email: string; password?: string | undefined },
  logger: Logger,
  print: (line: string) => void = console.log,
): Promise<string | null> {
  if ((await countUsers(db)) > 0) return null;
  const password = opts.password ?? generatePassword();
  const created = await insertUser(db, {
    email: opts.email,
    name: 'Administrator',
    role: 'admin',
    passwordHash: await hashPassword(password),
  });
  if (!created) return null; // another process created it a moment ago
  if (opts.password) {
    logger.info({ userId: created.id }, `Admin account created: ${created.email} (password from ADMIN_PASSWORD)`);
  } else {
    print(`Admin account created: ${created.email} / ${password} (shown once; change it under Your password)`);
  }
  return created.email;
}
