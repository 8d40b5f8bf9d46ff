import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../lib/db/client.js';
import { plainString } from '../../lib/validation.js';
import { csrfProtection, newCsrfToken } from '../http/csrf.js';
import { loginCsrf } from './login-csrf.js';
import { renderPage } from '../http/render.js';
import { promisify, SESSION_COOKIE } from '../http/session.js';
import { loginLimiter, type LoginLimits } from './login-limiter.js';
import { DUMMY_HASH, verifyPassword } from './password.js';
import { CHANGE_PASSWORD_PATH, requireUser, sessionAccountDisabled, sessionUser } from './require-user.js';
import { findUserByEmail, recordSignIn } from './users-repository.js';

const loginSchema = z.object({
  email: plainString().trim().toLowerCase().max(254, 'must be at most 254 characters'),
  password: plainString().max(200, 'must be at most 200 characters'),
  next: plainString().max(2000).optional(),
});
const FIELD_LABELS: Record<string, string> = { email: 'Email', password: 'Password', next: 'The page to go back to' };

/** Told at sign-in and on /login after an open session was refused: one wording for both (issue 18). */
export const DISABLED_NOTICE = 'This account has been disabled. Ask an administrator to enable it again.';

/** Only a path on this site: "/x", never "//evil.example", "/\evil.example" or one with control characters. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !/^\/(?![/\\])[^\s\\\p{Cc}]*$/u.test(next) || /^\/log(in|out)\b/.test(next))
    return '/';
  return next;
}

export function loginRoutes(
  db: Db,
  opts: { production: boolean; sessionSecret: string; limits?: LoginLimits | undefined },
): Router {
  const router = Router();
  // Before sign-in nothing is stored: the form's CSRF token lives in a signed cookie, not in a session.
  const formToken = loginCsrf({ secret: opts.sessionSecret, secure: opts.production });

  router.get('/login', async (req, res) => {
    const next = safeNext(req.query.next);
    if (await sessionUser(db, req)) return res.redirect(303, next);
    res.locals.csrfToken = formToken.issue(req, res);
    await renderPage(res, 'login', {
      title: 'Sign in',
      email: '',
      next,
      error: (await sessionAccountDisabled(db, req)) ? DISABLED_NOTICE : null,
      insecure: opts.production && !req.secure,
    });
  });

  router.post('/login', formToken.check, ...loginLimiter(db, opts.limits), async (req, res) => {
    const input = loginSchema.safeParse(req.body ?? {});
    if (!input.success) {
      const issue = input.error.issues[0]!;
      return renderPage(
        res,
        'login',
        {
          title: 'Sign in',
          email: '',
          next: '/',
          error: `${FIELD_LABELS[String(issue.path[0])] ?? 'The form'} ${issue.message}.`,
          insecure: opts.production && !req.secure,
        },
        400,
      );
    }
    const { email } = input.data;
    const next = safeNext(input.data.next);
    const user = email ? await findUserByEmail(db, email) : null;
    // Always one scrypt, so a wrong email takes as long as a wrong password.
    const ok = await verifyPassword(input.data.password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) {
      req.log.info({ userId: user?.id ?? null }, '[ACCOUNTS] Sign-in failed');
      return renderPage(
        res,
        'login',
        {
          title: 'Sign in',
          email,
          next,
          error: 'That email and password do not match an account.',
          insecure: opts.production && !req.secure,
        },
        401,
      );
    }
    if (user.disabledAt) {
      // Said only to someone who knows the password: it tells a guesser nothing.
      req.log.info({ userId: user.id }, '[ACCOUNTS] Sign-in refused: account disabled');
      return renderPage(
        res,
        'login',
        {
          title: 'Sign in',
          email,
          next,
          error: DISABLED_NOTICE,
          insecure: opts.production && !req.secure,
        },
        403,
      );
    }
    // A new session id at sign-in: a session id planted before sign-in is worth nothing afterwards.
    await promisify((cb) => req.session.regenerate(cb));
    req.session.userId = user.id;
    req.session.authAt = Date.now();
    newCsrfToken(req);
    await promisify((cb) => req.session.save(cb));
    formToken.clear(res);
    await recordSignIn(db, user.id);
    req.log.info({ userId: user.id }, '[ACCOUNTS] Signed in');
    // A one-time password (set by an admin or the reset command) is changed before anything else.
    res.redirect(303, user.mustChangePassword ? `${CHANGE_PASSWORD_PATH}?next=${encodeURIComponent(next)}` : next);
  });

  router.post('/logout', requireUser(db), csrfProtection, async (req, res) => {
    const userId = res.locals.user?.id;
    await promisify((cb) => req.session.destroy(cb));
    res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax' });
    req.log.info({ userId }, '[ACCOUNTS] Signed out');
    res.redirect(303, '/login');
  });

  return router;
}
