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

/** The session's user, unless the session is older than the user's last password change. */
export async function sessionUser(db: Db, req: Request): Promise<CurrentUser | null> {
  const s = req.session;
  if (!s?.userId) return null;
  const user = await findUserById(db, s.userId);
  if (!user || (s.authAt ?? 0) < user.passwordChangedAt.getTime()) return null;
  return user;
}

/** Pages need a signed-in user: a page request goes to /login (303), anything else is a 401 and does nothing. */
export function requireUser(db: Db): RequestHandler {
  return async (req, res, next) => {
    const user = await sessionUser(db, req);
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

export const requireAdmin: RequestHandler = (_req, res, next) => {
  if (res.locals.user?.role !== 'admin') return next(new ForbiddenError('Only an admin may do this'));
  next();
};

/** The signed-in user of a request that passed requireUser. */
export function currentUser(res: { locals: { user?: CurrentUser } }): CurrentUser {
  if (!res.locals.user) throw new UnauthorizedError();
  return res.locals.user;
}
