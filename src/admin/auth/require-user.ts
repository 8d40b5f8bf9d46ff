import type { Request, RequestHandler } from 'express';
import type { Db } from '../../lib/db/client.js';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors.js';
import { requireBearer } from '../../lib/http/auth.js';
import { findUserById, type CurrentUser } from './users-repository.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Set by requireUser for the rest of the request. */
      user?: CurrentUser;
    }
  }
}

/**
 * The session's user, unless the account is disabled or the session is older than its last password change:
 * read on every request, so disabling an account refuses its open sessions at their next request.
 */
export async function sessionUser(db: Db, req: Request): Promise<CurrentUser | null> {
  const s = req.session;
  if (!s?.userId) return null;
  const user = await findUserById(db, s.userId);
  if (!user || user.disabledAt || (s.authAt ?? 0) < user.passwordChangedAt.getTime()) return null;
  return user;
}

/**
 * Whether this browser's session was ended because its account is disabled (and still is): its own session's
 * account, never one named by the request, so /login tells nothing to anyone else.
 */
export async function sessionAccountDisabled(db: Db, req: Request): Promise<boolean> {
  const id = req.session?.disabledUserId ?? req.session?.userId;
  if (!id) return false;
  const user = await findUserById(db, id);
  return Boolean(user?.disabledAt);
}

/** Where an account with a one-time password goes first; the only pages it may use until it has changed it. */
export const CHANGE_PASSWORD_PATH = '/password';
const OPEN_WITH_ONE_TIME_PASSWORD = new Set([CHANGE_PASSWORD_PATH, '/logout']);

/** Pages need a signed-in user: a page request goes to /login (303), anything else is a 401 and does nothing. */
export function requireUser(db: Db): RequestHandler {
  return async (req, res, next) => {
    const user = await sessionUser(db, req);
    if (user?.mustChangePassword && !OPEN_WITH_ONE_TIME_PASSWORD.has(req.path)) {
      res.locals.user = user;
      if (req.method === 'GET' || req.method === 'HEAD') {
        res.redirect(303, `${CHANGE_PASSWORD_PATH}?next=${encodeURIComponent(req.originalUrl)}`);
        return;
      }
      return next(new ForbiddenError('Choose your own password first (the one you signed in with was for one use).'));
    }
    if (user) {
      res.locals.user = user;
      return next();
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    next(new UnauthorizedError('You are not signed in (or your session has ended). Sign in and try again.'));
  };
}

/** The photo route: the REST API's bearer token, or a signed-in user's session cookie. Neither: 401. */
export function requireUserOrBearer(db: Db, apiToken: string): RequestHandler {
  const bearer = requireBearer(apiToken);
  return async (req, res, next) => {
    if (req.get('authorization')) return bearer(req, res, next);
    const user = await sessionUser(db, req);
    if (!user) return next(new UnauthorizedError('Sign in, or send Authorization: Bearer <API_TOKEN>'));
    res.locals.user = user;
    next();
  };
}

/** The signed-in user of a request that passed requireUser. */
export function currentUser(res: { locals: { user?: CurrentUser } }): CurrentUser {
  if (!res.locals.user) throw new UnauthorizedError();
  return res.locals.user;
}
