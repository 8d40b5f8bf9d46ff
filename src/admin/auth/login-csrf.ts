import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { CsrfError } from '../http/csrf.js';

export const LOGIN_CSRF_COOKIE = 'kinto.login';
const MAX_AGE_MS = 12 * 3600 * 1000;

/** A cookie of the request, read from its Cookie header (the app has no cookie parser). */
function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const sameText = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The sign-in form's CSRF token without a stored session (a signed double-submit cookie), so anonymous
 * visits store nothing: the cookie holds a random token and its HMAC under SESSION_SECRET, the form sends
 * the token back, and the two must match. The cookie is HttpOnly, SameSite=Lax and only sent to /login.
 */
export function loginCsrf(opts: { secret: string; secure: boolean }) {
  const sign = (token: string) => createHmac('sha256', opts.secret).update(`login-csrf:${token}`).digest('base64url');

  /** The request's token when its cookie is one we signed. */
  const cookieToken = (req: Request): string | null => {
    const [token, signature, ...rest] = (readCookie(req, LOGIN_CSRF_COOKIE) ?? '').split('.');
    if (!token || !signature || rest.length > 0) return null;
    return sameText(signature, sign(token)) ? token : null;
  };

  return {
    /** The token for the form: the browser's own when it has one (two tabs both work), else a new one. */
    issue(req: Request, res: Response): string {
      const existing = cookieToken(req);
      if (existing) return existing;
      const token = randomBytes(24).toString('base64url');
      res.cookie(LOGIN_CSRF_COOKIE, `${token}.${sign(token)}`, {
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.secure,
        path: '/login',
        maxAge: MAX_AGE_MS,
      });
      return token;
    },
    /** Refuses a POST whose _csrf is not the token of its signed cookie (403); the views get the token back. */
    check: ((req, res, next) => {
      const token = cookieToken(req);
      const sent = (req.body as { _csrf?: unknown } | undefined)?._csrf;
      if (!token || typeof sent !== 'string' || !sameText(sent, token)) return next(new CsrfError());
      res.locals.csrfToken = token;
      next();
    }) as RequestHandler,
    /** After sign-in the form's token has served. */
    clear(res: Response): void {
      res.clearCookie(LOGIN_CSRF_COOKIE, { httpOnly: true, sameSite: 'lax', secure: opts.secure, path: '/login' });
    },
  };
}
