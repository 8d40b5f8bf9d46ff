import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../lib/db/client.js';
import { currentUser } from '../auth/require-user.js';
import { renderPage } from '../http/render.js';
import { setFlash } from '../http/session.js';
import { setWhatsappEnabled, whatsappEnabled } from './settings-repository.js';

const switchForm = z.object({ enabled: z.enum(['true', 'false']) });

/**
 * Settings: the WhatsApp switch (the guide's rollback flag) and the simulator link. One's password is at
 * /password (every role), accounts at /accounts (admins).
 */
export function settingsPages(db: Db, opts: { simulator: boolean }): Router {
  const router = Router();

  router.get('/settings', async (_req, res) => {
    await renderPage(res, 'settings', {
      title: 'Settings',
      nav: 'settings',
      whatsappEnabled: await whatsappEnabled(db),
      simulator: opts.simulator,
    });
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

  return router;
}
