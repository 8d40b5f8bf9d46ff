import { Router } from 'express';
import type { Db } from '../../lib/db/client.js';
import { renderPage } from '../http/render.js';
import { photoStorageBytes } from '../../photos/photo-usage.js';
import { lostAlerts } from '../../outbox/alert-repository.js';
import { monthlyCost } from '../../outbox/pricing-repository.js';
import { unknownMessages24h } from '../senders/unknown-senders-queries.js';
import { whatsappEnabled } from '../settings/settings-repository.js';
import { complianceView } from './compliance.js';
import { lostAlertReason } from './lost-alert-reason.js';
import { actionCounts } from '../../actions/actions-repository.js';
import { factoryToday } from '../../actions/factory-day.js';
import { missedSince, RECENT_MISSED_DAYS } from '../assignments/recent-missed.js';
import { awaitingRestart, complianceByMachineDay, dashboardNumbers, waitingForReview } from './dashboard-repository.js';

export interface DashboardOptions {
  photosDir: string;
  /** Messages go to the built-in simulator (no WhatsApp access token): the dashboard says so. */
  simulator: boolean;
  /** The factory's days (today, the last 7 and 30) are counted in this IANA zone. */
  timeZone: string;
}

const CHART_DAYS = 30;
const GRID_DAYS = 14;

export function dashboardRoutes(db: Db, opts: DashboardOptions): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const [numbers, review, expired, photoBytes, cost, lost, unknownSenders, whatsappOn, compliance, actions] =
      await Promise.all([
        dashboardNumbers(db, { missedSince: missedSince(new Date(), opts.timeZone) }),
        waitingForReview(db),
        awaitingRestart(db),
        photoStorageBytes(opts.photosDir),
        monthlyCost(db),
        lostAlerts(db),
        unknownMessages24h(db),
        whatsappEnabled(db),
        complianceByMachineDay(db, { now: new Date(), timeZone: opts.timeZone, days: CHART_DAYS }),
        actionCounts(db, factoryToday(new Date(), opts.timeZone)),
      ]);
    const lostWithReasons = lost.map((a) => ({ ...a, reason: lostAlertReason(a) }));
    await renderPage(res, 'dashboard', {
      title: 'Dashboard',
      nav: 'dashboard',
      numbers,
      recentMissedDays: RECENT_MISSED_DAYS,
      review,
      expired,
      photoBytes,
      cost,
      lost: lostWithReasons,
      unknownSenders,
      whatsappOn,
      simulator: opts.simulator,
      compliance: complianceView(compliance.rows, compliance.today, { chartDays: CHART_DAYS, gridDays: GRID_DAYS }),
      /** Corrective actions still open, and those past their due day (each links to /actions filtered). */
      actions,
    });
  });

  return router;
}
