import { Router, type Request } from 'express';
import type { Db } from '../../lib/db/client.js';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { actionsForPage, machineChoices, owners } from '../../actions/actions-repository.js';
import { actionForm, actionIdParam, actionsPageQuery } from '../../actions/actions-schemas.js';
import { changeAction } from '../../actions/actions-service.js';
import type { PhotoStore } from '../../photos/photo-store.js';
import { storeUpload } from '../../photos/photo-upload.js';
import { factoryToday } from '../../actions/factory-day.js';
import { ACTION_STATUSES } from '../../actions/actions-schema.js';
import { actionStatusWords, inWords } from '../../audit/audit-words.js';
import { actorOf } from '../../audit/actor.js';
import { subjectEvents } from '../../audit/audit-repository.js';
import { currentUser } from '../auth/require-user.js';
import { fieldErrors, formValues, renderPage } from '../http/render.js';
import { actionWords } from './action-words.js';
import { setFlash } from '../http/session.js';

/** The list's filters in words, for its heading and its select. */
const SHOW = { open: 'Open', overdue: 'Overdue', mine: 'Mine (open)', closed: 'Closed', all: 'All' } as const;
const statusChoices = ACTION_STATUSES.map((s) => ({ value: s, label: actionStatusWords(s) }));

/** `timeZone`: DEFAULT_TIMEZONE, the factory's, which says what "overdue" is. */
export function actionPages(db: Db, opts: { timeZone: string; photos: PhotoStore }): Router {
  const router = Router();
  const today = () => factoryToday(new Date(), opts.timeZone);

  const idOf = (req: Request) => {
    const p = actionIdParam.safeParse(req.params);
    if (!p.success) throw new NotFoundError('Action');
    return p.data.id;
  };

  router.get('/actions', async (req, res) => {
    const q = actionsPageQuery.parse(req.query);
    const me = currentUser(res).id;
    const day = today();
    const rows = await actionsForPage(db, {
      today: day,
      machineId: q.machineId,
      ...(q.show === 'open' ? { stillOpen: true } : {}),
      ...(q.show === 'overdue' ? { overdue: true } : {}),
      ...(q.show === 'mine' ? { ownerId: me, stillOpen: true } : {}),
      ...(q.show === 'closed' ? { closed: true } : {}),
    });
    await renderPage(res, 'actions', {
      title: 'Actions',
      nav: 'actions',
      rows,
      filter: q,
      show: SHOW,
      machines: await machineChoices(db),
      statusWords: actionStatusWords,
      words: actionWords(day),
    });
  });

  async function showAction(req: Request, res: import('express').Response, errors = {}, status = 200) {
    const id = idOf(req);
    const day = today();
    const [row] = await actionsForPage(db, { id, today: day });
    if (!row) throw new NotFoundError('Action');
    await renderPage(
      res,
      'action',
      {
        title: `Action · ${row.action.taskText}`,
        nav: 'actions',
        a: row,
        owners: await owners(db, row.action.ownerId),
        statuses: statusChoices,
        statusWords: actionStatusWords,
        words: actionWords(day),
        trail: inWords(await subjectEvents(db, 'action', id)),
        values: status === 200 ? {} : formValues(req),
        errors,
      },
      status,
    );
  }

  router.get('/actions/:id', (req, res) => showAction(req, res));

  router.post('/actions/:id', async (req, res) => {
    const id = idOf(req);
    const form = actionForm.safeParse(req.body ?? {});
    if (!form.success) return showAction(req, res, fieldErrors(form.error), 400);
    let closingPhoto: string | undefined;
    try {
      closingPhoto = await storeUpload(opts.photos, req, 'photo');
      await changeAction(db, id, { ...form.data, closingPhoto }, actorOf(res));
    } catch (err) {
      if (closingPhoto) await opts.photos.remove(closingPhoto);
      // The service's refusals name a field (an owner whose account is disabled): shown beside it, in words.
      const fields = err instanceof ValidationError ? serviceFieldErrors(err) : null;
      if (!fields) throw err;
      return showAction(req, res, fields, 400);
    }
    setFlash(req, 'ok', 'Action saved.');
    res.redirect(303, `/actions/${id}`);
  });

  return router;
}

/** A ValidationError's `details.fields` as the form's errors by field; null when it names none. */
function serviceFieldErrors(err: ValidationError): Record<string, string> | null {
  const fields = (err.details as { fields?: { field: string; message: string }[] } | undefined)?.fields;
  if (!fields?.length) return null;
  return Object.fromEntries(fields.map((f) => [f.field, f.message]));
}
