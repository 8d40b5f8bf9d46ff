import type { Executor } from '../lib/db/transaction.js';
import { findSubmission } from '../assignments/submissions-repository.js';
import { reworkHistory } from './review-repository.js';

/** A rework as the API and the pages show it: what was sent back, and the answers it replaced. */
export async function reworksOf(exec: Executor, submissionId: string) {
  const history = await reworkHistory(exec, submissionId);
  return history.map((r) => ({
    id: r.id,
    status: r.status,
    tasks: r.positions,
    comment: r.comment,
    requestedBy: r.requestedByLabel,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    replaced: r.replaced.map((v) => ({
      position: v.position,
      taskText: v.taskText,
      status: v.status,
      remarks: v.remarks,
      photoUrls: v.photos.map((p) => `/api/whatsapp-photos/${p}`),
      answeredAt: v.answeredAt,
      type: v.taskType,
      // pg gives a numeric as text (exact); the API's reading is a JSON number, as on the submission's answers.
      value: v.valueNumeric !== null ? Number(v.valueNumeric) : v.valueText,
      optionKey: v.optionKey,
      unit: v.unit,
      min: v.minValue,
      max: v.maxValue,
    })),
  }));
}

/** The submission's JSON with every rework and the answers each one replaced. */
export async function submissionWithReview(exec: Executor, id: string) {
  const submission = await findSubmission(exec, id);
  if (!submission) return null;
  return { ...submission, reworks: await reworksOf(exec, id) };
}
