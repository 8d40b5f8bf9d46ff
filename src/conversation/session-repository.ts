import { and, eq, sql } from 'drizzle-orm';
import { queryPrepared } from '../lib/db/prepared.js';
import type { Executor } from '../lib/db/transaction.js';
import { whatsappConversationSessions as sessions } from '../lib/db/schema.js';
import type { Answer, SessionState, Task } from './conversation-types.js';

export type SessionRow = typeof sessions.$inferSelect;

/** Locks the phone's active session row (SELECT ... FOR UPDATE) for the rest of the transaction. */
export async function lockActiveSessionByPhone(exec: Executor, phoneNumber: string): Promise<SessionRow | null> {
  const [row] = await queryPrepared<SessionRow>(
    exec,
    'session_lock_active_by_phone',
    `
    SELECT id, phone_number AS "phoneNumber", assignment_id AS "assignmentId", submission_id AS "submissionId",
      template_id AS "templateId", machine_id AS "machineId", operator_id AS "operatorId", status,
      current_task_index AS "currentTaskIndex", total_tasks AS "totalTasks", answers, pending_photo_url AS "pendingPhotoUrl",
      last_message_at AS "lastMessageAt", created_at AS "createdAt", expires_at AS "expiresAt", ended_at AS "endedAt",
      awaiting_note AS "awaitingNote", awaiting_start AS "awaitingStart", editing, reminded_at AS "remindedAt"
    FROM whatsapp_conversation_sessions WHERE phone_number = $1 AND status = 'active' FOR UPDATE`,
    [phoneNumber],
  );
  return row ?? null;
}

export async function lockSessionById(exec: Executor, id: string): Promise<SessionRow | null> {
  const [row] = await exec.select().from(sessions).where(eq(sessions.id, id)).for('update');
  return row ?? null;
}

export async function markReminded(exec: Executor, id: string) {
  await exec
    .update(sessions)
    .set({ remindedAt: sql`now()` })
    .where(eq(sessions.id, id));
}

export async function setAwaitingStart(exec: Executor, id: string) {
  await exec.update(sessions).set({ awaitingStart: true }).where(eq(sessions.id, id));
}

export async function lockActiveSessionByAssignment(exec: Executor, assignmentId: string): Promise<SessionRow | null> {
  const [row] = await exec
    .select()
    .from(sessions)
    .where(and(eq(sessions.assignmentId, assignmentId), eq(sessions.status, 'active')))
    .for('update');
  return row ?? null;
}

/** How the phone's latest session ended, when that was in the last 24 hours. */
export async function recentlyEnded(exec: Executor, phoneNumber: string): Promise<string | null> {
  const [row] = await exec
    .select({ status: sessions.status })
    .from(sessions)
    .where(and(eq(sessions.phoneNumber, phoneNumber), sql`${sessions.endedAt} > now() - interval '24 hours'`))
    .orderBy(sql`${sessions.endedAt} DESC`)
    .limit(1);
  return row?.status ?? null;
}

export const toState = (row: SessionRow): SessionState => ({
  sessionId: row.id,
  status: row.status as SessionState['status'],
  currentTaskIndex: row.currentTaskIndex,
  totalTasks: row.totalTasks,
  answers: row.answers,
  pendingPhoto: row.pendingPhotoUrl,
  awaitingNote: row.awaitingNote,
  awaitingStart: row.awaitingStart,
  editing: row.editing,
});

/** Writes the state back, scoped to this session's id. */
export async function saveState(exec: Executor, id: string, state: SessionState, ended: boolean) {
  await queryPrepared(
    exec,
    'session_save_state',
    `
    UPDATE whatsapp_conversation_sessions SET status = $2, current_task_index = $3, answers = $4, pending_photo_url = $5,
      awaiting_note = $6, awaiting_start = $7, editing = $8, last_message_at = now(),
      ended_at = CASE WHEN $9::boolean THEN now() ELSE ended_at END
    WHERE id = $1`,
    [
      id,
      state.status,
      state.currentTaskIndex,
      JSON.stringify(state.answers),
      state.pendingPhoto,
      state.awaitingNote,
      state.awaitingStart,
      state.editing,
      ended,
    ],
  );
}

export async function endSession(exec: Executor, id: string, status: 'cancelled' | 'expired') {
  await exec
    .update(sessions)
    .set({ status, endedAt: sql`now()` })
    .where(eq(sessions.id, id));
}

/**
 * Stores one answer on the submission as soon as it is given (replacing an earlier answer to that task),
 * with the task's text and photo rule as they are now: reports show the task as it was answered.
 */
