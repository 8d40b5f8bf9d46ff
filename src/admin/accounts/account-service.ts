import type { Db } from '../../lib/db/client.js';
import { NotFoundError } from '../../lib/errors.js';
import { withTransaction } from '../../lib/db/transaction.js';
import { unlockSignIn } from '../auth/attempts-repository.js';
import { generatePassword, hashPassword } from '../auth/password.js';
import type { Role } from '../auth/roles.js';
import {
  deleteSessionsOf,
  endSessionsOfDisabled,
  findUserByEmail,
  insertUser,
  lockForAccountChange,
  setDisabled,
  setOneTimePassword,
  type CurrentUser,
} from '../auth/users-repository.js';
import { RESET_COMMAND_ACTOR, recordAccountEvent, userSubject, type Actor } from './account-audit.js';

/** What an account change did, or the sentence that says why it was not done. */
export type Outcome = { ok: true; user: CurrentUser } | { ok: false; problem: string };

export async function addAccount(
  db: Db,
  actor: Actor,
  v: { email: string; name: string; role: Role; password: string },
): Promise<CurrentUser | null> {
  const passwordHash = await hashPassword(v.password);
  return withTransaction(db, async (tx) => {
    const created = await insertUser(tx, { email: v.email, name: v.name, role: v.role, passwordHash });
    if (created) await recordAccountEvent(tx, actor, 'account.created', userSubject(created), { role: v.role });
    return created;
  });
}

/**
 * Disables an account and ends its sessions at once. Not one's own account, and never the last active
 * admin: someone must be able to enable it again. Enabling lets it sign in again (its old sessions stay ended).
 */
export function setAccountDisabled(db: Db, actor: Actor, id: number, disabled: boolean): Promise<Outcome> {
  return withTransaction(db, async (tx): Promise<Outcome> => {
    const { target, activeAdmins } = await lockForAccountChange(tx, id);
    if (!target) throw new NotFoundError('Account');
    if (disabled && target.id === actor.userId)
      return { ok: false, problem: 'You cannot disable your own account. Ask another admin.' };
    if (disabled && target.role === 'admin' && !target.disabledAt && activeAdmins <= 1)
      return { ok: false, problem: `${target.name} is the last active admin; add or enable another admin first.` };
    if (!(await setDisabled(tx, id, disabled)))
      return { ok: false, problem: `${target.name} is already ${disabled ? 'disabled' : 'enabled'}.` };
    const sessions = disabled ? await endSessionsOfDisabled(tx, id) : 0;
    await recordAccountEvent(tx, actor, disabled ? 'account.disabled' : 'account.enabled', userSubject(target), {
      ...(disabled ? { sessionsEnded: sessions } : {}),
    });
    return { ok: true, user: target };
  });
}

/** Sets a one-time password for someone else: their sessions end, and their next sign-in must change it. */
export async function resetAccountPassword(db: Db, actor: Actor, id: number, password: string): Promise<Outcome> {
  const hash = await hashPassword(password);
  return withTransaction(db, async (tx): Promise<Outcome> => {
    const { target } = await lockForAccountChange(tx, id);
    if (!target) throw new NotFoundError('Account');
    if (target.id === actor.userId)
      return { ok: false, problem: 'Change your own password under "Your password" (you know the current one).' };
    await setOneTimePassword(tx, id, hash);
    await deleteSessionsOf(tx, id);
    await recordAccountEvent(tx, actor, 'account.password_reset', userSubject(target));
    return { ok: true, user: target };
  });
}

/**
 * `npm run admin:reset-password`: a generated one-time password for the account with this email, enabled
 * again if it was disabled (the ops engineer who lost the only admin must get back in). Null: no such email.
 */
export async function resetPasswordFromCommandLine(
  db: Db,
  email: string,
): Promise<{ user: CurrentUser; password: string; wasDisabled: boolean } | null> {
  const password = generatePassword();
  const hash = await hashPassword(password);
  const actor = RESET_COMMAND_ACTOR;
  return withTransaction(db, async (tx) => {
    const found = await findUserByEmail(tx, email);
    if (!found) return null;
    const { target } = await lockForAccountChange(tx, found.id);
    const wasDisabled = Boolean(target?.disabledAt);
    await setOneTimePassword(tx, found.id, hash);
    if (wasDisabled) await setDisabled(tx, found.id, false);
    await deleteSessionsOf(tx, found.id);
    await recordAccountEvent(tx, actor, 'account.password_reset', userSubject(found), { enabledAgain: wasDisabled });
    return { user: target!, password, wasDisabled };
  });
}

/** Lifts a sign-in lock (too many failed sign-ins); false when it had already ended. */
export function unlockSignInFor(db: Db, actor: Actor, key: string): Promise<boolean> {
  return withTransaction(db, async (tx) => {
    const gone = await unlockSignIn(tx, key);
    if (!gone) return false;
    const bar = gone.locked.indexOf('|');
    await recordAccountEvent(
      tx,
      actor,
      'account.unlocked',
      { type: 'sign_in_lock', id: key.slice(0, 16) },
      {
        address: bar < 0 ? gone.locked : gone.locked.slice(0, bar),
        ...(bar < 0 ? {} : { email: gone.locked.slice(bar + 1) }),
      },
    );
    return true;
  });
}
