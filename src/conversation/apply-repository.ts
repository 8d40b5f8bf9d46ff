import { sql } from 'drizzle-orm';
import { fromRow } from '../lib/db/rows.js';
import { whatsappConversationSessions as sessions } from '../lib/db/schema.js';
import type { Tx } from '../lib/db/transaction.js';
import type { Answer, SessionState, Task } from './conversation-types.js';
import type { SessionRow } from './session-repository.js';

/** The locked read of one message's apply. Null when the message is no longer pending (applied elsewhere). */
export interface LockedForApply {
  session: SessionRow | null;
  tasks: Task[];
}

/**
 * The first statement of an apply, and its locks, in the documented order: the inbox row (still
 * pending, FOR UPDATE), then the operator's active session (FOR UPDATE), with the session's tasks.
 * The session is looked up only once the message row is held (LATERAL after the CTE), so two workers
 * applying one message queue on the message and the second finds it processed.
 */
export async function lockForApply(tx: Tx, inboxId: number, operatorId: number | null): Promise<LockedForApply | null> {
  const r = await tx.execute<{ tasks: Task[] | null } & Record<string, unknown>>(sql`
    WITH msg AS (SELECT i.id FROM whatsapp_inbox i WHERE i.id = ${inboxId} AND i.status = 'pending' FOR UPDATE)
    SELECT s.*, (SELECT json_agg(json_build_object('id', t.id, 'text', t.text, 'requiresPhoto', t.requires_photo)
        ORDER BY t.position) FROM checklist_template_tasks t WHERE t.template_id = s.template_id) AS tasks
    FROM msg LEFT JOIN LATERAL (
      SELECT * FROM whatsapp_conversation_sessions
      WHERE operator_id = ${operatorId}::int AND status = 'active'
      ORDER BY created_at LIMIT 1
      FOR UPDATE
    ) s ON true`);
  const row = r.rows[0];
  if (!row) return null;
  return { session: row.id ? fromRow(sessions, row) : null, tasks: row.tasks ?? [] };
}

/** Everything one applied message writes besides the rare extras (expiry, alerts, the next checklist). */
export interface ApplyWrite {
  inboxId: number;
  /** The session's new state; `ended` stamps ended_at (CONFIRM). */
  session: { id: string; state: SessionState; ended: boolean } | null;
  answer: { submissionId: string; answer: Answer } | null;
  /** CONFIRM: the submission and its assignment complete. */
  completed: { submissionId: string; assignmentId: string | null; needsReview: boolean } | null;
  /** whatsapp_outbox rows in sending order. */
  outbox: { phoneNumber: string; sessionId: string | null; kind: string; payload: unknown }[];
  /** Commit without waiting for the WAL flush (docs/decisions/0003-single-locked-apply.md says why it is safe). */
  asyncCommit: boolean;
}

/**
 * The one writer of an apply, in one statement (one round trip while the session lock is held): the
 * message's processed mark, the session state, the answer (with its task's text and photo rule as they
 * are now), on CONFIRM the submission and the assignment, and the replies. It spans tables of several
 * components on purpose: they change together or not at all, under the locks taken by lockForApply.
 * Only the parts a plan needs are in the statement (an unnamed statement is planned on every call).
 */
export async function writeApply(tx: Tx, w: ApplyWrite): Promise<void> {
  const parts = [
    sql`processed AS (
      UPDATE whatsapp_inbox SET status = 'processed', processed_at = now(), last_error = NULL WHERE id = ${w.inboxId})`,
  ];
  if (w.session) parts.push(sessionPart(w.session));
  if (w.answer) parts.push(answerPart(w.answer.submissionId, w.answer.answer));
  if (w.completed) parts.push(...completionParts(w.completed));
  if (w.outbox.length > 0) parts.push(repliesPart(w.outbox));
  await tx.execute(sql`
    WITH ${sql.join(parts, sql`, `)}
    SELECT set_config('synchronous_commit', ${w.asyncCommit ? 'off' : 'on'}, true)`);
}

function sessionPart(s: NonNullable<ApplyWrite['session']>) {
  const state = s.state;
  return sql`session AS (
    UPDATE whatsapp_conversation_sessions SET status = ${state.status}, current_task_index = ${state.currentTaskIndex},
      answers = ${JSON.stringify(state.answers)}::jsonb, pending_photo_url = ${state.pendingPhoto},
      awaiting_note = ${state.awaitingNote}, awaiting_start = ${state.awaitingStart}, editing = ${state.editing},
      last_message_at = now(), ended_at = ${s.ended ? sql`now()` : sql`ended_at`}
    WHERE id = ${s.id})`;
}

function answerPart(submissionId: string, a: Answer) {
  return sql`answer AS (
    INSERT INTO checklist_submission_answers (submission_id, task_id, position, status, remarks, photo_filename,
      answered_at, task_text, task_requires_photo)
    SELECT ${submissionId}, v.task_id, ${a.taskIndex + 1}, ${a.status}, ${a.remarks}, ${a.photo},
      ${new Date(a.answeredAt).toISOString()}::timestamptz, t.text, t.requires_photo
    FROM (SELECT ${a.taskId}::int AS task_id) v LEFT JOIN checklist_template_tasks t ON t.id = v.task_id
    ON CONFLICT (submission_id, position) DO UPDATE SET status = excluded.status, remarks = excluded.remarks,
      photo_filename = excluded.photo_filename, answered_at = excluded.answered_at,
      task_text = excluded.task_text, task_requires_photo = excluded.task_requires_photo)`;
}

function completionParts(c: NonNullable<ApplyWrite['completed']>) {
  return [
    sql`submission AS (
      UPDATE checklist_submissions SET status = 'completed', completed_at = now(), needs_review = ${c.needsReview}
      WHERE id = ${c.submissionId})`,
    sql`assignment AS (
      UPDATE checklist_assignments SET status = 'completed', completed_at = now() WHERE id = ${c.assignmentId})`,
  ];
}

function repliesPart(outbox: ApplyWrite['outbox']) {
  const column = <T>(pick: (o: ApplyWrite['outbox'][number]) => T) => sql.param(outbox.map(pick));
  return sql`replies AS (
    INSERT INTO whatsapp_outbox (phone_number, session_id, kind, payload)
    SELECT r.phone, r.session_id, r.kind, r.payload
    FROM unnest(${column((o) => o.phoneNumber)}::text[], ${column((o) => o.sessionId)}::text[],
      ${column((o) => o.kind)}::text[], ${column((o) => JSON.stringify(o.payload))}::jsonb[])
      WITH ORDINALITY AS r(phone, session_id, kind, payload, n)
    ORDER BY r.n)`;
}