export async function upsertAnswer(exec: Executor, submissionId: string, answer: Answer) {
  await queryPrepared(
    exec,
    'session_upsert_answer',
    `
    INSERT INTO checklist_submission_answers (submission_id, task_id, position, status, remarks, photo_filename, answered_at, task_text, task_requires_photo)
    VALUES ($1, $2, $3, $4, $5, $6, $7,
      (SELECT t.text FROM checklist_template_tasks t WHERE t.id = $2), (SELECT t.requires_photo FROM checklist_template_tasks t WHERE t.id = $2))
    ON CONFLICT (submission_id, position) DO UPDATE SET status = excluded.status, remarks = excluded.remarks,
      photo_filename = excluded.photo_filename, answered_at = excluded.answered_at,
      task_text = excluded.task_text, task_requires_photo = excluded.task_requires_photo`,
    [
      submissionId,
      answer.taskId,
      answer.taskIndex + 1,
      answer.status,
      answer.remarks,
      answer.photo,
      new Date(answer.answeredAt).toISOString(),
    ],
  );
}

/** An active session read without a lock, with its row version (xmin) and its template's tasks. */
export interface SessionSnapshot {
  row: SessionRow;
  /** PostgreSQL's xmin of the row: any committed change to the row changes it. */
  version: string;
  tasks: Task[];
}

/**
 * The select list of a session snapshot over `whatsapp_conversation_sessions s`, each column named
 * `prefix` + its field, so another statement can read a snapshot beside its own columns.
 */
export const snapshotColumns = (prefix: string) => `
  s.id AS "${prefix}id", s.phone_number AS "${prefix}phoneNumber", s.assignment_id AS "${prefix}assignmentId",
  s.submission_id AS "${prefix}submissionId", s.template_id AS "${prefix}templateId", s.machine_id AS "${prefix}machineId",
  s.operator_id AS "${prefix}operatorId", s.status AS "${prefix}status", s.current_task_index AS "${prefix}currentTaskIndex",
  s.total_tasks AS "${prefix}totalTasks", s.answers AS "${prefix}answers", s.pending_photo_url AS "${prefix}pendingPhotoUrl",
  s.last_message_at AS "${prefix}lastMessageAt", s.created_at AS "${prefix}createdAt", s.expires_at AS "${prefix}expiresAt",
  s.ended_at AS "${prefix}endedAt", s.awaiting_note AS "${prefix}awaitingNote", s.awaiting_start AS "${prefix}awaitingStart",
  s.editing AS "${prefix}editing", s.reminded_at AS "${prefix}remindedAt",
  s.xmin::text AS "${prefix}version",
  COALESCE((SELECT json_agg(json_build_object('id', t.id, 'text', t.text, 'requiresPhoto', t.requires_photo) ORDER BY t.position)
    FROM checklist_template_tasks t WHERE t.template_id = s.template_id), '[]') AS "${prefix}tasks"`;

/** The snapshot in a row read with `snapshotColumns(prefix)`; null when the row had no session (a LEFT JOIN). */
export function snapshotOf(r: Record<string, unknown>, prefix = ''): SessionSnapshot | null {
  if (r[`${prefix}id`] === null || r[`${prefix}id`] === undefined) return null;
  const fields =
    prefix === ''
      ? r
      : Object.fromEntries(
          Object.entries(r)
            .filter(([k]) => k.startsWith(prefix))
            .map(([k, v]) => [k.slice(prefix.length), v]),
        );
  const { version, tasks, ...row } = fields as SessionRow & { version: string; tasks: Task[] };
  return { row, version, tasks };
}

/** The phone's active session as it is now, for an optimistic apply (commitIfUnchanged). */
export async function readActiveSessionByPhone(exec: Executor, phoneNumber: string): Promise<SessionSnapshot | null> {
  const [r] = await queryPrepared(
    exec,
    'session_read_active_by_phone',
    `
    SELECT ${snapshotColumns('')}
    FROM whatsapp_conversation_sessions s WHERE s.phone_number = $1 AND s.status = 'active'`,
    [phoneNumber],
  );
  return r ? snapshotOf(r) : null;
}

export interface UnchangedCommit {
  sessionId: string;
  version: string;
  /** The inbox message being applied; it must still be pending. */
  inboxId: number;
  state: SessionState;
  answer: Answer | null;
  /** The checklist was confirmed: its submission and assignment complete too. */
  completed: { needsReview: boolean } | null;
  /** Rows for whatsapp_outbox, in sending order; `ofSession` ties a row to this session (alerts to managers are not). */
  outbox: { phoneNumber: string; ofSession: boolean; kind: string; payload: unknown }[];
}

