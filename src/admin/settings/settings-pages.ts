import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../lib/db/client.js';
import { passwordLimiter, type LoginLimits } from '../auth/login-limiter.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { currentUser, requireAdmin } from '../auth/require-user.js';
import { findPasswordHash, insertUser, listUsers, setPassword } from '../auth/users-repository.js';
import { fieldErrors, formValues, renderPage } from '../http/render.js';
import { promisify, setFlash } from '../http/session.js';
import { plainString, text } from '../../lib/validation.js';
import { setWhatsappEnabled, whatsappEnabled } from './settings-repository.js';

const newPassword = plainString().min(10, 'must be at least 10 characters').max(200, 'must be at most 200 characters');
const passwordForm = z
  .object({ current: plainString().min(1, 'is required').max(200), password: newPassword, confirm: plainString() })
  .refine((f) => f.password === f.confirm, { message: 'does not match the new password', path: ['confirm'] });
const userForm = z.object({
  email: plainString()
    .trim()
    .toLowerCase()
    .max(254)
    .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address'),
  name: text(200),
  role: z.enum(['manager', 'admin']),
  password: newPassword,
});
const switchForm = z.object({ enabled: z.enum(['true', 'false']) });

type FormState = { form: string; values: Record<string, unknown>; errors: Record<string, string> } | null;

/**
 * Settings: the WhatsApp switch (the guide's rollback flag), the simulator link, one's password, and (admins) users.
 */
export function settingsPages(db: Db, opts: { simulator: boolean; limits?: LoginLimits | undefined }): Router {
  const router = Router();

  async function page(res: Response, state: FormState = null, status = 200) {
    const user = currentUser(res);
    const [enabled, users] = await Promise.all([
      whatsappEnabled(db),
      user.role === 'admin' ? listUsers(db) : Promise.resolve([]),
    ]);
    await renderPage(
      res,
      'settings',
      { title: 'Settings', nav: 'settings', whatsappEnabled: enabled, simulator: opts.simulator, users, state },
      status,
    );
  }
  const again = (res: Response, form: string, req: Request, errors: Record<string, string>, status = 400) =>
    page(res, { form, values: { ...formValues(req), current: '', password: '', confirm: '' }, errors }, status);

  router.get('/settings', async (_req, res) => {
    await page(res);
  });

  router.post('/settings/whatsapp', async (req, res) => {
    const { enabled } = switchForm.parse(req.body ?? {});
    await setWhatsappEnabled(db, enabled === 'true');
    req.log.warn(
      { whatsappEnabled: enabled === 'true', userId: currentUser(res).id },
      '[WHATSAPP] Switched from the settings page',
    );
    setFlash(
      req,
      'ok',
      enabled === 'true'
        ? 'WhatsApp is on: checklists that were waiting start shortly.'
        : 'WhatsApp is off: no new conversation starts; those in progress go on.',
    );
    res.redirect(303, '/settings');
  });

  // Wrong current passwords count with failed sign-ins: a session left open is not a free password oracle.
  const currentPasswordTries = passwordLimiter(db, opts.limits ?? {}, {
    email: (req) => currentUser(req.res!).email.toLowerCase(),
    wrongPassword: (status) => status === 401,
    refuse: (minutes) => (req, res, next) => {
      again(
        res,
        'password',
        req,
        { current: `Too many wrong passwords. Wait ${minutes} minutes and try again.` },
        429,
      ).catch(next);
    },
  });

  router.post('/settings/password', ...currentPasswordTries, async (req, res) => {
    const user = currentUser(res);
    const input = passwordForm.safeParse(req.body ?? {});
    if (!input.success) return again(res, 'password', req, fieldErrors(input.error));
    const hash = await findPasswordHash(db, user.id);
    if (!hash || !(await verifyPassword(input.data.current, hash)))
      return again(res, 'password', req, { current: 'is not your current password' }, 401);
    // Other sessions of this user end (they signed in before the change); this one goes on.
    const now = new Date();
    await setPassword(db, user.id, await hashPassword(input.data.password), now);
    req.session.authAt = now.getTime();
    await promisify((cb) => req.session.save(cb));
    req.log.info({ userId: user.id }, 'Password changed');
    setFlash(req, 'ok', 'Password changed. Other devices signed in as you have been signed out.');
    res.redirect(303, '/settings');
  });

  router.post('/settings/users', requireAdmin, async (req, res) => {
    const input = userForm.safeParse(req.body ?? {});
    if (!input.success) return again(res, 'user', req, fieldErrors(input.error));
    const created = await insertUser(db, { ...input.data, passwordHash: await hashPassword(input.data.password) });
    if (!created) return again(res, 'user', req, { email: 'already has an account' }, 409);
    req.log.info({ newUserId: created.id, role: created.role, userId: currentUser(res).id }, 'User added');
    setFlash(req, 'ok', `${created.name} (${created.email}) can now sign in as ${created.role}.`);
    res.redirect(303, '/settings');
  });

  return router;
}
