import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../lib/db/transaction.js';
import { whatsappConversationSessions as sessions } from '../lib/db/schema.js';
import type { Draft, SessionState } from './conversation-types.js';
import { emptyDraft } from './draft.js';

export type SessionRow = typeof sessions.$inferSelect;

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

export async function lockActiveSessionByRework(exec: Executor, reworkId: string): Promise<SessionRow | null> {
  const [row] = await exec
    .select()
    .from(sessions)
    .where(and(eq(sessions.reworkId, reworkId), eq(sessions.status, 'active')))
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

/** A session written before drafts (migration 0013) kept only a pending photo and a NOT OK awaiting its note. */
const legacyDraft = (row: SessionRow): Draft => ({
  ...emptyDraft,
  status: row.awaitingNote ? 'NOT_OK' : null,
  photos: row.pendingPhotoUrl === null ? [] : [row.pendingPhotoUrl],
});

export const toState = (row: SessionRow): SessionState => ({
  sessionId: row.id,
  status: row.status as SessionState['status'],
  currentTaskIndex: row.currentTaskIndex,
  totalTasks: row.totalTasks,
  answers: row.answers,
  draft: row.draft ?? legacyDraft(row),
  awaitingStart: row.awaitingStart,
  editing: row.editing,
});

export async function endSession(exec: Executor, id: string, status: 'cancelled' | 'expired') {
  await exec
    .update(sessions)
    .set({ status, endedAt: sql`now()` })
    .where(eq(sessions.id, id));
}

/** The conversation active on this phone number, if any (sessions are keyed by the number), with its assignment. */
export async function findActiveSessionOnPhone(exec: Executor, phoneNumber: string) {
  const [row] = await exec
    .select({ id: sessions.id, assignmentId: sessions.assignmentId })
    .from(sessions)
    .where(and(eq(sessions.phoneNumber, phoneNumber), eq(sessions.status, 'active')));
  return row ?? null;
}

/**
 * Moves the conversation active on a number to the operator's corrected number (operator-phones.ts). Called
 * twice in that transaction: first to lock the session (sessions come before the operator row in the lock
 * order), then after the operator row, to catch one a start created on the old number meanwhile.
 */
export async function moveActiveSessionPhone(exec: Executor, from: string, to: string): Promise<number> {
  const moved = await exec
    .update(sessions)
    .set({ phoneNumber: to })
    .where(and(eq(sessions.phoneNumber, from), eq(sessions.status, 'active')))
    .returning({ id: sessions.id });
  return moved.length;
}

/**
 * A session of this operator with its checklist's and machine's names, by id: read only when a tapped
 * button names a session that is not the operator's active one (a Confirm tap after submitting).
 */
export async function sessionNamesById(exec: Executor, id: string, operatorId: number) {
  const r = await exec.execute<{ status: string; template: string; machine: string }>(sql`
    SELECT s.status, ct.name AS template, m.name AS machine
    FROM whatsapp_conversation_sessions s
    JOIN checklist_templates ct ON ct.id = s.template_id
    JOIN machines m ON m.id = s.machine_id
    WHERE s.id = ${id} AND s.operator_id = ${operatorId}`);
  return r.rows[0] ?? null;
}
