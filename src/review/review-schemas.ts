import { z } from 'zod';
import { cleanTypedText, text } from '../lib/validation.js';
import { REVIEW_DECISIONS } from './review-types.js';

/** A blank comment is no comment (a form sends its empty field). */
const optionalComment = z.preprocess(
  (v) => (typeof v === 'string' && cleanTypedText(v) === '' ? undefined : v),
  text(1000).optional(),
);

/**
 * `POST /api/submissions/:id/review` and the submission page's forms. Reject and rework need a comment,
 * rework needs the tasks (1-based positions); whether those exist is checked against the submission.
 */
export const reviewBody = z
  .object({
    decision: z.enum(REVIEW_DECISIONS, { error: 'must be approve, reject or rework' }),
    comment: optionalComment,
    tasks: z
      .array(z.number({ error: 'must be a task number (1-based position)' }).int().positive(), {
        error: 'must be a list of task numbers (1-based positions)',
      })
      .max(200)
      .optional(),
  })
  .superRefine((b, ctx) => {
    if (b.decision !== 'approve' && b.comment === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['comment'],
        message: b.decision === 'reject' ? 'is required to reject (the reason)' : 'is required to send back for rework',
      });
    if (b.decision === 'rework' && (b.tasks === undefined || b.tasks.length === 0))
      ctx.addIssue({
        code: 'custom',
        path: ['tasks'],
        message: 'is required for rework: the task numbers to answer again',
      });
  });

export type ReviewInput = z.infer<typeof reviewBody>;
