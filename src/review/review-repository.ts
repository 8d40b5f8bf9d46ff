import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../lib/db/transaction.js';
import {
  checklistSubmissionAnswers as answers,
  checklistSubmissions as submissions,
  checklistTemplateTasks as tasks,
  submissionAnswerVersions as versions,
  submissionReworks as reworks,
  systemConfig,
} from '../lib/db/schema.js';
import type { ReviewStatus, TaskSnapshot } from './review-types.js';
import { parseDefinitions, positionOf } from '../conversation/task-definitions.js';

/** The submission row a decision changes, locked (FOR UPDATE): decisions on one submission take turns. */
export async function lockSubmission(exec: Executor, id: string) {
  const [row] = await exec
    .select({
      id: submissions.id,
      status: submissions.status,
      reviewStatus: submissions.reviewStatus,
      operatorId: submissions.operatorId,
    })
    .from(submissions)
    .where(eq(submissions.id, id))
    .for('update');
  return row ? { ...row, reviewStatus: row.reviewStatus as ReviewStatus | null } : null;
}

/** Approve or reject: who decided (null: the API token) and when; needs_review ends. */
export async function setDecision(
  exec: Executor,
  id: string,
  d: { status: 'approved' | 'rejected'; comment: string | null; reviewedBy: number | null },
): Promise<void> {
  await exec
    .update(submissions)
    .set({
      reviewStatus: d.status,
      reviewComment: d.comment,
      needsReview: false,
      reviewedAt: sql`now()`,
      reviewedBy: d.reviewedBy,
    })
    .where(eq(submissions.id, id));
}

/** Sent back: no decision yet (reviewed_at stays empty), and not waiting for one while the operator answers. */
export async function setSentBack(exec: Executor, id: string, comment: string): Promise<void> {
  await exec
    .update(submissions)
    .set({ reviewStatus: 'rework', reviewComment: comment, needsReview: false, reviewedAt: null, reviewedBy: null })
    .where(eq(submissions.id, id));
}

/** Waiting for a decision again (a rework confirmed, cancelled or expired). */
export async function setPending(exec: Executor, id: string): Promise<void> {
  await exec
    .update(submissions)
    .set({ reviewStatus: 'pending', needsReview: true, reviewedAt: null, reviewedBy: null })
    .where(eq(submissions.id, id));
}

/**
 * The tasks at these positions with the definitions the submission was answered with: its conversation's
 * snapshot (decision 0016), else (a session older than the snapshot) its answers' texts and photo rules.
 */
export async function answeredTasks(
  exec: Executor,
  submissionId: string,
  positions: number[],
): Promise<TaskSnapshot[]> {
  const r = await exec.execute<{ def: unknown }>(sql`
    SELECT d.def FROM whatsapp_conversation_sessions s
    CROSS JOIN LATERAL jsonb_array_elements(s.task_definitions) WITH ORDINALITY AS d(def, n)
    WHERE s.id = (SELECT x.id FROM whatsapp_conversation_sessions x
      WHERE x.submission_id = ${submissionId} AND x.rework_id IS NULL AND x.task_definitions IS NOT NULL
      ORDER BY x.created_at DESC LIMIT 1)
    ORDER BY d.n`);
  const defs = parseDefinitions(r.rows.map((x) => x.def));
  const picked = defs
    .map((d, i) => ({ ...d, position: positionOf(d, i) }))
    .filter((d) => positions.includes(d.position));
  if (picked.length === positions.length) return picked;
  return exec
    .select({
      id: answers.taskId,
      position: answers.position,
      text: sql<string>`COALESCE(${answers.taskText}, ${tasks.text})`,
      requiresPhoto: sql<boolean>`COALESCE(${answers.taskRequiresPhoto}, ${tasks.requiresPhoto})`,
    })
    .from(answers)
    .innerJoin(tasks, eq(tasks.id, answers.taskId))
    .where(and(eq(answers.submissionId, submissionId), inArray(answers.position, positions)))
    .orderBy(asc(answers.position));
}

/** How many answers the submission has (the positions a rework may name are 1..count). */
export async function answerCount(exec: Executor, submissionId: string): Promise<number> {
  const [row] = await exec
    .select({ n: sql<number>`count(*)::int` })
    .from(answers)
    .where(eq(answers.submissionId, submissionId));
  return row?.n ?? 0;
}

export async function insertRework(
  exec: Executor,
  r: {
    submissionId: string;
    positions: number[];
    tasks: TaskSnapshot[];
    comment: string;
    requestedBy: number | null;
    requestedByLabel: string;
  },
): Promise<string> {
  const [row] = await exec.insert(reworks).values(r).returning({ id: reworks.id });
  return row!.id;
}

/** The submission's open rework (pending or active), locked. */
export async function lockOpenRework(exec: Executor, submissionId: string) {
  const [row] = await exec
    .select()
    .from(reworks)
    .where(and(eq(reworks.submissionId, submissionId), inArray(reworks.status, ['pending', 'active'])))
    .for('update');
  return row ?? null;
}

export async function endRework(exec: Executor, id: string, status: 'cancelled' | 'expired' | 'completed') {
  await exec
    .update(reworks)
    .set({ status, endedAt: sql`now()` })
    .where(eq(reworks.id, id));
}

/** Settings: whether every confirmed submission waits for a decision. */
export async function reviewEverySubmission(exec: Executor): Promise<boolean> {
  const [row] = await exec
    .select({ on: systemConfig.reviewEverySubmission })
    .from(systemConfig)
    .where(eq(systemConfig.id, 1));
  return row?.on ?? false;
}

export async function setReviewEverySubmission(exec: Executor, on: boolean): Promise<void> {
  await exec
    .update(systemConfig)
    .set({ reviewEverySubmission: on, updatedAt: sql`now()` })
    .where(eq(systemConfig.id, 1));
}

/** Every rework of a submission, oldest first, with the answers each one replaced (the history). */
export async function reworkHistory(exec: Executor, submissionId: string) {
  const sent = await exec
    .select()
    .from(reworks)
    .where(eq(reworks.submissionId, submissionId))
    .orderBy(asc(reworks.createdAt));
  const replaced = await exec
    .select()
    .from(versions)
    .where(eq(versions.submissionId, submissionId))
    .orderBy(asc(versions.position), asc(versions.replacedAt));
  return sent.map((r) => ({ ...r, replaced: replaced.filter((v) => v.reworkId === r.id) }));
}

/** The submission's open rework, without a lock (the caller locks its session first, then the rework). */
export async function findOpenRework(exec: Executor, submissionId: string) {
  const [row] = await exec
    .select({ id: reworks.id })
    .from(reworks)
    .where(and(eq(reworks.submissionId, submissionId), inArray(reworks.status, ['pending', 'active'])));
  return row ?? null;
}
