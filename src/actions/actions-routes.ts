import { Router } from 'express';
import type { Db } from '../lib/db/client.js';
import { NotFoundError, ValidationError } from '../lib/errors.js';
import { photoUpload, storeUpload } from '../photos/photo-upload.js';
import type { PhotoStore } from '../photos/photo-store.js';
import { parse } from '../lib/http/validate.js';
import { actorOf } from '../audit/actor.js';
import { findAction, listActions, type ActionRow } from './actions-repository.js';
import { actionIdParam, listActionsQuery, patchActionSchema } from './actions-schemas.js';
import { changeAction } from './actions-service.js';
import { factoryToday, isOverdue } from './factory-day.js';

/** The REST API's view of an action (docs/api.md, OpenAPI `Action`); `today`: the factory's day, for `overdue`. */
export const actionJson = (a: ActionRow, today: string) => ({
  id: a.id,
  submissionId: a.submissionId,
  position: a.position,
  taskText: a.taskText,
  machineId: a.machineId,
  remarks: a.remarks,
  value: a.valueNumeric === null ? null : Number(a.valueNumeric),
  unit: a.unit,
  min: a.minValue,
  max: a.maxValue,
  status: a.status,
  ownerId: a.ownerId,
  dueAt: a.dueAt,
  note: a.note,
  createdAt: a.createdAt,
  closedAt: a.closedAt,
  overdue: isOverdue(a, today),
  photo: a.photoFilename,
  closingPhoto: a.closingPhotoFilename,
});

/** `timeZone`: DEFAULT_TIMEZONE, the factory's, which says what "today" and "overdue" are. */
export function actionsRoutes(db: Db, opts: { timeZone: string; photos: PhotoStore }): Router {
  const router = Router();
  const today = () => factoryToday(new Date(), opts.timeZone);

  router.get('/actions', async (req, res) => {
    const q = parse(listActionsQuery, req.query, 'query');
    const day = today();
    res.json({ actions: (await listActions(db, { ...q, today: day })).map((a) => actionJson(a, day)) });
  });

  router.get('/actions/:id', async (req, res) => {
    const { id } = parse(actionIdParam, req.params, 'params');
    const action = await findAction(db, id);
    if (!action) throw new NotFoundError(`Action ${id}`);
    res.json(actionJson(action, today()));
  });

  router.patch('/actions/:id', async (req, res) => {
    const { id } = parse(actionIdParam, req.params, 'params');
    const patch = parse(patchActionSchema, req.body ?? {});
    res.json(actionJson(await changeAction(db, id, patch, actorOf(res)), today()));
  });

  // The closing photo (issue 18 item 3): multipart, field `photo`; the action must be done or won't fix.
  router.post('/actions/:id/photo', photoUpload('photo'), async (req, res) => {
    const { id } = parse(actionIdParam, req.params, 'params');
    if (!(await findAction(db, id))) throw new NotFoundError(`Action ${id}`);
    const name = await storeUpload(opts.photos, req, 'photo');
    if (!name)
      throw new ValidationError('Invalid photo', {
        fields: [{ field: 'photo', message: 'is required: send it as multipart/form-data' }],
      });
    try {
      res.json(actionJson(await changeAction(db, id, { closingPhoto: name }, actorOf(res)), today()));
    } catch (err) {
      await opts.photos.remove(name);
      throw err;
    }
  });

  return router;
}
