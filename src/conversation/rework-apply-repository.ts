import { sql } from 'drizzle-orm';
import type { Executor, Tx } from '../lib/db/transaction.js';
import { parseDefinitions, type TaskDefinition } from './task-definitions.js';

/** The rework row, locked after its session (the lock order: session, rework, submission), with its tasks. */
export async function lockReworkTasks(tx: Tx, reworkId: string): Promise<TaskDefinition[]> {
  const r = await tx.execute<{ tasks: unknown[] }>(
    sql`SELECT tasks FROM submission_reworks WHERE id = ${reworkId} FOR UPDATE`,
  );
  return parseDefinitions(r.rows[0]?.tasks ?? []);
}

/**
 * A rework's CONFIRM (decision 0019), before its answers are written by the apply's own writer: the answers
 * it replaces are kept as history (submission_answer_versions, with every photo). Under the session lock
 * the apply holds, then the rework row (the lock order: session, rework, submission).
 */
export async function keepReplacedAnswers(tx: Tx, reworkId: string, submissionId: string, positions: number[]) {
  await tx.execute(sql`
    INSERT INTO submission_answer_versions (submission_id, position, rework_id, task_text, status, remarks, photos,
      task_type, value_numeric, value_text, option_key, unit, min_value, max_value, answered_at)
    SELECT a.submission_id, a.position, ${reworkId}, a.task_text, a.status, a.remarks,
      CASE WHEN a.photo_filename IS NULL THEN ARRAY[]::text[]
        ELSE ARRAY[a.photo_filename::text] || ARRAY(SELECT p.photo_filename::text FROM checklist_submission_answer_photos p
          WHERE p.submission_id = a.submission_id AND p.position = a.position ORDER BY p.n) END,
      a.task_type, a.value_numeric, a.value_text, a.option_key, a.unit, a.min_value, a.max_value,
      a.answered_at
    FROM checklist_submission_answers a
    WHERE a.submission_id = ${submissionId} AND a.position = ANY(${sql.param(positions)}::int[])
    ORDER BY a.position`);
}

/** After the rework's answers are written: the rework is completed and the submission waits for a decision again. */
export async function completeRework(tx: Tx, reworkId: string, submissionId: string) {
  await tx.execute(sql`UPDATE submission_reworks SET status = 'completed', ended_at = now() WHERE id = ${reworkId}`);
  await tx.execute(sql`
    UPDATE checklist_submissions SET review_status = 'pending', needs_review = true, reviewed_at = NULL, reviewed_by = NULL
    WHERE id = ${submissionId}`);
}

/**
 * A rework session's rework: its comment and when the submission was confirmed (for the first line once the
 * operator replies to the start template).
 */
export async function reworkForIntro(
  exec: Executor,
  reworkId: string,
): Promise<{ comment: string; submittedAt: Date | string | null }> {
  const r = await exec.execute<{ comment: string; submittedAt: Date | string | null }>(sql`
    SELECT r.comment, s.completed_at AS "submittedAt" FROM submission_reworks r
    JOIN checklist_submissions s ON s.id = r.submission_id WHERE r.id = ${reworkId}`);
  return r.rows[0] ?? { comment: '', submittedAt: null };
}

/** A rework's conversation ended without CONFIRM: the rework ends the same way, the submission waits for a decision. */
export async function endReworkOfSession(exec: Executor, reworkId: string, how: 'expired' | 'cancelled') {
  const r = await exec.execute<{ submission_id: string }>(sql`
    UPDATE submission_reworks SET status = ${how}, ended_at = now() WHERE id = ${reworkId} AND status = 'active'
    RETURNING submission_id`);
  const submissionId = r.rows[0]?.submission_id;
  if (submissionId)
    await exec.execute(sql`
      UPDATE checklist_submissions SET review_status = 'pending', needs_review = true, reviewed_at = NULL, reviewed_by = NULL
      WHERE id = ${submissionId} AND review_status = 'rework'`);
}

/** The operator's name, for the audit trail's "who" of a rework they confirmed. */
export async function operatorName(exec: Executor, operatorId: number): Promise<string | null> {
  const r = await exec.execute<{ name: string }>(sql`SELECT name FROM operators WHERE id = ${operatorId}`);
  return r.rows[0]?.name ?? null;
}
