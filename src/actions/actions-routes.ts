import { Router } from 'express';
import type { Db } from '../lib/db/client.js';
import { NotFoundError } from '../lib/errors.js';
import { parse } from '../lib/http/validate.js';
import { actorOf } from '../audit/actor.js';
import { findAction, listActions, type ActionRow } from './actions-repository.js';
import { actionIdParam, listActionsQuery, patchActionSchema } from './actions-schemas.js';
import { changeAction } from './actions-service.js';

/** The REST API's view of an action (docs/api.md, OpenAPI `Action`). */
export const actionJson = (a: ActionRow) => ({
  id: a.id,
  submissionId: a.submissionId,
  position: a.position,
  taskText: a.taskText,
  machineId: a.machineId,
  remarks: a.remarks,
  status: a.status,
  ownerId: a.ownerId,
  dueAt: a.dueAt,
  note: a.note,
  createdAt: a.createdAt,
  closedAt: a.closedAt,
});

export function actionsRoutes(db: Db): Router {
  const router = Router();

  router.get('/actions', async (req, res) => {
    const q = parse(listActionsQuery, req.query, 'query');
    res.json({ actions: (await listActions(db, q)).map(actionJson) });
  });

  router.get('/actions/:id', async (req, res) => {
    const { id } = parse(actionIdParam, req.params, 'params');
    const action = await findAction(db, id);
    if (!action) throw new NotFoundError(`Action ${id}`);
    res.json(actionJson(action));
  });

  router.patch('/actions/:id', async (req, res) => {
    const { id } = parse(actionIdParam, req.params, 'params');
    const patch = parse(patchActionSchema, req.body ?? {});
    res.json(actionJson(await changeAction(db, id, patch, actorOf(res))));
  });

  return router;
}
