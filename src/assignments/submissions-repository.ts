import { and, asc, eq, sql } from 'drizzle-orm';
import { preparedCall, type Executor, type PreparedStatement } from '../lib/db/transaction.js';
import {
  checklistSubmissionAnswerPhotos as answerPhotosTable,
  checklistSubmissionAnswers as answers,
  checklistSubmissions as submissions,
  checklistTemplateTasks as tasks,
  checklistTemplates as templates,
  machines,
  operators,
  users,
} from '../lib/db/schema.js';
import type { ReviewStatus } from '../review/review-types.js';

/**
 * An answer's task text as it was answered; the task's current text only for an answer stored before
 * answers kept it (migration 0007 filled those in; a process of the older release may still write some).
 */
export const answeredTaskText = sql<string>`COALESCE(${answers.taskText}, ${tasks.text})`;

/** Every photo of an answer, first (its photo_filename) first; none once pruned. Bare file names. */
export const answerPhotos = sql<string[]>`CASE WHEN ${answers.photoFilename} IS NULL THEN ARRAY[]::text[]
  ELSE ARRAY[${answers.photoFilename}::text] || ARRAY(SELECT p.photo_filename::text FROM ${answerPhotosTable} p
    WHERE p.submission_id = ${answers.submissionId} AND p.position = ${answers.position} ORDER BY p.n) END`;

/** A submission with every answer given, in task order, for the manager to review. */
export async function findSubmission(exec: Executor, id: string) {
  const [s] = await exec
    .select({
      id: submissions.id,
      assignmentId: submissions.assignmentId,
      status: submissions.status,
      createdAt: submissions.createdAt,
      completedAt: submissions.completedAt,
      needsReview: submissions.needsReview,
      reviewedAt: submissions.reviewedAt,
      reviewStatus: submissions.reviewStatus,
      reviewComment: submissions.reviewComment,
      reviewedById: submissions.reviewedBy,
      reviewerName: users.name,
      templateId: submissions.templateId,
      templateName: templates.name,
      machineId: submissions.machineId,
      machineName: machines.name,
      operatorId: submissions.operatorId,
      operatorName: operators.name,
    })
    .from(submissions)
    .innerJoin(templates, eq(templates.id, submissions.templateId))
    .innerJoin(machines, eq(machines.id, submissions.machineId))
    .innerJoin(operators, eq(operators.id, submissions.operatorId))
    .leftJoin(users, eq(users.id, submissions.reviewedBy))
    .where(eq(submissions.id, id));
  if (!s) return null;
  const { reviewerName, ...submission } = s;
  // Decided (reviewed_at set) with no account: through the REST API with its token alone.
  const reviewedBy = s.reviewedAt === null ? null : (reviewerName ?? 'API token');
  const rows = await exec
    .select({
      position: answers.position,
      taskId: answers.taskId,
      taskText: answeredTaskText,
      status: answers.status,
      remarks: answers.remarks,
      photo: answers.photoFilename,
      photos: answerPhotos,
      answeredAt: answers.answeredAt,
      type: answers.taskType,
      valueNumeric: answers.valueNumeric,
      valueText: answers.valueText,
      optionKey: answers.optionKey,
      unit: answers.unit,
      min: answers.minValue,
      max: answers.maxValue,
    })
    .from(answers)
    .innerJoin(tasks, eq(tasks.id, answers.taskId))
    .where(eq(answers.submissionId, id))
    .orderBy(asc(answers.position));
  const url = (name: string) => `/api/whatsapp-photos/${name}`;
  return {
    ...submission,
    reviewStatus: submission.reviewStatus as ReviewStatus | null,
    reviewedBy,
    answers: rows.map(({ valueNumeric, valueText, ...r }) => ({
      ...r,
      // pg gives a numeric as text (exact); the API's reading is a JSON number.
      value: valueNumeric !== null ? Number(valueNumeric) : valueText,
      photoUrl: r.photo ? url(r.photo) : null,
      photoUrls: r.photos.map(url),
    })),
  };
}

