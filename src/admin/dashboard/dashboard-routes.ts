import { Router } from 'express';
import type { Db } from '../../lib/db/client.js';
import { renderPage } from '../http/render.js';
import { awaitingRestart, dashboardNumbers, waitingForReview } from './dashboard-repository.js';

export function dashboardRoutes(db: Db): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const [numbers, review, expired] = await Promise.all([dashboardNumbers(db), waitingForReview(db), awaitingRestart(db)]);
    await renderPage(res, 'dashboard', { title: 'Dashboard', nav: 'dashboard', numbers, review, expired });
  });

  return router;
}
