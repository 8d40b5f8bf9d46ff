import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../lib/db/client.js';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { dbId } from '../../lib/validation.js';
import { findMachine } from '../../checklists/checklists-repository.js';
import { renderPage } from '../http/render.js';
import { machineReadings } from './readings-queries.js';
import { DAY_MS, READING_DAYS } from './reading-links.js';
import { taskReadings } from './readings-view.js';

const daysQuery = z.object({ days: z.enum(['30', '90']).default('30') });

/** The readings of a machine's number tasks as charts with their limits, and a table of them (issue 16 item 6). */
export function readingsPages(db: Db, opts: { timeZone: string }): Router {
  const router = Router();

  router.get('/machines/:id/readings', async (req, res) => {
    const id = dbId.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError('Machine');
    const q = daysQuery.safeParse(req.query);
    if (!q.success) throw new ValidationError('The readings can be shown for the last 30 or 90 days only.');
    const days = Number(q.data.days);
    const machine = await findMachine(db, id.data);
    if (!machine) throw new NotFoundError('Machine');
    const to = new Date();
    const from = new Date(to.getTime() - days * DAY_MS);
    const tasks = taskReadings(await machineReadings(db, machine.id, days), { from, to }, opts.timeZone);
    await renderPage(res, 'machine-readings', {
      title: `Readings · ${machine.name}`,
      nav: 'machines',
      machine,
      days,
      periods: READING_DAYS,
      tasks,
      timeZone: opts.timeZone,
    });
  });

  return router;
}
