import type { Response } from 'express';
import type { Executor } from '../../lib/db/transaction.js';

// PLACEHOLDER until src/audit lands on main: replaced by recordAudit/actorOf from src/audit.
export interface Actor {
  kind: 'user' | 'api' | 'system';
  userId: number | null;
  label: string;
}

export const actorOfPage = (res: Response): Actor => {
  const u = res.locals.user!;
  return { kind: 'user', userId: u.id, label: `${u.name} (${u.email})` };
};

/** The account actions the audit trail records (subject: the account acted on). */
export type AccountAction =
  | 'account.created'
  | 'account.disabled'
  | 'account.enabled'
  | 'account.password_reset'
  | 'account.password_changed'
  | 'account.unlocked';

/** An account (by id, with its email as it was), or a locked sign-in (its hashed key). */
export type AccountSubject = { type: 'user'; id: number; email: string } | { type: 'sign_in_lock'; id: string };

export const userSubject = (u: { id: number; email: string }): AccountSubject => ({
  type: 'user',
  id: u.id,
  email: u.email,
});

/** Records an account action in the caller's transaction, so the change and its record commit together. */
export async function recordAccountEvent(
  _exec: Executor,
  _actor: Actor,
  _action: AccountAction,
  _subject: AccountSubject,
  _details: Record<string, unknown> = {},
): Promise<void> {}
