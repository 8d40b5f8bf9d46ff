import { Router } from 'express';
import type { Db } from '../../lib/db/client.js';
import { renderPage } from '../http/render.js';
import { photoStorageBytes } from '../../photos/photo-usage.js';
import { lostAlerts } from '../../outbox/alert-repository.js';
import { monthlyCost } from '../../outbox/pricing-repository.js';
import { unknownMessages24h } from '../senders/unknown-senders-queries.js';
import { lostAlertReason } from './lost-alert-reason.js';
import { awaitingRestart, dashboardNumbers, waitingForReview } from './dashboard-repository.js';

export function dashboardRoutes(db: Db, photosDir: string): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const [numbers, review, expired, photoBytes, cost, lost, unknownSenders] = await Promise.all([
      dashboardNumbers(db),
      waitingForReview(db),
      awaitingRestart(db),
      photoStorageBytes(photosDir),
      monthlyCost(db),
      lostAlerts(db),
      unknownMessages24h(db),
    ]);
    const lostWithReasons = lost.map((a) => ({ ...a, reason: lostAlertReason(a) }));
    await renderPage(res, 'dashboard', {
      title: 'Dashboard',
      nav: 'dashboard',
      numbers,
      review,
      expired,
      photoBytes,
      cost,
      lost: lostWithReasons,
      unknownSenders,
    });
  });

  return router;
}
