import type { Db } from '../../lib/db/client.js';
import { reworksOf } from '../../review/review-queries.js';
import { reviewStatusWords } from '../../review/review-types.js';
import type { findReport } from './submission-queries.js';

type Report = NonNullable<Awaited<ReturnType<typeof findReport>>>;

/** A rework's state in the manager's words. */
const reworkWords: Record<string, string> = {
  pending: 'Waiting: the operator is answering another checklist; it starts on WhatsApp when that ends',
  active: 'Being answered on WhatsApp',
  completed: 'Answered again',
  cancelled: 'Cancelled',
  expired: 'Not answered in time',
};

/**
 * What the submission page shows of the review: the state in words, whether a decision can be taken, the
 * rework under way, and each replaced answer as "answered first / the manager said / answered after".
 */
export async function reviewView(db: Db, r: Report) {
  const reworks = await reworksOf(db, r.id);
  const status = r.reviewStatus;
  const open = reworks.find((w) => w.status === 'pending' || w.status === 'active') ?? null;
  const replaced = reworks.flatMap((w) => w.replaced.map((v) => ({ ...v, rework: w })));
  const history = replaced.map((v) => {
    const later = replaced.find((x) => x.position === v.position && x.rework.createdAt > v.rework.createdAt);
    const current = r.answers.find((a) => a.position === v.position);
    const after = later
      ? { status: later.status, remarks: later.remarks, photoUrls: later.photoUrls, answeredAt: later.answeredAt }
      : current
        ? {
            status: current.status,
            remarks: current.remarks,
            photoUrls: current.photoUrls,
            answeredAt: current.answeredAt,
          }
        : null;
    return {
      position: v.position,
      taskText: v.taskText,
      first: v,
      said: v.rework.comment,
      by: v.rework.requestedBy,
      sentAt: v.rework.createdAt,
      after,
    };
  });
  return {
    status,
    words: status === null ? null : reviewStatusWords[status],
    canDecide: status === 'pending' || status === 'not_required',
    open: open ? { ...open, words: reworkWords[open.status] ?? open.status } : null,
    reworks: reworks.map((w) => ({ ...w, words: reworkWords[w.status] ?? w.status })),
    history,
  };
}
