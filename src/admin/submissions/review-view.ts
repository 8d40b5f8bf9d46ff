import type { Db } from '../../lib/db/client.js';
import { reworksOf } from '../../review/review-queries.js';
import { reviewStatusWords } from '../../review/review-types.js';
import { shownValue, type ShownValue } from '../readings/reading-format.js';
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

/** An answer in "Earlier answers": its status, value (reading with unit and limits, option, text), remarks, photos. */
interface HistoryAnswer {
  status: string;
  remarks: string | null;
  photoUrls: string[];
  answeredAt: Date | string;
  shown: ShownValue;
}

/** A replaced answer's value as the report shows the current ones (a version kept before values were: none). */
const shownOf = (v: {
  type: string | null;
  value: number | string | null;
  unit: string | null;
  min: number | null;
  max: number | null;
}) => shownValue({ type: v.type ?? 'check', value: v.value, unit: v.unit, min: v.min, max: v.max });

/**
 * What the submission page shows of the review: the state in words, whether a decision can be taken, the
 * rework under way, and each replaced answer as "answered first / the manager said / answered after".
 */
export async function reviewView(db: Db, r: Report) {
  const reworks = await reworksOf(db, r.id);
  const status = r.reviewStatus;
  const open = reworks.find((w) => w.status === 'pending' || w.status === 'active') ?? null;
  const replaced = reworks.flatMap((w) => w.replaced.map((v) => ({ ...v, shown: shownOf(v), rework: w })));
  const history = replaced.map((v) => {
    const later = replaced.find((x) => x.position === v.position && x.rework.createdAt > v.rework.createdAt);
    const current = r.answers.find((a) => a.position === v.position);
    const after: HistoryAnswer | null = later ?? current ?? null;
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