/**
 * Writes one applied message in a single statement, only if the session row is still the version that
 * was read and the inbox message is still pending: the state, the answer (with its task's text and photo
 * rule as they are now, joined by primary key), the replies, on CONFIRM the submission and assignment,
 * and the message's "processed" mark; or nothing (false: read again). The
 * session row is locked for this one statement instead of a transaction of round trips. Lock order as
 * in the locked path: the inbox row (FOR UPDATE in the guard), the session, then the assignment.
 *
 * Its commit is asynchronous (set_config(..., true) lasts until the end of this statement's
 * transaction). That is safe because nothing leaves the server on its account before a synchronous
 * commit: the outbox worker's claim of these replies commits synchronously, and flushing its WAL
 * flushes this commit too. A crash before that loses the apply and its "processed" mark together, so
 * the message is applied again after restart and its replies are sent once.
 */
export async function commitIfUnchanged(exec: Executor, c: UnchangedCommit): Promise<boolean> {
  const a = c.answer;
  const [r] = await queryPrepared<{ applied: number }>(
    exec,
    'session_commit_if_unchanged',
    `
    WITH s AS (
      UPDATE whatsapp_conversation_sessions SET status = $3, current_task_index = $4, answers = $5, pending_photo_url = $6,
        awaiting_note = $7, awaiting_start = $8, editing = $9, last_message_at = now(),
        ended_at = CASE WHEN $17::boolean THEN now() ELSE ended_at END
      WHERE id = $1 AND xmin = $2::xid
        AND EXISTS (SELECT 1 FROM whatsapp_inbox i WHERE i.id = $10 AND i.status = 'pending' FOR UPDATE)
      RETURNING id, submission_id, assignment_id
    ), processed AS (
      UPDATE whatsapp_inbox SET status = 'processed', processed_at = now(), last_error = NULL
      WHERE id = $10 AND EXISTS (SELECT 1 FROM s)
    ), answer AS (
      INSERT INTO checklist_submission_answers (submission_id, task_id, position, status, remarks, photo_filename, answered_at, task_text, task_requires_photo)
      SELECT s.submission_id, $11, $12, $13, $14, $15, $16, t.text, t.requires_photo
      FROM s LEFT JOIN checklist_template_tasks t ON t.id = $11 WHERE $11::int IS NOT NULL
      ON CONFLICT (submission_id, position) DO UPDATE SET status = excluded.status, remarks = excluded.remarks,
        photo_filename = excluded.photo_filename, answered_at = excluded.answered_at,
        task_text = excluded.task_text, task_requires_photo = excluded.task_requires_photo
    ), submission AS (
      UPDATE checklist_submissions SET status = 'completed', completed_at = now(), needs_review = $18
      WHERE $17::boolean AND id = (SELECT submission_id FROM s)
    ), assignment AS (
      UPDATE checklist_assignments SET status = 'completed', completed_at = now()
      WHERE $17::boolean AND id = (SELECT assignment_id FROM s)
    ), replies AS (
      INSERT INTO whatsapp_outbox (phone_number, session_id, kind, payload)
      SELECT r.phone, CASE WHEN r.of_session THEN s.id END, r.kind, r.payload
      FROM s, unnest($19::text[], $20::boolean[], $21::text[], $22::jsonb[]) WITH ORDINALITY AS r(phone, of_session, kind, payload, n)
      ORDER BY r.n
    )
    SELECT count(*)::int AS applied, set_config('synchronous_commit', 'off', true) AS async FROM s`,
    [
      c.sessionId,
      c.version,
      c.state.status,
      c.state.currentTaskIndex,
      JSON.stringify(c.state.answers),
      c.state.pendingPhoto,
      c.state.awaitingNote,
      c.state.awaitingStart,
      c.state.editing,
      c.inboxId,
      a?.taskId ?? null,
      a ? a.taskIndex + 1 : null,
      a?.status ?? null,
      a?.remarks ?? null,
      a?.photo ?? null,
      a ? new Date(a.answeredAt).toISOString() : null,
      c.completed !== null,
      c.completed?.needsReview ?? false,
      c.outbox.map((o) => o.phoneNumber),
      c.outbox.map((o) => o.ofSession),
      c.outbox.map((o) => o.kind),
      c.outbox.map((o) => JSON.stringify(o.payload)),
    ],
  );
  return (r?.applied ?? 0) > 0;
}
