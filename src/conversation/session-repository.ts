import { and, eq, sql } from 'drizzle-orm';
import type { PgInsertValue } from 'drizzle-orm/pg-core';
import { queryPrepared } from '../lib/db/prepared.js';
import type { Executor } from '../lib/db/transaction.js';
import { whatsappConversationSessions as sessions } from '../lib/db/schema.js';
import type { Answer, SessionState } from './conversation-types.js';

export type SessionRow = typeof sessions.$inferSelect;

/** Locks the phone's active session row (SELECT ... FOR UPDATE) for the rest of the transaction. */
export async function lockActiveSessionByPhone(exec: Executor, phoneNumber: string): Promise<SessionRow | null> {
  const [row] = await queryPrepared<SessionRow>(exec, 'session_lock_active_by_phone', `
    SELECT id, phone_number AS "phoneNumber", assignment_id AS "assignmentId", submission_id AS "submissionId",
      template_id AS "templateId", machine_id AS "machineId", operator_id AS "operatorId", status,
      current_task_index AS "currentTaskIndex", total_tasks AS "totalTasks", answers, pending_photo_url AS "pendingPhotoUrl",
      last_message_at AS "lastMessageAt", created_at AS "createdAt", expires_at AS "expiresAt", ended_at AS "endedAt",
      awaiting_note AS "awaitingNote", awaiting_start AS "awaitingStart", editing, reminded_at AS "remindedAt"
    FROM whatsapp_conversation_sessions WHERE phone_number = $1 AND status = 'active' FOR UPDATE`, [phoneNumber]);
  return row ?? null;
}

export async function lockSessionById(exec: Executor, id: string): Promise<SessionRow | null> {
  const [row] = await exec.select().from(sessions).where(eq(sessions.id, id)).for('update');
  return row ?? null;
}

export async function markReminded(exec: Executor, id: string) {
  await exec.update(sessions).set({ remindedAt: sql`now()` }).where(eq(sessions.id, id));
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

export async function hasActiveSessionForPhone(exec: Executor, phoneNumber: string): Promise<boolean> {
  const rows = await exec
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.phoneNumber, phoneNumber), eq(sessions.status, 'active')));
  return rows.length > 0;
}

export async function insertSession(exec: Executor, values: PgInsertValue<typeof sessions>): Promise<SessionRow> {
  const [row] = await exec.insert(sessions).values(values).returning();
  return row!;
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
  await queryPrepared(exec, 'session_save_state', `
    UPDATE whatsapp_conversation_sessions SET status = $2, current_task_index = $3, answers = $4, pending_photo_url = $5,
      awaiting_note = $6, awaiting_start = $7, editing = $8, last_message_at = now(),
      ended_at = CASE WHEN $9::boolean THEN now() ELSE ended_at END
    WHERE id = $1`, [
    id, state.status, state.currentTaskIndex, JSON.stringify(state.answers), state.pendingPhoto,
    state.awaitingNote, state.awaitingStart, state.editing, ended,
  ]);
}

export async function endSession(exec: Executor, id: string, status: 'cancelled' | 'expired') {
  await exec.update(sessions).set({ status, endedAt: sql`now()` }).where(eq(sessions.id, id));
}

/** Stores one answer on the submission as soon as it is given (replacing an earlier answer to that task). */
export async function upsertAnswer(exec: Executor, submissionId: string, answer: Answer) {
  await queryPrepared(exec, 'session_upsert_answer', `
    INSERT INTO checklist_submission_answers (submission_id, task_id, position, status, remarks, photo_filename, answered_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (submission_id, position) DO UPDATE SET status = excluded.status, remarks = excluded.remarks,
      photo_filename = excluded.photo_filename, answered_at = excluded.answered_at`, [
    submissionId, answer.taskId, answer.taskIndex + 1, answer.status, answer.remarks, answer.photo, new Date(answer.answeredAt).toISOString(),
  ]);
}
