import type { RequestHandler, Response } from 'express';
import type { Db } from '../lib/db/client.js';
import { AppError, UnauthorizedError, ValidationError } from '../lib/errors.js';
import { accountByEmail } from './audit-repository.js';

/** Who made a change, as the audit trail records it. */
export interface Actor {
  kind: 'user' | 'api' | 'system';
  userId: number | null;
  /** As shown: the account's name and email at the time, "API token" or "System". */
  label: string;
}

/** The header a REST API request names the account it acts for with (docs: README, OpenAPI). */
export const ACTING_USER_HEADER = 'X-Acting-User';

export const API_TOKEN_ACTOR: Actor = { kind: 'api', userId: null, label: 'API token' };
export const SYSTEM_ACTOR: Actor = { kind: 'system', userId: null, label: 'System' };

export function userActor(user: { id: number; name: string; email: string }): Actor {
  return { kind: 'user', userId: user.id, label: `${user.name} (${user.email})` };
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Set by apiActor on the REST API: who its changes are recorded as made by. */
      actor?: Actor;
    }
  }
}

/**
 * The REST API's actor: the shared token, or the account `X-Acting-User: <email>` names (any account that
 * exists and may sign in). An unknown email is a 400 naming the header, never a silent "API token".
 */
export function apiActor(db: Db, findAccount = accountByEmail): RequestHandler {
  return async (req, res, next) => {
    const email = req.get(ACTING_USER_HEADER);
    if (email === undefined || email.trim() === '') {
      res.locals.actor = API_TOKEN_ACTOR;
      return next();
    }
    const account = await findAccount(db, email);
    if (!account)
      throw new ValidationError(`${ACTING_USER_HEADER} names no account`, {
        fields: [{ field: ACTING_USER_HEADER, message: 'no active account has this email' }],
      });
    // A disabled account may not act, through the token or otherwise: refused by name, nothing done.
    if (account.disabled)
      throw new AppError(
        403,
        'account_disabled',
        `${ACTING_USER_HEADER} names a disabled account (${account.email}); an admin can enable it again`,
        { fields: [{ field: ACTING_USER_HEADER, message: `the account ${account.email} is disabled` }] },
      );
    res.locals.actor = { kind: 'api', userId: account.id, label: `${account.name} (${account.email}) via API token` };
    next();
  };
}

/** Who a request acts as: the API's actor, else the signed-in manager. */
export function actorOf(res: Response): Actor {
  if (res.locals.actor) return res.locals.actor;
  if (res.locals.user) return userActor(res.locals.user);
  // A change with no one behind it would be recorded under the wrong name: refuse instead.
  throw new UnauthorizedError();
}
