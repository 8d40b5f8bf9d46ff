import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../lib/db/client.js';
import { withTransaction } from '../../lib/db/transaction.js';
import { plainString } from '../../lib/validation.js';
import { fieldErrors, formValues, renderPage } from '../http/render.js';
import { promisify, setFlash } from '../http/session.js';
import { actorOfPage, recordAccountEvent, userSubject } from '../accounts/account-audit.js';
import { passwordLimiter, type LoginLimits } from './login-limiter.js';
import { safeNext } from './login-routes.js';
import { hashPassword, verifyPassword } from './password.js';
import { CHANGE_PASSWORD_PATH, currentUser } from './require-user.js';
import { findPasswordHash, setPassword } from './users-repository.js';

export const newPassword = plainString()
  .min(10, 'must be at least 10 characters')
  .max(200, 'must be at most 200 characters');
const passwordForm = z
  .object({
    current: plainString().min(1, 'is required').max(200),
    password: newPassword,
    confirm: plainString(),
    next: plainString().max(2000).optional(),
  })
  .refine((f) => f.password === f.confirm, { message: 'does not match the new password', path: ['confirm'] })
  .refine((f) => f.password !== f.current, { message: 'must differ from the current one', path: ['password'] });

/**
 * "Your password", for every role (a supervisor has no Settings): change one's own password. An account
 * signed in with a one-time password is sent here first and may do nothing else until it has changed it.
 */
export function passwordPages(db: Db, opts: { limits?: LoginLimits | undefined }): Router {
  const router = Router();

  const page = (res: Response, next: string, values: Record<string, unknown> = {}, errors = {}, status = 200) =>
    renderPage(
      res,
      'password',
      { title: 'Your password', nav: 'password', next, values, errors, forced: currentUser(res).mustChangePassword },
      status,
    );
  const again = (req: Request, res: Response, errors: Record<string, string>, status = 400) =>
    page(
      res,
      safeNext(formValues(req).next),
      { ...formValues(req), current: '', password: '', confirm: '' },
      errors,
      status,
    );

  router.get(CHANGE_PASSWORD_PATH, async (req, res) => {
    await page(res, safeNext(req.query.next));
  });

  // Wrong current passwords count with failed sign-ins: a session left open is not a free password oracle.
  const currentPasswordTries = passwordLimiter(db, opts.limits ?? {}, {
    email: (req) => currentUser(req.res!).email.toLowerCase(),
    wrongPassword: (status) => status === 401,
    refuse: (minutes) => (req, res, next) => {
      again(req, res, { current: `Too many wrong passwords. Wait ${minutes} minutes and try again.` }, 429).catch(next);
    },
  });

  router.post(CHANGE_PASSWORD_PATH, ...currentPasswordTries, async (req, res) => {
    const user = currentUser(res);
    const input = passwordForm.safeParse(req.body ?? {});
    if (!input.success) return again(req, res, fieldErrors(input.error));
    const hash = await findPasswordHash(db, user.id);
    if (!hash || !(await verifyPassword(input.data.current, hash)))
      return again(req, res, { current: 'is not your current password' }, 401);
    // Other sessions of this user end (they signed in before the change); this one goes on.
    const now = new Date();
    const newHash = await hashPassword(input.data.password);
    await withTransaction(db, async (tx) => {
      await setPassword(tx, user.id, newHash, now);
      await recordAccountEvent(tx, actorOfPage(res), 'account.password_changed', userSubject(user), {
        oneTime: user.mustChangePassword,
      });
    });
    req.session.authAt = now.getTime();
    await promisify((cb) => req.session.save(cb));
    req.log.info({ userId: user.id }, '[ACCOUNTS] Password changed');
    setFlash(req, 'ok', 'Password changed. Other devices signed in as you have been signed out.');
    res.redirect(303, user.mustChangePassword ? safeNext(input.data.next) : CHANGE_PASSWORD_PATH);
  });

  return router;
}
