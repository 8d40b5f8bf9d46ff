import { Router } from 'express';
import type { z } from 'zod';
import { actorOf } from '../audit/actor.js';
import { ValidationError } from '../lib/errors.js';
import { parse } from '../lib/http/validate.js';
import type { SchedulesService } from './schedules-service.js';
import { createScheduleSchema, fieldName, scheduleIdParam, updateScheduleSchema } from './schedules-schemas.js';

/** A body parsed like `parse`, its fields named as a client writes them (`times[0]`). */
function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const fields = result.error.issues.map((i) => ({ field: fieldName(i.path) || 'body', message: i.message }));
  throw new ValidationError(`Invalid body: ${fields.map((f) => f.field).join(', ')}`, { fields });
}

export function schedulesRoutes(schedules: SchedulesService): Router {
  const router = Router();

  router.post('/schedules', async (req, res) => {
    const created = await schedules.create(parseBody(createScheduleSchema, req.body), actorOf(res));
    res.status(201).json(created);
  });

  router.get('/schedules', async (_req, res) => {
    res.json({ schedules: await schedules.list() });
  });

  router.get('/schedules/:id', async (req, res) => {
    const { id } = parse(scheduleIdParam, req.params, 'params');
    res.json(await schedules.get(id));
  });

  router.patch('/schedules/:id', async (req, res) => {
    const { id } = parse(scheduleIdParam, req.params, 'params');
    res.json(await schedules.update(id, parseBody(updateScheduleSchema, req.body), actorOf(res)));
  });

  router.delete('/schedules/:id', async (req, res) => {
    const { id } = parse(scheduleIdParam, req.params, 'params');
    await schedules.remove(id, actorOf(res));
    res.status(204).end();
  });

  return router;
}