/**
 * The photo file names of the answers (each of their photos, and those of answers a rework replaced) of
 * submissions created before `olderThan`, by name.
 */
export async function photosOfSubmissionsBefore(exec: Executor, olderThan: Date): Promise<string[]> {
  const rows = await exec.execute<{ photo_filename: string }>(sql`
    SELECT a.photo_filename FROM checklist_submission_answers a
    JOIN checklist_submissions s ON s.id = a.submission_id
    WHERE a.photo_filename IS NOT NULL AND s.created_at < ${olderThan}
    UNION ALL
    SELECT p.photo_filename FROM checklist_submission_answer_photos p
    JOIN checklist_submissions s ON s.id = p.submission_id
    WHERE s.created_at < ${olderThan}
    UNION ALL
    SELECT v.name FROM submission_answer_versions x CROSS JOIN LATERAL unnest(x.photos) AS v(name)
    JOIN checklist_submissions s ON s.id = x.submission_id
    WHERE s.created_at < ${olderThan}
    ORDER BY 1`);
  return rows.rows.map((r) => r.photo_filename);
}

/** Clears the photos of every answer of submissions created before `olderThan` (the answer then has no photo). */
export async function clearPhotosOfSubmissionsBefore(exec: Executor, olderThan: Date): Promise<void> {
  await exec.execute(sql`
    WITH extra AS (
      DELETE FROM checklist_submission_answer_photos p USING checklist_submissions s
      WHERE s.id = p.submission_id AND s.created_at < ${olderThan}
    ), replaced AS (
      UPDATE submission_answer_versions x SET photos = ARRAY[]::text[] FROM checklist_submissions s
      WHERE s.id = x.submission_id AND cardinality(x.photos) > 0 AND s.created_at < ${olderThan}
    )
    UPDATE checklist_submission_answers a SET photo_filename = NULL
    FROM checklist_submissions s
    WHERE s.id = a.submission_id AND a.photo_filename IS NOT NULL AND s.created_at < ${olderThan}`);
}

/** Ends a submission with its session (expired or cancelled); the answers given stay stored. */
export async function endSubmission(exec: Executor, id: string, status: 'expired' | 'cancelled') {
  await exec.update(submissions).set({ status }).where(eq(submissions.id, id));
}

/** Cancels the assignment's submissions still pending (one left without its session, deleted by hand). */
export async function cancelPendingSubmissions(exec: Executor, assignmentId: string) {
  await exec
    .update(submissions)
    .set({ status: 'cancelled' })
    .where(and(eq(submissions.assignmentId, assignmentId), eq(submissions.status, 'pending')));
}

/**
 * A confirmed submission's review state (issue 18 item 1), in the CONFIRM's transaction after the apply's
 * write set needs_review (true with a NOT OK): pending when that or Settings' "every submission needs a
 * decision" is on, else not_required; needs_review follows, so it is true exactly while pending.
 * The CONFIRM's last statement, so it travels with the COMMIT (settleReviewCall; prepared by the apply's
 * withPipelinedTransaction).
 */
export const SETTLE_REVIEW: PreparedStatement = {
  name: 'submission_settle_review',
  text: `
    WITH decide AS (
      SELECT s.needs_review OR COALESCE((SELECT c.review_every_submission FROM system_config c WHERE c.id = 1), false) AS needed
      FROM checklist_submissions s WHERE s.id = $1::varchar
    )
    UPDATE checklist_submissions SET needs_review = decide.needed,
      review_status = CASE WHEN decide.needed THEN 'pending' ELSE 'not_required' END
    FROM decide WHERE checklist_submissions.id = $1::varchar`,
};

/** SETTLE_REVIEW for one submission, as an EXECUTE to send with the COMMIT (`ends.commitWith`). */
export const settleReviewCall = (submissionId: string): string => preparedCall(SETTLE_REVIEW, [submissionId]);
