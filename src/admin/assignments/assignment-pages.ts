import { Router, type Request, type Response } from 'express';
import type { Db } from '../../lib/db/client.js';
import { AppError, NotFoundError } from '../../lib/errors.js';
import type { ConversationService } from '../../conversation/conversation-service.js';
import { REASON_QUEUED } from '../../conversation/conversation-starter.js';
import { findAssignmentDetail, insertAssignment } from '../../assignments/assignments-repository.js';
import { actorOf } from '../../audit/actor.js';
import { recordAudit } from '../../audit/audit-repository.js';
import { withTransaction } from '../../lib/db/transaction.js';
import { listMachines, listOperators, listTemplates } from '../../checklists/checklists-repository.js';
import { findSchedule } from '../../schedules/schedules-repository.js';
import { whenInWords } from '../../schedules/schedule-words.js';
import { fieldErrors, formValues, renderPage } from '../http/render.js';
import { setFlash, type Flash } from '../http/session.js';
import { assignForm, assignmentIdParam, listFilter } from './assignment-schemas.js';
import { findProgress, listForPage, missingChoices } from './assignment-queries.js';
import { factoryDayInWords, missedSince } from './recent-missed.js';

/** Queued behind the operator's running checklist is the normal, documented course: not an error. */
const notStartedKind = (reason: string): Flash['kind'] => (reason === REASON_QUEUED ? 'ok' : 'error');

const choices = async (db: Db) => {
  const [templates, machines, operators] = await Promise.all([listTemplates(db), listMachines(db), listOperators(db)]);
  return { templates, machines, operators };
};

export function assignmentPages(db: Db, conversation: ConversationService, opts: { timeZone: string }): Router {
  const router = Router();

  const idOf = (req: Request) => {
    const p = assignmentIdParam.safeParse(req.params);
    if (!p.success) throw new NotFoundError('Assignment');
    return p.data.id;
  };

  /** Runs a conversation action: a refusal (409) becomes a message on the page, an unknown assignment the 404 page. */
  async function act(req: Request, res: Response, fn: (id: string) => Promise<[Flash['kind'], string]>) {
    const id = idOf(req);
    try {
      setFlash(req, ...(await fn(id)));
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
      setFlash(req, 'error', err.message);
    }
    res.redirect(303, `/assignments/${id}`);
  }

  router.get('/assignments', async (req, res) => {
    const parsed = listFilter.safeParse(req.query);
    const filter = parsed.success ? parsed.data : {};
    // The missed ones of the factory's last days only (the dashboard's card links here with days=7).
    const since =
      filter.status === 'missed' && filter.days ? missedSince(new Date(), opts.timeZone, filter.days) : undefined;
    const [rows, lists] = await Promise.all([listForPage(db, { ...filter, missedSince: since }), choices(db)]);
    const today = new Date().toISOString().slice(0, 10);
    const monthAgo = new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    await renderPage(res, 'assignments', {
      title: 'Assignments',
      nav: 'assignments',
      rows,
      filter,
      recentMissed: since ? { days: filter.days, from: factoryDayInWords(since, opts.timeZone) } : null,
      ...lists,
      exportFrom: monthAgo,
      exportTo: today,
    });
  });

  router.get('/assignments/new', async (req, res) => {
    await renderPage(res, 'assignment-new', {
      title: 'Assign a checklist',
      nav: 'assignments',
      values: req.query,
      ...(await choices(db)),
    });
  });

  router.post('/assignments', async (req, res) => {
    const input = assignForm.safeParse(req.body ?? {});
    const errors = input.success ? await missingChoices(db, input.data) : fieldErrors(input.error);
    if (!input.success || Object.keys(errors).length > 0) {
      return renderPage(
        res,
        'assignment-new',
        { title: 'Assign a checklist', nav: 'assignments', values: formValues(req), errors, ...(await choices(db)) },
        400,
      );
    }
    // Created and recorded together; the start is its own step (a refused start leaves it pending, as before).
    const created = await withTransaction(db, async (tx) => {
      const a = await insertAssignment(tx, input.data);
      await recordAudit(tx, actorOf(res), { action: 'assignment.created', subjectType: 'assignment', subjectId: a.id });
      return a;
    });
    const outcome = await conversation.start(created.id, { tellIfQueued: true });
    req.log.info(
      { assignmentId: created.id, started: outcome.started, userId: res.locals.user?.id },
      'Checklist assigned from the web pages',
    );
    if (outcome.started) setFlash(req, 'ok', 'Assigned: Question 1 is on its way to the operator.');
    else setFlash(req, notStartedKind(outcome.reason), `Assigned but not started yet. ${outcome.reason}.`);
    res.redirect(303, `/assignments/${created.id}`);
  });

  router.get('/assignments/:id', async (req, res) => {
    const progress = await findProgress(db, idOf(req));
    if (!progress) throw new NotFoundError('Assignment');
    const schedule = progress.scheduleId ? await findSchedule(db, progress.scheduleId) : null;
    await renderPage(res, 'assignment', {
      title: `${progress.templateName} · ${progress.machineName}`,
      nav: 'assignments',
      p: progress,
      schedule: schedule && { id: schedule.id, when: `${whenInWords(schedule)} (${schedule.timezone})` },
    });
  });

  /** The live part of the progress page, fetched every 3 s by public/admin.js while the conversation runs. */
  router.get('/assignments/:id/live', async (req, res) => {
    const progress = await findProgress(db, idOf(req));
    if (!progress) throw new NotFoundError('Assignment');
    res.set('X-Live-Active', String(progress.live));
    await renderPage(res, 'partials/assignment-live', { p: progress });
  });

  router.post('/assignments/:id/cancel', (req, res) =>
    act(req, res, async (id) => {
      const { operatorTold } = await conversation.cancel(id, actorOf(res));
      req.log.info(
        { assignmentId: id, operatorTold, userId: res.locals.user?.id },
        'Assignment cancelled from the web pages',
      );
      // Told only when a message was queued: a queued one, or one whose conversation was deleted by hand, is not.
      return ['ok', operatorTold ? 'Cancelled. The operator has been told.' : 'Cancelled.'];
    }),
  );

  router.post('/assignments/:id/restart', (req, res) =>
    act(req, res, async (id) => {
      // A missed one gets a new due time first (conversation.restartMissed).
      const outcome =
        (await findAssignmentDetail(db, id))?.status === 'missed'
          ? await conversation.restartMissed(id, actorOf(res))
          : await conversation.start(
              id,
              { tellIfQueued: true },
              { actor: actorOf(res), action: 'assignment.restarted' },
            );
      req.log.info(
        { assignmentId: id, started: outcome.started, userId: res.locals.user?.id },
        'Assignment restarted from the web pages',
      );
      return outcome.started
        ? ['ok', 'Restarted: Question 1 is on its way to the operator again.']
        : [notStartedKind(outcome.reason), `Not started yet. ${outcome.reason}.`];
    }),
  );

  return router;
}
