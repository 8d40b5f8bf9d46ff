import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../lib/db/client.js';
import { NotFoundError } from '../../lib/errors.js';
import { dbId, plainString, text } from '../../lib/validation.js';
import { accountChanges } from '../../audit/audit-repository.js';
import { inWords } from '../../audit/audit-words.js';
import { listLockedSignIns } from '../auth/attempts-repository.js';
import { newPassword } from '../auth/password-pages.js';
import { currentUser } from '../auth/require-user.js';
import { ROLES, ROLE_SUMMARY, ROLE_WORDS, requireAdmin } from '../auth/roles.js';
import { listUsers } from '../auth/users-repository.js';
import { fieldErrors, formValues, renderPage } from '../http/render.js';
import { setFlash } from '../http/session.js';
import { actorOfPage } from './account-audit.js';
import {
  addAccount,
  resetAccountPassword,
  setAccountDisabled,
  unlockSignInFor,
  type Outcome,
} from './account-service.js';

const userForm = z.object({
  email: plainString()
    .trim()
    .toLowerCase()
    .max(254)
    .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address'),
  name: text(200),
  role: z.enum(ROLES, { error: 'must be one of Admin, Manager, Supervisor' }),
  password: newPassword,
});
const resetForm = z.object({ password: newPassword });
const unlockForm = z.object({ key: plainString().regex(/^[0-9a-f]{64}$/, 'is not a sign-in lock') });

type FormState = { form: string; values: Record<string, unknown>; errors: Record<string, string> } | null;

/** Accounts (admins only): who can sign in, adding one, disabling, one-time passwords, and locked sign-ins. */
export function accountPages(db: Db): Router {
  const router = Router();
  router.use('/accounts', requireAdmin);

  async function page(res: Response, state: FormState = null, status = 200) {
    const [users, locked, changes] = await Promise.all([listUsers(db), listLockedSignIns(db), accountChanges(db)]);
    await renderPage(
      res,
      'accounts',
      {
        title: 'Accounts',
        nav: 'accounts',
        users,
        locked,
        changes: inWords(changes),
        state,
        roles: ROLES,
        roleWords: ROLE_WORDS,
        roleSummary: ROLE_SUMMARY,
      },
      status,
    );
  }
  const idOf = (req: Request) => {
    const p = z.object({ id: dbId }).safeParse(req.params);
    if (!p.success) throw new NotFoundError('Account');
    return p.data.id;
  };
  const done = (req: Request, res: Response, outcome: Outcome, said: (name: string) => string) => {
    if (outcome.ok) setFlash(req, 'ok', said(`${outcome.user.name} (${outcome.user.email})`));
    else setFlash(req, 'error', outcome.problem);
    res.redirect(303, '/accounts');
  };

  router.get('/accounts', async (_req, res) => {
    await page(res);
  });

  router.post('/accounts', async (req, res) => {
    const input = userForm.safeParse(req.body ?? {});
    const values = { ...formValues(req), password: '' };
    if (!input.success) return page(res, { form: 'user', values, errors: fieldErrors(input.error) }, 400);
    const created = await addAccount(db, actorOfPage(res), input.data);
    if (!created) return page(res, { form: 'user', values, errors: { email: 'already has an account' } }, 409);
    req.log.info(
      { newUserId: created.id, role: created.role, userId: currentUser(res).id },
      '[ACCOUNTS] Account added',
    );
    setFlash(
      req,
      'ok',
      `${created.name} (${created.email}) can now sign in as ${ROLE_WORDS[input.data.role].toLowerCase()}.`,
    );
    res.redirect(303, '/accounts');
  });

  router.post('/accounts/:id/disable', async (req, res) => {
    const outcome = await setAccountDisabled(db, actorOfPage(res), idOf(req), true);
    req.log.info(
      { targetUserId: req.params.id, ok: outcome.ok, userId: currentUser(res).id },
      '[ACCOUNTS] Account disabled',
    );
    done(req, res, outcome, (who) => `${who} is disabled and has been signed out everywhere.`);
  });

  router.post('/accounts/:id/enable', async (req, res) => {
    const outcome = await setAccountDisabled(db, actorOfPage(res), idOf(req), false);
    req.log.info(
      { targetUserId: req.params.id, ok: outcome.ok, userId: currentUser(res).id },
      '[ACCOUNTS] Account enabled',
    );
    done(req, res, outcome, (who) => `${who} can sign in again.`);
  });

  router.post('/accounts/:id/password', async (req, res) => {
    const id = idOf(req);
    const input = resetForm.safeParse(req.body ?? {});
    if (!input.success) return page(res, { form: `reset-${id}`, values: {}, errors: fieldErrors(input.error) }, 400);
    const outcome = await resetAccountPassword(db, actorOfPage(res), id, input.data.password);
    req.log.info({ targetUserId: id, ok: outcome.ok, userId: currentUser(res).id }, '[ACCOUNTS] One-time password set');
    done(
      req,
      res,
      outcome,
      (who) =>
        `${who} has a one-time password and has been signed out. Tell it to them: they choose their own at sign-in.`,
    );
  });

  router.post('/accounts/unlock', async (req, res) => {
    const input = unlockForm.safeParse(req.body ?? {});
    if (!input.success) return page(res, { form: 'unlock', values: {}, errors: fieldErrors(input.error) }, 400);
    const unlocked = await unlockSignInFor(db, actorOfPage(res), input.data.key);
    req.log.info({ unlocked, userId: currentUser(res).id }, '[ACCOUNTS] Sign-ins unlocked');
    setFlash(
      req,
      unlocked ? 'ok' : 'error',
      unlocked ? 'Unlocked: sign-in can be tried again.' : 'That lock had already ended.',
    );
    res.redirect(303, '/accounts');
  });

  return router;
}
