import { Router } from 'express';
import type { Db } from '../../lib/db/client.js';
import { renderPage } from '../http/render.js';
import { photoStorageBytes } from '../../photos/photo-usage.js';
import { awaitingRestart, dashboardNumbers, waitingForReview } from './dashboard-repository.js';

export function dashboardRoutes(db: Db, photosDir: string): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const [numbers, review, expired, photoBytes] = await Promise.all([
      dashboardNumbers(db),
      waitingForReview(db),
      awaitingRestart(db),
      photoStorageBytes(photosDir),
    ]);
    await renderPage(res, 'dashboard', { title: 'Dashboard', nav: 'dashboard', numbers, review, expired, photoBytes });
  });

  return router;
}
