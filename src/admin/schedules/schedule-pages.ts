import { Router, type Request, type Response } from 'express';
import type { Db } from '../../lib/db/client.js';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { actorOf } from '../../audit/actor.js';
import { inWords } from '../../audit/audit-words.js';
import { subjectEvents } from '../../audit/audit-repository.js';
import { listMachines, listOperators, listTemplates } from '../../checklists/checklists-repository.js';
import type { SchedulesService } from '../../schedules/schedules-service.js';
import { scheduleIdParam } from '../../schedules/schedules-schemas.js';
import {
  dueWindowInWords,
  lastResultInWords,
  localMomentInWords,
  nextRunInWords,
  whenInWords,
} from '../../schedules/schedule-words.js';
import { missingChoices } from '../assignments/assignment-queries.js';
import { schedulePlanners } from '../auth/roles.js';
import { renderPage } from '../http/render.js';
import { setFlash } from '../http/session.js';
import {
  emptyForm,
  formFromBody,
  formFromSchedule,
  missingInWords,
  parseScheduleForm,
  type FormErrors,
  type ScheduleForm,
} from './schedule-form.js';
import { timeZoneGroups } from './time-zones.js';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((label, i) => ({ value: String(i + 1), label }));

/** The schedules pages (issue 17 item 6): the list, the form to make or change one, pause, resume, delete. */
export function schedulePages(db: Db, schedules: SchedulesService, opts: { defaultTimezone: string }): Router {
  const router = Router();

  const idOf = (req: Request) => {
    const p = scheduleIdParam.safeParse(req.params);
    if (!p.success) throw new NotFoundError('Schedule');
    return p.data.id;
  };

  /** The service names the id in its 404 ("Schedule 12 not found"); a page says only what is missing. */
  const found = <T>(p: Promise<T>): Promise<T> =>
    p.catch((err: unknown) => {
      throw err instanceof NotFoundError ? new NotFoundError('Schedule') : err;
    });

  router.get('/schedules', async (_req, res) => {
    const now = new Date();
    const rows = (await schedules.list()).map((s) => ({
      ...s,
      when: whenInWords(s),
      window: dueWindowInWords(s.dueAfterMinutes),
      next: nextRunInWords(s, now, opts.defaultTimezone),
      last: lastResultInWords(s.lastResult),
      lastAt: s.lastResult ? localMomentInWords(new Date(s.lastResult.occurrenceAt), s.timezone, now) : null,
    }));
    await renderPage(res, 'schedules', {
      title: 'Schedules',
      nav: 'schedules',
      rows,
      canPlan: res.locals.user?.role !== 'supervisor',
    });
  });

  async function showForm(res: Response, form: ScheduleForm, errors: FormErrors, id: number | null, status = 200) {
    const [templates, machines, operators] = await Promise.all([
      listTemplates(db),
      listMachines(db),
      listOperators(db),
    ]);
    await renderPage(
      res,
      'schedule-form',
      {
        title: id ? 'Change a schedule' : 'New schedule',
        nav: 'schedules',
        id,
        form,
        errors,
        days: DAYS,
        zones: timeZoneGroups([opts.defaultTimezone, form.timezone]),
        templates,
        machines,
        operators,
        schedule: id ? await found(schedules.get(id)) : null,
        trail: id ? inWords(await subjectEvents(db, 'schedule', id)) : [],
      },
      status,
    );
  }

  /** A refused save: the form again with the entries kept and a message per field. */
  const refused = (res: Response, form: ScheduleForm, errors: FormErrors, id: number | null) =>
    showForm(res, form, errors, id, 400);

  /** Saves through the REST API's service; a checklist, machine or operator deleted meanwhile is a field message. */
  async function save(req: Request, res: Response, id: number | null) {
    const form = formFromBody(req.body);
    const parsed = parseScheduleForm(form);
    if ('errors' in parsed) return refused(res, form, parsed.errors, id);
    // The same refusals as assigning by hand: a checklist gone or with no tasks yet.
    const missing = await missingChoices(db, parsed.data);
    if (Object.keys(missing).length > 0) return refused(res, form, missing, id);
    try {
      const saved = id
        ? await found(schedules.update(id, parsed.data, actorOf(res)))
        : await schedules.create(parsed.data, actorOf(res));
      // Said as the list says it: the schedule's time, and the factory's when it differs (issue 18 QA).
      setFlash(req, 'ok', `Schedule saved. Next run: ${nextRunInWords(saved, new Date(), opts.defaultTimezone)}.`);
      res.redirect(303, `/schedules#schedule-${saved.id}`);
    } catch (err) {
      const fields = err instanceof ValidationError ? (err.details as { fields?: { field: string }[] })?.fields : null;
      if (!fields) throw err;
      return refused(res, form, missingInWords(fields), id);
    }
  }

  router.get('/schedules/new', schedulePlanners, async (req, res) => {
    const preset = Object.fromEntries(
      (['templateId', 'machineId', 'operatorId'] as const)
        .filter((k) => typeof req.query[k] === 'string')
        .map((k) => [k, req.query[k] as string]),
    );
    await showForm(res, emptyForm(opts.defaultTimezone, preset), {}, null);
  });

  router.post('/schedules', schedulePlanners, (req, res) => save(req, res, null));

  router.get('/schedules/:id/edit', schedulePlanners, async (req, res) => {
    const id = idOf(req);
    await showForm(res, formFromSchedule(await found(schedules.get(id))), {}, id);
  });

  router.post('/schedules/:id', schedulePlanners, (req, res) => save(req, res, idOf(req)));

  router.post('/schedules/:id/pause', async (req, res) => {
    const s = await found(schedules.update(idOf(req), { active: false }, actorOf(res)));
    setFlash(req, 'ok', 'Paused: no checklist is sent by this schedule until you resume it.');
    res.redirect(303, `/schedules#schedule-${s.id}`);
  });

  router.post('/schedules/:id/resume', async (req, res) => {
    const s = await found(schedules.update(idOf(req), { active: true }, actorOf(res)));
    setFlash(req, 'ok', `Resumed. Next run: ${nextRunInWords(s, new Date(), opts.defaultTimezone)}.`);
    res.redirect(303, `/schedules#schedule-${s.id}`);
  });

  router.post('/schedules/:id/delete', schedulePlanners, async (req, res) => {
    await found(schedules.remove(idOf(req), actorOf(res)));
    setFlash(req, 'ok', 'Schedule deleted. The checklists it already sent stay in Assignments.');
    res.redirect(303, '/schedules');
  });

  return router;
}
