import { Router, type Request } from 'express';
import { actorOf } from '../../audit/actor.js';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import type { StartOutcome } from '../../conversation/conversation-service.js';
import { REASON_QUEUED } from '../../conversation/conversation-starter.js';
import { findSubmission } from '../../assignments/submissions-repository.js';
import type { Db } from '../../lib/db/client.js';
import { reviewBody } from '../../review/review-schemas.js';
import type { ReviewService } from '../../review/review-service.js';
import { setFlash } from '../http/session.js';

/** The form's fields in the manager's words, for the messages. */
const FIELD_WORDS: Record<string, string> = {
  comment: 'Write a comment for the operator (what is wrong, what to do); it is sent to them on WhatsApp first',
  tasks: 'Tick the tasks the operator must answer again',
  decision: 'Choose approve, reject or send back',
};

const idParam = z.object({ id: z.uuid() });

/** A form's ticked tasks: one checkbox sends a string, several an array. */
const tickedTasks = (v: unknown): number[] | undefined => {
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  const numbers = list.map((x) => Number(x)).filter((n) => Number.isInteger(n));
  return numbers.length === 0 ? undefined : numbers;
};

/** A reject's missing reason, as its field says it: a reason kept with the submission, not sent to anyone. */
const REJECT_COMMENT = 'Write the reason for rejecting; it is kept with the submission';

/** What the page says after a decision that was refused (a 400 or 409), in the manager's words. */
function refusal(err: AppError, decision: unknown): string {
  const fields = (err.details as { fields?: { field: string; message: string }[] } | undefined)?.fields ?? [];
  if (err.status === 400 && fields.length > 0)
    return (
      fields
        .map((f) =>
          f.field === 'tasks' && f.message.includes('not a task')
            ? `Task ${f.message}`
            : f.field === 'comment' && decision === 'reject'
              ? REJECT_COMMENT
              : (FIELD_WORDS[f.field] ?? f.message),
        )
        .join('. ') + '.'
    );
  return err.message;
}

/**
 * The submission page's review forms (issue 18 items 1 and 2): approve, reject with a reason, send back
 * chosen tasks with a comment, cancel a rework. A POST without a decision is the old "Mark as reviewed".
 */
export function reviewPages(db: Db, review: ReviewService): Router {
  const router = Router();

  const idOf = (req: Request) => {
    const p = idParam.safeParse(req.params);
    return p.success ? p.data.id : null;
  };

  router.post('/submissions/:id/review', async (req, res, next) => {
    const id = idOf(req);
    if (id === null) return next();
    const form = (req.body ?? {}) as Record<string, unknown>;
    const input = reviewBody.safeParse({
      decision: form.decision ?? 'approve',
      comment: form.comment,
      tasks: tickedTasks(form.tasks),
    });
    try {
      if (!input.success) {
        const fields = input.error.issues.map((i) => String(i.path[0] ?? 'decision'));
        throw new AppError(400, 'validation_failed', '', { fields: fields.map((field) => ({ field, message: '' })) });
      }
      const outcome = await review.decide(id, input.data, actorOf(res));
      const queued = outcome.rework?.start.started === false;
      const operator = queued ? ((await findSubmission(db, id))?.operatorName ?? 'the operator') : 'the operator';
      setFlash(req, 'ok', doneText(outcome.reviewStatus, outcome.rework?.start, operator));
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404 || err.status >= 500) throw err;
      setFlash(req, 'error', refusal(err, form.decision));
    }
    res.redirect(303, `/submissions/${id}`);
  });

  router.post('/submissions/:id/rework/cancel', async (req, res, next) => {
    const id = idOf(req);
    if (id === null) return next();
    try {
      await review.cancelRework(id, actorOf(res));
      setFlash(req, 'ok', 'Rework cancelled. The submission waits for your decision again.');
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 409) throw err;
      setFlash(req, 'error', err.message);
    }
    res.redirect(303, `/submissions/${id}`);
  });

  return router;
}

function doneText(status: string, start: StartOutcome | undefined, operator: string): string {
  if (status === 'approved') return 'Approved.';
  if (status === 'rejected') return 'Rejected. The reason is kept with the submission.';
  if (!start || start.started) return 'Sent back. The operator has the questions on WhatsApp now.';
  if (start.reason === REASON_QUEUED)
    return `Sent back. It starts on WhatsApp when ${operator} finishes the checklist they are answering.`;
  return `Sent back. Not on WhatsApp yet: ${start.reason}.`;
}
