import type { Response } from 'express';
import type { Executor } from '../../lib/db/transaction.js';
import { actorOf, type Actor } from '../../audit/actor.js';
import { recordAudit } from '../../audit/audit-repository.js';

export type { Actor } from '../../audit/actor.js';

/** Who an accounts-page request acts as: the signed-in admin (or, on /password, the account itself). */
export const actorOfPage = (res: Response): Actor => actorOf(res);

/** The command line's actor: the trail says which command, as no account signed in. */
export const RESET_COMMAND_ACTOR: Actor = { kind: 'system', userId: null, label: 'npm run admin:reset-password' };

/** The account actions the audit trail records (subject: the account acted on, or the lifted lock). */
export type AccountAction =
  | 'account.created'
  | 'account.disabled'
  | 'account.enabled'
  | 'account.password_reset'
  | 'account.password_changed'
  | 'account.unlocked';

/** An account (its email as it was goes with the event), or a locked sign-in (the start of its hashed key). */
export type AccountSubject =
  { type: 'user'; id: number; email: string; name: string } | { type: 'sign_in_lock'; id: string };

export const userSubject = (u: { id: number; email: string; name: string }): AccountSubject => ({
  type: 'user',
  id: u.id,
  email: u.email,
  name: u.name,
});

/** Records an account action in the caller's transaction, so the change and its record commit together. */
export async function recordAccountEvent(
  exec: Executor,
  actor: Actor,
  action: AccountAction,
  subject: AccountSubject,
  details: Record<string, unknown> = {},
): Promise<void> {
  await recordAudit(exec, actor, {
    action,
    subjectType: subject.type,
    subjectId: subject.id,
    details: subject.type === 'user' ? { account: `${subject.name} (${subject.email})`, ...details } : details,
  });
}
